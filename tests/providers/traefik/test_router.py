"""router.py: router.* keys on the Ingress, and the listener choice across Ingresses."""

from __future__ import annotations

from ing2gw.model import Outcome


def sections(r):
    return sorted(p.get("sectionName") for o in r.objects("HTTPRoute") for p in o["spec"]["parentRefs"])


def test_no_annotation_serves_both_listeners(traefik):
    assert sections(traefik(tls=True)) == ["http-shop-example-com", "https-shop-example-com"]


def test_router_tls_attaches_to_https_only(traefik):
    r = traefik({"router.tls": "true"}, tls=True)
    assert sections(r) == ["https-shop-example-com"]
    assert r.outcome("router.tls") is Outcome.TRANSLATED


def test_router_tls_without_certificate_stays_on_http_with_a_caveat(traefik):
    r = traefik({"router.tls": "true"})
    assert sections(r) == ["http-shop-example-com"]
    n = r.note("router.tls")
    assert n.outcome is Outcome.CAVEAT and "no certificate" in n.message


def test_router_tls_certificate_from_another_ingress_of_the_namespace(traefik, make_ingress):
    other = make_ingress(name="certs", tls=True, paths=(("/other", "Exact"),))
    r = traefik({"router.tls": "true"}, extra=[other])
    assert r.outcome("router.tls") is Outcome.TRANSLATED


def test_router_tls_false_and_sub_keys(traefik):
    assert traefik({"router.tls": "false"}).outcome("router.tls") is Outcome.NOT_ROUTING
    r = traefik({"router.tls": "false", "router.tls.options": "shop-modern@kubernetescrd"}, tls=True)
    assert sections(r) == ["https-shop-example-com"]
    assert r.outcome("router.tls") is Outcome.TRANSLATED
    assert traefik({"router.tls": "maybe"}).outcome("router.tls") is Outcome.ERROR


def test_entrypoints(traefik):
    r = traefik({"router.entrypoints": "web"}, tls=True)
    assert sections(r) == ["http-shop-example-com"]
    assert r.outcome("router.entrypoints") is Outcome.TRANSLATED
    r = traefik({"router.entrypoints": "websecure"}, tls=True)
    assert sections(r) == ["https-shop-example-com"]
    r = traefik({"router.entrypoints": "web,websecure"}, tls=True)
    assert len(sections(r)) == 2
    r = traefik({"router.entrypoints": "internal"}, tls=True)
    assert r.outcome("router.entrypoints") is Outcome.CAVEAT and len(sections(r)) == 2
    r = traefik({"router.entrypoints": "internal"}, tls=True, config={"entryPoints.internal.http.tls": "true"})
    assert sections(r) == ["https-shop-example-com"]
    assert traefik({"router.entrypoints": " , "}).outcome("router.entrypoints") is Outcome.ERROR


def test_middlewares_requirement(traefik):
    r = traefik({"router.middlewares": "shop-strip-api@kubernetescrd,auth@file,other_mw@kubernetescrd"})
    assert r.outcome("router.middlewares") is Outcome.NEEDS_EMITTER
    req = r.req("traefik-middleware")
    assert req.params["level"] == "router"
    assert req.params["middlewares"] == [
        {"ref": "shop-strip-api@kubernetescrd", "provider": "kubernetescrd", "namespace": "shop", "name": "strip-api"},
        {"ref": "auth@file", "provider": "file", "namespace": None, "name": None},
        {"ref": "other_mw@kubernetescrd", "provider": "kubernetescrd", "namespace": "other", "name": "mw"},
    ]
    assert "auth@file" in r.note("router.middlewares").message
    assert traefik({"router.middlewares": "a b"}).outcome("router.middlewares") is Outcome.ERROR


def test_priority_and_rulesyntax(traefik):
    assert traefik({"router.priority": "42"}).outcome("router.priority") is Outcome.UNSUPPORTED
    assert traefik({"router.priority": "0"}).outcome("router.priority") is Outcome.NOT_ROUTING
    assert traefik({"router.priority": "high"}).outcome("router.priority") is Outcome.ERROR
    assert traefik({"router.rulesyntax": "v2"}).outcome("router.rulesyntax") is Outcome.NOT_ROUTING
    assert traefik({"router.rulesyntax": "v4"}).outcome("router.rulesyntax") is Outcome.ERROR


def test_certresolver_and_domains(traefik):
    r = traefik({"router.tls.certresolver": "le", "router.tls.domains.0.main": "example.com",
                 "router.tls.domains.0.sans": "a.example.com,b.example.com"})
    assert r.outcome("router.tls.certresolver") is Outcome.UNSUPPORTED
    assert "no certificate" in r.note("router.tls.certresolver").message
    assert r.outcome("router.tls.domains.0.main") is Outcome.NOT_ROUTING
    assert r.outcome("router.tls.domains.0.sans") is Outcome.NOT_ROUTING
    assert traefik({"router.tls.domains.1.main": ""}).outcome("router.tls.domains.1.main") is Outcome.ERROR


def test_tls_options(traefik):
    r = traefik({"router.tls.options": "shop-modern@kubernetescrd"}, tls=True)
    assert r.outcome("router.tls.options") is Outcome.NEEDS_EMITTER
    req = r.req("traefik-tls-options")
    assert req.params["namespace"] == "shop" and req.params["name"] == "modern"
    assert req.params["hosts"] == ["shop.example.com"] and req.target == "gateway"


def test_observability(traefik):
    r = traefik({"router.observability.accesslogs": "false", "router.observability.tracing": "false",
                 "router.observability.metrics": "false", "router.observability.traceVerbosity": "detailed"})
    assert r.outcome("router.observability.accesslogs") is Outcome.NEEDS_EMITTER
    assert r.req("access-log").params == {"enabled": False}
    assert r.outcome("router.observability.tracing") is Outcome.NEEDS_EMITTER
    assert r.req("tracing").params["enabled"] is False
    assert r.outcome("router.observability.metrics") is Outcome.NOT_ROUTING
    assert r.outcome("router.observability.traceVerbosity") is Outcome.UNSUPPORTED
    r = traefik({"router.observability.accesslogs": "true", "router.observability.traceverbosity": "minimal"})
    assert r.outcome("router.observability.accesslogs") is Outcome.TRANSLATED
    assert r.outcome("router.observability.traceverbosity") is Outcome.TRANSLATED
    assert traefik({"router.observability.tracing": "yes"}).outcome("router.observability.tracing") is Outcome.ERROR


def test_default_backend_only_without_rules(make_ingress, convert):
    ing = make_ingress()
    ing["spec"]["defaultBackend"] = {"service": {"name": "fallback", "port": {"number": 80}}}
    r = convert([ing])
    assert r.outcome("spec.defaultBackend") is Outcome.NOT_ROUTING
    assert "fallback" not in str(r.objects("HTTPRoute"))
    ing["spec"].pop("rules")
    r = convert([ing])
    assert r.outcome("spec.defaultBackend") is Outcome.TRANSLATED
    assert "fallback" in str(r.objects("HTTPRoute"))


def test_certificate_of_another_class_does_not_count(traefik, make_ingress):
    other = make_ingress(name="certs", tls=True, paths=(("/other", "Exact"),))
    other["spec"]["ingressClassName"] = "traefik-internal"
    cls = {"apiVersion": "networking.k8s.io/v1", "kind": "IngressClass", "metadata": {"name": "traefik-internal"},
           "spec": {"controller": "traefik.io/ingress-controller"}}
    r = traefik({"router.tls": "true"}, extra=[other, cls])
    assert r.result.dispatch[("shop", "certs")] == ("traefik-internal", "traefik")
    assert r.outcome("router.tls") is Outcome.CAVEAT
    assert all(p.get("sectionName", "").startswith("http-") for o in r.objects("HTTPRoute")
               for p in o["spec"]["parentRefs"] if o["metadata"]["annotations"]["ing2gw.io/source"] == "Ingress shop/web")
