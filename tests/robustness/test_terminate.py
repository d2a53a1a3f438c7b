"""SIGTERM (kill, a CI timeout, a pod stopping) ends a conversion like Ctrl-C does: no traceback, exit code
143, and nothing left behind: no spool files, no worker processes."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.generate import generate, write


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forked workers and spool files: Linux")
def test_sigterm_during_rendering_cleans_up(tmp_path: Path) -> None:
    src = tmp_path / "big.yaml"
    with open(src, "w", encoding="utf-8") as fh:
        write(generate(4000), fh)  # large enough for workers and a rendering phase of a second or more
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    env = dict(os.environ, TMPDIR=str(tmp))
    proc = subprocess.Popen([sys.executable, "-c", "from ing2gw.cli import main; main()", "convert", "-q",
                             "--jobs", "2", "-f", str(src)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env=env, text=True)
    deadline = time.monotonic() + 120
    workers: list[int] = []
    while not (any(tmp.glob("ing2gw-spool-*")) and workers):  # rendering, with its workers forked
        assert proc.poll() is None, f"finished before its render could be interrupted: {proc.stderr.read()}"  # type: ignore[union-attr]
        assert time.monotonic() < deadline
        time.sleep(0.005)
        workers = _children(proc.pid) if any(tmp.glob("ing2gw-spool-*")) else []
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signal.SIGTERM, err
    assert "ing2gw: terminated" in err and "Traceback" not in err
    assert not list(tmp.iterdir())  # the spool directory and every worker's file are gone
    assert not any(Path(f"/proc/{pid}").exists() and _state(pid) != "Z" for pid in workers)


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return "gone"
