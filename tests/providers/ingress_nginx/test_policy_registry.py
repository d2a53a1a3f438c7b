"""Every policy annotation this provider owns has a handler with the documented sections."""

from __future__ import annotations

from ing2gw_providers.ingress_nginx import PREFIX, REGISTRY

OWNED = {
    "auth": "auth-url auth-method auth-signin auth-signin-redirect-param auth-response-headers auth-request-redirect "
            "auth-proxy-set-headers auth-cache-key auth-cache-duration auth-keepalive auth-keepalive-requests "
            "auth-keepalive-timeout auth-keepalive-share-vars auth-always-set-cookie auth-snippet enable-global-auth "
            "auth-type auth-secret auth-secret-type auth-realm satisfy auth-tls-secret auth-tls-verify-client "
            "auth-tls-verify-depth auth-tls-error-page auth-tls-pass-certificate-to-upstream auth-tls-match-cn",
    "ratelimit": "limit-connections limit-rps limit-rpm limit-burst-multiplier limit-rate limit-rate-after "
                 "limit-allowlist",
    "ipaccess": "allowlist-source-range denylist-source-range",
    "body": "proxy-body-size client-body-buffer-size proxy-request-buffering proxy-buffering proxy-buffers-number "
            "proxy-buffer-size proxy-busy-buffers-size proxy-max-temp-file-size",
    "retries": "proxy-next-upstream proxy-next-upstream-tries proxy-next-upstream-timeout",
    "snippets": "configuration-snippet server-snippet stream-snippet modsecurity-snippet enable-modsecurity "
                "enable-owasp-core-rules modsecurity-transaction-id",
    "observability": "enable-access-log enable-rewrite-log enable-opentelemetry opentelemetry-trust-incoming-span "
                     "opentelemetry-operation-name",
    "upstream": "service-upstream default-backend custom-http-errors disable-proxy-intercept-errors load-balance "
                "upstream-hash-by upstream-hash-by-subset upstream-hash-by-subset-size fastcgi-index "
                "fastcgi-params-configmap proxy-cookie-domain proxy-cookie-path ssl-ciphers "
                "ssl-prefer-server-ciphers http2-push-preload",
}
SECTIONS = ("What the controller does:", "Gateway API equivalent:", "Caveats:", "Example:")


def test_every_owned_key_has_a_documented_handler():
    for family, names in OWNED.items():
        for name in names.split():
            h = REGISTRY.get(PREFIX + name)
            assert h is not None, name
            assert h.family == family, name
            assert h.doc and "\n" not in h.doc, name
            assert all(s in h.details for s in SECTIONS), name


def test_aliases():
    assert REGISTRY.get(PREFIX + "whitelist-source-range").name == "allowlist-source-range"
    assert REGISTRY.get(PREFIX + "limit-whitelist").name == "limit-allowlist"
