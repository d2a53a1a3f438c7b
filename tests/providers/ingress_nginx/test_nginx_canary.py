"""Canary folding (canary.py)."""

from __future__ import annotations

from routing_helpers import convert, ingress, kinds, outcome, rules

from ing2gw.model import Outcome

MAIN = ingress("main", ts="2024-01-01T00:00:00Z", paths=(("/", "Prefix", "app", 80),))


def canary(name="can", ts="2024-01-02T00:00:00Z", **ann):
    return ingress(name, ts=ts, ann={"canary": "true", **ann}, paths=(("/", "Prefix", f"{name}-svc", 80),))


def _rule_summary(r):
    out = []
    for rule in rules(r, "a-example-com"):
        m = rule["matches"][0]
        hdr = tuple((h["name"], h["type"], h["value"]) for h in m.get("headers", []))
        out.append((hdr, tuple((b["name"], b.get("weight")) for b in rule["backendRefs"])))
    return out


def test_header_always_never_then_cookie_then_weight_in_order() -> None:
    r = convert(MAIN, canary(**{"canary-by-header": "X-C", "canary-by-cookie": "c", "canary-weight": "10"}))
    s = _rule_summary(r)
    assert [x[0][0][:1] if x[0] else () for x in s] == [("X-C",), ("X-C",), ("Cookie",), ("Cookie",), ()]
    assert s[0] == ((("X-C", "Exact", "never"),), (("app", None),))
    assert s[1] == ((("X-C", "Exact", "always"),), (("can-svc", None),))
    assert "c=never" in s[2][0][0][2] and "c=always" in s[3][0][0][2]
    assert s[4][1] == (("app", 90), ("can-svc", 10))
    assert len(kinds(r, "HTTPRoute")) == 1  # the canary has no route of its own
    assert outcome(r, "canary", "can").outcome is Outcome.TRANSLATED
    assert outcome(r, "canary-by-header").outcome is Outcome.TRANSLATED
    assert outcome(r, "canary-by-cookie").outcome is Outcome.CAVEAT
    assert outcome(r, "canary-weight").outcome is Outcome.TRANSLATED


def test_header_value_wins_over_pattern() -> None:
    r = convert(MAIN, canary(**{"canary-by-header": "X-R", "canary-by-header-value": "eu",
                                "canary-by-header-pattern": "^e", "canary-weight": "5",
                                "canary-weight-total": "1000"}))
    s = _rule_summary(r)
    assert s[0] == ((("X-R", "Exact", "eu"),), (("can-svc", None),))
    assert s[1][1] == (("app", 995), ("can-svc", 5))
    assert outcome(r, "canary-by-header-pattern").outcome is Outcome.NOT_ROUTING
    assert outcome(r, "canary-by-header-value").outcome is Outcome.TRANSLATED
    assert outcome(r, "canary-weight-total").outcome is Outcome.TRANSLATED


def test_header_pattern_is_an_unanchored_regex() -> None:
    r = convert(MAIN, canary(**{"canary-by-header": "X-B", "canary-by-header-pattern": "^(yes|1)$"}))
    assert _rule_summary(r)[0][0] == (("X-B", "RegularExpression", ".*(?:^(yes|1)$).*"),)
    assert outcome(r, "canary-by-header-pattern").outcome is Outcome.CAVEAT


def test_unpaired_and_second_canaries_are_ignored() -> None:
    orphan = ingress("orphan", ann={"canary": "true", "canary-weight": "50"}, host="b.example.com")
    r = convert(MAIN, canary(**{"canary-weight": "10"}), canary("late", ts="2024-01-03T00:00:00Z",
                                                                 **{"canary-weight": "20"}), orphan)
    assert outcome(r, "canary", "orphan").outcome is Outcome.NOT_ROUTING
    assert outcome(r, "canary-weight", "orphan").outcome is Outcome.NOT_ROUTING
    assert outcome(r, "canary", "late").outcome is Outcome.NOT_ROUTING
    assert not [o for o in kinds(r, "HTTPRoute") if "b-example" in o["metadata"]["name"]]
    assert _rule_summary(r)[0][1] == (("app", 90), ("can-svc", 10))


def test_canary_annotations_on_an_ordinary_ingress_do_nothing() -> None:
    r = convert(ingress(ann={"canary-weight": "50", "canary": "false"}))
    assert outcome(r, "canary-weight").outcome is Outcome.NOT_ROUTING
    assert outcome(r, "canary").outcome is Outcome.TRANSLATED


def test_other_annotations_of_a_canary_are_ignored() -> None:
    r = convert(MAIN, canary(**{"canary-weight": "10", "rewrite-target": "/x"}))
    assert outcome(r, "rewrite-target", "can").outcome is Outcome.NOT_ROUTING
    assert "filters" not in rules(r, "a-example-com")[0]


def test_canary_in_another_namespace_needs_a_reference_grant() -> None:
    c = canary(**{"canary-weight": "10"})
    c["metadata"]["namespace"] = "other"
    r = convert(MAIN, c)
    n = outcome(r, "canary", "can")
    assert n.outcome is Outcome.CAVEAT and "ReferenceGrant" in (n.hint or "")
    assert {"name": "can-svc", "namespace": "other", "port": 80, "weight": 10} in rules(r, "a-example-com")[0]["backendRefs"]


def test_load_balancing_of_a_paired_canary_targets_its_service() -> None:
    r = convert(MAIN, canary(**{"canary-weight": "10", "load-balance": "ewma", "limit-rps": "5"}))
    n = outcome(r, "load-balance", "can")
    assert n.outcome is Outcome.NEEDS_EMITTER and n.requirement
    req = [q for q in r.model.requirements if q.id == n.requirement]
    assert req and req[0].target == "service"
    assert outcome(r, "limit-rps", "can").outcome is Outcome.NOT_ROUTING
    assert not [q for q in r.model.requirements if q.feature == "rate-limit"]
