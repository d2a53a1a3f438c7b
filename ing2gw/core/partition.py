"""Parts of a conversion that can be converted apart, by separate processes, with the same result.

Ingresses relate to each other through the hosts they serve (one nginx server per host: canaries, regex
mode, redirects, the per-namespace split statement, a wildcard certificate covering a name) and their
namespace (one Gateway per namespace and class, its names, the Services they use). A part is a set of
namespaces, closed under those relations: the namespaces whose Ingresses share a host name (or a name and
the wildcard covering it, or an alias a provider names in ``related_hosts``) are in one part. Nothing else
may relate them; that is checked again after translation (:func:`separate`), when aliases and synthetic
routes are known, and a conversion whose parts turn out to touch is converted whole.

Not split at all: the shared-Gateway mode (one Gateway), a catch-all defaultBackend (it answers for every
host of its class), and conversions with a provider that does not take part (``Provider.takes_part``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ing2gw.core.pipeline import Prepared
    from ing2gw.model import Ingress
    from ing2gw.provider import IngressTranslation


FIRST_SHARE = 1.1  # the first part's work against another's: a forked worker is slower (measured at 10,000)


def split(prepared: Prepared, count: int) -> list[list[int]] | None:
    """Up to ``count`` parts of about the same work (paths), as indexes into ``prepared.dispatched`` in order,
    or None when the conversion cannot be split into two or more."""
    if count < 2 or prepared.shared_ref is not None:
        return None
    if not all(prepared.providers[name].takes_part() for name in prepared.order):
        return None
    dispatched = prepared.dispatched
    names: list[list[str | None]] = []
    for ing, d, _ in dispatched:
        if ing.default_backend is not None and not ing.rules:
            return None  # a catch-all: every host of its class
        names.append(_names(ing, d.provider.related_hosts(ing)))
    wildcards: set[str | None] = {h for hs in names for h in hs if h is not None and h.startswith("*.")}
    # union-find over namespaces; each name joins the namespaces that use it
    parent: dict[str, str] = {}

    def root(ns: str) -> str:
        while parent[ns] != ns:
            parent[ns] = parent[parent[ns]]
            ns = parent[ns]
        return ns

    holder: dict[str | None, str] = {}
    for (ing, _, _), hs in zip(dispatched, names, strict=True):
        ns = ing.namespace
        parent.setdefault(ns, ns)
        for h in hs:
            wildcard = _wildcard(h)
            for key in (h, wildcard) if wildcard in wildcards else (h,):
                other = holder.setdefault(key, ns)
                a, b = root(ns), root(other)
                if a != b:
                    parent[max(a, b)] = min(a, b)
    groups: dict[str, list[int]] = {}
    weights: dict[str, int] = {}
    for i, (ing, _, _) in enumerate(dispatched):
        g = root(ing.namespace)
        groups.setdefault(g, []).append(i)
        weights[g] = weights.get(g, 0) + 1 + sum(len(r.paths) for r in ing.rules)  # the work goes with paths
    if len(groups) < 2:
        return None
    # Groups in input order, cut into runs of about equal work: the objects of a run were made together, so
    # each process writes (reference counts) mostly memory pages that the other does not, and a page the
    # fork shared is copied for one of them only. The first part, done by this process, takes a larger
    # share: a forked worker is slower, and sends its result back, which this process then reads.
    shares = [FIRST_SHARE] + [1.0] * (count - 1)
    total = sum(weights.values())
    bounds = [total * sum(shares[:k + 1]) / sum(shares) for k in range(count)]
    members: list[list[int]] = [[] for _ in range(count)]
    place = {id(ing): i for i, ing in enumerate(prepared.inputs.ingresses)}  # dispatched is in Ingress order
    first = {g: min(place[id(dispatched[i][0])] for i in idx) for g, idx in groups.items()}
    done = 0
    k = 0
    for g in sorted(groups, key=first.__getitem__):
        while k < count - 1 and done + weights[g] / 2 > bounds[k]:
            k += 1
        members[k].extend(groups[g])
        done += weights[g]
    out = [sorted(m) for m in members if m]
    return out if len(out) > 1 else None


def _names(ing: Ingress, related: Iterable[str]) -> list[str | None]:
    """The host names an Ingress is related to others by (None: a rule without host)."""
    out: dict[str | None, None] = {}
    for rule in ing.rules:
        out[rule.host.lower() if rule.host else None] = None
    for t in ing.tls:
        out.update((h.lower(), None) for h in t.hosts)
    out.update((h.lower(), None) for h in related)
    return list(out)


def _wildcard(host: str | None) -> str | None:
    """The wildcard name that covers ``host`` (one label: ``*.example.com`` for ``a.example.com``), if any."""
    if host is None or host.startswith("*.") or "." not in host:
        return None
    return "*." + host.split(".", 1)[1]


@dataclass(slots=True)
class Facts:
    """What one part's translations touch, to check after translation that parts stay apart."""

    hosts: set[str | None] = field(default_factory=set)  # every name served, aliased or with TLS
    namespaces: set[str] = field(default_factory=set)  # of its Ingresses
    refers_to: set[str] = field(default_factory=set)  # namespaces its backends name
    catch_all: bool = False


def facts(translations: Iterable[IngressTranslation]) -> Facts:
    out = Facts()
    for tr in translations:
        ns = tr.ingress.namespace
        out.namespaces.add(ns)
        out.hosts.update(h.lower() if h else None for h in tr.hosts)
        out.hosts.update(h.lower() for h in tr.aliases)
        out.hosts.update(h.lower() for t in tr.tls for h in t.hosts)
        for r in tr.routes:
            out.refers_to.update(b.namespace for b in r.backends if b.namespace)
        if tr.default_backend is not None:
            if tr.default_backend.namespace:
                out.refers_to.add(tr.default_backend.namespace)
            if not tr.ingress.rules:
                out.catch_all = True
    return out


def separate(parts: Sequence[Facts]) -> bool:
    """Whether the parts' translations are unrelated: no name (or a name and the wildcard covering it) in
    two parts, no backend in another part's namespace or outside the part, no catch-all."""
    if len(parts) > 1 and any(p.catch_all for p in parts):
        return False
    owner: dict[str | None, int] = {}
    for i, p in enumerate(parts):
        for h in p.hosts:
            if owner.setdefault(h, i) != i:
                return False
    for i, p in enumerate(parts):
        if not p.refers_to <= p.namespaces:
            return False
        for h in p.hosts:
            wildcard = _wildcard(h)
            if wildcard is not None and owner.get(wildcard, i) != i:
                return False
    return True
