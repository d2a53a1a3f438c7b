"""rewrite-target and the upstream request settings (rewrite.py)."""

from __future__ import annotations

from ing2gw_providers.ingress_nginx.rewrite import rewrite_plan
from routing_helpers import configmap, convert, ingress, outcome, paths_of, rules

from ing2gw.model import Outcome


def _filters(r, name="a-example-com", i=0):
    return {f["type"]: f for f in rules(r, name)[i].get("filters", [])}


def test_rewrite_without_captures_replaces_the_whole_path() -> None:
    r = convert(ingress(ann={"rewrite-target": "/"}, paths=(("/something", "Prefix", "s", 80),)))
    f = _filters(r)["URLRewrite"]["urlRewrite"]
    assert f["path"] == {"type": "ReplaceFullPath", "replaceFullPath": "/"}
    n = outcome(r, "rewrite-target")
    assert n.outcome is Outcome.CAVEAT and "regex mode" in n.message  # /something now also matched /somethingX


def test_canonical_capture_idiom_is_replace_prefix_match() -> None:
    r = convert(ingress(ann={"rewrite-target": "/$2", "x-forwarded-prefix": "/api"},
                        paths=(("/api(/|$)(.*)", "ImplementationSpecific", "s", 80),)))
    rule = rules(r, "a-example-com")[0]
    assert paths_of(rule) == [("PathPrefix", "/api")]
    fs = _filters(r)
    assert fs["URLRewrite"]["urlRewrite"]["path"] == {"type": "ReplacePrefixMatch", "replacePrefixMatch": "/"}
    assert fs["RequestHeaderModifier"]["requestHeaderModifier"]["set"] == [{"name": "X-Forwarded-Prefix", "value": "/api"}]
    assert outcome(r, "x-forwarded-prefix").outcome is Outcome.TRANSLATED


def test_other_captures_become_a_requirement_never_a_literal_dollar() -> None:
    r = convert(ingress(ann={"rewrite-target": "/$2/$1", "use-regex": "true"},
                        paths=(("/([a-z]+)/([0-9]+)", "ImplementationSpecific", "s", 80),)))
    n = outcome(r, "rewrite-target")
    assert n.outcome is Outcome.NEEDS_EMITTER and n.requirement
    req = [q for q in r.model.requirements if q.feature == "header-regex-rewrite"]
    assert req and req[0].params["substitution"] == "/\\2/\\1"
    assert "$" not in str(r.objects)


def test_rewrite_plan_kinds() -> None:
    assert rewrite_plan("/x/(.*)", "/$1")[0] == "prefix"
    assert rewrite_plan("/x", "/y?a=1")[0] == "unsupported"
    assert rewrite_plan("/x", "/$host")[0] == "unsupported"
    assert rewrite_plan("/x", "https://e.com/")[0] == "unsupported"


def test_x_forwarded_prefix_needs_rewrite() -> None:
    r = convert(ingress(ann={"x-forwarded-prefix": "/p"}))
    assert outcome(r, "x-forwarded-prefix").outcome is Outcome.NOT_ROUTING
    assert "filters" not in rules(r, "a-example-com")[0]


def test_upstream_vhost_merges_into_the_path_rewrite() -> None:
    r = convert(ingress(ann={"rewrite-target": "/", "upstream-vhost": "Internal.Example.com"},
                        paths=(("/a", "Prefix", "s", 80),)))
    uw = _filters(r)["URLRewrite"]["urlRewrite"]
    assert uw["hostname"] == "internal.example.com" and uw["path"]["type"] == "ReplaceFullPath"
    assert len(rules(r, "a-example-com")[0]["filters"]) == 1


def test_upstream_vhost_with_variables_is_unsupported() -> None:
    r = convert(ingress(ann={"upstream-vhost": "$host"}))
    assert outcome(r, "upstream-vhost").outcome is Outcome.UNSUPPORTED


def test_connection_proxy_header_and_http_version() -> None:
    r = convert(ingress(ann={"connection-proxy-header": "keep-alive", "proxy-http-version": "1.0"}))
    assert outcome(r, "connection-proxy-header").outcome is Outcome.UNSUPPORTED
    assert outcome(r, "proxy-http-version").outcome is Outcome.UNSUPPORTED
    r = convert(ingress(ann={"proxy-http-version": "1.1"}))
    assert outcome(r, "proxy-http-version").outcome is Outcome.TRANSLATED
    r = convert(ingress(ann={"proxy-http-version": "2"}))
    assert outcome(r, "proxy-http-version").outcome is Outcome.ERROR


def test_custom_headers_from_configmap() -> None:
    cm = configmap("hdrs", "default", {"X-A": "1"})
    r = convert(ingress(ann={"custom-headers": "default/hdrs"}), cm)
    f = _filters(r)["ResponseHeaderModifier"]["responseHeaderModifier"]
    assert f["set"] == [{"name": "X-A", "value": "1"}]
    assert outcome(r, "custom-headers").outcome is Outcome.CAVEAT  # no controller ConfigMap to check names


def test_custom_headers_refused_by_controller_config() -> None:
    ctl = configmap("ingress-nginx-controller", "ingress-nginx", {"global-allowed-response-headers": "X-B"})
    r = convert(ingress(ann={"custom-headers": "default/hdrs"}), configmap("hdrs", "default", {"X-A": "1"}), ctl)
    assert outcome(r, "custom-headers").outcome is Outcome.NOT_ROUTING
    r = convert(ingress(ann={"custom-headers": "default/missing"}))
    assert outcome(r, "custom-headers").outcome is Outcome.UNSUPPORTED
