"""service.py: service.* keys read from the Service, implied HTTPS, and the same keys on an Ingress."""

from __future__ import annotations

from ing2gw.model import Outcome


def rules(r):
    return [rule for o in r.objects("HTTPRoute") for rule in o["spec"]["rules"]]


def test_service_keys_on_an_ingress_have_no_effect(traefik):
    r = traefik({"service.sticky.cookie": "true", "service.serversscheme": "https"})
    assert r.outcome("service.sticky.cookie") is Outcome.NOT_ROUTING
    assert r.outcome("service.serversscheme") is Outcome.NOT_ROUTING
    assert r.objects("BackendTLSPolicy") == []


def test_serversscheme(traefik):
    r = traefik(svc={"service.serversscheme": "https"})
    n = r.note("service.serversscheme")
    assert n.outcome is Outcome.CAVEAT and n.source.kind == "Service"
    pol = r.objects("BackendTLSPolicy")[0]
    assert pol["spec"]["validation"] == {"wellKnownCACertificates": "System", "hostname": "app.shop.svc"}
    assert traefik(svc={"service.serversscheme": "http"}).outcome("service.serversscheme") is Outcome.TRANSLATED
    assert traefik(svc={"service.serversscheme": "h2c"}).outcome("service.serversscheme") is Outcome.UNSUPPORTED
    assert traefik(svc={"service.serversscheme": "ftp"}).outcome("service.serversscheme") is Outcome.ERROR


def test_https_implied_by_port_443_or_name(traefik, make_ingress, make_service, convert):
    r = convert([make_ingress(port=443), make_service(ports=((443, None),))])
    assert r.outcome("spec.ports[0]") is Outcome.CAVEAT
    assert len(r.objects("BackendTLSPolicy")) == 1
    r = convert([make_ingress(port=8443), make_service(ports=((80, "http"), (8443, "https-admin")))])
    pol = r.objects("BackendTLSPolicy")[0]
    assert pol["spec"]["targetRefs"][0]["sectionName"] == "https-admin"
    r = convert([make_ingress(port=443), make_service({"service.serversscheme": "http"}, ports=((443, None),))])
    assert r.objects("BackendTLSPolicy") == []


def test_passhostheader(traefik):
    r = traefik(svc={"service.passhostheader": "false"})
    assert r.outcome("service.passhostheader") is Outcome.CAVEAT
    assert rules(r)[0]["filters"] == [{"type": "URLRewrite", "urlRewrite": {"hostname": "app.shop.svc"}}]
    r = traefik(svc={"service.passhostheader": "true"})
    assert r.outcome("service.passhostheader") is Outcome.TRANSLATED and "filters" not in rules(r)[0]


def test_sticky_experimental_channel(traefik):
    r = traefik(svc={"service.sticky.cookie": "true", "service.sticky.cookie.name": "srv",
                     "service.sticky.cookie.maxage": "3600", "service.sticky.cookie.secure": "true",
                     "service.sticky.cookie.samesite": "lax"}, channel="experimental")
    assert rules(r)[0]["sessionPersistence"] == {"type": "Cookie", "sessionName": "srv", "absoluteTimeout": "3600s",
                                                 "cookieConfig": {"lifetimeType": "Permanent"}}
    assert r.outcome("service.sticky.cookie") is Outcome.TRANSLATED
    assert r.outcome("service.sticky.cookie.name") is Outcome.TRANSLATED
    assert r.outcome("service.sticky.cookie.maxage") is Outcome.TRANSLATED
    assert r.outcome("service.sticky.cookie.secure") is Outcome.UNSUPPORTED
    assert r.outcome("service.sticky.cookie.samesite") is Outcome.UNSUPPORTED


def test_sticky_sub_key_alone_enables_it(traefik):
    r = traefik(svc={"service.sticky.cookie.name": "srv"}, channel="experimental")
    assert rules(r)[0]["sessionPersistence"] == {"type": "Cookie", "sessionName": "srv"}


def test_sticky_standard_channel_is_one_requirement(traefik):
    r = traefik(svc={"service.sticky.cookie": "true", "service.sticky.cookie.httponly": "true",
                     "service.sticky.cookie.domain": "example.com"})
    req = r.req("session-affinity")
    assert req.params["http_only"] is True and req.params["domain"] == "example.com"
    for k in ("service.sticky.cookie", "service.sticky.cookie.httponly", "service.sticky.cookie.domain"):
        n = r.note(k)
        assert n.outcome is Outcome.NEEDS_EMITTER and n.requirement == req.id
    assert "sessionPersistence" not in rules(r)[0]


def test_sticky_off_and_bad_values(traefik):
    assert traefik(svc={"service.sticky.cookie": "false"}).outcome("service.sticky.cookie") is Outcome.NOT_ROUTING
    r = traefik(svc={"service.sticky.cookie": "true", "service.sticky.cookie.samesite": "sometimes"},
                channel="experimental")
    assert r.outcome("service.sticky.cookie.samesite") is Outcome.ERROR
    assert r.outcome("service.sticky.cookie") is Outcome.TRANSLATED


def test_nativelb_nodeportlb(traefik, make_ingress, make_service, convert):
    r = traefik(svc={"service.nativelb": "true"})
    assert r.outcome("service.nativelb") is Outcome.NEEDS_EMITTER
    assert r.req("service-upstream").params == {"enabled": True}
    assert traefik(svc={"service.nativelb": "false"}).outcome("service.nativelb") is Outcome.TRANSLATED
    r = traefik(svc={"service.nodeportlb": "true"})
    assert r.outcome("service.nodeportlb") is Outcome.NOT_ROUTING and "not NodePort" in r.note("service.nodeportlb").message
    r = convert([make_ingress(), make_service({"service.nodeportlb": "true"}, type_="NodePort")])
    assert r.outcome("service.nodeportlb") is Outcome.NOT_ROUTING


def test_service_middlewares_and_transport(traefik):
    r = traefik(svc={"service.middlewares": "shop-retry@kubernetescrd",
                     "service.serverstransport": "shop-internal@kubernetescrd"})
    mw = r.req("traefik-middleware")
    assert mw.params["level"] == "service" and mw.params["service"] == "app"
    assert mw.params["middlewares"][0]["name"] == "retry"
    st = r.req("traefik-servers-transport")
    assert st.params["name"] == "internal" and st.params["service"] == "app"
    assert r.outcome("service.middlewares") is Outcome.NEEDS_EMITTER


def test_service_used_by_two_ingresses_is_reported_once(traefik, make_ingress):
    other = make_ingress(name="second", host="api.example.com")
    r = traefik(svc={"service.passhostheader": "false"}, extra=[other])
    assert r.outcome("service.passhostheader") is Outcome.CAVEAT
    assert all(rule["filters"][0]["type"] == "URLRewrite" for rule in rules(r))
    assert len(rules(r)) == 2


def test_router_keys_and_unknown_keys_on_a_service(traefik):
    r = traefik(svc={"router.tls": "true", "service.bogus": "1"})
    assert r.outcome("router.tls") is Outcome.NOT_ROUTING
    assert r.outcome("service.bogus") is Outcome.UNHANDLED


def test_port_443_without_the_service(make_ingress, convert):
    r = convert([make_ingress(port=443)])
    assert r.outcome("spec.rules[0].http.paths[0].backend.service.port.number") is Outcome.CAVEAT
    assert r.objects("BackendTLSPolicy")[0]["spec"]["targetRefs"][0]["name"] == "app"
