"""ssl-passthrough and server-alias (tls.py)."""

from __future__ import annotations

from routing_helpers import convert, ingress, kinds, outcome

from ing2gw.model import Outcome


def test_passthrough_is_a_tls_listener_and_tlsroute_and_silences_the_rest() -> None:
    r = convert(ingress("db", ann={"ssl-passthrough": "true", "rewrite-target": "/", "enable-cors": "true"}))
    gw = kinds(r, "Gateway")[0]
    tls = [lst for lst in gw["spec"]["listeners"] if lst["protocol"] == "TLS"]
    assert tls == [{"name": "tls-a-example-com", "hostname": "a.example.com", "port": 443, "protocol": "TLS",
                    "tls": {"mode": "Passthrough"}}]
    assert kinds(r, "TLSRoute") and not kinds(r, "HTTPRoute")
    assert outcome(r, "ssl-passthrough").outcome is Outcome.TRANSLATED
    assert outcome(r, "rewrite-target").outcome is Outcome.NOT_ROUTING
    assert outcome(r, "enable-cors").outcome is Outcome.NOT_ROUTING


def test_passthrough_needs_tlsroute_in_the_target() -> None:
    r = convert(ingress("db", ann={"ssl-passthrough": "true"}), gateway_api_version="v1.4")
    assert not kinds(r, "TLSRoute") and not kinds(r, "HTTPRoute") and not kinds(r, "Gateway")
    assert outcome(r, "ssl-passthrough").outcome is Outcome.UNSUPPORTED


def test_passthrough_false_is_an_ordinary_ingress() -> None:
    r = convert(ingress(ann={"ssl-passthrough": "false"}))
    assert kinds(r, "HTTPRoute") and outcome(r, "ssl-passthrough").outcome is Outcome.TRANSLATED


def test_server_alias() -> None:
    r = convert(ingress(ann={"server-alias": "b.example.com, ~^x+$"}))
    names = sorted(o["metadata"]["name"] for o in kinds(r, "HTTPRoute"))
    assert names == ["a-example-com", "b-example-com"]
    assert outcome(r, "server-alias").outcome is Outcome.CAVEAT
    r = convert(ingress(ann={"server-alias": "b.example.com"}), ingress("b", host="b.example.com",
                                                                          paths=(("/", "Prefix", "other", 80),)))
    b = [o for o in kinds(r, "HTTPRoute") if o["metadata"]["name"] == "b-example-com"][0]
    assert b["spec"]["rules"][0]["backendRefs"][0]["name"] == "other"
