"""The ``ing2gw`` command leaves without freeing its objects one by one (``ing2gw.cli.run``): everything it
wrote still arrives, whole, with the conversion's exit code."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from ing2gw.cli import main

ROOT = Path(__file__).resolve().parents[2]
SHOP = ROOT / "testdata" / "examples" / "shop"


def _command(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", "from ing2gw.cli import run; run()", *args],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)


def test_the_command_writes_everything_before_leaving(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    done = _command("convert", "-f", str(SHOP), "--report", str(report))
    expected = CliRunner().invoke(main, ["convert", "-f", str(SHOP)])
    assert done.returncode == expected.exit_code == 0
    assert done.stdout == expected.stdout and done.stdout.count("kind: HTTPRoute") >= 1
    assert "Ingress(es) in" in done.stderr
    assert report.read_text().rstrip().endswith("}")  # the report file is complete


def test_the_command_keeps_the_exit_code_of_bad_input(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata: {name: [x]}\n")
    done = _command("convert", "-q", "-f", str(bad))
    assert done.returncode == 2, done.stderr
