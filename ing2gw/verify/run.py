"""Puts the pieces together: build both sides, generate probes, judge each one."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ing2gw.core.merge import class_subject
from ing2gw.load.objects import Inputs
from ing2gw.model import Notification
from ing2gw.verify.compare import Link, Linker, ProbeResult, judge
from ing2gw.verify.gateway import GatewayEngine, RegexDialect
from ing2gw.verify.ingress import build_ingress_side
from ing2gw.verify.model import Probe
from ing2gw.verify.probes import generate

if TYPE_CHECKING:
    from ing2gw.api import ConvertOptions


@dataclass(slots=True)
class VerifyReport:
    """Every probe with both answers and its verdict."""

    results: list[ProbeResult]
    regex: RegexDialect = "search"
    notes: list[str] = field(default_factory=list)
    same_not_kept: int = 0  # probes that answered the same and are counted here, not kept in ``results``

    @property
    def probes(self) -> int:
        return len(self.results) + self.same_not_kept

    @property
    def counts(self) -> Counter[str]:
        counts: Counter[str] = Counter(r.verdict for r in self.results)
        counts["same"] += self.same_not_kept
        return counts

    @property
    def differing(self) -> list[ProbeResult]:
        return [r for r in self.results if r.verdict == "differs"]

    @property
    def not_comparable(self) -> list[ProbeResult]:
        return [r for r in self.results if r.verdict == "not-comparable"]

    def summary(self) -> str:
        c = self.counts
        linked = {id(lk.notification) for r in self.not_comparable for lk in r.links if lk.notification is not None}
        tail = f" (tied to {len(linked)} notification(s))" if linked else ""
        return (f"verify: {self.probes} probes: {c['same']} same, {c['differs']} differ, "
                f"{c['not-comparable']} not comparable{tail}")


def _provider_facts() -> tuple[dict[str, Any], dict[str, bool]]:
    from ing2gw import plugins
    from ing2gw.provider import Provider

    providers = plugins.providers()
    hooks = {name: type(p).path_match is not Provider.path_match for name, p in providers.items()}
    return providers, hooks


def run_verify(inputs: Inputs, gateway_objects: Iterable[dict[str, Any]], options: ConvertOptions,
               notifications: Sequence[Notification] | None, *, extra_probes: Sequence[Probe] = (),
               regex: RegexDialect = "search", generated: bool = True, keep_same: bool = True) -> VerifyReport:
    """Judge every probe. With ``notifications`` None nothing is excused: every difference counts
    (only gaps of the engines themselves make a probe not comparable). Without ``keep_same``, probes that
    answer the same are counted (``VerifyReport.same_not_kept``), not kept: most probes do."""
    providers, hooks = _provider_facts()
    side = build_ingress_side(inputs, options, providers)
    # per-namespace mode: each class has its own Gateways (a shared Gateway takes every class)
    class_map = {} if options.gateway else {k: options.gateway_class or k or "default" for k in side.groups}
    shared_classes = {f"{i.namespace}/{i.name}": (k, class_subject(i)) for k, g in side.groups.items()
                      for i in g.ingresses} if options.gateway and len(side.groups) > 1 else {}
    gw = GatewayEngine(gateway_objects, regex=regex, namespace=options.default_namespace, class_map=class_map,
                       shared_classes=shared_classes)
    linker = None
    if notifications is not None:
        def coverage(provider: str, key: str) -> bool:
            p = providers.get(provider)
            return p is not None and p.registry.get(key) is not None

        linker = Linker(notifications, side.provider_of, coverage, hooks)
    probes = list(generate(side.groups)) if generated else []
    default_class = next(iter(side.groups), None) if len(side.groups) == 1 else None
    for p in extra_probes:
        if p.klass is None and default_class is not None:
            from dataclasses import replace

            p = replace(p, klass=default_class)
        probes.append(p)
    gw.prepare()
    index = {id(n): i for i, n in enumerate(notifications or ())}

    def one(p: Probe) -> tuple[Any, ...] | None:
        """A probe's result without the probe (the caller has it), and with the index of each link's
        notification (-1: none) instead of the notification: a result sent back by a worker then names the
        same objects, not copies, and costs less to send."""
        r = judge(p, side.answer(p), gw.answer(p), linker)
        if r.verdict == "same" and not keep_same:
            return None
        refs = tuple(-1 if lk.notification is None else index[id(lk.notification)] for lk in r.links)
        return r.ingress, r.gateway, r.verdict, r.differences, tuple(lk.text for lk in r.links), refs

    from ing2gw.parallel import map_shared

    results = []
    same = 0
    for p, done in zip(probes, map_shared(one, probes, options.jobs), strict=True):
        if done is None:
            same += 1
            continue
        ingress, gateway, verdict, diff, texts, refs = done
        links = [Link(text, notifications[i] if i >= 0 and notifications is not None else None)
                 for text, i in zip(texts, refs, strict=True)]
        results.append(ProbeResult(p, ingress, gateway, verdict, diff, links))
    return VerifyReport(results, regex=regex, same_not_kept=same)
