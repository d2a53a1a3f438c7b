"""The migration report: per Ingress a verdict, per annotation and field its outcome, and totals.

Verdicts:
- ``blocked``: something cannot be carried over as it is (input errors, unsupported settings);
- ``review``: carried over with caveats, or needs a target emitter, or uses annotations ing2gw does not know;
- ``ready``: everything translated (or not routing-related).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from dataclasses import field as _field
from typing import TYPE_CHECKING, Any

from ing2gw import __version__
from ing2gw.load.positions import resolve_line
from ing2gw.model import Notification, Outcome
from ing2gw.report.safety import redact

if TYPE_CHECKING:
    from ing2gw.api import ConversionResult

SCHEMA_VERSION = "1.0"
BLOCKING = frozenset({Outcome.ERROR, Outcome.UNSUPPORTED})
REVIEW = frozenset({Outcome.CAVEAT, Outcome.NEEDS_EMITTER, Outcome.UNHANDLED})


def verdict_of(outcomes: set[Outcome]) -> str:
    if outcomes & BLOCKING:
        return "blocked"
    if outcomes & REVIEW:
        return "review"
    return "ready"


@dataclass(slots=True)
class Entry:
    """One outcome in the report, with where it came from and where it went."""

    outcome: str
    subject: str
    message: str
    file: str | None
    line: int | None
    kind: str
    namespace: str | None
    name: str
    annotation: str | None = None
    value: str | None = None
    field: str | None = None
    hint: str | None = None
    features: list[str] = _field(default_factory=list)
    emitted: list[str] = _field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        d: dict[str, Any] = {"outcome": self.outcome, "subject": self.subject, "message": self.message,
                             "file": self.file, "line": self.line}
        for k in ("annotation", "value", "field", "hint"):
            v = getattr(self, k)
            if v is not None:
                d[k] = v
        if self.features:
            d["features"] = self.features
        if self.emitted:
            d["emitted"] = self.emitted
        return d


@dataclass(slots=True)
class IngressReport:
    namespace: str
    name: str
    ingress_class: str | None
    provider: str
    file: str | None
    line: int | None
    verdict: str
    reasons: list[str]
    entries: list[Entry]
    objects: list[str]


@dataclass(slots=True)
class Report:
    ingresses: list[IngressReport]
    other: list[Entry]  # outcomes not tied to one Ingress (unreadable documents, Gateway splits)
    totals: dict[str, dict[str, int]]
    options: dict[str, Any]
    tool_version: str = __version__

    @property
    def verdicts(self) -> Counter[str]:
        return Counter(i.verdict for i in self.ingresses)


def entry_of(n: Notification, values: dict[tuple[str, str, str], str]) -> Entry:
    s = n.source
    value = None
    if s.annotation and s.namespace is not None:
        raw = values.get((s.namespace, s.name, s.annotation))
        value = redact(s.annotation, raw) if raw is not None else None
    return Entry(outcome=n.outcome.value, subject=n.subject, message=n.message, file=s.file,
                 line=resolve_line(s) if s.file else s.line, kind=s.kind, namespace=s.namespace, name=s.name,
                 annotation=s.annotation, value=value, field=s.field if not s.annotation else None, hint=n.hint,
                 features=list(n.features), emitted=list(n.emitted))


def build_report(result: ConversionResult) -> Report:
    values = {(i.namespace, i.name, k): v for i in result.ingresses for k, v in i.annotations.items()}
    by_ingress: dict[tuple[str, str], list[Notification]] = defaultdict(list)
    other: list[Entry] = []
    for n in result.notifications:
        s = n.source
        if s.kind == "Ingress" and s.namespace is not None:
            by_ingress[(s.namespace, s.name)].append(n)
        else:
            other.append(entry_of(n, values))
    objects: dict[str, list[str]] = defaultdict(list)
    for o in result.objects:
        meta = o.get("metadata", {})
        for ref in (meta.get("annotations", {}).get("ing2gw.io/source") or "").split(", "):
            if ref:
                where = f"{o.get('kind')} {meta.get('namespace') + '/' if meta.get('namespace') else ''}{meta.get('name')}"
                objects[ref].append(where)
    totals: dict[str, Counter[str]] = {k: Counter() for k in ("outcome", "namespace", "class", "provider", "verdict")}
    reports = []
    for ing in sorted(result.ingresses, key=lambda i: (i.namespace, i.name)):
        notes = by_ingress.get((ing.namespace, ing.name), [])
        outcomes = {n.outcome for n in notes}
        verdict = verdict_of(outcomes)
        reasons = [f"{n.subject}: {n.outcome.value}" for n in notes
                   if n.outcome in (BLOCKING if verdict == "blocked" else REVIEW)]
        cls, provider = result.dispatch.get((ing.namespace, ing.name), (ing.class_name, "generic"))
        reports.append(IngressReport(
            namespace=ing.namespace, name=ing.name, ingress_class=cls, provider=provider, file=ing.source.file,
            line=resolve_line(ing.source) if ing.source.file else None, verdict=verdict, reasons=reasons,
            entries=[entry_of(n, values) for n in notes], objects=objects.get(ing.source.ref, [])))
        totals["verdict"][verdict] += 1
        totals["namespace"][ing.namespace] += 1
        totals["class"][cls or "(none)"] += 1
        totals["provider"][provider] += 1
    for n in result.notifications:
        totals["outcome"][n.outcome.value] += 1
    opts = result.options
    return Report(
        ingresses=reports, other=other, totals={k: dict(sorted(v.items())) for k, v in totals.items()},
        options={"gatewayAPIVersion": opts.gateway_api_version, "channel": opts.channel, "emitter": opts.emitter,
                 "gatewayMode": opts.gateway_mode},
    )


def report_json(report: Report) -> dict[str, Any]:
    """The JSON document described by docs/report-schema.json."""
    return {
        "schemaVersion": SCHEMA_VERSION,
        "tool": {"name": "ing2gw", "version": report.tool_version},
        "options": report.options,
        "totals": report.totals,
        "ingresses": [
            {"namespace": i.namespace, "name": i.name, "class": i.ingress_class, "provider": i.provider,
             "file": i.file, "line": i.line, "verdict": i.verdict, "reasons": i.reasons, "objects": i.objects,
             "outcomes": [e.as_json() for e in i.entries]}
            for i in report.ingresses
        ],
        "other": [dict(e.as_json(), object=({"kind": e.kind, "namespace": e.namespace, "name": e.name}
                                            if e.kind else None)) for e in report.other],
    }
