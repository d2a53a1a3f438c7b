"""The benchmark's bookkeeping (no timing): the ratio tasks run in rounds, and a ratio is the median of the
rounds' ratios, so that a slow moment of the machine moves one round, not the reported ratio."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bench import run


def test_rounds_interleave_and_ratios_are_medians(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "in.yaml"
    src.write_text("x")
    calls: list[str] = []
    # round -> (convert, convert-nv, floor): round 2 is a slow moment for every task
    walls = {0: (10.0, 8.0, 4.0), 1: (30.0, 24.0, 10.0), 2: (12.0, 9.0, 6.0)}

    def measure(task: str, src: Path, out: Path) -> dict[str, Any]:
        calls.append(task)
        i = calls.count(task) - 1
        wall = walls[i][("convert", "convert-nv", "floor").index(task)]
        return {"wall_s": wall, "peak_mib": 100.0 + i}

    monkeypatch.setattr(run, "measure", measure)
    monkeypatch.setattr(run, "ensure_input", lambda n: src)
    monkeypatch.setattr(run, "RESULTS", tmp_path / "results")
    run.main(["--sizes", "7", "--tasks", "convert,convert-nv,floor", "--repeat", "3"])

    assert calls == ["convert", "convert-nv", "floor"] * 3  # round by round
    doc = json.loads(next((tmp_path / "results").glob("2*.json")).read_text())
    row = doc["sizes"]["7"]
    assert row["convert"]["wall_s"] == 12.0  # the median run, with its own memory
    assert row["convert"]["peak_mib"] == 102.0
    assert row["convert"]["runs_s"] == [10.0, 30.0, 12.0]
    assert row["floor"]["wall_s"] == 6.0
    assert row["ratio_convert_floor"] == pytest.approx(2.5)  # median of 2.5, 3.0, 2.0 (the medians' 12 / 6 is 2.0)
    assert row["ratio_convert_nv_floor"] == pytest.approx(2.0)  # median of 2.0, 2.4, 1.5 (9 / 6 is 1.5)


def test_a_failed_run_is_reported_as_failed() -> None:
    out = run.summarize({"convert": [{"wall_s": 1.0, "peak_mib": 1.0}, {"error": "boom"}]})
    assert out["convert"] == {"error": "boom"}
    assert "runs_s" not in run.summarize({"floor": [{"wall_s": 2.0, "peak_mib": 1.0}]})["floor"]


def test_scaling_is_the_median_of_the_rounds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each round measures every size: its 50k / 10k compares runs minutes apart."""
    src = tmp_path / "in.yaml"
    src.write_text("x")
    calls: list[tuple[int, str]] = []
    # convert's wall time per (round, size); round 1 is slow at 50k only (a slow moment of the machine)
    walls = {(0, 10000): 10.0, (0, 50000): 50.0, (1, 10000): 10.0, (1, 50000): 80.0, (2, 10000): 12.0,
             (2, 50000): 54.0}

    def measure(task: str, src: Path, out: Path) -> dict[str, Any]:
        n = 50000 if "50000" in out.name else 10000
        calls.append((n, task))
        i = calls.count((n, task)) - 1
        return {"wall_s": walls[(i, n)], "peak_mib": 1.0}

    monkeypatch.setattr(run, "measure", measure)
    monkeypatch.setattr(run, "ensure_input", lambda n: src)
    monkeypatch.setattr(run, "RESULTS", tmp_path / "results")
    run.main(["--sizes", "10000,50000", "--tasks", "convert", "--repeat", "3"])

    assert calls == [(10000, "convert"), (50000, "convert")] * 3
    doc = json.loads(next((tmp_path / "results").glob("2*.json")).read_text())
    assert doc["scaling_50k_10k"]["convert"] == pytest.approx(5.0)  # median of 5.0, 8.0, 4.5 (medians: 54 / 10)
