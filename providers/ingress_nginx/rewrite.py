"""Rewrites and upstream request settings: rewrite-target, x-forwarded-prefix, upstream-vhost,
connection-proxy-header, proxy-http-version, custom-headers."""

from __future__ import annotations

import re

from ing2gw.model import Outcome, PathModifier, Requirement
from ing2gw.provider import AnnotationValueError, HandlerContext, PathRoute

from . import REGISTRY
from ._common import (
    GATEWAY_API,
    HEADER_NAME,
    HOSTNAME,
    merge_url_rewrite,
    set_request_header,
    set_response_header,
)

_CAPTURE = re.compile(r"\$(\d+)")
_SEGMENT_IDIOM = ("(/|$)(.*)", "(?:/|$)(.*)")


def rewrite_plan(path: str, target: str) -> tuple[str, str, str]:
    """How nginx's ``rewrite (?i)<path> <target> break`` maps to Gateway API.

    Returns (kind, value, detail): ``full`` (ReplaceFullPath value), ``prefix`` (ReplacePrefixMatch value;
    detail names the small difference, if any), ``regex`` (value = substitution in \\1 form) or
    ``unsupported`` (detail says why).
    """
    if "?" in target:
        return "unsupported", "", "the target sets a query string, which URLRewrite cannot do"
    if re.search(r"\$(?!\d)", target):
        return "unsupported", "", "the target uses nginx variables other than $1..$9"
    if target.startswith(("http://", "https://")):
        return "unsupported", "", "nginx answers a rewrite to an absolute URL with a redirect"
    if not target.startswith("/"):
        return "unsupported", "", "the target is not an absolute path"
    groups = _CAPTURE.findall(target)
    if not groups:
        return "full", target, ""
    body = path[1:] if path.startswith("^") else path
    from .paths import is_literal

    for tail in _SEGMENT_IDIOM:
        if body.endswith(tail) and target.endswith("$2") and groups == ["2"]:
            lit, head = body[: -len(tail)], target[:-2]
            if lit.startswith("/") and is_literal(lit) and head.endswith("/"):
                q = head.rstrip("/") or "/"
                detail = "" if q == "/" else f"; a request for exactly {lit} was sent as {head} by nginx and is sent as {q}"
                return "prefix", q, detail
    if body.endswith("/(.*)") and target.endswith("$1") and groups == ["1"]:
        lit, head = body[: -len("/(.*)")], target[:-2]
        if lit.startswith("/") and is_literal(lit) and head.endswith("/"):
            q = head.rstrip("/") or "/"
            return "prefix", q, f"; PathPrefix {lit} also matches {lit} itself, which nginx did not send here"
    return "regex", _CAPTURE.sub(r"\\\1", target), ""


def _rewritten(hc: HandlerContext) -> list[PathRoute]:
    """The paths of this Ingress that nginx rewrites (rewrite-target set and different from the path)."""
    target = hc.annotation("rewrite-target")
    if not target:
        return []
    return [r for r in hc.translation.routes if r.path is not None and r.path.path != target.strip()]


@REGISTRY.handler("rewrite-target", Outcome.TRANSLATED, gateway_api=GATEWAY_API["rewrite-target"], features=("HTTPRoutePathRewrite",), order=60)
def rewrite_target(hc: HandlerContext) -> None:
    """Replace the request path before proxying (URLRewrite), with nginx's whole-path semantics.

    What the controller does:
      Writes `rewrite "(?i)<path>" <target> break;` in each location of the Ingress: when the path regex
      matches, the WHOLE request path is replaced by the target, with $1..$9 taken from the path's capture
      groups (the query string is kept). It also switches every path of the host to regex mode (see
      use-regex).

    Gateway API equivalent:
      A target without captures: URLRewrite ReplaceFullPath (exactly nginx's behaviour: `/` on path `/app`
      sends `/app/deep` as `/`). The idiom path `/x(/|$)(.*)` + target `/$2` (or `/y/$2`): PathPrefix `/x` +
      ReplacePrefixMatch `/` (or `/y`). Any other use of captures: requirement `header-regex-rewrite` for a
      target emitter (regex rewrite), never a literal `$1`.

    Caveats:
      The Gateway API match is case-sensitive where nginx was not (see the path notes). Targets with
      nginx variables or a query string are not translated.

    Example:
      path `/api(/|$)(.*)`, rewrite-target `/$2` -> PathPrefix `/api`, URLRewrite ReplacePrefixMatch `/`.
    """
    target = hc.value.strip()
    if not target:
        raise AnnotationValueError("expected a path such as / or /$2")
    routes = _rewritten(hc)
    if not routes:
        hc.state(Outcome.TRANSLATED, "the target equals every path of the Ingress: nginx does not rewrite", features=())
        return
    kinds: dict[str, list[str]] = {}
    reqs: list[Requirement] = []
    for r in routes:
        assert r.path is not None
        kind, value, detail = rewrite_plan(r.path.path, target)
        pm = r.match.path
        if kind == "prefix" and (pm is None or pm.type != "PathPrefix"):
            kind, value = "regex", _CAPTURE.sub(r"\\\1", target)
        if kind == "full":
            merge_url_rewrite(r, hc.source, path=PathModifier("ReplaceFullPath", value))
            kinds.setdefault("full", []).append(f"{r.path.path} -> ReplaceFullPath {value}")
        elif kind == "prefix":
            merge_url_rewrite(r, hc.source, path=PathModifier("ReplacePrefixMatch", value))
            kinds.setdefault("prefix", []).append(f"{r.path.path} -> PathPrefix {pm.value if pm else ''} + "
                                                  f"ReplacePrefixMatch {value}{detail}")
        elif kind == "regex":
            req = Requirement(feature="header-regex-rewrite",
                              params={"pattern": "(?i)" + r.path.path, "substitution": value},
                              source=hc.source, target="rule", id=hc.ctx.next_id("header-regex-rewrite"))
            r.requirements.append(req)
            reqs.append(req)
            kinds.setdefault("regex", []).append(f"{r.path.path} -> {target}")
        else:
            kinds.setdefault("unsupported", []).append(f"{r.path.path}: {detail}")
    parts = []
    if "full" in kinds:
        parts.append("the whole path is replaced, as nginx does (" + "; ".join(kinds["full"]) + ")")
    if "prefix" in kinds:
        parts.append("capture idiom translated (" + "; ".join(kinds["prefix"]) + ")")
    if "regex" in kinds:
        parts.append("capture groups with no Gateway API equivalent, kept as requirement header-regex-rewrite ("
                     + "; ".join(kinds["regex"]) + ")")
    if "unsupported" in kinds:
        parts.append("not translated (" + "; ".join(kinds["unsupported"]) + ")")
    message = "; ".join(parts)
    if "unsupported" in kinds:
        hc.state(Outcome.UNSUPPORTED, message, hint="Rewrite these paths by hand, or with a target emitter's "
                 "regex rewrite; the backend now receives the original path.", features=())
    elif reqs:
        hc.state(Outcome.NEEDS_EMITTER, message, requirement=reqs[0], hint="A target emitter with regex rewrites "
                 "(Envoy Gateway HTTPRouteFilter replaceRegexMatch) can translate it; otherwise rewrite by hand.")
    elif any("exactly" in k or "itself" in k for k in kinds.get("prefix", [])):
        hc.state(Outcome.CAVEAT, message)
    else:
        hc.state(Outcome.TRANSLATED, message)


@REGISTRY.handler("x-forwarded-prefix", Outcome.TRANSLATED, gateway_api=GATEWAY_API["x-forwarded-prefix"], order=70)
def x_forwarded_prefix(hc: HandlerContext) -> None:
    """Send `X-Forwarded-Prefix: <value>` to the backend on rewritten paths (RequestHeaderModifier).

    What the controller does:
      Adds `proxy_set_header X-Forwarded-Prefix <value>` - only in locations that rewrite-target rewrites.

    Gateway API equivalent:
      RequestHeaderModifier set `X-Forwarded-Prefix` on the rules of those paths.

    Caveats:
      Without rewrite-target the annotation has no effect, in nginx and here.

    Example:
      x-forwarded-prefix: /api with rewrite-target: /$2 -> set X-Forwarded-Prefix: /api.
    """
    value = hc.value.strip()
    if not value:
        raise AnnotationValueError("expected a path prefix such as /api")
    routes = _rewritten(hc)
    if not routes:
        hc.state(Outcome.NOT_ROUTING, "no effect: nginx adds X-Forwarded-Prefix only where rewrite-target rewrites")
        return
    for r in routes:
        set_request_header(r, "X-Forwarded-Prefix", value, hc.source)
    hc.state(Outcome.TRANSLATED, f"RequestHeaderModifier sets X-Forwarded-Prefix: {value} on the rewritten paths")


@REGISTRY.handler("upstream-vhost", Outcome.TRANSLATED, gateway_api=GATEWAY_API["upstream-vhost"], features=("HTTPRouteHostRewrite",), order=70)
def upstream_vhost(hc: HandlerContext) -> None:
    """Send this Host header to the backend (URLRewrite hostname).

    What the controller does:
      `proxy_set_header Host <value>` in every location of the Ingress.

    Gateway API equivalent:
      URLRewrite `hostname`, merged with the path rewrite of rewrite-target into one URLRewrite filter.

    Caveats:
      Only literal host names: nginx variables and ports cannot be expressed.

    Example:
      upstream-vhost: internal.example.com -> URLRewrite hostname internal.example.com.
    """
    v = hc.value.strip().lower()
    if "$" in v or ":" in v or not HOSTNAME.match(v):
        hc.state(Outcome.UNSUPPORTED, f"{hc.value!r} is not a plain host name (nginx variables and ports cannot "
                 "be expressed by URLRewrite hostname)", hint="Set the Host header with a target emitter or by hand.",
                 features=())
        return
    for r in hc.translation.routes:
        merge_url_rewrite(r, hc.source, hostname=v)
    hc.state(Outcome.TRANSLATED, f"URLRewrite hostname {v}")


@REGISTRY.handler("connection-proxy-header", Outcome.UNSUPPORTED, gateway_api=GATEWAY_API["connection-proxy-header"])
def connection_proxy_header(hc: HandlerContext) -> None:
    """Override the Connection header sent to the backend: not expressible (hop-by-hop header).

    What the controller does:
      `proxy_set_header Connection <value>` (nginx otherwise sends `close`, or `upgrade` for WebSockets).

    Gateway API equivalent:
      None. Connection is hop-by-hop: Gateway data planes manage connections to backends themselves and
      ignore or reject a RequestHeaderModifier on it. WebSocket upgrades work without it (Service
      appProtocol `kubernetes.io/ws` declares them, feature HTTPRouteBackendProtocolWebSocket).

    Caveats:
      Keep-alive towards backends is the default of Envoy- and nginx-based Gateways.

    Example:
      connection-proxy-header: keep-alive -> reported; usually nothing to do.
    """
    hc.state(Outcome.UNSUPPORTED, f"Connection: {hc.value.strip()} towards the backend cannot be set: it is a "
             "hop-by-hop header that Gateway data planes manage themselves",
             hint="Usually nothing to do (keep-alive is the default); for WebSockets set appProtocol "
             "kubernetes.io/ws on the Service port.")


@REGISTRY.handler("proxy-http-version", Outcome.TRANSLATED, gateway_api=GATEWAY_API["proxy-http-version"])
def proxy_http_version(hc: HandlerContext) -> None:
    """HTTP version towards the backend: 1.1 is what Gateways use anyway; 1.0 cannot be expressed.

    What the controller does:
      `proxy_http_version 1.0|1.1` (default 1.1).

    Gateway API equivalent:
      None needed for 1.1 (the data planes speak HTTP/1.1 to backends unless the Service's appProtocol
      asks for h2c). 1.0 has no equivalent.

    Caveats:
      For HTTP/2 cleartext backends, set appProtocol `kubernetes.io/h2c` on the Service port.

    Example:
      proxy-http-version: "1.1" -> nothing to emit.
    """
    v = hc.value.strip()
    if v == "1.1":
        hc.state(Outcome.TRANSLATED, "HTTP/1.1 towards backends is the Gateway data planes' default: nothing to emit")
    elif v == "1.0":
        hc.state(Outcome.UNSUPPORTED, "HTTP/1.0 towards the backend cannot be requested in Gateway API",
                 hint="Backends that only speak HTTP/1.0 need a target-specific setting.")
    else:
        raise AnnotationValueError('expected "1.0" or "1.1"')


@REGISTRY.handler("custom-headers", Outcome.TRANSLATED, gateway_api=GATEWAY_API["custom-headers"], features=("HTTPRouteResponseHeaderModification",))
def custom_headers(hc: HandlerContext) -> None:
    """Add the response headers listed in a ConfigMap (ResponseHeaderModifier).

    What the controller does:
      Reads the ConfigMap `<namespace>/<name>` and adds each key as a response header
      (`more_set_headers`) in every location of the Ingress. The controller refuses header names that
      its ConfigMap key `global-allowed-response-headers` does not list (empty by default).

    Gateway API equivalent:
      ResponseHeaderModifier `set` with the ConfigMap's entries, read at conversion time.

    Caveats:
      The ConfigMap must be in the input. Later changes to it are not followed.

    Example:
      custom-headers: web/security-headers (data X-Frame-Options: DENY) -> set X-Frame-Options: DENY.
    """
    ref = hc.value.strip()
    ns, _, name = ref.rpartition("/")
    ns = ns or hc.ingress.namespace
    if not name:
        raise AnnotationValueError("expected a ConfigMap as NAMESPACE/NAME")
    cm = hc.ctx.config_maps.get((ns, name))
    if cm is None:
        hc.state(Outcome.UNSUPPORTED, f"ConfigMap {ns}/{name} is not in the input: its headers cannot be read",
                 hint="Add the ConfigMap to the input (or export it from the cluster) and convert again.", features=())
        return
    bad = sorted(k for k in cm.data if not HEADER_NAME.match(k))
    if bad:
        hc.state(Outcome.UNSUPPORTED, f"ConfigMap {ns}/{name} has invalid header names: {', '.join(bad)}", features=())
        return
    cfg = hc.ctx.controller_config
    allowed_text = cfg.get("global-allowed-response-headers")
    if cfg:
        allowed = {h.strip().lower() for h in (allowed_text or "").split(",") if h.strip()}
        refused = sorted(k for k in cm.data if k.lower() not in allowed)
        if refused:
            hc.state(Outcome.NOT_ROUTING, f"the controller ignored this annotation: {', '.join(refused)} not in the "
                     "ConfigMap key global-allowed-response-headers", features=())
            return
    for r in hc.translation.routes:
        for k in sorted(cm.data):
            set_response_header(r, k, cm.data[k], hc.source)
    names = ", ".join(sorted(cm.data))
    if cfg:
        hc.state(Outcome.TRANSLATED, f"ResponseHeaderModifier sets {names} (from ConfigMap {ns}/{name})")
    else:
        hc.state(Outcome.CAVEAT, f"ResponseHeaderModifier sets {names} (from ConfigMap {ns}/{name}), assuming the "
                 "controller's global-allowed-response-headers listed them (by default it lists none, and then the "
                 "controller ignored this annotation)", hint="Give the controller ConfigMap (--controller-config) "
                 "to check.")
