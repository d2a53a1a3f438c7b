"""Target emitters: valid objects for each implementation's CRDs, precise attachment, nothing lost."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from ing2gw import plugins
from ing2gw.core.pipeline import _consumed
from ing2gw.core.versions import BUNDLES
from ing2gw.model import (
    BackendRef,
    HTTPRoute,
    Notification,
    Outcome,
    PathMatch,
    RouteMatch,
    RouteRule,
)

from .model import ALL, ingress_source, model, options, requirement
from .schema import errors, schemas

TARGETS = ["envoy-gateway", "kgateway", "nginx-gateway-fabric", "istio", "traefik"]
TARGETS_CASES = [("v1.5", "standard"), ("v1.3", "standard"), ("v1.4", "experimental")]

# What each emitter carries of the ALL model (Istio with its ext-authz provider setting, snippets allowed).
EXPECTED = {
    "envoy-gateway": {"rate-limit", "ip-allow", "ip-deny", "external-auth", "basic-auth", "cors", "body-size-limit",
                      "retry", "backend-timeouts", "session-affinity", "header-regex-rewrite", "response-buffering"},
    "kgateway": {"ip-allow", "ip-deny", "external-auth", "basic-auth", "cors", "body-size-limit", "retry",
                 "backend-timeouts", "session-affinity", "header-regex-rewrite", "backend-tls", "response-buffering"},
    "nginx-gateway-fabric": {"body-size-limit", "backend-timeouts", "response-buffering", "load-balancing",
                             "basic-auth", "snippet"},
    "istio": {"ip-allow", "ip-deny", "external-auth", "session-affinity", "backend-tls", "response-buffering"},
    "traefik": {"connection-limit", "ip-allow", "external-auth", "basic-auth", "body-size-limit", "cors",
                "header-regex-rewrite", "retry", "response-buffering"},
}
SETTINGS = {"istio.extAuthzProvider": "ext-authz"}


def emit(name: str, m: Any, version: str = "v1.5", channel: str = "standard", snippets: bool = True,
         **settings: str) -> Any:
    return plugins.emitter(name).emit(m, options(version, channel, allow_snippets=snippets, **settings))


@pytest.mark.parametrize("version,channel", TARGETS_CASES)
@pytest.mark.parametrize("name", TARGETS)
def test_objects_validate_against_crds(name: str, version: str, channel: str) -> None:
    e = plugins.emitter(name)
    result = emit(name, model(*ALL), version, channel, **SETTINGS)
    table = schemas(e.target_versions, BUNDLES[version], channel)
    problems = [err for obj in result.objects for err in errors(obj, table)]
    assert problems == []
    kinds = {o["kind"] for o in result.objects}
    assert kinds - {"Gateway", "HTTPRoute"}, "no target object was emitted"
    assert kinds <= {"Gateway", "HTTPRoute", *e.kinds}


@pytest.mark.parametrize("name", TARGETS)
def test_consumes_what_it_can_and_reports_the_rest_by_name(name: str) -> None:
    result = emit(name, model(*ALL), **SETTINGS)
    consumed = {rid.rsplit("-", 1)[0] for rid in result.consumed}
    assert consumed == EXPECTED[name]
    assert consumed <= set(plugins.emitter(name).consumes())
    # The pipeline's view: each annotation that waited on a requirement gets the emitter's outcome, or keeps
    # its needs-target-emitter outcome under its own name.
    for q in ALL:
        waiting = Notification(Outcome.NEEDS_EMITTER, q.source.annotation or "", "waiting", q.source, requirement=q.id)
        done = _consumed(waiting, result.consumed)
        assert done.subject == q.source.annotation
        if q.feature in EXPECTED[name]:
            assert done.outcome in (Outcome.TRANSLATED, Outcome.CAVEAT)
            assert done.emitted and done.requirement == q.id
            assert q.feature in done.message
        else:
            assert done is waiting


def test_every_annotation_of_a_shared_requirement_keeps_its_own_name() -> None:
    q = ALL[0]
    result = emit("envoy-gateway", model(q))
    burst = q.source.at(annotation="nginx.ingress.kubernetes.io/limit-burst-multiplier")
    note = _consumed(Notification(Outcome.NEEDS_EMITTER, burst.annotation or "", "x", burst, requirement=q.id),
                      result.consumed)
    assert note.subject == "nginx.ingress.kubernetes.io/limit-burst-multiplier"
    assert note.source == burst
    assert note.outcome is Outcome.CAVEAT


def _targets(result: Any, kind: str) -> list[dict[str, Any]]:
    out = []
    for o in result.objects:
        if o["kind"] == kind:
            out += o["spec"].get("targetRefs") or [o["spec"]["targetRef"]]
    return out


@pytest.mark.parametrize("name,kind", [("envoy-gateway", "BackendTrafficPolicy"), ("envoy-gateway", "SecurityPolicy"),
                                       ("kgateway", "TrafficPolicy")])
def test_policies_attach_to_the_rule_by_section_name(name: str, kind: str) -> None:
    result = emit(name, model(*ALL))
    refs = _targets(result, kind)
    assert refs == [{"group": "gateway.networking.k8s.io", "kind": "HTTPRoute", "name": "shop-example-com",
                     "sectionName": "web"}]


def test_without_rule_names_the_route_is_the_target_and_the_caveat_says_it_is_wider() -> None:
    q = requirement("body-size-limit", {"bytes": 1024})
    result = emit("envoy-gateway", model(q), version="v1.3")
    assert _targets(result, "BackendTrafficPolicy") == [
        {"group": "gateway.networking.k8s.io", "kind": "HTTPRoute", "name": "shop-example-com"}]
    note = result.consumed[q.id]
    assert note.outcome is Outcome.CAVEAT
    assert "also applies to 1 other rule" in note.message
    # A route whose rules all carry the requirement is not wider.
    alone = emit("envoy-gateway", model(q, other_rule=False), version="v1.3")
    assert "other rule" not in alone.consumed[q.id].message


def test_nginx_gateway_fabric_route_policies_say_they_are_wider() -> None:
    q = requirement("body-size-limit", {"bytes": 8 * 1024 * 1024})
    result = emit("nginx-gateway-fabric", model(q))
    (csp,) = [o for o in result.objects if o["kind"] == "ClientSettingsPolicy"]
    assert csp["spec"] == {"targetRef": {"group": "gateway.networking.k8s.io", "kind": "HTTPRoute",
                                         "name": "shop-example-com"}, "body": {"maxSize": "8m"}}
    assert "no rule-level attachment" in result.consumed[q.id].message


def test_traefik_middlewares_go_onto_the_rule_only() -> None:
    result = emit("traefik", model(*ALL))
    (route,) = [o for o in result.objects if o["kind"] == "HTTPRoute"]
    web, other = route["spec"]["rules"]
    assert "filters" not in other
    names = [f["extensionRef"]["name"] for f in web["filters"]]
    middlewares = {o["metadata"]["name"] for o in result.objects if o["kind"] == "Middleware"}
    assert set(names) == middlewares
    assert all(f["type"] == "ExtensionRef" and f["extensionRef"]["group"] == "traefik.io" for f in web["filters"])
    # nginx's phase order: CORS preflight, then limits, then access lists and authentication
    assert names.index("web-cors") < names.index("web-in-flight") < names.index("web-ip-allow") < \
        names.index("web-basic-auth") < names.index("web-forward-auth")
    assert list(web) == ["name", "matches", "filters", "backendRefs"]


def test_snippets_only_with_allow_snippets() -> None:
    q = requirement("snippet", {"context": "location", "text": "add_header X-A b;"}, annotation="configuration-snippet")
    without = emit("nginx-gateway-fabric", model(q), snippets=False)
    assert q.id not in without.consumed
    assert not [o for o in without.objects if o["kind"] == "SnippetsFilter"]
    assert "filters" not in without.objects[1]["spec"]["rules"][0]
    with_ = emit("nginx-gateway-fabric", model(q), snippets=True)
    (sf,) = [o for o in with_.objects if o["kind"] == "SnippetsFilter"]
    assert sf["spec"]["snippets"] == [{"context": "http.server.location", "value": "add_header X-A b;"}]
    assert with_.consumed[q.id].outcome is Outcome.CAVEAT


def test_istio_external_auth_needs_the_provider_setting() -> None:
    q = ALL[4]
    assert q.feature == "external-auth"
    assert q.id not in emit("istio", model(q)).consumed
    result = emit("istio", model(q), **SETTINGS)
    (ap,) = [o for o in result.objects if o["kind"] == "AuthorizationPolicy"]
    assert ap["spec"]["action"] == "CUSTOM" and ap["spec"]["provider"] == {"name": "ext-authz"}
    assert ap["spec"]["rules"] == [{"to": [{"operation": {"hosts": ["shop.example.com", "shop.example.com:*"],
                                                          "paths": ["/app", "/app/*"]}}]}]


def test_istio_allow_list_denies_outsiders_of_this_rule_only() -> None:
    q = requirement("ip-allow", {"cidrs": ["10.0.0.0/8"]})
    (ap,) = [o for o in emit("istio", model(q)).objects if o["kind"] == "AuthorizationPolicy"]
    assert ap["spec"]["action"] == "DENY"  # an ALLOW policy would close every other route of the Gateway
    assert ap["spec"]["rules"][0]["from"] == [{"source": {"notRemoteIpBlocks": ["10.0.0.0/8"]}}]
    assert ap["spec"]["targetRefs"] == [{"group": "gateway.networking.k8s.io", "kind": "Gateway", "name": "nginx"}]


def test_conflicting_settings_on_one_target_leave_the_later_one_reported() -> None:
    web = requirement("body-size-limit", {"bytes": 1024}, ingress="web")
    other = requirement("body-size-limit", {"bytes": 2048}, ingress="other")
    m = model(web)
    route = m.http_routes[0]
    rules = (route.rules[0], dataclasses.replace(route.rules[1], requirements=(other,)))
    m.http_routes[0] = dataclasses.replace(route, rules=rules)
    m.requirements.append(other)
    result = emit("nginx-gateway-fabric", m)  # both land on the one route-wide ClientSettingsPolicy
    assert set(result.consumed) == {other.id}
    assert [o["spec"]["body"] for o in result.objects if o["kind"] == "ClientSettingsPolicy"] == [{"maxSize": "2k"}]


def test_a_requirement_that_fails_on_one_rule_leaves_nothing_behind() -> None:
    # "first" (body 1k) sits on rule other; "second" (body 2k) on rules web and other: it conflicts on other,
    # so the policy it already created for rule web must go again.
    first = requirement("body-size-limit", {"bytes": 1024}, ingress="a-first")
    second = requirement("body-size-limit", {"bytes": 2048}, ingress="b-second")
    m = model()
    route = m.http_routes[0]
    rules = (dataclasses.replace(route.rules[0], requirements=(second,)),
             dataclasses.replace(route.rules[1], requirements=(first, second)))
    m.http_routes[0] = dataclasses.replace(route, rules=rules)
    m.requirements += [first, second]
    result = emit("envoy-gateway", m)
    assert set(result.consumed) == {first.id}
    assert _targets(result, "BackendTrafficPolicy") == [
        {"group": "gateway.networking.k8s.io", "kind": "HTTPRoute", "name": "shop-example-com",
         "sectionName": "other"}]


def test_traefik_rollback_removes_the_filter_too() -> None:
    q = requirement("header-regex-rewrite", {"pattern": "^/a/(.*)", "substitution": "/\\1"})
    m = model(q)
    route = m.http_routes[0]
    # 16 filters already on rule "other", which the requirement also applies to: no room for one more
    from ing2gw.model import ExtensionRef
    full = tuple(ExtensionRef(ingress_source("web"), "example.com", "F", f"f{i}") for i in range(16))
    rules = (route.rules[0], dataclasses.replace(route.rules[1], requirements=(q,), filters=full))
    m.http_routes[0] = dataclasses.replace(route, rules=rules)
    result = emit("traefik", m)
    assert q.id not in result.consumed
    assert not [o for o in result.objects if o["kind"] == "Middleware"]
    assert "filters" not in result.objects[1]["spec"]["rules"][0]


def test_route_or_gateway_targeted_requirements_apply_to_the_rules_of_their_ingress() -> None:
    q = requirement("ip-allow", {"cidrs": ["10.0.0.0/8"]}, target="route")
    result = emit("envoy-gateway", model(q))
    assert q.id in result.consumed
    assert _targets(result, "SecurityPolicy")[0]["sectionName"] == "web"


def test_service_policies_say_they_are_wider() -> None:
    q = ALL[7]
    assert q.feature == "session-affinity"
    for name, kind in (("kgateway", "BackendConfigPolicy"), ("istio", "DestinationRule")):
        result = emit(name, model(q))
        (obj,) = [o for o in result.objects if o["kind"] == kind]
        assert obj["metadata"]["name"] == "app"
        assert "every" in result.consumed[q.id].message and "(app)" in result.consumed[q.id].message


def test_core_retry_is_not_doubled() -> None:
    q = requirement("retry", {"conditions": ["error", "http_502"], "attempts": 3, "timeout": None})
    m = model(q)
    from ing2gw.model import Retry
    route = m.http_routes[0]
    m.http_routes[0] = dataclasses.replace(route, rules=(dataclasses.replace(route.rules[0], retry=Retry(2, (502,))),
                                                         route.rules[1]))
    for name in ("envoy-gateway", "kgateway", "traefik"):
        assert q.id not in emit(name, m, channel="experimental").consumed
        assert q.id in emit(name, m, channel="standard").consumed


def test_output_is_deterministic_and_shares_no_dicts() -> None:
    import yaml

    for name in TARGETS:
        a = emit(name, model(*ALL), **SETTINGS)
        b = emit(name, model(*ALL), **SETTINGS)
        assert a.objects == b.objects
        text = yaml.safe_dump_all(a.objects)
        assert "&id" not in text and "*id" not in text


def test_grpc_rules_are_targeted_by_route() -> None:
    from ing2gw.model import GRPCMethodMatch, GRPCRoute, GRPCRouteRule, ParentRef

    q = requirement("ip-allow", {"cidrs": ["10.0.0.0/8"]})
    m = model()
    m.grpc_routes.append(GRPCRoute("shop", "grpc", (ParentRef("nginx"),), ("g.example.com",),
                                   (GRPCRouteRule((GRPCMethodMatch("pkg.Svc"),), (BackendRef("g", 9000),),
                                                  (ingress_source("web"),), requirements=(q,)),), ()))
    m.requirements.append(q)
    result = emit("envoy-gateway", m)
    assert _targets(result, "SecurityPolicy") == [{"group": "gateway.networking.k8s.io", "kind": "GRPCRoute",
                                                   "name": "grpc"}]


def test_one_policy_per_rule_at_scale() -> None:
    """2,000 Ingresses' rules on one route: each gets its own policy, naming its own rule."""
    reqs = [requirement("body-size-limit", {"bytes": 1024 + i}, ingress=f"i{i}") for i in range(2000)]
    rules = tuple(RouteRule(matches=(RouteMatch(path=PathMatch("PathPrefix", f"/p{i}")),),
                            backends=(BackendRef("app", 80),), sources=(ingress_source(f"i{i}"),),
                            requirements=(reqs[i],), name=f"i{i}") for i in range(2000))
    m = model()
    m.http_routes[0] = HTTPRoute("shop", "big", m.http_routes[0].parent_refs, (), rules, ())
    m.requirements = reqs
    result = emit("envoy-gateway", m)
    assert len(result.consumed) == 2000
    btps = [o for o in result.objects if o["kind"] == "BackendTrafficPolicy"]
    sections = [o["spec"]["targetRefs"][0]["sectionName"] for o in btps]
    assert sorted(sections) == sorted(f"i{i}" for i in range(2000))
    assert all(o["metadata"]["name"] == f"big-{s}" for o, s in zip(btps, sections, strict=True))


def _https_model(*reqs: Any) -> Any:
    from ing2gw.model import Listener, ListenerTLS, ParentRef, SecretRef

    m = model(*reqs)
    gw = m.gateways[0]
    web = ingress_source("web")
    listeners = (Listener("http", 80, "HTTP", None, (web,)),
                 Listener("https-shop", 443, "HTTPS", "shop.example.com", (web,),
                          tls=ListenerTLS(certificate_refs=(SecretRef("shop-tls"),))))
    m.gateways[0] = dataclasses.replace(gw, listeners=listeners)
    route = m.http_routes[0]
    m.http_routes[0] = dataclasses.replace(route, parent_refs=(ParentRef("nginx", section_name="https-shop"),))
    return m


def test_envoy_client_settings_attach_to_the_https_listener() -> None:
    tls = requirement("tls-settings", {"ciphers": "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256",
                                       "protocols": "TLSv1.2 TLSv1.3", "hosts": ["shop.example.com"]},
                      target="gateway", annotation="ssl-ciphers")
    cert = requirement("client-certificate", {"ca_secret": "shop/client-ca", "mode": "optional", "depth": 1,
                                              "pass_to_upstream": True, "hosts": ["shop.example.com"]},
                       target="gateway", annotation="auth-tls-secret")
    result = emit("envoy-gateway", _https_model(tls, cert))
    (ctp,) = [o for o in result.objects if o["kind"] == "ClientTrafficPolicy"]
    assert ctp["spec"]["targetRefs"] == [{"group": "gateway.networking.k8s.io", "kind": "Gateway", "name": "nginx",
                                          "sectionName": "https-shop"}]
    assert ctp["spec"]["tls"] == {
        "minVersion": "1.2", "maxVersion": "1.3",
        "ciphers": ["ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256"],
        "clientValidation": {"caCertificateRefs": [{"group": "", "kind": "Secret", "name": "client-ca"}],
                             "mode": "VerifyIfGiven"}}
    assert "X-Forwarded-Client-Cert" in result.consumed[cert.id].message
    table = schemas(plugins.emitter("envoy-gateway").target_versions, "v1.5.1", "standard")
    assert errors(ctp, table) == []
    # OpenSSL cipher keywords have no Envoy equivalent: left reported
    keywords = requirement("tls-settings", {"ciphers": "HIGH:!aNULL", "protocols": None}, target="gateway",
                           annotation="ssl-ciphers")
    assert keywords.id not in emit("envoy-gateway", _https_model(keywords)).consumed
    # no HTTPS listener: nothing to attach to
    assert tls.id not in emit("envoy-gateway", model(tls)).consumed


def test_buffering_off_is_envoys_default_unless_the_rule_buffers_for_a_body_limit() -> None:
    off = requirement("request-buffering", {"enabled": False}, annotation="proxy-request-buffering")
    result = emit("envoy-gateway", model(off))
    assert "nothing to emit" in result.consumed[off.id].message
    assert not [o for o in result.objects if o["kind"] == "BackendTrafficPolicy"]
    limit = requirement("body-size-limit", {"bytes": 1024})
    both = emit("envoy-gateway", model(off, limit))
    assert limit.id in both.consumed and off.id not in both.consumed
    on = requirement("response-buffering", {"enabled": True, "buffer_size": None, "buffers": None},
                     annotation="proxy-buffering")
    assert on.id not in emit("envoy-gateway", model(on)).consumed


def test_session_persistence_becomes_the_cookie_hash() -> None:
    q = requirement("session-persistence", {"cookie_name": "SHOPID", "absolute_timeout": "1h"}, annotation="affinity")
    result = emit("envoy-gateway", model(q))
    (btp,) = [o for o in result.objects if o["kind"] == "BackendTrafficPolicy"]
    assert btp["spec"]["loadBalancer"] == {"type": "ConsistentHash", "consistentHash": {
        "type": "Cookie", "cookie": {"name": "SHOPID", "ttl": "1h"}}}
    bad = requirement("session-persistence", {"cookie_name": "S", "absolute_timeout": "1 hour"})
    assert bad.id not in emit("envoy-gateway", model(bad)).consumed


def test_traefik_keeps_the_middlewares_a_traefik_ingress_used() -> None:
    q = requirement("traefik-middleware", {"level": "router", "service": None, "middlewares": [
        {"ref": "shop-strip@kubernetescrd", "provider": "kubernetescrd", "namespace": "shop", "name": "strip"},
        {"ref": "auth", "provider": None, "namespace": None, "name": "auth"}]}, annotation="router.middlewares")
    result = emit("traefik", model(q))
    web = result.objects[1]["spec"]["rules"][0]
    assert [f["extensionRef"]["name"] for f in web["filters"]] == ["strip", "auth"]
    assert not [o for o in result.objects if o["kind"] == "Middleware"]  # referenced, not copied
    file_mw = requirement("traefik-middleware", {"level": "router", "service": None, "middlewares": [
        {"ref": "x@file", "provider": "file", "namespace": None, "name": None}]}, ingress="web2")
    m = model(file_mw)
    assert file_mw.id not in emit("traefik", m).consumed


def test_the_validator_runs_the_targets_cel_rules() -> None:
    """The check would catch a bad value: kgateway's duration rule (global matches()) and EG's targetRef CEL."""
    q = requirement("backend-timeouts", {"connect": None, "read": 30.0, "send": None})
    (tp,) = [o for o in emit("kgateway", model(q)).objects if o["kind"] == "TrafficPolicy"]
    table = schemas(plugins.emitter("kgateway").target_versions, "v1.5.1", "standard")
    assert errors(tp, table) == []
    tp["spec"]["timeouts"]["streamIdle"] = "30 seconds"
    assert any("invalid duration value" in e for e in errors(tp, table))
    body = requirement("body-size-limit", {"bytes": 1024})
    (btp,) = [o for o in emit("envoy-gateway", model(body)).objects if o["kind"] == "BackendTrafficPolicy"]
    btp["spec"]["targetRefs"][0]["kind"] = "Service"
    eg = schemas(plugins.emitter("envoy-gateway").target_versions, "v1.5.1", "standard")
    assert any("targetRefs[*].kind" in e for e in errors(btp, eg))
