"""A conversion split by namespace among processes (ing2gw.partitioned) gives exactly what converting whole
gives: the same text, notifications, validation findings and exit code; and where the parts would not be
independent, it is converted whole."""

from __future__ import annotations

import copy
import json
import os
import shlex
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.generate import generate, write
from ing2gw import partitioned
from ing2gw.api import ConvertOptions, convert_objects, convert_yaml
from ing2gw.cli import main
from ing2gw.core import partition
from ing2gw.core.classes import GENERIC
from ing2gw.core.pipeline import prepare
from ing2gw.load import positions
from ing2gw.provider import IngressTranslation, Provider, TranslateContext

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
GOLDEN = Path(__file__).resolve().parent.parent / "testdata" / "golden"
NGINX = "nginx.ingress.kubernetes.io/"


@pytest.fixture
def split_small(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Split even a few Ingresses; the list says, per conversion, whether it was converted by parts."""
    monkeypatch.setattr(partitioned, "MIN_PER_PART", 1)
    from ing2gw import parallel

    monkeypatch.setattr(parallel, "usable_cpus", lambda: 3)
    used: list[bool] = []
    real = partitioned.convert

    def spy(*args: Any, **kwargs: Any) -> Any:
        out = real(*args, **kwargs)
        used.append(out is not None)
        return out

    monkeypatch.setattr(partitioned, "convert", spy)
    return used


def _fanned_out(case: Path, copies: int) -> list[dict[str, Any]]:
    """A golden case's input with its Ingresses (and the Services and Secrets of their namespaces) also in
    ``copies`` other namespaces, their host names suffixed (``.c1``: a wildcard still covers its names), so
    that the copies are unrelated and the conversion splits."""
    docs = [d for f in sorted((case / "input").rglob("*.yaml")) for d in yaml.safe_load_all(f.read_text())
            if isinstance(d, dict)]
    ingress_ns = {(d.get("metadata") or {}).get("namespace", "default") for d in docs if d.get("kind") == "Ingress"}
    out = list(docs)
    for k in range(1, copies + 1):
        for d in docs:
            ns = (d.get("metadata") or {}).get("namespace", "default")
            if d.get("kind") not in ("Ingress", "Service", "Secret") or ns not in ingress_ns:
                continue
            c = copy.deepcopy(d)
            c["metadata"]["namespace"] = f"{ns}-c{k}"
            spec = c.get("spec") or {}
            for rule in spec.get("rules") or []:
                if rule.get("host"):
                    rule["host"] += f".c{k}"
            for t in spec.get("tls") or []:
                t["hosts"] = [h + f".c{k}" for h in t.get("hosts") or []]
            out.append(c)
    return out


def _run(path: Path, args: list[str], jobs: int) -> tuple[int, str, str]:
    positions.forget_all()
    report = path.with_suffix(f".{jobs}.json")
    r = CliRunner().invoke(main, ["convert", "-q", "-f", str(path), "--report", str(report), "--jobs", str(jobs),
                                  *args], catch_exceptions=False)
    text = report.read_text() if report.exists() else ""
    report.unlink(missing_ok=True)
    return r.exit_code, r.stdout, text


@linux_only
def test_golden_cases_split_or_whole_alike(split_small: list[bool], tmp_path: Path) -> None:
    split_cases = 0
    for case in sorted(p for p in GOLDEN.iterdir() if (p / "input").is_dir()):
        args_file = case / "args.txt"
        args = shlex.split(args_file.read_text()) if args_file.exists() else []
        if "-o" in args:
            continue
        path = tmp_path / f"{case.name}.yaml"
        path.write_text(yaml.safe_dump_all(_fanned_out(case, 2), sort_keys=False))
        whole = _run(path, args, 1)
        before = len(split_small)
        parts = _run(path, args, 3)
        assert parts == whole, f"{case.name}: split conversion differs"
        split_cases += any(split_small[before:])
    assert split_cases >= 25, f"only {split_cases} golden cases were split: the comparison says little"


def _ing(ns: str, name: str, hosts: list[str | None], *, cls: str = "nginx", tls: list[str] | None = None,
         ts: str | None = None, annotations: dict[str, str] | None = None, default_only: bool = False,
         paths: tuple[str, ...] = ("/",)) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name, "namespace": ns, "annotations": annotations or {}}
    if ts:
        meta["creationTimestamp"] = ts
    backend = {"service": {"name": "svc", "port": {"number": 80}}}
    spec: dict[str, Any] = {"ingressClassName": cls}
    if default_only:
        spec["defaultBackend"] = backend
    else:
        spec["rules"] = [{**({"host": h} if h else {}), "http": {"paths": [
            {"path": p, "pathType": "Prefix", "backend": backend} for p in paths]}} for h in hosts]
    if tls:
        spec["tls"] = [{"hosts": tls, "secretName": f"{name}-tls"}]
    return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": meta, "spec": spec}


def _classes() -> list[dict[str, Any]]:
    return [{"apiVersion": "networking.k8s.io/v1", "kind": "IngressClass", "metadata": {"name": n},
             "spec": {"controller": c}} for n, c in (("nginx", "k8s.io/ingress-nginx"),
                                                      ("traefik", "traefik.io/ingress-controller"))]


def _config(data: dict[str, str]) -> list[dict[str, Any]]:
    return [{"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "ingress-nginx-controller",
                                                                   "namespace": "ingress-nginx"}, "data": data},
            {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "extra", "namespace": "ingress-nginx"},
             "data": {"X-Frame-Options": "DENY", "X-Bad": "$host"}}]


def _both(docs: list[dict[str, Any]], tmp_path: Path, name: str = "in") -> tuple[Any, Any]:
    """(whole, split) results of convert_yaml on ``docs``."""
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump_all(docs, sort_keys=False))
    whole = convert_yaml([str(path)], ConvertOptions(jobs=1, validate=True))
    split = convert_yaml([str(path)], ConvertOptions(jobs=3, validate=True))
    return whole, split


def _same(whole: Any, split: Any) -> None:
    assert split.render() == whole.render()
    assert split.notifications == whole.notifications
    assert split.kinds == whole.kinds
    assert (split.validation.checked, split.validation.findings) == (whole.validation.checked,
                                                                    whole.validation.findings)
    assert split.exit_code == whole.exit_code


def _cluster() -> list[dict[str, Any]]:
    """Namespaces that relate only within pairs, with the controller ConfigMap's whole-conversion statements."""
    return [
        *_classes(),
        *_config({"add-headers": "ingress-nginx/extra", "proxy-set-headers": "ingress-nginx/missing",
                  "proxy-read-timeout": "30", "hsts-max-age": "600", "use-gzip": "true"}),
        # the oldest Ingress (the ConfigMap's statements) in one part, the oldest with TLS in another
        _ing("a1", "first", ["a.test"], ts="2020-01-01T00:00:00Z"),
        _ing("b1", "tls-first", ["b.test"], tls=["b.test"], ts="2020-02-01T00:00:00Z"),
        _ing("c1", "web", ["c.test"], tls=["c.test"]),
        _ing("c1", "web-canary", ["c.test"], annotations={NGINX + "canary": "true", NGINX + "canary-weight": "20"}),
        # one host in two namespaces: one part, with the split statement naming both
        _ing("d1", "shared", ["d.test"]), _ing("d2", "shared", ["d.test"], paths=("/api",)),
        # a wildcard certificate in one namespace covering a host of another
        _ing("e1", "wild", ["*.e.test"], tls=["*.e.test"]), _ing("e2", "named", ["x.e.test"]),
        # www redirect next to the other name's own Ingress, and a server alias naming another's host
        _ing("f1", "www", ["f.test"], annotations={NGINX + "from-to-www-redirect": "true"}),
        _ing("f2", "www-own", ["www.f.test"]),
        _ing("g1", "alias", ["g.test"], annotations={NGINX + "server-alias": "h.test"}),
        _ing("g2", "aliased", ["h.test"]),
        # rules without host in two namespaces
        _ing("i1", "any", [None], paths=("/i1",)), _ing("i2", "any", [None], paths=("/i2",)),
        # another controller's Ingresses
        _ing("t1", "traefik", ["t.test"], cls="traefik", tls=["t.test"]),
        _ing("t2", "traefik", ["u.test"], cls="traefik"),
        *[_ing(f"n{i}", f"plain-{i}", [f"n{i}.test"], tls=[f"n{i}.test"] if i % 2 else None) for i in range(8)],
    ]


@linux_only
def test_split_with_whole_conversion_statements(split_small: list[bool], tmp_path: Path) -> None:
    whole, split = _both(_cluster(), tmp_path)
    assert split_small == [True]
    _same(whole, split)
    notes = [n for n in split.notifications if n.subject in ("add-headers", "hsts (controller default)")]
    assert [(n.subject, n.source.name) for n in notes] == [("add-headers", "ingress-nginx-controller"),
                                                          ("hsts (controller default)", "tls-first")]
    assert "(21)" in notes[0].message  # rules that proxy, counted over every part
    assert split.model is None and whole.model is not None


@linux_only
def test_parts_that_turn_out_related_are_converted_whole(split_small: list[bool], tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from ing2gw_providers.ingress_nginx import PROVIDER

    # without the provider naming its aliases, g1 and g2 land in different parts; translation tells
    monkeypatch.setattr(PROVIDER, "related_hosts", lambda ingress: ())
    docs = _cluster()
    groups = partition.split(prepare(list(_raw(docs)), ConvertOptions()), 3)
    assert groups is not None
    whole, split = _both(docs, tmp_path)
    assert split_small == [False]
    _same(whole, split)


def _raw(docs: list[dict[str, Any]]) -> Any:
    from ing2gw.load.raw import RawObject

    return [RawObject(d) for d in docs]


@linux_only
def test_a_failing_worker_means_converting_whole(split_small: list[bool], tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    here = os.getpid()
    real = partitioned._Part.finish

    def finish(self: Any, *args: Any) -> Any:
        if os.getpid() != here:
            raise RuntimeError("a worker fails")
        return real(self, *args)

    monkeypatch.setattr(partitioned._Part, "finish", finish)
    whole, split = _both(_cluster(), tmp_path)
    assert split_small == [False]
    _same(whole, split)


@linux_only
def test_bench_input_split_alike(split_small: list[bool], tmp_path: Path) -> None:
    path = tmp_path / "in.yaml"
    with open(path, "w", encoding="utf-8") as fh:
        write(generate(150, seed=3), fh)
    whole = convert_yaml([str(path)], ConvertOptions(jobs=1, validate=True))
    split = convert_yaml([str(path)], ConvertOptions(jobs=2, validate=True))
    assert split_small == [True]
    _same(whole, split)


NAMESPACES = ["p", "q", "r", "s", "t", "u"]
# A namespace's own names most of the time (the namespaces then stay apart), sometimes a name that relates
# them: shared, covered by a wildcard, a www counterpart, none (a rule without host).
HOSTS = ["{ns}.test", "{ns}.test", "{ns}.test", "api.{ns}.test", "www.{ns}.test", "a.z.test", "*.z.test",
         "b.test", "www.b.test", None]


@st.composite
def _ingresses(draw: st.DrawFn) -> list[dict[str, Any]]:
    out = []
    for i in range(draw(st.integers(4, 10))):
        ns = draw(st.sampled_from(NAMESPACES))
        hosts = [h and h.format(ns=ns) for h in draw(st.lists(st.sampled_from(HOSTS), min_size=1, max_size=2,
                                                                unique=True))]
        annotations = {}
        if draw(st.integers(0, 2)) == 0:
            annotations[NGINX + "from-to-www-redirect"] = "true"
        if draw(st.integers(0, 5)) == 0:
            annotations[NGINX + "server-alias"] = draw(st.sampled_from(["b.test", "c.test", "p.test"]))
        if draw(st.integers(0, 4)) == 0:
            annotations[NGINX + "canary"] = "true"
            annotations[NGINX + "canary-weight"] = "10"
        if draw(st.integers(0, 3)) == 0:
            annotations[NGINX + "use-regex"] = "true"
        named = [h for h in hosts if h]
        out.append(_ing(ns, f"i{i}", hosts, cls=draw(st.sampled_from(["nginx", "nginx", "traefik"])),
                        tls=named[:1] if named and draw(st.booleans()) else None,
                        ts=f"2021-01-0{draw(st.integers(1, 3))}T00:00:00Z" if draw(st.booleans()) else None,
                        annotations=annotations, paths=tuple(draw(st.lists(st.sampled_from(["/", "/x", "/x/"]),
                                                                           min_size=1, max_size=2, unique=True))),
                        default_only=draw(st.integers(0, 30)) == 0))
    return out


@linux_only
def test_random_inputs_split_alike(split_small: list[bool], tmp_path: Path) -> None:
    @settings(max_examples=25, deadline=None)
    @given(docs=_ingresses())
    def check(docs: list[dict[str, Any]]) -> None:
        all_docs = [*_classes(), *_config({"add-headers": "ingress-nginx/extra"}), *docs]
        whole, split = _both(all_docs, tmp_path, f"h{len(split_small)}")
        _same(whole, split)

    check()
    assert split_small.count(True) >= 5, "too few random inputs were converted by parts: the comparison says little"


def test_what_cannot_be_split(monkeypatch: pytest.MonkeyPatch) -> None:
    docs = [*_classes(), _ing("a", "x", ["a.test"]), _ing("b", "y", ["b.test"]), _ing("c", "z", ["a.test"])]
    prepared = prepare(_raw(docs), ConvertOptions())
    assert partition.split(prepared, 3) == [[0, 2], [1]]  # a and c share a.test
    assert partition.split(prepared, 1) is None
    shared = prepare(_raw(docs), ConvertOptions(gateway_mode="shared", gateway="gw/shared"))
    assert partition.split(shared, 3) is None
    catch_all = prepare(_raw([*docs, _ing("d", "default", [], default_only=True)]), ConvertOptions())
    assert partition.split(catch_all, 3) is None
    one = prepare(_raw([*_classes(), _ing("a", "x", ["a.test"]), _ing("b", "y", ["a.test"])]), ConvertOptions())
    assert partition.split(one, 3) is None


def test_parts_checked_after_translation() -> None:
    f = partition.Facts
    assert partition.separate([f({"a.test"}, {"a"}), f({"b.test"}, {"b"})])
    assert not partition.separate([f({"a.test"}, {"a"}), f({"a.test"}, {"b"})])
    assert not partition.separate([f({"*.z.test"}, {"a"}), f({"x.z.test"}, {"b"})])
    assert partition.separate([f({"*.z.test"}, {"a"}), f({"x.y.z.test"}, {"b"})])  # one label only
    assert not partition.separate([f({"a.test"}, {"a"}, {"b"}), f({"b.test"}, {"b"})])  # a backend elsewhere
    assert not partition.separate([f({"a.test"}, {"a"}, catch_all=True), f({"b.test"}, {"b"})])
    assert partition.separate([f({None}, {"a"}, catch_all=True)])


class _Finalizing(Provider):
    name = "finalizing"

    def finalize(self, translations: list[IngressTranslation], ctx: TranslateContext) -> None:
        pass


class _Declared(_Finalizing):
    partitioned = True


def test_which_providers_take_part() -> None:
    from ing2gw_providers.f5_nginx.provider import PROVIDER as F5
    from ing2gw_providers.ingress_nginx import PROVIDER as NGINX_PROVIDER

    from ing2gw.core.classes import LayeredProvider

    assert Provider().takes_part() and GENERIC.takes_part()  # no finalize: nothing to relate Ingresses
    assert not _Finalizing().takes_part()  # its finalize may relate anything
    assert _Declared().takes_part()
    assert NGINX_PROVIDER.takes_part() and not F5.takes_part()
    assert LayeredProvider(_Finalizing(), []).takes_part() is False
    assert LayeredProvider(_Declared(), []).takes_part() is True


def test_a_conversion_of_objects_is_not_split(split_small: list[bool]) -> None:
    result = convert_objects([*_classes(), _ing("a", "x", ["a.test"]), _ing("b", "y", ["b.test"])],
                             ConvertOptions(jobs=3))
    assert split_small == [] and result.model is not None
    assert json.dumps(sorted(result.kinds.items())) == '[["Gateway", 2], ["HTTPRoute", 2]]'
