"""retries.py: HTTPRoute retry on the experimental channel, a retry requirement always."""

from __future__ import annotations

from ing2gw.model import Outcome

A = {"proxy-next-upstream": "error timeout http_502 http_503 http_429", "proxy-next-upstream-tries": "4",
     "proxy-next-upstream-timeout": "10"}


def test_experimental_emits_retry(nginx):
    r = nginx(A, channel="experimental")
    rule = r.route()["spec"]["rules"][0]
    assert rule["retry"] == {"codes": [429, 502, 503], "attempts": 3}
    req = r.req("retry")
    assert req.params == {"conditions": ["error", "timeout", "http_502", "http_503", "http_429"], "attempts": 4,
                          "timeout": 10.0}
    assert r.outcome("proxy-next-upstream") is Outcome.CAVEAT
    assert "POST" in r.note("proxy-next-upstream").message
    assert r.outcome("proxy-next-upstream-tries") is Outcome.CAVEAT
    assert r.outcome("proxy-next-upstream-timeout") is Outcome.NEEDS_EMITTER
    for key in A:
        assert r.linked(key).id == req.id


def test_standard_channel_keeps_requirement_only(nginx):
    r = nginx(A)
    assert "retry" not in r.route()["spec"]["rules"][0]
    assert r.outcome("proxy-next-upstream") is Outcome.NEEDS_EMITTER
    assert "experimental-channel only" in r.note("proxy-next-upstream").message
    assert not [n for n in r.result.notifications if n.subject == "retry"]


def test_defaults_and_off(nginx):
    r = nginx({"proxy-next-upstream-tries": "2"}, channel="experimental")
    assert r.route()["spec"]["rules"][0]["retry"] == {"attempts": 1}
    assert r.req("retry").params["conditions"] == ["error", "timeout"]
    r = nginx({"proxy-next-upstream": "off"}, channel="experimental")
    assert "retry" not in r.route()["spec"]["rules"][0]
    assert "no retries" in r.note("proxy-next-upstream").message
    r = nginx({"proxy-next-upstream-tries": "0", "proxy-next-upstream": "http_500 non_idempotent"},
              channel="experimental")
    assert r.route()["spec"]["rules"][0]["retry"] == {"codes": [500]}
    assert "unlimited" in r.note("proxy-next-upstream").message
    r = nginx({"proxy-next-upstream": "http_500"}, channel="experimental", config={"proxy-next-upstream-tries": "5",
                                                                                   "retry-non-idempotent": "true"})
    assert r.route()["spec"]["rules"][0]["retry"]["attempts"] == 4
    assert "non_idempotent" in r.req("retry").params["conditions"]


def test_timeout_zero_and_bad_values(nginx):
    assert nginx({"proxy-next-upstream-timeout": "0"}).outcome("proxy-next-upstream-timeout") is Outcome.TRANSLATED
    r = nginx({"proxy-next-upstream": "error http_418", "proxy-next-upstream-tries": "x",
               "proxy-next-upstream-timeout": "1.5"})
    assert r.outcome("proxy-next-upstream") is Outcome.ERROR
    assert "http_418" in r.note("proxy-next-upstream").message
    assert r.outcome("proxy-next-upstream-tries") is Outcome.ERROR
    assert r.outcome("proxy-next-upstream-timeout") is Outcome.ERROR
