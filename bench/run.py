"""The benchmark, in one run: ``python -m bench.run`` (``--sizes 1000,10000,50000`` is the default).

For each size it generates the input once (``bench/results/inputs/``), then measures, each in a fresh
process (wall time and peak resident memory):

- ``convert``: ``ing2gw convert -q -f big.yaml > out.yaml``, end to end, as a user runs it: the output is
  validated (schema and CEL) when Gateway API CRDs are found, as they are here;
- ``convert-nv``: the same with ``--no-validate``;
- ``report`` and ``diff`` (``diff BASE HEAD`` of the input against itself), for sizes up to ``--report-max``;
- ``export``: ``ing2gw export -A`` of a cluster of that many Ingresses served by the test API server
  (tests/cluster/fakeapi.py, TLS, pages of 500), for sizes up to ``--report-max``;
- the floor: loading the same input with the fastest YAML loader installed (yaml-rs, fast-yaml, else
  libyaml through PyYAML), plus writing the output that convert wrote, of the same size, with the fastest
  writer (the same library);
- ``load+dup-check`` and ``load (plain libyaml)``: the bulk loader with and without the duplicate-key check.

The project's modules are compiled to bytecode first, as ``pip install`` compiles them.

It prints a table and writes ``bench/results/<date>.json``. The ratios are convert/floor per size and the
scaling 50k/10k. The machine's speed moves by 20-30% within minutes, so ``convert``, ``convert-nv`` and the
floor are measured ``--repeat`` times (3 by default), in rounds (each size's convert, convert-nv and floor,
then again), so that a round's ratios compare runs made minutes apart: a ratio (convert / floor, and the
scaling 50k / 10k) is the median of the rounds' ratios, a time the median run (all runs are in the JSON).
The fast loaders are not project dependencies: ``pip install '.[bench]'`` adds them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"


def _child(task: str, src: str, out: str) -> dict[str, Any]:
    """Run one measured task in this (fresh) process."""
    t0 = time.perf_counter()
    extra: dict[str, Any] = {}
    if task == "export":
        sys.path.insert(0, str(HERE.parent / "tests" / "cluster"))
        from fakeapi import bench_export

        n = int(Path(src).stem.rpartition("-")[2])
        res = bench_export(n, namespaces=max(1, n // 25))
        return {"wall_s": res["export_seconds"], "peak_mib": _peak(), "read_s": res["read_seconds"],
                "requests": res["requests"], "identical_to_convert": res["identical"]}
    if task in ("convert", "convert-j1", "convert-nv", "report", "diff"):
        from ing2gw.cli import main

        args = {"convert": ["convert", "-q", "-f", src], "convert-nv": ["convert", "-q", "--no-validate", "-f", src],
                "convert-j1": ["convert", "-q", "--jobs", "1", "-f", src],
                "report": ["report", "-f", src, "--format", "json"], "diff": ["diff", src, src]}[task]
        with open(out, "w", encoding="utf-8") as fh:
            saved = sys.stdout
            sys.stdout = fh
            try:
                main(args, standalone_mode=False)
            except SystemExit as exc:
                extra["exit"] = exc.code
            finally:
                sys.stdout = saved
    elif task == "floor":
        data = Path(src).read_bytes()
        produced = Path(out).read_text(encoding="utf-8") if Path(out).exists() else None
        name, load, dump = _fastest()
        docs = load(data.decode("utf-8"))
        t1 = time.perf_counter()
        outdocs = docs if produced is None else load(produced)
        t2 = time.perf_counter()
        text = dump(outdocs)
        t3 = time.perf_counter()
        extra = {"library": name, "load_s": t1 - t0, "write_s": t3 - t2, "bytes_out": len(text)}
        return {"wall_s": (t1 - t0) + (t3 - t2), "peak_mib": _peak(), **extra}
    elif task in ("load", "load-plain"):
        import yaml

        from ing2gw.load import files

        if task == "load-plain":
            files._Loader = yaml.CSafeLoader  # what the loader cost before the duplicate-key check
        res = files.load_paths([src], max_bytes=1 << 40)
        extra = {"objects": len(res.objects)}
    return {"wall_s": time.perf_counter() - t0, "peak_mib": _peak(), **_work(), **extra}


def _peak() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _work() -> dict[str, float]:
    """CPU seconds of this process and its workers (``--jobs``), and the workers' largest RSS: a forked
    worker's RSS counts the pages it shares with this process, so it overstates what it adds."""
    me, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return {"cpu_s": me.ru_utime + me.ru_stime + workers.ru_utime + workers.ru_stime,
            "workers_peak_mib": workers.ru_maxrss / 1024}


def _compile_bytecode() -> None:
    """Compile the project's modules to bytecode first, as ``pip install`` does, so that each measured
    process reads bytecode as an installed ing2gw does. (A source tree installed editable, with
    PYTHONDONTWRITEBYTECODE set or not writable, would otherwise be compiled at every start: 0.3 s.)"""
    import compileall

    import ing2gw_providers

    import ing2gw

    for package in (ing2gw, ing2gw_providers):
        compileall.compile_dir(os.path.dirname(package.__file__ or ""), quiet=1)


def _fastest() -> tuple[str, Any, Any]:
    try:
        import yaml_rs

        return "yaml-rs", yaml_rs.loads, yaml_rs.dumps
    except ImportError:
        pass
    try:
        import fast_yaml

        return "fast-yaml", lambda s: list(fast_yaml.safe_load_all(s)), fast_yaml.safe_dump_all
    except ImportError:
        pass
    import yaml

    return ("PyYAML (libyaml)", lambda s: list(yaml.load_all(s, Loader=yaml.CSafeLoader)),
            lambda d: yaml.dump_all(d, Dumper=yaml.CSafeDumper))


def measure(task: str, src: Path, out: Path) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "bench.run", "--child", task, str(src), str(out)]
    proc = subprocess.run(cmd, cwd=HERE.parent, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        return {"error": (proc.stderr.strip().splitlines() or ["failed"])[-1]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def ensure_input(n: int) -> Path:
    from bench.generate import generate, write

    path = RESULTS / "inputs" / f"ingresses-{n}.yaml"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8") as fh:
            write(generate(n), fh)
    return path


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="ing2gw benchmark")
    ap.add_argument("--sizes", default="1000,10000,50000")
    ap.add_argument("--tasks", default="convert,convert-j1,convert-nv,floor,report,diff,export",
                    help="also available: load, load-plain (the bulk loader with and without the duplicate-key check)")
    ap.add_argument("--report-max", type=int, default=10000, help="largest size for report, diff and export")
    ap.add_argument("--repeat", type=int, default=3,
                    help="rounds of convert, convert-nv and floor per size (medians are reported)")
    ap.add_argument("--child", nargs=3, metavar=("TASK", "SRC", "OUT"), help=argparse.SUPPRESS)
    a = ap.parse_args(argv)
    if a.child:
        print(json.dumps(_child(*a.child)))
        return
    from ing2gw.cli import main as cli

    _compile_bytecode()
    commands = set(cli.commands)
    sizes = [int(s) for s in a.sizes.split(",")]
    tasks = [t for t in a.tasks.split(",") if t not in ("report", "diff") or t in commands]
    rows: dict[int, dict[str, Any]] = {}
    RESULTS.mkdir(exist_ok=True)
    partial = RESULTS / "partial.json"
    srcs = {n: ensure_input(n) for n in sizes}
    for n in sizes:
        rows[n] = {"input_bytes": srcs[n].stat().st_size}
    runs: dict[int, dict[str, list[dict[str, Any]]]] = {n: {} for n in sizes}

    def run(n: int, t: str) -> None:
        target = RESULTS / (f"out-{n}.yaml" if t in ("convert", "floor") else f"{t}-{n}.out")
        runs[n].setdefault(t, []).append(measure(t, srcs[n], target))
        print(f"{n:>6} {t:<11} {json.dumps(runs[n][t][-1])}", file=sys.stderr, flush=True)
        rows[n].update(summarize(runs[n]))
        partial.write_text(json.dumps(rows, indent=2) + "\n")  # what is measured so far, if interrupted

    # The ratios' tasks in rounds, each round over every size: a round's ratios (convert / floor, 50k / 10k)
    # compare runs made minutes apart, not a whole benchmark apart.
    for _ in range(max(1, a.repeat)):
        for n in sizes:
            for t in (t for t in tasks if t in REPEATED):
                run(n, t)
    for n in sizes:
        for t in tasks:
            if t not in REPEATED and not (t in ("report", "diff", "export", "convert-j1") and n > a.report_max):
                run(n, t)
        for task, key in (("convert", "ratio_convert_floor"), ("convert-nv", "ratio_convert_nv_floor")):
            ratio = _median_ratio(runs[n].get(task, []), runs[n].get("floor", []))
            if ratio is not None:
                rows[n][key] = ratio
    scaling = {}
    for task in ("convert", "convert-nv"):
        if 10000 in runs and 50000 in runs:
            ratio = _median_ratio(runs[50000].get(task, []), runs[10000].get(task, []))
            if ratio is not None:
                scaling[task] = ratio
    machine = {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count(),
               "load_average": os.getloadavg()}
    doc: dict[str, Any] = {"date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "machine": machine, "sizes": rows,
           "scaling_50k_10k": scaling}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{doc['date'].replace(':', '')}.json").write_text(json.dumps(doc, indent=2) + "\n")
    print(table(doc))


REPEATED = ("convert", "convert-nv", "floor")  # the tasks of the ratios, measured in rounds


def _median_ratio(tops: list[dict[str, Any]], bottoms: list[dict[str, Any]]) -> float | None:
    """The median of the rounds' ratios (round i's top over round i's bottom), None without a pair."""
    pairs = [(t["wall_s"], b["wall_s"]) for t, b in zip(tops, bottoms, strict=False) if "wall_s" in t and "wall_s" in b]
    return statistics.median(t / b for t, b in pairs) if pairs else None


def summarize(runs: dict[str, list[dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    """Per task: its median run (by wall time; an odd count has one), with every run's wall time and the
    range when it ran more than once. A failed run counts as failed."""
    out: dict[str, dict[str, Any]] = {}
    for task, results in runs.items():
        failed = next((r for r in results if "wall_s" not in r), None)
        if failed is not None:
            out[task] = failed
            continue
        ordered = sorted(results, key=lambda r: r["wall_s"])
        median = dict(ordered[(len(ordered) - 1) // 2])
        if len(results) > 1:
            median["runs_s"] = [round(r["wall_s"], 2) for r in results]
        out[task] = median
    return out


def table(doc: dict[str, Any]) -> str:
    def cell(r: dict[str, Any]) -> str:
        if "wall_s" not in r:
            return r.get("error", "-")[:30]
        cpu = f" (CPU {r['cpu_s']:.1f} s)" if r.get("cpu_s", 0) > 1.15 * r["wall_s"] else ""
        spread = f" [{min(r['runs_s']):.1f}-{max(r['runs_s']):.1f}]" if len(r.get("runs_s", ())) > 1 else ""
        return f"{r['wall_s']:.1f} s{spread}{cpu}, {r['peak_mib']:.0f} MiB"

    def ratio(x: float | None) -> str:
        return f"{x:.2f}" if x else "-"

    tasks = ["convert", "convert-j1", "convert-nv", "floor", "report", "diff", "export", "load", "load-plain"]
    tasks = [t for t in tasks if any(t in r for r in doc["sizes"].values())]
    lines = ["| Ingresses | input | " + " | ".join(tasks) + " | convert / floor | convert-nv / floor |",
             "|---|---|" + "---|" * len(tasks) + "---|---|"]
    for n, r in doc["sizes"].items():
        lines.append(f"| {int(n):,} | {r['input_bytes'] / 1e6:.1f} MB | "
                     + " | ".join(cell(r.get(t, {})) for t in tasks)
                     + f" | {ratio(r.get('ratio_convert_floor'))} | {ratio(r.get('ratio_convert_nv_floor'))} |")
    for task, value in (doc.get("scaling_50k_10k") or {}).items():
        lines.append(f"\nscaling {task} 50k/10k: {value:.2f} (target <= 5.5)")
    floor = next((r["floor"] for r in doc["sizes"].values() if "library" in r.get("floor", {})), None)
    if floor:
        lines.append(f"floor library: {floor['library']}")
    m = doc["machine"]
    lines.append(f"machine: {m['platform']}, {m['cpus']} CPUs, Python {m['python']}, load average "
                 f"{', '.join(f'{x:.1f}' for x in m['load_average'])}")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
