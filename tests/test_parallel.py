"""Validation shared across forked workers gives exactly what one process gives."""

from __future__ import annotations

import math
import os
import sys
import threading

import pytest

from ing2gw import parallel
from ing2gw.load import load_paths
from ing2gw.validate import Validator, load_crd_set

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")


def _route(i: int, bad: bool = False) -> dict:
    return {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
            "metadata": {"name": f"r{i}", "namespace": "ns"},
            "spec": {"parentRefs": [{"name": "gw"}], "hostnames": [f"h{i}.example.com"],
                     "rules": [{"matches": [{"path": {"type": "PathPrefix", "value": "no-slash" if bad else f"/p{i}"}}],
                                "backendRefs": [{"name": "svc", "port": 80}]}]}}


def test_plan_jobs() -> None:
    assert parallel.plan_jobs(10, None) == 1  # too few objects for a worker
    assert parallel.plan_jobs(10**6, 1) == 1
    if parallel.can_fork():
        assert parallel.plan_jobs(10**6, 3) == 3
        assert parallel.plan_jobs(2 * parallel.MIN_PER_WORKER, 8) == 2


def test_no_fork_while_other_threads_run() -> None:
    stop = threading.Event()
    t = threading.Thread(target=stop.wait)
    t.start()
    try:
        assert not parallel.can_fork()
        assert parallel.plan_jobs(10**6, 4) == 1
    finally:
        stop.set()
        t.join()


@linux_only
@pytest.mark.usefixtures("small_shares")
def test_shared_report_equals_the_serial_one() -> None:
    crds = load_crd_set(version="v1.5", channel="standard")
    assert crds is not None
    objects = [_route(i, bad=i % 4 == 1) for i in range(23)]
    objects.insert(5, {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"}})
    serial = Validator(crds).validate(objects, jobs=1)
    shared = Validator(crds).validate(objects, jobs=3)
    assert shared.findings == serial.findings and len(serial.errors) >= 6
    assert shared.checked == serial.checked == 23 and shared.skipped == serial.skipped == ["Service s"]


@linux_only
@pytest.mark.usefixtures("small_shares")
def test_results_come_back_in_order_from_the_workers() -> None:
    parent = os.getpid()
    pids = parallel.map_shared(lambda i: (i * i, os.getpid()), list(range(30)), jobs=3)
    assert [v for v, _ in pids] == [i * i for i in range(30)]
    assert {pid for _, pid in pids} - {parent}, "no worker took a share"


@linux_only
@pytest.mark.usefixtures("small_shares")
def test_a_failing_worker_share_is_done_again_here() -> None:
    parent = os.getpid()

    def fn(i: int) -> int:
        if os.getpid() != parent:
            raise RuntimeError("worker trouble")
        return i + 1

    assert parallel.map_shared(fn, list(range(12)), jobs=3) == list(range(1, 13))


@linux_only
@pytest.mark.usefixtures("small_shares")
def test_an_unpicklable_result_is_done_again_here() -> None:
    assert [f() for f in parallel.map_shared(lambda i: (lambda: i), list(range(9)), jobs=2)] == list(range(9))


@linux_only
@pytest.mark.usefixtures("small_shares")
def test_a_file_read_by_workers_gives_the_same_objects_and_messages(tmp_path) -> None:
    docs = []
    for i in range(40):
        if i % 9 == 4:
            docs.append(f"kind: Service\nmetadata:\n  name: s{i}\n  name: twice\n")  # duplicate key: refused
        elif i % 9 == 7:
            docs.append("kind: [unclosed\n")  # syntax error, read by libyaml
        else:
            docs.append(f"apiVersion: v1\nkind: Service\nmetadata:\n  name: s{i}\n  labels: {{a: '{i}'}}\n")
    path = tmp_path / "many.yaml"
    path.write_text("---\n".join(docs), encoding="utf-8")
    told: list[list[object]] = [[], []]
    serial = load_paths([str(path)], jobs=1, listener=told[0].extend)
    shared = load_paths([str(path)], jobs=3, listener=told[1].extend)
    assert [(o.data, o.doc, o.path_prefix) for o in shared.objects] == [(o.data, o.doc, o.path_prefix) for o in serial.objects]
    assert told[0] == serial.objects and told[1] == shared.objects  # each object told once, in order
    heard: list[object] = []
    let_go = load_paths([str(path)], jobs=3, listener=heard.extend, keep=False)
    assert heard == shared.objects and let_go.objects == [] and let_go.problems == shared.problems
    assert [str(p) for p in shared.problems] == [str(p) for p in serial.problems]
    assert len(serial.objects) == 32 and len(serial.problems) == 8


@linux_only
@pytest.mark.usefixtures("small_shares")
def test_output_rendered_by_workers_is_byte_identical(monkeypatch: pytest.MonkeyPatch) -> None:
    from ing2gw import output

    monkeypatch.setattr(output, "RENDER_BLOCK", 7)  # several blocks, each shared
    objects = [_route(i) for i in range(30)]
    objects[3]["metadata"]["annotations"] = {"note": "ends with a newline\n"}  # a block scalar document
    assert "".join(output.iter_yaml(objects, jobs=3)) == "".join(output.iter_yaml(objects, jobs=1)) == output.render(objects)


def test_shares_deal_runs_of_neighbours_round_robin() -> None:
    parts = parallel.shares(2 * parallel.STRIDE + 5, 2)
    assert parts[0] == [*range(parallel.STRIDE), *range(2 * parallel.STRIDE, 2 * parallel.STRIDE + 5)]
    assert parts[1] == list(range(parallel.STRIDE, 2 * parallel.STRIDE))
    assert sorted(i for p in parallel.shares(1000, 3) for i in p) == list(range(1000))


@pytest.mark.usefixtures("small_shares")
def test_no_process_to_spare_means_the_work_is_done_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "can_fork", lambda: True)

    def refuse() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(parallel.os, "fork", refuse)
    assert parallel.map_shared(lambda i: i * 3, list(range(20)), jobs=3) == [i * 3 for i in range(20)]


@linux_only
@pytest.mark.usefixtures("small_shares")
def test_cli_output_is_the_same_with_any_number_of_jobs(tmp_path) -> None:
    from click.testing import CliRunner

    from bench.generate import generate, write
    from ing2gw.cli import main

    src = tmp_path / "in.yaml"
    with open(src, "w", encoding="utf-8") as fh:
        write(generate(40), fh)
    runs = {jobs: CliRunner().invoke(main, ["convert", "-q", "--jobs", jobs, "-f", str(src)]) for jobs in ("1", "3")}
    assert runs["1"].exit_code == runs["3"].exit_code == 0
    assert runs["1"].stdout == runs["3"].stdout and runs["1"].stdout.count("kind: HTTPRoute") > 40
    refused = CliRunner().invoke(main, ["convert", "--jobs", "0", "-f", str(src)])
    assert refused.exit_code == 2 and "--jobs" in refused.stderr


def test_objects_without_a_usable_kind_are_reported_not_fatal() -> None:
    crds = load_crd_set(version="v1.5", channel="standard")
    assert crds is not None
    odd = {"apiVersion": ["gateway.networking.k8s.io/v1"], "kind": {"HTTPRoute": 1}, "metadata": {"name": "x"}}
    report = Validator(crds).validate([odd, _route(1)], jobs=1)
    assert [f.message for f in report.errors] == ["apiVersion and kind are required"] and report.checked == 2


@pytest.mark.parametrize(("files", "limit"), [
    ({"cpu.max": "150000 100000\n"}, 1.5),  # cgroup v2, docker --cpus 1.5
    ({"cpu.max": "max 100000\n"}, None),
    ({"cpu/cpu.cfs_quota_us": "200000\n", "cpu/cpu.cfs_period_us": "100000\n"}, 2.0),  # cgroup v1
    ({"cpu/cpu.cfs_quota_us": "-1\n", "cpu/cpu.cfs_period_us": "100000\n"}, None),
    ({}, None),
])
def test_a_cgroup_cpu_limit_narrows_the_usable_cpus(tmp_path, monkeypatch: pytest.MonkeyPatch, files: dict,
                                                      limit: float | None) -> None:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    monkeypatch.setattr(parallel, "CGROUP_ROOT", str(tmp_path))
    monkeypatch.setattr(parallel.os, "sched_getaffinity", lambda pid: set(range(64)), raising=False)
    assert parallel.cgroup_cpu_limit() == limit
    assert parallel.usable_cpus() == (64 if limit is None else math.ceil(limit))
    if parallel.can_fork():
        assert parallel.plan_jobs(10**6, None) == min(parallel.usable_cpus(), parallel.DEFAULT_MAX_JOBS)


@linux_only
def test_in_background_runs_in_a_worker_and_falls_back_here() -> None:
    parent = os.getpid()
    if not parallel.can_fork():
        pytest.skip("threads are running: nothing is forked")
    assert parallel.in_background(lambda: os.getpid(), jobs=2).result() != parent  # a worker computed it
    assert parallel.in_background(lambda: os.getpid(), jobs=1).result() == parent  # jobs 1: here

    def flaky() -> int:
        if os.getpid() != parent:
            raise RuntimeError("worker trouble")
        return 42

    assert parallel.in_background(flaky, jobs=2).result() == 42  # the worker failed: done again here


@linux_only
def test_a_cancelled_background_worker_is_stopped() -> None:
    import time

    if not parallel.can_fork():
        pytest.skip("threads are running: nothing is forked")
    job = parallel.in_background(lambda: time.sleep(60), jobs=2)
    assert job._worker is not None
    pid = job._worker[0]
    job.cancel()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, 0)  # killed and reaped


def test_diff_is_the_same_with_any_number_of_jobs(tmp_path) -> None:
    from bench.generate import generate, write
    from ing2gw.api import ConvertOptions, diff
    from ing2gw.report.diff import diff_json

    base, head = tmp_path / "base.yaml", tmp_path / "head.yaml"
    with open(base, "w", encoding="utf-8") as fh:
        write(generate(40), fh)
    head.write_text(base.read_text().replace("pathType: Prefix", "pathType: Exact", 5))
    one = diff_json(diff([str(head)], ConvertOptions(jobs=1), base_paths=[str(base)]))
    two = diff_json(diff([str(head)], ConvertOptions(jobs=2), base_paths=[str(base)]))
    assert one == two
    assert one["counts"]["changed"] > 0


def _children() -> list[str]:
    pid = os.getpid()
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as fh:
            return fh.read().split()
    except OSError:
        return []


@linux_only
@pytest.mark.usefixtures("small_shares")
@pytest.mark.parametrize("jobs", [1, 2, 3])
def test_ordered_results_are_handed_on_in_order(jobs: int) -> None:
    parent = os.getpid()
    seen: list[tuple[int, int, int]] = []
    items = list(range(41))
    parallel.map_ordered(lambda i: (i * i, os.getpid()), items, lambda i, r: seen.append((i, *r)), jobs)
    assert [(i, v) for i, v, _ in seen] == [(i, i * i) for i in items]
    workers = {pid for _, _, pid in seen} - {parent}
    assert len(workers) == jobs - 1
    assert [pid for _, _, pid in seen][0] == parent  # this process takes the first run
    assert threading.active_count() == 1 and not _children()


@linux_only
@pytest.mark.usefixtures("small_shares")
def test_an_ordered_worker_failing_midway_is_finished_here() -> None:
    parent = os.getpid()

    def fn(i: int) -> tuple[int, bool]:
        if os.getpid() != parent and i % 11 == 10:  # each worker fails after a batch or two
            raise RuntimeError("worker trouble")
        return i + 1, os.getpid() == parent

    seen: list[tuple[int, tuple[int, bool]]] = []
    parallel.map_ordered(fn, list(range(40)), lambda i, r: seen.append((i, r)), 3)
    assert [(i, v) for i, (v, _) in seen] == [(i, i + 1) for i in range(40)]
    here = [i for i, (_, mine) in seen if mine]
    assert 0 < len(here) < 40 and here != list(range(len(here)))  # some of the workers' items were redone here


@linux_only
@pytest.mark.usefixtures("small_shares")
def test_ordered_unpicklable_results_are_made_here() -> None:
    got: list[int] = []
    parallel.map_ordered(lambda i: (lambda: i), list(range(9)), lambda i, f: got.append(f()), 2)
    assert got == list(range(9))


@linux_only
@pytest.mark.usefixtures("small_shares")
def test_an_interrupted_ordered_map_leaves_no_worker_or_thread() -> None:
    def then(i: int, r: int) -> None:
        if i == 20:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        parallel.map_ordered(lambda i: i, list(range(40)), then, 3)
    assert threading.active_count() == 1 and not _children()


@pytest.mark.parametrize(("weights", "jobs"), [([1] * 10, 2), ([5, 1, 1, 1, 1, 1, 1, 1], 2), ([1] * 100, 4),
                                               ([100] + [1] * 5, 3), ([1, 1], 2)])
def test_ordered_runs_cover_the_items_once(weights: list[int], jobs: int) -> None:
    bounds = parallel._runs(weights, jobs)
    assert len(bounds) == jobs + 1 and bounds[0] == 0 and bounds[-1] == len(weights)
    assert bounds == sorted(bounds)
    if len(weights) >= 10 * jobs and len(set(weights)) == 1:  # even items: this process's run is the smaller
        share = parallel.HERE_SHARE / (parallel.HERE_SHARE + jobs - 1)
        assert abs(bounds[1] - share * len(weights)) <= 1
