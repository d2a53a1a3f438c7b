"""Deliberately broken translations must be detected: each mutation of a correct hand-written translation
makes at least one probe differ (with nothing excused, as no conversion notifications are passed)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from ing2gw.api import ConvertOptions
from ing2gw.load import load_paths
from ing2gw.load.objects import parse_objects
from ing2gw.verify.run import VerifyReport, run_verify

CASE = Path(__file__).resolve().parents[2] / "testdata" / "verify" / "mutation"
Objects = list[dict[str, Any]]


def _verify(objects: Objects) -> VerifyReport:
    inputs = parse_objects(load_paths([str(CASE / "ingresses.yaml")]).objects)
    return run_verify(inputs, objects, ConvertOptions(), None)


def _objects() -> Objects:
    return [d for d in yaml.safe_load_all((CASE / "gateway-api.yaml").read_text()) if d]


def _route(objs: Objects, name: str) -> dict[str, Any]:
    return next(o for o in objs if o["kind"] == "HTTPRoute" and o["metadata"]["name"] == name)


def _rule(objs: Objects, route: str, index: int) -> dict[str, Any]:
    rule: dict[str, Any] = _route(objs, route)["spec"]["rules"][index]
    return rule


def swap_backends(o: Objects) -> None:
    a, b = _rule(o, "shop", 0), _rule(o, "shop", 1)
    a["backendRefs"], b["backendRefs"] = b["backendRefs"], a["backendRefs"]


def drop_redirect(o: Objects) -> None:
    o.remove(_route(o, "shop-http"))


def weaken_redirect_code(o: Objects) -> None:
    _rule(o, "shop-http", 0)["filters"][0]["requestRedirect"]["statusCode"] = 302


def widen_prefix(o: Objects) -> None:
    _rule(o, "plain", 1)["matches"][0]["path"]["value"] = "/"


def exact_to_prefix(o: Objects) -> None:
    _rule(o, "shop", 0)["matches"][0]["path"]["type"] = "PathPrefix"


def prefix_to_string_regex(o: Objects) -> None:
    _rule(o, "shop", 1)["matches"][0]["path"] = {"type": "RegularExpression", "value": "^/api"}


def lose_canary_header(o: Objects) -> None:
    del _route(o, "shop")["spec"]["rules"][2]


def change_canary_weight(o: Objects) -> None:
    _rule(o, "shop", 4)["backendRefs"][1]["weight"] = 50


def wrong_port(o: Objects) -> None:
    _rule(o, "plain", 1)["backendRefs"][0]["port"] = 80


def detach_route(o: Objects) -> None:
    _route(o, "plain")["spec"]["parentRefs"][0]["sectionName"] = "http-shop"


MUTATIONS: list[Callable[[Objects], None]] = [
    swap_backends, drop_redirect, weaken_redirect_code, widen_prefix, exact_to_prefix, prefix_to_string_regex,
    lose_canary_header, change_canary_weight, wrong_port, detach_route,
]


def test_the_correct_translation_is_the_same_for_every_probe() -> None:
    report = _verify(_objects())
    assert len(report.results) > 30
    assert report.counts["same"] == len(report.results), [r.probe.label() for r in report.results
                                                          if r.verdict != "same"]


@pytest.mark.parametrize("mutation", MUTATIONS, ids=lambda m: m.__name__)
def test_mutation_is_detected(mutation: Callable[[Objects], None]) -> None:
    objs = copy.deepcopy(_objects())
    mutation(objs)
    report = _verify(objs)
    assert report.differing, f"{mutation.__name__} was not detected"


def _leaves(obj: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(obj, dict):
        return [p for k, v in obj.items() for p in _leaves(v, (*path, k))] + [path]
    if isinstance(obj, list):
        return [p for i, v in enumerate(obj) for p in _leaves(v, (*path, i))] + [path]
    return [path]


JUNK = st.sampled_from([None, 7, -1, "x", "", True, [], {}, ["a"], {"a": 1}, 1.5])


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_malformed_gateway_objects_never_crash_the_engine(data: st.DataObject) -> None:
    objs = _objects()
    for _ in range(data.draw(st.integers(1, 4))):
        doc = data.draw(st.integers(0, len(objs) - 1))
        leaves = [p for p in _leaves(objs[doc]) if p]
        path = data.draw(st.sampled_from(leaves))
        target: Any = objs[doc]
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = copy.deepcopy(data.draw(JUNK))
    report = _verify(objs)
    assert len(report.results) > 0
