"""F5 NGINX security keys: basic auth, JWT (NGINX Plus), Policy resources, TLS settings, rate limits, snippets
and App Protect."""

from __future__ import annotations

import re
from typing import Any

from ing2gw.model import Outcome, Requirement
from ing2gw.provider import AnnotationValueError, HandlerContext, nginx_directives

from ._common import Group, handler, inert, linked, parse_flag, parse_size, parse_uint, shared, value_of

AUTH_HINT = ("Target emitters: NGINX Gateway Fabric AuthenticationFilter, Envoy Gateway SecurityPolicy (basicAuth, "
             "jwt). Until then the emitted routes are NOT protected.")
_DNS = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")


def _secret(hc: HandlerContext, value: str) -> tuple[str, str]:
    """``[namespace/]name`` of a Secret (never read)."""
    ns, sep, name = value.strip().rpartition("/")
    ns = ns if sep else hc.ingress.namespace
    if not _DNS.match(name) or (sep and not _DNS.match(ns)) or len(name) > 253:
        raise AnnotationValueError("expected the name of a Secret (DNS subdomain), optionally namespace/name")
    return ns, name


def _realm(value: str) -> str:
    if "$" in value or re.search(r'(?<!\\)"', value) or value.endswith("\\"):
        raise AnnotationValueError("a realm must not contain '$' or unescaped '\"'")
    return value


# --------------------------------------------------------------------------------------------------
# Basic auth and JWT
# --------------------------------------------------------------------------------------------------


def _basic(hc: HandlerContext) -> Any:
    def build(g: Group) -> tuple[str, dict[str, Any]] | None:
        secret = g.get("basic-auth-secret", lambda v: _secret(hc, v))
        realm = g.get("basic-auth-realm", _realm)
        if secret is None:
            return None
        return "basic-auth", {"secret_namespace": secret[0], "secret_name": secret[1], "secret_type": "auth-file",
                              "realm": realm}

    return shared(hc, "basic-auth", build, primary="basic-auth-secret")


@handler("basic-auth-secret", Outcome.NEEDS_EMITTER, scope="server", hint=AUTH_HINT, gateway_api="IMPL")
def basic_auth_secret(hc: HandlerContext) -> None:
    """HTTP basic auth against an htpasswd Secret (type nginx.org/htpasswd): a basic-auth requirement.

    What the controller does:
        ``auth_basic`` + ``auth_basic_user_file`` from the Secret's ``htpasswd`` key (server-wide; on a
        master it covers the minions' paths).
    Gateway API equivalent:
        None in core; NGINX Gateway Fabric AuthenticationFilter (basic), Envoy Gateway SecurityPolicy.basicAuth.
    Caveats:
        The Secret is referenced, never read. The emitted routes are open until a target emitter adds it.
    Example:
        ``basic-auth-secret: users`` -> basic-auth ``secret_name: users``.
    """
    req = _basic(hc)
    linked(hc, req, f"basic auth with Secret {req.params['secret_namespace']}/{req.params['secret_name']}",
           hint=AUTH_HINT)


@handler("basic-auth-realm", Outcome.NEEDS_EMITTER, scope="server", hint=AUTH_HINT, gateway_api="IMPL")
def basic_auth_realm(hc: HandlerContext) -> None:
    """Realm of the basic-auth prompt; needs basic-auth-secret.

    What the controller does:
        The ``auth_basic`` realm string.
    Gateway API equivalent:
        ``realm`` of the basic-auth requirement.
    Caveats:
        Without basic-auth-secret NIC rejects the Ingress.
    Example:
        ``basic-auth-realm: "Staff only"`` -> ``realm: Staff only``.
    """
    if value_of(hc, "basic-auth-secret") is None:
        raise AnnotationValueError("needs nginx.org/basic-auth-secret (NIC rejects the Ingress otherwise)")
    req = _basic(hc)
    if req is None:
        inert(hc, "basic-auth-secret has an invalid value")
        return
    linked(hc, req, f"basic-auth realm {req.params['realm']!r}", hint=AUTH_HINT)


def _token(value: str) -> str:
    v = value.strip()
    if not re.fullmatch(r"\$[A-Za-z_][A-Za-z0-9_]*", v):
        raise AnnotationValueError("expected an nginx variable such as $http_token or $cookie_auth")
    return v


def _login(value: str) -> str:
    v = value.strip()
    if not re.fullmatch(r"https?://[^\s\"\\#;{}$`]+", v):
        raise AnnotationValueError("expected an http(s):// URL")
    return v


def _jwt(hc: HandlerContext) -> Any:
    def build(g: Group) -> tuple[str, dict[str, Any]] | None:
        secret = g.get("nginx.com/jwt-key", lambda v: _secret(hc, v))
        params = {"realm": g.get("nginx.com/jwt-realm", _realm), "token": g.get("nginx.com/jwt-token", _token),
                  "login_url": g.get("nginx.com/jwt-login-url", _login)}
        if secret is None:
            return None
        return "jwt-auth", {"secret_namespace": secret[0], "secret_name": secret[1], **params}

    return shared(hc, "jwt-auth", build, primary="jwt-key")


def _jwt_part(hc: HandlerContext, what: str) -> None:
    req = _jwt(hc)
    if req is None:
        inert(hc, "nginx.com/jwt-key is not set (or invalid), so no JWT validation applies")
        return
    linked(hc, req, f"{what}: part of the jwt-auth requirement (NGINX Plus)", hint=AUTH_HINT)


@handler("nginx.com/jwt-key", Outcome.NEEDS_EMITTER, scope="server", hint=AUTH_HINT, gateway_api="IMPL")
def jwt_key(hc: HandlerContext) -> None:
    """NGINX Plus: validates JWTs with the JWK in this Secret: a jwt-auth requirement.

    What the controller does:
        ``auth_jwt`` + ``auth_jwt_key_file`` (NGINX Plus only; NIC rejects the key without Plus).
    Gateway API equivalent:
        None in core; Envoy Gateway SecurityPolicy.jwt (remote or local JWKS), NGINX Gateway Fabric
        AuthenticationFilter.
    Caveats:
        The Secret is referenced, never read; the routes are open until a target adds validation.
    Example:
        ``nginx.com/jwt-key: jwk`` -> jwt-auth ``secret_name: jwk``.
    """
    _jwt_part(hc, "JWT validation")


@handler("nginx.com/jwt-realm", Outcome.NEEDS_EMITTER, scope="server", hint=AUTH_HINT, gateway_api="IMPL")
def jwt_realm(hc: HandlerContext) -> None:
    """NGINX Plus: realm of the JWT challenge.

    What the controller does:
        The ``auth_jwt`` realm.
    Gateway API equivalent:
        ``realm`` of the jwt-auth requirement.
    Caveats:
        No effect without nginx.com/jwt-key.
    Example:
        ``nginx.com/jwt-realm: api`` -> ``realm: api``.
    """
    _jwt_part(hc, "JWT realm")


@handler("nginx.com/jwt-token", Outcome.NEEDS_EMITTER, scope="server", hint=AUTH_HINT, gateway_api="IMPL")
def jwt_token(hc: HandlerContext) -> None:
    """NGINX Plus: nginx variable the token is read from (default: the Authorization bearer).

    What the controller does:
        ``auth_jwt ... token=$variable``.
    Gateway API equivalent:
        ``token`` of the jwt-auth requirement (Envoy Gateway jwt extractFrom headers, cookies, params).
    Caveats:
        No effect without nginx.com/jwt-key.
    Example:
        ``nginx.com/jwt-token: $cookie_auth`` -> ``token: $cookie_auth``.
    """
    _jwt_part(hc, "JWT location")


@handler("nginx.com/jwt-login-url", Outcome.NEEDS_EMITTER, scope="server", hint=AUTH_HINT, gateway_api="NONE")
def jwt_login_url(hc: HandlerContext) -> None:
    """NGINX Plus: where clients without a valid JWT are redirected.

    What the controller does:
        ``error_page 401 = @login_url`` redirecting to the URL.
    Gateway API equivalent:
        None; ``login_url`` of the jwt-auth requirement.
    Caveats:
        No effect without nginx.com/jwt-key.
    Example:
        ``nginx.com/jwt-login-url: https://login.example.com`` -> ``login_url``.
    """
    _jwt_part(hc, "login redirect for missing tokens")


# --------------------------------------------------------------------------------------------------
# Policy resources
# --------------------------------------------------------------------------------------------------

POLICY_HINT = ("Translate each Policy by hand: cors -> CORS filter, accessControl -> Envoy Gateway authorization, "
               "rateLimit -> NGINX Gateway Fabric RateLimitPolicy, jwt/oidc/basicAuth/apiKey -> SecurityPolicy or "
               "AuthenticationFilter, ingressMTLS -> Gateway tls.frontend, egressMTLS -> BackendTLSPolicy, "
               "externalAuth -> ExternalAuth (experimental), waf -> NGINX Gateway Fabric WAFPolicy.")


def _policies(hc: HandlerContext) -> list[str]:
    out = []
    for item in (i.strip() for i in hc.value.split(",")):
        ns, sep, name = item.rpartition("/")
        ns = ns if sep else hc.ingress.namespace
        if not _DNS.match(name) or not _DNS.match(ns):
            raise AnnotationValueError(f"{item!r} is not a Policy name (name or namespace/name)")
        out.append(f"{ns}/{name}")
    return out


def _attach(hc: HandlerContext) -> None:
    names = _policies(hc)
    hc.require("policy-attachment", {"policies": names, "api": "k8s.nginx.org/v1"}, target="route",
               message=f"NGINX Policy resources {', '.join(names)} (auth, rate limits, CORS, WAF, ...) protected these "
               "paths; ing2gw does not read Policy objects", hint=POLICY_HINT)


@handler("policies", Outcome.NEEDS_EMITTER, scope="server", hint=POLICY_HINT, gateway_api="IMPL")
def policies(hc: HandlerContext) -> None:
    """Attaches NGINX Policy resources (k8s.nginx.org/v1: auth, rate limit, CORS, WAF, ...): policy-attachment.

    What the controller does:
        Applies each listed Policy ([namespace/]name) to the Ingress's server or locations.
    Gateway API equivalent:
        Per Policy kind: cors -> CORS filter, ingressMTLS -> Gateway tls.frontend, egressMTLS ->
        BackendTLSPolicy, externalAuth -> ExternalAuth; others are implementation policies.
    Caveats:
        ing2gw does not convert Policy objects; the names are kept for targets and for you.
    Example:
        ``policies: rate-limit-policy`` -> policy-attachment ``policies: [shop/rate-limit-policy]``.
    """
    _attach(hc)


@handler("nginx.com/policies", Outcome.NEEDS_EMITTER, scope="server", hint=POLICY_HINT, gateway_api="IMPL")
def policies_plus(hc: HandlerContext) -> None:
    """NGINX Plus form of nginx.org/policies.

    What the controller does:
        As nginx.org/policies, accepted only with NGINX Plus.
    Gateway API equivalent:
        As nginx.org/policies.
    Caveats:
        As nginx.org/policies.
    Example:
        ``nginx.com/policies: jwt-policy`` -> policy-attachment.
    """
    _attach(hc)


# --------------------------------------------------------------------------------------------------
# TLS settings
# --------------------------------------------------------------------------------------------------


@handler("ssl-ciphers", Outcome.NEEDS_EMITTER, scope="server", gateway_api="IMPL",
         hint="Target emitters: Envoy Gateway ClientTrafficPolicy.tls.ciphers; Gateway listener tls.options.")
def ssl_ciphers(hc: HandlerContext) -> None:
    """Ciphers offered to clients on this host: a tls-settings requirement.

    What the controller does:
        ``ssl_ciphers`` in the server.
    Gateway API equivalent:
        None in core (listener ``tls.options`` is implementation-specific); Envoy Gateway
        ClientTrafficPolicy.tls.ciphers.
    Caveats:
        Cipher names are OpenSSL's; Envoy uses BoringSSL names.
    Example:
        ``ssl-ciphers: "HIGH:!aNULL"`` -> tls-settings ``ciphers: HIGH:!aNULL``.
    """
    v = hc.value.strip()
    if not v or re.search(r"[\s;{}$\"]", v):
        raise AnnotationValueError("expected an OpenSSL cipher string such as HIGH:!aNULL:!MD5")
    hosts = sorted({r.host for r in hc.ingress.rules if r.host})
    hc.require("tls-settings", {"ciphers": v, "protocols": None, "hosts": hosts}, target="route",
               message=f"TLS ciphers {v} for {', '.join(hosts) or 'the host'}")


@handler("ssl-prefer-server-ciphers", Outcome.UNSUPPORTED, scope="server", gateway_api="NONE")
def ssl_prefer_server_ciphers(hc: HandlerContext) -> None:
    """Prefers the server's cipher order over the client's.

    What the controller does:
        ``ssl_prefer_server_ciphers on``.
    Gateway API equivalent:
        None.
    Caveats:
        ``"false"`` is the default and needs nothing.
    Example:
        ``ssl-prefer-server-ciphers: "true"`` -> unsupported.
    """
    if not parse_flag(hc.value):
        hc.state(Outcome.TRANSLATED, "\"false\" is the default: nothing to carry over")
        return
    hc.state(Outcome.UNSUPPORTED, "server cipher preference has no Gateway API or common policy setting",
             hint="Most Gateway data planes prefer the server order already; check yours.")


# --------------------------------------------------------------------------------------------------
# Rate limits
# --------------------------------------------------------------------------------------------------

RATE_HINT = ("Target emitters: NGINX Gateway Fabric RateLimitPolicy (the same fields), Envoy Gateway "
             "BackendTrafficPolicy.rateLimit. NIC counted per controller replica unless limit-req-scale.")
_RATE = re.compile(r"^(\d+)r/([sm])$")
_KEY = re.compile(r"^(\$\{[a-zA-Z_][a-zA-Z0-9_]*\}|\$[a-zA-Z_][a-zA-Z0-9_]*)+$")


def _rate(value: str) -> tuple[int, str]:
    m = _RATE.match(value.strip())
    if not m or int(m.group(1)) == 0:
        raise AnnotationValueError("expected a rate such as 10r/s or 300r/m")
    return int(m.group(1)), "Second" if m.group(2) == "s" else "Minute"


def _key(value: str) -> str:
    v = value.strip()
    if not _KEY.match(v):
        raise AnnotationValueError("expected nginx variables such as ${binary_remote_addr} or $http_x_api_key")
    return v


def _level(value: str) -> str:
    v = value.strip()
    if v not in ("info", "notice", "warn", "error"):
        raise AnnotationValueError("expected info, notice, warn or error")
    return v


def _code(value: str) -> int:
    n = parse_uint(value)
    if not 400 <= n <= 599:
        raise AnnotationValueError("expected a status code from 400 to 599")
    return n


def _limits(hc: HandlerContext) -> Any:
    def build(g: Group) -> tuple[str, dict[str, Any]] | None:
        rate = g.get("limit-req-rate", _rate)
        key = g.get("limit-req-key", _key)
        burst = g.get("limit-req-burst", parse_uint)
        params = {
            "per": "client-ip" if key in (None, "${binary_remote_addr}", "$binary_remote_addr") else "key",
            "key": key, "exempt_cidrs": [],
            "delay": g.get("limit-req-delay", parse_uint),
            "nodelay": g.get("limit-req-no-delay", parse_flag, False),
            "dry_run": g.get("limit-req-dry-run", parse_flag, False),
            "zone_size": g.get("limit-req-zone-size", parse_size),
            "log_level": g.get("limit-req-log-level", _level),
            "status_code": g.get("limit-req-reject-code", _code, 429),
            "scale": g.get("limit-req-scale", parse_flag, False),
        }
        if rate is None:
            return None
        limit = {"requests": rate[0], "unit": rate[1], "burst": burst}
        return "rate-limit", {"requests": rate[0], "unit": rate[1], "burst": burst, **params, "limits": [limit]}

    return shared(hc, "rate-limit", build, primary="limit-req-rate")


def _limit_part(hc: HandlerContext, what: str) -> None:
    req = _limits(hc)
    if req is None:
        inert(hc, "nginx.org/limit-req-rate is not set (or invalid), so no request limit applies")
        return
    linked(hc, req, f"{what}: part of the rate-limit requirement ({req.params['requests']}/"
           f"{req.params['unit'].lower()} per {'client address' if req.params['per'] == 'client-ip' else 'key'})",
           hint=RATE_HINT)


def _limit(name: str, doc: str, what: str, gateway_api: str = "IMPL") -> None:
    def fn(hc: HandlerContext) -> None:
        _limit_part(hc, what)

    fn.__doc__ = doc
    fn.__name__ = fn.__qualname__ = name.replace("-", "_")
    handler(name, Outcome.NEEDS_EMITTER, hint=RATE_HINT, gateway_api=gateway_api)(fn)


_limit("limit-req-rate", """Request rate limit per client address (Nr/s or Nr/m), one zone per Ingress: rate-limit.

    What the controller does:
        ``limit_req_zone <key> rate=<rate>`` plus ``limit_req`` in each location; rejected requests get
        limit-req-reject-code (429).
    Gateway API equivalent:
        None in core; NGINX Gateway Fabric RateLimitPolicy has the same fields, Envoy Gateway
        BackendTrafficPolicy.rateLimit (local).
    Caveats:
        Counted per controller replica (see limit-req-scale). Copied to minions that do not set it.
    Example:
        ``limit-req-rate: 10r/s`` -> rate-limit ``requests: 10, unit: Second, status_code: 429``.
    """, "request rate")
_limit("limit-req-key", """What the rate limit counts by (nginx variables; ${binary_remote_addr} by default).

    What the controller does:
        The key of ``limit_req_zone``.
    Gateway API equivalent:
        ``key`` of the rate-limit requirement (``per: key`` when not the client address).
    Caveats:
        Targets may not support every nginx variable.
    Example:
        ``limit-req-key: $http_x_api_key`` -> ``per: key, key: $http_x_api_key``.
    """, "limit key")
_limit("limit-req-zone-size", """Size of the rate-limit counter zone (10m by default).

    What the controller does:
        The ``limit_req_zone`` size.
    Gateway API equivalent:
        ``zone_size`` of the rate-limit requirement.
    Caveats:
        nginx memory tuning.
    Example:
        ``limit-req-zone-size: 20m`` -> ``zone_size: 20971520``.
    """, "zone size")
_limit("limit-req-delay", """Requests served without delay before excess ones are delayed (0 by default).

    What the controller does:
        ``limit_req ... delay=<n>``.
    Gateway API equivalent:
        ``delay`` of the rate-limit requirement (NGINX Gateway Fabric RateLimitPolicy delay).
    Caveats:
        Envoy token buckets do not delay requests.
    Example:
        ``limit-req-delay: "5"`` -> ``delay: 5``.
    """, "delay threshold")
_limit("limit-req-no-delay", """Rejects excess requests at once instead of delaying them.

    What the controller does:
        ``limit_req ... nodelay``.
    Gateway API equivalent:
        ``nodelay`` of the rate-limit requirement.
    Caveats:
        Envoy rejects at once anyway.
    Example:
        ``limit-req-no-delay: "true"`` -> ``nodelay: true``.
    """, "no delay")
_limit("limit-req-burst", """Burst of excess requests queued or allowed above the rate.

    What the controller does:
        ``limit_req ... burst=<n>``.
    Gateway API equivalent:
        ``burst`` of the rate-limit requirement.
    Caveats:
        None beyond the rate limit's.
    Example:
        ``limit-req-burst: "20"`` -> ``burst: 20``.
    """, "burst")
_limit("limit-req-dry-run", """Logs the rate limit without enforcing it.

    What the controller does:
        ``limit_req_dry_run on``.
    Gateway API equivalent:
        ``dry_run`` of the rate-limit requirement (NGINX Gateway Fabric RateLimitPolicy dryRun).
    Caveats:
        A target without dry run would enforce the limit: check before applying.
    Example:
        ``limit-req-dry-run: "true"`` -> ``dry_run: true``.
    """, "dry run")
_limit("limit-req-log-level", """Log level of limited requests (info, notice, warn, error).

    What the controller does:
        ``limit_req_log_level``.
    Gateway API equivalent:
        ``log_level`` of the rate-limit requirement.
    Caveats:
        Logging only.
    Example:
        ``limit-req-log-level: warn`` -> ``log_level: warn``.
    """, "log level")
_limit("limit-req-reject-code", """Status returned to limited clients (429 by default).

    What the controller does:
        ``limit_req_status``.
    Gateway API equivalent:
        ``status_code`` of the rate-limit requirement.
    Caveats:
        Envoy Gateway answers 429 and cannot change it.
    Example:
        ``limit-req-reject-code: "503"`` -> ``status_code: 503``.
    """, "reject code")
_limit("limit-req-scale", """Divides the rate among the controller replicas so the total matches the limit.

    What the controller does:
        Rate / number of NIC pods in each pod's zone.
    Gateway API equivalent:
        None; ``scale`` of the rate-limit requirement tells targets the limit was meant in total.
    Caveats:
        A global (shared) target limit matches it best.
    Example:
        ``limit-req-scale: "true"`` -> ``scale: true``.
    """, "scaled by replicas", gateway_api="NONE")


# --------------------------------------------------------------------------------------------------
# Snippets and App Protect
# --------------------------------------------------------------------------------------------------

SNIPPET_NOTE = ("NIC applies snippets only when started with -enable-snippets (otherwise it rejects the whole "
                "Ingress); ing2gw cannot see that flag")


def _snippet(hc: HandlerContext, context: str, what: str, instead: str) -> None:
    names = nginx_directives(hc.value)
    uses = f" (directives: {', '.join(names[:12])}{', ...' if len(names) > 12 else ''})" if names else ""
    req = Requirement(feature="snippet", params={"context": context, "text": hc.value}, source=hc.source,
                      target="rule" if context == "location" else "route", id=hc.ctx.next_id("snippet"))
    if req.target == "rule":
        for r in hc.translation.routes:
            r.requirements.append(req)
    else:
        hc.translation.requirements.append(req)
    hc.state(Outcome.UNSUPPORTED, f"{what}{uses}: raw nginx configuration has no Gateway API equivalent; "
             f"{SNIPPET_NOTE}", requirement=req,
             hint=f"Instead, {instead}. An emitter run with --allow-snippets may carry the text as is (review it).")


@handler("location-snippets", Outcome.UNSUPPORTED, hint="Re-express the directives; see ing2gw explain.",
         gateway_api="IMPL")
def location_snippets(hc: HandlerContext) -> None:
    """Raw nginx configuration in each location of this Ingress: unsupported, kept for --allow-snippets.

    What the controller does:
        Pastes the lines into every location (with -enable-snippets); copied to minions without their own.
    Gateway API equivalent:
        None. Common directives map by hand: add_header -> ResponseHeaderModifier, proxy_set_header ->
        RequestHeaderModifier, return 30x -> RequestRedirect, rewrite -> URLRewrite.
    Caveats:
        Unsupported (``--strict`` fails); the text is kept in a snippet requirement (context location) for
        an NGINX Gateway Fabric SnippetsFilter.
    Example:
        ``location-snippets: add_header X-Frame-Options DENY;`` -> unsupported.
    """
    _snippet(hc, "location", "location snippet", "re-express its directives with Gateway API filters where they map, "
             "otherwise use an NGINX Gateway Fabric SnippetsFilter after review")


@handler("server-snippets", Outcome.UNSUPPORTED, scope="server", hint="Re-express the directives; see ing2gw explain.",
         gateway_api="IMPL")
def server_snippets(hc: HandlerContext) -> None:
    """Raw nginx configuration in the server of the host: unsupported, kept for --allow-snippets.

    What the controller does:
        Pastes the lines into the server block (with -enable-snippets); ignored on minions.
    Gateway API equivalent:
        None; NGINX Gateway Fabric SnippetsPolicy for the host after review.
    Caveats:
        Unsupported (``--strict`` fails); text kept in a snippet requirement (context server).
    Example:
        ``server-snippets: "location /health { return 200; }"`` -> unsupported.
    """
    _snippet(hc, "server", "server snippet", "re-express it per route, or use an NGINX Gateway Fabric SnippetsPolicy "
             "after review")


WAF_HINT = ("Re-create the policy for the Gateway: NGINX Gateway Fabric WAFPolicy (F5 WAF for NGINX) reads "
            "App Protect policy bundles.")


def _waf(hc: HandlerContext) -> Any:
    def build(g: Group) -> tuple[str, dict[str, Any]] | None:
        on = g.get("appprotect.f5.com/app-protect-enable", parse_flag, False)
        if not on:
            return None
        return "waf", {"engine": "f5-app-protect", "rules": value_of(hc, "appprotect.f5.com/app-protect-policy"),
                       "owasp_crs": False, "transaction_id": None,
                       "log": g.get("appprotect.f5.com/app-protect-security-log-enable", parse_flag, False),
                       "log_configs": value_of(hc, "appprotect.f5.com/app-protect-security-log"),
                       "log_destinations": value_of(hc, "appprotect.f5.com/app-protect-security-log-destination")}

    return shared(hc, "waf", build, primary="appprotect.f5.com/app-protect-enable", target="route")


def _waf_part(hc: HandlerContext, what: str) -> None:
    req = _waf(hc)
    if req is None:
        inert(hc, "appprotect.f5.com/app-protect-enable is not \"true\"")
        return
    hc.state(Outcome.UNSUPPORTED, f"{what}: F5 App Protect WAF has no Gateway API equivalent; kept in the waf "
             "requirement (NIC applies it only with NGINX Plus and App Protect installed)", hint=WAF_HINT,
             requirement=req)


def _qualified(value: str) -> str:
    for item in (i.strip() for i in value.split(",")):
        ns, _, name = item.rpartition("/")
        if not _DNS.match(name) or (ns and not _DNS.match(ns)):
            raise AnnotationValueError(f"{item!r} is not [namespace/]name")
    return value


@handler("appprotect.f5.com/app-protect-enable", Outcome.UNSUPPORTED, scope="server", hint=WAF_HINT,
         gateway_api="IMPL")
def app_protect_enable(hc: HandlerContext) -> None:
    """Turns on the F5 App Protect WAF for the host: unsupported, kept in a waf requirement.

    What the controller does:
        ``app_protect_enable on`` (NGINX Plus with App Protect; NIC rejects the key otherwise).
    Gateway API equivalent:
        None; NGINX Gateway Fabric WAFPolicy.
    Caveats:
        Unsupported (``--strict`` fails): the routes are unprotected until a WAF is set up.
    Example:
        ``appprotect.f5.com/app-protect-enable: "true"`` -> unsupported, waf requirement.
    """
    _waf_part(hc, "WAF enabled")


@handler("appprotect.f5.com/app-protect-policy", Outcome.UNSUPPORTED, scope="server", hint=WAF_HINT,
         gateway_api="IMPL")
def app_protect_policy(hc: HandlerContext) -> None:
    """The APPolicy ([namespace/]name) of the WAF.

    What the controller does:
        ``app_protect_policy_file`` from the APPolicy resource.
    Gateway API equivalent:
        None; ``rules`` of the waf requirement.
    Caveats:
        No effect without app-protect-enable.
    Example:
        ``appprotect.f5.com/app-protect-policy: default/dataguard`` -> ``rules: default/dataguard``.
    """
    _qualified(hc.value)
    _waf_part(hc, "WAF policy")


@handler("appprotect.f5.com/app-protect-security-log-enable", Outcome.UNSUPPORTED, scope="server", hint=WAF_HINT,
         gateway_api="IMPL")
def app_protect_log_enable(hc: HandlerContext) -> None:
    """Turns on the WAF security log.

    What the controller does:
        ``app_protect_security_log_enable on``.
    Gateway API equivalent:
        None; ``log`` of the waf requirement.
    Caveats:
        No effect without app-protect-enable.
    Example:
        ``appprotect.f5.com/app-protect-security-log-enable: "true"`` -> ``log: true``.
    """
    _waf_part(hc, "WAF security log")


@handler("appprotect.f5.com/app-protect-security-log", Outcome.UNSUPPORTED, scope="server", hint=WAF_HINT,
         gateway_api="IMPL")
def app_protect_log(hc: HandlerContext) -> None:
    """WAF log configurations (APLogConf [namespace/]name list).

    What the controller does:
        ``app_protect_security_log`` per configuration.
    Gateway API equivalent:
        None; ``log_configs`` of the waf requirement.
    Caveats:
        No effect without app-protect-enable.
    Example:
        ``appprotect.f5.com/app-protect-security-log: default/logconf`` -> ``log_configs``.
    """
    _qualified(hc.value)
    _waf_part(hc, "WAF log configuration")


@handler("appprotect.f5.com/app-protect-security-log-destination", Outcome.UNSUPPORTED, scope="server",
         hint=WAF_HINT, gateway_api="IMPL")
def app_protect_log_destination(hc: HandlerContext) -> None:
    """WAF log destinations (syslog:server=host:port, stderr, or a file).

    What the controller does:
        The destination of each security log.
    Gateway API equivalent:
        None; ``log_destinations`` of the waf requirement.
    Caveats:
        No effect without app-protect-enable.
    Example:
        ``appprotect.f5.com/app-protect-security-log-destination: syslog:server=10.0.0.1:514``.
    """
    if not hc.value.strip():
        raise AnnotationValueError("expected a log destination such as syslog:server=host:port")
    _waf_part(hc, "WAF log destination")


@handler("appprotectdos.f5.com/app-protect-dos-resource", Outcome.UNSUPPORTED, scope="server", gateway_api="NONE")
def app_protect_dos(hc: HandlerContext) -> None:
    """Turns on App Protect DoS with this DosProtectedResource ([namespace/]name).

    What the controller does:
        Applies the DoS protection of the resource to the host (NGINX Plus with App Protect DoS).
    Gateway API equivalent:
        None found on the Gateway side.
    Caveats:
        Unsupported: plan DoS protection in front of the Gateway.
    Example:
        ``appprotectdos.f5.com/app-protect-dos-resource: default/dos`` -> unsupported.
    """
    _qualified(hc.value)
    hc.state(Outcome.UNSUPPORTED, f"App Protect DoS ({hc.value.strip()}) has no Gateway API or Gateway policy "
             "equivalent", hint="Protect the Gateway with a DoS service in front of it.")
