"""A signal's exception that Python would have to ignore (raised inside a ``__del__``, or inside another
module's fork handler while a worker is forked) still ends the command: SIGTERM's exit code, nothing
printed about an ignored exception, and no worker left unknown to the process that forked it."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

_PRELUDE = """
import os, signal, sys
from ing2gw.cli import Terminated, _terminate_cleanly
from ing2gw import parallel

signal.signal(signal.SIGINT, signal.default_int_handler)  # ignored when started by a shell's background job

def busy():
    total = 0
    for i in range(200000):  # long enough for Python to run the signal handler here
        total += i
    return total
"""


def _run(body: str) -> subprocess.CompletedProcess[str]:
    code = textwrap.dedent(_PRELUDE) + textwrap.dedent(body)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(("signum", "exception", "said"), [("SIGTERM", "Terminated", "terminated"),
                                                         ("SIGINT", "KeyboardInterrupt", "interrupted")])
def test_signal_inside_del_is_raised_again(signum: str, exception: str, said: str) -> None:
    done = _run(f"""
        class Dropped:
            def __del__(self):
                os.kill(os.getpid(), signal.{signum})
                busy()  # the exception is raised here, where Python can only ignore it

        try:
            with _terminate_cleanly():
                d = Dropped()
                del d
                busy()
                print("went on")
        except {exception}:
            print("{said}")
        """)
    assert done.stdout.split() == [said], done
    assert "Exception ignored" not in done.stderr and "Traceback" not in done.stderr, done.stderr


def test_other_unraisable_exceptions_are_still_reported() -> None:
    done = _run("""
        class Dropped:
            def __del__(self):
                raise ValueError("from a finalizer")

        with _terminate_cleanly():
            d = Dropped()
            del d
        print("went on")
        """)
    assert done.stdout.split() == ["went", "on"], done
    assert "Exception ignored" in done.stderr and "from a finalizer" in done.stderr, done.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forked workers: Linux")
def test_sigterm_while_forking_stops_the_worker() -> None:
    done = _run("""
        def signalled_in_fork_handler():
            if os.getpid() == parent:
                os.kill(parent, signal.SIGTERM)
                busy()  # without the hold, Terminated would be raised (and ignored) here

        parent = os.getpid()
        os.register_at_fork(after_in_parent=signalled_in_fork_handler)
        def slow(item):
            import time
            time.sleep(30)
            return item

        def terminate(signum, frame):
            raise Terminated

        signal.signal(signal.SIGTERM, terminate)  # without the hook that raises ignored signals again
        try:
            parallel.map_shared(slow, list(range(4000)), 2)
            print("went on")
        except Terminated:
            print("terminated")
        children = open(f"/proc/{parent}/task/{parent}/children").read().split()
        print("children:", len(children))
        """)
    assert done.stdout.split() == ["terminated", "children:", "0"], done
    assert "Exception ignored" not in done.stderr, done.stderr
