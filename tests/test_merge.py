"""The core merge, driven directly: redirects on the HTTP listener, listener scoping, passthrough, GRPC."""

from __future__ import annotations

from ing2gw.core.classes import GENERIC
from ing2gw.core.merge import GatewayPlan, build
from ing2gw.core.translate import base_translation
from ing2gw.core.versions import capabilities
from ing2gw.load.objects import parse_objects
from ing2gw.load.raw import RawObject
from ing2gw.model import Notification, RequestRedirect
from ing2gw.provider import IngressTranslation, TranslateContext


def translation(host: str = "a.example.com", tls: bool = True) -> IngressTranslation:
    spec: dict[str, object] = {"rules": [{"host": host, "http": {"paths": [
        {"path": "/", "pathType": "Prefix", "backend": {"service": {"name": "web", "port": {"number": 80}}}},
        {"path": "/grpc.Svc", "pathType": "Prefix", "backend": {"service": {"name": "g", "port": {"number": 9}}}},
    ]}}]}
    if tls:
        spec["tls"] = [{"hosts": [host], "secretName": "cert"}]
    raw = {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "w", "namespace": "ns"},
           "spec": spec}
    ing = parse_objects([RawObject(raw)]).ingresses[0]
    ctx = TranslateContext(services={}, config_maps={}, capabilities=capabilities("v1.5", "standard"))
    return base_translation(ing, GENERIC, ctx)


def run(tr: IngressTranslation) -> tuple[object, list[Notification]]:
    notes: list[Notification] = []
    model = build([GatewayPlan("ns", "gw", "cls", [tr])], shared=False, rule_names=True, notes=notes)
    return model, notes


def test_redirect_goes_on_a_route_bound_to_the_http_listener_only() -> None:
    tr = translation()
    tr.routes[0].redirect_http = 308
    model, _ = run(tr)
    routes = {r.name: r for r in model.http_routes}  # type: ignore[attr-defined]
    main, http = routes["a-example-com"], routes["a-example-com-http"]
    assert [p.section_name for p in main.parent_refs] == ["https-a-example-com"]
    assert [p.section_name for p in http.parent_refs] == ["http-a-example-com"]
    redirect = next(r for r in http.rules if not r.backends)
    assert isinstance(redirect.filters[0], RequestRedirect) and redirect.filters[0].status_code == 308
    assert any(r.backends for r in http.rules)  # the other path still serves plain HTTP


def test_redirect_without_tls_still_redirects_plain_http() -> None:
    tr = translation(tls=False)
    for r in tr.routes:
        r.redirect_http = 308
    model, _ = run(tr)
    (route,) = model.http_routes  # type: ignore[attr-defined]
    assert all(not r.backends and isinstance(r.filters[0], RequestRedirect) for r in route.rules)


def test_passthrough_becomes_a_tls_listener_and_tlsroute() -> None:
    tr = translation()
    tr.passthrough = True
    model, _ = run(tr)
    (tls,) = model.tls_routes  # type: ignore[attr-defined]
    (gw,) = model.gateways  # type: ignore[attr-defined]
    assert tls.hostnames == ("a.example.com",)
    assert [(lst.protocol, lst.tls.mode if lst.tls else None) for lst in gw.listeners] == [("TLS", "Passthrough")]
    assert not model.http_routes  # type: ignore[attr-defined]


def test_grpc_paths_become_a_grpcroute_with_service_matches() -> None:
    tr = translation()
    tr.routes[1].protocol = "GRPC"
    model, _ = run(tr)
    (g,) = model.grpc_routes  # type: ignore[attr-defined]
    assert g.rules[0].matches[0].service == "grpc.Svc"
    assert [r.matches[0].path.value for r in model.http_routes[0].rules] == ["/"]  # type: ignore[attr-defined]


def test_grpc_filters_lost_are_stated_on_their_own_outcome_or_a_new_one() -> None:
    from ing2gw.core.merge import _amend_outcomes
    from ing2gw.model import Notification, Outcome, Source

    annotated = Source("Ingress", "ns", "web", annotation="example.com/rewrite")
    field = Source("Ingress", "ns", "web", field="spec.rules[0].http.paths[0]")
    setting = Source("ConfigMap", "ops", "controller", field="data.cors")
    notes = [Notification(Outcome.TRANSLATED, "example.com/rewrite", "rewritten", annotated),
             Notification(Outcome.TRANSLATED, "spec.rules[0].http.paths[0]", "became a rule", field)]
    _amend_outcomes(notes, {}, {annotated: {"URLRewrite"}, field: {"CORS"}, setting: {"CORS"}})
    assert [(n.outcome, n.subject) for n in notes] == [(Outcome.UNSUPPORTED, "example.com/rewrite"),
                                                       (Outcome.UNSUPPORTED, "spec.rules[0].http.paths[0]"),
                                                       (Outcome.UNSUPPORTED, "data.cors")]
    assert all("GRPCRoute has no" in n.message for n in notes)
