"""An output emitted, validated and rendered one object at a time: what ``ing2gw convert`` does when it
writes YAML with an emitter that offers ``emit_parts`` (see :mod:`ing2gw.emitter`).

Each part is built, checked against the CRDs and written as YAML text by itself, and its dicts are dropped
at once, so a large output is never held as dicts all together (its text is about a fifth of their size).
On a large output the parts are shared among forked processes (:mod:`ing2gw.parallel`), which then also do
the emitting; the first part of each kind is done here first, so that schema checks and CEL programs are
built once. Results are put back in output order, so the text, the findings and the notifications are
the same whatever the number of processes, and the same as emitting every object first.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING

from ing2gw.emitter import EmitPart, EmitResult, join_results
from ing2gw.output import render_yaml_document

if TYPE_CHECKING:  # the validator (and its CEL engine) is loaded only when it is used
    from ing2gw.validate import Finding, ValidationReport, Validator


@dataclass(slots=True)
class Rendered:
    documents: list[str]  # one YAML document per object ("---" first), in output order
    emitted: EmitResult  # the parts' notifications, locations and consumed requirements (no objects)
    kinds: Counter[str] = field(default_factory=Counter)
    validation: ValidationReport | None = None


# (documents, kinds, [(label, findings, covered) per object], the part's result without its objects)
_Done = tuple[list[str], list[str], list[tuple[str, "list[Finding]", bool]], EmitResult]


def _do(part: EmitPart, validator: Validator | None) -> _Done:
    result = part.build()
    objects, result.objects = result.objects, []
    checks = []
    if validator is not None:
        from ing2gw.validate import object_label

        for obj in objects:
            findings, covered = validator.validate_one(obj)
            checks.append((object_label(obj), findings, covered))
    kinds = [str(o.get("kind", "?")) for o in objects]
    return [render_yaml_document(o) for o in objects], kinds, checks, result


def render_parts(parts: Sequence[EmitPart], validator: Validator | None, jobs: int | None = 1) -> Rendered:
    """Build, validate (when ``validator`` is given) and render every part; ``jobs`` as for
    :func:`ing2gw.parallel.map_shared`."""
    from ing2gw.parallel import map_shared

    first: dict[str, int] = {}
    for i, part in enumerate(parts):
        first.setdefault(part.kind, i)
    done = {i: _do(parts[i], validator) for i in sorted(first.values())}
    rest = [i for i in range(len(parts)) if i not in done]
    done.update(zip(rest, map_shared(partial(_do, validator=validator), [parts[i] for i in rest], jobs), strict=True))
    documents: list[str] = []
    kinds: Counter[str] = Counter()
    report = None
    if validator is not None:
        from ing2gw.validate import ValidationReport

        report = ValidationReport()
    results = []
    for i in range(len(parts)):
        texts, part_kinds, checks, result = done.pop(i)
        documents.extend(texts)
        kinds.update(part_kinds)
        results.append(result)
        if report is not None:
            for label, findings, covered in checks:
                if covered:
                    report.checked += 1
                    report.findings.extend(findings)
                else:
                    report.skipped.append(label)
    return Rendered(documents=documents, emitted=join_results(results), kinds=kinds, validation=report)
