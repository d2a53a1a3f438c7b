"""F5 NGINX routing keys: path regex, rewrites, redirects, HSTS, headers, backend protocols, listeners and
mergeable Ingresses."""

from __future__ import annotations

import re

from ing2gw.core.merge import backend_tls_policy_name
from ing2gw.model import (
    BackendTLSPolicy,
    HeaderMatch,
    Ingress,
    Outcome,
    PathMatch,
    PathModifier,
    RequestRedirect,
    Requirement,
    RouteMatch,
    URLRewrite,
)
from ing2gw.provider import (
    AnnotationValueError,
    HandlerContext,
    IngressTranslation,
    PathRoute,
    TranslateContext,
    parse_int,
)

from ._common import PROXY, handler, inert, modify_headers, parse_flag, parse_services, per_service, value_of
from ._registry import PREFIX

EARLY = 50  # grpc-services decides which rules are gRPC before any filter is added
LATE = 300  # handlers that add redirect rules run after those that change the Ingress's own rules
_HEADER = re.compile(r"^[A-Za-z0-9!#$%&'*+.^_`|~-]+$")


# --------------------------------------------------------------------------------------------------
# Paths and rewrites
# --------------------------------------------------------------------------------------------------


@handler("path-regex", Outcome.CAVEAT, gateway_api="CORE~ RegularExpression / Exact")
def path_regex(hc: HandlerContext) -> None:
    """Reads every path of this Ingress as a case-sensitive or case-insensitive regex, or as exact.

    What the controller does:
        Prefixes each location of this Ingress only (a minion's own value for its paths): case_sensitive
        ``~ "^path"``, case_insensitive ``~* "^path"``, exact ``= "path"``. Other Ingresses of the host keep
        plain prefixes (unlike ingress-nginx's use-regex).
    Gateway API equivalent:
        ``RegularExpression`` ``^path.*`` (``(?i)^path.*`` when case-insensitive), so that engines that
        match the whole path (Envoy) and those that search behave alike; exact -> ``Exact``.
    Caveats:
        RegularExpression support and dialect are implementation-specific (nginx is PCRE, Envoy RE2);
        Gateway API orders regex rules after Exact and PathPrefix ones, nginx tries regex locations after
        the longest prefix but before using it. On a master it has no effect.
    Example:
        ``path-regex: case_insensitive`` with path ``/api/v[0-9]+`` -> ``RegularExpression (?i)^/api/v[0-9]+.*``.
    """
    mode = hc.value.strip()
    if mode not in ("case_sensitive", "case_insensitive", "exact"):
        raise AnnotationValueError("expected case_sensitive, case_insensitive or exact")
    if mode == "exact":
        hc.state(Outcome.TRANSLATED, "paths of this Ingress became Exact matches")
        return
    hc.state(Outcome.CAVEAT, f"paths of this Ingress became {'case-insensitive ' if mode == 'case_insensitive' else ''}"
             "RegularExpression matches anchored at the start (^path.*); regex support and dialect are "
             "implementation-specific", hint="Check that your Gateway implementation supports RegularExpression "
             "path matches (PCRE features such as lookarounds are not in RE2).")


def filter_rules(hc: HandlerContext) -> tuple[list[PathRoute], str]:
    """The rules a filter goes on (HTTP rules with backends, not redirects), and a note on gRPC rules left out."""
    rules = [r for r in hc.translation.routes if r.backends and r.protocol == "HTTP"]
    grpc = sum(1 for r in hc.translation.routes if r.protocol == "GRPC")
    return rules, (f"; not on the {grpc} gRPC rule(s), as ing2gw emits no GRPCRoute filters" if grpc else "")


def _routes_of(tr: IngressTranslation, service: str) -> list[PathRoute]:
    return [r for r in tr.routes if any(b.name == service and b.kind == "Service" for b in r.backends)]


@handler("rewrites", Outcome.TRANSLATED, scope="service", features=("HTTPRoutePathRewrite",), gateway_api="CORE URLRewrite ReplacePrefixMatch")
def rewrites(hc: HandlerContext) -> None:
    """Per-Service replacement of the matched path prefix (serviceName=svc rewrite=/path; ...).

    What the controller does:
        Adds the rewrite path to ``proxy_pass``, so nginx replaces the part of the URI the location matched
        with it (``/tea/x`` on location ``/tea/`` with ``rewrite=/`` reaches the backend as ``/x``). Wins over
        rewrite-target.
    Gateway API equivalent:
        ``URLRewrite`` ``ReplacePrefixMatch`` on the rules whose backend is that Service (``ReplaceFullPath``
        for Exact paths).
    Caveats:
        With path-regex (a regex location) nginx cannot carry a URI in proxy_pass; such rules are reported.
    Example:
        ``rewrites: serviceName=tea rewrite=/`` on path ``/tea/`` -> ``ReplacePrefixMatch: /``.
    """
    table = per_service(hc.value, "rewrites", "serviceName=tea rewrite=/beverages")
    targets: dict[str, str] = {}
    for svc, rest in table.items():
        key, eq, path = rest.partition("=")
        if key != "rewrite" or not eq or not path.startswith("/") or re.search(r"[\s{};$]", path):
            raise AnnotationValueError(f"{rest!r} for Service {svc} is not 'rewrite=/path' (a path without spaces, "
                                       "braces, ';' or '$')")
        targets[svc] = path
    parse_services(hc, ",".join(targets))
    done, regex, grpc = 0, 0, 0
    slashes: list[str] = []
    for svc, path in targets.items():
        for r in _routes_of(hc.translation, svc):
            m = r.match.path
            if r.protocol == "GRPC":
                grpc += 1
                continue
            if m is None or m.type == "RegularExpression":
                regex += 1
                continue
            kind = "ReplaceFullPath" if m.type == "Exact" else "ReplacePrefixMatch"
            source_path = r.path.path if r.path is not None else m.value
            if kind == "ReplacePrefixMatch" and source_path.endswith("/") != path.endswith("/") and path != "/":
                slashes.append(f"{source_path} -> {path}")
            r.filters.append(URLRewrite(source=hc.source, path=PathModifier(kind, path)))  # type: ignore[arg-type]
            done += 1
    what = ", ".join(f"{s} -> {p}" for s, p in targets.items())
    skipped = [f"{regex} regex path(s) (nginx rejects a URI in proxy_pass inside a regex location)"] if regex else []
    skipped += [f"{grpc} gRPC rule(s) (ing2gw emits no GRPCRoute filters)"] if grpc else []
    if skipped:
        hc.state(Outcome.UNSUPPORTED, f"prefix rewrites ({what}) not applied on {' and '.join(skipped)}: those "
                 "requests reach the backend unchanged" + (f"; {done} other rule(s) were rewritten" if done else ""),
                 hint="For regex paths use rewrite-target with captures; rewrite gRPC paths in the backend.")
        return
    if slashes:
        hc.state(Outcome.CAVEAT, f"matched prefix replaced per Service ({what}) on {done} rule(s); nginx joins the "
                 f"replacement and the rest of the path as text, so where only one of them ends in '/' "
                 f"({'; '.join(slashes)}) it produced '/xa' or '/x//a' where Gateway API gives '/x/a'",
                 hint="End both the path and the rewrite with '/' (or neither) to keep nginx's exact result.")
        return
    hc.state(Outcome.TRANSLATED, f"matched prefix replaced per Service ({what}) on {done} rule(s)")


_CAPTURE = re.compile(r"\$(\d+|\{\d+\})")


@handler("rewrite-target", Outcome.TRANSLATED, features=("HTTPRoutePathRewrite",), gateway_api="CORE~ URLRewrite ReplaceFullPath")
def rewrite_target(hc: HandlerContext) -> None:
    """Replaces the whole request path, with $1..$n captures when path-regex is set.

    What the controller does:
        ``rewrite <location pattern> <target> break;`` in each location: the whole URI becomes the target
        (query string kept). Ignored when nginx.org/rewrites is also set.
    Gateway API equivalent:
        ``URLRewrite`` ``ReplaceFullPath`` when the target has no captures; with ``$n`` captures a
        header-regex-rewrite requirement (pattern and RE2 substitution) for target emitters.
    Caveats:
        Captures need an implementation's regex rewrite (Envoy Gateway HTTPRouteFilter urlRewrite
        regexMatch).
    Example:
        ``rewrite-target: /index.html`` -> ``ReplaceFullPath: /index.html``.
    """
    target = hc.value.strip()
    if not target.startswith("/") or target.startswith("//") or re.search(r"[\s;{}\[\]|<>,^`~]", target):
        raise AnnotationValueError("expected an absolute path such as /app or /$1 (no spaces, ';', braces, "
                                   "brackets, '|', '<', '>', ',', '^', '`' or '~')")
    if value_of(hc, "rewrites") is not None:
        inert(hc, "nginx.org/rewrites is also set and takes precedence", hint="Remove one of the two.")
        return
    if re.search(r"\$(?!\d|\{\d)", target):
        hc.state(Outcome.UNSUPPORTED, f"rewrite target {target!r} uses nginx variables, which Gateway API cannot "
                 "compute", hint="Rewrite to a fixed path, or use an implementation's rewrite filter.")
        return
    if _CAPTURE.search(target):
        substitution = _CAPTURE.sub(lambda g: "\\" + g.group(1).strip("{}"), target)
        first: Requirement | None = None
        for r in hc.translation.routes:
            m = r.match.path
            pattern = m.value if m and m.type == "RegularExpression" else "^" + re.escape(m.value if m else "/")
            req = Requirement(feature="header-regex-rewrite", params={"pattern": pattern, "substitution": substitution},
                              source=hc.source, target="rule", id=hc.ctx.next_id("header-regex-rewrite"))
            r.requirements.append(req)
            first = first or req
        if first is None:
            inert(hc, "the Ingress has no paths")
            return
        hc.state(Outcome.NEEDS_EMITTER, f"path rewrite with captures to {target!r}: core URLRewrite cannot use "
                 "captures; kept as a regex rewrite per rule", requirement=first,
                 hint="Target emitters: Envoy Gateway HTTPRouteFilter urlRewrite.path.replaceRegexMatch.")
        return
    rules, left = filter_rules(hc)
    for r in rules:
        r.filters.append(URLRewrite(source=hc.source, path=PathModifier("ReplaceFullPath", target)))
    hc.state(Outcome.CAVEAT if left else Outcome.TRANSLATED, f"request paths replaced by {target!r}{left}")


# --------------------------------------------------------------------------------------------------
# Redirects and HSTS
# --------------------------------------------------------------------------------------------------


def redirect_code(ingress: Ingress, ctx: TranslateContext) -> int:
    raw = ingress.annotations.get(PREFIX + "http-redirect-code", "").strip()
    code = int(raw) if raw in ("301", "302", "307", "308") else 301
    if code not in ctx.capabilities.redirect_codes:
        code = 301 if code == 308 else 302
    return code


def ssl_redirect_on(ingress: Ingress) -> bool:
    raw = ingress.annotations.get(PREFIX + "ssl-redirect")
    if raw is None:
        raw = ingress.annotations.get("ingress.kubernetes.io/ssl-redirect")
    if raw is None:
        return True
    try:
        return parse_flag(raw)
    except AnnotationValueError:
        return True


def tls_hosts(ingress: Ingress) -> set[str]:
    return {h for t in ingress.tls for h in t.hosts}


def apply_tls_redirect(tr: IngressTranslation, settings: Ingress, ctx: TranslateContext) -> None:
    """NIC's default: plain-HTTP requests to a host with TLS get a redirect (301) unless ssl-redirect is false.

    ``settings`` is the Ingress whose TLS and keys decide (the master, for a minion's paths). Hosts whose
    paths are all gRPC are left alone, as NIC does.
    """
    if not ssl_redirect_on(settings):
        return
    hosts = tls_hosts(settings)
    grpc_only = {r.host for r in tr.routes if r.protocol == "GRPC"} - {r.host for r in tr.routes
                                                                        if r.protocol != "GRPC"}
    code = redirect_code(settings, ctx)
    for r in tr.routes:
        if r.host in hosts and r.host not in grpc_only and r.listener == "any" and r.redirect_http is None:
            r.redirect_http = code


def _ssl_redirect(hc: HandlerContext) -> None:
    on = parse_flag(hc.value)
    if hc.key != PREFIX + "ssl-redirect" and value_of(hc, "ssl-redirect") is not None:
        inert(hc, "nginx.org/ssl-redirect is also set and NIC reads this legacy key only without it")
        return
    hosts = tls_hosts(hc.ingress)
    if not hosts and not hc.translation.extra.get(PROXY):
        inert(hc, "the Ingress has no TLS section, and NIC redirects only hosts with TLS")
        return
    if not on:
        hc.state(Outcome.TRANSLATED, "no redirect to HTTPS: the plain-HTTP listener serves the routes too")
        return
    hc.state(Outcome.TRANSLATED, f"plain-HTTP requests to {', '.join(sorted(hosts)) or 'the host'} redirect to "
             f"HTTPS with {redirect_code(hc.ingress, hc.ctx)} (a route on the HTTP listener; true is the default)")


@handler("ssl-redirect", Outcome.TRANSLATED, scope="server", features=("HTTPRouteSchemeRedirect",),
         gateway_api="CORE RequestRedirect")
def ssl_redirect(hc: HandlerContext) -> None:
    """Redirects HTTP to HTTPS on hosts with TLS (true by default; code from http-redirect-code, 301).

    What the controller does:
        ``if ($scheme = http) { return 301 https://$host:443$request_uri; }`` in the server of each host
        with TLS, unless the value is false. Hosts with only gRPC paths are not redirected.
    Gateway API equivalent:
        A ``RequestRedirect`` (scheme https) rule on a route bound to the HTTP listener only; the
        backends stay on the HTTPS listener.
    Caveats:
        On a minion it is ignored (the master's value applies).
    Example:
        ``ssl-redirect: "false"`` -> the HTTP listener serves the backends too.
    """
    _ssl_redirect(hc)


@handler("ingress.kubernetes.io/ssl-redirect", Outcome.TRANSLATED, scope="server", features=("HTTPRouteSchemeRedirect",),
         gateway_api="CORE RequestRedirect")
def legacy_ssl_redirect(hc: HandlerContext) -> None:
    """Legacy name of nginx.org/ssl-redirect, read only when that key is absent.

    What the controller does:
        As nginx.org/ssl-redirect.
    Gateway API equivalent:
        As nginx.org/ssl-redirect.
    Caveats:
        Other controllers (HAProxy) read this key too; here it is NIC's.
    Example:
        ``ingress.kubernetes.io/ssl-redirect: "false"`` -> no redirect.
    """
    _ssl_redirect(hc)


@handler("http-redirect-code", Outcome.TRANSLATED, scope="server", gateway_api="CORE RequestRedirect statusCode")
def http_redirect_code(hc: HandlerContext) -> None:
    """Status code of the HTTPS redirects (301 by default; 302, 307, 308).

    What the controller does:
        The code of the ssl-redirect and redirect-to-https redirects.
    Gateway API equivalent:
        ``RequestRedirect.statusCode``.
    Caveats:
        307 and 308 need Gateway API v1.5; with older versions 308 becomes 301 and 307 becomes 302 (the
        method is then not kept).
    Example:
        ``http-redirect-code: "308"`` -> ``statusCode: 308``.
    """
    v = hc.value.strip()
    if v not in ("301", "302", "307", "308"):
        raise AnnotationValueError("expected 301, 302, 307 or 308")
    used = redirect_code(hc.ingress, hc.ctx)
    if used != int(v):
        hc.state(Outcome.CAVEAT, f"redirect code {v} is not allowed by Gateway API {hc.ctx.capabilities.version}; "
                 f"{used} was used instead", hint="Use --gateway-api-version v1.5 or later to keep it.")
        return
    hc.state(Outcome.TRANSLATED, f"HTTPS redirects use {v}",
             features=(f"HTTPRoute{v}RedirectStatusCode",) if v in ("307", "308") else ())


@handler("redirect-to-https", Outcome.CAVEAT, scope="server", order=LATE, features=("HTTPRouteSchemeRedirect",),
         gateway_api="CORE~ RequestRedirect")
def redirect_to_https(hc: HandlerContext) -> None:
    """Redirects to HTTPS when X-Forwarded-Proto is http (TLS ends at a load balancer in front).

    What the controller does:
        ``if ($http_x_forwarded_proto = 'http') { return 301 https://$host$request_uri; }`` for the server.
    Gateway API equivalent:
        Per path, a rule with the same path plus the header match ``X-Forwarded-Proto: http`` and a
        ``RequestRedirect`` to https (more header matches win among rules of the same path).
    Caveats:
        The Gateway must receive the header from the load balancer; if the Gateway terminates TLS itself,
        ssl-redirect is the setting that matters.
    Example:
        ``redirect-to-https: "true"`` -> rules matching ``X-Forwarded-Proto: http`` redirect to https.
    """
    if not parse_flag(hc.value):
        hc.state(Outcome.TRANSLATED, "\"false\" is the default: no redirect")
        return
    code = redirect_code(hc.ingress, hc.ctx)
    added = 0
    for r in list(hc.translation.routes):
        if r.protocol != "HTTP":
            continue
        match = RouteMatch(path=r.match.path, headers=(*r.match.headers, HeaderMatch("X-Forwarded-Proto", "http")),
                           query_params=r.match.query_params, method=r.match.method)
        hc.translation.routes.append(PathRoute(
            host=r.host, match=match, backends=[], source=r.source, ingress=r.ingress, path=r.path,
            filters=[RequestRedirect(source=hc.source, scheme="https", status_code=code)], synthetic=True))
        added += 1
    if not added:
        inert(hc, "the Ingress has no HTTP paths")
        return
    hc.state(Outcome.CAVEAT, f"requests with X-Forwarded-Proto: http redirect to HTTPS with {code} ({added} "
             "rule(s) with a header match)", hint="This works only when a proxy in front sets X-Forwarded-Proto.")


@handler("app-root", Outcome.TRANSLATED, scope="server", order=LATE, features=("HTTPRoutePathRedirect",),
         gateway_api="CORE RequestRedirect")
def app_root(hc: HandlerContext) -> None:
    """Redirects requests for / to this path with 302.

    What the controller does:
        ``if ($uri = /) { return 302 $scheme://$http_host<path>; }`` in the server, before any location.
    Gateway API equivalent:
        A rule with the ``Exact /`` match and a ``RequestRedirect`` (``ReplaceFullPath``, 302) per host.
    Caveats:
        On a minion it is ignored (the master's value applies).
    Example:
        ``app-root: /shop`` -> ``Exact /`` redirects to ``/shop`` with 302.
    """
    path = hc.value.strip()
    if (path == "/" or not path.startswith("/") or path.startswith("//") or path.endswith("/") or "~" in path
            or re.search(r"[\s{};$|^<>\\\"#\[\]]", path) or "/../" in path or path.endswith("/..")):
        raise AnnotationValueError("expected an absolute path other than /, without a trailing '/', '~', spaces "
                                   "or nginx syntax characters")
    if hc.translation.extra.get(PROXY):
        hc.state(Outcome.TRANSLATED, f"/ redirects to {path} with 302 (a rule of the master's host)")
        return
    hosts = list(dict.fromkeys(r.host for r in hc.ingress.rules)) or [None]
    for host in hosts:
        hc.translation.routes.append(PathRoute(
            host=host, match=RouteMatch(path=PathMatch("Exact", "/")), backends=[], source=hc.source,
            ingress=hc.ingress, filters=[RequestRedirect(source=hc.source, path=PathModifier("ReplaceFullPath", path),
                                                          status_code=302)]))
    hc.state(Outcome.TRANSLATED, f"/ redirects to {path} with 302")


def _hsts_value(hc: HandlerContext) -> str | None:
    """The Strict-Transport-Security value NIC sends, or None when hsts is off; raises for bad related keys."""
    hsts = parse_flag(value_of(hc, "hsts") or "false")
    age = value_of(hc, "hsts-max-age")
    sub = value_of(hc, "hsts-include-subdomains")
    max_age = parse_int(age) if age is not None else 2592000
    include = parse_flag(sub) if sub is not None else False
    if value_of(hc, "hsts-behind-proxy") is not None:
        parse_flag(value_of(hc, "hsts-behind-proxy") or "")
    if not hsts:
        return None
    return f"max-age={max_age}; {'includeSubDomains; ' if include else ''}preload"


def _hsts_related(hc: HandlerContext, what: str) -> None:
    if value_of(hc, "hsts") is None:
        raise AnnotationValueError("needs nginx.org/hsts on the same Ingress (NIC rejects the Ingress otherwise)")
    if hc.key == PREFIX + "hsts-max-age":
        parse_int(hc.value)
    else:
        parse_flag(hc.value)
    try:
        value = _hsts_value(hc)
    except AnnotationValueError:
        if hc.key == PREFIX + "hsts":
            raise
        inert(hc, "another hsts key has an invalid value, and NIC then skips all hsts settings")
        return
    if value is None:
        inert(hc, "nginx.org/hsts is false")
        return
    hc.state(Outcome.TRANSLATED, f"{what}: part of the Strict-Transport-Security header ({value})")


@handler("hsts", Outcome.TRANSLATED, scope="server", features=("HTTPRouteResponseHeaderModification",),
         gateway_api="CORE ResponseHeaderModifier")
def hsts(hc: HandlerContext) -> None:
    """Adds Strict-Transport-Security to HTTPS responses (off by default; preload always included).

    What the controller does:
        Hides the backend's header and adds ``Strict-Transport-Security: max-age=<hsts-max-age>;
        [includeSubDomains; ]preload`` (always, also on errors) to responses on TLS connections (with
        hsts-behind-proxy: when X-Forwarded-Proto is https).
    Gateway API equivalent:
        A ``ResponseHeaderModifier`` ``set`` on every rule of the Ingress.
    Caveats:
        The header is also set on plain-HTTP responses, which browsers ignore by RFC 6797. Without TLS
        (and without hsts-behind-proxy) NIC sends nothing, and neither does the output.
    Example:
        ``hsts: "true"`` -> ``set: Strict-Transport-Security: max-age=2592000; preload``.
    """
    value = _hsts_value(hc)
    if value is None:
        hc.state(Outcome.TRANSLATED, "\"false\" is the default: no HSTS header")
        return
    behind = (value_of(hc, "hsts-behind-proxy") or "").strip().lower() in ("1", "t", "true")
    if not tls_hosts(hc.ingress) and not behind and not hc.translation.extra.get(PROXY):
        inert(hc, "the Ingress has no TLS section (and hsts-behind-proxy is not set), so NIC sends no HSTS header")
        return
    rules, left = filter_rules(hc)
    for r in rules:
        modify_headers(r, hc.source, "response", set_=(("Strict-Transport-Security", value),))
    hc.state(Outcome.CAVEAT if left else Outcome.TRANSLATED, f"Strict-Transport-Security: {value} set on "
             f"{len(rules)} rule(s) (browsers ignore it on plain HTTP, as NIC only sends it over TLS){left}")


@handler("hsts-max-age", Outcome.TRANSLATED, scope="server", gateway_api="CORE ResponseHeaderModifier")
def hsts_max_age(hc: HandlerContext) -> None:
    """HSTS max-age in seconds (2592000 by default); needs nginx.org/hsts.

    What the controller does:
        The ``max-age`` of the header.
    Gateway API equivalent:
        Part of the header value set by the hsts rule filter.
    Caveats:
        Without nginx.org/hsts NIC rejects the Ingress.
    Example:
        ``hsts-max-age: "31536000"`` -> ``max-age=31536000``.
    """
    _hsts_related(hc, "max-age")


@handler("hsts-include-subdomains", Outcome.TRANSLATED, scope="server", gateway_api="CORE ResponseHeaderModifier")
def hsts_include_subdomains(hc: HandlerContext) -> None:
    """Adds includeSubDomains to the HSTS header; needs nginx.org/hsts.

    What the controller does:
        ``includeSubDomains;`` in the header.
    Gateway API equivalent:
        Part of the header value set by the hsts rule filter.
    Caveats:
        None beyond hsts.
    Example:
        ``hsts-include-subdomains: "true"`` -> ``max-age=2592000; includeSubDomains; preload``.
    """
    _hsts_related(hc, "includeSubDomains")


@handler("hsts-behind-proxy", Outcome.CAVEAT, scope="server", gateway_api="CORE~ ResponseHeaderModifier")
def hsts_behind_proxy(hc: HandlerContext) -> None:
    """Decides HSTS from X-Forwarded-Proto instead of the connection; needs nginx.org/hsts.

    What the controller does:
        Sends the header when ``X-Forwarded-Proto`` is https, also on servers without TLS.
    Gateway API equivalent:
        The header is set unconditionally; browsers ignore it on plain HTTP, so the effect is the same.
    Caveats:
        Note it: the output does not look at X-Forwarded-Proto.
    Example:
        ``hsts-behind-proxy: "true"`` -> the HSTS header on every response.
    """
    if value_of(hc, "hsts") is None:
        raise AnnotationValueError("needs nginx.org/hsts on the same Ingress (NIC rejects the Ingress otherwise)")
    on = parse_flag(hc.value)
    try:
        value = _hsts_value(hc)
    except AnnotationValueError:
        inert(hc, "another hsts key has an invalid value, and NIC then skips all hsts settings")
        return
    if value is None or not on:
        inert(hc, "nginx.org/hsts is false" if value is None else "\"false\" is the default")
        return
    hc.state(Outcome.CAVEAT, "HSTS is sent whatever X-Forwarded-Proto says; clients ignore it on plain HTTP")


# --------------------------------------------------------------------------------------------------
# Listeners and mergeable Ingresses
# --------------------------------------------------------------------------------------------------


def _ports(value: str) -> list[int]:
    out = []
    for tok in (t.strip() for t in value.split(",")):
        if not tok.isdigit() or not 1 <= int(tok) <= 65535:
            raise AnnotationValueError("expected a comma-separated list of port numbers (1-65535)")
        out.append(int(tok))
    return out


@handler("listen-ports", Outcome.UNSUPPORTED, scope="server", gateway_api="CORE listener port")
def listen_ports(hc: HandlerContext) -> None:
    """HTTP ports of the server (80 by default).

    What the controller does:
        ``listen`` on these ports instead of 80 (the controller must expose them).
    Gateway API equivalent:
        Gateway HTTP listeners on these ports; ing2gw's Gateways listen on 80 and 443 only.
    Caveats:
        The default value is translated; other ports are reported: add listeners by hand.
    Example:
        ``listen-ports: "8080"`` -> unsupported; add an HTTP listener on 8080.
    """
    ports = _ports(hc.value)
    if ports == [80]:
        hc.state(Outcome.TRANSLATED, "port 80 is the default and the Gateway's HTTP listener")
        return
    hc.state(Outcome.UNSUPPORTED, f"HTTP on port(s) {', '.join(map(str, ports))}: the generated Gateway listens on 80",
             hint="Add HTTP listeners on these ports to the Gateway and set sectionName/port on the routes.")


@handler("listen-ports-ssl", Outcome.UNSUPPORTED, scope="server", gateway_api="CORE listener port")
def listen_ports_ssl(hc: HandlerContext) -> None:
    """HTTPS ports of the server (443 by default).

    What the controller does:
        ``listen ... ssl`` on these ports instead of 443; ssl-redirect then points at the first one.
    Gateway API equivalent:
        Gateway HTTPS listeners on these ports; ing2gw's Gateways listen on 443.
    Caveats:
        The default value is translated; other ports are reported.
    Example:
        ``listen-ports-ssl: "8443"`` -> unsupported; add an HTTPS listener on 8443.
    """
    ports = _ports(hc.value)
    if ports == [443]:
        hc.state(Outcome.TRANSLATED, "port 443 is the default and the Gateway's HTTPS listener")
        return
    hc.state(Outcome.UNSUPPORTED, f"HTTPS on port(s) {', '.join(map(str, ports))}: the generated Gateway listens on "
             "443", hint="Add HTTPS listeners on these ports (and redirect with port) by hand.")


@handler("mergeable-ingress-type", Outcome.TRANSLATED, scope="server",
         gateway_api="CORE one HTTPRoute host, several Ingresses")
def mergeable_ingress_type(hc: HandlerContext) -> None:
    """Marks the master (host, TLS, server keys) or a minion (paths) of one merged host.

    What the controller does:
        Builds one nginx server per master: its host, TLS and server-level keys, with the paths of every
        minion of that host. Server keys on minions and Service keys on masters are dropped; a minion
        without a value of its own takes the master's timeouts, buffers, body size, upstream and rate-limit
        keys. A minion without a master is not served.
    Gateway API equivalent:
        The paths of all minions share the master's hostname (one HTTPRoute, or several when split) with
        the master's listeners and certificates; the master's server settings are applied to their rules.
    Caveats:
        Masters must have no paths and minions no TLS (NIC rejects them otherwise).
    Example:
        A master for ``shop.example.com`` with TLS and minions ``/cart`` and ``/pay`` -> one HTTPS route
        with both paths and an HTTP redirect route.
    """
    kind = hc.value.strip()
    if kind not in ("master", "minion"):
        raise AnnotationValueError("expected master or minion")
    if kind == "master" and any(r.paths for r in hc.ingress.rules):
        raise AnnotationValueError("a master must not have paths (NIC rejects the Ingress)")
    if kind == "minion" and hc.ingress.tls:
        raise AnnotationValueError("a minion must not have TLS (NIC rejects the Ingress)")
    if kind == "master":
        hc.state(Outcome.TRANSLATED, "master: its host, TLS and server-level keys cover the minions' paths")
    else:
        hc.state(Outcome.TRANSLATED, "minion: its paths join the master's host")


# --------------------------------------------------------------------------------------------------
# Backend protocols
# --------------------------------------------------------------------------------------------------


@handler("grpc-services", Outcome.TRANSLATED, scope="service", order=EARLY, features=("GRPCRoute",), gateway_api="CORE GRPCRoute")
def grpc_services(hc: HandlerContext) -> None:
    """Services that speak gRPC: their paths become GRPCRoute rules.

    What the controller does:
        ``grpc_pass`` for the locations of those Services (the server needs TLS and http2).
    Gateway API equivalent:
        A GRPCRoute on the same hostname with a method match per path (``/pkg.Service/Method``).
    Caveats:
        A path that is not a gRPC service or method prefix matches every method in the GRPCRoute.
    Example:
        ``grpc-services: greeter`` -> the paths to ``greeter`` go to a GRPCRoute.
    """
    names = parse_services(hc, hc.value)
    n = 0
    for svc in names:
        for r in _routes_of(hc.translation, svc):
            r.protocol = "GRPC"
            n += 1
    hc.state(Outcome.TRANSLATED, f"{n} path(s) of {', '.join(names)} became GRPCRoute rules")


@handler("ssl-services", Outcome.CAVEAT, scope="service", features=("BackendTLSPolicy",), gateway_api="CORE~ BackendTLSPolicy")
def ssl_services(hc: HandlerContext) -> None:
    """Services reached over TLS (no certificate verification by default): BackendTLSPolicy per Service.

    What the controller does:
        ``proxy_pass https://`` (``grpcs://`` for gRPC) to those Services, without verifying their
        certificates (an egressMTLS Policy adds verification).
    Gateway API equivalent:
        A BackendTLSPolicy per Service with hostname ``<svc>.<namespace>.svc`` and the system CAs, plus a
        backend-tls requirement (``verify: false``) for targets that can skip verification.
    Caveats:
        BackendTLSPolicy always verifies: backends with self-signed certificates fail until you set
        caCertificateRefs or the target's skip-verify option. Needs Gateway API v1.4 or the experimental
        channel.
    Example:
        ``ssl-services: secure-app`` -> BackendTLSPolicy ``secure-app-backend-tls``.
    """
    names = parse_services(hc, hc.value)
    ns = hc.ingress.namespace
    for svc in names:
        if any(p.service == svc and p.namespace == ns for p in hc.translation.backend_tls_policies):
            continue
        hc.translation.backend_tls_policies.append(BackendTLSPolicy(
            namespace=ns, name=backend_tls_policy_name(svc), service=svc, hostname=f"{svc}.{ns}.svc",
            sources=(hc.source,), well_known_ca="System"))
    req = hc.ctx.next_id("backend-tls")
    requirement = Requirement(feature="backend-tls", params={"verify": False, "hostname": None, "client_secret": None,
                                                             "ciphers": None, "protocols": None, "sni": None,
                                                             "services": names},
                              source=hc.source, target="route", id=req)
    hc.translation.requirements.append(requirement)
    hc.state(Outcome.CAVEAT, f"TLS to {', '.join(names)}: BackendTLSPolicy with the system CAs and hostname "
             "<svc>.<namespace>.svc; NIC did not verify the backend certificate, the policy does",
             hint="Set caCertificateRefs and the hostname the backend's certificate names, or use the target's "
             "skip-verify option (backend-tls requirement, verify: false).", requirement=requirement)


@handler("websocket-services", Outcome.TRANSLATED, scope="service", gateway_api="CORE implicit")
def websocket_services(hc: HandlerContext) -> None:
    """Services that need WebSocket upgrades (nginx passes Upgrade headers for them).

    What the controller does:
        Sets ``Upgrade``/``Connection`` headers and HTTP/1.1 towards those Services.
    Gateway API equivalent:
        Nothing to emit: Gateway implementations forward WebSocket upgrades on HTTPRoutes; a Service port
        with ``appProtocol: kubernetes.io/ws`` states it explicitly.
    Caveats:
        Set appProtocol kubernetes.io/ws on the Service port if your implementation needs it.
    Example:
        ``websocket-services: chat`` -> stated; consider ``appProtocol: kubernetes.io/ws`` on Service chat.
    """
    names = parse_services(hc, hc.value)
    hc.state(Outcome.TRANSLATED, f"WebSocket upgrades to {', '.join(names)} pass through HTTPRoutes",
             hint="If your implementation needs it, set appProtocol: kubernetes.io/ws on the Service ports.")


# --------------------------------------------------------------------------------------------------
# Headers
# --------------------------------------------------------------------------------------------------


def _header_name(name: str) -> str:
    n = name.strip()
    if not _HEADER.match(n):
        raise AnnotationValueError(f"{n!r} is not a valid HTTP header name")
    return n


@handler("proxy-set-headers", Outcome.TRANSLATED, gateway_api="CORE~ RequestHeaderModifier")
def proxy_set_headers(hc: HandlerContext) -> None:
    """Request headers sent to the backend ("Name: value", or a bare Name to pass the client's).

    What the controller does:
        ``proxy_set_header Name value`` per entry; a bare name passes the client's header of that name
        (which nginx forwards anyway).
    Gateway API equivalent:
        ``RequestHeaderModifier`` ``set`` for literal values; bare names need nothing.
    Caveats:
        Values with nginx variables (``$remote_addr``) cannot be carried over and are reported; an empty value
        (``Name:``) removes the header, as nginx does.
    Example:
        ``proxy-set-headers: "X-Team: shop, X-Forwarded-User"`` -> ``set: X-Team: shop``.
    """
    literal: list[tuple[str, str]] = []
    dynamic: list[str] = []
    removed: list[str] = []
    for entry in (e.strip() for e in hc.value.split(",")):
        if not entry:
            raise AnnotationValueError("empty header entry")
        name, sep, value = entry.partition(":")
        name = _header_name(name)
        if not sep:
            continue
        if "$" in value:
            dynamic.append(name)
            continue
        if not value.strip():
            removed.append(name)  # proxy_set_header Name "" drops the header
            continue
        literal.append((name, value.strip()))
    rules, left = filter_rules(hc)
    if literal or removed:
        for r in rules:
            modify_headers(r, hc.source, "request", set_=tuple(literal), remove=tuple(removed))
    else:
        left = ""
    if dynamic:
        hc.state(Outcome.UNSUPPORTED, f"header(s) {', '.join(dynamic)} use nginx variables, which Gateway API cannot "
                 "compute" + (f"; {', '.join(n for n, _ in literal)} set literally" if literal else ""),
                 hint="Set them from the backend or with an implementation filter.")
        return
    done = [f"set {', '.join(n for n, _ in literal)}"] if literal else []
    done += [f"removed {', '.join(removed)}"] if removed else []
    hc.state(Outcome.CAVEAT if left else Outcome.TRANSLATED, f"request headers {'; '.join(done)}{left}" if done else
             "only bare names, which pass the client's headers as the Gateway does")


@handler("add-header", Outcome.TRANSLATED, scope="server", features=("HTTPRouteResponseHeaderModification",),
         gateway_api="CORE ResponseHeaderModifier add")
def add_header(hc: HandlerContext) -> None:
    """Response headers to add ("Name: value[: always]", comma-separated).

    What the controller does:
        ``add_header Name "value" [always]`` in the server: on 2xx/3xx responses, on all with always.
    Gateway API equivalent:
        ``ResponseHeaderModifier`` ``add`` on every rule of the Ingress.
    Caveats:
        The output adds them to every response, errors included (as with always).
    Example:
        ``add-header: "X-Frame-Options: DENY"`` -> ``add: X-Frame-Options: DENY``.
    """
    pairs: list[tuple[str, str]] = []
    for entry in (e.strip() for e in hc.value.split(",")):
        if not entry:
            raise AnnotationValueError("empty add-header entry")
        parts = entry.split(":", 2)
        name = _header_name(parts[0])
        value = parts[1].strip() if len(parts) > 1 else ""
        if len(parts) == 3 and parts[2].strip() and parts[2].strip().lower() != "always":
            raise AnnotationValueError(f"invalid flag {parts[2].strip()!r}: must be always or empty")
        if "$" in value:
            raise AnnotationValueError(f"header {name}: nginx variables are not allowed in the value")
        if value:
            pairs.append((name, value))  # nginx adds no header with an empty value
    if not pairs:
        inert(hc, "every header has an empty value, and nginx adds no header with an empty value")
        return
    rules, left = filter_rules(hc)
    for r in rules:
        modify_headers(r, hc.source, "response", add=tuple(pairs))
    hc.state(Outcome.CAVEAT if left else Outcome.TRANSLATED,
             f"response headers added: {', '.join(n for n, _ in pairs)}{left}")


@handler("proxy-hide-headers", Outcome.TRANSLATED, scope="server",
         features=("HTTPRouteResponseHeaderModification",), gateway_api="CORE ResponseHeaderModifier remove")
def proxy_hide_headers(hc: HandlerContext) -> None:
    """Backend response headers to hide (comma-separated names).

    What the controller does:
        ``proxy_hide_header`` for each name in the server.
    Gateway API equivalent:
        ``ResponseHeaderModifier`` ``remove`` on every rule.
    Caveats:
        None.
    Example:
        ``proxy-hide-headers: X-Powered-By`` -> ``remove: [X-Powered-By]``.
    """
    names = tuple(_header_name(n) for n in hc.value.split(",") if n.strip())
    if not names:
        raise AnnotationValueError("expected a comma-separated list of header names")
    rules, left = filter_rules(hc)
    for r in rules:
        modify_headers(r, hc.source, "response", remove=names)
    hc.state(Outcome.CAVEAT if left else Outcome.TRANSLATED, f"response headers removed: {', '.join(names)}{left}")


@handler("proxy-pass-headers", Outcome.UNSUPPORTED, scope="server", gateway_api="NONE")
def proxy_pass_headers(hc: HandlerContext) -> None:
    """Backend headers nginx hides by default (Server, X-Accel-*) that should pass.

    What the controller does:
        ``proxy_pass_header`` for each name.
    Gateway API equivalent:
        None: which backend headers a data plane drops is implementation-specific.
    Caveats:
        Most Gateway implementations pass these headers anyway; check yours.
    Example:
        ``proxy-pass-headers: Server`` -> unsupported.
    """
    names = [_header_name(n) for n in hc.value.split(",") if n.strip()]
    hc.state(Outcome.UNSUPPORTED, f"headers {', '.join(names)} passed from the backend: Gateway API has no setting "
             "for the data plane's hidden headers", hint="Most implementations pass them; verify yours.")


@handler("add-header-inherit", Outcome.NOT_ROUTING, scope="server", gateway_api="NONE")
def add_header_inherit(hc: HandlerContext) -> None:
    """How add_header inherits between nginx levels (on, off, merge).

    What the controller does:
        ``add_header_inherit`` (nginx 1.29.3+): whether location-level headers add to server ones.
    Gateway API equivalent:
        None needed: each rule's filters are complete in the output.
    Caveats:
        Nothing is carried over.
    Example:
        ``add-header-inherit: merge`` -> stated only.
    """
    v = hc.value.strip().lower()
    if v not in ("on", "off", "merge"):
        raise AnnotationValueError("expected on, off or merge")
    hc.state(Outcome.NOT_ROUTING, "nginx header inheritance; the generated rules list their headers in full")


@handler("proxy-redirect-from", Outcome.UNSUPPORTED, scope="server", gateway_api="NONE")
def proxy_redirect_from(hc: HandlerContext) -> None:
    """Text of backend Location headers to replace (off, default, a URL or ~regex).

    What the controller does:
        ``proxy_redirect <from> <to>`` in the server.
    Gateway API equivalent:
        None: Gateway API does not rewrite response Location headers.
    Caveats:
        ``default`` is nginx's own behaviour and ``off`` disables it; Gateways rewrite nothing, as with off.
    Example:
        ``proxy-redirect-from: http://app:8080/`` -> unsupported.
    """
    v = hc.value.strip()
    if not v or re.search(r"[;{}`\s#]", v):
        raise AnnotationValueError("expected off, default, a URL or ~regex without spaces, ';', braces or '#'")
    if v in ("off", "default"):
        if value_of(hc, "proxy-redirect-to") is not None:
            raise AnnotationValueError(f"{v} takes no nginx.org/proxy-redirect-to (NIC rejects the Ingress otherwise)")
        hc.state(Outcome.TRANSLATED, f"{v}: nginx rewrites no public Location headers, and neither does a Gateway")
        return
    if value_of(hc, "proxy-redirect-to") is None:
        raise AnnotationValueError("a URL or regex needs nginx.org/proxy-redirect-to (NIC rejects the Ingress otherwise)")
    hc.state(Outcome.UNSUPPORTED, f"Location headers starting with {v!r} were rewritten by nginx; Gateway API cannot "
             "rewrite response Location headers", hint="Make the backend send the public URL, or use an "
             "implementation filter.")


@handler("proxy-redirect-to", Outcome.UNSUPPORTED, scope="server", gateway_api="NONE")
def proxy_redirect_to(hc: HandlerContext) -> None:
    """Replacement text for proxy-redirect-from.

    What the controller does:
        The second argument of ``proxy_redirect``; needs proxy-redirect-from.
    Gateway API equivalent:
        None.
    Caveats:
        Without proxy-redirect-from NIC rejects the Ingress.
    Example:
        ``proxy-redirect-to: https://shop.example.com/`` -> unsupported.
    """
    v = hc.value.strip()
    if not v or re.search(r"[;{}`\s#]", v):
        raise AnnotationValueError("expected a URL without spaces, ';', braces or '#'")
    source = (value_of(hc, "proxy-redirect-from") or "").strip()
    if not source or source in ("off", "default"):
        raise AnnotationValueError("needs nginx.org/proxy-redirect-from with a URL or regex (NIC rejects the Ingress "
                                   "otherwise)")
    hc.state(Outcome.UNSUPPORTED, f"replacement {v!r} for backend Location headers: not expressible in Gateway API",
             hint="See proxy-redirect-from.")


@handler("server-tokens", Outcome.NOT_ROUTING, scope="server", gateway_api="NONE")
def server_tokens(hc: HandlerContext) -> None:
    """Whether nginx shows its version in the Server header (NGINX Plus: a custom value).

    What the controller does:
        ``server_tokens on|off`` (Plus: any string as the Server header).
    Gateway API equivalent:
        None; the Gateway's own Server header is implementation-specific.
    Caveats:
        Does not change routing.
    Example:
        ``server-tokens: "false"`` -> stated only.
    """
    hc.state(Outcome.NOT_ROUTING, "the Server response header of the data plane; Gateway API has no setting for it")


@handler("custom-http-errors", Outcome.NEEDS_EMITTER, scope="server", gateway_api="IMPL")
def custom_http_errors(hc: HandlerContext) -> None:
    """Sends backend errors of these codes (and 4xx/5xx) to the Ingress's defaultBackend.

    What the controller does:
        ``proxy_intercept_errors on`` and ``error_page <codes> @custom_default_backend`` when the Ingress
        has a spec.defaultBackend.
    Gateway API equivalent:
        None in core: a custom-errors requirement (Envoy Gateway responseOverride serves static bodies).
    Caveats:
        Without spec.defaultBackend nginx intercepts the errors but shows its own pages.
    Example:
        ``custom-http-errors: "404,5xx"`` -> custom-errors ``codes: [404, 500, ...]``.
    """
    codes: set[int] = set()
    for tok in (t.strip().lower() for t in hc.value.split(",")):
        if not tok:
            continue
        if tok in ("4xx", "5xx"):
            base = 400 if tok == "4xx" else 500
            codes.update(c for c in range(base, base + 100) if c != 499)  # nginx's error_page rejects 499
        elif tok == "499":
            raise AnnotationValueError("499 is not allowed: nginx rejects it in error_page")
        elif tok.isdigit() and 300 <= int(tok) <= 599:
            codes.add(int(tok))
        else:
            raise AnnotationValueError(f"{tok!r} is not a status code from 300 to 599, 4xx or 5xx")
    if not codes:
        raise AnnotationValueError("expected codes such as 404,503 or 5xx")
    backend = hc.ingress.default_backend
    name = backend.service.name if backend is not None and backend.service is not None else None
    hc.require("custom-errors", {"codes": sorted(codes), "backend": name}, target="route",
               message=f"{len(codes)} upstream error code(s) answered by "
               f"{'Service ' + name if name else 'nginx error pages'}",
               hint="Target emitters: Envoy Gateway BackendTrafficPolicy.responseOverride.")
