"""CORS (cors.py)."""

from __future__ import annotations

from routing_helpers import convert, ingress, outcome, rules

from ing2gw.model import Outcome

ALL = {"enable-cors": "true", "cors-allow-origin": "https://a.example.com", "cors-allow-methods": "GET, POST",
       "cors-allow-headers": "X-Token", "cors-expose-headers": "X-Id", "cors-allow-credentials": "false",
       "cors-max-age": "600"}


def _cors(r):
    return [f["cors"] for f in rules(r, "a-example-com")[0].get("filters", []) if f["type"] == "CORS"]


def test_defaults_are_written_out() -> None:
    r = convert(ingress(ann={"enable-cors": "true"}))
    c = _cors(r)[0]
    assert c["allowOrigins"] == ["*"] and c["allowCredentials"] is True and c["maxAge"] == 1728000
    assert c["allowMethods"] == ["GET", "PUT", "POST", "DELETE", "PATCH", "OPTIONS"]
    assert "Authorization" in c["allowHeaders"]


def test_every_setting() -> None:
    r = convert(ingress(ann=ALL))
    assert _cors(r) == [{"allowOrigins": ["https://a.example.com"], "allowMethods": ["GET", "POST"],
                         "allowHeaders": ["X-Token"], "exposeHeaders": ["X-Id"], "allowCredentials": False,
                         "maxAge": 600}]
    for key in ALL:
        assert outcome(r, key).outcome is Outcome.TRANSLATED, key


def test_inexpressible_values_are_reported() -> None:
    r = convert(ingress(ann={"enable-cors": "true", "cors-allow-origin": "ftp://x.example.com, https://*.b.com",
                             "cors-allow-methods": "GET, LINK", "cors-max-age": "0"}))
    c = _cors(r)[0]
    assert c["allowOrigins"] == ["https://*.b.com"] and c["allowMethods"] == ["GET"] and c["maxAge"] == 1
    for key in ("cors-allow-origin", "cors-allow-methods", "cors-max-age"):
        assert outcome(r, key).outcome is Outcome.CAVEAT


def test_without_enable_cors_nothing_happens() -> None:
    r = convert(ingress(ann={"cors-allow-origin": "https://a.example.com"}))
    assert outcome(r, "cors-allow-origin").outcome is Outcome.NOT_ROUTING
    assert not _cors(r)


def test_old_versions_get_a_requirement_experimental_gets_the_filter() -> None:
    r = convert(ingress(ann=ALL), gateway_api_version="v1.2")
    assert outcome(r, "enable-cors").outcome is Outcome.NEEDS_EMITTER
    assert outcome(r, "cors-max-age").outcome is Outcome.NEEDS_EMITTER
    assert not _cors(r)
    assert [q.feature for q in r.model.requirements] == ["cors"]
    r = convert(ingress(ann=ALL), gateway_api_version="v1.3", channel="experimental")
    assert _cors(r)


def test_v1_3_experimental_gets_valid_cors_or_a_statement() -> None:
    # v1.3 experimental: allowCredentials is a boolean that may only be true, and allowOrigins has no "*"
    ok = convert(ingress(ann={**ALL, "cors-allow-credentials": "true"}), gateway_api_version="v1.3",
                 channel="experimental", validate=True)
    assert ok.validation is not None and ok.validation.ok
    assert _cors(ok)[0]["allowCredentials"] is True
    star = convert(ingress(ann={"enable-cors": "true"}), gateway_api_version="v1.3", channel="experimental",
                   validate=True)
    assert star.validation is not None and star.validation.ok and _cors(star) == []
    note = outcome(star, "enable-cors")  # one outcome: kept as a requirement
    assert note.outcome is Outcome.NEEDS_EMITTER and "allowOrigins '*' needs Gateway API v1.4" in note.message
