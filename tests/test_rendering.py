"""convert_yaml (objects emitted, validated and rendered one by one, shared across workers) gives exactly what
convert gives: the same text, notifications, validation report and counts."""

from __future__ import annotations

import os
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from verify.verify_helpers import ingress

from bench.generate import generate, write
from ing2gw import parallel
from ing2gw.api import ConversionResult, ConvertOptions, convert, convert_yaml
from ing2gw.cli import main
from ing2gw.emitter import EmitPart, EmitResult
from ing2gw.emitters.standard import StandardEmitter
from ing2gw.errors import InternalError

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")


@pytest.fixture
def cluster(tmp_path: Path) -> str:
    path = tmp_path / "in.yaml"
    with open(path, "w", encoding="utf-8") as fh:
        write(generate(60, seed=7), fh)
    return str(path)


def _same(streamed: ConversionResult, eager: ConversionResult) -> None:
    assert streamed.objects == [] and streamed.documents is not None
    assert streamed.render() == eager.render()
    assert streamed.notifications == eager.notifications
    assert any(n.emitted for n in streamed.notifications), "no notification says where its element went"
    assert streamed.kinds == Counter(o["kind"] for o in eager.objects) and streamed.kinds["HTTPRoute"] > 40
    s, e = streamed.validation, eager.validation
    assert (s.checked, s.findings, s.skipped) == (e.checked, e.findings, e.skipped) and s.checked == len(eager.objects)


@linux_only
@pytest.mark.usefixtures("small_shares")
@pytest.mark.parametrize("jobs", [1, 3])
def test_rendered_part_by_part_equals_convert(cluster: str, jobs: int, monkeypatch: pytest.MonkeyPatch) -> None:
    forks = []
    real_fork = os.fork

    def counting_fork() -> int:
        forks.append(1)
        return real_fork()

    monkeypatch.setattr(parallel.os, "fork", counting_fork)
    options = ConvertOptions(jobs=jobs, validate=True)
    eager = convert([cluster], ConvertOptions(jobs=1, validate=True))
    forks.clear()
    _same(convert_yaml([cluster], options), eager)
    assert bool(forks) == (jobs > 1), "the parts were not shared among workers as planned"


def test_keep_objects_gives_convert_s_objects_and_their_text(cluster: str) -> None:
    eager = convert([cluster], ConvertOptions(jobs=1))
    kept = convert_yaml([cluster], ConvertOptions(jobs=1), keep_objects=60)  # 60 Ingresses: kept
    assert kept.objects == eager.objects and kept.render() == eager.render()
    assert kept.documents is not None and len(kept.documents) == len(eager.objects)
    assert kept.notifications == eager.notifications


def test_an_invalid_part_stops_the_conversion_before_anything_is_written(
        cluster: str, monkeypatch: pytest.MonkeyPatch) -> None:
    real = StandardEmitter.emit_parts

    def broken() -> EmitResult:
        route = {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
                 "metadata": {"name": "broken", "namespace": "ns"},
                 "spec": {"rules": [{"matches": [{"path": {"type": "PathPrefix", "value": "no-slash"}}]}]}}
        return EmitResult(objects=[route])

    def with_a_bad_one(self: Any, model: Any, options: Any) -> list[EmitPart]:
        return [*real(self, model, options), EmitPart("HTTPRoute", broken)]

    monkeypatch.setattr(StandardEmitter, "emit_parts", with_a_bad_one)
    with pytest.raises(InternalError, match=r"HTTPRoute ns/broken.*|Nothing was written") as info:
        convert_yaml([cluster], ConvertOptions(jobs=1, validate=True))
    assert "Nothing was written" in str(info.value) and "ns/broken" in str(info.value)


def test_gateway_classes_in_the_input_keep_the_objects(tmp_path: Path) -> None:
    """Their supported features are checked against every object, so the objects are emitted at once."""
    path = tmp_path / "in.yaml"
    path.write_text("""\
apiVersion: gateway.networking.k8s.io/v1
kind: GatewayClass
metadata: {name: nginx}
spec: {controllerName: example.com/gw}
status:
  supportedFeatures: [{name: Gateway}, {name: HTTPRoute}]
""" + ingress("web", "shop.example.com", [("/api", "Prefix", "api:80")], namespace="shop",
              ann={"rewrite-target": "/"}), encoding="utf-8")
    eager = convert([str(path)])
    kept = convert_yaml([str(path)])
    assert kept.objects == eager.objects != [] and kept.render() == eager.render()
    assert kept.notifications == eager.notifications
    assert any("HTTPRoutePathRewrite" in n.message for n in kept.notifications if n.source.kind == "GatewayClass")


def test_an_emitter_without_parts_is_emitted_at_once(cluster: str) -> None:
    options = ConvertOptions(emitter="envoy-gateway", jobs=1)
    eager = convert([cluster], options)
    rendered = convert_yaml([cluster], options)
    assert rendered.objects == eager.objects != [] and rendered.render() == eager.render()
    assert any(o["apiVersion"].startswith("gateway.envoyproxy.io/") for o in rendered.objects)


def test_cli_output_and_summary_are_the_same_whether_objects_are_kept(
        cluster: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from ing2gw.commands import convert as command

    kept = CliRunner().invoke(main, ["convert", "--jobs", "1", "-f", cluster])
    monkeypatch.setattr(command, "VERIFY_SUMMARY_LIMIT", 5)  # now part by part, even with the summary
    rendered = CliRunner().invoke(main, ["convert", "--jobs", "1", "-f", cluster])
    quiet = CliRunner().invoke(main, ["convert", "-q", "--jobs", "1", "-f", cluster])
    as_json = CliRunner().invoke(main, ["convert", "-q", "-o", "json", "--jobs", "1", "-f", cluster])
    assert kept.exit_code == rendered.exit_code == quiet.exit_code == as_json.exit_code
    assert kept.stdout == rendered.stdout == quiet.stdout and kept.stdout.count("kind: HTTPRoute") > 40
    assert as_json.stdout.count('"kind": "HTTPRoute"') == kept.stdout.count("kind: HTTPRoute")
    first = kept.stderr.splitlines()[0]
    assert first.startswith("ing2gw: 60 Ingress(es) in, ") and first == rendered.stderr.splitlines()[0]
    assert "verify: not run for 60 Ingresses" in rendered.stderr and "verify: not run" not in kept.stderr


@pytest.mark.parametrize("jobs", [1, 3])
def test_unusual_parts_are_assembled_like_joined_results(jobs: int, small_shares: None) -> None:
    """Parts with several objects, objects outside the CRDs, findings, notifications and shared locations."""
    from ing2gw.emitter import join_results
    from ing2gw.model import Notification, Outcome, Source
    from ing2gw.output import render_yaml_document
    from ing2gw.rendering import render_parts
    from ing2gw.validate import Validator, load_crd_set

    crds = load_crd_set(version="v1.5", channel="standard")
    assert crds is not None

    def route(i: int, path: str = "/") -> dict[str, Any]:
        return {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
                "metadata": {"name": f"r{i}", "namespace": "ns"},
                "spec": {"rules": [{"matches": [{"path": {"type": "PathPrefix", "value": path}}]}]}}

    src = Source("Ingress", "ns", "web")
    key = ("Ingress ns/web", "spec.rules[0]")

    def part(i: int) -> EmitPart:
        def build() -> EmitResult:
            if i % 5 == 1:  # two objects, one outside the CRD set, and a notification
                return EmitResult(objects=[route(i), {"apiVersion": "v1", "kind": "Service", "metadata": {"name": f"s{i}"}}],
                                  notifications=[Notification(Outcome.CAVEAT, "x", f"note {i}", src)],
                                  locations={key: [f"HTTPRoute ns/r{i}"]})
            if i % 5 == 3:
                return EmitResult(objects=[route(i, "no-slash")], consumed={f"req{i}": Notification(
                    Outcome.TRANSLATED, "y", "carried", src)})
            return EmitResult(objects=[route(i)], locations={key: [f"HTTPRoute ns/r{i} spec.rules[0]"],
                                                             (f"Ingress ns/w{i}", "spec"): [f"HTTPRoute ns/r{i}"]})
        return EmitPart("HTTPRoute", build)

    parts = [part(i) for i in range(23)]
    got = render_parts(parts, Validator(crds), jobs)
    joined = join_results(p.build() for p in parts)
    want = Validator(crds).validate(joined.objects)
    assert list(got.documents) == [render_yaml_document(o) for o in joined.objects]
    assert got.kinds == Counter(o["kind"] for o in joined.objects) == Counter(HTTPRoute=23, Service=5)
    assert got.emitted.notifications == joined.notifications and len(joined.notifications) == 5
    # A key named by one part keeps that part's places as they came (a tuple), one named by several a list.
    assert {k: list(v) for k, v in got.emitted.locations.items()} == {k: list(v) for k, v in joined.locations.items()}
    assert len(joined.locations) == 15 and isinstance(joined.locations[key], list)
    assert joined.locations[("Ingress ns/w0", "spec")] == ("HTTPRoute ns/r0",)
    assert got.emitted.consumed == joined.consumed
    assert got.validation is not None and len(want.errors) == 4
    assert (got.validation.checked, got.validation.findings, got.validation.skipped) == \
        (want.checked, want.findings, want.skipped)


def _parts(n: int) -> list[EmitPart]:
    def part(i: int) -> EmitPart:
        return EmitPart("HTTPRoute", lambda: EmitResult(objects=[
            {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
             "metadata": {"name": f"r{i}", "namespace": "ns", "annotations": {"note": "é" * (i % 3)}},
             "spec": {"hostnames": [f"h{i}.example.com"]}}]))
    return [part(i) for i in range(n)]


def _spools() -> set[str]:
    import tempfile

    return {p.name for p in Path(tempfile.gettempdir()).glob("ing2gw-spool-*")}


@pytest.mark.parametrize("jobs", [1, 3])
def test_spooled_documents_are_the_rendered_ones_and_leave_no_file(jobs: int, small_shares: None) -> None:
    from ing2gw.rendering import render_parts
    from ing2gw.spool import SpooledDocuments

    before = _spools()
    in_memory = render_parts(_parts(30), None, jobs, spooled=False).documents
    spooled = render_parts(_parts(30), None, jobs).documents
    assert isinstance(spooled, SpooledDocuments) and isinstance(in_memory, list)
    assert list(spooled) == in_memory and len(spooled) == 30 and spooled[-1] == in_memory[-1]
    assert spooled[3:5] == in_memory[3:5] and "é" in spooled[1]
    assert _spools() == before, "the spool directory was left behind"


def test_a_document_the_spool_cannot_take_stays_in_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    from ing2gw import spool
    from ing2gw.rendering import render_parts

    real = os.pwrite
    calls = []

    def flaky(fd: int, data: bytes, offset: int) -> int:
        calls.append(1)
        if len(calls) % 3 == 0:
            raise OSError(28, "No space left on device")
        return real(fd, data[: max(1, len(data) // 2)], offset)  # short writes too

    monkeypatch.setattr(spool.os, "pwrite", flaky)
    want = render_parts(_parts(12), None, 1, spooled=False).documents
    assert list(render_parts(_parts(12), None, 1).documents) == want
    monkeypatch.setattr(spool.tempfile, "mkdtemp", lambda **kw: (_ for _ in ()).throw(OSError(13, "denied")))
    assert render_parts(_parts(12), None, 1).documents == want  # no spool at all: a plain list


def test_a_failing_part_leaves_no_spool_behind() -> None:
    from ing2gw.rendering import render_parts

    def boom() -> EmitResult:
        raise RuntimeError("emitter bug")

    before = _spools()
    with pytest.raises(RuntimeError, match="emitter bug"):
        render_parts([*_parts(5), EmitPart("HTTPRoute", boom)], None, 1)
    assert _spools() == before


@given(st.integers(1, 2**22), st.integers(0, 2**40 - 1), st.integers(0, 2**40 - 1))
def test_where_a_document_is_packs_and_unpacks(pid: int, offset: int, length: int) -> None:
    from ing2gw.spool import unpack, where

    assert unpack(where(pid, offset, length)) == (pid, offset, length)


def test_a_document_beyond_the_offsets_a_number_holds_stays_in_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    from ing2gw import spool
    from ing2gw.rendering import render_parts

    want = render_parts(_parts(12), None, 1, spooled=False).documents
    monkeypatch.setattr(spool, "_LIMIT", 2 * len(want[0]) + 10)  # room for the first documents only
    got = render_parts(_parts(12), None, 1).documents
    assert isinstance(got, spool.SpooledDocuments) and list(got) == want
    assert 0 < len(got._inline) < 12  # noqa: SLF001 - some in the file, the rest in memory
