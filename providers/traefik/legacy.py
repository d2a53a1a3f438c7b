"""Traefik 1.7 annotations: Traefik v2 and later ignore them, so they had no effect and are not carried over.

Each row names what the key did in 1.7 and what replaced it in Traefik v2+ (mostly a Middleware referenced
with ``router.middlewares``), so that a user who still relies on the 1.7 meaning knows what to write instead.
Traefik 1.7 predates IngressClass and the ``traefik.io/ingress-controller`` controller string this provider
serves, so an Ingress that reaches it is served by v2 or later.
"""

from __future__ import annotations

from ing2gw.model import Outcome
from ing2gw.provider import AnnotationHandler

from ._common import PREFIX, REGISTRY

HINT = ("Traefik v2+ ignores Traefik 1.7 annotations: if the behaviour is still wanted, express it with the "
        "replacement named here (then convert again), or remove the annotation.")

# (key, what it did in 1.7, Traefik v2+ replacement, Gateway API equivalent class of the 1.7 meaning)
ROWS: tuple[tuple[str, str, str, str], ...] = (
    ("app-root", "redirected / to the given path", "a redirectRegex Middleware", "CORE RequestRedirect"),
    ("error-pages", "served error pages from other backends", "an errors Middleware", "IMPL"),
    ("frontend-entry-points", "chose the entryPoints of the frontend", "router.entrypoints",
     "CORE parentRefs.sectionName"),
    ("pass-client-tls-cert", "forwarded client certificate details in headers", "a passTLSClientCert Middleware",
     "IMPL"),
    ("pass-tls-cert", "forwarded the client certificate (deprecated in 1.7)", "a passTLSClientCert Middleware",
     "IMPL"),
    ("preserve-host", "forwarded the client Host header", "service.passhostheader on the Service",
     "CORE~ URLRewrite hostname"),
    ("priority", "set the frontend priority", "router.priority", "NONE"),
    ("rate-limit", "limited request rates", "a rateLimit Middleware", "IMPL"),
    ("redirect-entry-point", "redirected to another entryPoint (often https)",
     "entryPoint redirections or a redirectScheme Middleware", "CORE RequestRedirect"),
    ("redirect-permanent", "made redirects 301 instead of 302", "the permanent option of the redirect Middlewares",
     "CORE RequestRedirect statusCode"),
    ("redirect-regex", "matched URLs to redirect", "a redirectRegex Middleware", "CORE~ RequestRedirect"),
    ("redirect-replacement", "was the target of the regex redirect", "a redirectRegex Middleware",
     "CORE~ RequestRedirect"),
    ("request-modifier", "applied AddPrefix, ReplacePath or ReplacePathRegex",
     "addPrefix, replacePath or replacePathRegex Middlewares", "CORE~ URLRewrite"),
    ("rewrite-target", "replaced the matched path prefix", "a replacePathRegex or stripPrefix Middleware",
     "CORE URLRewrite ReplacePrefixMatch"),
    ("rule-type", "chose Path, PathPrefix, PathStrip or PathPrefixStrip matching",
     "pathType or router.pathmatcher, plus a stripPrefix Middleware", "CORE~ Exact / PathPrefix"),
    ("service-weights", "split traffic between backends by percentage", "a weighted TraefikService",
     "CORE backendRefs weight"),
    ("whitelist-source-range", "allowed only the listed client CIDRs", "an ipAllowList Middleware", "IMPL"),
    ("buffering", "buffered requests and responses", "a buffering Middleware", "IMPL"),
    ("affinity", "turned on sticky sessions", "service.sticky.cookie on the Service", "EXP sessionPersistence"),
    ("session-cookie-name", "named the sticky cookie", "service.sticky.cookie.name on the Service",
     "EXP sessionPersistence.sessionName"),
    ("circuit-breaker-expression", "set a circuit breaker condition", "a circuitBreaker Middleware", "IMPL"),
    ("responseforwarding-flushinterval", "set the response flush interval",
     "responseForwarding.flushInterval of a TraefikService or file-provider service", "NONE"),
    ("load-balancer-method", "chose wrr or drr balancing", "a TraefikService (weighted round robin)", "IMPL"),
    ("max-conn-amount", "limited connections to the backend", "an inFlightReq Middleware", "IMPL"),
    ("max-conn-extractor-func", "chose the key of the connection limit", "sourceCriterion of inFlightReq", "NONE"),
    ("ingress.kubernetes.io/whitelist-x-forwarded-for", "used X-Forwarded-For for the allow list",
     "ipStrategy of an ipAllowList Middleware", "IMPL"),
    ("ingress.kubernetes.io/protocol", "chose http, https or h2c towards the pods",
     "service.serversscheme on the Service", "CORE BackendTLSPolicy / appProtocol h2c"),
    ("ingress.kubernetes.io/custom-request-headers", "set request headers", "a headers Middleware (customRequestHeaders)",
     "CORE RequestHeaderModifier"),
    ("ingress.kubernetes.io/custom-response-headers", "set response headers",
     "a headers Middleware (customResponseHeaders)", "CORE ResponseHeaderModifier"),
    ("ingress.kubernetes.io/allowed-hosts", "restricted the allowed Host values", "a headers Middleware (allowedHosts)",
     "CORE~ hostnames"),
    ("ingress.kubernetes.io/browser-xss-filter", "added X-XSS-Protection", "a headers Middleware (browserXssFilter)",
     "CORE ResponseHeaderModifier"),
    ("ingress.kubernetes.io/content-security-policy", "set Content-Security-Policy",
     "a headers Middleware (contentSecurityPolicy)", "CORE ResponseHeaderModifier"),
    ("ingress.kubernetes.io/content-type-nosniff", "added X-Content-Type-Options: nosniff",
     "a headers Middleware (contentTypeNosniff)", "CORE ResponseHeaderModifier"),
    ("ingress.kubernetes.io/custom-browser-xss-value", "set a custom X-XSS-Protection value",
     "a headers Middleware (customBrowserXSSValue)", "CORE ResponseHeaderModifier"),
    ("ingress.kubernetes.io/custom-frame-options-value", "set X-Frame-Options",
     "a headers Middleware (customFrameOptionsValue)", "CORE ResponseHeaderModifier"),
    ("ingress.kubernetes.io/force-hsts", "sent HSTS on plain HTTP too", "a headers Middleware (forceSTSHeader)",
     "CORE ResponseHeaderModifier"),
    ("ingress.kubernetes.io/frame-deny", "sent X-Frame-Options: DENY", "a headers Middleware (frameDeny)",
     "CORE ResponseHeaderModifier"),
    ("ingress.kubernetes.io/hsts-max-age", "set the HSTS max-age", "a headers Middleware (stsSeconds)",
     "CORE ResponseHeaderModifier"),
    ("ingress.kubernetes.io/hsts-include-subdomains", "added HSTS includeSubDomains",
     "a headers Middleware (stsIncludeSubdomains)", "CORE ResponseHeaderModifier"),
    ("ingress.kubernetes.io/hsts-preload", "added HSTS preload", "a headers Middleware (stsPreload)",
     "CORE ResponseHeaderModifier"),
    ("ingress.kubernetes.io/is-development", "relaxed security headers for development",
     "a headers Middleware (isDevelopment)", "NONE"),
    ("ingress.kubernetes.io/proxy-headers", "named headers that may carry the proxied host",
     "a headers Middleware (hostsProxyHeaders)", "NONE"),
    ("ingress.kubernetes.io/public-key", "sent an HPKP header (obsolete)", "a headers Middleware (customResponseHeaders)",
     "CORE ResponseHeaderModifier"),
    ("ingress.kubernetes.io/referrer-policy", "set Referrer-Policy", "a headers Middleware (referrerPolicy)",
     "CORE ResponseHeaderModifier"),
    ("ingress.kubernetes.io/ssl-redirect", "redirected to HTTPS (301)", "a redirectScheme Middleware or entryPoint "
     "redirections", "CORE RequestRedirect"),
    ("ingress.kubernetes.io/ssl-temporary-redirect", "redirected to HTTPS (302)",
     "a redirectScheme Middleware (permanent: false)", "CORE RequestRedirect"),
    ("ingress.kubernetes.io/ssl-host", "set the host of HTTPS redirects", "a redirectRegex Middleware",
     "CORE RequestRedirect hostname"),
    ("ingress.kubernetes.io/ssl-force-host", "applied ssl-host to HTTPS requests too", "a redirectRegex Middleware",
     "CORE~ RequestRedirect"),
    ("ingress.kubernetes.io/ssl-proxy-headers", "named headers that mark a request as already HTTPS",
     "a headers Middleware (sslProxyHeaders)", "CORE~ header match"),
    ("ingress.kubernetes.io/auth-type", "chose basic, digest or forward authentication",
     "basicAuth, digestAuth or forwardAuth Middlewares", "IMPL"),
    ("ingress.kubernetes.io/auth-secret", "named the Secret with basic or digest users",
     "the secret of a basicAuth or digestAuth Middleware", "IMPL"),
    ("ingress.kubernetes.io/auth-remove-header", "dropped Authorization before the backend",
     "removeHeader of a basicAuth Middleware", "CORE RequestHeaderModifier"),
    ("ingress.kubernetes.io/auth-header-field", "named the header carrying the authenticated user",
     "headerField of a basicAuth Middleware", "NONE"),
    ("ingress.kubernetes.io/auth-url", "called a forward-auth service", "a forwardAuth Middleware",
     "EXP ExternalAuth"),
    ("ingress.kubernetes.io/auth-trust-headers", "trusted X-Forwarded-* for forward auth",
     "trustForwardHeader of a forwardAuth Middleware", "NONE"),
    ("ingress.kubernetes.io/auth-response-headers", "copied auth response headers upstream",
     "authResponseHeaders of a forwardAuth Middleware", "EXP ExternalAuth"),
    ("ingress.kubernetes.io/auth-tls-secret", "held the client certificate of the forward-auth call",
     "tls of a forwardAuth Middleware", "NONE"),
    ("ingress.kubernetes.io/auth-tls-insecure", "skipped TLS verification of the forward-auth call",
     "tls.insecureSkipVerify of a forwardAuth Middleware", "NONE"),
)


def _details(key: str, did: str, replacement: str) -> str:
    return f"""What the controller does:
    Traefik 1.7 {did}. Traefik v2 and later ignore ``{key}``.
Gateway API equivalent:
    None needed: the annotation had no effect on the running controller. The v2+ way is {replacement}.
Caveats:
    If the Ingress was written for 1.7 and the behaviour is still expected, it is missing today already.
Example:
    ``{key}`` -> not carried over (not-routing)."""


for _key, _did, _repl, _gw in ROWS:
    REGISTRY.add(AnnotationHandler(
        key=_key if "/" in _key else PREFIX + _key, prefix="" if "/" in _key else PREFIX, outcome=Outcome.NOT_ROUTING,
        doc=f"Traefik 1.7 only ({_did}); v2+ ignores it: use {_repl}.", hint=HINT, family="legacy",
        gateway_api=_gw, details=_details(_key, _did, _repl)))
