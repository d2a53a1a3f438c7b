"""Every key of the controller ConfigMap ends with one stated outcome."""

from __future__ import annotations

from routing_helpers import configmap, convert, ingress, kinds, outcome, rules

from ing2gw.model import Outcome

DATA = {
    "ssl-redirect": "false", "proxy-read-timeout": "30",
    "add-headers": "ingress-nginx/missing", "proxy-set-headers": "ingress-nginx/req-headers",
    "global-auth-url": "http://auth.example.com/verify", "whitelist-source-range": "10.0.0.0/8",
    "use-gzip": "true", "enable-brotli": "false", "server-snippet": "return 403;",
    "worker-processes": "4", "log-format-upstream": "$remote_addr", "jaeger-collector-host": "jaeger",
    "allow-snippet-annotations": "false", "some-future-key": "1",
}


def test_every_controller_configmap_key_has_one_outcome() -> None:
    r = convert(configmap("ingress-nginx-controller", "ingress-nginx", DATA), ingress())
    by_key: dict[str, list] = {}
    for n in r.notifications:
        if n.source.kind == "ConfigMap" and n.source.name == "ingress-nginx-controller" and n.subject in DATA:
            by_key.setdefault(n.subject, []).append(n)
    assert sorted(by_key) == sorted(DATA)
    assert all(len(v) == 1 for v in by_key.values()), {k: v for k, v in by_key.items() if len(v) != 1}
    outcome = {k: v[0].outcome for k, v in by_key.items()}
    assert outcome["worker-processes"] is outcome["log-format-upstream"] is outcome["jaeger-collector-host"] \
        is Outcome.NOT_ROUTING
    assert outcome["enable-brotli"] is Outcome.NOT_ROUTING  # turned off: nothing asked
    for key in ("add-headers", "proxy-set-headers", "global-auth-url", "whitelist-source-range", "use-gzip",
                "server-snippet", "some-future-key"):
        assert outcome[key] is Outcome.UNSUPPORTED, key  # the header ConfigMaps are not in the input
    assert outcome["allow-snippet-annotations"] is Outcome.TRANSLATED
    assert "ingress-nginx/missing, which is not in the input" in by_key["add-headers"][0].message
    assert "extAuth" in (by_key["global-auth-url"][0].hint or "")
    assert by_key["server-snippet"][0].source.field == "data.server-snippet"


def test_no_configmap_no_statements() -> None:
    r = convert(ingress())
    assert not [n for n in r.notifications if n.source.kind == "ConfigMap"]


def _headers(rule: dict, kind: str) -> dict[str, str]:
    for f in rule.get("filters", []):
        if f["type"] == kind:
            key = kind[0].lower() + kind[1:]
            return {h["name"]: h["value"] for h in f[key]["set"]}
    return {}


def test_add_headers_and_proxy_set_headers_reach_every_proxying_rule() -> None:
    controller = configmap("ingress-nginx-controller", "ingress-nginx", {
        "add-headers": "ingress-nginx/resp", "proxy-set-headers": "req",
        "global-allowed-response-headers": "X-Frame-Options"})
    resp = configmap("resp", "ingress-nginx", {"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff"})
    req = configmap("req", "ingress-nginx", {"X-Team": "web", "X-Client": "$remote_addr"})
    own = configmap("own", "default", {"X-Frame-Options": "SAMEORIGIN"})
    r = convert(controller, resp, req, own, ingress(ann={"custom-headers": "default/own"}),
                ingress("other", host="b.example.com", ann={"permanent-redirect": "https://c.example.com/"}))
    rule = rules(r, "a-example-com")[0]
    assert _headers(rule, "ResponseHeaderModifier") == {"X-Frame-Options": "SAMEORIGIN",  # the Ingress's own wins
                                                        "X-Content-Type-Options": "nosniff"}
    assert _headers(rule, "RequestHeaderModifier") == {"X-Team": "web"}
    redirect = rules(r, "b-example-com")[0]
    assert not _headers(redirect, "ResponseHeaderModifier") and not _headers(redirect, "RequestHeaderModifier")
    add = outcome(r, "add-headers", raw=True)
    assert add.outcome is Outcome.CAVEAT and "redirects and error pages" in add.message
    proxy = outcome(r, "proxy-set-headers", raw=True)
    assert proxy.outcome is Outcome.CAVEAT and "not carried: X-Client" in proxy.message


def test_header_modifiers_reach_grpc_routes_too() -> None:
    controller = configmap("ingress-nginx-controller", "ingress-nginx", {"proxy-set-headers": "ingress-nginx/req",
                                                                          "global-allowed-response-headers": "X-A"})
    req = configmap("req", "ingress-nginx", {"X-Team": "web"})
    own = configmap("own", "default", {"X-A": "1"})
    r = convert(controller, req, own, ingress(ann={"backend-protocol": "GRPC", "custom-headers": "default/own"}))
    [grpc] = kinds(r, "GRPCRoute")
    filters = grpc["spec"]["rules"][0]["filters"]
    assert {f["type"] for f in filters} == {"RequestHeaderModifier", "ResponseHeaderModifier"}
    assert _headers(grpc["spec"]["rules"][0], "RequestHeaderModifier") == {"X-Team": "web"}
    assert outcome(r, "proxy-set-headers", raw=True).outcome is Outcome.TRANSLATED
    assert r.validation is not None and r.validation.ok
