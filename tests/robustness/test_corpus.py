"""The bad-input corpus: every folder under testdata/bad/ holds ``input.*`` (or ``input/``), an optional
``args.txt`` (convert flags) and ``expected.txt``: the exit code, the summary's first line, and one line per
outcome that is not plain "translated", exactly. ``ING2GW_UPDATE_GOLDEN=1`` rewrites expected.txt (then read
it). Every case also checks that no traceback reaches the user and that nothing unescaped is printed."""

from __future__ import annotations

import json
import os
import shlex
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from ing2gw.cli import main
from ing2gw.load import positions

BAD = Path(__file__).resolve().parents[2] / "testdata" / "bad"
CASES = sorted(p.name for p in BAD.iterdir() if (p / "expected.txt").exists() or any(p.glob("input*")))
UPDATE = os.environ.get("ING2GW_UPDATE_GOLDEN") == "1"


def run_case(source: Path, work: Path) -> tuple[str, str]:
    args_file = source / "args.txt"
    args = shlex.split(args_file.read_text()) if args_file.exists() else []
    case = work / source.name
    shutil.copytree(source, case)  # --output-dir cases write files: never into testdata/
    inputs = sorted(p.name for p in case.glob("input*"))
    report = case / ".report.json"
    positions.forget_all()
    cwd = os.getcwd()
    os.chdir(case)  # file names in messages are relative to the case folder
    try:
        flags = [x for name in inputs for x in ("-f", name)]
        result = CliRunner().invoke(main, ["convert", *flags, "--report", report.name, *args])
    finally:
        os.chdir(cwd)
    stderr = result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in stderr and "Traceback" not in result.stdout
    assert "\x1b" not in stderr and not any(ord(c) < 0x20 and c not in "\n" for c in stderr), "unescaped output"
    lines = [f"exit {result.exit_code}", stderr.splitlines()[0] if stderr else "(no summary)"]
    if report.exists():
        data = json.loads(report.read_text())
        report.unlink()
        for n in data["notifications"]:
            if n["outcome"] == "translated":
                continue
            where = (f"{n['file']}:{n['line']}" if n["line"] else n["file"]) if n.get("file") else "-"
            obj = n["object"]
            what = f"{obj['kind']} {obj['namespace'] or ''}/{obj['name']}" if obj else "-"
            msg = n["message"] if n["message"].startswith(n["subject"]) else f"{n['subject']}: {n['message']}"
            lines.append(f"{n['outcome']}: {where}: {what}: {msg}")
        lines += [ln for ln in stderr.splitlines() if ln.startswith(("ignored kinds:", "needs review"))]
    else:
        lines += [ln for ln in stderr.splitlines()[1:]]
    return "\n".join(lines) + "\n", result.stdout


@pytest.mark.parametrize("name", CASES)
def test_bad_input(name: str, tmp_path: Path) -> None:
    case = BAD / name
    got, _out = run_case(case, tmp_path)
    expected = case / "expected.txt"
    if UPDATE:
        expected.write_text(got)
    assert expected.exists(), f"{name} has no expected.txt (write it with ING2GW_UPDATE_GOLDEN=1, then read it)"
    assert got == expected.read_text(), f"messages of {name} changed"


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) >= 60
