"""ingress-nginx authentication: external auth (auth-url), basic/digest auth, client certificates.

External auth becomes the Gateway API ``ExternalAuth`` filter (experimental channel, v1.4+) when the
auth URL names an in-cluster Service; otherwise an ``external-auth`` requirement. Basic auth becomes a
``basic-auth`` requirement that names the Secret (its data is never read); client certificates a
``client-certificate`` requirement.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from ing2gw.model import BackendRef, ExternalAuth, Outcome, RequestRedirect, Requirement
from ing2gw.provider import AnnotationValueError, HandlerContext

from . import PREFIX
from ._policy import (
    Parsed,
    config_known,
    config_value,
    hosts_of,
    inert,
    linked,
    parse_count,
    parse_flag,
    policy,
    present,
    raise_own_error,
    shared_requirement,
    value_of,
)
from .snippets import state_snippet

_METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "CONNECT", "OPTIONS", "TRACE"}
_HEADER = re.compile(r"^[A-Za-z0-9_-]+$")
_GATEWAY_PATH = re.compile(r"^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|%[0-9a-fA-F]{2})+$")
_NAME = re.compile(r"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")

EXT_AUTH_HINT = ("Use --channel experimental with --gateway-api-version v1.4 or later for the ExternalAuth "
                 "filter, or a target emitter (Envoy Gateway SecurityPolicy.extAuth).")


# --------------------------------------------------------------------------------------------------
# External auth (auth-url and friends)
# --------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _ExtAuth:
    """How this Ingress's auth-url is carried over, computed once per Ingress."""

    mode: str  # "filter", "requirement", "none" (no auth-url), "invalid"
    why: str = ""  # why not the filter (requirement mode) or why invalid
    requirement: Requirement | None = None
    filter: ExternalAuth | None = None
    service: dict[str, Any] | None = None
    caveats: list[str] = field(default_factory=list)


def parse_auth_url(value: str) -> tuple[str, str, int | None, str, str]:
    """(scheme, host, port, path, query) of an auth URL; raises for anything not an http(s) URL."""
    v = value.strip()
    if not v or re.search(r"\s", v):
        raise AnnotationValueError("expected an absolute http:// or https:// URL without spaces")
    try:
        u = urlsplit(v)
        port = u.port
    except ValueError:
        raise AnnotationValueError("not a valid URL (bad port?)") from None
    if u.scheme not in ("http", "https") or not u.hostname:
        raise AnnotationValueError("expected an absolute http:// or https:// URL, such as "
                                   "http://auth.security.svc.cluster.local:8080/verify")
    return u.scheme, u.hostname, port, u.path, u.query


def service_of(host: str, ingress_namespace: str, hc: HandlerContext) -> tuple[str, str] | None:
    """(namespace, name) of the in-cluster Service a URL host names, if it clearly names one.

    ``name.ns.svc`` and ``name.ns.svc.<cluster domain>`` always do; ``name.ns`` only when that Service is in
    the input (otherwise it may be a public two-label domain). A bare ``name`` resolves in the controller's
    namespace, not the Ingress's, so it is not guessed.
    """
    parts = host.lower().rstrip(".").split(".")
    if len(parts) >= 3 and parts[2] == "svc" and all(_NAME.match(p) for p in parts[:2]):
        return parts[1], parts[0]
    if len(parts) == 2 and hc.ctx.service(parts[1], parts[0]) is not None:
        return parts[1], parts[0]
    return None


def _ext_auth(hc: HandlerContext) -> _ExtAuth:
    key = "ingress-nginx/ext-auth"
    cached = hc.translation.extra.get(key)
    if isinstance(cached, _ExtAuth):
        return cached
    plan = _plan_ext_auth(hc)
    hc.translation.extra[key] = plan
    return plan


def _plan_ext_auth(hc: HandlerContext) -> _ExtAuth:
    raw = value_of(hc, "auth-url")
    url_key = PREFIX + "auth-url"
    if raw is None or raw.strip() == "":
        return _ExtAuth("none")
    try:
        scheme, host, port, path, query = parse_auth_url(raw)
    except AnnotationValueError as exc:
        return _ExtAuth("invalid", why=str(exc))
    p = Parsed(hc)
    method = p.get("auth-method", _parse_method)
    headers = p.get("auth-response-headers", _parse_headers, [])
    signin = p.get("auth-signin", _parse_url_value)
    redirect_param = p.get("auth-signin-redirect-param", _parse_param)
    hc.translation.extra["ingress-nginx/ext-auth-parsed"] = p
    ns = hc.ingress.namespace
    svc = service_of(host, ns, hc)
    port = port or (443 if scheme == "https" else 80)
    service = {"namespace": svc[0], "name": svc[1], "port": port} if svc else None
    why = ""
    if "$" in raw:
        why = "the URL uses nginx variables, which a backendRef cannot"
    elif query:
        why = "the URL has a query string, which the ExternalAuth filter cannot send"
    elif svc is None:
        why = (f"the URL host {host!r} is not an in-cluster Service name (name.namespace.svc[.cluster.local]), "
               "and the ExternalAuth filter needs a Service backendRef")
    elif path not in ("", "/") and not _GATEWAY_PATH.match(path):
        why = f"the URL path {path!r} is not a valid Gateway API path"
    elif not hc.ctx.capabilities.external_auth:
        caps = hc.ctx.capabilities
        why = (f"the ExternalAuth filter needs the experimental channel of Gateway API v1.4 or later "
               f"({caps.version} {caps.channel} chosen)")
    if svc is not None and not why:
        known = hc.ctx.service(svc[0], svc[1])
        if known is not None and known.ports and port not in {sp.port for sp in known.ports}:
            ports = ", ".join(str(sp.port) for sp in known.ports)
            why = f"Service {svc[0]}/{svc[1]} has no port {port} (ports: {ports})"
    if why:
        params: dict[str, Any] = {"url": raw.strip(), "method": method, "response_headers": headers,
                                  "signin_url": signin, "service": service,
                                  "signin_redirect_param": redirect_param}
        req = Requirement(feature="external-auth", params=params, source=hc.ingress.source.at(annotation=url_key),
                          target="rule", id=hc.ctx.next_id("external-auth"))
        for r in hc.translation.routes:
            r.requirements.append(req)
        return _ExtAuth("requirement", why=why, requirement=req, service=service)
    assert svc is not None
    backend = BackendRef(name=svc[1], port=port, namespace=svc[0] if svc[0] != ns else None)
    flt = ExternalAuth(source=hc.ingress.source.at(annotation=url_key), protocol="HTTP", backend=backend,
                       path=path if path not in ("", "/") else None,
                       # nginx sends every client header to the auth service; the filter only Host, Method,
                       # Path, Content-Length, Authorization and the listed ones. Cookie carries the session
                       # of the usual auth services (oauth2-proxy and the like).
                       allowed_headers=("Cookie",),
                       allowed_response_headers=tuple(headers))
    plan = _ExtAuth("filter", filter=flt, service=service)
    if svc[0] != ns:
        plan.caveats.append(f"the auth Service is in namespace {svc[0]}: create a ReferenceGrant there that "
                            f"lets HTTPRoutes from namespace {ns} reference Services")
    if scheme == "https":
        plan.caveats.append("the auth URL is https: add a BackendTLSPolicy for the auth Service (nginx did not "
                            "verify its certificate)")
    for r in hc.translation.routes:
        # nginx answers return/redirect locations before the auth phase: no auth on redirect-only rules.
        if any(isinstance(f, RequestRedirect) for f in r.filters):
            continue
        r.filters.append(flt)
    return plan


def _parse_method(value: str) -> str:
    v = value.strip().upper()
    if v not in _METHODS:
        raise AnnotationValueError(f"expected an HTTP method ({', '.join(sorted(_METHODS))})")
    return v


def _parse_headers(value: str) -> list[str]:
    out: list[str] = []
    for h in (x.strip() for x in value.split(",")):
        if not h:
            continue
        if not _HEADER.match(h):
            raise AnnotationValueError(f"{h!r} is not a header name (letters, digits, - and _)")
        if h not in out:
            out.append(h)
    return out


def _parse_url_value(value: str) -> str:
    v = value.strip()
    if not v or re.search(r"\s", v):
        raise AnnotationValueError("expected a URL without spaces")
    return v


def _parse_param(value: str) -> str:
    v = value.strip()
    if not re.fullmatch(r"[A-Za-z0-9_.-]+", v):
        raise AnnotationValueError("expected a query parameter name such as rd")
    return v


def _ext_parsed(hc: HandlerContext) -> Parsed | None:
    p = hc.translation.extra.get("ingress-nginx/ext-auth-parsed")
    return p if isinstance(p, Parsed) else None


def _needs_auth_url(hc: HandlerContext, name: str, parse: Any = None) -> _ExtAuth | None:
    """The auth-url plan, or None after stating this key inert (no or invalid auth-url)."""
    plan = _ext_auth(hc)
    p = _ext_parsed(hc)
    if p is not None:
        raise_own_error(hc, p, name)
    if parse is not None:
        parse(hc.value)  # a bad value is reported whatever auth-url says
    if plan.mode == "none":
        inert(hc, "it only configures external auth, and auth-url is not set")
        return None
    if plan.mode == "invalid":
        inert(hc, "auth-url is invalid, so external auth is not configured (ingress-nginx answers 503 instead)")
        return None
    return plan


@policy("auth-url", Outcome.CAVEAT, features=("HTTPRouteExternalAuthHTTP",), hint=EXT_AUTH_HINT)
def auth_url(hc: HandlerContext) -> None:
    """External auth service (nginx auth_request): ExternalAuth filter, or an external-auth requirement.

    What the controller does:
        Before proxying, sends a subrequest (no body, every client header, plus X-Original-URL,
        X-Original-Method and friends) to exactly this URL. 2xx lets the request through, 401/403 are
        returned to the client (401 becomes a redirect with auth-signin), anything else is a 500.
    Gateway API equivalent:
        The ExternalAuth filter (experimental channel, v1.4+) with ``protocol: HTTP`` and a backendRef to
        the Service the URL names (``http://NAME.NAMESPACE.svc[.cluster.local][:PORT]/PATH``). Other URLs,
        older versions and the standard channel get an ``external-auth`` requirement instead.
    Caveats:
        The filter's ``http.path`` is a PREFIX: the auth service receives PATH followed by the original
        request path (``/verify/app/page``), where nginx called ``/verify`` itself; the service must accept
        that. Only 200 allows (nginx: any 2xx). Only Host, Method, Path, Content-Length, Authorization and
        ``allowedHeaders`` (ing2gw lists Cookie) reach the auth service. Without auth-response-headers the
        filter copies every auth response header upstream (nginx copied none). Redirect-only rules get no
        filter, as nginx redirects before authenticating.
    Example:
        ``auth-url: http://oauth2-proxy.auth.svc.cluster.local:4180/oauth2/auth`` -> ExternalAuth backendRef
        ``auth/oauth2-proxy:4180``, ``http.path: /oauth2/auth`` (plus a ReferenceGrant in ``auth``).
    """
    plan = _ext_auth(hc)
    if plan.mode == "invalid":
        raise AnnotationValueError(f"{plan.why}; ingress-nginx denies this Ingress's paths (503) in that case")
    if plan.mode == "requirement":
        assert plan.requirement is not None
        hc.state(Outcome.NEEDS_EMITTER,
                 f"external auth kept as an external-auth requirement: {plan.why}. The emitted routes are NOT "
                 "protected until a target emitter or a hand-written policy adds the auth check",
                 hint=EXT_AUTH_HINT, requirement=plan.requirement, features=())
        return
    if plan.mode != "filter":
        return
    caveats = ["http.path is a prefix: the auth service gets it followed by the original request path, while "
               "nginx called the URL's path exactly",
               "only status 200 allows (nginx allowed any 2xx)",
               "of the client headers only Host, Method, Path, Content-Length, Authorization and Cookie are sent "
               "(nginx sent all)"]
    parsed = _ext_parsed(hc)
    if not (parsed and parsed.values.get("auth-response-headers")):
        caveats.append("every auth response header is copied upstream (nginx copied none without "
                       "auth-response-headers)")
    caveats.extend(plan.caveats)
    hc.state(Outcome.CAVEAT, "became an ExternalAuth filter on every rule of this Ingress; " + "; ".join(caveats),
             emitted=("HTTPRoute filter ExternalAuth",))


@policy("auth-method", Outcome.UNSUPPORTED, hint=EXT_AUTH_HINT)
def auth_method(hc: HandlerContext) -> None:
    """HTTP method of the auth subrequest: no filter field; kept in the external-auth requirement.

    What the controller does:
        Sends the auth subrequest with this method instead of the client's.
    Gateway API equivalent:
        None: the ExternalAuth filter always forwards the client's method.
    Caveats:
        With the filter it is unsupported; with an external-auth requirement it becomes its ``method``.
    Example:
        ``auth-method: GET`` -> unsupported next to an ExternalAuth filter.
    """
    plan = _needs_auth_url(hc, "auth-method", _parse_method)
    if plan is None:
        return
    if plan.mode == "requirement" and plan.requirement is not None:
        linked(hc, plan.requirement, f"auth subrequest method {hc.value.strip().upper()}: part of the "
               "external-auth requirement", hint=EXT_AUTH_HINT)
        return
    hc.state(Outcome.UNSUPPORTED, "the ExternalAuth filter forwards the client's method; the auth service gets "
             f"that instead of {hc.value.strip().upper()}",
             hint="Make the auth service accept any method, or use a target emitter.")


@policy("auth-response-headers", Outcome.TRANSLATED, hint=EXT_AUTH_HINT)
def auth_response_headers(hc: HandlerContext) -> None:
    """Auth response headers copied to the upstream request: ExternalAuth allowedResponseHeaders.

    What the controller does:
        Copies the listed headers of the auth service's 2xx response into the proxied request.
    Gateway API equivalent:
        ``externalAuth.http.allowedResponseHeaders`` (experimental), or ``response_headers`` of the
        external-auth requirement.
    Caveats:
        None beyond auth-url's.
    Example:
        ``auth-response-headers: X-Auth-Request-User, X-Auth-Request-Email`` -> allowedResponseHeaders.
    """
    plan = _needs_auth_url(hc, "auth-response-headers", _parse_headers)
    if plan is None:
        return
    if plan.mode == "requirement" and plan.requirement is not None:
        linked(hc, plan.requirement, "headers copied from the auth response: part of the external-auth requirement",
               hint=EXT_AUTH_HINT)
        return
    hc.state(Outcome.TRANSLATED, "became allowedResponseHeaders of the ExternalAuth filter",
             emitted=("HTTPRoute filter ExternalAuth http.allowedResponseHeaders",))


@policy("auth-signin", Outcome.UNSUPPORTED, hint="Use the implementation's OIDC policy, or a target emitter.")
def auth_signin(hc: HandlerContext) -> None:
    """Sign-in page for unauthenticated clients: no filter field; kept in the external-auth requirement.

    What the controller does:
        When the auth service answers 401, redirects the client to this URL with ``rd=<original URL>``
        (the oauth2-proxy pattern).
    Gateway API equivalent:
        None. The ExternalAuth filter returns the auth service's response (401) to the client. OIDC
        policies of the implementations (Envoy Gateway SecurityPolicy.oidc) replace the pattern.
    Caveats:
        Unsupported next to the filter: browsers see a 401 instead of the sign-in page. With an
        external-auth requirement it becomes ``signin_url``.
    Example:
        ``auth-signin: https://auth.example.com/oauth2/start?rd=$escaped_request_uri`` -> unsupported.
    """
    plan = _needs_auth_url(hc, "auth-signin", _parse_url_value)
    if plan is None:
        return
    if plan.mode == "requirement" and plan.requirement is not None:
        linked(hc, plan.requirement, "sign-in redirect on 401: part of the external-auth requirement",
               hint=EXT_AUTH_HINT)
        return
    hc.state(Outcome.UNSUPPORTED, "the ExternalAuth filter cannot redirect to a sign-in page: clients get the auth "
             "service's 401 instead", hint="Let the auth service answer with the redirect itself, or use the "
             "implementation's OIDC policy (Envoy Gateway SecurityPolicy.oidc).")


@policy("auth-signin-redirect-param", Outcome.UNSUPPORTED)
def auth_signin_redirect_param(hc: HandlerContext) -> None:
    """Name of the query parameter that carries the original URL to auth-signin (default rd).

    What the controller does:
        Renames the ``rd`` parameter appended to the auth-signin URL.
    Gateway API equivalent:
        None (there is no sign-in redirect in the ExternalAuth filter).
    Caveats:
        Follows auth-signin: unsupported next to the filter, part of the requirement otherwise.
    Example:
        ``auth-signin-redirect-param: redirect_uri`` -> unsupported.
    """
    plan = _needs_auth_url(hc, "auth-signin-redirect-param", _parse_param)
    if plan is None:
        return
    if not present(hc, "auth-signin"):
        inert(hc, "auth-signin is not set")
        return
    if plan.mode == "requirement" and plan.requirement is not None:
        linked(hc, plan.requirement, "sign-in redirect parameter: part of the external-auth requirement",
               hint=EXT_AUTH_HINT)
        return
    hc.state(Outcome.UNSUPPORTED, "there is no sign-in redirect in the ExternalAuth filter to rename a parameter of")


def _unsupported_ext(hc: HandlerContext, name: str, message: str, hint: str, parse: Any = None) -> None:
    if _needs_auth_url(hc, name, parse) is None:
        return
    hc.state(Outcome.UNSUPPORTED, message, hint=hint)


@policy("auth-request-redirect", Outcome.UNSUPPORTED)
def auth_request_redirect(hc: HandlerContext) -> None:
    """X-Auth-Request-Redirect value sent to the auth service: no equivalent.

    What the controller does:
        Sets the ``X-Auth-Request-Redirect`` header of the auth subrequest (oauth2-proxy reads it as the
        post-login target).
    Gateway API equivalent:
        None: the filter cannot add headers to the auth request.
    Caveats:
        Dropped; the auth service no longer receives the header.
    Example:
        ``auth-request-redirect: https://app.example.com/`` -> unsupported.
    """
    _unsupported_ext(hc, "auth-request-redirect", "the ExternalAuth filter cannot add headers to the auth request",
                     "Configure the post-login target in the auth service instead.", _parse_url_value)


@policy("auth-proxy-set-headers", Outcome.UNSUPPORTED)
def auth_proxy_set_headers(hc: HandlerContext) -> None:
    """ConfigMap of extra headers for the auth subrequest: no equivalent.

    What the controller does:
        Adds every key/value of the named ConfigMap (``[namespace/]name``) as a header of the auth request.
    Gateway API equivalent:
        None: the filter cannot add headers to the auth request.
    Caveats:
        Dropped; the auth service no longer receives those headers.
    Example:
        ``auth-proxy-set-headers: ingress-nginx/auth-headers`` -> unsupported.
    """
    _unsupported_ext(hc, "auth-proxy-set-headers", f"headers from ConfigMap {hc.value.strip()} cannot be added to the "
                     "auth request by the ExternalAuth filter", "Have the auth service assume them, or use a "
                     "target emitter whose external auth can add headers.", _parse_ref)


@policy("auth-cache-key", Outcome.UNSUPPORTED)
def auth_cache_key(hc: HandlerContext) -> None:
    """Enables caching of auth decisions under this key: no equivalent.

    What the controller does:
        Caches the auth subrequest's answer under the given nginx expression (for auth-cache-duration).
    Gateway API equivalent:
        None: Gateway implementations ask the auth service for every request.
    Caveats:
        Dropped: the auth service sees more requests, and revoked sessions stop working at once.
    Example:
        ``auth-cache-key: $remote_user$http_authorization`` -> unsupported.
    """
    _unsupported_ext(hc, "auth-cache-key", "auth decisions are not cached: every request reaches the auth service",
                     "Size the auth service for the full request rate.")


@policy("auth-cache-duration", Outcome.UNSUPPORTED)
def auth_cache_duration(hc: HandlerContext) -> None:
    """How long cached auth decisions live (default 200 202 401 5m): no equivalent.

    What the controller does:
        ``proxy_cache_valid`` for the auth cache, only when auth-cache-key is set.
    Gateway API equivalent:
        None.
    Caveats:
        No effect without auth-cache-key.
    Example:
        ``auth-cache-duration: 200 202 10m, 401 1m`` -> unsupported.
    """
    if _needs_auth_url(hc, "auth-cache-duration") is None:
        return
    if not present(hc, "auth-cache-key"):
        inert(hc, "auth-cache-key is not set, so nothing is cached")
        return
    hc.state(Outcome.UNSUPPORTED, "auth decisions are not cached: every request reaches the auth service")


def _keepalive(hc: HandlerContext, name: str, parse: Any) -> None:
    if _needs_auth_url(hc, name, parse) is None:
        return
    hc.state(Outcome.NOT_ROUTING, "tunes nginx's connection pool to the auth service; Gateway implementations "
             "manage their own connections to backends: nothing to carry over")


@policy("auth-keepalive", Outcome.NOT_ROUTING)
def auth_keepalive(hc: HandlerContext) -> None:
    """Idle keepalive connections to the auth service (default 0): connection tuning, not carried over.

    What the controller does:
        Keeps up to N idle connections to auth-url's host open (not with nginx variables in the host).
    Gateway API equivalent:
        None needed: implementations pool backend connections themselves.
    Caveats:
        None for behaviour.
    Example:
        ``auth-keepalive: "10"`` -> not carried over.
    """
    _keepalive(hc, "auth-keepalive", parse_count)


@policy("auth-keepalive-requests", Outcome.NOT_ROUTING)
def auth_keepalive_requests(hc: HandlerContext) -> None:
    """Requests per keepalive connection to the auth service (default 1000): not carried over.

    What the controller does:
        ``keepalive_requests`` of the auth upstream.
    Gateway API equivalent:
        None needed.
    Caveats:
        None for behaviour.
    Example:
        ``auth-keepalive-requests: "100"`` -> not carried over.
    """
    _keepalive(hc, "auth-keepalive-requests", parse_count)


@policy("auth-keepalive-timeout", Outcome.NOT_ROUTING)
def auth_keepalive_timeout(hc: HandlerContext) -> None:
    """Idle timeout of keepalive connections to the auth service (default 60 s): not carried over.

    What the controller does:
        ``keepalive_timeout`` of the auth upstream.
    Gateway API equivalent:
        None needed.
    Caveats:
        None for behaviour.
    Example:
        ``auth-keepalive-timeout: "30"`` -> not carried over.
    """
    _keepalive(hc, "auth-keepalive-timeout", parse_count)


@policy("auth-keepalive-share-vars", Outcome.NOT_ROUTING)
def auth_keepalive_share_vars(hc: HandlerContext) -> None:
    """Share nginx variables between the request and the keepalive auth subrequest: nginx-internal.

    What the controller does:
        Lets auth subrequests over keepalive connections see the main request's variables (for snippets).
    Gateway API equivalent:
        None needed (there are no nginx variables).
    Caveats:
        None for behaviour.
    Example:
        ``auth-keepalive-share-vars: "true"`` -> not carried over.
    """
    _keepalive(hc, "auth-keepalive-share-vars", parse_flag)


@policy("auth-always-set-cookie", Outcome.UNSUPPORTED)
def auth_always_set_cookie(hc: HandlerContext) -> None:
    """Pass the auth service's Set-Cookie to the client on every status: no equivalent.

    What the controller does:
        Adds the auth response's Set-Cookie to the client response also for non-2xx upstream answers
        (by default only for 200, 201, 204, 206, 301, 302, 303, 304, 307 and 308).
    Gateway API equivalent:
        None: what the filter does with auth Set-Cookie headers is implementation-specific.
    Caveats:
        ``"false"`` is the default and needs nothing.
    Example:
        ``auth-always-set-cookie: "true"`` -> unsupported.
    """
    plan = _needs_auth_url(hc, "auth-always-set-cookie", parse_flag)
    if plan is None:
        return
    if not parse_flag(hc.value):
        hc.state(Outcome.TRANSLATED, "\"false\" is the default: nothing to carry over")
        return
    hc.state(Outcome.UNSUPPORTED, "the ExternalAuth filter has no setting for passing the auth service's Set-Cookie "
             "to the client", hint="Check what your implementation does with auth Set-Cookie headers.")


@policy("auth-snippet", Outcome.UNSUPPORTED, hint="Move what it does into the auth service.")
def auth_snippet(hc: HandlerContext) -> None:
    """Raw nginx directives in the auth subrequest location: unsupported, kept for --allow-snippets.

    What the controller does:
        Pastes the text into the internal location that calls auth-url. Critical risk: ignored unless
        snippets are allowed (see configuration-snippet).
    Gateway API equivalent:
        None.
    Caveats:
        Unsupported (``--strict`` fails); a ``snippet`` requirement (context ``auth``) keeps the text only
        when snippets may have been active. No effect without auth-url.
    Example:
        ``auth-snippet: proxy_set_header X-Api-Key "abc";`` -> unsupported.
    """
    if _needs_auth_url(hc, "auth-snippet") is None:
        return
    state_snippet(hc, "auth", "nginx directives for the auth subrequest")


@policy("enable-global-auth", Outcome.CAVEAT)
def enable_global_auth(hc: HandlerContext) -> None:
    """Opt this Ingress out of the ConfigMap's global-auth-url ("false"); default "true".

    What the controller does:
        With ``"false"``, the external auth the ConfigMap sets for all Ingresses (``global-auth-url``) is
        not applied to this Ingress.
    Gateway API equivalent:
        None in core. Global auth is a Gateway-wide policy of the implementation (Envoy Gateway
        SecurityPolicy on the Gateway); opting out means a route-level override.
    Caveats:
        ing2gw does not translate global-auth-url, so the routes carry no global auth and the opt-out
        holds; whoever adds Gateway-wide auth must exempt these routes.
    Example:
        ``enable-global-auth: "false"`` -> stated, nothing emitted.
    """
    enabled = parse_flag(hc.value)
    global_url = config_value(hc, "global-auth-url")
    if enabled:
        hc.state(Outcome.TRANSLATED, "\"true\" is the default: nothing to carry over")
        return
    if config_known(hc) and not global_url:
        inert(hc, "the controller ConfigMap sets no global-auth-url to opt out of")
        return
    hc.state(Outcome.CAVEAT, "opts this Ingress out of the global external auth (global-auth-url); ing2gw does not "
             "translate global auth, so these routes carry none", hint="If you add auth on the whole Gateway, "
             "exempt these routes.")


# --------------------------------------------------------------------------------------------------
# Basic / digest auth
# --------------------------------------------------------------------------------------------------

BASIC_HINT = ("Envoy Gateway SecurityPolicy.basicAuth wants the htpasswd under key .htpasswd with {SHA} hashes "
              "(bcrypt/apr1 entries must be re-issued); NGINX Gateway Fabric AuthenticationFilter takes htpasswd. "
              "ing2gw names the Secret and never reads it.")


def _parse_type(value: str) -> str:
    v = value.strip().lower()
    if v not in ("basic", "digest"):
        raise AnnotationValueError('expected "basic" or "digest"')
    return v


def _parse_ref(value: str) -> tuple[str | None, str]:
    v = value.strip()
    ns, sep, name = v.rpartition("/")
    if not name or (sep and not ns) or not _NAME.match(name) or (ns and not _NAME.match(ns)) or "/" in ns:
        raise AnnotationValueError("expected [namespace/]name of a Kubernetes object")
    return (ns or None), name


def _parse_secret_type(value: str) -> str:
    v = value.strip()
    if v not in ("auth-file", "auth-map"):
        raise AnnotationValueError('expected "auth-file" or "auth-map"')
    return v


def _parse_realm(value: str) -> str:
    if not re.fullmatch(r"[/A-Za-z0-9 _.,:;!?@#%&*()'+=-]*", value):
        raise AnnotationValueError("expected plain text (letters, digits, spaces and common punctuation)")
    return value


def _basic(hc: HandlerContext) -> tuple[Requirement | None, Parsed]:
    def build(p: Parsed) -> tuple[str, dict[str, Any]] | None:
        kind = p.get("auth-type", _parse_type)
        ref = p.get("auth-secret", _parse_ref)
        stype = p.get("auth-secret-type", _parse_secret_type, "auth-file")
        realm = p.get("auth-realm", _parse_realm)
        if kind != "basic" or ref is None:
            return None
        ns, name = ref
        return "basic-auth", {"secret_namespace": ns or hc.ingress.namespace, "secret_name": name,
                              "secret_type": stype, "realm": realm or None}

    return shared_requirement(hc, "basic-auth", build, primary="auth-type")


def _basic_state(hc: HandlerContext, name: str, message: str) -> None:
    req, p = _basic(hc)
    raise_own_error(hc, p, name)
    kind = p.values.get("auth-type")
    if kind == "digest":
        hc.state(Outcome.UNSUPPORTED, f"{message}: HTTP digest authentication has no equivalent in Gateway API or in "
                 "the implementations' policies", hint="Move the users to basic auth (re-issue the credentials) "
                 "or to the implementation's OIDC or JWT policy.")
        return
    if req is None:
        if kind is None:
            inert(hc, "auth-type is not set (or invalid), so no authentication is configured")
        else:
            inert(hc, "auth-secret is not set (or invalid)")
        return
    linked(hc, req, f"{message}: part of the basic-auth requirement (Secret "
           f"{req.params['secret_namespace']}/{req.params['secret_name']}); the emitted routes are NOT protected "
           "until a target emitter or a hand-written policy adds it", hint=BASIC_HINT)


@policy("auth-type", Outcome.NEEDS_EMITTER, hint=BASIC_HINT)
def auth_type(hc: HandlerContext) -> None:
    """HTTP authentication (basic or digest) with auth-secret: a basic-auth requirement.

    What the controller does:
        ``basic``: nginx auth_basic against the htpasswd in auth-secret; ``digest``: auth_digest. Without
        auth-secret the Ingress's paths answer 503.
    Gateway API equivalent:
        None in core. Envoy Gateway SecurityPolicy.basicAuth, NGINX Gateway Fabric AuthenticationFilter
        (basic). Digest: none anywhere.
    Caveats:
        Recorded as a ``basic-auth`` requirement (secret_namespace, secret_name, secret_type, realm); the
        Secret's data is never read. Envoy Gateway accepts only {SHA} htpasswd hashes.
    Example:
        ``auth-type: basic`` + ``auth-secret: basic-auth`` -> basic-auth requirement for Secret
        ``<namespace>/basic-auth``.
    """
    kind = _parse_type(hc.value)
    req, p = _basic(hc)
    if kind == "basic" and req is None and "auth-secret" not in p.errors:
        raise AnnotationValueError("auth-type needs auth-secret; without it ingress-nginx answers 503 on this "
                                   "Ingress's paths")
    if kind == "basic" and req is None:
        raise AnnotationValueError("auth-secret is invalid; ingress-nginx answers 503 on this Ingress's paths")
    _basic_state(hc, "auth-type", f"{kind} authentication")


@policy("auth-secret", Outcome.NEEDS_EMITTER, hint=BASIC_HINT)
def auth_secret(hc: HandlerContext) -> None:
    """Secret with the credentials for auth-type ([namespace/]name): referenced by the basic-auth requirement.

    What the controller does:
        Reads the htpasswd (key ``auth``) or the user map from this Secret.
    Gateway API equivalent:
        None in core; the implementation's basic-auth policy references a Secret in its own format.
    Caveats:
        ing2gw references the Secret by name and never reads its data.
    Example:
        ``auth-secret: web/basic-auth`` -> ``secret_namespace: web, secret_name: basic-auth``.
    """
    _basic_state(hc, "auth-secret", "credentials Secret")


@policy("auth-secret-type", Outcome.NEEDS_EMITTER, hint=BASIC_HINT)
def auth_secret_type(hc: HandlerContext) -> None:
    """Layout of auth-secret: auth-file (htpasswd under key auth, default) or auth-map (key per user).

    What the controller does:
        ``auth-map`` builds the htpasswd from one key per user.
    Gateway API equivalent:
        None; target emitters convert the Secret format.
    Caveats:
        Recorded as ``secret_type`` of the basic-auth requirement.
    Example:
        ``auth-secret-type: auth-map`` -> ``secret_type: auth-map``.
    """
    _basic_state(hc, "auth-secret-type", "Secret layout")


@policy("auth-realm", Outcome.NEEDS_EMITTER, hint=BASIC_HINT)
def auth_realm(hc: HandlerContext) -> None:
    """Realm shown in the WWW-Authenticate challenge: the realm of the basic-auth requirement.

    What the controller does:
        ``auth_basic "<realm>"``.
    Gateway API equivalent:
        None in core; NGINX Gateway Fabric AuthenticationFilter has a realm, Envoy Gateway does not.
    Caveats:
        Recorded as ``realm``.
    Example:
        ``auth-realm: Authentication Required`` -> ``realm: Authentication Required``.
    """
    _basic_state(hc, "auth-realm", "authentication realm")


@policy("satisfy", Outcome.TRANSLATED)
def satisfy(hc: HandlerContext) -> None:
    """Whether all (default) or any of the access checks (IP allowlist, basic auth, auth-url) must pass.

    What the controller does:
        nginx ``satisfy all|any`` over allow/deny rules, auth_basic and auth_request.
    Gateway API equivalent:
        None: filters and policies are cumulative, which is ``all``.
    Caveats:
        ``any`` with two or more checks cannot be expressed: the output requires all of them (stricter).
    Example:
        ``satisfy: any`` + ``whitelist-source-range`` + basic auth -> unsupported.
    """
    v = hc.value.strip().lower()
    if v not in ("all", "any"):
        raise AnnotationValueError('expected "all" or "any"')
    checks = []
    if present(hc, "allowlist-source-range") or present(hc, "denylist-source-range") or \
            config_value(hc, "whitelist-source-range"):
        checks.append("IP allow/deny list")
    if present(hc, "auth-type"):
        checks.append("basic/digest auth")
    if present(hc, "auth-url") or config_value(hc, "global-auth-url"):
        checks.append("external auth")
    if v == "all":
        hc.state(Outcome.TRANSLATED, "\"all\" is the default, and Gateway policies are cumulative: nothing to carry "
                 "over")
    elif len(checks) < 2:
        hc.state(Outcome.TRANSLATED, f"\"any\" over {len(checks)} access check(s) behaves like \"all\": nothing to "
                 "carry over")
    else:
        hc.state(Outcome.UNSUPPORTED, f"\"any\" of {', '.join(checks)} cannot be expressed: Gateway filters and "
                 "policies all apply, so clients must now pass every check", hint="Decide which single check "
                 "should remain, or use an implementation authorization policy that combines them.")


# --------------------------------------------------------------------------------------------------
# Client certificates (auth-tls-*)
# --------------------------------------------------------------------------------------------------

TLS_HINT = ("Gateway API v1.5+ can validate client certificates per Gateway port (Gateway spec.tls.frontend, "
            "with the CA copied into a ConfigMap); per-host settings need a target emitter (Envoy Gateway "
            "ClientTrafficPolicy.tls.clientValidation).")


def _parse_verify(value: str) -> str:
    v = value.strip()
    if v not in ("on", "off", "optional", "optional_no_ca"):
        raise AnnotationValueError('expected "on", "off", "optional" or "optional_no_ca"')
    return v


def _client_cert(hc: HandlerContext) -> tuple[Requirement | None, Parsed]:
    def build(p: Parsed) -> tuple[str, dict[str, Any]] | None:
        ref = p.get("auth-tls-secret", _parse_ref)
        mode = p.get("auth-tls-verify-client", _parse_verify, "on")
        depth = p.get("auth-tls-verify-depth", lambda v: parse_count(v, minimum=1), 1)
        passing = p.get("auth-tls-pass-certificate-to-upstream", parse_flag, False)
        p.get("auth-tls-error-page", _parse_url_value)
        p.get("auth-tls-match-cn", _parse_cn)
        if ref is None or mode == "off":
            return None
        ns, name = ref
        return "client-certificate", {"ca_secret": f"{ns or hc.ingress.namespace}/{name}", "mode": mode,
                                      "depth": depth, "pass_to_upstream": passing, "hosts": hosts_of(hc)}

    return shared_requirement(hc, "client-certificate", build, target="gateway", primary="auth-tls-secret")


def _parse_cn(value: str) -> str:
    v = value.strip()
    if not v.startswith("CN="):
        raise AnnotationValueError("expected CN=<regular expression>")
    try:
        re.compile(v[3:])
    except re.error as exc:
        raise AnnotationValueError(f"the CN pattern is not a valid regular expression: {exc}") from None
    return v


def _tls_state(hc: HandlerContext, name: str, message: str, *, unsupported: str | None = None) -> None:
    req, p = _client_cert(hc)
    raise_own_error(hc, p, name)
    if req is None:
        if p.values.get("auth-tls-verify-client") == "off":
            inert(hc, "auth-tls-verify-client is \"off\", so client certificates are not verified")
        else:
            inert(hc, "auth-tls-secret is not set (or invalid), so client certificates are not verified")
        return
    if unsupported:
        hc.state(Outcome.UNSUPPORTED, unsupported, hint=TLS_HINT)
        return
    linked(hc, req, f"{message}: part of the client-certificate requirement (CA Secret {req.params['ca_secret']}, "
           f"mode {req.params['mode']}); ingress-nginx applies it to the whole host "
           f"({', '.join(req.params['hosts'])}), Gateway API per port", hint=TLS_HINT)


@policy("auth-tls-secret", Outcome.NEEDS_EMITTER, hint=TLS_HINT)
def auth_tls_secret(hc: HandlerContext) -> None:
    """CA Secret for client-certificate verification (mTLS) of the host: a client-certificate requirement.

    What the controller does:
        ``ssl_client_certificate`` (and ``ssl_crl`` when ca.crl exists) for the whole server (host), though
        declared on one Ingress; failures answer 400 (or auth-tls-error-page).
    Gateway API equivalent:
        Gateway ``spec.tls.frontend`` (standard from v1.5) with the CA in a ConfigMap, per port, not per
        host. Envoy Gateway ClientTrafficPolicy.tls.clientValidation per listener.
    Caveats:
        Recorded as a ``client-certificate`` requirement (ca_secret, mode, depth, pass_to_upstream, hosts)
        for the Gateway; the Secret's data is never read.
    Example:
        ``auth-tls-secret: web/ca`` -> ``ca_secret: web/ca, mode: on, depth: 1``.
    """
    _tls_state(hc, "auth-tls-secret", "client-certificate CA")


@policy("auth-tls-verify-client", Outcome.NEEDS_EMITTER, hint=TLS_HINT)
def auth_tls_verify_client(hc: HandlerContext) -> None:
    """Client certificate mode: on (default), optional, optional_no_ca or off.

    What the controller does:
        nginx ``ssl_verify_client``.
    Gateway API equivalent:
        ``on`` -> frontend validation mode AllowValidOnly; ``optional`` -> AllowInsecureFallback;
        ``optional_no_ca`` has none; ``off`` turns verification off.
    Caveats:
        Recorded as ``mode`` of the client-certificate requirement.
    Example:
        ``auth-tls-verify-client: optional`` -> ``mode: optional``.
    """
    _tls_state(hc, "auth-tls-verify-client", "client certificate mode")


@policy("auth-tls-verify-depth", Outcome.NEEDS_EMITTER, hint=TLS_HINT)
def auth_tls_verify_depth(hc: HandlerContext) -> None:
    """Maximum client certificate chain depth (default 1).

    What the controller does:
        nginx ``ssl_verify_depth``.
    Gateway API equivalent:
        None in core.
    Caveats:
        Recorded as ``depth`` of the client-certificate requirement.
    Example:
        ``auth-tls-verify-depth: "2"`` -> ``depth: 2``.
    """
    _tls_state(hc, "auth-tls-verify-depth", "chain depth")


@policy("auth-tls-pass-certificate-to-upstream", Outcome.NEEDS_EMITTER, hint=TLS_HINT)
def auth_tls_pass_certificate_to_upstream(hc: HandlerContext) -> None:
    """Send the client certificate upstream in the ssl-client-cert header.

    What the controller does:
        Adds the URL-encoded PEM of the client certificate as ``ssl-client-cert``.
    Gateway API equivalent:
        None in core; Envoy Gateway ClientTrafficPolicy.headers.xForwardedClientCert (XFCC format, a
        different header).
    Caveats:
        Recorded as ``pass_to_upstream``; backends reading ``ssl-client-cert`` must change.
    Example:
        ``auth-tls-pass-certificate-to-upstream: "true"`` -> ``pass_to_upstream: true``.
    """
    _tls_state(hc, "auth-tls-pass-certificate-to-upstream", "client certificate forwarding")


@policy("auth-tls-error-page", Outcome.UNSUPPORTED, hint=TLS_HINT)
def auth_tls_error_page(hc: HandlerContext) -> None:
    """Where to redirect clients whose certificate failed verification: no equivalent.

    What the controller does:
        Redirects (302) failed client-certificate requests to this URL instead of answering 400.
    Gateway API equivalent:
        None: Gateways reject bad certificates during the TLS handshake.
    Caveats:
        Clients get a handshake failure instead of the page.
    Example:
        ``auth-tls-error-page: https://example.com/cert-help`` -> unsupported.
    """
    _tls_state(hc, "auth-tls-error-page", "", unsupported="Gateways reject a failed client certificate during the "
               "TLS handshake, so there is no error page to redirect to")


@policy("auth-tls-match-cn", Outcome.UNSUPPORTED, hint=TLS_HINT)
def auth_tls_match_cn(hc: HandlerContext) -> None:
    """Require the client certificate subject CN to match a regex (CN=<regex>): no equivalent.

    What the controller does:
        Answers 403 when the certificate's subject does not match.
    Gateway API equivalent:
        None. Envoy Gateway can match subject alternative names, not the CN.
    Caveats:
        Dropped: any certificate signed by the CA is accepted. Prefer SAN matching in the target.
    Example:
        ``auth-tls-match-cn: CN=client-.*`` -> unsupported.
    """
    _tls_state(hc, "auth-tls-match-cn", "", unsupported="matching the client certificate's subject CN has no "
               "equivalent: every certificate the CA signed is accepted")
