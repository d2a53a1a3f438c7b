"""What a conversion states where Gateway API routes differently from the controller's one entry point:
catch-alls and hosts shared across namespaces in per-namespace mode, the one winner in shared mode, the
Ingress specification's precedence of a Prefix ``/foo/`` over an Exact ``/foo``, and the admission rules of
an existing Gateway (``allowedRoutes`` of reused listeners, ``allowedListeners`` for ListenerSets)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from ing2gw.api import ConversionResult, ConvertOptions, convert_objects
from ing2gw.model import Notification, Outcome


def ing(name: str, ns: str, *, ts: str, db: str | None = None, host: str | None = None,
        paths: list[tuple[str, str, str]] | None = None, cls: str = "nginx") -> dict[str, Any]:
    spec: dict[str, Any] = {"ingressClassName": cls}
    if db:
        spec["defaultBackend"] = {"service": {"name": db, "port": {"number": 80}}}
    if paths is not None:
        rule: dict[str, Any] = {"http": {"paths": [
            {"path": p, "pathType": t, "backend": {"service": {"name": s, "port": {"number": 80}}}}
            for p, t, s in paths]}}
        if host:
            rule["host"] = host
        spec["rules"] = [rule]
    return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
            "metadata": {"name": name, "namespace": ns, "creationTimestamp": ts}, "spec": spec}


def notes_on(result: ConversionResult, ref: str, subject: str) -> list[Notification]:
    return [n for n in result.notifications if n.source.ref == ref and n.subject == subject]


def one_outcome_per_field(result: ConversionResult) -> None:
    counts = Counter((n.source.ref, n.subject) for n in result.notifications if n.source.kind == "Ingress")
    assert all(c == 1 for c in counts.values()), [k for k, c in counts.items() if c > 1]


TWO_CATCH_ALLS = [ing("late", "a", ts="2024-02-01T00:00:00Z", db="a-default"),
                  ing("early", "b", ts="2024-01-01T00:00:00Z", db="b-default")]


def test_per_namespace_catch_alls_state_the_split_naming_both_and_the_winner() -> None:
    result = convert_objects(TWO_CATCH_ALLS, ConvertOptions())
    one_outcome_per_field(result)
    for me, other in (("Ingress a/late", "Ingress b/early"), ("Ingress b/early", "Ingress a/late")):
        [note] = notes_on(result, me, "metadata.namespace")
        assert note.outcome is Outcome.CAVEAT
        assert f"also served by {other}" in note.message
        assert "the controller used only the oldest one, Ingress b/early's" in note.message
        assert note.hint is not None and "--gateway-mode shared" in note.hint
    assert len([o for o in result.objects if o["kind"] == "Gateway"]) == 2


def test_shared_mode_keeps_one_catch_all_and_states_the_loser() -> None:
    result = convert_objects(TWO_CATCH_ALLS, ConvertOptions(gateway_mode="shared", gateway="infra/gw"))
    one_outcome_per_field(result)
    assert not [n for n in result.notifications if n.subject == "metadata.namespace"]
    routes = [o for o in result.objects if o["kind"] == "HTTPRoute"]
    assert [r["spec"]["rules"][0]["backendRefs"][0]["name"] for r in routes] == ["b-default"]
    [lost] = notes_on(result, "Ingress a/late", "spec.defaultBackend")
    assert lost.outcome is Outcome.CAVEAT and "older Ingress b/early" in lost.message
    [kept] = notes_on(result, "Ingress b/early", "spec.defaultBackend")
    assert kept.outcome is Outcome.TRANSLATED


def test_no_split_statement_for_other_classes_or_other_hosts() -> None:
    objs = [ing("x", "a", ts="2024-01-01T00:00:00Z", db="d"), ing("y", "b", ts="2024-01-01T00:00:00Z", db="d",
                                                                 cls="other"),
            ing("h1", "a", ts="2024-01-01T00:00:00Z", host="one.example.com", paths=[("/", "Prefix", "s")]),
            ing("h2", "b", ts="2024-01-01T00:00:00Z", host="two.example.com", paths=[("/", "Prefix", "s")])]
    result = convert_objects(objs, ConvertOptions())
    assert not [n for n in result.notifications if n.subject == "metadata.namespace"]


def test_a_host_shared_across_namespaces_is_stated() -> None:
    objs = [ing("h1", "a", ts="2024-01-01T00:00:00Z", host="shop.example.com", paths=[("/cart", "Prefix", "c")]),
            ing("h2", "b", ts="2024-01-02T00:00:00Z", host="shop.example.com", paths=[("/pay", "Prefix", "p")])]
    result = convert_objects(objs, ConvertOptions())
    [note] = notes_on(result, "Ingress a/h1", "metadata.namespace")
    assert "host shop.example.com, also served by Ingress b/h2" in note.message
    assert "Gateway a/nginx only" in note.message


def test_spec_catch_all_in_another_namespace_is_stated_on_the_default_backend() -> None:
    objs = [ing("fallback", "b", ts="2024-01-01T00:00:00Z", db="d", cls="other"),
            ing("web", "a", ts="2024-01-01T00:00:00Z", host="web.example.com", paths=[("/x", "Exact", "w")],
                cls="other")]
    result = convert_objects(objs, ConvertOptions())
    one_outcome_per_field(result)
    [note] = notes_on(result, "Ingress b/fallback", "spec.defaultBackend")
    assert note.outcome is Outcome.CAVEAT and "hosts of Ingress a/web in other namespaces" in note.message


def test_spec_catch_all_also_serves_the_unmatched_paths_of_other_hosts() -> None:
    objs = [ing("fallback", "a", ts="2024-01-01T00:00:00Z", db="d", cls="other"),
            ing("web", "a", ts="2024-01-01T00:00:00Z", host="web.example.com", paths=[("/x", "Exact", "w")],
                cls="other")]
    result = convert_objects(objs, ConvertOptions())
    web = next(o for o in result.objects if o["kind"] == "HTTPRoute" and o["spec"].get("hostnames"))
    assert {"path": {"type": "PathPrefix", "value": "/"}} in [m for r in web["spec"]["rules"] for m in r["matches"]]
    [note] = notes_on(result, "Ingress a/fallback", "spec.defaultBackend")
    assert "other hosts of this Gateway" in note.message


def test_prefix_with_slash_over_exact_is_stated_on_the_prefix_path() -> None:
    objs = [ing("docs", "a", ts="2024-01-01T00:00:00Z", host="d.example.com", cls="other",
                paths=[("/docs/", "Prefix", "site"), ("/docs", "Exact", "index"),
                       ("/api/", "Prefix", "api"), ("/api", "Exact", "api")])]
    result = convert_objects(objs, ConvertOptions())
    one_outcome_per_field(result)
    [note] = notes_on(result, "Ingress a/docs", "spec.rules[0].http.paths[0]")
    assert note.outcome is Outcome.CAVEAT
    assert "'/docs/'" in note.message and "Exact path '/docs'" in note.message
    # the same backend on both: nothing changes for /api, so nothing is stated
    assert notes_on(result, "Ingress a/docs", "spec.rules[0].http.paths[2]")[0].outcome is Outcome.TRANSLATED


def test_prefix_with_slash_over_exact_is_not_stated_for_ingress_nginx() -> None:
    # ingress-nginx writes `location = /docs` for the Exact path: it wins there too
    objs = [ing("docs", "a", ts="2024-01-01T00:00:00Z", host="d.example.com",
                paths=[("/docs/", "Prefix", "site"), ("/docs", "Exact", "index")])]
    result = convert_objects(objs, ConvertOptions())
    assert "Exact path" not in " ".join(n.message for n in notes_on(result, "Ingress a/docs",
                                                                      "spec.rules[0].http.paths[0]"))


def existing(listener: dict[str, Any], allowed_listeners: str | None = None) -> dict[str, Any]:
    spec: dict[str, Any] = {"gatewayClassName": "eg", "listeners": [listener]}
    if allowed_listeners:
        spec["allowedListeners"] = {"namespaces": {"from": allowed_listeners}}
    return {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway",
            "metadata": {"name": "public", "namespace": "infra"}, "spec": spec}


def gateway_notes(listener: dict[str, Any], allowed_listeners: str | None = None) -> list[Notification]:
    objs = [existing(listener, allowed_listeners),
            ing("app", "team-a", ts="2024-01-01T00:00:00Z", host="a.example.com", paths=[("/", "Prefix", "app")])]
    result = convert_objects(objs, ConvertOptions(gateway="infra/public", gateway_mode="shared"))
    return [n for n in result.notifications if n.source.kind == "Gateway"]


def test_reused_listener_that_admits_only_its_namespace_is_stated_loudly() -> None:
    [note] = gateway_notes({"name": "web", "port": 80, "protocol": "HTTP", "hostname": "a.example.com"})
    assert note.outcome is Outcome.UNSUPPORTED
    assert "listener web" in note.message and "team-a" in note.message and "NOT accept" in note.message


def test_reused_listener_with_a_selector_is_stated_and_all_is_silent() -> None:
    [note] = gateway_notes({"name": "web", "port": 80, "protocol": "HTTP", "hostname": "a.example.com",
                            "allowedRoutes": {"namespaces": {"from": "Selector", "selector": {}}}})
    assert note.outcome is Outcome.CAVEAT and "Selector" in note.message
    assert gateway_notes({"name": "web", "port": 80, "protocol": "HTTP", "hostname": "a.example.com",
                          "allowedRoutes": {"namespaces": {"from": "All"}}}) == []


def test_listener_set_caveat_names_allowed_listeners_and_whether_the_gateway_admits_it() -> None:
    other = {"name": "other", "port": 80, "protocol": "HTTP", "hostname": "z.example.com"}
    [refused] = gateway_notes(other)
    assert "spec.allowedListeners" in refused.message and "does not yet" in refused.message
    [admitted] = gateway_notes(other, "Same")
    assert "it does (spec.allowedListeners.namespaces.from: Same)" in admitted.message


def test_two_paths_of_one_ingress_with_one_match_each_have_one_outcome() -> None:
    for cls, kept in (("other", "a"), ("nginx", "b")):
        objs = [ing("api", "a", ts="2024-01-01T00:00:00Z", host="x.example.com", cls=cls,
                    paths=[("/api", "Prefix", "b"), ("/api/", "Prefix", "a")])]
        result = convert_objects(objs, ConvertOptions())
        one_outcome_per_field(result)
        route = next(o for o in result.objects if o["kind"] == "HTTPRoute")
        assert [r["backendRefs"][0]["name"] for r in route["spec"]["rules"]] == [kept], cls
        assert any("gets no rule" in n.message for n in result.notifications), cls
