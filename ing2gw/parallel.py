"""Independent work items shared across forked processes: the documents of a large input file (parsing),
the objects of a large output (validation) and their YAML (rendering).

The items are cut into shares (runs of neighbours dealt round-robin): this process does one share, forked
workers the others, and each worker sends its results back through a pipe (pickled: documents, findings or
text). Forking shares the input, the objects, the CRD schemas and the compiled CEL programs without
copying them. Used on Linux only, when the process has no other threads (forking then is safe), and only
for enough items that a worker saves more than it costs. A worker that fails in any way is not trusted:
its share is done again here, so the result never depends on how the work was shared.

:func:`map_ordered` (the documents of a large file) deals runs instead: this process takes the first, the
workers the next ones, and their results stream back in batches while this process works, so that it can
go on with each result (parse the objects of a document) as soon as the ones before it are done.
"""

from __future__ import annotations

import contextlib
import math
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable, Hashable, Iterator, Sequence
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

MIN_PER_WORKER = 1500  # items: below this, a fork costs about what it saves
DEFAULT_MAX_JOBS = 8  # without --jobs: more processes copy more memory pages for little more speed
CGROUP_ROOT = "/sys/fs/cgroup"


def usable_cpus() -> int:
    """CPUs this process may use: its affinity mask, narrowed by a cgroup CPU limit (a Kubernetes pod's
    ``limits.cpu``, ``docker --cpus``), rounded up."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cpus = os.cpu_count() or 1
    limit = cgroup_cpu_limit()
    return max(1, min(cpus, math.ceil(limit))) if limit is not None else cpus


def cgroup_cpu_limit() -> float | None:
    """The CPU limit of this process's cgroup as seen from inside it (cgroup v2 ``cpu.max``, else v1
    ``cpu.cfs_quota_us`` / ``cpu.cfs_period_us``); None when there is none or it cannot be read."""
    root = Path(CGROUP_ROOT)
    try:
        quota, period = (root / "cpu.max").read_text().split()[:2]  # "QUOTA PERIOD", or "max PERIOD"
        return None if quota == "max" else int(quota) / int(period)
    except (OSError, ValueError):
        pass
    try:
        quota_us = int((root / "cpu" / "cpu.cfs_quota_us").read_text())
        period_us = int((root / "cpu" / "cpu.cfs_period_us").read_text())
    except (OSError, ValueError):
        return None
    return quota_us / period_us if quota_us > 0 and period_us > 0 else None


def can_fork() -> bool:
    return sys.platform.startswith("linux") and threading.active_count() == 1


def plan_jobs(count: int, jobs: int | None, per: int | None = None) -> int:
    """How many processes share ``count`` items: ``jobs`` (None: the usable CPUs, at most
    ``DEFAULT_MAX_JOBS``), but one per ``per`` (default ``MIN_PER_WORKER``) items at most, and one where
    forking is not safe."""
    wanted = min(usable_cpus(), DEFAULT_MAX_JOBS) if jobs is None else jobs
    wanted = min(wanted, count // (MIN_PER_WORKER if per is None else per))
    return wanted if wanted > 1 and can_fork() else 1


STRIDE = 64  # items in a row that go to one process: neighbours share memory pages, which then stay shared


def shares(count: int, n_jobs: int) -> list[list[int]]:
    """The indexes each process takes: runs of ``STRIDE`` items dealt round-robin, so that every process gets
    a like mix (outputs are ordered by kind) while touching few of the pages the others use."""
    out: list[list[int]] = [[] for _ in range(n_jobs)]
    for run, start in enumerate(range(0, count, STRIDE)):
        out[run % n_jobs].extend(range(start, min(start + STRIDE, count)))
    return out


def map_shared(fn: Callable[[Any], T], items: Sequence[Any], jobs: int | None = None, *,
               warm_by: Callable[[Any], Hashable | None] | None = None) -> list[T]:
    """``[fn(item) for item in items]``, computed by ``plan_jobs`` processes. ``fn``'s results must pickle.
    ``warm_by``: the first item of each key (None: no key) is done here before any worker is forked, so that
    what ``fn`` builds once per key (schema checks, CEL programs) is built once, not in every worker."""
    if warm_by is not None:
        first: dict[Hashable, int] = {}
        for i, item in enumerate(items):
            key = warm_by(item)
            if key is not None:
                first.setdefault(key, i)
        done = {i: fn(items[i]) for i in first.values()}
        rest = [i for i in range(len(items)) if i not in done]
        done.update(zip(rest, map_shared(fn, [items[i] for i in rest], jobs), strict=True))
        return [done[i] for i in range(len(items))]
    n_jobs = plan_jobs(len(items), jobs)
    if n_jobs == 1:
        return [fn(item) for item in items]
    parts = shares(len(items), n_jobs)
    mine = parts[0]
    workers: list[tuple[list[int], int, int]] = []  # (indexes, pid, read end)
    try:
        for indexes in parts[1:]:
            with signals_held():
                started = _start(fn, [items[i] for i in indexes])
                if started is not None:
                    workers.append((indexes, *started))
            if started is None:  # no process to spare: this process does the share
                mine = mine + indexes
        results: list[Any] = [None] * len(items)
        for i in mine:
            results[i] = fn(items[i])
        while workers:
            indexes, pid, read_end = workers[0]
            part = _collect(pid, read_end, len(indexes))
            workers.pop(0)
            if part is None:
                part = [fn(items[i]) for i in indexes]
            for i, value in zip(indexes, part, strict=True):
                results[i] = value
        return results
    finally:
        for _, pid, read_end in workers:  # only after an exception here (Ctrl-C, say): stop the others
            _stop(pid, read_end)


BATCH = 256  # results a streaming worker sends at a time
HERE_SHARE = 0.32  # map_ordered: the work of this process's first run against a worker's (it does more after)


def map_ordered(fn: Callable[[Any], T], items: Sequence[Any], then: Callable[[int, T], None],
                jobs: int | None = None, *, weights: Sequence[int] | None = None) -> None:
    """``then(i, fn(items[i]))`` for every item, in order, with ``fn`` computed by ``plan_jobs`` processes:
    this process takes the first run of items, forked workers the next runs (one each), and their results
    come back in batches while this process is still at work (a thread reads them), so that ``then`` can go
    on with them at once. This process's run is smaller (``HERE_SHARE``, by ``weights``: default one per
    item): ``then`` is its work, and it does that for every item. A worker that fails is not trusted beyond
    the batches it sent whole: the rest of its run is done here."""
    n_jobs = plan_jobs(len(items), jobs)
    if n_jobs == 1:
        for i, item in enumerate(items):
            then(i, fn(item))
        return
    bounds = _runs(weights if weights is not None else [1] * len(items), n_jobs)
    workers: list[tuple[int, int, int, _Batches]] = []  # (first item, end, pid, its batches)
    try:
        for start, end in zip(bounds[1:-1], bounds[2:], strict=True):
            if start == end:
                continue
            with signals_held():
                started = fork_worker(partial(_work_batches, fn, items[start:end]))
                if started is not None:
                    workers.append((start, end, started[0], _Batches(started[1])))
            if started is None:
                break
        for _, _, _, batches in workers:  # (threads only once every worker is forked)
            batches.start()
        for i in range(bounds[1]):
            then(i, fn(items[i]))
        done = bounds[1]
        while workers:
            start, end, pid, batches = workers[0]
            for result in batches.results(end - start):
                then(done, result)
                done += 1
            workers.pop(0)
            batches.close()
            with contextlib.suppress(OSError):
                os.waitpid(pid, 0)
            for i in range(done, end):  # what a failed worker did not send
                then(i, fn(items[i]))
            done = end
        for i in range(done, len(items)):  # runs no worker could be started for
            then(i, fn(items[i]))
    finally:
        for _, _, pid, batches in workers:  # only after an exception here (Ctrl-C, say): stop the others
            kill_worker(pid)
            batches.close()


def _runs(weights: Sequence[int], n_jobs: int) -> list[int]:
    """The bounds of ``n_jobs`` runs of items: ``[0, end of this process's run, ..., len(weights)]``."""
    total = sum(weights) or 1
    shares = [HERE_SHARE] + [1.0] * (n_jobs - 1)
    cuts = [total * sum(shares[:k + 1]) / sum(shares) for k in range(n_jobs - 1)]
    bounds = [0]
    acc = 0
    for i, w in enumerate(weights):
        if len(bounds) <= len(cuts) and acc >= cuts[len(bounds) - 1]:
            bounds.append(i)
        acc += w
    while len(bounds) <= n_jobs:  # (at least once: the last bound is the end)
        bounds.append(len(weights))
    return bounds


def _work_batches(fn: Callable[[Any], Any], share: Sequence[Any], write_end: int) -> None:  # pragma: no cover
    with os.fdopen(write_end, "wb") as out:
        for start in range(0, len(share), BATCH):
            pickle.dump([fn(item) for item in share[start:start + BATCH]], out, protocol=pickle.HIGHEST_PROTOCOL)
            out.flush()


class _Batches:
    """A streaming worker's batches, read by a thread as they come (the worker never waits on a full pipe)
    and handed out here in order."""

    def __init__(self, read_end: int) -> None:
        import queue

        self._fh = os.fdopen(read_end, "rb")
        self._queue: queue.SimpleQueue[list[Any] | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._read, name="ing2gw-batches", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _read(self) -> None:
        try:
            while True:
                batch = pickle.load(self._fh)
                if not isinstance(batch, list):
                    break
                self._queue.put(batch)
        except Exception:  # noqa: BLE001, S110 - the end of the pipe, or a damaged batch: no more from it
            pass
        finally:
            self._queue.put(None)

    def results(self, expected: int) -> Iterator[Any]:
        """The results as they come, at most ``expected``; fewer when the worker failed."""
        given = 0
        while given < expected:
            batch = self._queue.get()
            if batch is None:
                return
            batch = batch[:expected - given]
            yield from batch
            given += len(batch)

    def close(self) -> None:
        """Wait for the reading thread (it ends once the worker is gone) and close the pipe."""
        if self._thread.is_alive():
            self._thread.join()
        with contextlib.suppress(OSError):
            self._fh.close()


def _stop(pid: int, read_end: int) -> None:
    with contextlib.suppress(OSError):
        os.close(read_end)
    kill_worker(pid)


def kill_worker(pid: int) -> None:
    """End a forked worker at once and reap it (after an error in this process)."""
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


class Background:
    """``fn()`` computed by a forked worker while this process goes on (see :func:`in_background`)."""

    def __init__(self, fn: Callable[[], Any], worker: tuple[int, int] | None) -> None:
        self._fn = fn
        self._worker = worker  # (pid, read end of its pipe), None: computed here when asked

    def result(self) -> Any:
        """The worker's result; computed here when there was no worker, or it failed."""
        worker, self._worker = self._worker, None
        part = _collect(*worker, 1) if worker is not None else None
        return part[0] if part is not None else self._fn()

    def cancel(self) -> None:
        """Stop the worker (after an error here): nothing is left running."""
        worker, self._worker = self._worker, None
        if worker is not None:
            _stop(*worker)


def in_background(fn: Callable[[], T], jobs: int | None = None) -> Background:
    """Start ``fn()`` in a forked worker when a second process may run (``jobs``: None means the usable
    CPUs; 1 keeps it here), for two large independent computations: ``diff``'s two conversions. Its result
    must pickle. Call ``result()`` once (or ``cancel()``); the result is the same whether it ran there or
    here."""
    wanted = usable_cpus() if jobs is None else jobs
    return Background(fn, _start(_call, [fn]) if wanted > 1 and can_fork() else None)


def _call(fn: Callable[[], Any]) -> Any:
    return fn()


def _start(fn: Callable[[Any], Any], share: list[Any]) -> tuple[int, int] | None:
    """Fork a worker computing ``[fn(item) for item in share]``: (its pid, the read end of its pipe), or
    None when no pipe or process could be had (out of file descriptors, memory, the process limit)."""
    return fork_worker(partial(_work, fn, share))


def fork_worker(child: Callable[[int], None], close: Sequence[int] = ()) -> tuple[int, int] | None:
    """Fork a process running ``child(write end of a pipe to this process)``, which then exits (0 when
    ``child`` returned, 1 when it raised); it first closes the descriptors ``close`` (this process's ends
    of other pipes). (its pid, the read end), or None when no pipe or process could be had."""
    try:
        read_end, write_end = os.pipe()
    except OSError:
        return None
    try:
        with signals_held():
            outer = _UNHELD[0]
            pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return None
    if pid == 0:  # pragma: no cover - the worker (coverage does not follow forks)
        code = 1
        try:
            signal.pthread_sigmask(signal.SIG_SETMASK, outer)  # the worker takes signals as the command did
            _UNHELD.clear()
            for fd in (read_end, *close):
                with contextlib.suppress(OSError):
                    os.close(fd)
            child(write_end)
            code = 0
        finally:
            os._exit(code)  # no atexit handlers, no flushing of the parent's buffers
    os.close(write_end)
    return pid, read_end


_HELD = {signal.SIGTERM, signal.SIGINT}
_UNHELD: list[set[int | signal.Signals]] = []  # the signal masks before each signals_held() now open


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Hold SIGTERM and SIGINT back while a worker is forked and recorded by its caller, so that their
    exceptions (Terminated, KeyboardInterrupt) come before the fork or once the worker is known, and never
    inside the fork handlers of other modules (``logging``'s), where Python can only ignore them. A signal
    that came meanwhile is handled as soon as it is let through: open this inside the ``try`` whose cleanup
    stops the workers."""
    _UNHELD.append(signal.pthread_sigmask(signal.SIG_BLOCK, _HELD))
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, _UNHELD.pop())


def _work(fn: Callable[[Any], Any], share: Sequence[Any], write_end: int) -> None:  # pragma: no cover
    results = [fn(item) for item in share]
    with os.fdopen(write_end, "wb") as out:  # sent as it is pickled: no second copy as bytes
        pickle.dump(results, out, protocol=pickle.HIGHEST_PROTOCOL)


def _collect(pid: int, read_end: int, expected: int) -> list[Any] | None:
    """A worker's results, or None when it failed (then its share is done again by the caller)."""
    with os.fdopen(read_end, "rb") as fh:
        try:  # read as it arrives, never held as bytes; trusted only once the worker is known to have succeeded
            part = pickle.load(fh)
        except Exception:  # noqa: BLE001 - a truncated or damaged answer: redo the share
            part = None
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        return None
    return part if isinstance(part, list) and len(part) == expected else None
