"""The intermediate model's helpers."""

from __future__ import annotations

import dataclasses

import pytest

from ing2gw.model import Notification, Outcome, Source, evolve


def test_evolve_is_dataclasses_replace() -> None:
    src = Source("Ingress", "ns", "a", file="f.yaml", doc=2, line=7, field="spec")
    n = Notification(Outcome.CAVEAT, "x", "message", src, hint="h")
    for obj, changes in ((src, {"field": None}), (n, {"emitted": ("HTTPRoute ns/a",), "subject": "y"}), (n, {})):
        got = evolve(obj, **changes)
        assert got == dataclasses.replace(obj, **changes)  # type: ignore[type-var]
        assert got is not obj and type(got) is type(obj)
    with pytest.raises(TypeError, match="no field"):
        evolve(src, nope=1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        evolve(src).name = "b"  # type: ignore[misc]
