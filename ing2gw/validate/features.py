"""Gateway API conformance features an object needs, and the ones a GatewayClass does not support.

Feature names are those of Gateway API's ``pkg/features`` (v1.6), as implementations list them in
``GatewayClass.status.supportedFeatures`` (v1.4 and later). Core features of a kind (``HTTPRoute``,
``Gateway``, ...) are listed too, since implementations publish them as well.

Not derivable from the objects alone: ``HTTPRouteBackendProtocolH2C``/``WebSocket`` (they depend on
the Service's ``appProtocol``) and mesh features (ing2gw emits no mesh routes).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

_KIND_FEATURE = {
    "Gateway": "Gateway", "HTTPRoute": "HTTPRoute", "GRPCRoute": "GRPCRoute", "TLSRoute": "TLSRoute",
    "TCPRoute": "TCPRoute", "UDPRoute": "UDPRoute", "ReferenceGrant": "ReferenceGrant",
    "BackendTLSPolicy": "BackendTLSPolicy", "ListenerSet": "ListenerSet", "XListenerSet": "ListenerSet",
}
_REDIRECT_CODES = {303: "HTTPRoute303RedirectStatusCode", 307: "HTTPRoute307RedirectStatusCode",
                   308: "HTTPRoute308RedirectStatusCode"}


def _filters(filters: Any, out: set[str], *, backend: bool = False) -> None:
    mirrors = 0
    for f in filters or ():
        if not isinstance(f, dict):
            continue
        t = f.get("type")
        if t == "ResponseHeaderModifier":
            out.add("HTTPRouteResponseHeaderModification")
        elif t == "CORS":
            out.add("HTTPRouteCORS")
        elif t == "RequestRedirect":
            r = f.get("requestRedirect") or {}
            if r.get("scheme"):
                out.add("HTTPRouteSchemeRedirect")
            if r.get("port"):
                out.add("HTTPRoutePortRedirect")
            if r.get("path"):
                out.add("HTTPRoutePathRedirect")
            code = _REDIRECT_CODES.get(r.get("statusCode"))  # type: ignore[arg-type]
            if code:
                out.add(code)
        elif t == "URLRewrite":
            r = f.get("urlRewrite") or {}
            if r.get("hostname"):
                out.add("HTTPRouteHostRewrite")
            if r.get("path"):
                out.add("HTTPRoutePathRewrite")
        elif t == "RequestMirror":
            mirrors += 1
            out.add("HTTPRouteRequestMirror")
            m = f.get("requestMirror") or {}
            if "percent" in m or "fraction" in m:
                out.add("HTTPRouteRequestPercentageMirror")
        elif t == "RequestHeaderModifier" and backend:
            out.add("HTTPRouteBackendRequestHeaderModification")
    if mirrors > 1:
        out.add("HTTPRouteRequestMultipleMirrors")


def _http_route(spec: dict[str, Any], out: set[str]) -> None:
    for p in spec.get("parentRefs") or ():
        if isinstance(p, dict) and p.get("port") is not None:
            out.add("HTTPRouteParentRefPort")
    for rule in spec.get("rules") or ():
        if not isinstance(rule, dict):
            continue
        if rule.get("name"):
            out.add("HTTPRouteNamedRouteRule")
        for m in rule.get("matches") or ():
            if isinstance(m, dict):
                if m.get("method"):
                    out.add("HTTPRouteMethodMatching")
                if m.get("queryParams"):
                    out.add("HTTPRouteQueryParamMatching")
        _filters(rule.get("filters"), out)
        for b in rule.get("backendRefs") or ():
            if isinstance(b, dict) and b.get("filters"):
                _filters(b["filters"], out, backend=True)
        timeouts = rule.get("timeouts") or {}
        if timeouts.get("request"):
            out.add("HTTPRouteRequestTimeout")
        if timeouts.get("backendRequest"):
            out.add("HTTPRouteBackendTimeout")
        if rule.get("retry"):
            out.add("HTTPRouteRetry")


def _covers(wild: str | None, host: str | None) -> bool:
    """Whether listener hostname ``wild`` (None: any) also matches requests for ``host``."""
    if wild is None:
        return True
    if host is None:
        return False
    return wild.startswith("*.") and host.endswith(wild[1:]) and host != wild


def _gateway(spec: dict[str, Any], out: set[str]) -> None:
    listeners = [ls for ls in spec.get("listeners") or () if isinstance(ls, dict)]
    for ls in listeners:
        if ls.get("port") == 8080:
            out.add("GatewayPort8080")
        tls = ls.get("tls") or {}
        if ls.get("protocol") == "TLS" and tls.get("mode", "Terminate") == "Terminate":
            out.add("TLSRouteModeTerminate")
    http = [ls for ls in listeners if ls.get("protocol") in ("HTTP", "HTTPS")]
    by_port: dict[tuple[Any, Any], list[dict[str, Any]]] = {}
    for ls in http:
        by_port.setdefault((ls.get("port"), ls.get("protocol")), []).append(ls)
    for group in by_port.values():
        hosts = {ls.get("hostname") for ls in group}
        if any(_covers(a, b) for a in hosts for b in hosts if a != b):
            out.add("GatewayHTTPListenerIsolation")
            break
    for a in spec.get("addresses") or ():
        if isinstance(a, dict):
            out.add("GatewayStaticAddresses" if a.get("value") else "GatewayAddressEmpty")
    if spec.get("infrastructure"):
        out.add("GatewayInfrastructurePropagation")
    tls = spec.get("tls") or {}
    frontend = tls.get("frontend") or {}
    if frontend:
        out.add("GatewayFrontendClientCertificateValidation")
        modes = [frontend.get("default", {}).get("validation", {}).get("mode")]
        modes += [(p.get("tls") or {}).get("validation", {}).get("mode") for p in frontend.get("perPort") or ()]
        if "AllowInsecureFallback" in modes:
            out.add("GatewayFrontendClientCertificateValidationInsecureFallback")
    if tls.get("backend"):
        out.add("GatewayBackendClientCertificate")


def required_features(obj: dict[str, Any]) -> list[str]:
    """The conformance features one emitted object needs, sorted."""
    kind = str(obj.get("kind"))
    raw_spec = obj.get("spec")
    spec: dict[str, Any] = raw_spec if isinstance(raw_spec, dict) else {}
    out: set[str] = set()
    if kind in _KIND_FEATURE:
        out.add(_KIND_FEATURE[kind])
    if kind == "HTTPRoute":
        _http_route(spec, out)
    elif kind == "GRPCRoute":
        if any(isinstance(r, dict) and r.get("name") for r in spec.get("rules") or ()):
            out.add("GRPCRouteNamedRouteRule")
    elif kind in ("Gateway", "ListenerSet", "XListenerSet"):
        _gateway(spec, out)
    elif kind == "BackendTLSPolicy" and (spec.get("validation") or {}).get("subjectAltNames"):
        out.add("BackendTLSPolicySANValidation")
    return sorted(out)


def supported_features(gateway_class: dict[str, Any]) -> frozenset[str] | None:
    """``status.supportedFeatures`` of a GatewayClass (names, or ``{name: ...}`` from v1.4), or None when
    the class does not publish them."""
    items = (gateway_class.get("status") or {}).get("supportedFeatures")
    if not items:
        return None
    return frozenset(i["name"] if isinstance(i, dict) else str(i) for i in items
                     if isinstance(i, str) or (isinstance(i, dict) and "name" in i))


@dataclass(frozen=True, slots=True)
class FeatureGap:
    object: str  # "HTTPRoute ns/name"
    gateway_class: str
    missing: tuple[str, ...]

    def __str__(self) -> str:
        return (f"{self.object}: GatewayClass {self.gateway_class} does not list supported feature(s) "
                f"{', '.join(self.missing)}")


def _label(obj: dict[str, Any]) -> str:
    from ing2gw.validate import object_label

    return object_label(obj)


def feature_gaps(objects: Sequence[dict[str, Any]], gateway_classes: Iterable[dict[str, Any]] = ()) -> list[FeatureGap]:
    """For each object attached (directly or through its Gateway) to a GatewayClass that publishes
    ``status.supportedFeatures``, the required features that class lacks. GatewayClasses are taken from
    ``objects`` and ``gateway_classes`` (e.g. read from a cluster)."""
    classes: dict[str, frozenset[str]] = {}
    for gc in [*objects, *gateway_classes]:
        if gc.get("kind") == "GatewayClass":
            feats = supported_features(gc)
            if feats is not None:
                classes[(gc.get("metadata") or {}).get("name", "")] = feats
    if not classes:
        return []
    gateway_class_of: dict[tuple[str, str], str] = {}
    for o in objects:
        if o.get("kind") == "Gateway":
            meta = o.get("metadata") or {}
            gateway_class_of[(meta.get("namespace") or "default", meta.get("name", ""))] = \
                (o.get("spec") or {}).get("gatewayClassName", "")
    gaps = []
    for o in objects:
        kind = o.get("kind")
        if kind == "GatewayClass":
            continue
        meta = o.get("metadata") or {}
        ns = meta.get("namespace") or "default"
        names: set[str] = set()
        spec = o.get("spec") or {}
        if kind == "Gateway":
            names.add(spec.get("gatewayClassName", ""))
        refs = list(spec.get("parentRefs") or ())
        if isinstance(spec.get("parentRef"), dict):
            refs.append(spec["parentRef"])
        refs += list(spec.get("targetRefs") or ())
        for ref in refs:
            if isinstance(ref, dict) and ref.get("kind", "Gateway") == "Gateway":
                class_name = gateway_class_of.get((ref.get("namespace") or ns, ref.get("name", "")))
                if class_name:
                    names.add(class_name)
        needed = required_features(o)
        for gc_name in sorted(names):
            if gc_name in classes:
                missing = tuple(f for f in needed if f not in classes[gc_name])
                if missing:
                    gaps.append(FeatureGap(_label(o), gc_name, missing))
    return gaps
