"""Session affinity (affinity.py)."""

from __future__ import annotations

from routing_helpers import convert, ingress, outcome, rules

from ing2gw.model import Outcome

ATTRS = ("session-cookie-path", "session-cookie-domain", "session-cookie-samesite",
         "session-cookie-conditional-samesite-none", "session-cookie-secure", "session-cookie-change-on-failure")
ANN = {"affinity": "cookie", "affinity-mode": "balanced", "affinity-canary-behavior": "sticky",
       "session-cookie-name": "route", "session-cookie-max-age": "3600", "session-cookie-expires": "7200",
       "session-cookie-path": "/", "session-cookie-domain": ".e.com", "session-cookie-samesite": "Lax",
       "session-cookie-conditional-samesite-none": "true", "session-cookie-secure": "true",
       "session-cookie-change-on-failure": "true"}


def test_experimental_channel_gets_session_persistence() -> None:
    r = convert(ingress(ann=ANN), channel="experimental")
    assert rules(r, "a-example-com")[0]["sessionPersistence"] == {
        "type": "Cookie", "sessionName": "route", "absoluteTimeout": "3600s", "cookieConfig": {"lifetimeType": "Permanent"}}
    assert outcome(r, "affinity").outcome is Outcome.TRANSLATED
    assert outcome(r, "session-cookie-name").outcome is Outcome.TRANSLATED
    assert outcome(r, "session-cookie-max-age").outcome is Outcome.TRANSLATED
    assert outcome(r, "session-cookie-expires").outcome is Outcome.TRANSLATED
    assert outcome(r, "affinity-mode").outcome is Outcome.CAVEAT
    assert outcome(r, "affinity-canary-behavior").outcome is Outcome.UNSUPPORTED
    for key in ATTRS:
        assert outcome(r, key).outcome is Outcome.UNSUPPORTED, key


def test_standard_channel_gets_a_requirement() -> None:
    r = convert(ingress(ann={"affinity": "cookie", "session-cookie-path": "/a", "affinity-mode": "persistent"}))
    n = outcome(r, "affinity")
    assert n.outcome is Outcome.NEEDS_EMITTER
    req = [q for q in r.model.requirements if q.id == n.requirement][0]
    assert req.feature == "session-affinity" and req.params["cookie_name"] == "INGRESSCOOKIE"
    assert req.params["path"] == "/a" and req.params["mode"] == "persistent"
    assert outcome(r, "session-cookie-path").outcome is Outcome.NEEDS_EMITTER
    assert "sessionPersistence" not in rules(r, "a-example-com")[0]


def test_cookie_settings_without_affinity_do_nothing() -> None:
    r = convert(ingress(ann={"session-cookie-name": "x"}))
    assert outcome(r, "session-cookie-name").outcome is Outcome.NOT_ROUTING
    r = convert(ingress(ann={"affinity": "ip"}))
    assert outcome(r, "affinity").outcome is Outcome.ERROR


def test_long_lifetimes_fit_the_duration_format() -> None:
    r = convert(ingress(ann={"affinity": "cookie", "session-cookie-max-age": "172800"}), channel="experimental")
    assert rules(r, "a-example-com")[0]["sessionPersistence"]["absoluteTimeout"] == "48h"
