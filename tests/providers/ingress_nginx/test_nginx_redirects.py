"""HTTP-to-HTTPS redirects and the redirect annotations (redirects.py)."""

from __future__ import annotations

from routing_helpers import configmap, convert, ingress, kinds, outcome, rules

from ing2gw.model import Outcome


def _redirects(r):
    out = []
    for route in kinds(r, "HTTPRoute"):
        for rule in route["spec"]["rules"]:
            for f in rule.get("filters", []):
                if f["type"] == "RequestRedirect":
                    assert "backendRefs" not in rule
                    out.append((route["metadata"]["name"], f["requestRedirect"]))
    return out


def test_tls_host_redirects_with_308_on_the_http_listener() -> None:
    r = convert(ingress(tls=True))
    http = [o for o in kinds(r, "HTTPRoute") if o["metadata"]["name"].endswith("-http")][0]
    assert [p["sectionName"] for p in http["spec"]["parentRefs"]] == ["http-a-example-com"]
    assert _redirects(r) == [("a-example-com-http", {"scheme": "https", "statusCode": 308})]


def test_ssl_redirect_false_serves_plain_http() -> None:
    r = convert(ingress(tls=True, ann={"ssl-redirect": "false"}))
    assert _redirects(r) == []
    assert outcome(r, "ssl-redirect").outcome is Outcome.TRANSLATED


def test_ssl_redirect_without_tls_has_no_effect() -> None:
    r = convert(ingress(ann={"ssl-redirect": "true"}))
    assert outcome(r, "ssl-redirect").outcome is Outcome.NOT_ROUTING


def test_configmap_redirect_code_and_default() -> None:
    cm = configmap("ingress-nginx-controller", "ingress-nginx", {"http-redirect-code": "301"})
    r = convert(ingress(tls=True), cm)
    assert _redirects(r)[0][1]["statusCode"] == 301
    cm = configmap("ingress-nginx-controller", "ingress-nginx", {"ssl-redirect": "false"})
    assert _redirects(convert(ingress(tls=True), cm)) == []


def test_force_ssl_redirect_without_tls() -> None:
    r = convert(ingress(ann={"force-ssl-redirect": "true"}))
    assert _redirects(r)[0][1] == {"scheme": "https", "statusCode": 308}
    assert outcome(r, "force-ssl-redirect").outcome is Outcome.CAVEAT
    cm = configmap("ingress-nginx-controller", "ingress-nginx", {"use-forwarded-headers": "true"})
    r = convert(ingress(ann={"force-ssl-redirect": "true"}), cm)
    rs = rules(r, "a-example-com-http")  # rules for one listener only: the route is bound to it
    assert rs[0]["matches"][0]["headers"] == [{"type": "Exact", "name": "X-Forwarded-Proto", "value": "http"}]
    assert rs[1]["backendRefs"]


def test_old_targets_get_a_code_they_know() -> None:
    r = convert(ingress(tls=True), gateway_api_version="v1.2")
    assert _redirects(r)[0][1]["statusCode"] == 301
    # nginx answered 308: the different code is a caveat, whether the redirect is the default or annotated
    default = outcome(r, "ssl-redirect (controller default)")
    assert default.outcome is Outcome.CAVEAT and "308 needs Gateway API v1.5" in default.message
    for key in ("ssl-redirect", "force-ssl-redirect"):
        said = outcome(convert(ingress(tls=True, ann={key: "true"}), gateway_api_version="v1.2"), key)
        assert said.outcome is Outcome.CAVEAT and "with 301" in said.message and "308 needs" in said.message
    assert outcome(convert(ingress(tls=True, ann={"ssl-redirect": "true"})), "ssl-redirect").outcome \
        is Outcome.TRANSLATED  # v1.5 has 308
    assert "308 needs Gateway API v1.5" in outcome(r, "ssl-redirect (controller default)").message
    r = convert(ingress(ann={"permanent-redirect": "https://x.org/", "permanent-redirect-code": "308"}),
                gateway_api_version="v1.2")
    assert _redirects(r)[0][1]["statusCode"] == 301
    assert outcome(r, "permanent-redirect-code").outcome is Outcome.CAVEAT
    assert len([n for n in r.notifications if "permanent-redirect" in n.subject]) == 2  # one per annotation


def test_controller_configmap_is_found_by_name() -> None:
    cm = configmap("ingress-nginx-controller", "ingress-nginx", {"ssl-redirect": "false"})
    r = convert(ingress(tls=True), cm)
    assert "ingress-nginx/ingress-nginx-controller" in outcome(r, "controller ConfigMap").message
    assert outcome(r, "ssl-redirect", raw=True).outcome is Outcome.TRANSLATED


def test_preserve_trailing_slash() -> None:
    assert outcome(convert(ingress(ann={"preserve-trailing-slash": "true"})), "preserve-trailing-slash").outcome \
        is Outcome.TRANSLATED
    assert outcome(convert(ingress(ann={"preserve-trailing-slash": "false"})), "preserve-trailing-slash").outcome \
        is Outcome.CAVEAT


def test_permanent_redirect_with_code() -> None:
    r = convert(ingress(ann={"permanent-redirect": "https://new.example.org/x", "permanent-redirect-code": "308"}))
    assert _redirects(r) == [("a-example-com", {"scheme": "https", "hostname": "new.example.org",
                                                 "path": {"type": "ReplaceFullPath", "replaceFullPath": "/x"},
                                                 "statusCode": 308})]
    assert outcome(r, "permanent-redirect-code").outcome is Outcome.TRANSLATED


def test_temporal_redirect_wins_and_bad_codes() -> None:
    r = convert(ingress(ann={"permanent-redirect": "https://a.org/", "temporal-redirect": "https://b.org$request_uri",
                             "temporal-redirect-code": "305", "permanent-redirect-code": "301"}))
    assert _redirects(r)[0][1] == {"scheme": "https", "hostname": "b.org", "statusCode": 302}
    assert outcome(r, "permanent-redirect").outcome is Outcome.NOT_ROUTING
    assert outcome(r, "temporal-redirect-code").outcome is Outcome.UNSUPPORTED
    assert outcome(r, "permanent-redirect-code").outcome is Outcome.NOT_ROUTING


def test_code_without_redirect_and_bad_url() -> None:
    r = convert(ingress(ann={"temporal-redirect-code": "307"}))
    assert outcome(r, "temporal-redirect-code").outcome is Outcome.NOT_ROUTING
    r = convert(ingress(ann={"permanent-redirect": "https://x.org/$host"}))
    assert outcome(r, "permanent-redirect").outcome is Outcome.UNSUPPORTED
    assert _redirects(r) == []


def test_app_root() -> None:
    r = convert(ingress(ann={"app-root": "/app"}))
    red = _redirects(r)
    assert red == [("a-example-com", {"path": {"type": "ReplaceFullPath", "replaceFullPath": "/app"},
                                      "statusCode": 302})]
    assert outcome(convert(ingress(ann={"app-root": "app"})), "app-root").outcome is Outcome.ERROR


def test_from_to_www_redirect_and_shadowing() -> None:
    r = convert(ingress(ann={"from-to-www-redirect": "true"}))
    assert ("www-a-example-com", {"hostname": "a.example.com", "statusCode": 308}) in _redirects(r)
    r = convert(ingress(ann={"from-to-www-redirect": "true"}),
                ingress("www", host="www.a.example.com"))
    assert not [x for x in _redirects(r) if x[0].startswith("www")]


def test_redirect_settings_without_equivalent() -> None:
    r = convert(ingress(ann={"relative-redirects": "true", "use-port-in-redirects": "true",
                             "proxy-redirect-from": "http://in/", "proxy-redirect-to": "https://out/"}))
    for key in ("relative-redirects", "use-port-in-redirects", "proxy-redirect-from", "proxy-redirect-to"):
        assert outcome(r, key).outcome is Outcome.UNSUPPORTED
    r = convert(ingress(ann={"relative-redirects": "false", "use-port-in-redirects": "false",
                             "proxy-redirect-from": "off", "proxy-redirect-to": "x"}))
    assert outcome(r, "relative-redirects").outcome is Outcome.TRANSLATED
    assert outcome(r, "proxy-redirect-to").outcome is Outcome.NOT_ROUTING


def test_app_root_shadowed_by_the_ingress_own_exact_root_path_is_a_caveat() -> None:
    r = convert(ingress(ann={"app-root": "/app"}, paths=(("/", "Exact", "web", 80), ("/api", "Prefix", "api", 80))))
    n = outcome(r, "app-root")
    assert n.outcome is Outcome.CAVEAT and "but not on a.example.com" in n.message
    path = [m for m in r.notifications if m.subject == "spec.rules[0].http.paths[0]"]
    assert len(path) == 1 and "app-root redirected with the controller" in path[0].message
    assert outcome(convert(ingress(ann={"app-root": "/app"})), "app-root").outcome is Outcome.TRANSLATED
