"""ipaccess.py: ip-allow and ip-deny requirements."""

from __future__ import annotations

from ing2gw.model import Outcome


def test_allowlist_and_alias(nginx):
    for key in ("allowlist-source-range", "whitelist-source-range"):
        r = nginx({key: "10.0.0.0/8, 192.168.1.7, 2001:db8::/32, 10.1.2.3/8"})
        assert r.outcome(key) is Outcome.NEEDS_EMITTER
        assert r.req("ip-allow").params == {"cidrs": ["10.0.0.0/8", "192.168.1.7/32", "2001:db8::/32"]}


def test_primary_wins_over_alias(nginx):
    r = nginx({"allowlist-source-range": "10.0.0.0/8", "whitelist-source-range": "192.168.0.0/16"})
    assert r.outcome("whitelist-source-range") is Outcome.NOT_ROUTING
    assert r.req("ip-allow").params["cidrs"] == ["10.0.0.0/8"]


def test_denylist(nginx):
    r = nginx({"denylist-source-range": "203.0.113.0/24"})
    assert r.outcome("denylist-source-range") is Outcome.NEEDS_EMITTER
    assert r.req("ip-deny").params == {"cidrs": ["203.0.113.0/24"]}


def test_bad_cidr_is_a_clear_error(nginx):
    r = nginx({"whitelist-source-range": "10.0.0.0/8, 300.1.1.1", "denylist-source-range": " , "})
    n = r.note("whitelist-source-range")
    assert n.outcome is Outcome.ERROR and "'300.1.1.1' is not an IP address or CIDR" in n.message
    assert r.outcome("denylist-source-range") is Outcome.ERROR
    assert r.result.model.requirements == []
