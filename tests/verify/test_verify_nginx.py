"""The ingress-nginx engine against hand-written cases from the routing semantics notes."""

from __future__ import annotations

from fractions import Fraction

from verify_helpers import backend_of, ingress


def test_prefix_is_element_wise_and_implementation_specific_is_a_string_prefix(nginx):
    ask = nginx(ingress("w", paths=[("/foo", "Prefix", "foo:80"), ("/bar", "ImplementationSpecific", "bar:80"),
                                    ("/", "Prefix", "root:80")]))
    assert backend_of(ask("http://a.example.com/foo")) == "default/foo:80"
    assert backend_of(ask("http://a.example.com/foo/")) == "default/foo:80"
    assert backend_of(ask("http://a.example.com/foo/x")) == "default/foo:80"
    assert backend_of(ask("http://a.example.com/foobar")) == "default/root:80"
    assert backend_of(ask("http://a.example.com/barbaz")) == "default/bar:80"
    assert backend_of(ask("http://a.example.com/FOO")) == "default/root:80"  # case-sensitive without regex


def test_prefix_with_trailing_slash_does_not_match_the_bare_path(nginx):
    ask = nginx(ingress("w", paths=[("/api/", "Prefix", "api:80"), ("/", "Prefix", "web:80")]))
    assert backend_of(ask("http://a.example.com/api/")) == "default/api:80"
    assert backend_of(ask("http://a.example.com/api")) == "default/web:80"


def test_exact_wins_over_a_longer_prefix(nginx):
    ask = nginx(ingress("w", paths=[("/foo", "Exact", "exact:80"), ("/foo/", "Prefix", "prefix:80")]))
    assert backend_of(ask("http://a.example.com/foo")) == "default/exact:80"
    assert backend_of(ask("http://a.example.com/foo/x")) == "default/prefix:80"
    assert ask("http://a.example.com/other").status == 404


def test_regex_mode_is_host_wide_case_insensitive_and_prefix_anchored(nginx):
    text = ingress("a", paths=[("/app", "Prefix", "app:80")], ts="2024-01-01T00:00:00Z") + \
        ingress("b", paths=[("/x/[0-9]+", "ImplementationSpecific", "num:80")], ann={"use-regex": "true"},
                ts="2024-01-02T00:00:00Z")
    ask = nginx(text)
    assert backend_of(ask("http://a.example.com/x/42")) == "default/num:80"
    # the other Ingress's Prefix path became ~* "^/app": case-insensitive and a string prefix
    a = ask("http://a.example.com/APPLE")
    assert backend_of(a) == "default/app:80"
    assert any(c.subject.endswith("use-regex") for c in a.causes)
    assert ask("http://a.example.com/nothing").status == 404
    # another host is untouched
    ask2 = nginx(text + ingress("c", host="b.example.com", paths=[("/app", "Prefix", "other:80")]))
    assert ask2("http://b.example.com/APP").status == 404


def test_regex_mode_orders_longest_path_first(nginx):
    ask = nginx(ingress("a", paths=[("/a", "ImplementationSpecific", "short:80"),
                                    ("/a/b", "ImplementationSpecific", "long:80")], ann={"use-regex": "true"}))
    assert backend_of(ask("http://a.example.com/a/b/c")) == "default/long:80"
    assert backend_of(ask("http://a.example.com/a/c")) == "default/short:80"


def test_wildcard_host_matches_one_label_and_unknown_hosts_go_to_the_default_server(nginx):
    text = ingress("w", host="*.example.com", paths=[("/", "Prefix", "wild:80")]) + \
        ingress("d", host=None, paths=None, default_backend="fallback:80", ts="2024-01-02T00:00:00Z")
    ask = nginx(text)
    assert backend_of(ask("http://x.example.com/")) == "default/wild:80"
    assert backend_of(ask("http://x.y.example.com/")) == "default/fallback:80"
    assert backend_of(ask("http://example.com/")) == "default/fallback:80"
    assert nginx(ingress("w", host="*.example.com", paths=[("/", "Prefix", "wild:80")]))(
        "http://x.y.example.com/").status == 404


def test_oldest_ingress_keeps_a_duplicate_path(nginx):
    text = ingress("new", paths=[("/p", "Prefix", "new:80")], ts="2024-02-01T00:00:00Z") + \
        ingress("old", paths=[("/p", "Prefix", "old:80")], ts="2024-01-01T00:00:00Z")
    assert backend_of(nginx(text)("http://a.example.com/p")) == "default/old:80"


def test_default_backend_serves_unmatched_paths_of_its_hosts(nginx):
    ask = nginx(ingress("w", paths=[("/api", "Prefix", "api:80")], default_backend="db:80"))
    assert backend_of(ask("http://a.example.com/other")) == "default/db:80"
    assert ask("http://b.example.com/other").status == 404


def test_ssl_redirect_default_with_tls_code_and_trailing_slash(nginx):
    ask = nginx(ingress("w", paths=[("/", "Prefix", "web:80")], tls=["a.example.com"]))
    a = ask("http://a.example.com/docs/?x=1")
    assert (a.kind, a.status, a.location) == ("redirect", 308, "https://a.example.com/docs/?x=1")
    a = ask("http://a.example.com/docs/")
    assert a.location == "https://a.example.com/docs"
    assert backend_of(ask("https://a.example.com/docs")) == "default/web:80"
    ask = nginx(ingress("w", paths=[("/", "Prefix", "web:80")], tls=["a.example.com"]), {"http-redirect-code": "301"})
    assert ask("http://a.example.com/x").status == 301
    ask = nginx(ingress("w", paths=[("/", "Prefix", "web:80")], tls=["a.example.com"],
                        ann={"ssl-redirect": "false", "preserve-trailing-slash": "true"}))
    assert ask("http://a.example.com/x").kind == "backend"


def test_acme_challenge_location_is_not_redirected(nginx):
    ask = nginx(ingress("w", paths=[("/.well-known/acme-challenge", "Prefix", "acme:80"), ("/", "Prefix", "web:80")],
                        tls=["a.example.com"]))
    assert backend_of(ask("http://a.example.com/.well-known/acme-challenge/t")) == "default/acme:80"
    assert ask("http://a.example.com/x").kind == "redirect"


def test_force_ssl_redirect_without_tls(nginx):
    ask = nginx(ingress("w", paths=[("/", "Prefix", "web:80")], ann={"force-ssl-redirect": "true"}))
    a = ask("http://a.example.com/x")
    assert (a.status, a.location) == (308, "https://a.example.com/x")


def test_permanent_and_temporal_redirects(nginx):
    ask = nginx(ingress("w", paths=[("/", "Prefix", "web:80")], ann={"permanent-redirect": "https://new.example.com/"}))
    a = ask("http://a.example.com/anything?q=1")
    assert (a.status, a.location) == (301, "https://new.example.com/")
    ask = nginx(ingress("w", paths=[("/", "Prefix", "web:80")], ann={
        "permanent-redirect": "https://p.example.com", "temporal-redirect": "https://t.example.com$request_uri",
        "temporal-redirect-code": "307"}))
    a = ask("http://a.example.com/x?y=1")
    assert (a.status, a.location) == (307, "https://t.example.com/x?y=1")
    ask = nginx(ingress("w", paths=[("/", "Prefix", "web:80")], ann={"permanent-redirect": "https://p.example.com",
                                                                      "permanent-redirect-code": "399"}))
    assert ask("http://a.example.com/").status == 301


def test_app_root_redirects_only_the_root(nginx):
    ask = nginx(ingress("w", paths=[("/", "Prefix", "web:80")], ann={"app-root": "/app"}))
    a = ask("http://a.example.com/")
    assert (a.status, a.location) == (302, "http://a.example.com/app")
    assert backend_of(ask("http://a.example.com/other")) == "default/web:80"


def test_from_to_www_redirect(nginx):
    ask = nginx(ingress("w", paths=[("/", "Prefix", "web:80")], ann={"from-to-www-redirect": "true"}))
    a = ask("http://www.a.example.com/x?q=1")
    assert (a.status, a.location) == (308, "http://a.example.com/x?q=1")


def test_rewrite_replaces_the_whole_path_and_substitutes_captures(nginx):
    ask = nginx(ingress("w", paths=[("/something", "Prefix", "web:80")], ann={"rewrite-target": "/"}))
    a = ask("http://a.example.com/something/deep?q=1")
    assert (backend_of(a), a.upstream_path) == ("default/web:80", "/?q=1")
    ask = nginx(ingress("w", paths=[("/api(/|$)(.*)", "ImplementationSpecific", "api:80")],
                        ann={"rewrite-target": "/$2"}))
    assert ask("http://a.example.com/api/v1/users").upstream_path == "/v1/users"
    assert ask("http://a.example.com/API").upstream_path == "/"


def test_upstream_vhost_and_x_forwarded_prefix(nginx):
    ask = nginx(ingress("w", paths=[("/", "Prefix", "web:80")], ann={"upstream-vhost": "internal.local",
                                                                      "x-forwarded-prefix": "/p"}))
    a = ask("http://a.example.com/")
    assert a.upstream_host == "internal.local"
    assert a.request_headers == (("x-forwarded-prefix", "/p"),)


def test_ssl_passthrough_forwards_tls_to_the_root_backend(nginx):
    ask = nginx(ingress("w", paths=[("/", "Prefix", "tls:443")], ann={"ssl-passthrough": "true"}))
    a = ask("https://a.example.com/ignored")
    assert a.kind == "passthrough" and a.backends[0][0].show() == "default/tls:443"


CANARY = ingress("main", paths=[("/", "Prefix", "main:80")])


def test_canary_by_header(nginx):
    ask = nginx(CANARY + ingress("c", paths=[("/", "Prefix", "canary:80")], ts="2024-01-02T00:00:00Z",
                                 ann={"canary": "true", "canary-by-header": "X-Canary", "canary-weight": "10"}))
    assert backend_of(ask("http://a.example.com/", {"x-canary": "always"})) == "default/canary:80"
    assert backend_of(ask("http://a.example.com/", {"X-Canary": "never"})) == "default/main:80"
    a = ask("http://a.example.com/", {"X-Canary": "maybe"})
    assert dict((b.show(), w) for b, w in a.backends) == {"default/main:80": Fraction(9, 10),
                                                         "default/canary:80": Fraction(1, 10)}


def test_canary_by_header_value_and_pattern_and_cookie(nginx):
    ask = nginx(CANARY + ingress("c", paths=[("/", "Prefix", "canary:80")], ts="2024-01-02T00:00:00Z",
                                 ann={"canary": "true", "canary-by-header": "X-C", "canary-by-header-value": "yes",
                                      "canary-by-cookie": "cc"}))
    assert backend_of(ask("http://a.example.com/", {"X-C": "yes"})) == "default/canary:80"
    assert backend_of(ask("http://a.example.com/", {"X-C": "always"})) == "default/main:80"
    assert backend_of(ask("http://a.example.com/", {"Cookie": "a=b; cc=always"})) == "default/canary:80"
    assert backend_of(ask("http://a.example.com/", {"X-C": "never", "Cookie": "cc=always"})) == "default/canary:80"
    ask = nginx(CANARY + ingress("c", paths=[("/", "Prefix", "canary:80")], ts="2024-01-02T00:00:00Z",
                                 ann={"canary": "true", "canary-by-header": "X-C", "canary-by-header-pattern": "^b.*"}))
    assert backend_of(ask("http://a.example.com/", {"X-C": "beta"})) == "default/canary:80"
    assert backend_of(ask("http://a.example.com/", {"X-C": "alpha"})) == "default/main:80"


def test_canary_weight_total(nginx):
    ask = nginx(CANARY + ingress("c", paths=[("/", "Prefix", "canary:80")], ts="2024-01-02T00:00:00Z",
                                 ann={"canary": "true", "canary-weight": "1", "canary-weight-total": "4"}))
    a = ask("http://a.example.com/x")
    assert dict((b.name, w) for b, w in a.backends) == {"main": Fraction(3, 4), "canary": Fraction(1, 4)}


def test_named_ports_resolve_through_the_service(nginx):
    text = ingress("w", paths=[("/", "Prefix", "web:80")]).replace("number: 80", "name: http") + """
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec: {ports: [{name: http, port: 8080}]}
"""
    assert backend_of(nginx(text)("http://a.example.com/")) == "default/web:8080"


def test_mirror_target_names_the_mirrored_backend(nginx):
    ask = nginx(ingress("w", paths=[("/", "Prefix", "web:80")],
                        ann={"mirror-target": "http://shadow.test.svc.cluster.local:8080$request_uri"}))
    assert [m.show() for m in ask("http://a.example.com/x").mirrors or ()] == ["test/shadow:8080"]
    ask = nginx(ingress("w", paths=[("/", "Prefix", "web:80")], ann={"mirror-target": "https://copy.example.org$request_uri"}))
    assert [m.show() for m in ask("http://a.example.com/x").mirrors or ()] == ["External /copy.example.org:443"]
    assert nginx(ingress("w", paths=[("/", "Prefix", "web:80")]))("http://a.example.com/").mirrors == ()
