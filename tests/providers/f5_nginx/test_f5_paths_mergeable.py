"""provider.py: path semantics, the TLS redirect default, mergeable masters and minions; the registry."""

from __future__ import annotations

import pytest
from f5_helpers import convert, ingress

from ing2gw import plugins
from ing2gw.model import Outcome

PROVIDER = plugins.providers()["f5-nginx"]


def paths_of(run):
    return [(m["path"]["type"], m["path"]["value"]) for route in run.objects("HTTPRoute")
            for rule in route["spec"]["rules"] for m in rule["matches"]]


def test_registry_accounts_for_every_key_of_the_notes():
    assert len(PROVIDER.registry) == 81
    assert getattr(PROVIDER, "translated", True)
    for h in PROVIDER.registry:
        assert h.apply is not None, h.key
        assert h.doc and "\n" not in h.doc and len(h.doc) <= 120, h.key
        for section in ("What the controller does:", "Gateway API equivalent:", "Caveats:", "Example:"):
            assert section in h.details, (h.key, section)
        assert h.outcome is not Outcome.UNHANDLED
    assert PROVIDER.registry.get("ingress.kubernetes.io/ssl-redirect") is not None
    assert PROVIDER.registry.get("nginx.com/jwt-key").prefix == "nginx.com/"


@pytest.mark.parametrize(("path", "ptype", "expected", "caveat"), [
    ("/api/", "Prefix", ("PathPrefix", "/api"), False),
    ("/", "ImplementationSpecific", ("PathPrefix", "/"), False),
    ("/api", "Prefix", ("PathPrefix", "/api"), True),
    ("/api", "ImplementationSpecific", ("PathPrefix", "/api"), True),
    ("/api", "Exact", ("Exact", "/api"), False),
])
def test_prefix_paths_are_character_wise(path, ptype, expected, caveat):
    r = convert([ingress({}, paths=((path, ptype),))])
    assert paths_of(r) == [expected]
    notes = [n for n in r.path_notes() if n.outcome is Outcome.CAVEAT]
    assert bool(notes) is caveat
    if caveat:
        assert "character by character" in notes[0].message and f"^{path}.*" in (notes[0].hint or "")


@pytest.mark.parametrize(("mode", "expected"), [
    ("case_sensitive", ("RegularExpression", "^/v[0-9]+/api.*")),
    ("case_insensitive", ("RegularExpression", "(?i)^/v[0-9]+/api.*")),
    ("exact", ("Exact", "/v%5B0-9%5D+/api")),  # the core percent-encodes what HTTPRoute forbids
])
def test_path_regex_applies_to_this_ingress_only(mode, expected):
    r = convert([ingress({"path-regex": mode}, paths=("/v[0-9]+/api",)),
                 ingress({}, name="other", paths=("/plain/",), host="other.example.com")])
    found = paths_of(r)
    assert expected in found and ("PathPrefix", "/plain") in found
    assert r.outcome("path-regex") is (Outcome.TRANSLATED if mode == "exact" else Outcome.CAVEAT)


def test_path_regex_with_exact_path_and_bad_value():
    r = convert([ingress({"path-regex": "case_sensitive"}, paths=(("/x", "Exact"),))])
    assert paths_of(r) == [("Exact", "/x")]
    assert any("matches" in n.message and n.outcome is Outcome.CAVEAT for n in r.path_notes())
    assert convert([ingress({"path-regex": "regex"})]).outcome("path-regex") is Outcome.ERROR


def test_a_host_belongs_to_the_oldest_ingress():
    r = convert([ingress({}, name="old", paths=("/a/",), created="2026-01-01T00:00:00Z"),
                 ingress({}, name="new", paths=("/b/",), tls=True, created="2026-01-01T00:00:01Z")])
    assert paths_of(r) == [("PathPrefix", "/a")]
    lost = [n for n in r.result.notifications if n.subject.endswith(".host") and n.source.name == "new"]
    assert len(lost) == 1 and "taken by the older Ingress shop/old" in lost[0].message
    assert not [lst for gw in r.objects("Gateway") for lst in gw["spec"]["listeners"] if lst["protocol"] == "HTTPS"]


def test_tls_hosts_redirect_with_301_by_default():
    r = convert([ingress({}, tls=True, paths=("/a/",))])
    http = r.route("shop-example-com-http")
    assert http["spec"]["rules"][0]["filters"][0]["requestRedirect"] == {"scheme": "https", "statusCode": 301}
    assert "backendRefs" not in http["spec"]["rules"][0]
    r = convert([ingress({"ssl-redirect": "false"}, tls=True)])
    assert [o["metadata"]["name"] for o in r.objects("HTTPRoute")] == ["shop-example-com"]
    assert r.outcome("ssl-redirect") is Outcome.TRANSLATED


def test_grpc_only_hosts_are_not_redirected():
    r = convert([ingress({"grpc-services": "app"}, tls=True)])
    assert not r.objects("HTTPRoute") and r.objects("GRPCRoute")


def master_and_minions(master_keys=None, **minion_keys):
    objs = [ingress({"mergeable-ingress-type": "master", **(master_keys or {})}, name="master", paths=(), tls=True,
                    created="2026-01-01T00:00:00Z")]
    for i, (name, keys) in enumerate(minion_keys.items()):
        objs.append(ingress({"mergeable-ingress-type": "minion", **keys}, name=name, paths=(f"/{name}/",),
                            created=f"2026-01-01T00:00:0{i + 1}Z"))
    return convert(objs)


def test_minions_join_the_master_host_with_its_tls_and_server_keys():
    r = master_and_minions({"hsts": "true", "add-header": "X-Shop: 1"}, cart={}, pay={"ssl-redirect": "false"})
    https = r.route("shop-example-com")
    assert [m["path"]["value"] for ru in https["spec"]["rules"] for m in ru["matches"]] == ["/cart", "/pay"]
    for rule in https["spec"]["rules"]:
        mod = rule["filters"][0]["responseHeaderModifier"]
        assert mod["set"][0]["name"] == "Strict-Transport-Security" and mod["add"] == [{"name": "X-Shop", "value": "1"}]
    http = r.route("shop-example-com-http")["spec"]["rules"]  # the master's redirect covers both minions
    assert [m["path"]["value"] for ru in http for m in ru["matches"]] == ["/cart", "/pay"]
    assert all("requestRedirect" in ru["filters"][0] for ru in http)
    assert r.outcome("ssl-redirect", "pay") is Outcome.NOT_ROUTING
    assert "shop/cart, shop/pay" in r.note("mergeable-ingress-type", "master").message
    assert "minion(s) shop/cart, shop/pay" in r.note("hsts", "master").message


def test_minions_inherit_location_keys_they_do_not_set():
    r = master_and_minions({"proxy-read-timeout": "30s", "client-max-body-size": "5m", "proxy-set-headers": "X-A: 1"},
                           cart={}, pay={"proxy-read-timeout": "5s"})
    rules = {ru["name"]: ru for ru in r.route()["spec"]["rules"]}
    assert rules["cart"]["timeouts"] == {"backendRequest": "30s"}
    assert rules["pay"]["timeouts"] == {"backendRequest": "5s"}
    body = r.reqs("body-size-limit")  # one per minion, each from the master's annotation
    assert len(body) == 2
    assert all(b.params == {"bytes": 5 * 1024**2} and b.source.name == "master" for b in body)
    assert "minion(s) shop/cart, shop/pay" in r.note("client-max-body-size", "master").message
    assert r.outcome("proxy-set-headers", "master") is Outcome.NOT_ROUTING
    assert "filters" not in rules["cart"]


def test_master_only_inherited_key_every_minion_overrides():
    r = master_and_minions({"proxy-read-timeout": "30s"}, cart={"proxy-read-timeout": "1s"})
    assert r.outcome("proxy-read-timeout", "master") is Outcome.NOT_ROUTING


def test_deny_lists_and_orphans():
    r = master_and_minions({"rewrites": "serviceName=app rewrite=/"}, cart={"hsts": "true", "app-root": "/x"})
    assert r.outcome("rewrites", "master") is Outcome.NOT_ROUTING
    assert r.outcome("hsts", "cart") is Outcome.NOT_ROUTING
    assert r.outcome("app-root", "cart") is Outcome.NOT_ROUTING
    orphan = convert([ingress({"mergeable-ingress-type": "minion"}, name="lost", paths=("/x/",))])
    assert not orphan.objects("HTTPRoute")
    assert "without a master" in orphan.note("mergeable-ingress-type").message


def test_mergeable_spec_rules_and_second_master():
    bad = convert([ingress({"mergeable-ingress-type": "master"}, paths=("/a/",))])
    assert bad.outcome("mergeable-ingress-type") is Outcome.ERROR
    bad = convert([ingress({"mergeable-ingress-type": "minion"}, tls=True)])
    assert bad.outcome("mergeable-ingress-type") is Outcome.ERROR
    assert convert([ingress({"mergeable-ingress-type": "boss"})]).outcome("mergeable-ingress-type") is Outcome.ERROR
    r = convert([ingress({"mergeable-ingress-type": "master"}, name="m1", paths=(), created="2026-01-01T00:00:00Z"),
                 ingress({"mergeable-ingress-type": "master"}, name="m2", paths=(), created="2026-01-01T00:00:01Z"),
                 ingress({"mergeable-ingress-type": "minion"}, name="c", paths=("/c/",))])
    assert r.outcome("mergeable-ingress-type", "m2") is Outcome.CAVEAT
    assert "shop/c" in r.note("mergeable-ingress-type", "m1").message


def test_minion_in_another_namespace_keeps_its_paths():
    r = convert([ingress({"mergeable-ingress-type": "master", "hsts": "true"}, name="master", paths=(), tls=True,
                         created="2026-01-01T00:00:00Z"),
                 ingress({"mergeable-ingress-type": "minion"}, name="far", namespace="other", paths=("/far/",))])
    route = [o for o in r.objects("HTTPRoute") if o["metadata"]["namespace"] == "other"]
    assert len(route) == 1 and route[0]["spec"]["rules"][0]["backendRefs"][0]["name"] == "app"
    note = r.note("mergeable-ingress-type", "far")
    assert note.outcome is Outcome.CAVEAT and "another namespace" in note.message


def test_default_backend_is_the_root_location_of_each_host():
    r = convert([ingress({"proxy-read-timeout": "5s"}, paths=("/a/",), tls=True, default_backend="fallback")])
    https = r.route("shop-example-com")["spec"]["rules"]
    root = [ru for ru in https if ru["matches"][0]["path"] == {"type": "PathPrefix", "value": "/"}]
    assert len(root) == 1 and root[0]["backendRefs"][0]["name"] == "fallback"
    assert root[0]["timeouts"] == {"backendRequest": "5s"}
    http = r.route("shop-example-com-http")["spec"]["rules"]
    assert all("requestRedirect" in ru["filters"][0] for ru in http)
    assert {"type": "PathPrefix", "value": "/"} in [m["path"] for ru in http for m in ru["matches"]]
    rooted = convert([ingress({}, paths=("/",), default_backend="fallback")])
    names = [b["name"] for ru in rooted.route()["spec"]["rules"] for b in ru["backendRefs"]]
    assert names == ["app"]
