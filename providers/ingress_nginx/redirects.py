"""Redirects: HTTP to HTTPS (ssl-redirect, force-ssl-redirect), permanent/temporal redirects, app-root,
from-to-www-redirect, and the nginx redirect settings that have no Gateway API counterpart."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from ing2gw.model import HeaderMatch, Outcome, PathMatch, PathModifier, RequestRedirect, RouteMatch
from ing2gw.provider import (
    AnnotationValueError,
    HandlerContext,
    IngressTranslation,
    PathRoute,
    TranslateContext,
    parse_bool,
)

from . import PREFIX, REGISTRY
from ._common import GATEWAY_API, make_redirect, note, parse_url, plan, restate, state_planned

GATEWAY_CODES = (301, 302, 303, 307, 308)


def http_redirect_code(cfg: Mapping[str, str]) -> int:
    """ConfigMap ``http-redirect-code`` (301, 302, 307 or 308; default 308)."""
    try:
        code = int(cfg.get("http-redirect-code", "308"))
    except ValueError:
        return 308
    return code if code in (301, 302, 307, 308) else 308


_FALLBACK = {308: 301, 307: 302, 303: 302}


def for_target(code: int, ctx: TranslateContext) -> tuple[int, str]:
    """The code itself when the target version has it, else the closest older one, with a note."""
    if code in ctx.capabilities.redirect_codes:
        return code, ""
    old = _FALLBACK.get(code, 302)
    return old, (f"; {code} needs Gateway API v1.5 or later, so {old} is emitted ({ctx.capabilities.version} "
                 "chosen; clients may turn POST into GET)")


def _bool(text: str | None, default: bool) -> bool:
    if text is None:
        return default
    try:
        return parse_bool(text)
    except AnnotationValueError:
        return default


# --------------------------------------------------------------------------------------------------
# HTTP -> HTTPS
# --------------------------------------------------------------------------------------------------


@REGISTRY.handler("ssl-redirect", Outcome.TRANSLATED, gateway_api=GATEWAY_API["ssl-redirect"], features=("HTTPRouteSchemeRedirect",), order=150)
def ssl_redirect(hc: HandlerContext) -> None:
    """Redirect plain HTTP to HTTPS on hosts with TLS (on by default); "false" serves plain HTTP too.

    What the controller does:
      For a host that has TLS, requests over plain HTTP get `http-redirect-code` (ConfigMap, default 308)
      to the same URL over HTTPS. On by default (ConfigMap `ssl-redirect`); `/.well-known/acme-challenge`
      is never redirected. nginx drops one trailing slash from the target unless preserve-trailing-slash.

    Gateway API equivalent:
      The rules bind to the HTTPS listener; a copy bound to the HTTP listener (parentRef sectionName)
      holds a RequestRedirect scheme https with the same status code, and no backendRefs.

    Caveats:
      Redirect codes other than 301/302 need Gateway API v1.5 (older targets get 301/302, with a note).

    Example:
      ssl-redirect: "false" -> the rules attach to both the HTTP and HTTPS listeners.
    """
    on = parse_bool(hc.value)
    hc.translation.extra["ssl_redirect"] = on
    if on:
        hc.state(Outcome.TRANSLATED, "plain-HTTP requests to this Ingress's TLS hosts are redirected to HTTPS "
                 "(rules on the HTTP listener hold only the redirect)")
    else:
        hc.state(Outcome.TRANSLATED, "no HTTP-to-HTTPS redirect: the rules serve the HTTP listener too", features=())


@REGISTRY.handler("force-ssl-redirect", Outcome.TRANSLATED, gateway_api=GATEWAY_API["force-ssl-redirect"], features=("HTTPRouteSchemeRedirect",), order=150)
def force_ssl_redirect(hc: HandlerContext) -> None:
    """Redirect plain HTTP to HTTPS even for hosts without TLS (TLS terminated in front of the controller).

    What the controller does:
      Like ssl-redirect, but also without a TLS section. With the ConfigMap `use-forwarded-headers`, the
      scheme is taken from `X-Forwarded-Proto`, so a load balancer that terminates TLS can forward plain HTTP.

    Gateway API equivalent:
      Hosts with TLS: as ssl-redirect. Hosts without TLS: with use-forwarded-headers, an extra rule on the
      HTTP listener matching header `X-Forwarded-Proto: http` redirects (the other requests are served);
      without it, the paths become redirects to HTTPS.

    Caveats:
      The HTTPS side (nginx's default certificate, or TLS in front of the Gateway) must be set up by hand.

    Example:
      force-ssl-redirect: "true" on a host without TLS -> RequestRedirect scheme https, 308.
    """
    on = parse_bool(hc.value)
    hc.translation.extra["force_ssl_redirect"] = on
    if on:
        hc.state(Outcome.TRANSLATED, "plain-HTTP requests are redirected to HTTPS, with or without TLS on the host")
    else:
        hc.state(Outcome.TRANSLATED, "no forced redirect (the ssl-redirect default still applies to TLS hosts)",
                 features=())


@REGISTRY.handler("preserve-trailing-slash", Outcome.TRANSLATED, gateway_api=GATEWAY_API["preserve-trailing-slash"], order=150)
def preserve_trailing_slash(hc: HandlerContext) -> None:
    """Keep the trailing slash in HTTPS redirects (Gateway API redirects always keep the path).

    What the controller does:
      nginx's HTTP-to-HTTPS redirect drops one trailing `/` from the request URI unless this is "true".

    Gateway API equivalent:
      RequestRedirect keeps the path as is: "true" is exactly the Gateway API behaviour.

    Caveats:
      The default stripping ("false") cannot be expressed: `/docs/` now redirects to `https://host/docs/`.

    Example:
      preserve-trailing-slash: "true" -> nothing to emit.
    """
    if parse_bool(hc.value):
        hc.state(Outcome.TRANSLATED, "Gateway API redirects keep the path as is, trailing slash included")
    else:
        hc.state(Outcome.CAVEAT, "nginx dropped one trailing slash in its HTTPS redirect; Gateway API redirects keep "
                 "the path as is (/docs/ goes to https://host/docs/)")


def _covered(host: str | None, tls_hosts: set[str]) -> bool:
    if host is None:
        return False
    return host in tls_hosts or ("." in host and "*." + host.split(".", 1)[1] in tls_hosts)


def apply_host_redirects(translations: list[IngressTranslation], ctx: TranslateContext,
                         cfg: Mapping[str, str]) -> None:
    """Set the HTTP-to-HTTPS redirect of every path, from the host's TLS and the Ingress's settings."""
    code, downgraded = for_target(http_redirect_code(cfg), ctx)
    ssl_default = _bool(cfg.get("ssl-redirect"), True)
    forwarded = _bool(cfg.get("use-forwarded-headers"), False)
    force_default = _bool(cfg.get("force-ssl-redirect"), False)
    no_redirect = tuple(x.strip() for x in cfg.get("no-tls-redirect-locations", "/.well-known/acme-challenge").split(",")
                        if x.strip())
    live = [t for t in translations if not t.passthrough and not t.extra.get("canary")]
    tls_hosts = {h for t in live for e in t.tls if e.secret_name for h in e.hosts}
    real_hosts = {r.host for t in live for r in t.routes if not r.synthetic}
    for tr in live:
        _drop_shadowed_www(tr, real_hosts)
        ssl = tr.extra.get("ssl_redirect", ssl_default)
        force = tr.extra.get("force_ssl_redirect", force_default)
        redirected: dict[str, None] = {}
        forced: dict[str, None] = {}
        for r in list(tr.routes):
            if any(isinstance(f, RequestRedirect) for f in r.filters):
                continue
            if r.path is not None and no_redirect and (r.path.path or "/").startswith(no_redirect):
                continue  # ConfigMap no-tls-redirect-locations (default /.well-known/acme-challenge)
            if _covered(r.host, tls_hosts):
                if ssl or force:
                    r.redirect_http = code
                    redirected[r.host or "*"] = None
            elif force and r.protocol != "GRPC":
                forced[r.host or "*"] = None
                redirect = RequestRedirect(source=tr.ingress.source.at(annotation=PREFIX + "force-ssl-redirect"),
                                           scheme="https", status_code=code)
                if forwarded:
                    tr.routes.append(dataclasses.replace(
                        r, match=dataclasses.replace(r.match, headers=(*r.match.headers,
                                                                      HeaderMatch("X-Forwarded-Proto", "http"))),
                        filters=[redirect], backends=[], listener="http", requirements=[], synthetic=True,
                        group="force-ssl-redirect"))
                else:
                    make_redirect(r, redirect)
        key = PREFIX + "ssl-redirect"
        if key in tr.ingress.annotations and tr.extra.get("ssl_redirect") and not redirected:
            restate(tr, key, Outcome.NOT_ROUTING, "no effect: none of this Ingress's hosts has TLS")
        force_key = PREFIX + "force-ssl-redirect"
        if redirected and key not in tr.ingress.annotations and force_key not in tr.ingress.annotations:
            note(tr, Outcome.CAVEAT if downgraded else Outcome.TRANSLATED, "ssl-redirect (controller default)",
                 f"plain-HTTP requests to {', '.join(redirected)} are redirected to HTTPS with {code}, as ingress-nginx "
                 f"does for hosts with TLS (rules on the HTTP listener hold only the redirect){downgraded}",
                 tr.ingress.source, features=("HTTPRouteSchemeRedirect",))
        elif redirected and downgraded and not forced:  # the annotation's own outcome names the code it got
            restate(tr, key if tr.extra.get("ssl_redirect") else force_key, Outcome.CAVEAT,
                    f"plain-HTTP requests to {', '.join(redirected)} are redirected to HTTPS with {code} (rules on "
                    f"the HTTP listener hold only the redirect){downgraded}")
        trail_key = PREFIX + "preserve-trailing-slash"
        if (redirected or forced) and trail_key not in tr.ingress.annotations:
            note(tr, Outcome.CAVEAT, trail_key, "nginx dropped one trailing slash in its HTTPS redirect (the default "
                 "of preserve-trailing-slash); Gateway API redirects keep the path as is (/docs/ goes to "
                 "https://host/docs/)", tr.ingress.source)
        if forced:
            how = ("a rule matching X-Forwarded-Proto: http redirects, other requests are served (use-forwarded-headers)"
                   if forwarded else "the paths are redirects to HTTPS")
            restate(tr, PREFIX + "force-ssl-redirect", Outcome.CAVEAT,
                    f"host(s) {', '.join(forced)} have no TLS in the input: {how}; the HTTPS side (nginx's default "
                    "certificate, or TLS terminated in front) needs a listener or load balancer set up by hand"
                    + downgraded,
                    hint="If TLS is terminated in front of the Gateway and plain HTTP is forwarded, a redirect without the "
                 "X-Forwarded-Proto match loops: match on that header.")


# --------------------------------------------------------------------------------------------------
# Permanent and temporal redirects
# --------------------------------------------------------------------------------------------------


def _redirect_code(hc: HandlerContext, name: str, default: int, top: int) -> int:
    text = hc.annotation(name)
    if text is None:
        return default
    try:
        code = int(text.strip())
    except ValueError:
        plan(hc.translation, name, Outcome.CAVEAT, f"invalid code {text!r}: nginx used {default}, and so does ing2gw")
        return default
    if code < 300 or code > top:
        plan(hc.translation, name, Outcome.CAVEAT, f"code {code} is outside 300-{top}: nginx used {default}, "
             "and so does ing2gw")
        return default
    if code not in GATEWAY_CODES:
        plan(hc.translation, name, Outcome.UNSUPPORTED, f"status {code} does not exist in Gateway API redirects "
             f"(301, 302, 303, 307, 308); {default} emitted instead")
        return default
    emitted, downgraded = for_target(code, hc.ctx)
    plan(hc.translation, name, Outcome.CAVEAT if downgraded else Outcome.TRANSLATED,
         f"RequestRedirect statusCode {code}{downgraded}")
    return emitted


def _url_redirect(hc: HandlerContext, code_name: str, default: int, top: int) -> None:
    u = parse_url(hc.value)
    if u.problem:
        plan(hc.translation, code_name, Outcome.NOT_ROUTING, "no effect: the redirect it belongs to is not translated")
        hc.state(Outcome.UNSUPPORTED, f"redirect target {hc.value!r}: {u.problem}",
                 hint="Write the RequestRedirect by hand; the paths still go to their backends.", features=())
        return
    code = _redirect_code(hc, code_name, default, top)
    path = None if u.keeps_request_uri else PathModifier("ReplaceFullPath", u.path or "/")
    redirect = RequestRedirect(source=hc.source, scheme=u.scheme, hostname=u.host, port=u.port, path=path,
                               status_code=code)
    for r in hc.translation.routes:
        make_redirect(r, redirect)
    extra = ""
    if u.query:
        extra = f"; the query {u.query!r} of the URL cannot be set by RequestRedirect (the request's query is kept)"
    elif not u.keeps_request_uri:
        extra = "; nginx dropped the request's query string, Gateway API implementations may keep it"
    planned = hc.translation.extra.get("planned-outcomes", {}).get(PREFIX + code_name)
    if planned is not None and planned.outcome is not Outcome.TRANSLATED:
        extra += f"; status {code} emitted (see {code_name})"
    outcome = Outcome.CAVEAT if u.query or extra.startswith("; status") or "; status" in extra else Outcome.TRANSLATED
    hc.state(outcome, f"every path of the Ingress answers with a {code} redirect to {hc.value.strip()} "
             f"(RequestRedirect, no backendRefs){extra}")


@REGISTRY.handler("permanent-redirect", Outcome.TRANSLATED, gateway_api=GATEWAY_API["permanent-redirect"],
                  features=("HTTPRouteSchemeRedirect", "HTTPRoutePathRedirect"), order=150)
def permanent_redirect(hc: HandlerContext) -> None:
    """Answer every path of the Ingress with a redirect to a URL (default 301).

    What the controller does:
      `return <permanent-redirect-code> <URL>` in each location: the backend is never contacted and the
      URL is used literally (a final `$request_uri` appends the original path and query).

    Gateway API equivalent:
      RequestRedirect with the URL's scheme, hostname, port and path (ReplaceFullPath), or no path
      when the URL ends with `$request_uri`; the rules get no backendRefs.

    Caveats:
      Other nginx variables cannot be expressed. temporal-redirect wins when both are set.

    Example:
      permanent-redirect: https://new.example.com/shop -> RequestRedirect scheme https, hostname
      new.example.com, path ReplaceFullPath /shop, statusCode 301.
    """
    if hc.annotation("temporal-redirect"):
        plan(hc.translation, "permanent-redirect-code", Outcome.NOT_ROUTING, "no effect: temporal-redirect wins")
        hc.state(Outcome.NOT_ROUTING, "no effect: temporal-redirect is also set and wins, as in nginx", features=())
        return
    _url_redirect(hc, "permanent-redirect-code", 301, 308)


@REGISTRY.handler("temporal-redirect", Outcome.TRANSLATED, gateway_api=GATEWAY_API["temporal-redirect"],
                  features=("HTTPRouteSchemeRedirect", "HTTPRoutePathRedirect"), order=150)
def temporal_redirect(hc: HandlerContext) -> None:
    """Answer every path of the Ingress with a temporary redirect to a URL (default 302).

    What the controller does:
      As permanent-redirect, with `temporal-redirect-code` (default 302); it wins over permanent-redirect.

    Gateway API equivalent:
      RequestRedirect as for permanent-redirect.

    Caveats:
      See permanent-redirect.

    Example:
      temporal-redirect: https://maintenance.example.com$request_uri -> RequestRedirect scheme https,
      hostname maintenance.example.com, statusCode 302, path kept.
    """
    _url_redirect(hc, "temporal-redirect-code", 302, 307)


def _code_doc(hc: HandlerContext, redirect: str) -> None:
    state_planned(hc, (Outcome.NOT_ROUTING, f"no effect without {redirect}", None))


@REGISTRY.handler("permanent-redirect-code", Outcome.TRANSLATED, gateway_api=GATEWAY_API["permanent-redirect-code"], order=160)
def permanent_redirect_code(hc: HandlerContext) -> None:
    """Status code of permanent-redirect (300-308, default 301; Gateway API has 301/302/303/307/308).

    What the controller does:
      The status of the `return`; out-of-range values fall back to 301.

    Gateway API equivalent:
      RequestRedirect statusCode.

    Caveats:
      300, 304, 305 and 306 do not exist in Gateway API (301 emitted, reported).

    Example:
      permanent-redirect-code: "308" -> statusCode 308.
    """
    _code_doc(hc, "permanent-redirect")


@REGISTRY.handler("temporal-redirect-code", Outcome.TRANSLATED, gateway_api=GATEWAY_API["temporal-redirect-code"], order=160)
def temporal_redirect_code(hc: HandlerContext) -> None:
    """Status code of temporal-redirect (300-307, default 302).

    What the controller does:
      The status of the `return`; out-of-range values fall back to 302.

    Gateway API equivalent:
      RequestRedirect statusCode.

    Caveats:
      300, 304, 305 and 306 do not exist in Gateway API (302 emitted, reported).

    Example:
      temporal-redirect-code: "307" -> statusCode 307.
    """
    _code_doc(hc, "temporal-redirect")


# --------------------------------------------------------------------------------------------------
# app-root, www
# --------------------------------------------------------------------------------------------------


@REGISTRY.handler("app-root", Outcome.TRANSLATED, gateway_api=GATEWAY_API["app-root"], features=("HTTPRoutePathRedirect",), order=150)
def app_root(hc: HandlerContext) -> None:
    """Redirect requests for exactly `/` to this path (302).

    What the controller does:
      In the server of each host: `if ($uri = /) { return 302 $scheme://$http_host<app-root>; }`.
      Other paths are untouched.

    Gateway API equivalent:
      An extra rule per host: path Exact `/` with RequestRedirect path ReplaceFullPath `<app-root>`,
      statusCode 302 (scheme and host kept).

    Caveats:
      nginx dropped the query string; Gateway API implementations may keep it. Where the Ingress has a
      path of its own with the same match (Exact `/`), that path's rule takes the requests in Gateway API:
      the outcome becomes a caveat naming the hosts.

    Example:
      app-root: /app -> Exact / redirects to /app with 302.
    """
    v = hc.value.strip()
    if not v.startswith("/") or "$" in v or " " in v:
        raise AnnotationValueError("expected an absolute path such as /app")
    tr = hc.translation
    hosts = tr.hosts
    if not hosts:
        hc.state(Outcome.TRANSLATED, "no effect: the controller sets app-root on the servers of an Ingress's rules, "
                 "and this Ingress has none (its defaultBackend serves the default server unchanged)", features=())
        return
    redirect = RequestRedirect(source=hc.source, path=PathModifier("ReplaceFullPath", v), status_code=302)
    for h in hosts:
        tr.routes.append(PathRoute(host=h, match=RouteMatch(path=PathMatch("Exact", "/")), backends=[],
                                   source=hc.source, ingress=tr.ingress, filters=[redirect], synthetic=True))
    hc.state(Outcome.TRANSLATED, f"requests for exactly / on {', '.join(h or '*' for h in hosts)} get a 302 redirect "
             f"to {v} (extra rule: Exact / + RequestRedirect ReplaceFullPath)")


@REGISTRY.handler("from-to-www-redirect", Outcome.TRANSLATED, gateway_api=GATEWAY_API["from-to-www-redirect"], order=150)
def from_to_www_redirect(hc: HandlerContext) -> None:
    """Redirect `www.<host>` to `<host>` (or the reverse when the rule host starts with `www.`).

    What the controller does:
      Adds a server for the counterpart name that answers `http-redirect-code` (default 308) to the
      rule's host, keeping scheme, path and query. Skipped when another Ingress defines that name.

    Gateway API equivalent:
      Rules for the counterpart host: PathPrefix `/` with RequestRedirect hostname `<host>` and the same
      status code; listeners are added for that host name.

    Caveats:
      For HTTPS the certificate must also cover the counterpart name (only then is an HTTPS listener made).

    Example:
      from-to-www-redirect: "true" on host example.com -> www.example.com redirects to example.com.
    """
    if not parse_bool(hc.value):
        hc.state(Outcome.TRANSLATED, "off: nothing to do", features=())
        return
    tr = hc.translation
    code, downgraded = for_target(http_redirect_code(hc.ctx.controller_config), hc.ctx)
    pairs = []
    for h in list(tr.hosts):
        if h is None or h.startswith("*."):
            continue
        other = www_counterpart(h)
        redirect = RequestRedirect(source=hc.source, hostname=h, status_code=code)
        tr.routes.append(PathRoute(host=other, match=RouteMatch(path=PathMatch("PathPrefix", "/")), backends=[],
                                   source=hc.source, ingress=tr.ingress, filters=[redirect], synthetic=True,
                                   group="www"))
        pairs.append(f"{other} -> {h}")
    if not pairs:
        hc.state(Outcome.NOT_ROUTING, "no effect: the Ingress has no plain host name", features=())
        return
    hc.state(Outcome.CAVEAT if downgraded else Outcome.TRANSLATED, f"redirects with {code}: {', '.join(pairs)} "
             f"(scheme and path kept); for HTTPS the certificate must cover the redirected name too{downgraded}")


def www_counterpart(host: str) -> str:
    """The other name of a from-to-www-redirect pair: www.example.com for example.com, and back."""
    return host[4:] if host.startswith("www.") else "www." + host


def _drop_shadowed_www(tr: IngressTranslation, real_hosts: set[str | None]) -> None:
    """nginx skips the www redirect when another Ingress serves that name."""
    dropped = [r for r in tr.routes if r.group == "www" and r.host in real_hosts]
    if not dropped:
        return
    tr.routes = [r for r in tr.routes if not (r.group == "www" and r.host in real_hosts)]
    names = ", ".join(sorted({r.host or "" for r in dropped}))
    restate(tr, PREFIX + "from-to-www-redirect", Outcome.NOT_ROUTING, f"no redirect for {names}: another Ingress "
            "defines that host, so nginx skipped it too")


# --------------------------------------------------------------------------------------------------
# nginx redirect settings without an equivalent
# --------------------------------------------------------------------------------------------------


@REGISTRY.handler("relative-redirects", Outcome.UNSUPPORTED, gateway_api=GATEWAY_API["relative-redirects"])
def relative_redirects(hc: HandlerContext) -> None:
    """Relative Location headers in nginx's own redirects (`absolute_redirect off`): no equivalent.

    What the controller does:
      Redirects that nginx itself generates carry a relative Location.

    Gateway API equivalent:
      None; Gateway redirects always carry an absolute URL.

    Caveats:
      Clients follow either form; it matters only behind rewriting proxies.

    Example:
      relative-redirects: "true" -> reported.
    """
    if parse_bool(hc.value):
        hc.state(Outcome.UNSUPPORTED, "Gateway API redirects always carry an absolute Location")
    else:
        hc.state(Outcome.TRANSLATED, "absolute redirects, the default of nginx and of Gateway API")


@REGISTRY.handler("use-port-in-redirects", Outcome.UNSUPPORTED, gateway_api=GATEWAY_API["use-port-in-redirects"])
def use_port_in_redirects(hc: HandlerContext) -> None:
    """Put the port into nginx-generated redirects (`port_in_redirect`): no equivalent.

    What the controller does:
      Redirects generated by nginx include the listening port (also in HTTPS redirects).

    Gateway API equivalent:
      None as a behaviour; RequestRedirect.port can only be set per rule.

    Caveats:
      Gateway redirects omit well-known ports.

    Example:
      use-port-in-redirects: "true" -> reported.
    """
    if parse_bool(hc.value):
        hc.state(Outcome.UNSUPPORTED, "Gateway API redirects include the port only when it is not the well-known one")
    else:
        hc.state(Outcome.TRANSLATED, "no port in redirects, as Gateway API does")


@REGISTRY.handler("proxy-redirect-from", Outcome.UNSUPPORTED, gateway_api=GATEWAY_API["proxy-redirect-from"])
def proxy_redirect_from(hc: HandlerContext) -> None:
    """Rewrite text in the backend's Location/Refresh headers (`proxy_redirect`): no equivalent.

    What the controller does:
      `proxy_redirect <from> <to>` replaces `<from>` in Location and Refresh response headers.

    Gateway API equivalent:
      None: ResponseHeaderModifier sets whole values; it cannot substitute parts of them.

    Caveats:
      "off" and "default" keep nginx's default and need nothing.

    Example:
      proxy-redirect-from: http://internal/ with proxy-redirect-to: https://www.example.com/ -> reported.
    """
    v = hc.value.strip()
    if v in ("off", "default"):
        hc.state(Outcome.TRANSLATED, f"{v}: no Location rewriting, nothing to emit")
    else:
        hc.state(Outcome.UNSUPPORTED, f"the backend's Location headers starting with {v!r} are no longer rewritten",
                 hint="Make the backend emit the public URL, or use a target-specific filter.")


@REGISTRY.handler("proxy-redirect-to", Outcome.UNSUPPORTED, gateway_api=GATEWAY_API["proxy-redirect-to"])
def proxy_redirect_to(hc: HandlerContext) -> None:
    """Replacement text for proxy-redirect-from: no equivalent.

    What the controller does:
      Second argument of `proxy_redirect`.

    Gateway API equivalent:
      None (see proxy-redirect-from).

    Caveats:
      Without proxy-redirect-from it has no effect.

    Example:
      proxy-redirect-to: https://www.example.com/ -> reported.
    """
    frm = (hc.annotation("proxy-redirect-from") or "").strip()
    if not frm or frm in ("off", "default"):
        hc.state(Outcome.NOT_ROUTING, "no effect without a proxy-redirect-from value")
    else:
        hc.state(Outcome.UNSUPPORTED, "Location header rewriting cannot be expressed (see proxy-redirect-from)")
