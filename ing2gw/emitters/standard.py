"""The standard emitter: Gateway API objects only, for the chosen version and channel.

It never emits a field or kind that the chosen version and channel lack; each thing it leaves out is
stated as a notification with the reason. Requirements (rate limits, auth, ...) are not consumed here:
they stay reported as ``needs-target-emitter``. Target emitters call :func:`emit_standard` first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ing2gw.emitter import EmitOptions, EmitPart, EmitResult, join_results
from ing2gw.model import (
    CORS,
    BackendRef,
    BackendTLSPolicy,
    ExtensionRef,
    ExternalAuth,
    Filter,
    Gateway,
    GatewayClass,
    GatewayModel,
    GRPCRoute,
    HeaderModifier,
    HTTPRoute,
    Listener,
    ListenerSet,
    Notification,
    Outcome,
    ParentRef,
    ReferenceGrant,
    RequestMirror,
    RequestRedirect,
    RouteMatch,
    RouteRule,
    Source,
    TLSRoute,
    URLRewrite,
)

GW = "gateway.networking.k8s.io/v1"
ANNOTATION_PREFIX = "ing2gw.io/"
_REDIRECT_FALLBACK = {308: 301, 307: 302, 303: 302}


class StandardEmitter:
    name = "standard"
    title = "Gateway API (standard resources only)"
    gateway_controller: str | None = None
    target_versions: tuple[str, ...] = ()
    # A model made of some namespaces gives the parts of the whole model for those namespaces, with their
    # ``order``; no requirement is consumed, so their ids (numbered per part) do not show. A large
    # conversion may then be split by namespace (ing2gw.core.partition).
    partitioned = True

    def consumes(self) -> tuple[str, ...]:
        return ()

    def emit(self, model: GatewayModel, options: EmitOptions) -> EmitResult:
        return emit_standard(model, options)

    def emit_parts(self, model: GatewayModel, options: EmitOptions) -> list[EmitPart]:
        return standard_parts(model, options)


EMITTER = StandardEmitter()


def emit_standard(model: GatewayModel, options: EmitOptions) -> EmitResult:
    return join_results(part.build() for part in standard_parts(model, options))


def standard_parts(model: GatewayModel, options: EmitOptions) -> list[EmitPart]:
    """One part per object, in output order: GatewayClasses, Gateways, ListenerSets, HTTPRoutes, GRPCRoutes,
    TLSRoutes, BackendTLSPolicies, ReferenceGrants, each sorted by namespace and name."""
    parts = [EmitPart("GatewayClass", _One(options, _Emitter.gateway_class, gc), (0, "", gc.name))
             for gc in sorted(model.gateway_classes, key=lambda g: g.name)]
    made: tuple[tuple[str, Callable[[_Emitter, Any], dict[str, Any] | None], list[Any]], ...] = (
        ("Gateway", _Emitter.gateway, [gw for gw in model.gateways if not gw.existing]),
        ("ListenerSet", _Emitter.listener_set, model.listener_sets),
        ("HTTPRoute", _Emitter.http_route, model.http_routes),
        ("GRPCRoute", _Emitter.grpc_route, model.grpc_routes),
        ("TLSRoute", _Emitter.tls_route, model.tls_routes),
        ("BackendTLSPolicy", _Emitter.backend_tls_policy, model.backend_tls_policies),
        ("ReferenceGrant", _Emitter.reference_grant, model.reference_grants))
    for rank, (kind, method, items) in enumerate(made, start=1):
        parts.extend(EmitPart(kind, _One(options, method, item), (rank, item.namespace, item.name))
                     for item in _sorted(items))
    return parts


class _One:
    """Builds one object: a part's ``build`` (a quarter of the size of a ``functools.partial`` with its
    arguments, and a large output has hundreds of thousands of parts)."""

    __slots__ = ("item", "method", "options")

    def __init__(self, options: EmitOptions, method: Callable[[_Emitter, Any], dict[str, Any] | None],
                 item: Any) -> None:
        self.options = options
        self.method = method
        self.item = item

    def __call__(self) -> EmitResult:
        e = _Emitter(self.options)
        obj = self.method(e, self.item)
        return EmitResult(objects=[obj] if obj is not None else [], notifications=e.notes, locations=e.locations)


def _sorted(items: list[Any]) -> list[Any]:
    return sorted(items, key=lambda o: (o.namespace, o.name))


class _Emitter:
    def __init__(self, options: EmitOptions) -> None:
        self.o = options
        self.caps = options.capabilities
        self.notes: list[Notification] = []
        self.locations: dict[tuple[str, str], list[str]] = {}

    def record(self, source: Source, where: str) -> None:
        """Remember that ``source`` (an annotation or a field of an input object) became ``where``."""
        subject = source.annotation or source.field
        if subject and source.kind:
            self.locations.setdefault((source.ref, subject), []).append(where)

    # --- helpers ------------------------------------------------------------------------------------
    def meta(self, name: str, namespace: str | None, sources: tuple[Source, ...]) -> dict[str, Any]:
        m: dict[str, Any] = {"name": name}
        if namespace:
            m["namespace"] = namespace
        ann = {ANNOTATION_PREFIX + "generated-by": f"ing2gw {self.o.tool_version}"}
        refs = sorted({s.ref for s in sources if s.kind})
        if refs:
            ann[ANNOTATION_PREFIX + "source"] = ", ".join(refs)
        m["annotations"] = ann
        return m

    def left_out(self, source: Source, what: str, why: str, hint: str | None = None,
                 outcome: Outcome = Outcome.UNSUPPORTED) -> None:
        subject = source.annotation or source.field or what
        self.notes.append(Notification(outcome, subject, f"{what} left out: {why}", source, hint=hint))

    # --- GatewayClass, Gateway -----------------------------------------------------------------------
    def gateway_class(self, gc: GatewayClass) -> dict[str, Any]:
        spec: dict[str, Any] = {"controllerName": gc.controller_name}
        if gc.description:
            spec["description"] = gc.description[:64]
        return {"apiVersion": GW, "kind": "GatewayClass", "metadata": self.meta(gc.name, None, ()), "spec": spec}

    def gateway(self, gw: Gateway) -> dict[str, Any]:
        listeners = [self.listener(lst) for lst in gw.listeners
                     if not (lst.protocol == "TLS" and self.caps.tls_route is None)]
        return {"apiVersion": GW, "kind": "Gateway", "metadata": self.meta(gw.name, gw.namespace, gw.sources),
                "spec": {"gatewayClassName": gw.class_name, "listeners": listeners}}

    def listener_set(self, ls: ListenerSet) -> dict[str, Any]:
        api = self.caps.listener_set
        assert api is not None, "the core only builds ListenerSets when the target has them"
        kind = "ListenerSet" if api.startswith("gateway.networking.k8s.io/") else "XListenerSet"
        return {"apiVersion": api, "kind": kind, "metadata": self.meta(ls.name, ls.namespace, ls.sources),
                "spec": {"parentRef": {"name": ls.gateway},
                         "listeners": [self.listener(lst) for lst in ls.listeners]}}

    def listener(self, lst: Listener) -> dict[str, Any]:
        out: dict[str, Any] = {"name": lst.name}
        if lst.hostname:
            out["hostname"] = lst.hostname
        out["port"] = lst.port
        out["protocol"] = lst.protocol
        if lst.tls is not None:
            tls: dict[str, Any] = {"mode": lst.tls.mode}
            if lst.tls.certificate_refs:
                refs = []
                for c in lst.tls.certificate_refs:
                    ref: dict[str, Any] = {"kind": "Secret", "name": c.name}
                    if c.namespace:
                        ref["namespace"] = c.namespace
                    refs.append(ref)
                tls["certificateRefs"] = refs
            out["tls"] = tls
        if lst.allowed_namespaces == "All":
            out["allowedRoutes"] = {"namespaces": {"from": "All"}}
        elif lst.allowed_namespaces == "Selector" and lst.namespace_selector:
            names = sorted(lst.namespace_selector.get("namespaces", "").split(","))
            out["allowedRoutes"] = {"namespaces": {"from": "Selector", "selector": {"matchExpressions": [
                {"key": "kubernetes.io/metadata.name", "operator": "In", "values": names}]}}}
        return out

    # --- routes -------------------------------------------------------------------------------------
    def parent_refs(self, refs: tuple[ParentRef, ...]) -> list[dict[str, Any]]:
        out = []
        for p in refs:
            d: dict[str, Any] = {}
            if p.kind != "Gateway":
                d["group"] = p.group
                d["kind"] = p.kind
            d["name"] = p.name
            if p.namespace:
                d["namespace"] = p.namespace
            if p.section_name:
                d["sectionName"] = p.section_name
            if p.port:
                d["port"] = p.port
            out.append(d)
        return out

    def http_route(self, r: HTTPRoute) -> dict[str, Any]:
        spec: dict[str, Any] = {"parentRefs": self.parent_refs(r.parent_refs)}
        if r.hostnames:
            spec["hostnames"] = list(r.hostnames)
        ref = f"HTTPRoute {r.namespace}/{r.name}"
        spec["rules"] = [self.rule(rule, f"{ref} spec.rules[{i}]") for i, rule in enumerate(r.rules)]
        return {"apiVersion": GW, "kind": "HTTPRoute", "metadata": self.meta(r.name, r.namespace, r.sources),
                "spec": spec}

    def rule(self, rule: RouteRule, where: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for s in rule.sources:
            self.record(s, where)
        if rule.name and self.caps.rule_names:
            out["name"] = rule.name
        if rule.matches:
            out["matches"] = [self.match(m) for m in rule.matches]
        filters = self.filters(rule.filters, where)
        if filters:
            out["filters"] = filters
        if rule.backends:
            out["backendRefs"] = [self.backend(b) for b in rule.backends]
        if rule.timeouts and (rule.timeouts.request or rule.timeouts.backend_request):
            t: dict[str, str] = {}
            if rule.timeouts.request:
                t["request"] = rule.timeouts.request
            if rule.timeouts.backend_request:
                t["backendRequest"] = rule.timeouts.backend_request
            out["timeouts"] = t
        src = rule.sources[0]
        if rule.retry is not None:
            if self.caps.retry:
                rt: dict[str, Any] = {}
                if rule.retry.codes:
                    rt["codes"] = list(rule.retry.codes)
                if rule.retry.attempts is not None:
                    rt["attempts"] = rule.retry.attempts
                if rule.retry.backoff:
                    rt["backoff"] = rule.retry.backoff
                out["retry"] = rt
            else:
                self.left_out(src, "retry", f"HTTPRoute retry is experimental-channel only ({self.caps.channel} chosen)",
                              "Use --channel experimental or a target emitter.")
        if rule.session_persistence is not None:
            sp = rule.session_persistence
            if self.caps.session_persistence:
                d: dict[str, Any] = {"type": sp.type}
                if sp.session_name:
                    d["sessionName"] = sp.session_name
                if sp.absolute_timeout:
                    d["absoluteTimeout"] = sp.absolute_timeout
                if sp.lifetime_type and sp.type == "Cookie":
                    d["cookieConfig"] = {"lifetimeType": sp.lifetime_type}
                out["sessionPersistence"] = d
            else:
                self.left_out(src, "sessionPersistence", "experimental-channel only",
                              "Use --channel experimental or a target emitter.")
        return out

    def match(self, m: RouteMatch) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if m.path is not None:
            out["path"] = {"type": m.path.type, "value": m.path.value}
        if m.headers:
            out["headers"] = [{"type": h.type, "name": h.name, "value": h.value} for h in m.headers]
        if m.query_params:
            out["queryParams"] = [{"type": q.type, "name": q.name, "value": q.value} for q in m.query_params]
        if m.method:
            out["method"] = m.method
        return out

    def backend(self, b: BackendRef) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if b.group:
            out["group"] = b.group
        if b.kind != "Service" or b.group:
            out["kind"] = b.kind
        out["name"] = b.name
        if b.namespace:
            out["namespace"] = b.namespace
        if b.port is not None:
            out["port"] = b.port
        if b.weight is not None:
            out["weight"] = b.weight
        return out

    def filters(self, filters: tuple[Filter, ...], where: str) -> list[dict[str, Any]]:
        """A rule's filters (HTTPRoute or GRPCRoute: the kinds they share are written alike), each recorded."""
        out: list[dict[str, Any]] = []
        for f in filters:
            rendered = self.filter(f)
            if rendered is not None:
                self.record(f.source, f"{where}.filters[{len(out)}]")
                out.append(rendered)
        return out

    def filter(self, f: Filter) -> dict[str, Any] | None:
        if isinstance(f, RequestRedirect):
            rr: dict[str, Any] = {}
            if f.scheme:
                rr["scheme"] = f.scheme
            if f.hostname:
                rr["hostname"] = f.hostname
            if f.path:
                rr["path"] = _path_modifier(f.path.type, f.path.value)
            if f.port:
                rr["port"] = f.port
            code = f.status_code
            if code is not None and code not in self.caps.redirect_codes:
                fallback = _REDIRECT_FALLBACK.get(code, 302)
                self.notes.append(Notification(
                    Outcome.CAVEAT, f.source.annotation or f.source.field or "redirect",
                    f"redirect status {code} needs Gateway API v1.5 or later; {fallback} emitted instead "
                    f"({self.caps.version} chosen)", f.source,
                    hint="301/302 may turn POST into GET in clients; target v1.5+ to keep the code."))
                code = fallback
            if code is not None:
                rr["statusCode"] = code
            return {"type": "RequestRedirect", "requestRedirect": rr}
        if isinstance(f, URLRewrite):
            uw: dict[str, Any] = {}
            if f.hostname:
                uw["hostname"] = f.hostname
            if f.path:
                uw["path"] = _path_modifier(f.path.type, f.path.value)
            return {"type": "URLRewrite", "urlRewrite": uw}
        if isinstance(f, HeaderModifier):
            hm: dict[str, Any] = {}
            if f.set:
                hm["set"] = [{"name": k, "value": v} for k, v in f.set]
            if f.add:
                hm["add"] = [{"name": k, "value": v} for k, v in f.add]
            if f.remove:
                hm["remove"] = list(f.remove)
            if f.direction == "request":
                return {"type": "RequestHeaderModifier", "requestHeaderModifier": hm}
            return {"type": "ResponseHeaderModifier", "responseHeaderModifier": hm}
        if isinstance(f, RequestMirror):
            m: dict[str, Any] = {"backendRef": self.backend(f.backend)}
            if f.percent is not None:
                if self.caps.mirror_percent:
                    m["percent"] = f.percent
                else:
                    self.left_out(f.source, "requestMirror.percent", "needs Gateway API v1.3 or later")
            return {"type": "RequestMirror", "requestMirror": m}
        if isinstance(f, CORS):
            if not self.caps.cors:
                self.left_out(f.source, "CORS filter", f"needs Gateway API v1.5 (standard) or v1.3 (experimental); "
                              f"{self.caps.version} {self.caps.channel} chosen")
                return None
            if "*" in f.allow_origins and not self.caps.cors_wildcard_origin:
                self.left_out(f.source, "CORS filter", f"allowOrigins '*' needs Gateway API v1.4 or later; "
                              f"{self.caps.version} {self.caps.channel} chosen")
                return None
            c: dict[str, Any] = {}
            if f.allow_origins:
                c["allowOrigins"] = list(f.allow_origins)
            if f.allow_methods:
                c["allowMethods"] = list(f.allow_methods)
            if f.allow_headers:
                c["allowHeaders"] = list(f.allow_headers)
            if f.expose_headers:
                c["exposeHeaders"] = list(f.expose_headers)
            if f.allow_credentials is not None:
                # v1.3 experimental: a boolean that may only be true (enum [true])
                c["allowCredentials"] = f.allow_credentials if self.caps.cors_credentials_bool else (
                    True if f.allow_credentials else None)
                if c["allowCredentials"] is None:
                    del c["allowCredentials"]
            if f.max_age is not None:
                c["maxAge"] = f.max_age
            return {"type": "CORS", "cors": c}
        if isinstance(f, ExtensionRef):
            return {"type": "ExtensionRef", "extensionRef": {"group": f.group, "kind": f.kind, "name": f.name}}
        if isinstance(f, ExternalAuth):
            if not self.caps.external_auth:
                self.left_out(f.source, "ExternalAuth filter", "experimental channel v1.4 or later only",
                              outcome=Outcome.NEEDS_EMITTER)
                return None
            ea: dict[str, Any] = {"protocol": f.protocol, "backendRef": self.backend(f.backend)}
            if f.protocol == "HTTP":
                http: dict[str, Any] = {}
                if f.path:
                    http["path"] = f.path
                if f.allowed_headers:
                    http["allowedHeaders"] = list(f.allowed_headers)
                if f.allowed_response_headers:
                    http["allowedResponseHeaders"] = list(f.allowed_response_headers)
                ea["http"] = http
            else:
                ea["grpc"] = {"allowedHeaders": list(f.allowed_headers)} if f.allowed_headers else {}
            return {"type": "ExternalAuth", "externalAuth": ea}
        raise TypeError(f"unknown filter {type(f).__name__}")

    def grpc_route(self, g: GRPCRoute) -> dict[str, Any]:
        rules = []
        for i, rule in enumerate(g.rules):
            out: dict[str, Any] = {}
            matches = []
            for m in rule.matches:
                mm: dict[str, Any] = {"type": m.type}
                if m.service:
                    mm["service"] = m.service
                if m.method:
                    mm["method"] = m.method
                match: dict[str, Any] = {"method": mm}
                if rule.headers:
                    match["headers"] = [{"type": h.type, "name": h.name, "value": h.value} for h in rule.headers]
                matches.append(match)
            if not matches and rule.headers:
                matches.append({"headers": [{"type": h.type, "name": h.name, "value": h.value} for h in rule.headers]})
            if matches:
                out["matches"] = matches
            filters = self.filters(rule.filters, f"GRPCRoute {g.namespace}/{g.name} spec.rules[{i}]")
            if filters:
                out["filters"] = filters
            out["backendRefs"] = [self.backend(b) for b in rule.backends]
            rules.append(out)
        spec: dict[str, Any] = {"parentRefs": self.parent_refs(g.parent_refs)}
        if g.hostnames:
            spec["hostnames"] = list(g.hostnames)
        spec["rules"] = rules
        return {"apiVersion": GW, "kind": "GRPCRoute", "metadata": self.meta(g.name, g.namespace, g.sources),
                "spec": spec}

    def tls_route(self, t: TLSRoute) -> dict[str, Any] | None:
        api = self.caps.tls_route
        if api is None:
            for s in t.sources:
                self.left_out(s, "TLSRoute (ssl passthrough)", f"TLSRoute needs Gateway API v1.5 (standard) or the "
                              f"experimental channel; {self.caps.version} {self.caps.channel} chosen")
            return None
        spec = {"parentRefs": self.parent_refs(t.parent_refs), "hostnames": list(t.hostnames),
                "rules": [{"backendRefs": [self.backend(b) for b in t.backends]}]}
        return {"apiVersion": api, "kind": "TLSRoute", "metadata": self.meta(t.name, t.namespace, t.sources),
                "spec": spec}

    def backend_tls_policy(self, p: BackendTLSPolicy) -> dict[str, Any] | None:
        api = self.caps.backend_tls_policy
        if api is None:
            for s in p.sources:
                self.left_out(s, "BackendTLSPolicy", f"needs Gateway API v1.4 (standard) or the experimental channel; "
                              f"{self.caps.version} {self.caps.channel} chosen", outcome=Outcome.NEEDS_EMITTER)
            return None
        target: dict[str, Any] = {"group": "", "kind": "Service", "name": p.service}
        if p.section_name:
            target["sectionName"] = p.section_name
        validation: dict[str, Any] = {}
        if p.ca_certificate_refs:
            validation["caCertificateRefs"] = [{"group": "", "kind": "ConfigMap", "name": n}
                                               for n in p.ca_certificate_refs]
        else:
            validation["wellKnownCACertificates"] = p.well_known_ca or "System"
        validation["hostname"] = p.hostname
        return {"apiVersion": api, "kind": "BackendTLSPolicy", "metadata": self.meta(p.name, p.namespace, p.sources),
                "spec": {"targetRefs": [target], "validation": validation}}

    def reference_grant(self, rg: ReferenceGrant) -> dict[str, Any]:
        to: dict[str, Any] = {"group": rg.to_group, "kind": rg.to_kind}
        if rg.to_name:
            to["name"] = rg.to_name
        return {"apiVersion": self.caps.reference_grant, "kind": "ReferenceGrant",
                "metadata": self.meta(rg.name, rg.namespace, rg.sources),
                "spec": {"from": [{"group": rg.from_group, "kind": rg.from_kind, "namespace": rg.from_namespace}],
                         "to": [to]}}


def _path_modifier(kind: str, value: str) -> dict[str, Any]:
    key = "replaceFullPath" if kind == "ReplaceFullPath" else "replacePrefixMatch"
    return {"type": kind, key: value}
