"""What a change to Ingress manifests does to the generated Gateway API objects, and to the outcomes.

Objects are compared semantically with deepdiff, keyed by kind/namespace/name; inside them, lists of
named items (listeners, rules, parentRefs with sectionName) are matched by name, not by position, so a
rule inserted at the top shows as one added rule, not as every rule changed. Notifications are compared
by object, subject and outcome: problems the head introduces, and problems it fixes.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

import yaml
from deepdiff import DeepDiff

from ing2gw import __version__
from ing2gw.report.build import Entry, Report
from ing2gw.report.safety import code_md, escape_md

MARKER = "<!-- ing2gw-diff -->"
COMMENT_LIMIT = 65536
BLOCKERS = ("error", "unsupported")
WARNINGS = ("unhandled", "needs-target-emitter", "translated-with-caveat")
_VOLATILE = ("ing2gw.io/generated-by",)

ObjectKey = tuple[str, str, str]  # kind, namespace, name


@dataclass(slots=True)
class ObjectChange:
    key: ObjectKey
    change: str  # added | removed | changed
    fields: list[str] = field(default_factory=list)
    yaml_diff: str = ""

    @property
    def ref(self) -> str:
        kind, ns, name = self.key
        return f"{kind} {ns}/{name}" if ns else f"{kind} {name}"


@dataclass(slots=True)
class DiffResult:
    changes: list[ObjectChange]
    new_problems: list[Entry]
    fixed_problems: list[Entry]
    base_label: str
    head_label: str
    options: dict[str, Any]
    reproduce: str = ""
    verification: str | None = None

    @property
    def new_blockers(self) -> list[Entry]:
        return [e for e in self.new_problems if e.outcome in BLOCKERS]

    @property
    def new_warnings(self) -> list[Entry]:
        return [e for e in self.new_problems if e.outcome in WARNINGS]

    def counts(self) -> dict[str, int]:
        c = {"added": 0, "removed": 0, "changed": 0}
        for ch in self.changes:
            c[ch.change] += 1
        c.update(new_blockers=len(self.new_blockers), new_warnings=len(self.new_warnings),
                 fixed=len(self.fixed_problems))
        return c


def object_key(obj: dict[str, Any]) -> ObjectKey:
    meta = obj.get("metadata") or {}
    return (str(obj.get("kind", "")), str(meta.get("namespace") or ""), str(meta.get("name") or ""))


def normalise(obj: Any) -> Any:
    """A copy where named list items are keyed by name and volatile annotations are gone."""
    if isinstance(obj, dict):
        out = {}
        for k, v in obj.items():
            if k == "annotations" and isinstance(v, dict):
                v = {a: b for a, b in v.items() if a not in _VOLATILE}
            out[k] = normalise(v)
        return out
    if isinstance(obj, list):
        if obj and all(isinstance(i, dict) and isinstance(i.get("name"), str) for i in obj):
            names = [i["name"] + "/" + str(i.get("sectionName", "")) for i in obj]
            if len(set(names)) == len(names):
                return {n: normalise(i) for n, i in zip(names, obj, strict=True)}
        return [normalise(i) for i in obj]
    return obj


def _path_text(path: str) -> str:
    """``root['spec']['rules']['web/']`` -> ``spec.rules[web]``."""
    parts = []
    for seg in path.removeprefix("root").strip("[]").split("]["):
        seg = seg.strip("'\"")
        if seg.isdigit():
            parts.append(f"[{seg}]")
        elif seg.endswith("/"):
            parts.append(f"[{seg[:-1]}]")
        elif "/" in seg:
            parts.append(f"[{seg}]")
        else:
            parts.append(("." if parts else "") + seg)
    return "".join(parts)


def _dump(obj: dict[str, Any]) -> list[str]:
    return yaml.safe_dump(obj, sort_keys=False, default_flow_style=False, width=4096).splitlines(keepends=True)


def diff_objects(base: list[dict[str, Any]], head: list[dict[str, Any]]) -> list[ObjectChange]:
    b = {object_key(o): o for o in base}
    h = {object_key(o): o for o in head}
    changes = []
    for key in sorted(set(b) | set(h)):
        if key not in h:
            changes.append(ObjectChange(key, "removed", yaml_diff="".join(
                difflib.unified_diff(_dump(b[key]), [], "base", "head"))))
        elif key not in b:
            changes.append(ObjectChange(key, "added", yaml_diff="".join(
                difflib.unified_diff([], _dump(h[key]), "base", "head"))))
        else:
            nb, nh = normalise(b[key]), normalise(h[key])
            if nb == nh:
                continue
            dd = DeepDiff(nb, nh)
            fields = sorted({_path_text(p) for p in dd.affected_paths})
            changes.append(ObjectChange(key, "changed", fields=fields, yaml_diff="".join(
                difflib.unified_diff(_dump(b[key]), _dump(h[key]), "base", "head"))))
    return changes


def _problem_key(e: Entry) -> tuple[str, str, str, str, str]:
    return (e.kind, e.namespace or "", e.name, e.subject, e.outcome)


def _problems(rep: Report) -> dict[tuple[str, str, str, str, str], Entry]:
    out: dict[tuple[str, str, str, str, str], Entry] = {}
    for e in [e for i in rep.ingresses for e in i.entries] + list(rep.other):
        if e.outcome in BLOCKERS + WARNINGS:
            out.setdefault(_problem_key(e), e)
    return out


def diff_reports(base_objects: list[dict[str, Any]], head_objects: list[dict[str, Any]], base: Report | None,
                 head: Report | None, *, base_label: str, head_label: str, options: dict[str, Any],
                 reproduce: str = "") -> DiffResult:
    pb = _problems(base) if base else {}
    ph = _problems(head) if head else {}
    return DiffResult(
        changes=diff_objects(base_objects, head_objects),
        new_problems=[ph[k] for k in sorted(ph) if k not in pb],
        fixed_problems=[pb[k] for k in sorted(pb) if k not in ph],
        base_label=base_label, head_label=head_label, options=options, reproduce=reproduce,
    )


# --------------------------------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------------------------------


def verdict_line(d: DiffResult) -> str:
    c = d.counts()
    if not d.changes and not d.new_problems and not d.fixed_problems:
        return "No change to the generated Gateway API objects, and no new problems."
    icon = "🔴" if c["new_blockers"] else ("🟡" if c["new_warnings"] else "🟢")
    return (f"{icon} {c['changed']} changed, {c['added']} added, {c['removed']} removed Gateway API object(s); "
            f"{c['new_blockers']} new blocker(s), {c['new_warnings']} new warning(s), {c['fixed']} fixed")


def _entry_line(e: Entry) -> str:
    where = f" ({code_md(f'{e.file}:{e.line}')})" if e.file else ""
    obj = code_md(f"{e.kind} {e.namespace}/{e.name}") if e.kind else "input"
    return f"- **{e.outcome}** {obj} {code_md(e.subject)}: {escape_md(e.message)}{where}"


def render_markdown(d: DiffResult, *, limit: int = COMMENT_LIMIT) -> str:
    head = [MARKER, "### ing2gw: Gateway API diff", "", f"**{verdict_line(d)}**", ""]
    if d.verification:
        head += [escape_md(d.verification), ""]
    if d.changes:
        head += ["| Change | Object | Fields |", "|---|---|---|"]
        for ch in d.changes:
            fields = ", ".join(code_md(f) for f in ch.fields[:8]) + (" …" if len(ch.fields) > 8 else "")
            head.append(f"| {ch.change} | {code_md(ch.ref)} | {fields or '-'} |")
        head.append("")
    for title, entries in (("New blockers", d.new_blockers), ("New warnings", d.new_warnings),
                           ("Fixed", d.fixed_problems)):
        if entries:
            head += [f"#### {title}", ""] + [_entry_line(e) for e in entries] + [""]
    opts = " ".join(f"--{k}={v}" for k, v in sorted(d.options.items()))
    footer = ["---", f"<sub>ing2gw {__version__} · base {code_md(d.base_label)} · head {code_md(d.head_label)} · "
                     f"options {code_md(opts)}" + (f" · reproduce: {code_md(d.reproduce)}" if d.reproduce else "")
              + "</sub>", ""]
    body: list[str] = []
    size = sum(len(x) + 1 for x in head + footer)
    omitted = 0
    for ch in d.changes:
        block = ["<details>", f"<summary>{escape_md(ch.ref)} ({ch.change})</summary>", "", "```diff",
                 ch.yaml_diff.replace("```", "ˋˋˋ").rstrip("\n"), "```", "</details>", ""]
        cost = sum(len(x) + 1 for x in block)
        if size + cost + 200 > limit:
            omitted += 1
            continue
        body += block
        size += cost
    if omitted:
        body += [f"_{omitted} object diff(s) left out to stay under GitHub's comment limit; the full report is in "
                 "the file written with `--output`._", ""]
    text = "\n".join(head + body + footer)
    if len(text) > limit:  # a huge table or problem list: cut hard, with a note
        note = "\n\n_Truncated to GitHub's comment limit; see the full report._\n"
        text = text[: limit - len(note) - len("\n".join(footer))] + note + "\n".join(footer)
    return text


def diff_json(d: DiffResult) -> dict[str, Any]:
    return {
        "schemaVersion": "1.0",
        "tool": {"name": "ing2gw", "version": __version__},
        "base": d.base_label, "head": d.head_label, "options": d.options,
        "counts": d.counts(),
        "changes": [{"kind": c.key[0], "namespace": c.key[1] or None, "name": c.key[2], "change": c.change,
                     "fields": c.fields, "diff": c.yaml_diff} for c in d.changes],
        "newProblems": [dict(e.as_json(), object={"kind": e.kind, "namespace": e.namespace, "name": e.name})
                        for e in d.new_problems],
        "fixedProblems": [dict(e.as_json(), object={"kind": e.kind, "namespace": e.namespace, "name": e.name})
                          for e in d.fixed_problems],
        "verification": d.verification,
    }


def render_text(d: DiffResult) -> str:
    lines = [verdict_line(d)]
    for ch in d.changes:
        lines.append(f"  {ch.change:8} {ch.ref}" + (f"  ({', '.join(ch.fields[:6])})" if ch.fields else ""))
    for title, entries in (("new blocker", d.new_blockers), ("new warning", d.new_warnings),
                           ("fixed", d.fixed_problems)):
        for e in entries:
            lines.append(f"  {title}: {e.kind} {e.namespace}/{e.name} {e.subject}: {e.message}")
    from ing2gw.report.safety import clean

    return clean("\n".join(lines)) + "\n"
