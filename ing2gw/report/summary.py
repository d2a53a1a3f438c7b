"""The short stderr summary of a conversion and the JSON list of every outcome (``--report``)."""

from __future__ import annotations

import os
from collections import Counter
from typing import TYPE_CHECKING, Any

from ing2gw.load.positions import resolve_line
from ing2gw.model import Notification, Outcome, Severity
from ing2gw.report.safety import clean

if TYPE_CHECKING:
    from ing2gw.api import ConversionResult

REPORT_SCHEMA_VERSION = "1"


def location(n: Notification) -> str:
    """``file:line: Kind ns/name`` as far as known."""
    s = n.source
    parts = []
    if s.file:
        line = resolve_line(s)
        parts.append(f"{s.file}:{line}" if line else s.file)
    if s.kind:
        parts.append(s.ref)
    return ": ".join(parts)


def format_message(n: Notification) -> str:
    """One line: ``web.yaml:14: Ingress default/web: <subject>: <message>``."""
    loc = location(n)
    subject = n.subject
    msg = n.message if n.message.startswith(subject) else f"{subject}: {n.message}"
    return clean(f"{loc}: {msg}" if loc else msg)


_ORDER = [Outcome.ERROR, Outcome.UNSUPPORTED, Outcome.UNHANDLED, Outcome.NEEDS_EMITTER, Outcome.CAVEAT,
          Outcome.TRANSLATED, Outcome.NOT_ROUTING]


def summary_text(result: ConversionResult, *, color: bool = False, limit: int = 50) -> str:
    color = color and "NO_COLOR" not in os.environ
    counts = Counter(n.outcome for n in result.notifications)
    kinds = result.kinds
    lines = []
    made = ", ".join(f"{v} {k}" for k, v in sorted(kinds.items())) or "no objects"
    lines.append(f"ing2gw: {len(result.ingresses)} Ingress(es) in, {made} out")
    shown = 0
    for outcome in _ORDER[:5]:
        for n in result.notifications:
            if n.outcome is not outcome:
                continue
            if shown >= limit:
                break
            tag = outcome.value
            if color:
                code = {Severity.ERROR: "31", Severity.WARNING: "33"}.get(n.severity, "0")
                tag = f"\x1b[{code}m{tag}\x1b[0m"
            hint = f" ({clean(n.hint)})" if n.hint and n.outcome is not Outcome.CAVEAT else ""
            lines.append(f"  {tag}: {format_message(n)}{hint}")
            shown += 1
    problems = sum(counts[o] for o in _ORDER[:5])
    if problems > shown:
        lines.append(f"  ... and {problems - shown} more (use --report FILE for all)")
    tally = ", ".join(f"{counts[o]} {o.value}" for o in _ORDER if counts[o])
    if tally:
        lines.append(f"outcomes: {tally}")
    if result.ignored:
        lines.append("ignored kinds: " + ", ".join(f"{v} {k}" for k, v in sorted(result.ignored.items())))
    review = needs_review(result)
    if review:
        more = f" and {len(review) - 10} more" if len(review) > 10 else ""
        lines.append(clean("needs review (converted, but part of it was skipped): " + ", ".join(review[:10]) + more))
    return "\n".join(lines) + "\n"


def needs_review(result: ConversionResult) -> list[str]:
    """``Ingress ns/name`` of every converted Ingress that lost a part (a path, a host, a field) on the way."""
    converted = {(i.namespace, i.name) for i in result.ingresses}
    marked = {(n.source.namespace or "", n.source.name) for n in result.notifications
              if n.source.kind == "Ingress" and n.outcome in (Outcome.ERROR, Outcome.UNSUPPORTED)}
    return [f"Ingress {ns}/{name}" for ns, name in sorted(marked & converted)]


def notification_json(n: Notification) -> dict[str, Any]:
    s = n.source
    d: dict[str, Any] = {
        "outcome": n.outcome.value,
        "severity": n.severity.value,
        "subject": n.subject,
        "message": n.message,
        "object": {"kind": s.kind, "namespace": s.namespace, "name": s.name} if s.kind else None,
        "file": s.file,
        "line": resolve_line(s) if s.file else s.line,
    }
    if s.annotation:
        d["annotation"] = s.annotation
    if s.field:
        d["field"] = s.field
    if n.hint:
        d["hint"] = n.hint
    if n.features:
        d["features"] = list(n.features)
    if n.emitted:
        d["emitted"] = list(n.emitted)
    return d


def notifications_json(result: ConversionResult) -> dict[str, Any]:
    counts = Counter(n.outcome.value for n in result.notifications)
    return {
        "schemaVersion": REPORT_SCHEMA_VERSION,
        "tool": "ing2gw",
        "options": {"gatewayAPIVersion": result.options.gateway_api_version, "channel": result.options.channel,
                    "emitter": result.options.emitter},
        "totals": dict(sorted(counts.items())),
        "notifications": [notification_json(n) for n in result.notifications],
    }
