"""Renders a :class:`~ing2gw.report.build.Report`: terminal table, Markdown, JSON, SARIF 2.1.0, GitHub annotations."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from ing2gw.jsontext import pretty_json, write_pretty_json
from ing2gw.report.build import Entry, Report, report_json
from ing2gw.report.safety import clean, code_md, escape_md

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"error": "error", "unsupported": "error", "unhandled": "warning", "needs-target-emitter": "warning",
          "translated-with-caveat": "note"}
_VERDICT_COLOR = {"blocked": "31", "review": "33", "ready": "32"}
PROBLEMS = ("error", "unsupported", "unhandled", "needs-target-emitter", "translated-with-caveat")


def use_color(stream_is_tty: bool) -> bool:
    return stream_is_tty and "NO_COLOR" not in os.environ


def render_text(report: Report, *, color: bool = False, details: bool = True) -> str:
    def paint(text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if color else text

    rows = [("VERDICT", "INGRESS", "CLASS", "PROVIDER", "PROBLEMS")]
    for i in report.ingresses:
        problems = sum(1 for e in i.entries if e.outcome in PROBLEMS)
        rows.append((i.verdict, clean(f"{i.namespace}/{i.name}"), clean(i.ingress_class or "-"), i.provider,
                     str(problems)))
    widths = [max(len(r[c]) for r in rows) for c in range(len(rows[0]))]
    lines = []
    for n, r in enumerate(rows):
        cells = [r[c].ljust(widths[c]) for c in range(len(r))]
        if n and color:
            cells[0] = paint(cells[0], _VERDICT_COLOR.get(r[0], "0"))
        lines.append("  ".join(cells).rstrip())
    if details:
        for i in report.ingresses:
            shown = [e for e in i.entries if e.outcome in PROBLEMS]
            if not shown:
                continue
            lines.append("")
            lines.append(clean(f"{i.namespace}/{i.name} ({i.verdict})"))
            for e in shown:
                where = f"{e.file}:{e.line}" if e.file and e.line else (e.file or "")
                msg = e.message if e.message.startswith(e.subject) else f"{e.subject}: {e.message}"
                lines.append(clean(f"  {e.outcome}: {msg}" + (f"  [{where}]" if where else "")))
                if e.hint:
                    lines.append(clean(f"      {e.hint}"))
        for e in report.other:
            lines.append(clean(f"{e.outcome}: {e.file or '-'}:{e.line or '-'}: {e.subject}: {e.message}"))
    v = report.verdicts
    lines.append("")
    lines.append(f"{len(report.ingresses)} Ingress(es): {v['ready']} ready, {v['review']} review, "
                 f"{v['blocked']} blocked")
    return "\n".join(lines) + "\n"


def render_markdown(report: Report) -> str:
    v = report.verdicts
    out = ["## ing2gw migration report", "",
           f"**{len(report.ingresses)} Ingress(es): {v['ready']} ready, {v['review']} review, {v['blocked']} blocked**",
           "", "| Verdict | Ingress | Class | Provider | Problems |", "|---|---|---|---|---|"]
    for i in report.ingresses:
        problems = sum(1 for e in i.entries if e.outcome in PROBLEMS)
        out.append(f"| {i.verdict} | {code_md(f'{i.namespace}/{i.name}')} | {code_md(i.ingress_class or '-')} | "
                   f"{escape_md(i.provider)} | {problems} |")
    for i in report.ingresses:
        shown = [e for e in i.entries if e.outcome in PROBLEMS]
        if not shown:
            continue
        out += ["", f"### {code_md(f'{i.namespace}/{i.name}')}: {i.verdict}", "",
                "| Outcome | Annotation or field | Message |", "|---|---|---|"]
        out += [f"| {e.outcome} | {code_md(e.subject)} | {escape_md(e.message)} |" for e in shown]
    if report.other:
        out += ["", "### Other input problems", "", "| Outcome | Where | Message |", "|---|---|---|"]
        out += [f"| {e.outcome} | {code_md(f'{e.file}:{e.line}')} | {escape_md(e.message)} |" for e in report.other]
    out += ["", "Totals by outcome: " + ", ".join(f"{k} {n}" for k, n in report.totals.get("outcome", {}).items())]
    return "\n".join(out) + "\n"


def render_json(report: Report) -> str:
    return pretty_json(report_json(report)) + "\n"


def write_json(report: Report, write: Callable[[str], Any]) -> None:
    """``write(render_json(report))``, written as it is made (see :func:`ing2gw.jsontext.write_pretty_json`)."""
    write_pretty_json(report_json(report), write)
    write("\n")


def _entries(report: Report) -> list[Entry]:
    return [e for i in report.ingresses for e in i.entries] + list(report.other)


def render_sarif(report: Report) -> str:
    """SARIF 2.1.0: one result per problem, located at the annotation or field in the input file."""
    rules: dict[str, dict[str, Any]] = {}
    results = []
    for e in _entries(report):
        if e.outcome not in _LEVEL:
            continue
        rule_id = e.annotation or (e.subject.split("[")[0] if e.subject else e.outcome)
        rule_id = f"{e.outcome}/{rule_id}"
        rules.setdefault(rule_id, {"id": rule_id, "name": e.outcome,
                                   "shortDescription": {"text": clean(f"{e.outcome}: {e.annotation or e.subject}")}})
        res: dict[str, Any] = {"ruleId": rule_id, "level": _LEVEL[e.outcome],
                               "message": {"text": clean(e.message + (f" {e.hint}" if e.hint else ""))}}
        if e.file:
            loc: dict[str, Any] = {"artifactLocation": {"uri": e.file.replace(os.sep, "/")}}
            if e.line:
                loc["region"] = {"startLine": e.line}
            res["locations"] = [{"physicalLocation": loc}]
        results.append(res)
    doc = {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [{
        "tool": {"driver": {"name": "ing2gw", "version": report.tool_version,
                            "rules": [rules[k] for k in sorted(rules)]}},
        "results": results,
    }]}
    return pretty_json(doc) + "\n"


def _gh_escape(text: str, prop: bool = False) -> str:
    t = clean(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        t = t.replace(":", "%3A").replace(",", "%2C")
    return t


def render_github(report: Report) -> str:
    """GitHub workflow commands (``::error file=…,line=…::message``), one per problem."""
    lines = []
    for e in _entries(report):
        level = {"error": "error", "warning": "warning", "note": "notice"}.get(_LEVEL.get(e.outcome, ""), "")
        if not level:
            continue
        props = []
        if e.file:
            props.append(f"file={_gh_escape(e.file, True)}")
            if e.line:
                props.append(f"line={e.line}")
        props.append(f"title={_gh_escape('ing2gw ' + e.outcome + ': ' + (e.annotation or e.subject), True)}")
        lines.append(f"::{level} {','.join(props)}::{_gh_escape(e.message)}")
    return "\n".join(lines) + ("\n" if lines else "")


RENDERERS = {"text": render_text, "markdown": render_markdown, "json": render_json, "sarif": render_sarif,
             "github": render_github}
