"""Independent work items shared across forked processes: the documents of a large input file (parsing),
the objects of a large output (validation) and their YAML (rendering).

The items are cut into shares (runs of neighbours dealt round-robin): this process does one share, forked
workers the others, and each worker sends its results back through a pipe (pickled: documents, findings or
text). Forking shares the input, the objects, the CRD schemas and the compiled CEL programs without
copying them. Used on Linux only, when the process has no other threads (forking then is safe), and only
for enough items that a worker saves more than it costs. A worker that fails in any way is not trusted:
its share is done again here, so the result never depends on how the work was shared.
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
