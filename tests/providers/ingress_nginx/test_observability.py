"""observability.py: access-log and tracing requirements."""

from __future__ import annotations

from ing2gw.model import Outcome


def test_access_log(nginx):
    r = nginx({"enable-access-log": "false"})
    assert r.outcome("enable-access-log") is Outcome.NEEDS_EMITTER
    assert r.req("access-log").params == {"enabled": False}
    assert nginx({"enable-access-log": "true"}).outcome("enable-access-log") is Outcome.TRANSLATED
    assert nginx({"enable-access-log": "nope"}).outcome("enable-access-log") is Outcome.ERROR


def test_rewrite_log(nginx):
    assert nginx({"enable-rewrite-log": "true"}).outcome("enable-rewrite-log") is Outcome.NOT_ROUTING
    assert nginx({"enable-rewrite-log": "x"}).outcome("enable-rewrite-log") is Outcome.ERROR


def test_tracing_group(nginx):
    r = nginx({"enable-opentelemetry": "true", "opentelemetry-trust-incoming-span": "false",
               "opentelemetry-operation-name": "HTTP $request_method"})
    req = r.req("tracing")
    assert req.params == {"enabled": True, "trust_incoming_span": False, "operation_name": "HTTP $request_method"}
    for key in ("enable-opentelemetry", "opentelemetry-trust-incoming-span", "opentelemetry-operation-name"):
        assert r.outcome(key) is Outcome.NEEDS_EMITTER and r.linked(key).id == req.id


def test_tracing_off(nginx):
    r = nginx({"opentelemetry-operation-name": "x"}, config={})
    assert r.outcome("opentelemetry-operation-name") is Outcome.NOT_ROUTING
    r = nginx({"enable-opentelemetry": "false"}, config={"enable-opentelemetry": "true"})
    assert r.outcome("enable-opentelemetry") is Outcome.CAVEAT
    r = nginx({"opentelemetry-trust-incoming-span": "true"}, config={"enable-opentelemetry": "true"})
    assert r.outcome("opentelemetry-trust-incoming-span") is Outcome.NEEDS_EMITTER
    assert nginx({"opentelemetry-trust-incoming-span": "x"}).outcome("opentelemetry-trust-incoming-span") \
        is Outcome.ERROR
