"""A large conversion split by namespace among processes: each translates, merges, emits, validates and
renders the Ingresses of its part (:mod:`ing2gw.core.partition`), so that the typed model, which costs more
to send than to build, never leaves the process that built it.

This process reads and dispatches the whole input, forks one worker per part but the first, and does the
first part itself. Every part stops once after translation and ``finalize``: it sends what its
translations touch and its providers' ``summary``; this process checks that the parts are unrelated, and
answers with every part's summaries, from which each makes the statements about the whole conversion
(``finalize_whole``). The parts then send their notifications and their emitted parts' results; the
output is put together in the emitter's order (``EmitPart.order``) and the notifications in the order a
whole conversion makes them, so the text, findings and notifications are the same as converting whole.
Whenever something does not hold (parts that turn out to share a host, a worker that fails, parts out of
order), the answer is None and the caller converts whole.
"""

from __future__ import annotations

import contextlib
import heapq
import os
import pickle
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import IO, TYPE_CHECKING, Any, cast

from ing2gw.core.merge import Amends, amend
from ing2gw.core.partition import Facts, facts, separate
from ing2gw.core.pipeline import (
    Prepared,
    contexts,
    finalize,
    finalize_whole,
    merge,
    translate,
    with_locations,
)
from ing2gw.emitter import add_places
from ing2gw.parallel import fork_worker, kill_worker, signals_held
from ing2gw.rendering import Doc, PartDone, Rendered, gather, render_part

if TYPE_CHECKING:
    from ing2gw.model import Notification
    from ing2gw.provider import IngressTranslation
    from ing2gw.spool import Spool
    from ing2gw.validate import Validator

MIN_PER_PART = 1500  # Ingresses: below this, a fork costs about what it saves

_Summaries = dict[str, list[object]]  # provider -> the summary of each part that has its Ingresses
_Ordered = tuple[tuple[int, str, str], str, PartDone]  # an emitted part's order, kind and result


@dataclass(slots=True)
class _PartResult:
    """A part's result: its notifications (in the order a whole conversion makes them), what merging could
    not keep, and its emitted parts' results with their order."""

    notes: list[Notification]
    amends: Amends
    parts: list[_Ordered]


class _Part:
    def __init__(self, prepared: Prepared, index: int, items: Sequence[int]) -> None:
        self.prepared = prepared
        self.index = index
        self.items = items
        self.ctxs = contexts(prepared)
        self.per_provider: dict[str, list[IngressTranslation]] = {}

    def translate(self) -> tuple[Facts, dict[str, object]]:
        p = self.prepared
        self.per_provider = translate(p, [p.dispatched[i] for i in self.items], self.ctxs)
        for name in sorted(self.per_provider):
            finalize(p, name, self.per_provider[name], self.ctxs[name])
        found = facts(tr for trs in self.per_provider.values() for tr in trs)
        return found, {name: p.providers[name].summary(trs, self.ctxs[name]) for name, trs in self.per_provider.items()}

    def finish(self, summaries: _Summaries, validator: Validator | None, spool: Spool | None) -> _PartResult:
        p = self.prepared
        for name in sorted(self.per_provider):
            finalize_whole(p, name, self.per_provider[name], self.ctxs[name], summaries[name])
        notes: list[Notification] = []
        amends = Amends()
        model = merge(p, self.per_provider, notes, gateway_class=self.index == 0, amends=amends)
        emit_parts = p.emitter.emit_parts  # type: ignore[attr-defined]
        done = []
        for part in emit_parts(model, p.emit_options):
            if part.order is None:
                raise ValueError(f"emitter {p.emitter.name} gave a part without order")
            done.append((part.order, part.kind, render_part(part, validator, spool)))
        return _PartResult(notes, amends, self._placed(notes, amends, done))

    def _placed(self, notes: list[Notification], amends: Amends, done: list[_Ordered]) -> list[_Ordered]:
        """Say on this part's notifications where their elements went (as ``finish`` does), and send back
        only the places of other elements: every element of this part's Ingresses went to this part's
        objects, so the places of one are all here."""
        places: dict[tuple[str, str], Sequence[str]] = {}
        for _, _, (_, where, _) in done:
            for j in range(0, len(where), 2):
                add_places(places, cast("tuple[str, str]", where[j]), where[j + 1])
        own = {self.prepared.dispatched[i][0].source.ref for i in self.items}
        for i, n in enumerate(notes):
            if n.source.kind and n.source.ref in own:
                notes[i] = with_locations(n, places)
        # still wanted in the main process: the places of what it states (parse problems) and amends
        wanted = {(n.source.ref, n.subject) for n in self.prepared.notes}
        wanted.update((s.ref, s.annotation or s.field or "") for s in amends.grpc_lost)
        out: list[_Ordered] = []
        for order, kind, (texts, where, extra) in done:
            if where:
                where = tuple(x for j in range(0, len(where), 2)
                              if (key := cast("tuple[str, str]", where[j]))[0] not in own or key in wanted
                              for x in (key, where[j + 1]))
            out.append((order, kind, (texts, where, extra)))
        return out


class _Worker:
    """A forked process converting one part; talks through two pipes."""

    def __init__(self, pid: int, inbox: IO[bytes], outbox: IO[bytes]) -> None:
        self.pid = pid
        self.inbox = inbox  # what it sends
        self.outbox = outbox  # what it is told
        self.running = True

    def receive(self) -> Any:
        try:
            return pickle.load(self.inbox)
        except Exception:  # noqa: BLE001 - it failed (its exit status says so): the caller converts whole
            return None

    def send(self, message: Any) -> bool:
        try:
            pickle.dump(message, self.outbox, protocol=pickle.HIGHEST_PROTOCOL)
            self.outbox.flush()
            return True
        except OSError:
            return False

    def end(self) -> bool:
        """Wait for it to exit; True when it succeeded."""
        self.running = False
        with contextlib.suppress(OSError):
            self.outbox.close()
        with contextlib.suppress(OSError):
            self.inbox.close()
        _, status = os.waitpid(self.pid, 0)
        return os.waitstatus_to_exitcode(status) == 0

    def stop(self) -> None:
        """Stop it (after an error here): nothing is left running."""
        if self.running:
            self.running = False
            for f in (self.outbox, self.inbox):
                with contextlib.suppress(OSError):
                    f.close()
            kill_worker(self.pid)


def _fork(part: _Part, validator: Validator | None, spool: Spool | None, others: Sequence[_Worker]) -> _Worker | None:
    """Start a worker for ``part``. It closes its copies of the ``others``' pipes: a worker whose main process
    is gone must see its pipe end, not wait on a copy held by a sibling."""
    try:
        down_r, down_w = os.pipe()  # what the worker is told
    except OSError:
        return None
    siblings = [f.fileno() for w in others for f in (w.inbox, w.outbox)]
    started = fork_worker(partial(_work, part, validator, spool, down_r), close=[down_w, *siblings])
    os.close(down_r)
    if started is None:
        os.close(down_w)
        return None
    pid, up_r = started
    return _Worker(pid, os.fdopen(up_r, "rb"), os.fdopen(down_w, "wb"))


def _work(part: _Part, validator: Validator | None, spool: Spool | None, down_r: int,  # pragma: no cover
          up_w: int) -> None:
    with os.fdopen(up_w, "wb") as out, os.fdopen(down_r, "rb") as inbox:
        pickle.dump(part.translate(), out, protocol=pickle.HIGHEST_PROTOCOL)
        out.flush()
        summaries = pickle.load(inbox)
        if summaries is not None:
            result = part.finish(summaries, validator, spool)
            path = _result_file(result, spool, part.index)
            pickle.dump(path if path is not None else result, out, protocol=pickle.HIGHEST_PROTOCOL)


def _result_file(result: _PartResult, spool: Spool | None, index: int) -> str | None:  # pragma: no cover
    """Write a worker's result to a file next to the spool's, and say where: written at once, while the main
    process still works on its own part (through the pipe, it would wait for the main process to read)."""
    if spool is None:
        return None
    path = os.path.join(spool.directory, f"part-{index}")
    try:
        with open(path, "wb") as fh:
            pickle.dump(result, fh, protocol=pickle.HIGHEST_PROTOCOL)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(path)
        return None
    return path


def _read_result(told: Any) -> Any:
    """A worker's result, from the file it names when it does (removed once read)."""
    if not isinstance(told, str):
        return told
    try:
        with open(told, "rb") as fh:
            return pickle.load(fh)
    except Exception:  # noqa: BLE001 - unreadable: the caller converts whole
        return None
    finally:
        with contextlib.suppress(OSError):
            os.unlink(told)


def convert(prepared: Prepared, parts: list[list[int]], validator: Validator | None, spool: Spool | None
            ) -> tuple[list[Doc], Rendered, list[Notification]] | None:
    """Convert ``parts`` (indexes into ``prepared.dispatched``), the first here and the others in forked
    workers: the documents (or where the spool has them), everything else rendered, and the notifications so
    far (before the emitter's, unsorted). None: convert whole instead."""
    workers: list[_Worker] = []
    try:
        for index in range(1, len(parts)):
            with signals_held():
                worker = _fork(_Part(prepared, index, parts[index]), validator, spool, workers)
                if worker is not None:
                    workers.append(worker)
            if worker is None:
                return None
        mine = _Part(prepared, 0, parts[0])
        told = [mine.translate(), *(w.receive() for w in workers)]
        if any(t is None for t in told) or not separate([t[0] for t in told]):
            for w in workers:
                w.send(None)
                w.end()
            return None
        summaries: _Summaries = {}
        for _, part_summaries in told:
            for name, summary in part_summaries.items():
                summaries.setdefault(name, []).append(summary)
        for w in workers:
            if not w.send(summaries):
                return None
        done: list[_PartResult | None] = [mine.finish(summaries, validator, spool)]
        for w in workers:
            told = w.receive()
            ok = w.end()
            result = _read_result(told)
            done.append(result if ok and isinstance(result, _PartResult) else None)
        return _put_together(prepared, done, validator is not None)
    finally:
        for w in workers:
            w.stop()


def _put_together(prepared: Prepared, done: Sequence[_PartResult | None], validated: bool
                  ) -> tuple[list[Doc], Rendered, list[Notification]] | None:
    results = [d for d in done if d is not None]
    if len(results) < len(done):
        return None
    for r in results:
        orders = [o for o, _, _ in r.parts]
        if any(a >= b for a, b in zip(orders, orders[1:], strict=False)):
            return None  # not in the emitter's order: cannot be put together
    notes = list(prepared.notes)
    amends = Amends()
    for r in results:
        notes.extend(r.notes)
        amends.add(r.amends.kept_from, r.amends.grpc_lost)
    amend(notes, amends)
    merged = heapq.merge(*(r.parts for r in results), key=lambda t: t[0])
    documents, rendered = gather(((kind, d) for _, kind, d in merged), validated)
    return documents, rendered, notes


def render(prepared: Prepared, validator: Validator | None) -> tuple[Rendered, list[Notification]] | None:
    """Convert split by namespace, when the conversion is large and can be split (``--jobs``): everything
    rendered (the documents spooled), and the notifications so far (before the emitter's, unsorted). None:
    convert whole instead."""
    from ing2gw.core.partition import split
    from ing2gw.parallel import plan_jobs
    from ing2gw.spool import Spool

    if not getattr(prepared.emitter, "partitioned", False):  # (its emit_parts is known to be there)
        return None
    parts = split(prepared, plan_jobs(len(prepared.dispatched), prepared.options.jobs, per=MIN_PER_PART))
    if parts is None:
        return None
    spool = Spool.create()
    try:
        done = convert(prepared, parts, validator, spool)
    except BaseException:
        if spool is not None:
            spool.discard()
        raise
    if done is None:
        if spool is not None:
            spool.discard()
        return None
    items, rendered, notes = done
    rendered.documents = spool.documents(items) if spool is not None else cast("list[str]", items)
    return rendered, notes
