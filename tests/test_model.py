"""The intermediate model's helpers."""

from __future__ import annotations

import dataclasses

import pytest

from ing2gw.model import Notification, Outcome, Source, evolve


def test_evolve_is_dataclasses_replace() -> None:
    src = Source("Ingress", "ns", "a", file="f.yaml", doc=2, line=7, field="spec")
    n = Notification(Outcome.CAVEAT, "x", "message", src, hint="h")
    for obj, changes in ((n, {"emitted": ("HTTPRoute ns/a",), "subject": "y"}), (n, {})):
        got = evolve(obj, **changes)
        assert got == dataclasses.replace(obj, **changes)  # type: ignore[type-var]
        assert got is not obj and type(got) is type(obj)
    # A Source's constructor takes the object's parts, not its Origin: dataclasses.replace cannot copy it.
    assert evolve(src, field=None) == Source("Ingress", "ns", "a", file="f.yaml", doc=2, line=7)
    with pytest.raises(TypeError, match="no field"):
        evolve(src, nope=1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        evolve(src).field = "b"  # type: ignore[misc]


def test_source_shares_its_object_and_reads_like_its_fields() -> None:
    src = Source("Ingress", "ns", "a", file="f.yaml", doc=2, path_prefix="items[1]", line=7)
    ann = src.at(annotation="example.com/x")
    assert (ann.kind, ann.namespace, ann.name, ann.file, ann.doc, ann.path_prefix, ann.line) == (
        "Ingress", "ns", "a", "f.yaml", 2, "items[1]", 7)
    assert (ann.field, ann.annotation) == ("metadata.annotations[example.com/x]", "example.com/x")
    assert ann.origin is src.origin and ann != src and ann.at() == src
    assert src.at() is src and ann.at(annotation="example.com/x") is ann  # nothing to change: itself
    assert ann.ref == "Ingress ns/a" and Source("IngressClass", None, "c").ref == "IngressClass c"
    assert hash(ann) == hash(Source("Ingress", "ns", "a", file="f.yaml", doc=2, path_prefix="items[1]", line=7,
                                    field="metadata.annotations[example.com/x]", annotation="example.com/x"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        ann.field = "spec"  # type: ignore[misc]
