"""ratelimit.py: rate-limit, connection-limit and bandwidth-limit requirements."""

from __future__ import annotations

from ing2gw.model import Outcome


def test_rps_rpm_burst_allowlist_make_one_requirement(nginx):
    r = nginx({"limit-rps": "10", "limit-rpm": "300", "limit-burst-multiplier": "2",
               "limit-allowlist": "10.0.0.0/8, 192.168.1.7"}, paths=("/", "/api"))
    req = r.req("rate-limit")
    assert req.params == {"requests": 10, "unit": "Second", "burst": 20, "per": "client-ip",
                          "exempt_cidrs": ["10.0.0.0/8", "192.168.1.7/32"],
                          "limits": [{"requests": 10, "unit": "Second", "burst": 20},
                                     {"requests": 300, "unit": "Minute", "burst": 600}],
                          "status_code": 503}
    for key in ("limit-rps", "limit-rpm", "limit-burst-multiplier", "limit-allowlist"):
        assert r.outcome(key) is Outcome.NEEDS_EMITTER and r.linked(key).id == req.id
    assert req.source.annotation.endswith("limit-rps")


def test_rpm_alone_and_config_status(nginx):
    r = nginx({"limit-rpm": "60"}, config={"limit-req-status-code": "429"})
    assert r.req("rate-limit").params["unit"] == "Minute"
    assert r.req("rate-limit").params["burst"] == 300
    assert r.req("rate-limit").params["status_code"] == 429


def test_whitelist_alias_and_inert_cases(nginx):
    r = nginx({"limit-whitelist": "10.0.0.0/8", "limit-connections": "5"})
    assert r.outcome("limit-whitelist") is Outcome.NEEDS_EMITTER
    assert r.linked("limit-whitelist").feature == "connection-limit"
    assert r.req("connection-limit").params == {"connections": 5, "per": "client-ip",
                                                "exempt_cidrs": ["10.0.0.0/8"], "status_code": 503}
    r = nginx({"limit-burst-multiplier": "3", "limit-allowlist": "10.0.0.0/8"})
    assert r.outcome("limit-burst-multiplier") is Outcome.NOT_ROUTING
    assert r.outcome("limit-allowlist") is Outcome.NOT_ROUTING
    r = nginx({"limit-allowlist": "10.0.0.0/8", "limit-whitelist": "192.168.0.0/16", "limit-rps": "1"})
    assert r.outcome("limit-whitelist") is Outcome.NOT_ROUTING
    assert r.req("rate-limit").params["exempt_cidrs"] == ["10.0.0.0/8"]


def test_bad_values(nginx):
    r = nginx({"limit-rps": "ten", "limit-rpm": "60", "limit-allowlist": "10.0.0.0/33"})
    assert r.outcome("limit-rps") is Outcome.ERROR
    assert r.outcome("limit-rpm") is Outcome.NEEDS_EMITTER
    assert r.outcome("limit-allowlist") is Outcome.ERROR
    assert r.req("rate-limit").params["exempt_cidrs"] == []
    assert nginx({"limit-connections": "-1"}).outcome("limit-connections") is Outcome.ERROR
    assert nginx({"limit-burst-multiplier": "0", "limit-rps": "1"}).outcome("limit-burst-multiplier") is Outcome.ERROR
    assert nginx({"limit-rate": "1k"}).outcome("limit-rate") is Outcome.ERROR
    assert nginx({"limit-rate-after": "x", "limit-rate": "1"}).outcome("limit-rate-after") is Outcome.ERROR


def test_zero_disables(nginx):
    r = nginx({"limit-connections": "0", "limit-rate": "0", "limit-rps": "0"})
    assert r.outcome("limit-connections") is Outcome.NOT_ROUTING
    assert r.outcome("limit-rate") is Outcome.NOT_ROUTING
    assert r.outcome("limit-rps") is Outcome.NOT_ROUTING
    assert r.result.model.requirements == []


def test_bandwidth_in_kilobytes(nginx):
    r = nginx({"limit-rate": "100", "limit-rate-after": "1024"})
    req = r.req("bandwidth-limit")
    assert req.params == {"bytes_per_second": 102400, "after_bytes": 1048576}
    assert r.linked("limit-rate-after").id == req.id
    assert nginx({"limit-rate-after": "10"}).outcome("limit-rate-after") is Outcome.NOT_ROUTING


def test_requirement_attached_to_every_rule(nginx):
    r = nginx({"limit-rps": "1"}, paths=("/a", "/b"))
    rules = r.result.model.http_routes[0].rules
    assert all(any(q.feature == "rate-limit" for q in rule.requirements) for rule in rules)
