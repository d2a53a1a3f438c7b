"""The intermediate model's helpers."""

from __future__ import annotations

import dataclasses
import os
import pickle
import subprocess
import sys

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


def test_equal_sources_hash_alike_wherever_they_were_made() -> None:
    a = Source("Ingress", "ns", "a", file="f.yaml", doc=2, line=7).at(field="spec.rules[0]")
    b = Source("Ingress", "ns", "a", file="f.yaml", doc=2, line=7, field="spec.rules[0]")
    c = Source("Ingress", "ns", "a", file="f.yaml", doc=3, line=7, field="spec.rules[0]")
    assert a == b and hash(a) == hash(b) and a.origin is not b.origin
    assert a != c and len({a, b, c}) == 2


def test_a_source_unpickled_hashes_with_this_process_hashes() -> None:
    src = Source("Ingress", "ns", "a", file="f.yaml", line=7, annotation="x", field="metadata.annotations[x]")
    copy = pickle.loads(pickle.dumps(src, protocol=pickle.HIGHEST_PROTOCOL))
    assert copy == src and hash(copy) == hash(src)
    # In a process with other string hashes, the cached hash is that process's own (it is not sent along).
    check = ("import pickle, sys; from ing2gw.model import Source; got = pickle.loads(sys.stdin.buffer.read()); "
             "made = Source('Ingress', 'ns', 'a', file='f.yaml', line=7, annotation='x', "
             "field='metadata.annotations[x]'); print(got == made and hash(got) == hash(made) and made in {got})")
    for seed in ("1", "2"):
        out = subprocess.run([sys.executable, "-c", check], input=pickle.dumps(src), capture_output=True,
                             check=True, env={**os.environ, "PYTHONHASHSEED": seed})
        assert out.stdout.strip() == b"True"


def test_notifications_pickle_as_their_values() -> None:
    src = Source(kind="Ingress", namespace="ns", name="web", file="a.yaml", doc=2, field="spec.rules[0]")
    n = Notification(Outcome.CAVEAT, "spec.rules[0]", "a message", src, hint="h", features=("F",),
                     emitted=("HTTPRoute ns/web spec.rules[0]",), requirement="cors:Ingress/ns/web:1")
    copy = pickle.loads(pickle.dumps([n, n.source.at(annotation="x")], protocol=pickle.HIGHEST_PROTOCOL))
    assert copy[0] == n and hash(copy[0].source) == hash(src)
    assert copy[1].origin is copy[0].source.origin  # one origin per object, as before pickling
