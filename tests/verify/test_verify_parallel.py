"""Verification shared among forked workers gives the same report as one process, with links to the
conversion's own notifications (not copies)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from bench.generate import generate, write
from ing2gw.api import ConvertOptions, convert, verify_result
from ing2gw.parallel import can_fork, plan_jobs


@pytest.mark.skipif(not sys.platform.startswith("linux") or not can_fork(), reason="forked workers: Linux")
def test_workers_give_the_same_report(tmp_path: Path) -> None:
    src = tmp_path / "in.yaml"
    with open(src, "w", encoding="utf-8") as fh:
        write(generate(120), fh)  # about 5,000 probes: two processes
    result = convert([str(src)], ConvertOptions(validate=False, jobs=1))
    one = verify_result(result)
    result.options.jobs = 2
    two = verify_result(result)
    assert plan_jobs(len(one.results), 2) == 2  # the second report did come from two processes
    assert [(r.probe, r.ingress, r.gateway, r.verdict, r.differences, r.links) for r in one.results] == \
           [(r.probe, r.ingress, r.gateway, r.verdict, r.differences, r.links) for r in two.results]
    assert [(r.ingress.via, r.ingress.causes, r.gateway.via, r.gateway.causes) for r in one.results] == \
           [(r.ingress.via, r.ingress.causes, r.gateway.via, r.gateway.causes) for r in two.results]
    linked = [lk.notification for r in two.results for lk in r.links if lk.notification is not None]
    assert linked, "the input has differences explained by notifications"
    own = {id(n) for n in result.notifications}
    assert all(id(n) in own for n in linked)  # the summary counts distinct notifications by identity
    assert one.summary() == two.summary()


def test_probes_that_answer_the_same_can_be_counted_only(tmp_path: Path) -> None:
    """What a summary or a list of differences needs: the same counts and the same other results."""
    src = tmp_path / "in.yaml"
    with open(src, "w", encoding="utf-8") as fh:
        write(generate(30), fh)
    result = convert([str(src)], ConvertOptions(validate=False))
    kept = verify_result(result)
    counted = verify_result(result, keep_same=False)
    assert counted.summary() == kept.summary() and counted.probes == kept.probes
    assert counted.counts == kept.counts and counted.counts["same"] > 0
    assert all(r.verdict != "same" for r in counted.results)
    assert [(r.probe, r.verdict, r.links) for r in counted.results] == \
           [(r.probe, r.verdict, r.links) for r in kept.results if r.verdict != "same"]
