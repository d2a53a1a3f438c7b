"""The core merge, driven directly: redirects on the HTTP listener, listener scoping, passthrough, GRPC."""

from __future__ import annotations

import yaml
from verify.verify_helpers import ingress

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


def _with_host(doc: str, host: str, path: str, service: str) -> str:
    """``doc`` (one Ingress as YAML) with one more rule."""
    ing = yaml.safe_load(doc)
    ing["spec"]["rules"].append({"host": host, "http": {"paths": [{"path": path, "pathType": "Prefix", "backend": {
        "service": {"name": service, "port": {"number": 80}}}}]}})
    return "---\n" + yaml.safe_dump(ing)


SHARED_CLASSES = (
    ingress("fallback", namespace="a", paths=None, default_backend="web:80", ts="2024-01-01T00:00:00Z")
    + ingress("fallback2", namespace="b", paths=None, default_backend="web2:80", ts="2025-01-01T00:00:00Z",
              cls="nginx-internal")
    + ingress("internal", "api.example.com", [("/api", "Prefix", "api:80")], namespace="b", cls=None,
              ann={"kubernetes.io/ingress.class": "nginx-internal"})
    + _with_host(ingress("public", "api.example.com", [("/pub", "Prefix", "pub:80")], namespace="c"),
                 "only-public.example.com", "/", "pub"))


def _shared_statements(tmp_path, text: str, *args: str) -> dict[str, list[Notification]]:
    from ing2gw.api import ConvertOptions, convert

    path = tmp_path / "in.yaml"
    path.write_text(text, encoding="utf-8")
    opts = ConvertOptions(gateway_mode="shared", gateway="infra/gw") if "shared" in args else ConvertOptions()
    out: dict[str, list[Notification]] = {}
    for n in convert([str(path)], opts).notifications:
        if "share Gateway" in n.message or "older Ingress" in n.message:
            out.setdefault(f"{n.source.namespace}/{n.source.name}", []).append(n)
    return out


def test_classes_sharing_one_gateway_are_stated_on_each_ingress_concerned(tmp_path) -> None:
    said = _shared_statements(tmp_path, SHARED_CLASSES, "shared")
    assert sorted(said) == ["a/fallback", "b/fallback2", "b/internal", "c/public"]
    (fallback,) = said["a/fallback"]
    assert fallback.subject == "spec.ingressClassName" and fallback.outcome.value == "translated-with-caveat"
    assert "share Gateway infra/gw" in fallback.message
    assert "(catch-all) of class nginx now also answers the requests of class nginx-internal" in fallback.message
    # the younger defaultBackend gets no rule: told so once, naming the other class, not as a catch-all
    (loser,) = said["b/fallback2"]
    assert loser.subject == "spec.defaultBackend" and "older Ingress a/fallback" in loser.message
    assert "shared with class nginx, whose controller had its own catch-all" in loser.message
    (internal,) = said["b/internal"]
    assert internal.subject == "kubernetes.io/ingress.class" and internal.source.annotation == internal.subject
    assert "host api.example.com is also served by class nginx (Ingress c/public)" in internal.message
    (public,) = said["c/public"]
    assert "host api.example.com is also served by class nginx-internal (Ingress b/internal)" in public.message
    assert "only-public" not in public.message  # a host of one class only is not shared


def test_one_class_per_gateway_states_no_sharing(tmp_path) -> None:
    assert _shared_statements(tmp_path, SHARED_CLASSES) == {}  # per-namespace: one Gateway per namespace and class
    one_class = SHARED_CLASSES.replace("nginx-internal", "nginx")
    said = _shared_statements(tmp_path, one_class, "shared")
    assert list(said) == ["b/fallback2"] and "as with the controller, which uses only the oldest" in \
        said["b/fallback2"][0].message


def test_a_shared_passthrough_listener_admits_the_tlsroute_s_namespace(tmp_path) -> None:
    """The TLS listener of a host admits the namespace of its TLSRoute, not those of the host's HTTP routes
    (which refused the TLSRoute: passthrough traffic was lost on a shared Gateway)."""
    from ing2gw.api import ConvertOptions, convert

    path = tmp_path / "in.yaml"
    passthrough = {"ssl-passthrough": "true"}
    path.write_text(ingress("pass", "api.example.com", [("/", "Prefix", "tls:443")], namespace="a", ann=passthrough)
                    + ingress("web", "api.example.com", [("/api", "Prefix", "api:80")], namespace="b")
                    + ingress("only-tls", "db.example.com", [("/", "Prefix", "db:443")], namespace="c",
                              ann=passthrough), encoding="utf-8")
    result = convert([str(path)], ConvertOptions(gateway_mode="shared", gateway="infra/gw", channel="experimental"))
    (gw,) = [o for o in result.objects if o["kind"] == "Gateway"]
    admitted = {(lst["protocol"], lst["hostname"]):
                lst["allowedRoutes"]["namespaces"]["selector"]["matchExpressions"][0]["values"]
                for lst in gw["spec"]["listeners"] if "allowedRoutes" in lst}
    # a passthrough-only host admitted nothing but the Gateway's own namespace ("Same") before
    assert admitted == {("TLS", "api.example.com"): ["a"], ("HTTP", "api.example.com"): ["b"],
                        ("TLS", "db.example.com"): ["c"]}
    assert {o["metadata"]["namespace"] for o in result.objects if o["kind"] == "TLSRoute"} == {"a", "c"}
