"""Golden fixtures: every folder under testdata/golden/ holds input/ (manifests), an optional args.txt
(convert flags, one per line), expected.yaml (the exact output) and expected-notes.txt (one line per
outcome that is not plain "translated"). Set ING2GW_UPDATE_GOLDEN=1 to rewrite the expected files."""

from __future__ import annotations

import os
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from ing2gw.cli import main
from ing2gw.load import positions

GOLDEN = Path(__file__).resolve().parent.parent / "testdata" / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "input").is_dir()) if GOLDEN.is_dir() else []
UPDATE = os.environ.get("ING2GW_UPDATE_GOLDEN") == "1"


def run_case(case: Path) -> tuple[int, str, str]:
    args_file = case / "args.txt"
    args = shlex.split(args_file.read_text()) if args_file.exists() else []
    report = case / ".report.json"
    positions.forget_all()
    cwd = os.getcwd()
    os.chdir(case)  # file names in messages are relative to the case folder
    try:
        result = CliRunner().invoke(main, ["convert", "-f", "input", "--report", str(report), *args],
                                    catch_exceptions=False)
    finally:
        os.chdir(cwd)
    import json

    data = json.loads(report.read_text())
    report.unlink()
    notes = []
    for n in data["notifications"]:
        if n["outcome"] == "translated":
            continue
        where = f"{n['file']}:{n['line']}" if n.get("file") else "-"
        obj = n["object"]
        what = f"{obj['kind']} {obj['namespace'] or ''}/{obj['name']}" if obj else "-"
        notes.append(f"{n['outcome']}: {where}: {what}: {n['subject']}: {n['message']}")
    return result.exit_code, result.stdout, "\n".join(notes) + "\n"


@pytest.mark.parametrize("name", CASES)
def test_golden(name: str) -> None:
    case = GOLDEN / name
    code, out, notes = run_case(case)
    expected_code_file = case / "expected-exit-code.txt"
    if UPDATE:
        (case / "expected.yaml").write_text(out)
        (case / "expected-notes.txt").write_text(notes)
        expected_code_file.write_text(f"{code}\n")
    assert out == (case / "expected.yaml").read_text(), f"output of {name} changed"
    assert notes == (case / "expected-notes.txt").read_text(), f"outcomes of {name} changed"
    assert code == int(expected_code_file.read_text())


def test_there_are_golden_cases() -> None:
    assert len(CASES) >= 1
