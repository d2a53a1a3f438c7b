"""An output emitted, validated and rendered one object at a time: what ``ing2gw convert`` does when it
writes YAML with an emitter that offers ``emit_parts`` (see :mod:`ing2gw.emitter`).

Each part is built, checked against the CRDs and written as YAML text by itself, and its dicts are dropped
at once, so a large output is never held as dicts all together; the text waits in spool files
(:mod:`ing2gw.spool`) until the whole output is known to be valid.
On a large output the parts are shared among forked processes (:mod:`ing2gw.parallel`), which then also do
the emitting; the first part of each kind is done here first, so that schema checks and CEL programs are
built once. Results are put back in output order, so the text, the findings and the notifications are
the same whatever the number of processes, and the same as emitting every object first.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, cast

from ing2gw.emitter import EmitPart, EmitResult, add_places
from ing2gw.model import Notification
from ing2gw.output import render_yaml_document
from ing2gw.spool import Spool, Where

if TYPE_CHECKING:  # the validator (and its CEL engine) is loaded only when it is used
    from ing2gw.validate import Finding, ValidationReport, Validator


@dataclass(slots=True)
class Rendered:
    documents: Sequence[str]  # one YAML document per object ("---" first), in output order (often spooled)
    emitted: EmitResult  # the parts' notifications, locations and consumed requirements (no objects)
    kinds: Counter[str] = field(default_factory=Counter)
    validation: ValidationReport | None = None


# What a part becomes, kept small: a large output has hundreds of thousands of parts, and their results are
# sent back by workers and held until every part is done. (text of its one object, or texts of several;
# where its elements went; None when it has one object of its declared kind, valid and checked, and no
# notification or consumed requirement, else (kinds, (label, findings, covered) per checked object,
# notifications, consumed)).
_Locations = tuple["tuple[str, str] | tuple[str, ...]", ...]  # key, its places, key, its places, ... (flat)
_Rest = tuple[list[str], list[tuple[str, "list[Finding]", bool]], list[Notification], dict[str, Notification]]
Doc = str | Where  # a document, or where the spool has it
PartDone = tuple["Doc | list[Doc]", _Locations, "_Rest | None"]


def render_part(part: EmitPart, validator: Validator | None, spool: Spool | None = None) -> PartDone:
    result = part.build()
    objects = result.objects
    checks = []
    usual = len(objects) == 1 and objects[0].get("kind") == part.kind
    if validator is not None:
        from ing2gw.validate import object_label

        for obj in objects:
            findings, covered = validator.validate_one(obj)
            checks.append(("" if covered else object_label(obj), findings, covered))  # a label for skipped only
            usual = usual and covered and not findings
    locations = tuple(x for key, where in result.locations.items() for x in (key, tuple(where)))
    keep = spool.put if spool is not None else _same
    if usual and not result.notifications and not result.consumed:
        return keep(render_yaml_document(objects[0])), locations, None
    kinds = [str(o.get("kind", "?")) for o in objects]
    texts = [keep(render_yaml_document(o)) for o in objects]
    return texts, locations, (kinds, checks, result.notifications, result.consumed)


def _same(text: str) -> str:
    return text


def _part_kind(part: EmitPart) -> str:
    return part.kind


def render_parts(parts: Sequence[EmitPart], validator: Validator | None, jobs: int | None = 1, *,
                 spooled: bool = True) -> Rendered:
    """Build, validate (when ``validator`` is given) and render every part; ``jobs`` as for
    :func:`ing2gw.parallel.map_shared`. ``spooled``: the documents wait in temporary files (see
    :mod:`ing2gw.spool`), not in memory."""
    spool = Spool.create() if spooled else None
    try:
        items, rendered = _render(parts, validator, jobs, spool)
    except BaseException:
        if spool is not None:
            spool.discard()
        raise
    rendered.documents = spool.documents(items) if spool is not None else cast("list[str]", items)
    return rendered


def _render(parts: Sequence[EmitPart], validator: Validator | None, jobs: int | None, spool: Spool | None
            ) -> tuple[list[Doc], Rendered]:
    """(the documents or where the spool has them, everything else)"""
    from ing2gw.parallel import map_shared

    done = map_shared(partial(render_part, validator=validator, spool=spool), parts, jobs, warm_by=_part_kind)
    return gather(((part.kind, _taken(done, i)) for i, part in enumerate(parts)), validator is not None)


def _taken(done: list[PartDone], i: int) -> PartDone:
    d = done[i]
    done[i] = None  # type: ignore[call-overload]  # freed as it is used
    return d


def gather(done: Iterable[tuple[str, PartDone]], validated: bool) -> tuple[list[Doc], Rendered]:
    """The parts' results, (kind, result) in output order, put together."""
    documents: list[Doc] = []
    kinds: Counter[str] = Counter()
    locations: dict[tuple[str, str], Sequence[str]] = {}
    emitted = EmitResult(locations=locations)
    report = None
    if validated:
        from ing2gw.validate import ValidationReport

        report = ValidationReport()
    for kind, (texts, where, extra) in done:
        for j in range(0, len(where), 2):
            add_places(locations, cast("tuple[str, str]", where[j]), where[j + 1])
        if extra is None:
            documents.append(cast(Doc, texts))  # one document
            kinds[kind] += 1
            if report is not None:
                report.checked += 1
            continue
        documents.extend(cast("list[Doc]", texts))
        part_kinds, checks, notes, consumed = extra
        kinds.update(part_kinds)
        emitted.notifications.extend(notes)
        emitted.consumed.update(consumed)
        if report is not None:
            for label, findings, covered in checks:
                report.add(label, findings, covered)
    return documents, Rendered(documents=[], emitted=emitted, kinds=kinds, validation=report)
