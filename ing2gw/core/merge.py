"""Merges every Ingress's translation into Gateways, listeners and routes, as the controllers merge them.

- One Gateway per (namespace, class), or one shared Gateway; split when it would pass 64 listeners.
- One HTTP listener per hostname on 80, one HTTPS listener per hostname on 443 with the certificates of
  the TLS entries covering that name (wildcards cover one label), a catch-all listener without hostname.
- One HTTPRoute per (namespace, host): Ingresses on the same host are merged; the same host and path
  declared twice goes to the oldest Ingress (creationTimestamp, then namespace/name) and the other is
  reported. Rules with the same backends and filters share one rule; routes are split at the Gateway API
  limits (16 rules, 64 matches per rule, 128 per route), never emitted invalid.
- A path that redirects plain HTTP to HTTPS gets its redirect on a route bound to the HTTP listener only
  (``sectionName``), never beside backendRefs.

Everything here is linear in the number of paths: dictionaries keyed by host, no pairwise comparisons.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ing2gw.core.classes import CLASS_FIELD, LEGACY_CLASS_ANNOTATION
from ing2gw.core.names import NameSet, slug
from ing2gw.core.paths import precedence_key
from ing2gw.model import (
    BackendTLSPolicy,
    ExtensionRef,
    Gateway,
    GatewayModel,
    GRPCMethodMatch,
    GRPCRoute,
    GRPCRouteRule,
    HeaderModifier,
    HTTPRoute,
    Ingress,
    Listener,
    ListenerSet,
    ListenerTLS,
    Notification,
    Outcome,
    ParentRef,
    PathMatch,
    ReferenceGrant,
    RequestMirror,
    RequestRedirect,
    Requirement,
    RouteMatch,
    RouteRule,
    SecretRef,
    Source,
    TLSRoute,
    URLRewrite,
    evolve,
)
from ing2gw.provider import IngressTranslation, PathRoute

MAX_LISTENERS = 64
MAX_RULES = 16
MAX_MATCHES_PER_RULE = 64
MAX_MATCHES_PER_ROUTE = 128
HTTP_PORT = 80
HTTPS_PORT = 443
SPEC_PROVIDER = "generic"  # the provider that reads Ingresses as the specification says (ing2gw.core.classes)


@dataclass(slots=True)
class GatewayPlan:
    """One (namespace, class) or the shared Gateway, with what attaches to it."""

    namespace: str
    name: str
    class_name: str
    translations: list[IngressTranslation] = field(default_factory=list)
    # The Gateway as it already exists (from the input or the cluster): attach to it, do not replace it.
    existing: dict[str, Any] | None = None


@dataclass(slots=True)
class _HostRoutes:
    http: dict[str, list[PathRoute]] = field(default_factory=lambda: defaultdict(list))
    grpc: dict[str, list[PathRoute]] = field(default_factory=lambda: defaultdict(list))


def build(plans: list[GatewayPlan], *, shared: bool, rule_names: bool, notes: list[Notification],
          listener_set_api: str | None = None, release: bool = False, amends: Amends | None = None) -> GatewayModel:
    """Merge each plan's translations into Gateways and routes. ``release``: empty each plan's translations
    once it is merged, so that their paths can be freed while the rest is merged (the caller holds no other
    reference to them). ``amends``: collect there what merging could not keep of the annotations, to be
    stated with :func:`amend` on the notifications of every part, instead of on ``notes`` now."""
    model = GatewayModel()
    route_names: dict[str, NameSet] = defaultdict(lambda: NameSet(253))
    gateway_names: dict[str, NameSet] = defaultdict(lambda: NameSet(253))
    seen_policies: set[tuple[str, str]] = set()
    seen_reqs: set[str] = set()
    unreached: dict[Source, str] = {}  # catch-all defaultBackend -> the hosts of other namespaces it no longer serves
    if not shared:
        unreached = _state_split_entry_points(plans, notes)
    else:
        _state_merged_entry_points(plans, notes)
    kept_from: dict[Source, list[str]] = {}  # annotation whose redirect rule an own path shadows -> those hosts
    grpc_lost: dict[Source, set[str]] = {}  # annotation -> its filters that GRPCRoute cannot take
    for plan in sorted(plans, key=lambda p: (p.namespace, p.name)):
        _build_gateway(plan, model, shared=shared, rule_names=rule_names, notes=notes, unreached=unreached,
                       route_names=route_names, gateway_names=gateway_names, listener_set_api=listener_set_api,
                       kept_from=kept_from, grpc_lost=grpc_lost)
        for tr in plan.translations:
            for pol in tr.backend_tls_policies:
                if (pol.namespace, pol.name) not in seen_policies:
                    seen_policies.add((pol.namespace, pol.name))
                    model.backend_tls_policies.append(pol)
            for req in _requirements(tr):
                if req.id not in seen_reqs:
                    seen_reqs.add(req.id)
                    model.requirements.append(req)
        if release:
            plan.translations = []
    if amends is not None:
        amends.add(kept_from, grpc_lost)
    elif kept_from or grpc_lost:
        _amend_outcomes(notes, kept_from, grpc_lost)
    return model


@dataclass(slots=True)
class Amends:
    """What merging could not keep of annotations, from several parts of a conversion (see :func:`build`)."""

    kept_from: dict[Source, list[str]] = field(default_factory=dict)
    grpc_lost: dict[Source, set[str]] = field(default_factory=dict)

    def add(self, kept_from: dict[Source, list[str]], grpc_lost: dict[Source, set[str]]) -> None:
        for src, hosts in kept_from.items():
            self.kept_from.setdefault(src, []).extend(hosts)
        for src, lost in grpc_lost.items():
            self.grpc_lost.setdefault(src, set()).update(lost)


def amend(notes: list[Notification], amends: Amends) -> None:
    """State ``amends`` on ``notes`` (all of the conversion's so far), as :func:`build` does without them."""
    if amends.kept_from or amends.grpc_lost:
        _amend_outcomes(notes, amends.kept_from, amends.grpc_lost)


def _amend_outcomes(notes: list[Notification], kept_from: dict[Source, list[str]],
                    grpc_lost: dict[Source, set[str]]) -> None:
    """Annotations whose output merging could not keep, stated on their own outcome: a redirect rule that an
    Ingress's own path of the same match shadows does not act on those hosts (the path's statement names
    the annotation); a filter on gRPC paths that GRPCRoute has no field for is not carried there."""
    stated: set[Source] = set()  # filter sources whose annotation or field has an outcome of its own
    for i, n in enumerate(notes):
        own = n.subject in (n.source.annotation, n.source.field)
        if own and n.source in grpc_lost:
            stated.add(n.source)
        if not own or n.outcome not in (Outcome.TRANSLATED, Outcome.CAVEAT):
            continue
        hosts = kept_from.get(n.source)
        if hosts is not None and n.outcome is Outcome.TRANSLATED and n.subject == n.source.annotation:
            n = notes[i] = evolve(
                n, outcome=Outcome.CAVEAT, message=f"{n.message}; but not on {', '.join(dict.fromkeys(hosts))}: a "
                "path of this Ingress has the same match, and in Gateway API its own rule takes those requests "
                "(stated on the path)", hint=n.hint or "Remove that path, or this annotation, so that one behaviour "
                "is left.")
        lost = grpc_lost.get(n.source)
        if lost is not None:
            notes[i] = evolve(n, outcome=Outcome.UNSUPPORTED, message=f"{n.message}; but not on the gRPC paths: "
                              f"GRPCRoute has no {', '.join(sorted(lost))} filter", hint=_GRPC_HINT)
    for src in sorted(set(grpc_lost) - stated, key=lambda s: (s.namespace or "", s.name, s.field or "")):
        # a filter whose annotation or field has no outcome here (made from a setting, say)
        notes.append(Notification(Outcome.UNSUPPORTED, src.annotation or src.field or "filter",
                                  f"not on the gRPC paths: GRPCRoute has no {', '.join(sorted(grpc_lost[src]))} filter",
                                  src, hint=_GRPC_HINT))


_GRPC_HINT = "Carry it with an implementation policy on the GRPCRoute, or serve those paths as HTTP."


def _served_hosts(tr: IngressTranslation) -> dict[str | None, bool]:
    """The hosts an Ingress answers for (None: any host no rule names), each with True when a defaultBackend
    of an Ingress without rules is what answers it (the controller's one catch-all)."""
    out = dict.fromkeys([*tr.hosts, *tr.aliases], False)
    if tr.default_backend is not None and not tr.ingress.rules:
        out[None] = True
    return out


def _show_host(host: str | None) -> str:
    return "any host no rule names (catch-all)" if host is None else f"host {host}"


MAX_NAMED = 3  # objects named in one statement; the rest are counted


class _Outside:
    """The Ingresses of other namespaces than a given one, named (the first few) and counted, in constant time
    per question: a host shared by thousands of Ingresses must not cost a pass over them per Ingress."""

    def __init__(self, per_ns: dict[str, list[IngressTranslation]]) -> None:
        self.total = sum(len(v) for v in per_ns.values())
        self.per_ns = {ns: len(v) for ns, v in per_ns.items()}
        # the first few of the first few namespaces: enough to name MAX_NAMED outside any one namespace
        heads = sorted(per_ns)[:MAX_NAMED + 1]
        self.candidates = [t for ns in heads for t in sorted(per_ns[ns], key=lambda t: t.ingress.key)[:MAX_NAMED]]

    def count(self, ns: str) -> int:
        return self.total - self.per_ns.get(ns, 0)

    def refs(self, ns: str) -> str:
        return _listed([t for t in self.candidates if t.ingress.namespace != ns], self.count(ns))


def _listed(trs: list[IngressTranslation], total: int) -> str:
    """The first ``MAX_NAMED`` of ``trs`` by reference, and how many of ``total`` are left unnamed."""
    shown = [t.ingress.source.ref for t in trs[:MAX_NAMED]]
    return ", ".join(shown) + (f" and {total - len(shown)} more" if total > len(shown) else "")


def split_detail(host: str | None) -> str:
    """How the per-namespace split statement (subject ``metadata.namespace``) names one shared host; ``verify``
    looks for this text to tie a difference on that host to it."""
    return f"{_show_host(host)}, also served by"


def _state_split_entry_points(plans: list[GatewayPlan], notes: list[Notification]) -> dict[Source, str]:
    """Per-namespace mode: a host (or the catch-all) that Ingresses of one class declare in several namespaces
    was ONE entry point of the controller (it merged them; the oldest defaultBackend without rules was the
    only catch-all), but becomes one listener per namespace's Gateway, and a request reaches only the Gateway
    its DNS name points at. State it once per Ingress concerned, on ``metadata.namespace``.

    Returns, for each catch-all defaultBackend that the Ingress specification lets answer unmatched requests
    on every host of its class, the hosts of other namespaces it no longer reaches (stated on the field)."""
    # (ingress class slug, host) -> namespace -> the Ingresses of that namespace serving it
    by_host: dict[tuple[str, str | None], dict[str, list[IngressTranslation]]] = defaultdict(dict)
    catch_all: dict[str, list[IngressTranslation]] = defaultdict(list)  # class -> defaultBackend-only Ingresses
    for plan in plans:
        for tr in plan.translations:
            if tr.folded_into is not None:
                continue
            for host, is_default in _served_hosts(tr).items():
                by_host[(plan.name, host)].setdefault(plan.namespace, []).append(tr)
                if is_default:
                    catch_all[plan.name].append(tr)
    shared_hosts: dict[int, tuple[IngressTranslation, str, list[str]]] = {}
    for (cls, host), per_ns in sorted(by_host.items(), key=lambda kv: (kv[0][0], _host_sort(kv[0][1]))):
        if len(per_ns) < 2:
            continue
        winner = ""
        if host is None and catch_all.get(cls):
            first = min(catch_all[cls], key=lambda t: t.ingress.key)
            winner = (f"; of their defaultBackends the controller used only the oldest one, "
                      f"{first.ingress.source.ref}'s")
        outside = _Outside(per_ns)
        for ns in sorted(per_ns):
            for tr in per_ns[ns]:
                entry = shared_hosts.setdefault(id(tr), (tr, cls, []))
                entry[2].append(f"{split_detail(host)} {outside.refs(ns)}{winner}")
    unreached: dict[Source, str] = {}
    # per class: the Ingresses naming hosts, by namespace
    named: dict[str, dict[str, dict[int, IngressTranslation]]] = defaultdict(lambda: defaultdict(dict))
    for (cls, host), per_ns in by_host.items():
        if host is not None:
            for ns, trs in per_ns.items():
                named[cls][ns].update((id(t), t) for t in trs)
    for cls, trs in catch_all.items():
        outside = _Outside({ns: list(d.values()) for ns, d in named.get(cls, {}).items()})
        for tr in trs:
            src = tr.default_backend_source
            if tr.provider == SPEC_PROVIDER and src is not None and outside.count(tr.ingress.namespace):
                unreached[src] = outside.refs(tr.ingress.namespace)
    for tr, cls, what in sorted(shared_hosts.values(), key=lambda e: e[0].ingress.key):
        ns = tr.ingress.namespace
        notes.append(Notification(
            Outcome.CAVEAT, "metadata.namespace",
            f"the controller of class {cls} had one entry point for every namespace, but with --gateway-mode "
            f"per-namespace this Ingress's routes attach to Gateway {ns}/{cls} only, so a request reaches "
            f"whichever namespace's Gateway its DNS name points at. Shared across namespaces: {' | '.join(what)}",
            tr.ingress.source.at(field="metadata.namespace"),
            hint="Use --gateway-mode shared --gateway NAMESPACE/NAME to keep one entry point, as the controller had."))
    return unreached


MERGED_DETAIL = "share Gateway"  # in the shared-mode statement; verify looks for it to tie differences to it


def class_subject(ing: Ingress) -> str:
    """The field or annotation that gave an Ingress its class (where statements about its class go)."""
    if not ing.class_name and LEGACY_CLASS_ANNOTATION in ing.annotations:
        return LEGACY_CLASS_ANNOTATION
    return CLASS_FIELD


def _state_merged_entry_points(plans: list[GatewayPlan], notes: list[Notification]) -> None:
    """Shared mode: Ingresses of several classes on one Gateway. Each class had a controller (an entry point:
    address, default backend) of its own, and a request reached the one its DNS name pointed at; on the
    Gateway, a host that several classes declare answers with all their paths, and a catch-all (a
    defaultBackend, a rule without host) of one class also answers the requests of the others that no route
    of theirs matches, which their controller answered itself (its default backend). State it once per
    Ingress concerned, on the field or annotation that gave it its class."""
    for plan in sorted(plans, key=lambda p: (p.namespace, p.name)):
        # host -> class -> the Ingresses of that class serving it
        by_host: dict[str | None, dict[str, list[IngressTranslation]]] = defaultdict(dict)
        default_only: dict[int, IngressTranslation] = {}  # catch-alls that are a defaultBackend without rules
        for tr in plan.translations:
            if tr.folded_into is None:
                for host, is_default in _served_hosts(tr).items():
                    by_host[host].setdefault(tr.class_name or "", []).append(tr)
                    if is_default:
                        default_only[id(tr)] = tr
        classes = sorted({c for per_class in by_host.values() for c in per_class})
        if len(classes) < 2:
            continue
        # Of those only the oldest gets a rule (the others are told so by place())
        winner = min(default_only.values(), key=lambda t: t.ingress.key) if default_only else None
        what: dict[int, tuple[IngressTranslation, list[str]]] = {}
        for host, per_class in sorted(by_host.items(), key=lambda kv: _host_sort(kv[0])):
            if host is not None and len(per_class) < 2:
                continue
            named = {} if host is None else {c: _listed(sorted(trs, key=lambda t: t.ingress.key), len(trs))
                                             for c, trs in per_class.items()}
            for cls, trs in sorted(per_class.items()):
                if host is None:
                    text = (f"{_show_host(None)} of {_show_class(cls)} now also answers the requests of "
                            f"{', '.join(_show_class(c) for c in classes if c != cls)} that no route of theirs "
                            "matches, which their controller answered itself (its default backend)")
                else:
                    text = (f"{_show_host(host)} is also served by "
                            f"{'; '.join(f'{_show_class(c)} ({named[c]})' for c in sorted(per_class) if c != cls)}")
                for tr in trs:
                    if host is None and tr is not winner and id(tr) in default_only:
                        continue
                    what.setdefault(id(tr), (tr, []))[1].append(text)
        for tr, items in sorted(what.values(), key=lambda e: e[0].ingress.key):
            subject = class_subject(tr.ingress)
            src = (tr.ingress.source.at(annotation=subject) if subject == LEGACY_CLASS_ANNOTATION
                   else tr.ingress.source.at(field=subject))
            notes.append(Notification(
                Outcome.CAVEAT, subject,
                f"{_show_class(tr.class_name or '')} had a controller and entry point of its own, but with "
                f"--gateway-mode shared the Ingresses of {', '.join(_show_class(c) for c in classes)} "
                f"{MERGED_DETAIL} {plan.namespace}/{plan.name}, which answers for them all: {' | '.join(items)}", src,
                hint="Give each class its own Gateway (convert each with --ingress-class and its own --gateway), "
                     "or check that these classes' traffic may mix."))


def _show_class(cls: str) -> str:
    return f"class {cls}" if cls else "the Ingresses without a class (served by the controllers that watch those)"


def _requirements(tr: IngressTranslation) -> Iterable[Requirement]:
    yield from tr.requirements
    for r in tr.routes:
        yield from r.requirements


def _build_gateway(plan: GatewayPlan, model: GatewayModel, *, shared: bool, rule_names: bool,
                   unreached: dict[Source, str],
                   notes: list[Notification], route_names: dict[str, NameSet],
                   gateway_names: dict[str, NameSet], listener_set_api: str | None,
                   kept_from: dict[Source, list[str]], grpc_lost: dict[Source, set[str]]) -> None:
    translations = sorted(plan.translations, key=lambda t: t.ingress.key)
    class_of = {id(t.ingress): t.class_name for t in translations}  # several only on a shared Gateway
    # host -> namespace -> routes; plus first-declarer bookkeeping for conflicts
    by_ns: dict[str, _HostRoutes] = defaultdict(_HostRoutes)
    owner: dict[tuple[str | None, RouteMatch, str], PathRoute] = {}
    hosts_order: dict[str | None, None] = {}
    passthrough: dict[str, tuple[IngressTranslation, PathRoute]] = {}

    placed: set[Source] = set()
    lost: set[Source] = set()
    spread: set[Source] = set()  # catch-all defaultBackends that also serve other Ingresses' hosts
    shadowed: dict[Source, str] = {}  # path -> the annotation whose redirect rule of the same match it beats
    twins: dict[Source, str] = {}  # path that gets no rule -> the path of the same Ingress that has its match

    def place(r: PathRoute, tr: IngressTranslation) -> None:
        key = (r.host, r.match, r.listener)
        first = owner.get(key)
        if first is not None:
            if not r.synthetic and first.ingress is not tr.ingress:
                lost.add(r.source)
                if r.path is None and first.path is None and r.host is None:
                    theirs = class_of.get(id(first.ingress), tr.class_name)
                    why = ("as with the controller, which uses only the oldest" if theirs == tr.class_name else
                           f"the Gateway is shared with {_show_class(theirs or '')}, whose controller had its own "
                           "catch-all; this one answered the requests of its own class")
                    notes.append(Notification(
                        Outcome.CAVEAT, r.source.field or "spec.defaultBackend",
                        f"the catch-all for any host is also set by the older {first.ingress.source.ref}, whose "
                        f"defaultBackend wins ({why}); this one gets no rule", r.source,
                        hint="Remove one of the defaultBackends."))
                    return
                notes.append(Notification(
                    Outcome.CAVEAT, r.source.field or "spec.rules",
                    f"host {r.host or '*'} path {_show(r.match)} is also declared by the older "
                    f"{first.ingress.source.ref}, which keeps it (as the controller does); this path gets no rule",
                    r.source, hint="Remove the duplicate path, or rename one of the hosts."))
            elif not r.synthetic and first.ingress is tr.ingress and r.path is not None and first.path is not None:
                twins[r.source] = first.path.path  # two paths of one Ingress, one match
            elif r.synthetic and first.ingress is tr.ingress and first.path is not None and r.source.annotation \
                    and any(isinstance(f, RequestRedirect) for f in r.filters):
                shadowed[first.source] = r.source.annotation  # a redirect the Ingress's own path keeps from acting
                kept_from.setdefault(r.source, []).append(r.host or "*")
            return
        owner[key] = r
        placed.add(r.source)
        hosts_order.setdefault(r.host, None)
        table = by_ns[tr.ingress.namespace].grpc if r.protocol == "GRPC" else by_ns[tr.ingress.namespace].http
        table[_hkey(r.host)].append(r)

    live = [t for t in translations if t.folded_into is None]
    for tr in live:
        if tr.passthrough:
            for r in tr.routes:
                if r.host is None:
                    notes.append(Notification(Outcome.UNSUPPORTED, r.source.field or "spec.rules",
                                              "TLS passthrough needs a host (SNI); a rule without host was skipped",
                                              r.source))
                    continue
                if r.host in passthrough:
                    continue
                passthrough[r.host] = (tr, r)
                placed.add(r.source)
            continue
        for r in tr.routes:
            if not r.synthetic:
                place(r, tr)
    # defaultBackends and other synthetic rules lose to every real path, whatever the Ingress age.
    for tr in live:
        if tr.passthrough:
            continue
        for r in tr.routes:
            if r.synthetic:
                place(r, tr)
        for r in _default_backend_routes(tr):
            place(r, tr)
    for tr in live:
        for alias in tr.aliases:
            if alias in hosts_order:
                continue
            for r in tr.routes:
                place(_with_host(r, alias), tr)
    # The Ingress specification: the defaultBackend of an Ingress without rules answers every request that no
    # rule matches, also on hosts other Ingresses name. Gateway listeners are isolated, so the hosts without a
    # / rule get one to it. (ingress-nginx answers those with its own default backend: its provider is not
    # the specification's.)
    root = RouteMatch(path=PathMatch("PathPrefix", "/"))
    catch = owner.get((None, root, "any"))
    catch_tr = next((t for t in live if t.ingress is catch.ingress), None) if catch is not None else None
    if catch is not None and catch_tr is not None and catch.path is None and not catch_tr.ingress.rules \
            and catch_tr.provider == SPEC_PROVIDER:
        for host in list(hosts_order):
            if host is not None and (host, root, "any") not in owner:
                spread.add(catch.source)
                place(_with_host(catch, host), catch_tr)

    # ---- TLS: certificates per host --------------------------------------------------------------
    certs: dict[str, list[tuple[SecretRef, Source]]] = defaultdict(list)
    default_certs: list[tuple[SecretRef, Source]] = []
    for tr in live:
        if tr.passthrough:
            continue
        for t in tr.tls:
            if not t.secret_name:
                notes.append(Notification(
                    Outcome.UNSUPPORTED, t.source.field or "spec.tls", "TLS entry without secretName: the controller "
                    "served its default certificate, which Gateway API cannot name", t.source,
                    hint="Set certificateRefs on the generated HTTPS listener by hand (or use cert-manager)."))
                continue
            ref = SecretRef(t.secret_name, tr.ingress.namespace)
            if not t.hosts:
                default_certs.append((ref, t.source))
            for h in t.hosts:
                certs[h].append((ref, t.source))

    def covering(host: str) -> list[tuple[SecretRef, Source]]:
        found = list(certs.get(host, ()))
        if not host.startswith("*.") and "." in host:
            found += certs.get("*." + host.split(".", 1)[1], ())
        out: dict[SecretRef, Source] = {}
        for ref, src in found:
            out.setdefault(ref, src)
        return list(out.items())

    # ---- listeners, per host ----------------------------------------------------------------------
    ordered_hosts = sorted(hosts_order, key=_host_sort)
    groups: list[list[Listener]] = []  # listeners grouped per host, kept together on one Gateway
    sections: dict[str | None, tuple[str | None, str | None]] = {}
    listener_names = NameSet(253)
    existing_listeners = _existing_listeners(plan.existing)
    listener_names.used.update(existing_listeners.values())
    # (TLS passthrough?, host) -> the namespaces of the routes its listeners must admit (shared Gateways)
    route_ns_by_host: dict[tuple[bool, str | None], set[str]] = defaultdict(set)
    for ns, hr in by_ns.items():
        for k in (*hr.http, *hr.grpc):
            route_ns_by_host[(False, _unhkey(k))].add(ns)
    for host, (tr, _) in passthrough.items():
        route_ns_by_host[(True, host)].add(tr.ingress.namespace)
    https_default: Listener | None = None
    if default_certs:
        https_default = Listener(
            name=listener_names.take("https"), port=HTTPS_PORT, protocol="HTTPS", hostname=None,
            sources=tuple(s for _, s in default_certs),
            tls=ListenerTLS(certificate_refs=tuple(_cert_refs(default_certs, plan.namespace, shared))),
        )
    for host in ordered_hosts:
        srcs = tuple(_sources_for(by_ns, host))[:1]
        group: list[Listener] = []
        http = Listener(name=listener_names.take("http" if host is None else "http-" + slug(host)),
                        port=HTTP_PORT, protocol="HTTP", hostname=host, sources=srcs)
        group.append(http)
        https_name = None
        cov = covering(host) if host is not None else []
        if cov:
            https = Listener(name=listener_names.take("https-" + slug(host or "")), port=HTTPS_PORT,
                             protocol="HTTPS", hostname=host, sources=tuple(s for _, s in cov),
                             tls=ListenerTLS(certificate_refs=tuple(_cert_refs(cov, plan.namespace, shared))))
            group.append(https)
            https_name = https.name
        elif https_default is not None:
            https_name = https_default.name
        groups.append(group)
        sections[host] = (http.name, https_name)
    for host in sorted(passthrough, key=_host_sort):
        tr, r = passthrough[host]
        name = listener_names.take("tls-" + slug(host))
        groups.append([Listener(name=name, port=HTTPS_PORT, protocol="TLS", hostname=host, sources=(r.source,),
                                tls=ListenerTLS(mode="Passthrough"))])
    if https_default is not None:
        groups.insert(0, [https_default])
    if not groups:
        return

    _state_fields(live, placed, lost, groups, notes, spread, unreached, shadowed, twins)
    srcs = tuple(sorted({t.ingress.source for t in live if t.routes or t.default_backend or t.tls},
                        key=lambda s: (s.namespace or "", s.name)))
    # listener name -> (parent kind, parent name); listeners reused from an existing Gateway are renamed
    parent_of: dict[str, tuple[str, str]] = {}
    renamed: dict[str, str] = {}
    if plan.existing is not None:
        _attach_existing(plan, groups, existing_listeners, parent_of, renamed, model, srcs, notes,
                         gateway_names[plan.namespace], listener_set_api, shared, route_ns_by_host)
    else:
        _new_gateways(plan, groups, parent_of, model, srcs, notes, gateway_names[plan.namespace], shared,
                      route_ns_by_host)

    def parent(section: str | None, ns: str) -> ParentRef | None:
        if section is None:
            return None
        section = renamed.get(section, section)
        kind, name = parent_of[section]
        group = "gateway.networking.k8s.io"
        if kind == "XListenerSet":
            group = "gateway.networking.x-k8s.io"
        return ParentRef(name=name, namespace=plan.namespace if ns != plan.namespace else None,
                         section_name=section, kind=kind, group=group)

    # ---- routes -----------------------------------------------------------------------------------
    for ns in sorted(by_ns):
        hr = by_ns[ns]
        for hk in sorted(hr.http, key=lambda k: _host_sort(_unhkey(k))):
            host = _unhkey(hk)
            http_sec, https_sec = sections[host]
            _http_routes(model, hr.http[hk], ns, host, parent(http_sec, ns), parent(https_sec, ns),
                         route_names[ns], rule_names, notes)
        for hk in sorted(hr.grpc, key=lambda k: _host_sort(_unhkey(k))):
            host = _unhkey(hk)
            http_sec, https_sec = sections[host]
            parents = tuple(p for p in (parent(http_sec, ns), parent(https_sec, ns)) if p)
            _grpc_route(model, hr.grpc[hk], ns, host, parents, route_names[ns], grpc_lost)
    for host in sorted(passthrough, key=_host_sort):
        tr, r = passthrough[host]
        ns = tr.ingress.namespace
        sec = next(lst.name for g in groups for lst in g if lst.protocol == "TLS" and lst.hostname == host)
        p = parent(sec, ns)
        assert p is not None
        model.tls_routes.append(TLSRoute(namespace=ns, name=route_names[ns].take(slug(host) + "-tls"),
                                         parent_refs=(p,), hostnames=(host,), backends=tuple(r.backends),
                                         sources=(r.source,)))

    # ---- ReferenceGrants for certificates in other namespaces (shared Gateway) --------------------
    if shared:
        grants: dict[tuple[str, str], list[Source]] = defaultdict(list)
        for g in groups:
            for lst in g:
                for ref in lst.tls.certificate_refs if lst.tls else ():
                    if ref.namespace and ref.namespace != plan.namespace:
                        grants[(ref.namespace, ref.name)].extend(lst.sources)
        for (sns, secret), grant_srcs in sorted(grants.items()):
            model.reference_grants.append(ReferenceGrant(
                namespace=sns, name=slug(f"{plan.name}-{plan.namespace}-{secret}")[:253],
                from_group="gateway.networking.k8s.io", from_kind="Gateway", from_namespace=plan.namespace,
                to_group="", to_kind="Secret", to_name=secret, sources=tuple(dict.fromkeys(grant_srcs))))


def _state_fields(live: list[IngressTranslation], placed: set[Source], lost: set[Source],
                  groups: list[list[Listener]], notes: list[Notification], spread: set[Source],
                  unreached: dict[Source, str], shadowed: dict[Source, str], twins: dict[Source, str]) -> None:
    """State the outcome of every path, TLS entry and defaultBackend that has none yet."""
    used_certs = {(ref.namespace, ref.name) for g in groups for lst in g if lst.tls for ref in lst.tls.certificate_refs}
    for tr in live:
        claimed = {n.subject for n in tr.notifications}
        ns = tr.ingress.namespace
        seen: set[Source] = set()
        for r in tr.routes:
            src = r.source
            if r.synthetic or r.path is None or src in seen or src.field in claimed or src in lost:
                continue
            seen.add(src)
            if src in twins:
                notes.append(Notification(
                    Outcome.CAVEAT, src.field or "path", f"this path becomes the same match as path {twins[src]!r} of "
                    "this Ingress, which comes first and keeps it; this path gets no rule", src,
                    hint="Remove one of the two paths."))
                continue
            if src in shadowed:
                notes.append(Notification(
                    Outcome.CAVEAT, src.field or "path", f"became an HTTPRoute rule, which also takes the requests that "
                    f"{shadowed[src]} redirected with the controller: the redirect rule it added has the same match, "
                    "and in Gateway API the path's own rule is the one kept", src,
                    hint=f"Remove this path, or {shadowed[src]}, so that one behaviour is left."))
                continue
            if src in placed:
                kind = "a TLSRoute" if tr.passthrough else "an HTTPRoute rule"
                notes.append(Notification(Outcome.TRANSLATED, src.field or "path", f"became {kind}", src))
        for t in tr.tls:
            f = t.source.field or "spec.tls"
            if not t.secret_name or f in claimed:
                continue
            if (ns, t.secret_name) in used_certs or (None, t.secret_name) in used_certs:
                notes.append(Notification(Outcome.TRANSLATED, f, "certificate of the HTTPS listeners of its hosts",
                                          t.source))
            else:
                notes.append(Notification(Outcome.CAVEAT, f, "no HTTPS listener uses this certificate: none of its "
                                          "hosts has a rule", t.source,
                                          hint="Ingress controllers still present it for SNI; a Gateway needs a "
                                          "listener, so add routes for these hosts if they must answer HTTPS."))
        db = tr.default_backend_source
        if db is not None and db.field not in claimed and db not in lost:
            if db not in placed:
                notes.append(Notification(Outcome.NOT_ROUTING, db.field or "spec.defaultBackend",
                                          "not used: every host of this Ingress has its own / path, so no request "
                                          "falls through to it (as with the controller)", db))
            else:
                what = ("became a catch-all rule (PathPrefix /)" if not tr.ingress.rules else
                        "became the / rule of this Ingress's hosts where they have none")
                if db in spread:
                    what += ", and the / rule of the other hosts of this Gateway that have none"
                if db in unreached:
                    notes.append(Notification(
                        Outcome.CAVEAT, db.field or "spec.defaultBackend",
                        f"{what}, on the Gateway of namespace {ns} only: the controller also answered with it the "
                        f"requests no rule matched on the hosts of {unreached[db]} in other namespaces, whose "
                        "Gateways do not have it", db,
                        hint="Use --gateway-mode shared --gateway NAMESPACE/NAME to keep one entry point, as the "
                        "controller had."))
                    continue
                have = {r.host for r in tr.routes if r.path is not None}
                bare = list(dict.fromkeys(rule.host or "*" for rule in tr.ingress.rules if rule.host not in have))
                if bare:
                    notes.append(Notification(
                        Outcome.CAVEAT, db.field or "spec.defaultBackend",
                        f"{what}; on {', '.join(bare)} no path of this Ingress was translated, so that rule is all "
                        "it has there, without the per-path settings of the controller (an HTTPS redirect, say)", db,
                        hint="Fix the skipped paths of these hosts, or check their routes by hand."))
                    continue
                notes.append(Notification(Outcome.TRANSLATED, db.field or "spec.defaultBackend", what, db))


def _existing_spec(existing: dict[str, Any] | None) -> dict[str, Any]:
    """The existing Gateway's spec ({} when there is none or it is not a map)."""
    spec = existing.get("spec") if existing is not None else None
    return spec if isinstance(spec, dict) else {}


def _existing_listeners(existing: dict[str, Any] | None) -> dict[tuple[int, str, str | None], str]:
    """(port, protocol, hostname) -> name of each listener the existing Gateway has."""
    out: dict[tuple[int, str, str | None], str] = {}
    for lst in _existing_spec(existing).get("listeners") or []:
        if isinstance(lst, dict) and isinstance(lst.get("name"), str):
            out[(lst.get("port"), lst.get("protocol"), lst.get("hostname") or None)] = lst["name"]  # type: ignore[index]
    return out


def _existing_listener_specs(existing: dict[str, Any] | None) -> dict[str, dict[str, Any]]:
    """Name -> spec of each listener the existing Gateway has."""
    return {lst["name"]: lst for lst in _existing_spec(existing).get("listeners") or []
            if isinstance(lst, dict) and isinstance(lst.get("name"), str)}


def _admits_listener_sets(existing: dict[str, Any] | None) -> str:
    """What the existing Gateway's spec.allowedListeners says about ListenerSets of its own namespace."""
    allowed = _existing_spec(existing).get("allowedListeners")
    rule = allowed.get("namespaces") if isinstance(allowed, dict) else None
    frm = rule.get("from") if isinstance(rule, dict) else None
    if frm in ("Same", "All"):
        return f"it does (spec.allowedListeners.namespaces.from: {frm})"
    if frm == "Selector":
        return "it admits the namespaces its selector matches (spec.allowedListeners.namespaces.from: Selector): " \
            "check that it matches its own namespace"
    return ("it does not yet (spec.allowedListeners.namespaces.from is " + (str(frm) if frm else "not set, so None")
            + "): until it does, these listeners are not attached and their routes get no traffic")


def _check_admission(plan: GatewayPlan, name: str, spec: dict[str, Any], namespaces: set[str], gw_src: Source,
                     notes: list[Notification]) -> None:
    """A reused listener of an existing Gateway must admit the routes of every namespace that attaches to it
    (``allowedRoutes.namespaces``; From Same by default). State loudly when it does not, or may not."""
    foreign = sorted(namespaces - {plan.namespace})
    if not foreign:
        return
    allowed = spec.get("allowedRoutes")
    rule = allowed.get("namespaces") if isinstance(allowed, dict) else None
    frm = (rule.get("from") if isinstance(rule, dict) else None) or "Same"
    if frm == "All":
        return
    where = f"listener {name} of the existing Gateway {plan.namespace}/{plan.name}"
    if frm == "Selector":
        notes.append(Notification(
            Outcome.CAVEAT, "gateway", f"{where} admits routes from the namespaces its selector matches "
            f"(allowedRoutes.namespaces.from: Selector); the routes of namespace(s) {', '.join(foreign)} attach to "
            "it: check that the selector matches them, or those routes are not accepted", gw_src,
            hint="ing2gw leaves the existing Gateway unchanged; label the namespaces or widen the selector."))
        return
    notes.append(Notification(
        Outcome.UNSUPPORTED, "gateway", f"{where} admits routes from its own namespace only (allowedRoutes.namespaces"
        f".from: {frm}), but the routes of namespace(s) {', '.join(foreign)} attach to it: the Gateway will NOT "
        "accept them, and their requests get no route", gw_src,
        hint="Set allowedRoutes.namespaces.from to All, or to a Selector matching these namespaces, on that listener "
        "(ing2gw leaves the existing Gateway unchanged)."))


def _chunks(groups: list[list[Listener]]) -> list[list[Listener]]:
    chunks: list[list[Listener]] = [[]]
    for g in groups:
        if len(chunks[-1]) + len(g) > MAX_LISTENERS:
            chunks.append([])
        chunks[-1].extend(g)
    return [c for c in chunks if c]


def _new_gateways(plan: GatewayPlan, groups: list[list[Listener]], owner: dict[str, tuple[str, str]],
                  model: GatewayModel, srcs: tuple[Source, ...], notes: list[Notification], names: NameSet,
                  shared: bool, route_ns_by_host: dict[tuple[bool, str | None], set[str]]) -> None:
    chunks = _chunks(groups)
    for i, chunk in enumerate(chunks):
        gw_name = names.take(plan.name if i == 0 else f"{plan.name}-{i + 1}")
        for lst in chunk:
            owner[lst.name] = ("Gateway", gw_name)
        if shared:
            chunk = [_admit(lst, route_ns_by_host, plan.namespace) for lst in chunk]
        model.gateways.append(Gateway(namespace=plan.namespace, name=gw_name, class_name=plan.class_name,
                                      listeners=tuple(chunk), sources=srcs))
    if len(chunks) > 1:
        notes.append(Notification(
            Outcome.CAVEAT, "gateway", f"Gateway {plan.namespace}/{plan.name} would need more than {MAX_LISTENERS} "
            f"listeners; split into {len(chunks)} Gateways (each host keeps its listeners on one Gateway)",
            Source(kind="Gateway", namespace=plan.namespace, name=plan.name),
            hint="Gateways may get separate addresses; with Gateway API v1.5+ ListenerSets are an alternative."))


def _attach_existing(plan: GatewayPlan, groups: list[list[Listener]],
                     existing: dict[tuple[int, str, str | None], str], owner: dict[str, tuple[str, str]],
                     renamed: dict[str, str], model: GatewayModel, srcs: tuple[Source, ...],
                     notes: list[Notification], names: NameSet, listener_set_api: str | None, shared: bool,
                     route_ns_by_host: dict[tuple[bool, str | None], set[str]]) -> None:
    """Reuse the existing Gateway's matching listeners; put the missing ones in ListenerSets (v1.5+), or
    state exactly which listeners must be added by hand. The existing Gateway itself is never re-emitted."""
    gw_src = Source(kind="Gateway", namespace=plan.namespace, name=plan.name)
    model.gateways.append(Gateway(namespace=plan.namespace, name=plan.name, class_name=plan.class_name,
                                  listeners=(), sources=srcs, existing=True))
    missing: list[list[Listener]] = []
    specs = _existing_listener_specs(plan.existing)
    for g in groups:
        left = []
        for lst in g:
            name = existing.get((lst.port, lst.protocol, lst.hostname))
            if name is not None:
                renamed[lst.name] = name
                owner[name] = ("Gateway", plan.name)
                _check_admission(plan, name, specs.get(name, {}), _admitted(lst, route_ns_by_host), gw_src, notes)
            else:
                left.append(lst)
        if left:
            missing.append(left)
    if not missing:
        return
    count = sum(len(g) for g in missing)
    if listener_set_api is not None:
        kind = "ListenerSet" if listener_set_api.startswith("gateway.networking.k8s.io/") else "XListenerSet"
        made = []
        for i, chunk in enumerate(_chunks(missing)):
            ls_name = names.take(f"{plan.name}-ing2gw" if i == 0 else f"{plan.name}-ing2gw-{i + 1}")
            for lst in chunk:
                owner[lst.name] = (kind, ls_name)
            if shared:
                chunk = [_admit(lst, route_ns_by_host, plan.namespace) for lst in chunk]
            model.listener_sets.append(ListenerSet(namespace=plan.namespace, name=ls_name, gateway=plan.name,
                                                   listeners=tuple(chunk), sources=srcs))
            made.append(ls_name)
        admits = _admits_listener_sets(plan.existing)
        notes.append(Notification(
            Outcome.CAVEAT, "gateway", f"Gateway {plan.namespace}/{plan.name} already exists and is left unchanged: "
            f"{len(renamed)} of its listeners are reused, and the {count} it lacks are in {kind} "
            f"{', '.join(made)}, which the Gateway must admit through spec.allowedListeners; {admits}", gw_src,
            hint="Set spec.allowedListeners.namespaces.from to Same on the Gateway (the default, None, admits no "
            "ListenerSet), or add the listeners to the Gateway by hand."))
        return
    for g in missing:
        for lst in g:
            owner[lst.name] = ("Gateway", plan.name)
    wanted = "; ".join(f"{lst.name} ({lst.protocol} {lst.port} {lst.hostname or '*'})" for g in missing for lst in g)
    notes.append(Notification(
        Outcome.UNSUPPORTED, "gateway", f"Gateway {plan.namespace}/{plan.name} already exists and lacks {count} "
        f"listener(s) the routes attach to: {wanted}", gw_src,
        hint="Add these listeners to the Gateway by hand (this Gateway API version has no ListenerSet), "
        "or target v1.5+ to get them as a ListenerSet."))


def _hkey(host: str | None) -> str:
    return host if host is not None else ""


def _unhkey(key: str) -> str | None:
    return key or None


def _host_sort(host: str | None) -> tuple[int, str]:
    return (0, "") if host is None else (1, host)


def _show(m: RouteMatch) -> str:
    p = m.path
    return f"{p.value} ({p.type})" if p else "/"


def _with_host(r: PathRoute, host: str) -> PathRoute:
    from dataclasses import replace

    return replace(r, host=host, synthetic=True)


def _default_backend_routes(tr: IngressTranslation) -> list[PathRoute]:
    """An Ingress's defaultBackend: the catch-all for any host when it has no rules; otherwise the
    backend of unmatched paths of its own hosts."""
    db = tr.default_backend
    if db is None:
        return []
    src = tr.default_backend_source or tr.ingress.source
    root = RouteMatch(path=PathMatch("PathPrefix", "/"))
    if not tr.ingress.rules:
        return [PathRoute(host=None, match=root, backends=[db], source=src, ingress=tr.ingress)]
    out = []
    # Every host of its rules, also those whose paths were all skipped (the controller still served the host).
    # The HTTP-to-HTTPS redirect the provider gave this Ingress's paths on a host applies to its / there too.
    redirect: dict[str | None, int] = {}
    for r in tr.routes:
        if r.redirect_http is not None and not r.synthetic:
            redirect.setdefault(r.host, r.redirect_http)
    for host in tr.hosts:
        out.append(PathRoute(host=host, match=root, backends=[db], source=src, ingress=tr.ingress, synthetic=True,
                             redirect_http=redirect.get(host)))
    return out


def _sources_for(by_ns: dict[str, _HostRoutes], host: str | None) -> Iterable[Source]:
    k = _hkey(host)
    for hr in by_ns.values():
        for r in (*hr.http.get(k, ()), *hr.grpc.get(k, ())):
            yield r.ingress.source


def _cert_refs(cov: list[tuple[SecretRef, Source]], gw_ns: str, shared: bool) -> list[SecretRef]:
    return [SecretRef(ref.name, ref.namespace if shared and ref.namespace != gw_ns else None) for ref, _ in cov]


def _admitted(lst: Listener, route_ns_by_host: dict[tuple[bool, str | None], set[str]]) -> set[str]:
    """The namespaces whose routes attach to ``lst``: TLSRoutes on a passthrough listener, else HTTP and gRPC."""
    return route_ns_by_host.get((lst.protocol == "TLS", lst.hostname), set())


def _admit(lst: Listener, route_ns_by_host: dict[tuple[bool, str | None], set[str]], gw_ns: str) -> Listener:
    from dataclasses import replace

    nss = _admitted(lst, route_ns_by_host)
    if not nss or nss == {gw_ns}:
        return lst
    return replace(lst, allowed_namespaces="Selector", namespace_selector={"namespaces": ",".join(sorted(nss))})


# --------------------------------------------------------------------------------------------------
# Rules and routes
# --------------------------------------------------------------------------------------------------


def _http_routes(model: GatewayModel, routes: list[PathRoute], ns: str, host: str | None,
                 http_parent: ParentRef | None, https_parent: ParentRef | None, names: NameSet,
                 rule_names: bool, notes: list[Notification]) -> None:
    base = "any-host" if host is None else slug(host)
    hostnames = () if host is None else (host,)
    # Redirects to HTTPS (also without a TLS listener here: TLS may end in front of the Gateway) and rules
    # meant for one listener only need a route per listener; everything else shares one route.
    needs_split = any(r.redirect_http is not None or r.listener != "any" for r in routes)
    if not needs_split:
        parents = tuple(p for p in (http_parent, https_parent) if p)
        rules = _rules(routes, redirect=False)
        _emit_http(model, ns, base, parents, hostnames, rules, names, rule_names)
        return
    https_side = [r for r in routes if r.listener in ("any", "https")]
    http_side = [r for r in routes if r.listener in ("any", "http")]
    if https_parent is not None and https_side:
        _emit_http(model, ns, base, (https_parent,), hostnames, _rules(https_side, redirect=False), names, rule_names)
    if http_parent is not None and http_side:
        _emit_http(model, ns, base + "-http", (http_parent,), hostnames, _rules(http_side, redirect=True),
                   names, rule_names)


def _rules(routes: list[PathRoute], *, redirect: bool) -> list[RouteRule]:
    """Group paths that behave the same into one rule each; order by Ingress precedence."""
    groups: dict[tuple[object, ...], list[PathRoute]] = {}
    for r in sorted(routes, key=lambda r: precedence_key(r.match)):
        is_redirect = redirect and r.redirect_http is not None
        key: tuple[object, ...]
        if is_redirect:
            key = ("redirect", r.redirect_http, r.ingress.source)
        else:
            key = (tuple(r.backends), tuple(r.filters), r.timeouts, r.retry, r.session_persistence,
                   tuple(q.id for q in r.requirements), r.ingress.source if r.requirements else None, r.group)
            if _replaces_prefix(r):
                key = (*key, r.match)  # CEL: ReplacePrefixMatch needs exactly one PathPrefix match per rule
        groups.setdefault(key, []).append(r)
    rules: list[RouteRule] = []
    for key, members in groups.items():
        for i in range(0, len(members), MAX_MATCHES_PER_RULE):
            part = members[i : i + MAX_MATCHES_PER_RULE]
            first = part[0]
            matches = tuple(dict.fromkeys(m.match for m in part))
            sources = tuple(dict.fromkeys(m.source for m in part))
            if key[0] == "redirect":
                assert first.redirect_http is not None
                rules.append(RouteRule(matches=matches, backends=(), sources=sources,
                                       filters=(RequestRedirect(source=first.source, scheme="https",
                                                                status_code=first.redirect_http),)))
            else:
                rules.append(RouteRule(matches=matches, backends=tuple(first.backends), sources=sources,
                                       filters=tuple(first.filters), timeouts=first.timeouts, retry=first.retry,
                                       session_persistence=first.session_persistence,
                                       requirements=tuple(first.requirements)))
    return rules


def _replaces_prefix(r: PathRoute) -> bool:
    return any(isinstance(f, (URLRewrite, RequestRedirect)) and f.path is not None
               and f.path.type == "ReplacePrefixMatch" for f in r.filters)


def _emit_http(model: GatewayModel, ns: str, base: str, parents: tuple[ParentRef, ...], hostnames: tuple[str, ...],
               rules: list[RouteRule], names: NameSet, rule_names: bool) -> None:
    chunks: list[list[RouteRule]] = [[]]
    count = 0
    for rule in rules:
        if len(chunks[-1]) >= MAX_RULES or count + len(rule.matches) > MAX_MATCHES_PER_ROUTE:
            chunks.append([])
            count = 0
        chunks[-1].append(rule)
        count += len(rule.matches)
    for i, chunk in enumerate(chunks):
        if not chunk:
            continue
        name = names.take(base if i == 0 else f"{base}-{i + 1}")
        if rule_names:
            rn = NameSet(253)
            chunk = [_named(r, rn) for r in chunk]
        sources = tuple(dict.fromkeys(_object_source(s) for r in chunk for s in r.sources))
        model.http_routes.append(HTTPRoute(namespace=ns, name=name, parent_refs=parents, hostnames=hostnames,
                                           rules=tuple(chunk), sources=sources))


def _object_source(s: Source) -> Source:
    """The Source of the whole object a field or annotation belongs to."""
    return s if s.field is None and s.annotation is None else s.at()


def _named(rule: RouteRule, names: NameSet) -> RouteRule:
    src = rule.sources[0]
    wanted = slug(src.name)
    if rule.filters and isinstance(rule.filters[0], RequestRedirect) and not rule.backends:
        wanted += "-redirect"
    return evolve(rule, name=names.take(wanted))


def _grpc_route(model: GatewayModel, routes: list[PathRoute], ns: str, host: str | None,
                parents: tuple[ParentRef, ...], names: NameSet, grpc_lost: dict[Source, set[str]]) -> None:
    rules: list[GRPCRouteRule] = []
    for r in sorted(routes, key=lambda r: precedence_key(r.match)):
        kept = tuple(f for f in r.filters if isinstance(f, HeaderModifier | RequestMirror | ExtensionRef))  # GRPCRoute's
        for f in r.filters:
            if f not in kept:
                grpc_lost.setdefault(f.source, set()).add(type(f).__name__)
        rules.append(GRPCRouteRule(matches=_grpc_matches(r.match.path), backends=tuple(r.backends),
                                   sources=(r.source,), headers=r.match.headers, filters=kept,
                                   requirements=tuple(r.requirements)))
    base = ("any-host" if host is None else slug(host)) + "-grpc"
    for i in range(0, len(rules), MAX_RULES):
        model.grpc_routes.append(GRPCRoute(
            namespace=ns, name=names.take(base if i == 0 else f"{base}-{i // MAX_RULES + 1}"), parent_refs=parents,
            hostnames=() if host is None else (host,), rules=tuple(rules[i : i + MAX_RULES]),
            sources=tuple(dict.fromkeys(r.sources[0] for r in rules[i : i + MAX_RULES]))))


def _grpc_matches(path: PathMatch | None) -> tuple[GRPCMethodMatch, ...]:
    """``/pkg.Service/Method`` -> service+method; ``/pkg.Service`` -> service; ``/`` -> everything."""
    if path is None:
        return ()
    parts = [p for p in path.value.split("/") if p]
    if not parts:
        return ()
    if len(parts) == 1:
        return (GRPCMethodMatch(service=parts[0]),)
    return (GRPCMethodMatch(service=parts[0], method=parts[1]),)


def backend_tls_policy_name(service: str) -> str:
    return slug(service) + "-backend-tls"


__all__ = ["BackendTLSPolicy", "GatewayPlan", "build"]
