"""The Ingress specification, per Ingress: paths, backends, TLS and defaultBackend into a translation.

Controller specifics enter through the provider's ``path_match`` hook here and its handlers afterwards.
This module also gives every annotation that no handler claimed its outcome.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from functools import lru_cache

from ing2gw.core.paths import gateway_path_problem, normalise_prefix, percent_encode
from ing2gw.model import (
    BackendRef,
    Ingress,
    IngressBackend,
    Notification,
    Outcome,
    PathMatch,
    RouteMatch,
)
from ing2gw.provider import (
    COMPANION_ANNOTATIONS,
    NOT_ROUTING_PREFIXES,
    IngressTranslation,
    PathRoute,
    Provider,
    TranslateContext,
)

CORE_ANNOTATIONS = {"kubernetes.io/ingress.class"}


def resolve_backend(backend: IngressBackend, ing: Ingress, ctx: TranslateContext,
                    notes: list[Notification]) -> BackendRef | None:
    """A Gateway API backendRef for an Ingress backend; named ports are resolved through the Service."""
    src = backend.source
    if backend.resource is not None:
        r = backend.resource
        notes.append(Notification(
            Outcome.CAVEAT, src.field or "backend.resource",
            f"resource backend {r.kind} {r.name} became a backendRef of that group and kind; "
            "whether the Gateway implementation supports it is implementation-specific", src,
            hint="Check that your Gateway implementation accepts this backend kind.",
        ))
        return BackendRef(name=r.name, port=None, group=r.api_group or "", kind=r.kind)
    svc = backend.service
    assert svc is not None
    if svc.port_number is not None:
        return BackendRef(name=svc.name, port=svc.port_number)
    service = ctx.service(ing.namespace, svc.name)
    if service is None:
        where = ("it is not in the input" if ctx.services_known
                 else "no Services were in the input")
        notes.append(Notification(
            Outcome.ERROR, f"{src.field}.service.port.name",
            f"named port {svc.port_name!r} of Service {ing.namespace}/{svc.name} cannot be resolved: {where}",
            src.at(field=f"{src.field}.service.port.name"),
            hint="Gateway API backendRefs need port numbers: add the Service manifest to the input, "
            "use `ing2gw export` on the cluster, or use a port number. This path was skipped.",
        ))
        return None
    for sp in service.ports:
        if sp.name == svc.port_name:
            return BackendRef(name=svc.name, port=sp.port)
    names = ", ".join(sorted(p.name or str(p.port) for p in service.ports)) or "none"
    notes.append(Notification(
        Outcome.ERROR, f"{src.field}.service.port.name",
        f"Service {ing.namespace}/{svc.name} has no port named {svc.port_name!r} (ports: {names})",
        src.at(field=f"{src.field}.service.port.name"), hint="This path was skipped.",
    ))
    return None


def base_translation(ing: Ingress, provider: Provider, ctx: TranslateContext) -> IngressTranslation:
    """Hosts, paths, backends, TLS and defaultBackend of one Ingress, before any annotation."""
    tr = IngressTranslation(ingress=ing, provider=provider.name, tls=list(ing.tls))
    notes = tr.notifications
    for rule in ing.rules:
        if rule.host and rule.host.startswith("*."):
            notes.append(Notification(
                Outcome.CAVEAT, f"{rule.source.field}.host",
                f"wildcard host {rule.host!r} matches exactly one DNS label in Ingress but any number in "
                f"Gateway API: the HTTPRoute also matches deeper names such as a.b{rule.host[1:]}",
                rule.source.at(field=f"{rule.source.field}.host"),
                hint="If deeper names must not reach this backend, add explicit routes for them.",
            ))
        if not rule.paths:
            notes.append(Notification(
                Outcome.CAVEAT, rule.source.field or "spec.rules", "rule without http paths: it routes nothing "
                "(with a defaultBackend, the host is served by it)", rule.source))
        for p in rule.paths:
            backend = resolve_backend(p.backend, ing, ctx, notes)
            if backend is None:
                continue
            safe = _gateway_safe(provider.path_match(p, tr, ctx), p.source, notes)
            if safe is None:
                continue
            if p.path_type == "ImplementationSpecific" and provider.name == "generic":
                notes.append(Notification(
                    Outcome.CAVEAT, f"{p.source.field}.pathType",
                    f"ImplementationSpecific path {p.path or '/'!r} read as Prefix: its meaning depends on the "
                    "controller, which ing2gw does not know", p.source.at(field=f"{p.source.field}.pathType"),
                    hint="Use --provider or --class-provider to name the controller, or set pathType explicitly.",
                ))
            tr.routes.append(PathRoute(host=rule.host, match=RouteMatch(path=safe), backends=[backend],
                                       source=p.source, ingress=ing, path=p))
    if ing.default_backend is not None:
        b = resolve_backend(ing.default_backend, ing, ctx, notes)
        if b is not None:
            tr.default_backend = b
            tr.default_backend_source = ing.default_backend.source
    return tr


def _gateway_safe(match: PathMatch, src_path: object, notes: list[Notification]) -> PathMatch | None:
    from ing2gw.model import Source

    assert isinstance(src_path, Source)
    if match.type == "RegularExpression":
        if len(match.value) > 1024:
            notes.append(Notification(Outcome.ERROR, f"{src_path.field}.path", "path longer than 1024 characters, "
                                      "the HTTPRoute limit", src_path.at(field=f"{src_path.field}.path"),
                                      hint="This path was skipped."))
            return None
        return match
    problem = gateway_path_problem(match.value)
    if problem is None:
        return match
    encoded = percent_encode(match.value)
    if gateway_path_problem(encoded) is None and "#" not in match.value:
        notes.append(Notification(
            Outcome.CAVEAT, f"{src_path.field}.path",
            f"path {match.value!r} {problem}; emitted percent-encoded as {encoded!r}, which matches the same "
            "requests on implementations that normalise the request path", src_path.at(field=f"{src_path.field}.path"),
        ))
        return PathMatch(match.type, encoded)
    notes.append(Notification(
        Outcome.UNSUPPORTED, f"{src_path.field}.path", f"path {match.value!r} cannot be an HTTPRoute path: {problem}",
        src_path.at(field=f"{src_path.field}.path"), hint="This path was skipped; rewrite it by hand.",
    ))
    return None


@lru_cache(maxsize=4096)
def _close_match(key: str, keys: tuple[str, ...]) -> list[str]:
    """A known key that looks like ``key`` (a typo), cached: the same unknown annotation on thousands of
    Ingresses would otherwise cost one difflib search each (most of the time of a 10,000-Ingress run)."""
    return difflib.get_close_matches(key, keys, n=1, cutoff=0.85)


def state_unclaimed(tr: IngressTranslation, provider: Provider, all_providers: Mapping[str, Provider]) -> None:
    """Give every annotation that no handler of ``provider`` answered for exactly one outcome."""
    claimed = {n.subject for n in tr.notifications}
    for key in tr.ingress.annotations:
        if key in claimed or provider.registry.get(key) is not None:
            continue
        src = tr.ingress.source.at(annotation=key)
        if provider.registry.owns(key):
            close = _close_match(key, tuple(provider.registry.keys()))
            hint = f"Did you mean {close[0]}?" if close else None
            tr.notifications.append(Notification(
                Outcome.UNHANDLED, key, f"unknown {provider.name} annotation: the controller ignores it, and so "
                "does ing2gw", src, hint=hint))
            continue
        if key.startswith(NOT_ROUTING_PREFIXES):
            tr.notifications.append(Notification(Outcome.NOT_ROUTING, key, "does not affect routing", src))
            continue
        companion = next((h for p, h in COMPANION_ANNOTATIONS.items() if key.startswith(p)), None)
        if companion:
            tr.notifications.append(Notification(Outcome.NOT_ROUTING, key, "read by another tool, not by the "
                                                 "ingress controller", src, hint=companion))
            continue
        owner = next((p for p in all_providers.values() if p is not provider and p.registry.owns(key)), None)
        if owner is not None and provider.name == "generic":
            tr.notifications.append(Notification(
                Outcome.UNHANDLED, key,
                f"annotation of {owner.title or owner.name}; this Ingress's controller is unknown, so it was not "
                "translated", src,
                hint=f"If {owner.title or owner.name} serves this Ingress, name it with --class-provider "
                f"CLASS={owner.name} or --provider {owner.name}."))
            continue
        if owner is not None:
            tr.notifications.append(Notification(
                Outcome.NOT_ROUTING, key,
                f"annotation of {owner.title or owner.name}, but this Ingress is served by "
                f"{provider.title or provider.name}: it had no effect, so nothing is carried over", src,
                hint="Remove it, or check the Ingress's class if it was meant for that controller."))
            continue
        tr.notifications.append(Notification(
            Outcome.UNHANDLED, key, "annotation not known to any installed provider; it was not carried over", src,
            hint="If it changes routing, translate it by hand."))


def state_slash_precedence(translations: list[IngressTranslation]) -> None:
    """Ingress specification precedence that Gateway API does not keep: a Prefix path ``/foo/`` matches
    ``/foo`` too and is the longer path, so it beat an Exact ``/foo`` on the same host; Gateway API puts
    Exact first whatever the length. State it on the Prefix path, naming the Exact one (providers that
    read paths as the specification does; the translations of one provider, so one controller)."""
    exact: dict[tuple[str | None, str | None, str], PathRoute] = {}
    prefixes: list[tuple[IngressTranslation, PathRoute, str]] = []
    for tr in translations:
        _longest_first(tr)
        for r in tr.routes:
            m = r.match.path
            if r.synthetic or r.path is None or m is None or r.match.method or r.match.headers \
                    or r.match.query_params:
                continue
            if m.type == "Exact":
                exact.setdefault((tr.class_name, r.host, m.value), r)
            elif m.type == "PathPrefix" and r.path.path_type in ("Prefix", "ImplementationSpecific") \
                    and len(r.path.path) > 1 and r.path.path.endswith("/") and m.value == normalise_prefix(r.path.path):
                prefixes.append((tr, r, m.value))
    for tr, r, value in prefixes:
        other = exact.get((tr.class_name, r.host, value))
        if other is None or not r.source.field or (other.backends, other.filters) == (r.backends, r.filters):
            continue
        if any(n.subject == r.source.field for n in tr.notifications):
            continue
        whose = "" if other.ingress is tr.ingress else f" of {other.ingress.source.ref}"
        assert r.path is not None
        tr.notifications.append(Notification(
            Outcome.CAVEAT, r.source.field,
            f"became an HTTPRoute rule, but requests for exactly {value} go elsewhere now: this {r.path.path_type} "
            f"path {r.path.path!r} matches {value!r} too and is longer than the Exact path {value!r}{whose} on "
            f"host {r.host or '*'}, so the Ingress specification's precedence (longest path first) sent them "
            f"here; Gateway API always prefers the Exact match, so they reach the Exact path's backend",
            r.source, hint=f"If {value} must keep reaching this backend, remove the Exact path {value} or give it "
            "the same backend."))


def _longest_first(tr: IngressTranslation) -> None:
    """Paths of one Ingress that become the same match (``/api`` and ``/api/`` are one PathPrefix): the
    specification's precedence gives the requests to the longest path, so its route goes first (the merge
    keeps the first of equal matches), and the others are stated."""
    groups: dict[tuple[str | None, RouteMatch, str], list[PathRoute]] = {}
    for r in tr.routes:
        if not r.synthetic and r.path is not None:
            groups.setdefault((r.host, r.match, r.listener), []).append(r)
    position: dict[int, int] | None = None
    for same in groups.values():
        if len(same) < 2:
            continue
        best = max(same, key=lambda r: len(r.path.path if r.path else ""))
        if best is not same[0]:  # the merge keeps the first of equal matches: swap the winner to the front
            if position is None:
                position = {id(r): i for i, r in enumerate(tr.routes)}
            i, j = position[id(same[0])], position[id(best)]
            tr.routes[i], tr.routes[j] = best, same[0]
            position[id(best)], position[id(same[0])] = i, j
        for r in same:
            if r is best or not r.source.field or any(n.subject == r.source.field for n in tr.notifications):
                continue
            assert r.path is not None and best.path is not None
            tr.notifications.append(Notification(
                Outcome.CAVEAT, r.source.field,
                f"path {r.path.path!r} matches the same requests as path {best.path.path!r} of this Ingress (a "
                f"trailing slash does not change what a Prefix path matches); the Ingress specification gives them "
                f"to the longer one, {best.path.path!r}, so this path gets no rule", r.source,
                hint="Remove one of the two paths."))
