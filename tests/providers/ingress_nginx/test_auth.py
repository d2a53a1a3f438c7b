"""auth.py: external auth, basic/digest auth, satisfy, client certificates."""

from __future__ import annotations

import pytest

from ing2gw.model import Outcome

URL = "http://oauth2-proxy.auth.svc.cluster.local:4180/oauth2/auth"


def _ext_filter(run):
    rule = run.route()["spec"]["rules"][0]
    return next(f["externalAuth"] for f in rule.get("filters", []) if f["type"] == "ExternalAuth")


def test_auth_url_becomes_external_auth_filter_on_experimental(nginx):
    r = nginx({"auth-url": URL, "auth-response-headers": "X-User, X-Email"}, channel="experimental")
    assert r.outcome("auth-url") is Outcome.CAVEAT
    assert "prefix" in r.note("auth-url").message and "ReferenceGrant" in r.note("auth-url").message
    ea = _ext_filter(r)
    assert ea["backendRef"] == {"name": "oauth2-proxy", "namespace": "auth", "port": 4180}
    assert ea["http"]["path"] == "/oauth2/auth"
    assert ea["http"]["allowedResponseHeaders"] == ["X-User", "X-Email"]
    assert r.outcome("auth-response-headers") is Outcome.TRANSLATED
    assert r.reqs("external-auth") == []


def test_auth_url_on_standard_channel_is_a_requirement(nginx):
    r = nginx({"auth-url": URL, "auth-method": "GET", "auth-signin": "https://login.example.com/start",
               "auth-signin-redirect-param": "next", "auth-response-headers": "X-User"})
    assert r.outcome("auth-url") is Outcome.NEEDS_EMITTER
    assert "NOT protected" in r.note("auth-url").message
    req = r.linked("auth-url")
    assert req.feature == "external-auth"
    assert req.params["service"] == {"namespace": "auth", "name": "oauth2-proxy", "port": 4180}
    assert req.params["method"] == "GET" and req.params["response_headers"] == ["X-User"]
    assert req.params["signin_url"] == "https://login.example.com/start"
    assert req.params["signin_redirect_param"] == "next"
    for key in ("auth-method", "auth-signin", "auth-signin-redirect-param", "auth-response-headers"):
        assert r.linked(key).id == req.id
        assert r.outcome(key) is Outcome.NEEDS_EMITTER
    assert "ExternalAuth" not in str(r.route())


def test_auth_url_external_host_is_a_requirement_even_on_experimental(nginx):
    r = nginx({"auth-url": "https://auth.example.com/check?x=1"}, channel="experimental")
    assert r.outcome("auth-url") is Outcome.NEEDS_EMITTER
    assert r.req("external-auth").params["service"] is None


def test_auth_url_bad_value_is_an_error(nginx):
    r = nginx({"auth-url": "ftp://x", "auth-method": "GET"})
    assert r.outcome("auth-url") is Outcome.ERROR
    assert r.outcome("auth-method") is Outcome.NOT_ROUTING


def test_filter_mode_unsupported_extras(nginx):
    r = nginx({"auth-url": URL, "auth-method": "post", "auth-signin": "https://login/", "auth-signin-redirect-param":
               "rd", "auth-request-redirect": "https://app/", "auth-proxy-set-headers": "auth/headers",
               "auth-cache-key": "$remote_user", "auth-cache-duration": "200 5m", "auth-always-set-cookie": "true"},
              channel="experimental")
    for key in ("auth-method", "auth-signin", "auth-signin-redirect-param", "auth-request-redirect",
                "auth-proxy-set-headers", "auth-cache-key", "auth-cache-duration", "auth-always-set-cookie"):
        assert r.outcome(key) is Outcome.UNSUPPORTED, key


@pytest.mark.parametrize("key,value", [
    ("auth-keepalive", "10"), ("auth-keepalive-requests", "100"), ("auth-keepalive-timeout", "30"),
    ("auth-keepalive-share-vars", "true")])
def test_keepalive_tuning_not_carried(nginx, key, value):
    r = nginx({"auth-url": URL, key: value})
    assert r.outcome(key) is Outcome.NOT_ROUTING
    bad = nginx({"auth-url": URL, key: "lots"})
    assert bad.outcome(key) is Outcome.ERROR


def test_auth_extras_without_auth_url_are_inert(nginx):
    r = nginx({"auth-response-headers": "X-User", "auth-cache-key": "$x", "auth-snippet": "return 200;"})
    assert r.outcome("auth-response-headers") is Outcome.NOT_ROUTING
    assert r.outcome("auth-snippet") is Outcome.NOT_ROUTING
    assert "auth-url is not set" in r.note("auth-cache-key").message


def test_bad_auth_method_and_headers(nginx):
    r = nginx({"auth-url": URL, "auth-method": "FETCH", "auth-response-headers": "X User"})
    assert r.outcome("auth-method") is Outcome.ERROR
    assert r.outcome("auth-response-headers") is Outcome.ERROR


def test_auth_snippet_is_unsupported_with_snippet_requirement(nginx):
    r = nginx({"auth-url": URL, "auth-snippet": "proxy_set_header X-Key abc;"})
    assert r.outcome("auth-snippet") is Outcome.UNSUPPORTED
    assert r.linked("auth-snippet").params == {"context": "auth", "text": "proxy_set_header X-Key abc;"}


def test_cache_duration_needs_cache_key(nginx):
    r = nginx({"auth-url": URL, "auth-cache-duration": "200 5m"})
    assert r.outcome("auth-cache-duration") is Outcome.NOT_ROUTING


def test_enable_global_auth(nginx):
    assert nginx({"enable-global-auth": "true"}).outcome("enable-global-auth") is Outcome.TRANSLATED
    assert nginx({"enable-global-auth": "false"}).outcome("enable-global-auth") is Outcome.CAVEAT
    r = nginx({"enable-global-auth": "false"}, config={"allow-snippet-annotations": "false"})
    assert r.outcome("enable-global-auth") is Outcome.NOT_ROUTING
    r = nginx({"enable-global-auth": "false"}, config={"global-auth-url": URL})
    assert r.outcome("enable-global-auth") is Outcome.CAVEAT
    assert nginx({"enable-global-auth": "maybe"}).outcome("enable-global-auth") is Outcome.ERROR


def test_basic_auth_is_one_requirement(nginx):
    r = nginx({"auth-type": "basic", "auth-secret": "htpasswd", "auth-secret-type": "auth-map",
               "auth-realm": "Staff only"})
    req = r.req("basic-auth")
    assert req.params == {"secret_namespace": "shop", "secret_name": "htpasswd", "secret_type": "auth-map",
                          "realm": "Staff only"}
    for key in ("auth-type", "auth-secret", "auth-secret-type", "auth-realm"):
        assert r.outcome(key) is Outcome.NEEDS_EMITTER
        assert r.linked(key).id == req.id
    assert req.source.annotation.endswith("auth-type")


def test_basic_auth_cross_namespace_secret(nginx):
    r = nginx({"auth-type": "basic", "auth-secret": "security/htpasswd"})
    assert r.req("basic-auth").params["secret_namespace"] == "security"


def test_basic_auth_errors(nginx):
    assert nginx({"auth-type": "basic"}).outcome("auth-type") is Outcome.ERROR
    assert nginx({"auth-type": "ntlm", "auth-secret": "s"}).outcome("auth-type") is Outcome.ERROR
    r = nginx({"auth-type": "basic", "auth-secret": "s", "auth-secret-type": "file"})
    assert r.outcome("auth-secret-type") is Outcome.ERROR
    assert r.outcome("auth-secret") is Outcome.NEEDS_EMITTER
    assert nginx({"auth-secret": "s"}).outcome("auth-secret") is Outcome.NOT_ROUTING


def test_digest_auth_unsupported(nginx):
    r = nginx({"auth-type": "digest", "auth-secret": "s"})
    assert r.outcome("auth-type") is Outcome.UNSUPPORTED
    assert r.outcome("auth-secret") is Outcome.UNSUPPORTED
    assert r.reqs("basic-auth") == []


def test_satisfy(nginx):
    assert nginx({"satisfy": "all"}).outcome("satisfy") is Outcome.TRANSLATED
    assert nginx({"satisfy": "any", "auth-type": "basic", "auth-secret": "s"}).outcome("satisfy") is Outcome.TRANSLATED
    r = nginx({"satisfy": "any", "auth-type": "basic", "auth-secret": "s", "whitelist-source-range": "10.0.0.0/8"})
    assert r.outcome("satisfy") is Outcome.UNSUPPORTED
    assert nginx({"satisfy": "some"}).outcome("satisfy") is Outcome.ERROR


def test_client_certificate_requirement(nginx):
    r = nginx({"auth-tls-secret": "certs/ca", "auth-tls-verify-client": "optional", "auth-tls-verify-depth": "2",
               "auth-tls-pass-certificate-to-upstream": "true", "auth-tls-error-page": "https://x/help",
               "auth-tls-match-cn": "CN=client-.*"})
    req = r.req("client-certificate")
    assert req.target == "gateway"
    assert req.params == {"ca_secret": "certs/ca", "mode": "optional", "depth": 2, "pass_to_upstream": True,
                          "hosts": ["shop.example.com"]}
    for key in ("auth-tls-secret", "auth-tls-verify-client", "auth-tls-verify-depth",
                "auth-tls-pass-certificate-to-upstream"):
        assert r.outcome(key) is Outcome.NEEDS_EMITTER and r.linked(key).id == req.id
    assert r.outcome("auth-tls-error-page") is Outcome.UNSUPPORTED
    assert r.outcome("auth-tls-match-cn") is Outcome.UNSUPPORTED


def test_client_certificate_defaults_off_and_errors(nginx):
    r = nginx({"auth-tls-secret": "ca"})
    assert r.req("client-certificate").params["ca_secret"] == "shop/ca"
    assert r.req("client-certificate").params["mode"] == "on"
    r = nginx({"auth-tls-secret": "ca", "auth-tls-verify-client": "off"})
    assert r.outcome("auth-tls-secret") is Outcome.NOT_ROUTING and r.reqs("client-certificate") == []
    r = nginx({"auth-tls-secret": "ca", "auth-tls-verify-client": "sometimes", "auth-tls-match-cn": "client",
               "auth-tls-verify-depth": "0"})
    assert r.outcome("auth-tls-verify-client") is Outcome.ERROR
    assert r.outcome("auth-tls-match-cn") is Outcome.ERROR
    assert r.outcome("auth-tls-verify-depth") is Outcome.ERROR
    assert nginx({"auth-tls-verify-depth": "2"}).outcome("auth-tls-verify-depth") is Outcome.NOT_ROUTING


def test_canary_ingress_ignores_policy_annotations(nginx):
    r = nginx({"canary": "true", "canary-weight": "10", "limit-rps": "5", "auth-url": URL})
    assert r.outcome("limit-rps") is Outcome.NOT_ROUTING
    assert "canary" in r.note("auth-url").message
    assert r.reqs("rate-limit") == []


def test_auth_service_in_same_namespace_and_short_form(nginx):
    svc = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "authz", "namespace": "shop"},
           "spec": {"ports": [{"port": 9000}]}}
    r = nginx({"auth-url": "http://authz.shop:9000/"}, channel="experimental", extra=[svc])
    ea = _ext_filter(r)
    assert ea["backendRef"] == {"name": "authz", "port": 9000}
    assert "path" not in ea["http"]
    assert "ReferenceGrant" not in r.note("auth-url").message
    # name.namespace without the Service in the input may be a public domain: not guessed
    r = nginx({"auth-url": "http://authz.shop:9000/"}, channel="experimental")
    assert r.outcome("auth-url") is Outcome.NEEDS_EMITTER
    # a Service without that port: not guessed either
    r = nginx({"auth-url": "http://authz.shop.svc:8080/"}, channel="experimental", extra=[svc])
    assert "has no port 8080" in r.note("auth-url").message


def test_auth_url_https_and_old_version(nginx):
    r = nginx({"auth-url": "https://authz.shop.svc/check"}, channel="experimental")
    assert _ext_filter(r)["backendRef"]["port"] == 443
    assert "BackendTLSPolicy" in r.note("auth-url").message
    r = nginx({"auth-url": URL}, channel="experimental", version="v1.3")
    assert r.outcome("auth-url") is Outcome.NEEDS_EMITTER
    assert "v1.4" in r.note("auth-url").message


def test_auth_url_with_nginx_variables(nginx):
    r = nginx({"auth-url": "http://$host/auth"}, channel="experimental")
    assert r.outcome("auth-url") is Outcome.NEEDS_EMITTER
    assert "nginx variables" in r.note("auth-url").message
