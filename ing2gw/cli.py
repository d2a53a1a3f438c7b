"""The command line: a thin layer over :mod:`ing2gw.api`. Each command parses flags, calls one API
function, prints, and returns an exit code. No traceback reaches the user (``--debug`` shows it)."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, NoReturn

import click

from ing2gw import __version__
from ing2gw.errors import Ing2gwError, current_object
from ing2gw.report.summary import clean

_DEBUG = {"on": False}


def internal_error_line(exc: BaseException) -> str:
    """One line for a bug: what failed, on which object, and what to do."""
    what = current_object()
    where = f" while processing {what}" if what else ""
    text = " ".join(f"{type(exc).__name__}: {exc}".split())
    if len(text) > 300:
        text = text[:300] + "..."
    return clean(f"ing2gw: internal error{where}: {text}. This is a bug; please report it with the input "
                 "that caused it (--debug shows the traceback).")


class Terminated(BaseException):
    """SIGTERM arrived (``kill``, a CI timeout, a pod stopping): unwind, so that temporary files and forked
    workers are cleaned up on the way out, as after Ctrl-C."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated


_MISSED: list[type[BaseException]] = []  # a signal's exception Python had to ignore, to be raised again
_AGAIN_AFTER = 0.001  # seconds: long enough to be out of the place that ignored it


def _signal_again(hook: Callable[[Any], object]) -> Callable[[Any], object]:
    """An ``sys.unraisablehook`` for while a command runs. Python ignores an exception raised where it cannot
    propagate (a ``__del__``, a weakref callback, another module's fork handler); when that exception is a
    signal's (SIGTERM's :class:`Terminated`, Ctrl-C's ``KeyboardInterrupt``), it is raised again a moment
    later by a timer's SIGALRM (:func:`_raise_missed`), where it unwinds the command, and nothing is printed.
    (Raised again at once, it would be raised inside this hook, and ignored again.) Other unraisable
    exceptions go to ``hook``."""

    def again(unraisable: Any) -> object:
        if isinstance(unraisable.exc_value, Terminated | KeyboardInterrupt):
            _MISSED[:] = [type(unraisable.exc_value)]
            signal.setitimer(signal.ITIMER_REAL, _AGAIN_AFTER)
            return None
        return hook(unraisable)

    return again


def _raise_missed(signum: int, frame: object) -> None:
    if _MISSED:
        raise _MISSED.pop()


@contextmanager
def _terminate_cleanly() -> Iterator[None]:
    """SIGTERM raises :class:`Terminated` while a command runs (only in the main thread, where Python runs
    signal handlers; the previous handlers come back afterwards). A signal's exception that Python had to
    ignore is raised again (:func:`_signal_again`)."""
    try:
        previous = signal.signal(signal.SIGTERM, _terminate)
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    timer = hasattr(signal, "setitimer")  # not on Windows: ignored signals stay ignored there
    alarm = signal.signal(signal.SIGALRM, _raise_missed) if timer else None
    hook = sys.unraisablehook
    if timer:
        sys.unraisablehook = _signal_again(hook)
    try:
        yield
    finally:
        sys.unraisablehook = hook
        if timer:
            signal.setitimer(signal.ITIMER_REAL, 0)
            _MISSED.clear()
            signal.signal(signal.SIGALRM, alarm)
        signal.signal(signal.SIGTERM, previous)


def _guard(fn: Callable[..., int | None]) -> Callable[..., None]:
    """Run a command; turn ing2gw errors into messages and exit codes, and bugs into one line."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        from ing2gw.api import fewer_gc_pauses

        try:
            with _terminate_cleanly(), fewer_gc_pauses():
                code = fn(*args, **kwargs) or 0
        except Ing2gwError as exc:
            click.echo(f"ing2gw: error: {clean(str(exc))}", err=True)
            if _DEBUG["on"] and exc.exit_code == 3:
                traceback.print_exc()
            code = exc.exit_code
        except (click.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except KeyboardInterrupt:
            click.echo("ing2gw: interrupted", err=True)
            code = 130
        except Terminated:
            click.echo("ing2gw: terminated", err=True)
            code = 128 + signal.SIGTERM
        except BrokenPipeError:
            code = 0
        except Exception as exc:  # noqa: BLE001 - the last line of defence
            click.echo(internal_error_line(exc), err=True)
            if _DEBUG["on"]:
                traceback.print_exc()
            code = 3
        _leave(code)

    return wrapper


_FAST_EXIT = {"on": False}


def _leave(code: int) -> NoReturn:
    """Exit with ``code``. Run as the ``ing2gw`` command (:func:`run`), without freeing the process's objects
    one by one first: they go with the process (a large conversion holds millions of small objects)."""
    if _FAST_EXIT["on"]:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        os._exit(code)
    sys.exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="ing2gw")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
def main(debug: bool) -> None:
    """Migrate Kubernetes Ingress objects and their annotations to Gateway API."""
    _DEBUG["on"] = debug


from ing2gw.commands import register  # noqa: E402  (commands attach themselves to ``main``)

register(main, _guard)


def run() -> None:
    """The ``ing2gw`` command: :func:`main`, leaving as soon as the output is written (see ``_leave``)."""
    _FAST_EXIT["on"] = True
    main()
