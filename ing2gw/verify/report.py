"""The verification report in three forms: terminal text, Markdown and JSON."""

from __future__ import annotations

from typing import Any

from ing2gw.report.summary import clean
from ing2gw.verify.compare import ProbeResult
from ing2gw.verify.run import VerifyReport

SCHEMA_VERSION = "1"


def _selected(report: VerifyReport, everything: bool) -> list[ProbeResult]:
    if everything:
        return report.results
    return [r for r in report.results if r.verdict != "same"]


def render_text(report: VerifyReport, *, everything: bool = False, color: bool = False) -> str:
    lines = [report.summary()]
    for r in _selected(report, everything):
        tag = {"differs": "DIFFERS", "not-comparable": "NOT COMPARABLE", "same": "same"}[r.verdict]
        if color:
            tag = f"\x1b[{'31' if r.verdict == 'differs' else '33' if r.verdict != 'same' else '32'}m{tag}\x1b[0m"
        lines.append("")
        lines.append(clean(f"{tag}  {r.probe.label()}" + (f"  ({r.probe.why})" if r.probe.why else "")))
        lines.append(clean(f"  Ingress:     {r.ingress.show()}" + (f"  [{r.ingress.via}]" if r.ingress.via else "")))
        lines.append(clean(f"  Gateway API: {r.gateway.show()}" + (f"  [{r.gateway.via}]" if r.gateway.via else "")))
        if r.differences:
            lines.append(f"  differs in:  {', '.join(r.differences)}")
        for link in r.links:
            lines.append(clean(f"  because:     {link.text}"))
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    return clean(text).replace("|", "\\|").replace("\n", " ")


def _md_table(title: str, head: str, rows: list[str]) -> list[str]:
    if not rows:
        return []
    return [f"### {title}", "", head, "|" + "---|" * head.count(" | ") + "---|", *rows, ""]


def render_markdown(report: VerifyReport, *, everything: bool = False) -> str:
    chosen = _selected(report, everything)

    def row(r: ProbeResult, last: str) -> str:
        return f"| `{_md(r.probe.label())}` | {_md(r.ingress.show())} | {_md(r.gateway.show())} | {_md(last)} |"

    lines = ["## Verification", "", report.summary().replace("verify: ", "", 1), ""]
    lines += _md_table("Probes that differ", "| Probe | Ingress controller | Gateway API | Differs in |",
                       [row(r, ", ".join(r.differences)) for r in chosen if r.verdict == "differs"])
    lines += _md_table("Not comparable (the conversion reported why)",
                       "| Probe | Ingress controller | Gateway API | Because |",
                       [row(r, "; ".join(lk.text for lk in r.links)) for r in chosen if r.verdict == "not-comparable"])
    lines += _md_table("Same", "| Probe | Answer |",
                       [f"| `{_md(r.probe.label())}` | {_md(r.ingress.show())} |" for r in chosen if r.verdict == "same"])
    return "\n".join(lines)


def result_json(r: ProbeResult) -> dict[str, Any]:
    d: dict[str, Any] = {"probe": r.probe.to_json(), "verdict": r.verdict,
                         "ingress": {**r.ingress.facts(), "via": r.ingress.via},
                         "gateway": {**r.gateway.facts(), "via": r.gateway.via}}
    if r.differences:
        d["differences"] = r.differences
    if r.links:
        d["because"] = [lk.to_json() for lk in r.links]
    return d


def report_json(report: VerifyReport, *, everything: bool = False) -> dict[str, Any]:
    c = report.counts
    return {"schemaVersion": SCHEMA_VERSION, "tool": "ing2gw verify", "regexDialect": report.regex,
            "summary": {"probes": report.probes, "same": c["same"], "differs": c["differs"],
                        "notComparable": c["not-comparable"]},
            "probes": [result_json(r) for r in _selected(report, everything)]}
