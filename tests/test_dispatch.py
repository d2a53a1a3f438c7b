"""IngressClass resolution and provider dispatch (ing2gw.core.classes), rule by rule."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ing2gw.catalogue import CatalogueProvider, build_registry
from ing2gw.core.classes import GENERIC, Dispatcher, LayeredProvider, default_class, resolve_class
from ing2gw.load.objects import parse_objects
from ing2gw.load.raw import RawObject
from ing2gw.model import Ingress, IngressClass, Notification, Outcome, Source
from ing2gw.provider import Provider


def ingress(name: str = "w", cls: str | None = None, annotations: dict[str, str] | None = None) -> Ingress:
    spec: dict[str, Any] = {"defaultBackend": {"service": {"name": "s", "port": {"number": 80}}}}
    if cls is not None:
        spec["ingressClassName"] = cls
    raw = {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
           "metadata": {"name": name, "namespace": "ns", "annotations": annotations or {}}, "spec": spec}
    return parse_objects([RawObject(raw)]).ingresses[0]


def iclass(name: str, controller: str | None, *, default: bool = False, ts: str | None = None,
           parameters: dict[str, Any] | None = None) -> IngressClass:
    return IngressClass(name, controller, parameters, default, ts, Source("IngressClass", None, name))


def provider(name: str, controllers: tuple[str, ...] = (), class_names: tuple[str, ...] = (),
             prefix: str = "", rows: tuple[tuple[str, str, str], ...] = (), extends: str = "") -> Provider:
    cls = type(f"P_{name}", (CatalogueProvider,), {"name": name, "title": name.upper(), "controllers": controllers,
                                                    "class_names": class_names, "extends": extends})
    return cls(build_registry(prefix, rows))  # type: ignore[no-any-return]


NGINX = provider("ingress-nginx", ("k8s.io/ingress-nginx",), ("nginx",), "nginx.ingress.kubernetes.io/")
F5 = provider("f5-nginx", ("nginx.org/ingress-controller",), ("nginx",), "nginx.org/",
              (("lb-method", "IMPL", "Balancing."),))
TRAEFIK = provider("traefik", ("traefik.io/ingress-controller",), ("traefik",), "traefik.ingress.kubernetes.io/")
HAPROXY = provider("haproxy-tech", ("haproxy.org/ingress-controller", "haproxy.org/ingress-controller/*"), (),
                   "haproxy.org/")
WALLARM = provider("wallarm", prefix="nginx.ingress.kubernetes.io/wallarm-", rows=(("mode", "IMPL", "WAF mode."),),
                   extends="ingress-nginx")
ALL = {p.name: p for p in (NGINX, F5, TRAEFIK, HAPROXY, WALLARM)}


def dispatch(ing: Ingress, classes: dict[str, IngressClass] | None = None,
             **kw: Any) -> tuple[Any, list[Notification]]:
    d = Dispatcher(ALL, classes or {}, **kw)
    notes: list[Notification] = []
    return d.dispatch(ing, notes), notes


def test_field_then_legacy_annotation_then_default_class() -> None:
    classes = {"a": iclass("a", "x", default=True, ts="2024-01-01T00:00:00Z")}
    assert resolve_class(ingress(cls="b"), classes, []).name == "b"
    r = resolve_class(ingress(annotations={"kubernetes.io/ingress.class": "c"}), classes, [])
    assert (r.name, r.subject) == ("c", "kubernetes.io/ingress.class")
    r = resolve_class(ingress(), classes, [])
    assert (r.name, r.subject) == ("a", "spec.ingressClassName") and "default" in r.how


def test_field_and_legacy_annotation_that_differ_are_an_error_and_the_field_wins() -> None:
    notes: list[Notification] = []
    r = resolve_class(ingress(cls="b", annotations={"kubernetes.io/ingress.class": "a"}), {}, notes)
    assert r.name == "b"
    assert [(n.outcome, n.subject) for n in notes] == [(Outcome.ERROR, "kubernetes.io/ingress.class")]


def test_newest_default_wins_ties_go_to_the_lowest_name_missing_timestamps_are_oldest() -> None:
    classes = {c.name: c for c in [iclass("old", "x", default=True, ts="2020-01-01T00:00:00Z"),
                                   iclass("b", "x", default=True, ts="2024-01-01T00:00:00Z"),
                                   iclass("a", "x", default=True, ts="2024-01-01T00:00:00Z"),
                                   iclass("none", "x", default=True),
                                   iclass("newer-but-not-default", "x", ts="2025-01-01T00:00:00Z")]}
    chosen = default_class(classes)
    assert chosen is not None and chosen.name == "a"
    assert default_class({"n": iclass("n", "x")}) is None


def test_several_defaults_are_named_in_the_statement() -> None:
    classes = {c.name: c for c in [iclass("nginx", "k8s.io/ingress-nginx", default=True, ts="2024-01-01T00:00:00Z"),
                                   iclass("public", "traefik.io/ingress-controller", default=True,
                                          ts="2025-01-01T00:00:00Z")]}
    d, notes = dispatch(ingress(), classes)
    assert d.provider is TRAEFIK and d.class_name == "public"
    assert "newest of the 2 marked default (nginx, public)" in notes[-1].message


def test_controller_of_the_ingressclass_decides_over_the_class_name() -> None:
    classes = {"nginx": iclass("nginx", "traefik.io/ingress-controller")}
    d, notes = dispatch(ingress(cls="nginx"), classes)
    assert d.provider is TRAEFIK and d.ingress_class is classes["nginx"]
    assert notes[-1].outcome is Outcome.TRANSLATED and "traefik.io/ingress-controller" in notes[-1].message


def test_controller_patterns() -> None:
    d, _ = dispatch(ingress(cls="h"), {"h": iclass("h", "haproxy.org/ingress-controller/h")})
    assert d.provider is HAPROXY
    d, _ = dispatch(ingress(cls="h"), {"h": iclass("h", "haproxy.org/ingress-controller")})
    assert d.provider is HAPROXY
    d, _ = dispatch(ingress(cls="h"), {"h": iclass("h", "haproxy.org/ingress-controllerx")})
    assert d.provider is GENERIC


def test_unknown_controller_goes_to_generic_with_a_caveat() -> None:
    d, notes = dispatch(ingress(cls="x"), {"x": iclass("x", "example.com/lb")})
    assert d.provider is GENERIC
    assert notes[-1].outcome is Outcome.CAVEAT and "example.com/lb" in notes[-1].message


def test_class_not_found_is_reported_and_converted_with_generic() -> None:
    d, notes = dispatch(ingress(cls="mystery"))
    assert d.provider is GENERIC and d.class_name == "mystery"
    assert notes[-1].outcome is Outcome.CAVEAT and "--class-provider mystery=PROVIDER" in (notes[-1].hint or "")


def test_no_class_at_all_is_stated() -> None:
    d, notes = dispatch(ingress())
    assert d.provider is GENERIC and d.class_name is None
    assert notes[-1].subject == "spec.ingressClassName" and "no class" in notes[-1].message


def test_ambiguous_class_name_prefers_the_common_controller_and_says_so() -> None:
    d, notes = dispatch(ingress(cls="nginx"))
    assert isinstance(d.provider, LayeredProvider) and d.provider.name == "ingress-nginx"
    assert notes[-1].outcome is Outcome.TRANSLATED and "F5-NGINX" in notes[-1].message


def test_ambiguous_class_name_follows_the_annotations_as_evidence() -> None:
    d, notes = dispatch(ingress(cls="nginx", annotations={"nginx.org/lb-method": "least_conn"}))
    assert d.provider is F5
    assert notes[-1].outcome is Outcome.CAVEAT and "read as F5-NGINX" in notes[-1].message


def test_provider_flag_forces_and_class_provider_maps_a_class() -> None:
    d, notes = dispatch(ingress(cls="nginx"), forced=TRAEFIK)
    assert d.provider is TRAEFIK and d.how == "--provider" and "--provider" in notes[-1].message
    d, _ = dispatch(ingress(cls="internal"), class_providers={"internal": TRAEFIK})
    assert d.provider is TRAEFIK and d.class_name == "internal"


def test_vendor_class_annotation_is_read_when_no_standard_class_is_set() -> None:
    d, notes = dispatch(ingress(annotations={"projectcontour.io/ingress.class": "traefik"}))
    assert d.provider is TRAEFIK and notes[-1].subject == "projectcontour.io/ingress.class"
    _, notes = dispatch(ingress(cls="nginx", annotations={"projectcontour.io/ingress.class": "contour"}))
    assert [n.outcome for n in notes if n.subject == "projectcontour.io/ingress.class"] == [Outcome.CAVEAT]


def test_extension_provider_adds_its_keys_to_the_base_provider() -> None:
    d, _ = dispatch(ingress(cls="nginx"), {"nginx": iclass("nginx", "k8s.io/ingress-nginx")})
    assert isinstance(d.provider, LayeredProvider)
    h = d.provider.registry.get("nginx.ingress.kubernetes.io/wallarm-mode")
    assert h is not None and h.doc == "WAF mode."
    assert d.provider.registry.owns("nginx.ingress.kubernetes.io/anything")


@pytest.mark.parametrize(("params", "outcome"), [
    ({"kind": "ConfigMap", "name": "cfg", "scope": "Namespace", "namespace": "ops"}, Outcome.UNHANDLED),
    ({"kind": "ConfigMap", "name": "cfg", "scope": "Namespace"}, Outcome.ERROR),
    ({"kind": "ConfigMap", "name": "cfg", "namespace": "ops"}, Outcome.ERROR),
    ({"name": "cfg"}, Outcome.ERROR),
])
def test_ingressclass_parameters_get_one_outcome_per_class(params: dict[str, Any], outcome: Outcome) -> None:
    classes = {"t": iclass("t", "traefik.io/ingress-controller", parameters=params)}
    disp = Dispatcher(ALL, classes)
    for name in ("a", "b"):
        disp.use(disp.dispatch(ingress(name, cls="t"), []))
    notes = disp.class_notes()
    assert [(n.outcome, n.subject, n.source.name) for n in notes] == [(outcome, "spec.parameters", "t")]


def test_generic_provider_owns_no_annotation() -> None:
    assert not GENERIC.registry.owns("example.com/x")


def test_naming_an_extension_provider_means_the_provider_it_extends() -> None:
    d, _ = dispatch(ingress(cls="nginx"), forced=WALLARM)
    assert isinstance(d.provider, LayeredProvider) and d.provider.base is NGINX
    d, _ = dispatch(ingress(cls="waf"), class_providers={"waf": WALLARM})
    assert isinstance(d.provider, LayeredProvider) and d.provider.name == "ingress-nginx"


@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c", "d", "e"]),
                          st.sampled_from([None, "2024-01-01T00:00:00Z", "2025-01-01T00:00:00Z"]), st.booleans()),
                min_size=1, max_size=5, unique_by=lambda t: t[0]), st.randoms())
def test_default_class_does_not_depend_on_input_order(specs: list[tuple[str, str | None, bool]], rnd: Any) -> None:
    classes = [iclass(n, "x", default=d, ts=ts) for n, ts, d in specs]
    shuffled = classes[:]
    rnd.shuffle(shuffled)
    a = default_class({c.name: c for c in classes})
    b = default_class({c.name: c for c in shuffled})
    assert (a.name if a else None) == (b.name if b else None)
    marked = [c for c in classes if c.is_default]
    if marked:
        assert a is not None and a.is_default
        newest = max(c.creation_timestamp or "" for c in marked)
        assert (a.creation_timestamp or "") == newest
        assert a.name == min(c.name for c in marked if (c.creation_timestamp or "") == newest)


@given(st.dictionaries(st.sampled_from(["nginx.org/lb-method", "nginx.ingress.kubernetes.io/x", "other.io/y",
                                        "traefik.ingress.kubernetes.io/router.tls"]), st.just("v"), max_size=4),
       st.sampled_from([None, "nginx", "traefik", "unknown"]))
def test_every_ingress_gets_exactly_one_class_statement(annotations: dict[str, str], cls: str | None) -> None:
    _, notes = dispatch(ingress(cls=cls, annotations=annotations))
    statements = [n for n in notes if n.subject in ("spec.ingressClassName", "kubernetes.io/ingress.class")]
    assert len(statements) == 1
