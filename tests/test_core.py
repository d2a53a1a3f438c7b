"""Core semantics: class resolution, names, precedence, merging, version gating."""

from __future__ import annotations

import io

import pytest

from ing2gw.api import ConvertOptions, convert
from ing2gw.core.classes import default_class, resolve_class
from ing2gw.core.names import NameSet, fit, slug
from ing2gw.core.paths import normalise_prefix, precedence_key
from ing2gw.core.versions import capabilities, parse_version
from ing2gw.model import IngressClass, PathMatch, RouteMatch, Source


def run(text: str, **opts: object) -> object:
    return convert(["-"], ConvertOptions(**opts), stdin=io.BytesIO(text.encode()))  # type: ignore[arg-type]


def ic(name: str, ts: str, default: bool = True) -> IngressClass:
    return IngressClass(name, "k8s.io/ingress-nginx", None, default, ts, Source("IngressClass", None, name))


def test_newest_default_class_wins_ties_to_lowest_name() -> None:
    classes = {c.name: c for c in [ic("old", "2020-01-01T00:00:00Z"), ic("b", "2024-01-01T00:00:00Z"),
                                   ic("a", "2024-01-01T00:00:00Z"), ic("x", "2025-01-01T00:00:00Z", False)]}
    chosen = default_class(classes)
    assert chosen is not None and chosen.name == "a"


def test_class_annotation_and_field_that_differ_are_an_error() -> None:
    from ing2gw.load.objects import parse_objects
    from ing2gw.load.raw import RawObject

    raw = {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
           "metadata": {"name": "w", "annotations": {"kubernetes.io/ingress.class": "a"}},
           "spec": {"ingressClassName": "b", "defaultBackend": {"service": {"name": "s", "port": {"number": 1}}}}}
    ing = parse_objects([RawObject(raw)]).ingresses[0]
    notes: list = []
    r = resolve_class(ing, {}, notes)
    assert (r.name, r.how, r.subject) == ("b", "spec.ingressClassName", "spec.ingressClassName")
    assert notes[0].outcome.value == "error"


def test_names_are_valid_unique_and_bounded() -> None:
    assert slug("*.Shop.example.com") == "wildcard-shop-example-com"
    ns = NameSet(20)
    names = [ns.take("a-very-long-name-that-goes-on") for _ in range(3)]
    assert len(set(names)) == 3 and all(len(n) <= 20 for n in names)
    assert fit("x" * 300) != fit("x" * 301)


def test_prefix_normalisation_keeps_ingress_precedence() -> None:
    assert normalise_prefix("/foo/") == "/foo"
    assert normalise_prefix("/") == "/"
    exact = RouteMatch(PathMatch("Exact", "/foo"))
    prefix = RouteMatch(PathMatch("PathPrefix", normalise_prefix("/foo/")))
    longer = RouteMatch(PathMatch("PathPrefix", "/foo/bar"))
    assert sorted([prefix, exact, longer], key=precedence_key) == [longer, exact, prefix]


@pytest.mark.parametrize("text,want", [("1.5", "v1.5"), ("v1.6.1", "v1.6"), ("v1.2", "v1.2")])
def test_parse_version(text: str, want: str) -> None:
    assert parse_version(text) == want


def test_capabilities_by_version_and_channel() -> None:
    assert 308 not in capabilities("v1.4", "standard").redirect_codes
    assert capabilities("v1.3", "experimental").cors and not capabilities("v1.4", "standard").cors
    assert capabilities("v1.2", "standard").tls_route is None
    assert capabilities("v1.5", "standard").reference_grant.endswith("/v1")


INGS = """apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: newer, namespace: ns, creationTimestamp: "2024-06-01T00:00:00Z"}
spec:
  rules:
  - host: a.example.com
    http:
      paths:
      - {path: /x, pathType: Prefix, backend: {service: {name: newer, port: {number: 80}}}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: older, namespace: ns, creationTimestamp: "2023-06-01T00:00:00Z"}
spec:
  defaultBackend: {service: {name: fallback, port: {number: 80}}}
  rules:
  - host: a.example.com
    http:
      paths:
      - {path: /x/, pathType: Prefix, backend: {service: {name: older, port: {number: 80}}}}
"""


def test_oldest_ingress_keeps_a_shared_path_and_default_backend_fills_the_rest() -> None:
    result = run(INGS)
    routes = [o for o in result.objects if o["kind"] == "HTTPRoute"]  # type: ignore[attr-defined]
    assert len(routes) == 1
    rules = routes[0]["spec"]["rules"]
    backends = {r["matches"][0]["path"]["value"]: r["backendRefs"][0]["name"] for r in rules}
    assert backends == {"/x": "older", "/": "fallback"}
    conflict = [n for n in result.notifications if "also declared" in n.message]  # type: ignore[attr-defined]
    assert len(conflict) == 1 and conflict[0].source.name == "newer"


def test_output_is_identical_across_runs() -> None:
    a = run(INGS).render()  # type: ignore[attr-defined]
    b = run(INGS).render()  # type: ignore[attr-defined]
    assert a == b and a.startswith("---\napiVersion: gateway.networking.k8s.io/v1\nkind: Gateway\n")
