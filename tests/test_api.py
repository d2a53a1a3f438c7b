"""Library-level behaviour of ing2gw.api that the CLI tests do not show."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from ing2gw import api


def test_fewer_gc_pauses_stops_the_collector_and_restores_it_even_on_error() -> None:
    assert gc.isenabled()
    with pytest.raises(RuntimeError), api.fewer_gc_pauses():
        assert not gc.isenabled()
        raise RuntimeError
    assert gc.isenabled()
    gc.disable()
    try:
        with api.fewer_gc_pauses():
            pass
        assert not gc.isenabled()  # a caller that had it off keeps it off
    finally:
        gc.enable()


def test_convert_objects_leaves_the_callers_list_alone_and_run_consumes_only_when_asked() -> None:
    from ing2gw.core.pipeline import run
    from ing2gw.load.raw import RawObject

    ing = {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "a", "namespace": "n"},
           "spec": {"defaultBackend": {"service": {"name": "s", "port": {"number": 80}}}}}
    mine = [ing]
    result = api.convert_objects(mine, api.ConvertOptions(validate=False))
    assert mine == [ing] and any(o["kind"] == "HTTPRoute" for o in result.objects)
    owned = [RawObject(ing)]
    again = run(owned, api.ConvertOptions(validate=False), consume=True)
    assert owned == [] and again.objects == result.objects


def test_report_and_diff_run_without_collector_pauses(monkeypatch: pytest.MonkeyPatch) -> None:
    """What they build is as large as the conversion: the collector's passes over it were most of the time."""
    import ing2gw.report.build as build

    seen: list[bool] = []
    real = build.build_report

    def spy(result: api.ConversionResult) -> object:
        seen.append(gc.isenabled())
        return real(result)

    monkeypatch.setattr(build, "build_report", spy)
    example = str(Path(__file__).parent.parent / "testdata" / "examples" / "shop")
    assert gc.isenabled()
    api.report(api.convert([example]))
    api.diff([example], api.ConvertOptions(jobs=1), base_paths=[example])  # both sides here, not in a worker
    assert seen == [False, False, False]
    assert gc.isenabled()
