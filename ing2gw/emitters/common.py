"""Shared machinery of the target emitters: where each requirement applies, and how policies attach.

A target emitter runs the standard emitter first, then hands every requirement to a feature handler.
The handler writes into the *policy objects of one site* (one route rule, or one route when rule names
are not available) and returns a :class:`Carried` describing the emitted object and field and how the
target's meaning differs from nginx. A requirement is consumed only when every one of its sites carried
it; otherwise it stays ``needs-target-emitter`` and keeps its provider's message.
"""

from __future__ import annotations

import dataclasses
import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ing2gw.core.names import NameSet, slug
from ing2gw.emitter import EmitOptions, EmitResult
from ing2gw.emitters.standard import ANNOTATION_PREFIX, emit_standard
from ing2gw.model import (
    BackendRef,
    GatewayModel,
    Notification,
    Outcome,
    ParentRef,
    Requirement,
    RouteMatch,
    Source,
)

GW_GROUP = "gateway.networking.k8s.io"


# --------------------------------------------------------------------------------------------------
# Sites: where a requirement applies
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Site:
    """One route rule a requirement applies to."""

    kind: str  # HTTPRoute | GRPCRoute
    namespace: str
    route: str
    index: int
    rule_name: str | None  # the emitted rule name, None when the target version has none
    hostnames: tuple[str, ...]
    matches: tuple[RouteMatch, ...]
    backends: tuple[BackendRef, ...]
    parents: tuple[ParentRef, ...]
    sources: tuple[Source, ...]

    @property
    def ref(self) -> str:
        where = f" rule {self.rule_name}" if self.rule_name else f" rule #{self.index}"
        return f"{self.kind} {self.namespace}/{self.route}{where}"

    def target_ref(self) -> dict[str, Any]:
        """The narrowest policy targetRef for this site: the rule by sectionName, else the route."""
        ref: dict[str, Any] = {"group": GW_GROUP, "kind": self.kind, "name": self.route}
        if self.rule_name:
            ref["sectionName"] = self.rule_name
        return ref


@dataclass(slots=True)
class Carried:
    """How a handler carried one requirement on one site."""

    emitted: str  # "BackendTrafficPolicy ns/name spec.rateLimit"
    caveat: str | None = None  # how the target's meaning differs from nginx; None when identical


class NotCarried(Exception):
    """A handler cannot carry this requirement (with the reason, for tests and debugging)."""


Handler = Callable[["TargetContext", Site, Requirement], Carried]


# --------------------------------------------------------------------------------------------------
# Units
# --------------------------------------------------------------------------------------------------


def duration(seconds: float) -> str:
    """Seconds as a Gateway-API-style duration (``30s``, ``1500ms``, ``1h30m``): exact to the millisecond,
    at most 5 digits per unit and 4 units, as Envoy Gateway, kgateway and Gateway API accept."""
    ms = int(round(seconds * 1000))
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    if ms and not (h or m) and s * 1000 + ms <= 99999:
        return f"{s * 1000 + ms}ms"
    text = "".join(f"{v}{u}" for v, u in ((h, "h"), (m, "m"), (s, "s"), (ms, "ms")) if v)
    return text or "0s"


def quantity(n: int) -> str:
    """Bytes as a Kubernetes quantity: ``10Mi`` when exact, else the plain number."""
    for suffix, size in (("Gi", 1 << 30), ("Mi", 1 << 20), ("Ki", 1 << 10)):
        if n and n % size == 0:
            return f"{n // size}{suffix}"
    return str(n)


def nginx_size(n: int) -> tuple[str, bool]:
    """Bytes as an nginx size with at most 4 digits (``\\d{1,4}(k|m|g)?``); True when exact."""
    for suffix, size in (("g", 1 << 30), ("m", 1 << 20), ("k", 1 << 10), ("", 1)):
        if n and n % size == 0 and n // size <= 9999:
            return f"{n // size}{suffix}", True
    if n == 0:
        return "0", True
    for suffix, size in (("k", 1 << 10), ("m", 1 << 20), ("g", 1 << 30)):
        v = math.ceil(n / size)
        if v <= 9999:
            return f"{v}{suffix}", False
    raise NotCarried(f"{n} bytes is too large")


def nginx_time(seconds: float) -> str:
    """Seconds as an nginx time with at most 4 digits (``\\d{1,4}(ms|s|m|h)?``)."""
    ms = int(round(seconds * 1000))
    if ms % 1000 and ms <= 9999:
        return f"{ms}ms"
    s = math.ceil(ms / 1000)
    if s <= 9999:
        return f"{s}s"
    if math.ceil(s / 60) <= 9999:
        return f"{math.ceil(s / 60)}m"
    return f"{min(9999, math.ceil(s / 3600))}h"


# --------------------------------------------------------------------------------------------------
# The context handed to handlers
# --------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class TargetContext:
    model: GatewayModel
    options: EmitOptions
    emitter: str
    result: EmitResult
    # (kind, namespace, name) -> emitted route dict
    routes: dict[tuple[str, str, str], dict[str, Any]] = field(default_factory=dict)
    sites_by_route: dict[tuple[str, str, str], list[Site]] = field(default_factory=dict)
    by_requirement: dict[str, list[Site]] = field(default_factory=lambda: defaultdict(list))
    by_ingress: dict[tuple[str, str], list[Site]] = field(default_factory=lambda: defaultdict(list))
    site_requirements: dict[Site, set[str]] = field(default_factory=dict)
    # Policy objects built so far: key -> object; kept in creation order.
    policies: dict[tuple[Any, ...], dict[str, Any]] = field(default_factory=dict)
    names: dict[tuple[str, str], NameSet] = field(default_factory=dict)
    # Undo records of the requirement being carried: what each touched object looked like before.
    _undo_policies: dict[tuple[Any, ...], dict[str, Any] | None] = field(default_factory=dict)
    _undo_rules: dict[tuple[tuple[str, str, str], int], dict[str, Any]] = field(default_factory=dict)

    # --- policy objects -----------------------------------------------------------------------------
    def policy(self, api_version: str, kind: str, namespace: str, key: Any, wanted: str,
               sources: Iterable[Source], make_spec: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        """The one object of ``kind`` for ``key`` in ``namespace``, created on first use."""
        k = (kind, namespace, key)
        obj = self.policies.get(k)
        if obj is None:
            names = self.names.setdefault((namespace, kind), NameSet(253))
            name = names.take(slug(wanted))
            obj = {"apiVersion": api_version, "kind": kind,
                   "metadata": meta(name, namespace, sources, self.options.tool_version), "spec": make_spec()}
            self.policies[k] = obj
            self._undo_policies.setdefault(k, None)
        else:
            if k not in self._undo_policies:
                self._undo_policies[k] = clone(obj)
            _add_sources(obj, sources)
        return obj

    def begin(self) -> None:
        self._undo_policies.clear()
        self._undo_rules.clear()

    def rollback(self) -> None:
        for k, before in self._undo_policies.items():
            if before is None:
                obj = self.policies.pop(k)
                self.names[(k[1], k[0])].used.discard(obj["metadata"]["name"])
            else:
                self.policies[k] = before
        for (rk, i), rule in self._undo_rules.items():
            self.routes[rk]["spec"]["rules"][i] = rule
        self.begin()

    def site_policy(self, api_version: str, kind: str, site: Site, *, single_ref: bool = False,
                    section: bool = True) -> dict[str, Any]:
        """The policy of ``kind`` for one site, attached by targetRefs (or targetRef) to its rule or route."""
        ref = site.target_ref() if section else {"group": GW_GROUP, "kind": site.kind, "name": site.route}
        key = tuple(sorted(ref.items()))
        wanted = f"{site.route}-{ref['sectionName']}" if "sectionName" in ref else site.route

        def make() -> dict[str, Any]:
            return {"targetRef": ref} if single_ref else {"targetRefs": [ref]}

        return self.policy(api_version, kind, site.namespace, key, wanted, site.sources, make)

    def service_policy(self, api_version: str, kind: str, namespace: str, service: str,
                       sources: Iterable[Source], make_spec: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        return self.policy(api_version, kind, namespace, ("service", service), service, sources, make_spec)

    def route_filter(self, site: Site, group: str, kind: str, name: str) -> str:
        """Add an ExtensionRef filter to the emitted rule of ``site``; returns where it went."""
        rk = (site.kind, site.namespace, site.route)
        route = self.routes[rk]
        rule = route["spec"]["rules"][site.index]
        self._undo_rules.setdefault((rk, site.index), clone(rule))
        if site.rule_name is not None and rule.get("name") != site.rule_name:
            raise NotCarried(f"rule {site.rule_name} not found in {site.ref}")
        filters = rule.setdefault("filters", [])
        ref = {"group": group, "kind": kind, "name": name}
        entry = {"type": "ExtensionRef", "extensionRef": ref}
        if entry not in filters:
            if len(filters) >= 16:
                raise NotCarried(f"{site.ref} already has 16 filters")
            filters.append(entry)
        route["spec"]["rules"][site.index] = _reorder(rule)  # filters before backendRefs, as emitted
        return f"{site.ref} filters[{filters.index(entry)}] (ExtensionRef {kind} {name})"

    # --- width -----------------------------------------------------------------------------------------
    def wider(self, site: Site, req: Requirement, section: bool = True) -> str | None:
        """A sentence when attaching to ``site`` affects more than the source annotation applied to."""
        if section and site.rule_name:
            return None
        others = [s for s in self.sites_by_route.get((site.kind, site.namespace, site.route), [])
                  if s.index != site.index and req.id not in self.site_requirements.get(s, set())]
        if not others:
            return None
        caps = self.options.capabilities
        if not section:
            why = "the target has no rule-level attachment"
        elif site.kind != "HTTPRoute":
            why = f"ing2gw does not name {site.kind} rules"
        else:
            why = f"rule names need Gateway API v1.4 or the experimental channel ({caps.version} {caps.channel} chosen)"
        return (f"attached to the whole {site.kind} {site.namespace}/{site.route} because {why}, so it also "
                f"applies to {len(others)} other rule(s) of that route")

    def sites(self, req: Requirement) -> list[Site]:
        found = self.by_requirement.get(req.id)
        if found:
            return found
        if req.source.kind == "Ingress" and req.source.namespace is not None:
            return [s for s in self.by_ingress.get((req.source.namespace, req.source.name), []) if s.backends]
        return []


def _reorder(rule: dict[str, Any]) -> dict[str, Any]:
    order = ["name", "matches", "filters", "backendRefs", "timeouts", "retry", "sessionPersistence"]
    out = {k: rule[k] for k in order if k in rule}
    out.update({k: v for k, v in rule.items() if k not in out})
    return out


def clone(value: Any) -> Any:
    """A deep copy of plain JSON-like data (dicts, lists, scalars): much faster than copy.deepcopy."""
    if isinstance(value, dict):
        return {k: clone(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clone(v) for v in value]
    return value


def meta(name: str, namespace: str | None, sources: Iterable[Source], tool_version: str) -> dict[str, Any]:
    m: dict[str, Any] = {"name": name}
    if namespace:
        m["namespace"] = namespace
    ann = {ANNOTATION_PREFIX + "generated-by": f"ing2gw {tool_version}"}
    refs = sorted({s.ref for s in sources if s.kind})
    if refs:
        ann[ANNOTATION_PREFIX + "source"] = ", ".join(refs)
    m["annotations"] = ann
    return m


def _add_sources(obj: dict[str, Any], sources: Iterable[Source]) -> None:
    ann = obj["metadata"]["annotations"]
    key = ANNOTATION_PREFIX + "source"
    have = set(ann[key].split(", ")) if key in ann else set()
    refs = have | {s.ref for s in sources if s.kind}
    if refs:
        ann[key] = ", ".join(sorted(refs))


def obj_ref(obj: dict[str, Any], path: str) -> str:
    md = obj["metadata"]
    return f"{obj['kind']} {md.get('namespace', '')}/{md['name']} {path}"


def set_once(d: dict[str, Any], key: str, value: Any) -> None:
    """Set ``d[key]``; a different value already there means two settings conflict on one target."""
    if key in d and d[key] != value:
        raise NotCarried(f"{key} is already set to a different value on this target")
    d[key] = clone(value)  # never share one dict between objects (YAML would write anchors)


# --------------------------------------------------------------------------------------------------
# Running a target emitter
# --------------------------------------------------------------------------------------------------


def index(model: GatewayModel, options: EmitOptions, emitter: str, result: EmitResult) -> TargetContext:
    ctx = TargetContext(model=model, options=options, emitter=emitter, result=result)
    for obj in result.objects:
        md = obj.get("metadata", {})
        if obj.get("kind") in ("HTTPRoute", "GRPCRoute"):
            ctx.routes[(obj["kind"], md.get("namespace", ""), md["name"])] = obj
        if md.get("namespace"):
            ctx.names.setdefault((md["namespace"], obj["kind"]), NameSet(253)).used.add(md["name"])
    rule_names = options.capabilities.rule_names
    routes: list[tuple[str, Any, list[tuple[Site, tuple[Requirement, ...]]]]] = []
    for r in model.http_routes:
        routes.append(("HTTPRoute", r, [(Site("HTTPRoute", r.namespace, r.name, i, rule.name if rule_names else None,
                                              r.hostnames, rule.matches, rule.backends, r.parent_refs, rule.sources),
                                         rule.requirements) for i, rule in enumerate(r.rules)]))
    for g in model.grpc_routes:
        routes.append(("GRPCRoute", g, [(Site("GRPCRoute", g.namespace, g.name, i, None, g.hostnames, (),
                                              rule.backends, g.parent_refs, rule.sources), rule.requirements)
                                        for i, rule in enumerate(g.rules)]))
    for kind, route, sites in routes:
        for s, reqs in sites:
            ctx.site_requirements[s] = {q.id for q in reqs}
            for q in reqs:
                ctx.by_requirement[q.id].append(s)
            for ns, name in dict.fromkeys((x.namespace, x.name) for x in s.sources if x.kind == "Ingress"):
                if ns is not None:
                    ctx.by_ingress[(ns, name)].append(s)
        ctx.sites_by_route[(kind, route.namespace, route.name)] = [s for s, _ in sites]
    return ctx


def emit_target(model: GatewayModel, options: EmitOptions, emitter: str, title: str,
                handlers: dict[str, Handler], *, prepare: Callable[[TargetContext], None] | None = None
                ) -> EmitResult:
    """The standard objects, plus policy objects for every requirement ``handlers`` can carry."""
    result = emit_standard(model, options)
    ctx = index(model, options, emitter, result)
    if prepare is not None:
        prepare(ctx)
    order = {f: i for i, f in enumerate(handlers)}  # handlers' order settles conflicts (affinity before LB)
    for req in sorted(model.requirements, key=lambda q: (order.get(q.feature, len(order)), q.id)):
        handler = handlers.get(req.feature)
        if handler is None:
            continue
        sites = ctx.sites(req)
        if not sites:
            continue
        ctx.begin()
        carried: list[Carried] = []
        try:
            for site in sites:
                carried.append(handler(ctx, site, req))
        except NotCarried:
            ctx.rollback()
            continue
        result.consumed[req.id] = _notification(req, carried, title)
    result.objects.extend(ctx.policies.values())
    return result


def _notification(req: Requirement, carried: list[Carried], title: str) -> Notification:
    emitted = tuple(dict.fromkeys(c.emitted for c in carried))
    caveats = list(dict.fromkeys(c.caveat for c in carried if c.caveat))
    where = "; ".join(emitted)
    if caveats:
        msg = f"{req.feature} carried to {title}: {where}. Differs from nginx: " + " ".join(caveats)
        outcome = Outcome.CAVEAT
    else:
        msg = f"{req.feature} carried to {title}: {where}"
        outcome = Outcome.TRANSLATED
    return Notification(outcome, req.source.annotation or req.source.field or req.feature, msg, req.source,
                        emitted=emitted, requirement=req.id)


def spec_of(spec: dict[str, Any]) -> Callable[[], dict[str, Any]]:
    """A ``make_spec`` for :meth:`TargetContext.policy` returning ``spec``."""
    return lambda: clone(spec)


def service_target(name: str) -> Callable[[], dict[str, Any]]:
    """A ``make_spec`` whose spec targets one core Service."""
    return lambda: {"targetRefs": [{"group": "", "kind": "Service", "name": name}]}


def sentences(*parts: str | None) -> str | None:
    """Join the sentences that are not None; None when there are none."""
    text = " ".join(p for p in parts if p)
    return text or None


# nginx proxy_next_upstream conditions that name a status code.
RETRY_STATUS = {"http_500": 500, "http_502": 502, "http_503": 503, "http_504": 504, "http_403": 403,
                "http_404": 404, "http_429": 429}


class TargetEmitter:
    """Base of the target emitters: the standard objects plus the handlers' policy objects."""

    name = ""
    title = ""
    gateway_controller: str | None = None
    target_versions: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    settings: dict[str, str] = {}
    handlers: dict[str, Handler] = {}
    # Why some requirements are left reported (docs and ``ing2gw emitters``).
    not_carried: dict[str, str] = {}
    # Annotations of consumed features whose setting this emitter still cannot carry (docs only).
    partial: tuple[str, ...] = ()

    def consumes(self) -> tuple[str, ...]:
        return tuple(sorted(self.handlers))

    def emit(self, model: GatewayModel, options: EmitOptions) -> EmitResult:
        return emit_target(model, options, self.name, self.title, self.handlers)


def grant_service(ctx: TargetContext, site: Site, group: str, kind: str, namespace: str, service: str) -> str:
    """A ReferenceGrant letting ``kind`` objects of the site's namespace reference a Service in ``namespace``."""
    from_ns = site.namespace
    obj = ctx.policy(ctx.options.capabilities.reference_grant, "ReferenceGrant", namespace,
                     ("grant", group, kind, from_ns, service), f"{from_ns}-{kind.lower()}-to-{service}", site.sources,
                     spec_of({"from": [{"group": group, "kind": kind, "namespace": from_ns}],
                              "to": [{"group": "", "kind": "Service", "name": service}]}))
    return f"ReferenceGrant {namespace}/{obj['metadata']['name']} lets it reference Service {namespace}/{service}."


@dataclass(frozen=True, slots=True)
class ListenerSite:
    namespace: str
    gateway: str
    listener: str
    hostname: str | None

    def target_ref(self) -> dict[str, Any]:
        return {"group": GW_GROUP, "kind": "Gateway", "name": self.gateway, "sectionName": self.listener}


def https_listeners(ctx: TargetContext, sites: list[Site], hosts: Iterable[str] | None = None) -> list[ListenerSite]:
    """The HTTPS listeners the sites' routes attach to (those serving ``hosts`` when given)."""
    gateways = {(g.namespace, g.name): g for g in ctx.model.gateways}
    wanted = set(hosts or ())
    out: dict[tuple[str, str, str], ListenerSite] = {}
    for site in sites:
        for p in site.parents:
            gw = gateways.get((p.namespace or site.namespace, p.name))
            if gw is None:
                continue
            for lst in gw.listeners:
                if lst.protocol != "HTTPS" or (p.section_name and p.section_name != lst.name):
                    continue
                if wanted and lst.hostname is not None and lst.hostname not in wanted:
                    continue
                out[(gw.namespace, gw.name, lst.name)] = ListenerSite(gw.namespace, gw.name, lst.name, lst.hostname)
    return list(out.values())


def streaming(product: str, what: str, conflict: Callable[[TargetContext, Site], str | None] | None = None
              ) -> Handler:
    """A handler for buffering turned off (``enabled: false``): ``product`` streams ``what`` by default."""

    def handler(ctx: TargetContext, site: Site, req: Requirement) -> Carried:
        if req.params.get("enabled", True):
            raise NotCarried(f"{product} has no {what} buffering to turn on")
        clash = conflict(ctx, site) if conflict else None
        if clash:
            raise NotCarried(clash)
        return Carried(f"{site.ref} (nothing to emit: {product} streams {what} by default, as nginx does with "
                       "buffering off)")

    return handler


def existing(ctx: TargetContext, kind: str, site: Site, section: bool = True) -> dict[str, Any] | None:
    """The site's policy of ``kind`` built so far, if any."""
    ref = site.target_ref() if section else {"group": GW_GROUP, "kind": site.kind, "name": site.route}
    return ctx.policies.get((kind, site.namespace, tuple(sorted(ref.items()))))


_UNIT_SECONDS = {"h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}


def seconds(text: str) -> float:
    """A Gateway API duration (``1h30m``, ``500ms``) in seconds."""
    import re

    parts = re.findall(r"(\d+)(ms|h|m|s)", text)
    if not parts or "".join(n + u for n, u in parts) != text:
        raise NotCarried(f"duration {text!r}")
    return sum(int(n) * _UNIT_SECONDS[u] for n, u in parts)


def as_affinity(handler: Handler) -> Handler:
    """A session-persistence handler made from a session-affinity one (same cookie, lifetime as max-age)."""

    def run(ctx: TargetContext, site: Site, req: Requirement) -> Carried:
        p = req.params
        timeout = p.get("absolute_timeout")
        params = {"cookie_name": p["cookie_name"], "max_age": int(seconds(str(timeout))) if timeout else None,
                  "mode": "balanced"}
        return handler(ctx, site, dataclasses.replace(req, params=params))

    return run


# Gateway API's CORS field names, which Envoy Gateway and kgateway reuse.
GATEWAY_CORS_NAMES = {"allow_origins": "allowOrigins", "allow_methods": "allowMethods", "allow_headers": "allowHeaders",
                    "expose_headers": "exposeHeaders", "allow_credentials": "allowCredentials", "max_age": "maxAge"}
CORS_LISTS = ("allow_origins", "allow_methods", "allow_headers", "expose_headers")


def cors_fields(params: Any, names: dict[str, str], max_age: Callable[[int], Any] = int) -> dict[str, Any]:
    """A ``cors`` requirement's params under a target's field names (``names`` maps each param to its field;
    ``max_age`` renders the seconds). Lists that are empty and unset values are left out."""
    out: dict[str, Any] = {}
    for key in CORS_LISTS:
        if params.get(key):
            out[names[key]] = list(params[key])
    if params.get("allow_credentials") is not None:
        out[names["allow_credentials"]] = bool(params["allow_credentials"])
    if params.get("max_age") is not None:
        out[names["max_age"]] = max_age(int(params["max_age"]))
    return out


def rate_limits(req: Requirement) -> list[dict[str, Any]]:
    """Every limit of a rate-limit requirement: ``limits`` when the provider lists several (rps and rpm)."""
    p = req.params
    limits = p.get("limits") or [{"requests": p["requests"], "unit": p.get("unit", "Second"), "burst": p.get("burst")}]
    for lim in limits:
        if lim.get("unit", "Second") not in ("Second", "Minute"):
            raise NotCarried(f"unit {lim.get('unit')}")
    return [dict(lim) for lim in limits]


def core_retry(ctx: TargetContext, site: Site) -> None:
    """Refuse a retry requirement on a rule whose core HTTPRoute retry was emitted (they would overlap)."""
    route = ctx.routes.get((site.kind, site.namespace, site.route))
    if route is not None and "retry" in route["spec"]["rules"][site.index]:
        raise NotCarried("the rule already has the core HTTPRoute retry")


def service_backends(site: Site) -> list[BackendRef]:
    return [b for b in site.backends if b.kind == "Service" and not b.group]


# --------------------------------------------------------------------------------------------------
# Documentation: which ingress-nginx annotations raise which requirement feature
# --------------------------------------------------------------------------------------------------

NGINX_ANNOTATIONS: dict[str, tuple[str, ...]] = {
    "rate-limit": ("limit-rps", "limit-rpm", "limit-burst-multiplier", "limit-allowlist"),
    "connection-limit": ("limit-connections",),
    "bandwidth-limit": ("limit-rate", "limit-rate-after"),
    "ip-allow": ("allowlist-source-range", "whitelist-source-range"),
    "ip-deny": ("denylist-source-range",),
    "external-auth": ("auth-url", "auth-method", "auth-response-headers", "auth-signin"),
    "basic-auth": ("auth-type", "auth-secret", "auth-secret-type", "auth-realm"),
    "body-size-limit": ("proxy-body-size",),
    "request-buffering": ("proxy-request-buffering",),
    "response-buffering": ("proxy-buffering", "proxy-buffer-size", "proxy-buffers-number"),
    "client-body-buffer": ("client-body-buffer-size",),
    "backend-timeouts": ("proxy-connect-timeout", "proxy-read-timeout", "proxy-send-timeout"),
    "retry": ("proxy-next-upstream", "proxy-next-upstream-tries", "proxy-next-upstream-timeout"),
    "session-affinity": ("affinity", "affinity-mode", "session-cookie-name", "session-cookie-max-age",
                         "session-cookie-path", "session-cookie-secure", "session-cookie-samesite"),
    "load-balancing": ("load-balance", "upstream-hash-by"),
    "backend-tls": ("proxy-ssl-verify", "proxy-ssl-name", "proxy-ssl-secret", "proxy-ssl-ciphers",
                    "proxy-ssl-protocols", "proxy-ssl-server-name"),
    "custom-errors": ("custom-http-errors",),
    "cors": ("enable-cors", "cors-allow-origin", "cors-allow-methods", "cors-allow-headers",
             "cors-expose-headers", "cors-allow-credentials", "cors-max-age"),
    "header-regex-rewrite": ("rewrite-target",),
    "snippet": ("configuration-snippet", "server-snippet", "auth-snippet"),
    "waf": ("enable-modsecurity", "enable-owasp-core-rules", "modsecurity-snippet"),
    "client-certificate": ("auth-tls-secret", "auth-tls-verify-client", "auth-tls-verify-depth",
                           "auth-tls-pass-certificate-to-upstream"),
    "tls-settings": ("ssl-ciphers",),
    "access-log": ("enable-access-log",),
    "tracing": ("enable-opentelemetry", "opentelemetry-trust-incoming-span", "opentelemetry-operation-name"),
    "session-persistence": ("affinity",),
}
