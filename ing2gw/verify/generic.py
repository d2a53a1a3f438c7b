"""The Ingress side for controllers without their own engine: the Ingress specification only.

- Hosts: exact, or a wildcard ``*.example.com`` matching exactly one label; rules without host serve
  hosts that no rule names.
- Paths: ``Exact`` exact and case-sensitive; ``Prefix`` element-wise on ``/`` with a trailing slash
  ignored; ``ImplementationSpecific`` is controller-defined, read here as ``Prefix`` (answers that depend
  on it say so). Longest path first, ``Exact`` before ``Prefix`` on a tie.
- Ingresses on one host merge, oldest first; ``defaultBackend`` answers unmatched paths of its own hosts,
  and of every host when the Ingress has no rules. No annotation is interpreted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from ing2gw.core.merge import split_detail
from ing2gw.model import Ingress, Service
from ing2gw.verify.model import Answer, Backend, Cause, Probe, single, status
from ing2gw.verify.nginx import one_label_wildcard, resolve_backend

CATCH_ALL = ""


def prefix_matches(prefix: str, path: str) -> bool:
    """Ingress ``Prefix`` (and Gateway ``PathPrefix``): element-wise, trailing slash ignored."""
    p = prefix.rstrip("/")
    if not p:
        return True
    return path == p or path.startswith(p + "/")


@dataclass(slots=True)
class _Path:
    path: str
    path_type: str
    backend: Backend
    ingress: Ingress
    field: str


@dataclass(slots=True)
class _Host:
    paths: list[_Path] = field(default_factory=list)
    keys: set[tuple[str, str]] = field(default_factory=set)
    default: _Path | None = None
    tls: bool = False
    rules: list[Cause] = field(default_factory=list)  # the rules naming this host
    split: list[Cause] = field(default_factory=list)  # the per-namespace split statement of each of their Ingresses


class GenericController:
    """One controller of unknown make, following the Ingress specification."""

    def __init__(self, ingresses: Iterable[Ingress], services: Mapping[tuple[str, str], Service],
                 provider: str = "generic", engine_gap: str | None = None) -> None:
        self.provider = provider
        # Set when the controller has semantics of its own (its provider reads paths or annotations its own
        # way): this engine then only knows the Ingress specification, and no answer of it is compared.
        self.engine_gap = engine_gap
        self.hosts: dict[str, _Host] = {}
        self.catch_all: _Path | None = None
        for ing in sorted(ingresses, key=lambda i: i.key):
            db = (_Path("/", "default", resolve_backend(ing.default_backend, ing.namespace, services), ing,
                        ing.default_backend.source.field or "spec.defaultBackend")
                  if ing.default_backend is not None else None)
            if not ing.rules:
                if db is not None and self.catch_all is None:
                    self.catch_all = db
                continue
            for rule in ing.rules:
                h = self.hosts.setdefault(rule.host or CATCH_ALL, _Host())
                h.rules.append(Cause(rule.source.field or "spec.rules", f"{ing.namespace}/{ing.name}"))
                h.split.append(Cause("metadata.namespace", f"{ing.namespace}/{ing.name}",
                                     detail=split_detail(rule.host or None)))
                for p in rule.paths:
                    path = p.path or "/"
                    ptype = "Prefix" if p.path_type == "ImplementationSpecific" else p.path_type
                    if (path, ptype) in h.keys:
                        continue
                    h.keys.add((path, ptype))
                    h.paths.append(_Path(path, p.path_type, resolve_backend(p.backend, ing.namespace, services), ing,
                                         p.source.field or ""))
                if db is not None and h.default is None:
                    h.default = db
                if rule.host and any(rule.host in t.hosts or any(one_label_wildcard(x, rule.host) for x in t.hosts)
                                     for t in ing.tls):
                    h.tls = True

    def host_for(self, host: str) -> _Host | None:
        if host in self.hosts:
            return self.hosts[host]
        if "." in host and "*." + host.split(".", 1)[1] in self.hosts:
            return self.hosts["*." + host.split(".", 1)[1]]
        return self.hosts.get(CATCH_ALL)

    def answer(self, probe: Probe) -> Answer:
        a = self._answer(probe)
        if self.engine_gap is None:
            return a
        from dataclasses import replace

        return replace(a, causes=(*a.causes, Cause("spec.rules", self.provider, gap=self.engine_gap)))

    def _answer(self, probe: Probe) -> Answer:
        host = probe.host.lower().split(":", 1)[0]
        h = self.host_for(host)
        uri = probe.uri_path
        if h is not None:
            best: _Path | None = None
            best_key: tuple[int, int] = (-1, 0)
            for p in h.paths:
                if p.path_type == "Exact":
                    ok = uri == p.path
                else:
                    ok = prefix_matches(p.path, uri)
                if ok:
                    key = (len(p.path), 1 if p.path_type == "Exact" else 0)
                    if key > best_key:
                        best, best_key = p, key
            chosen = best or h.default
            if chosen is not None:
                return self._proxy(probe, chosen).with_causes(*h.split)
        # No path of the host's rules matched: those rules (a path the conversion skipped there) explain the rest.
        fell = (*h.rules, *h.split) if h is not None else ()
        if self.catch_all is not None:
            return self._proxy(probe, self.catch_all).with_causes(*fell)
        return status(404, "no rule matches (Ingress specification)", *fell)

    def _proxy(self, probe: Probe, p: _Path) -> Answer:
        causes: list[Cause] = [Cause(p.field, f"{p.ingress.namespace}/{p.ingress.name}")]
        if p.path_type == "ImplementationSpecific":
            ref = f"{p.ingress.namespace}/{p.ingress.name}"
            causes.append(Cause(p.field + ".pathType", ref, gap=None if self.provider == "generic" else
                                f"ImplementationSpecific path of a {self.provider} Ingress: verify has no engine "
                                "for that controller and reads it as Prefix"))
        return Answer(kind="backend", backends=single(p.backend), upstream_path=probe.path, upstream_host=probe.host,
                      via=f"{p.path_type} path {p.path} of Ingress {p.ingress.namespace}/{p.ingress.name}",
                      causes=tuple(causes))
