"""Every deliberately invalid object (testdata/validate/invalid/) is rejected with the rule's message at
the right field path, and with nothing else."""

from __future__ import annotations

from functools import cache

import pytest
import yaml
from validate_support import VALIDATE_DATA, needs_crds

from ing2gw.validate import Validator, load_crd_set

A = "test.ing2gw.io/"
DOCS = [d for d in yaml.safe_load_all((VALIDATE_DATA / "invalid" / "objects.yaml").read_text()) if d]


@cache
def validator(version: str, channel: str) -> Validator:
    crds = load_crd_set(version=version, channel=channel)
    assert crds is not None
    return Validator(crds)


@needs_crds
@pytest.mark.parametrize("doc", DOCS, ids=[d["metadata"]["name"] for d in DOCS])
def test_invalid_object_is_rejected_with_its_message(doc: dict) -> None:
    ann = doc["metadata"]["annotations"]
    v = validator(ann.get(A + "version", "v1.5"), ann.get(A + "channel", "standard"))
    findings, covered = v.validate_one(doc)
    assert covered
    errors = [f for f in findings if f.is_error]
    assert errors, f"{doc['metadata']['name']} was accepted"
    expected = (ann[A + "path"], ann[A + "message"])
    assert any(f.path == expected[0] and expected[1] in f.message for f in errors), \
        f"expected {expected}, got {[(f.path, f.message) for f in errors]}"
    # Each object is invalid in one way only: no stray findings elsewhere (a rule of an enclosing field may
    # repeat an enum check, and a type error adds the API server's "rules were not checked" note).
    assert all(expected[0].startswith(f.path) or f.path.startswith(expected[0]) for f in errors), \
        [str(f) for f in errors]
    assert not [f for f in findings if not f.is_error]


@needs_crds
def test_the_corpus_is_valid_once_repaired() -> None:
    """A control: the same route without its defect passes, so the corpus tests rules, not noise."""
    doc = next(d for d in DOCS if d["metadata"]["name"] == "redirect-with-backends")
    fixed = {**doc, "spec": {**doc["spec"], "rules": [{"filters": doc["spec"]["rules"][0]["filters"]}]}}
    findings, _ = validator("v1.5", "standard").validate_one(fixed)
    assert findings == []


@needs_crds
def test_total_matches_over_128() -> None:
    rules = [{"matches": [{"path": {"type": "PathPrefix", "value": f"/r{r}m{m}"}} for m in range(64)],
              "backendRefs": [{"name": "web", "port": 80}]} for r in range(3)]
    route = {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
             "metadata": {"name": "many-matches", "namespace": "x"}, "spec": {"rules": rules}}
    findings, _ = validator("v1.5", "standard").validate_one(route)
    assert [(f.path, f.message[:40]) for f in findings] == [
        ("spec.rules", "While 16 rules and 64 matches per rule a")]
    route["spec"]["rules"] = rules[:2]  # exactly 128
    assert validator("v1.5", "standard").validate_one(route)[0] == []


def test_elements_that_never_repeat_stop_being_remembered_with_the_same_findings(monkeypatch) -> None:
    from ing2gw.validate import Validator, load_crd_set
    from ing2gw.validate import schema as sc

    crds = load_crd_set(version="v1.5", channel="standard")
    assert crds is not None

    def route(i: int) -> dict:
        path = "no-slash" if i % 17 == 16 else f"/p{i}"  # invalid now and then, also after the trial
        return {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
                "metadata": {"name": f"r{i}", "namespace": "ns"},
                "spec": {"parentRefs": [{"name": "gw"}],
                         "rules": [{"matches": [{"path": {"type": "PathPrefix", "value": path}}],
                                    "backendRefs": [{"name": "svc", "port": 80}]}]}}

    routes = [route(i) for i in range(120)]
    reports = {}
    for trial in (10**9, 20):  # remembered throughout; then only what repeats after 20 lookups
        monkeypatch.setattr(sc, "_MEMO_TRIAL", trial)
        monkeypatch.setattr(sc, "_memo_tries", {})
        monkeypatch.setattr(sc, "_not_memoized", set())
        monkeypatch.setattr(sc, "_CLEAN", {})
        reports[trial] = Validator(crds).validate(routes)
        if trial == 20:
            assert len(sc._not_memoized) >= 1, "unique route rules should have stopped being remembered"
            assert len(sc._not_memoized) < len(sc._memo_tries), "repeated parentRefs/backendRefs stay remembered"
    assert reports[20].findings == reports[10**9].findings and len(reports[20].errors) == 7
