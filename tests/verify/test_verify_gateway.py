"""The Gateway API engine against hand-written cases from the HTTPRoute specification."""

from __future__ import annotations

from fractions import Fraction

import pytest
from verify_helpers import backend_of, ingress

from ing2gw.verify.gateway import replace_prefix

GW = """
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: gw, namespace: infra}
spec:
  gatewayClassName: x
  listeners:
  - {name: http, port: 80, protocol: HTTP, allowedRoutes: {namespaces: {from: All}}}
  - {name: wild, port: 80, protocol: HTTP, hostname: "*.example.com", allowedRoutes: {namespaces: {from: All}}}
  - {name: exact, port: 80, protocol: HTTP, hostname: "a.example.com", allowedRoutes: {namespaces: {from: All}}}
  - name: https
    port: 443
    protocol: HTTPS
    hostname: a.example.com
    tls: {certificateRefs: [{name: c}]}
    allowedRoutes: {namespaces: {from: All}}
"""


def route(name: str, section: str | None, rules: str, hostnames: str = "", ns: str = "app", ts: str = "") -> str:
    sec = f", sectionName: {section}" if section else ""
    meta_ts = f", creationTimestamp: '{ts}'" if ts else ""
    return f"""
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {{name: {name}, namespace: {ns}{meta_ts}}}
spec:
  parentRefs: [{{name: gw, namespace: infra{sec}}}]
  {hostnames}
  rules:
{rules}
"""


def rule(path: str, ptype: str = "PathPrefix", backend: str = "svc", extra: str = "") -> str:
    return f"""  - matches: [{{path: {{type: {ptype}, value: "{path}"}}{extra}}}]
    backendRefs: [{{name: {backend}, port: 80}}]
"""


def test_exact_beats_longer_prefix_unlike_ingress(gateway, generic):
    ask = gateway(GW + route("r", "exact", rule("/foo/", backend="prefix") + rule("/foo", "Exact", backend="exact")))
    assert backend_of(ask("http://a.example.com/foo")) == "app/exact:80"
    # the Ingress specification picks the longest path: Prefix /foo/ (5 characters) over Exact /foo
    ing = generic(ingress("w", paths=[("/foo/", "Prefix", "prefix:80"), ("/foo", "Exact", "exact:80")], cls="other"))
    assert backend_of(ing("http://a.example.com/foo")) == "default/prefix:80"


def test_longest_prefix_then_method_headers_queries_then_age_name_and_rule_order(gateway):
    rules = (rule("/a", backend="short") + rule("/a/b", backend="long")
             + rule("/m", backend="nomethod") + rule("/m", backend="method", extra=", method: POST")
             + rule("/h", backend="oneheader", extra=", headers: [{name: x, value: '1'}]")
             + rule("/h", backend="twoheaders", extra=", headers: [{name: x, value: '1'}, {name: y, value: '2'}]")
             + rule("/q", backend="noquery") + rule("/q", backend="query", extra=", queryParams: [{name: v, value: '1'}]")
             + rule("/dup", backend="first") + rule("/dup", backend="second"))
    ask = gateway(GW + route("r", "exact", rules))
    assert backend_of(ask("http://a.example.com/a/b/c")) == "app/long:80"
    assert backend_of(ask("http://a.example.com/a/c")) == "app/short:80"
    assert backend_of(ask("http://a.example.com/m", method="POST")) == "app/method:80"
    assert backend_of(ask("http://a.example.com/m")) == "app/nomethod:80"
    assert backend_of(ask("http://a.example.com/h", {"X": "1", "y": "2"})) == "app/twoheaders:80"
    assert backend_of(ask("http://a.example.com/h", {"x": "1"})) == "app/oneheader:80"
    assert backend_of(ask("http://a.example.com/q?v=1")) == "app/query:80"
    assert backend_of(ask("http://a.example.com/dup")) == "app/first:80"
    older = route("zzz", "exact", rule("/t", backend="older"), ts="2020-01-01T00:00:00Z")
    newer = route("aaa", "exact", rule("/t", backend="newer"), ts="2021-01-01T00:00:00Z")
    assert backend_of(gateway(GW + newer + older)("http://a.example.com/t")) == "app/older:80"
    assert backend_of(gateway(GW + route("b", "exact", rule("/t", backend="b")) + route("a", "exact", rule(
        "/t", backend="a")))("http://a.example.com/t")) == "app/a:80"


def test_wildcards_match_any_depth_and_the_most_specific_listener_wins(gateway):
    text = GW + route("w", "wild", rule("/", backend="wild")) + route("e", "exact", rule("/", backend="exact")) \
        + route("c", "http", rule("/", backend="catchall"))
    ask = gateway(text)
    assert backend_of(ask("http://a.example.com/")) == "app/exact:80"
    assert backend_of(ask("http://x.y.example.com/")) == "app/wild:80"
    assert backend_of(ask("http://example.com/")) == "app/catchall:80"
    assert ask("https://b.example.com/").kind == "no-listener"


def test_route_hostname_precedence_and_intersection(gateway):
    text = GW + route("w", None, rule("/", backend="wildroute"), hostnames='hostnames: ["*.example.com"]') \
        + route("e", None, rule("/x", backend="exactroute"), hostnames='hostnames: ["a.example.com"]')
    ask = gateway(text)
    assert backend_of(ask("http://a.example.com/x")) == "app/exactroute:80"
    assert backend_of(ask("http://b.example.com/x")) == "app/wildroute:80"
    # exact route has no rule for /y: the next matching rule (wildcard route) answers
    assert backend_of(ask("http://a.example.com/y")) == "app/wildroute:80"


def test_attachment_section_port_namespaces_and_selector(gateway):
    same = GW.replace("{from: All}", "{from: Same}")
    assert gateway(same + route("r", "http", rule("/")))("http://z.org/").status == 404
    assert backend_of(gateway(same + route("r", "http", rule("/"), ns="infra"))("http://z.org/")) == "infra/svc:80"
    sel = GW.replace("{from: All}", "{from: Selector, selector: {matchExpressions: [{key: kubernetes.io/metadata.name,"
                     " operator: In, values: [app]}]}}")
    assert backend_of(gateway(sel + route("r", "http", rule("/")))("http://z.org/")) == "app/svc:80"
    assert gateway(sel + route("r", "http", rule("/"), ns="other"))("http://z.org/").status == 404
    by_port = route("r", None, rule("/")).replace("namespace: infra}", "namespace: infra, port: 443}")
    assert gateway(GW + by_port)("http://a.example.com/").status == 404
    assert backend_of(gateway(GW + by_port)("https://a.example.com/")) == "app/svc:80"
    assert gateway(GW + route("r", "nope", rule("/")))("http://z.org/").status == 404


def test_reference_grant_for_cross_namespace_backends(gateway):
    r = route("r", "http", """  - backendRefs: [{name: db, namespace: data, port: 80}]
""")
    assert gateway(GW + r)("http://z.org/").status == 500
    grant = """
---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: {name: g, namespace: data}
spec:
  from: [{group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: app}]
  to: [{group: "", kind: Service}]
"""
    assert backend_of(gateway(GW + r + grant)("http://z.org/")) == "data/db:80"


def test_weights_give_a_distribution(gateway):
    r = route("r", "http", """  - backendRefs: [{name: a, port: 80, weight: 3}, {name: b, port: 80, weight: 1}, {name: c, port: 80, weight: 0}]
""")
    a = gateway(GW + r)("http://z.org/")
    assert dict((b.name, w) for b, w in a.backends) == {"a": Fraction(3, 4), "b": Fraction(1, 4)}


def test_redirect_defaults_scheme_port_and_path_modifiers(gateway):
    r = route("r", "http", """  - matches: [{path: {type: PathPrefix, value: /old}}]
    filters: [{type: RequestRedirect, requestRedirect: {scheme: https, statusCode: 301, path: {type: ReplacePrefixMatch, replacePrefixMatch: /new}}}]
  - matches: [{path: {type: PathPrefix, value: /full}}]
    filters: [{type: RequestRedirect, requestRedirect: {hostname: other.org, port: 8080, path: {type: ReplaceFullPath, replaceFullPath: /x}}}]
  - matches: [{path: {type: PathPrefix, value: /plain}}]
    filters: [{type: RequestRedirect, requestRedirect: {scheme: https}}]
""")
    ask = gateway(GW + r)
    a = ask("http://z.org/old/page?q=1")
    assert (a.status, a.location) == (301, "https://z.org/new/page?q=1")
    a = ask("http://z.org/full/y")
    assert (a.status, a.location) == (302, "http://other.org:8080/x")
    assert ask("http://z.org/plain").location == "https://z.org/plain"


@pytest.mark.parametrize(("matched", "path", "repl", "out"), [
    ("/foo", "/foo/bar", "/xyz", "/xyz/bar"), ("/foo", "/foo/bar", "/xyz/", "/xyz/bar"),
    ("/foo/", "/foo/bar", "/xyz", "/xyz/bar"), ("/foo", "/foo", "/xyz", "/xyz"), ("/foo/", "/foo", "/xyz", "/xyz"),
    ("/foo", "/foo/", "/xyz", "/xyz/"), ("/foo", "/foo", "", "/"), ("/foo", "/foo/", "", "/"),
    ("/foo", "/foo", "/", "/"), ("/foo/", "/foo/", "/", "/"), ("/foo", "/foo/bar", "/", "/bar"),
])
def test_replace_prefix_match_table(matched, path, repl, out):
    assert replace_prefix(matched, path, repl) == out


def test_url_rewrite_headers_mirror_and_cors(gateway):
    r = route("r", "http", """  - filters:
    - {type: URLRewrite, urlRewrite: {hostname: in.local, path: {type: ReplacePrefixMatch, replacePrefixMatch: /}}}
    - {type: RequestHeaderModifier, requestHeaderModifier: {set: [{name: X-A, value: "1"}], remove: [X-B]}}
    - {type: ResponseHeaderModifier, responseHeaderModifier: {add: [{name: X-R, value: "2"}]}}
    - {type: RequestMirror, requestMirror: {backendRef: {name: shadow, port: 80}}}
    - {type: CORS, cors: {allowOrigins: ["*"], maxAge: 10}}
    matches: [{path: {type: PathPrefix, value: /api}}]
    backendRefs: [{name: api, port: 80}]
""")
    a = gateway(GW + r)("http://z.org/api/v1")
    assert (a.upstream_path, a.upstream_host) == ("/v1", "in.local")
    assert a.request_headers == (("x-a", "1"), ("x-b", None))
    assert a.response_headers == (("x-r", "2"),)
    assert [m.show() for m in a.mirrors or ()] == ["app/shadow:80"]
    assert dict(a.cors or ())["maxAge"] == 10


def test_regex_dialects(gateway):
    r = route("r", "http", rule("(?i)^/api", "RegularExpression", backend="api"))
    assert backend_of(gateway(GW + r)("http://z.org/API/v1")) == "app/api:80"
    assert gateway(GW + r, regex="full")("http://z.org/API/v1").status == 404
    r2 = route("r", "http", rule("(?i)^/api.*", "RegularExpression", backend="api"))
    assert backend_of(gateway(GW + r2, regex="full")("http://z.org/API/v1")) == "app/api:80"


def test_no_rule_matches_is_404_and_a_rule_without_backends_500(gateway):
    r = route("r", "http", "  - matches: [{path: {type: Exact, value: /empty}}]\n")
    ask = gateway(GW + r)
    assert ask("http://z.org/other").status == 404
    assert ask("http://z.org/empty").status == 500


def test_grpc_route_and_tls_route(gateway):
    text = GW + """
---
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: {name: g, namespace: app}
spec:
  parentRefs: [{name: gw, namespace: infra, sectionName: http}]
  rules:
  - matches: [{method: {service: pkg.Svc}}]
    backendRefs: [{name: grpc, port: 9000}]
  - matches: [{method: {service: pkg.Svc, method: Get}}]
    backendRefs: [{name: get, port: 9000}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: tls, namespace: app}
spec:
  gatewayClassName: x
  listeners: [{name: pass, port: 443, protocol: TLS, hostname: secure.org, tls: {mode: Passthrough}}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: TLSRoute
metadata: {name: t, namespace: app}
spec:
  parentRefs: [{name: tls}]
  hostnames: [secure.org]
  rules: [{backendRefs: [{name: secure, port: 8443}]}]
"""
    ask = gateway(text)
    assert backend_of(ask("http://z.org/pkg.Svc/Get", grpc=True)) == "app/get:9000"
    assert backend_of(ask("http://z.org/pkg.Svc/List", grpc=True)) == "app/grpc:9000"
    a = ask("https://secure.org/")
    assert a.kind == "passthrough" and a.backends[0][0].show() == "app/secure:8443"


def test_equally_specific_listeners_on_two_gateways_must_agree(gateway):
    other = "---\n" + GW.replace("name: gw, namespace: infra", "name: gw2, namespace: infra")
    text = GW + other + route("r", "http", rule("/", backend="one")) + \
        route("s", "http", rule("/", backend="two")).replace("name: gw,", "name: gw2,")
    a = gateway(text)("http://z.org/")
    assert a.kind == "status" and a.via.startswith("ambiguous")


# Before v1.5 (experimental channel), the kind is XListenerSet in the gateway.networking.x-k8s.io group.
@pytest.mark.parametrize(("api", "kind", "group"), [
    ("gateway.networking.k8s.io/v1", "ListenerSet", "gateway.networking.k8s.io"),
    ("gateway.networking.x-k8s.io/v1alpha1", "XListenerSet", "gateway.networking.x-k8s.io")])
def test_listener_sets_attach_only_when_the_gateway_allows_them(gateway, api, kind, group):
    ls = f"""
---
apiVersion: {api}
kind: {kind}
metadata: {{name: extra, namespace: app}}
spec:
  parentRef: {{name: gw, namespace: infra}}
  listeners: [{{name: more, port: 80, protocol: HTTP, hostname: more.org}}]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {{name: r, namespace: app}}
spec:
  parentRefs: [{{group: {group}, kind: {kind}, name: extra, sectionName: more}}]
  rules: [{{backendRefs: [{{name: svc, port: 80}}]}}]
"""
    a = gateway(GW + ls)("http://more.org/")
    assert a.status == 404 and any(c.detail == "extra" for c in a.causes)
    allowed = GW.replace("gatewayClassName: x", "gatewayClassName: x\n  allowedListeners: {namespaces: {from: All}}")
    assert backend_of(gateway(allowed + ls)("http://more.org/")) == "app/svc:80"
