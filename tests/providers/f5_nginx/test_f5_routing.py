"""routing.py: rewrites, redirects, HSTS, listeners, backend protocols and headers."""

from __future__ import annotations

import pytest
from f5_helpers import convert, ingress

from ing2gw.model import Outcome


def rules(run, name=None):
    return run.route(name)["spec"]["rules"]


def filters(rule, kind):
    return [f for f in rule.get("filters", []) if f["type"] == kind]


def test_rewrites_per_service():
    r = convert([ingress(
        {"rewrites": "serviceName=tea rewrite=/; serviceName=coffee rewrite=/beans/"},
        paths=(("/tea/", "Prefix", "tea"), ("/coffee/", "Prefix", "coffee"), ("/cake/", "Prefix", "cake"),
               ("/tea/exact", "Exact", "tea")))])
    assert r.outcome("rewrites") is Outcome.TRANSLATED
    by_path = {ru["matches"][0]["path"]["value"]: ru for ru in rules(r)}
    assert filters(by_path["/tea"], "URLRewrite")[0]["urlRewrite"]["path"] == {
        "type": "ReplacePrefixMatch", "replacePrefixMatch": "/"}
    assert filters(by_path["/coffee"], "URLRewrite")[0]["urlRewrite"]["path"]["replacePrefixMatch"] == "/beans/"
    assert filters(by_path["/tea/exact"], "URLRewrite")[0]["urlRewrite"]["path"] == {
        "type": "ReplaceFullPath", "replaceFullPath": "/"}
    assert not filters(by_path["/cake"], "URLRewrite")


def test_rewrites_slash_mismatch_regex_and_errors(f5):
    r = f5({"rewrites": "serviceName=app rewrite=/x"}, paths=("/v1/",))
    assert r.outcome("rewrites") is Outcome.CAVEAT and "/xa" in r.note("rewrites").message
    r = f5({"rewrites": "serviceName=app rewrite=/x", "path-regex": "case_sensitive"}, paths=("/v[12]",))
    assert r.outcome("rewrites") is Outcome.UNSUPPORTED
    for bad in ("serviceName=app", "service=app rewrite=/", "serviceName=app rewrite=x", "serviceName=gone rewrite=/"):
        assert f5({"rewrites": bad}).outcome("rewrites") is Outcome.ERROR, bad


def test_rewrite_target(f5):
    r = f5({"rewrite-target": "/index.html"}, paths=("/a/", "/b/"))
    assert r.outcome("rewrite-target") is Outcome.TRANSLATED
    for rule in rules(r):
        assert filters(rule, "URLRewrite")[0]["urlRewrite"]["path"] == {"type": "ReplaceFullPath",
                                                                         "replaceFullPath": "/index.html"}
    r = f5({"rewrite-target": "/v2/$1", "path-regex": "case_sensitive"}, paths=("/api/(.*)",))
    assert r.outcome("rewrite-target") is Outcome.NEEDS_EMITTER
    assert r.linked("rewrite-target").params == {"pattern": "^/api/(.*).*", "substitution": "/v2/\\1"}
    assert "$1" not in str(r.result.objects)
    r = f5({"rewrite-target": "/x", "rewrites": "serviceName=app rewrite=/"})
    assert r.outcome("rewrite-target") is Outcome.NOT_ROUTING
    assert f5({"rewrite-target": "http://x/"}).outcome("rewrite-target") is Outcome.ERROR
    assert f5({"rewrite-target": "/$uri"}).outcome("rewrite-target") is Outcome.UNSUPPORTED


def test_app_root(f5):
    r = f5({"app-root": "/shop"}, paths=("/shop/",))
    redirect = [ru for ru in rules(r) if ru["matches"][0]["path"] == {"type": "Exact", "value": "/"}][0]
    assert redirect["filters"][0]["requestRedirect"] == {
        "path": {"type": "ReplaceFullPath", "replaceFullPath": "/shop"}, "statusCode": 302}
    assert "backendRefs" not in redirect
    for bad in ("/", "shop", "/shop/", "/a b"):
        assert f5({"app-root": bad}).outcome("app-root") is Outcome.ERROR, bad


@pytest.mark.parametrize(("code", "version", "used", "outcome"), [
    ("308", "v1.5", 308, Outcome.TRANSLATED), ("302", "v1.2", 302, Outcome.TRANSLATED),
    ("308", "v1.4", 301, Outcome.CAVEAT), ("307", "v1.3", 302, Outcome.CAVEAT)])
def test_http_redirect_code(f5, code, version, used, outcome):
    r = f5({"http-redirect-code": code}, tls=True, version=version)
    assert r.outcome("http-redirect-code") is outcome
    assert rules(r, "shop-example-com-http")[0]["filters"][0]["requestRedirect"]["statusCode"] == used
    assert f5({"http-redirect-code": "303"}).outcome("http-redirect-code") is Outcome.ERROR


def test_ssl_redirect_keys(f5):
    assert f5({"ssl-redirect": "true"}).outcome("ssl-redirect") is Outcome.NOT_ROUTING  # no TLS
    r = f5({"ssl-redirect": "true", "ingress.kubernetes.io/ssl-redirect": "false"}, tls=True)
    assert r.outcome("ssl-redirect") is Outcome.TRANSLATED
    assert r.outcome("ingress.kubernetes.io/ssl-redirect") is Outcome.NOT_ROUTING
    assert len(r.objects("HTTPRoute")) == 2
    r = f5({"ingress.kubernetes.io/ssl-redirect": "false"}, tls=True)
    assert r.outcome("ingress.kubernetes.io/ssl-redirect") is Outcome.TRANSLATED
    assert len(r.objects("HTTPRoute")) == 1
    assert f5({"ssl-redirect": "yes"}, tls=True).outcome("ssl-redirect") is Outcome.ERROR


def test_redirect_to_https_adds_header_matched_rules(f5):
    r = f5({"redirect-to-https": "true", "http-redirect-code": "308"}, paths=("/a/", "/b/"))
    assert r.outcome("redirect-to-https") is Outcome.CAVEAT
    redirect = [ru for ru in rules(r) if "headers" in ru["matches"][0]]
    assert len(redirect) == 1 and len(redirect[0]["matches"]) == 2
    assert redirect[0]["matches"][0]["headers"] == [{"type": "Exact", "name": "X-Forwarded-Proto", "value": "http"}]
    assert redirect[0]["filters"][0]["requestRedirect"] == {"scheme": "https", "statusCode": 308}
    assert f5({"redirect-to-https": "false"}).outcome("redirect-to-https") is Outcome.TRANSLATED


def test_hsts_family(f5):
    r = f5({"hsts": "true", "hsts-max-age": "31536000", "hsts-include-subdomains": "true"}, tls=True)
    header = filters(rules(r)[0], "ResponseHeaderModifier")[0]["responseHeaderModifier"]["set"]
    assert header == [{"name": "Strict-Transport-Security", "value": "max-age=31536000; includeSubDomains; preload"}]
    for key in ("hsts", "hsts-max-age", "hsts-include-subdomains"):
        assert r.outcome(key) is Outcome.TRANSLATED
    assert f5({"hsts": "true"}).outcome("hsts") is Outcome.NOT_ROUTING  # no TLS
    r = f5({"hsts": "true", "hsts-behind-proxy": "true"})
    assert r.outcome("hsts") is Outcome.TRANSLATED and r.outcome("hsts-behind-proxy") is Outcome.CAVEAT
    assert f5({"hsts-max-age": "10"}).outcome("hsts-max-age") is Outcome.ERROR  # needs hsts
    r = f5({"hsts": "true", "hsts-max-age": "ten", "hsts-include-subdomains": "true"}, tls=True)
    assert r.outcome("hsts") is Outcome.ERROR and r.outcome("hsts-max-age") is Outcome.ERROR
    assert r.outcome("hsts-include-subdomains") is Outcome.NOT_ROUTING
    assert not filters(rules(r)[0], "ResponseHeaderModifier")
    assert f5({"hsts": "false", "hsts-max-age": "5"}, tls=True).outcome("hsts-max-age") is Outcome.NOT_ROUTING


@pytest.mark.parametrize(("key", "default"), [("listen-ports", "80"), ("listen-ports-ssl", "443")])
def test_listen_ports(f5, key, default):
    assert f5({key: default}).outcome(key) is Outcome.TRANSLATED
    assert f5({key: "8080,8081"}).outcome(key) is Outcome.UNSUPPORTED
    assert f5({key: "http"}).outcome(key) is Outcome.ERROR


def test_grpc_ssl_websocket_services(f5):
    r = f5({"grpc-services": "app"}, paths=("/helloworld.Greeter/",))
    grpc = r.objects("GRPCRoute")
    assert grpc and grpc[0]["spec"]["rules"][0]["matches"] == [{"method": {"type": "Exact",
                                                                           "service": "helloworld.Greeter"}}]
    assert not r.objects("HTTPRoute")
    r = f5({"ssl-services": "app"})
    pol = r.objects("BackendTLSPolicy")[0]
    assert pol["spec"]["targetRefs"] == [{"group": "", "kind": "Service", "name": "app"}]
    assert pol["spec"]["validation"] == {"wellKnownCACertificates": "System", "hostname": "app.shop.svc"}
    assert r.outcome("ssl-services") is Outcome.CAVEAT and r.linked("ssl-services").params["verify"] is False
    assert f5({"websocket-services": "app"}).outcome("websocket-services") is Outcome.TRANSLATED
    assert f5({"grpc-services": "other"}).outcome("grpc-services") is Outcome.ERROR


def test_request_and_response_headers_share_one_filter_each(f5):
    r = f5({"proxy-set-headers": "X-Team: shop, X-Forwarded-User", "add-header": "X-Frame-Options: DENY: always",
            "proxy-hide-headers": "X-Powered-By,Server", "hsts": "true"}, tls=True)
    rule = rules(r)[0]
    assert len(filters(rule, "ResponseHeaderModifier")) == 1 and len(filters(rule, "RequestHeaderModifier")) == 1
    resp = filters(rule, "ResponseHeaderModifier")[0]["responseHeaderModifier"]
    assert resp["add"] == [{"name": "X-Frame-Options", "value": "DENY"}]
    assert resp["remove"] == ["X-Powered-By", "Server"]
    req = filters(rule, "RequestHeaderModifier")[0]["requestHeaderModifier"]
    assert req == {"set": [{"name": "X-Team", "value": "shop"}]}
    r = f5({"proxy-set-headers": "X-Drop:, X-Keep: 1"})
    assert filters(rules(r)[0], "RequestHeaderModifier")[0]["requestHeaderModifier"] == {
        "set": [{"name": "X-Keep", "value": "1"}], "remove": ["X-Drop"]}
    assert f5({"add-header": "X-Empty:"}).outcome("add-header") is Outcome.NOT_ROUTING
    r = f5({"proxy-set-headers": "X-Real: $remote_addr"})
    assert r.outcome("proxy-set-headers") is Outcome.UNSUPPORTED
    assert f5({"add-header": "X-A: b: sometimes"}).outcome("add-header") is Outcome.ERROR


def test_header_keys_without_gateway_equivalent(f5):
    assert f5({"proxy-pass-headers": "Server"}).outcome("proxy-pass-headers") is Outcome.UNSUPPORTED
    assert f5({"add-header-inherit": "merge"}).outcome("add-header-inherit") is Outcome.NOT_ROUTING
    assert f5({"add-header-inherit": "always"}).outcome("add-header-inherit") is Outcome.ERROR
    r = f5({"proxy-redirect-from": "http://app:8080/", "proxy-redirect-to": "https://shop.example.com/"})
    assert r.outcome("proxy-redirect-from") is r.outcome("proxy-redirect-to") is Outcome.UNSUPPORTED
    assert f5({"proxy-redirect-from": "off"}).outcome("proxy-redirect-from") is Outcome.TRANSLATED
    assert f5({"proxy-redirect-from": "default"}).outcome("proxy-redirect-from") is Outcome.TRANSLATED
    assert f5({"proxy-redirect-from": "http://a/"}).outcome("proxy-redirect-from") is Outcome.ERROR
    bad = f5({"proxy-redirect-from": "off", "proxy-redirect-to": "https://x/"})
    assert bad.outcome("proxy-redirect-from") is bad.outcome("proxy-redirect-to") is Outcome.ERROR
    assert f5({"proxy-redirect-to": "https://x/"}).outcome("proxy-redirect-to") is Outcome.ERROR
    assert f5({"server-tokens": "false"}).outcome("server-tokens") is Outcome.NOT_ROUTING


def test_custom_http_errors(f5):
    r = f5({"custom-http-errors": "404,5xx"}, default_backend="errors")
    req = r.linked("custom-http-errors")
    assert req.params["backend"] == "errors" and req.params["codes"][:2] == [404, 500] and len(req.params["codes"]) == 101
    assert 499 not in f5({"custom-http-errors": "4xx"}).linked("custom-http-errors").params["codes"]
    for bad in ("200", "499", "abc", ","):
        assert f5({"custom-http-errors": bad}).outcome("custom-http-errors") is Outcome.ERROR, bad


def test_grpc_rules_get_no_filters_and_say_so():
    r = convert([ingress({"add-header": "X-A: b", "grpc-services": "rpc", "rewrites": "serviceName=rpc rewrite=/"},
                         paths=(("/a/", "Prefix", "app"), ("/pkg.Svc/", "Prefix", "rpc")))])
    assert r.outcome("add-header") is Outcome.CAVEAT and "1 gRPC rule" in r.note("add-header").message
    assert filters(rules(r)[0], "ResponseHeaderModifier")
    assert r.outcome("rewrites") is Outcome.UNSUPPORTED
    assert "filters" not in r.objects("GRPCRoute")[0]["spec"]["rules"][0]
