"""Every golden fixture verifies: no probe differs, except those tied to a notification of the conversion.

Picks up every folder of testdata/golden/ (with its args.txt convert flags) automatically."""

from __future__ import annotations

import json
import os
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from ing2gw.cli import main
from ing2gw.load import positions

GOLDEN = Path(__file__).resolve().parents[2] / "testdata" / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "input").is_dir()) if GOLDEN.is_dir() else []
# convert flags that make no sense for verify (output form and files)
_WITH_VALUE = {"-o", "--output", "--output-dir", "--split", "--report"}
_FLAGS = {"-q", "--quiet"}


def verify_args(case: Path) -> list[str]:
    args_file = case / "args.txt"
    args = shlex.split(args_file.read_text()) if args_file.exists() else []
    out: list[str] = []
    skip = False
    for a in args:
        if skip:
            skip = False
            continue
        if a in _WITH_VALUE:
            skip = True
            continue
        if a in _FLAGS or a.split("=", 1)[0] in _WITH_VALUE:
            continue
        out.append(a)
    return out


@pytest.mark.parametrize("name", CASES)
def test_golden_case_verifies(name: str) -> None:
    case = GOLDEN / name
    positions.forget_all()
    cwd = os.getcwd()
    os.chdir(case)
    try:
        result = CliRunner().invoke(main, ["verify", "-f", "input", "-o", "json", *verify_args(case)],
                                    catch_exceptions=False)
    finally:
        os.chdir(cwd)
    assert result.exit_code in (0, 2), result.output
    data = json.loads(result.stdout)
    differing = [p for p in data["probes"] if p["verdict"] == "differs"]
    assert not differing, json.dumps(differing, indent=2)
    for p in data["probes"]:
        if p["verdict"] == "not-comparable":
            assert p["because"], p
    assert data["summary"]["probes"] > 0
