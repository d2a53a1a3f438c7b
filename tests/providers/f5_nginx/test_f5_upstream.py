"""upstream.py: timeouts, retries, body and buffers, load balancing, sticky cookies, health checks."""

from __future__ import annotations

import pytest

from ing2gw.model import Outcome
from ing2gw.provider import AnnotationValueError, gateway_duration, parse_nginx_time


@pytest.mark.parametrize(("text", "seconds"), [("60", 60), ("60s", 60), ("1m30s", 90), ("500ms", 0.5), ("2h", 7200),
                                               ("1d", 86400)])
def test_nginx_time(text, seconds):
    assert parse_nginx_time(text) == seconds


@pytest.mark.parametrize("text", ["", "1x", "s", "-1s", "1.5s"])
def test_nginx_time_bad(text):
    with pytest.raises(AnnotationValueError):
        parse_nginx_time(text)


@pytest.mark.parametrize(("seconds", "text"), [(90, "1m30s"), (0.5, "500ms"), (7200, "2h"), (0, "0s"),
                                               (200000, "55h33m20s")])
def test_gateway_duration(seconds, text):
    assert gateway_duration(seconds) == text


def test_timeouts_share_one_requirement(f5):
    r = f5({"proxy-connect-timeout": "5s", "proxy-read-timeout": "2m", "proxy-send-timeout": "30"})
    req = r.req("backend-timeouts")
    assert req.params == {"connect": 5.0, "read": 120.0, "send": 30.0}
    assert r.outcome("proxy-read-timeout") is Outcome.CAVEAT
    assert r.outcome("proxy-connect-timeout") is r.outcome("proxy-send-timeout") is Outcome.NEEDS_EMITTER
    assert {r.linked(k).id for k in ("proxy-connect-timeout", "proxy-read-timeout", "proxy-send-timeout")} == {req.id}
    assert r.route()["spec"]["rules"][0]["timeouts"] == {"backendRequest": "2m"}
    assert "gRPC" in f5({"proxy-read-timeout": "5s", "grpc-services": "app"}).note("proxy-read-timeout").message
    bad = f5({"proxy-read-timeout": "soon", "proxy-send-timeout": "5s"})
    assert bad.outcome("proxy-read-timeout") is Outcome.ERROR and bad.outcome("proxy-send-timeout") is Outcome.NEEDS_EMITTER
    assert "timeouts" not in bad.route()["spec"]["rules"][0]


def test_retry_group(f5):
    r = f5({"proxy-next-upstream": "error timeout http_502", "proxy-next-upstream-tries": "3",
            "proxy-next-upstream-timeout": "10s"})
    assert r.req("retry").params == {"conditions": ["error", "timeout", "http_502"], "attempts": 3, "timeout": 10.0}
    for key in ("proxy-next-upstream", "proxy-next-upstream-tries", "proxy-next-upstream-timeout"):
        assert r.outcome(key) is Outcome.NEEDS_EMITTER
    assert f5({"proxy-next-upstream": "off"}).outcome("proxy-next-upstream") is Outcome.NOT_ROUTING
    assert f5({"proxy-next-upstream-tries": "0"}).outcome("proxy-next-upstream-tries") is Outcome.NOT_ROUTING
    assert f5({"proxy-next-upstream": "error error"}).outcome("proxy-next-upstream") is Outcome.ERROR


def test_body_and_buffers(f5):
    r = f5({"client-max-body-size": "1g", "client-body-buffer-size": "64k"})
    assert r.req("body-size-limit").params == {"bytes": 1024**3}
    assert r.req("client-body-buffer").params == {"bytes": 65536}
    assert f5({"client-body-buffer-size": "1g"}).outcome("client-body-buffer-size") is Outcome.ERROR
    r = f5({"proxy-buffers": "8 16k", "proxy-buffer-size": "8k", "proxy-busy-buffers-size": "32k"})
    assert r.req("response-buffering").params == {"enabled": True, "buffer_size": 8192, "buffers": 8,
                                                  "buffers_size": 16384, "busy_buffers_size": 32768}
    r = f5({"proxy-buffering": "false", "proxy-buffers": "8 16k", "proxy-buffer-size": "8k"})
    assert r.outcome("proxy-buffers") is Outcome.NOT_ROUTING
    assert r.outcome("proxy-buffer-size") is r.outcome("proxy-buffering") is Outcome.NEEDS_EMITTER
    assert f5({"proxy-buffers": "8"}).outcome("proxy-buffers") is Outcome.ERROR
    assert f5({"proxy-max-temp-file-size": "0"}).outcome("proxy-max-temp-file-size") is Outcome.UNSUPPORTED


@pytest.mark.parametrize(("value", "params"), [
    ("least_conn", {"algorithm": "least_conn", "hash_key": None}),
    ("random two least_conn", {"algorithm": "random two least_conn", "hash_key": None}),
    ("hash $request_uri consistent", {"algorithm": "hash", "hash_key": "$request_uri", "consistent": True}),
])
def test_lb_method(f5, value, params):
    req = f5({"lb-method": value}).req("load-balancing")
    assert params.items() <= req.params.items()


def test_lb_method_bad(f5):
    assert f5({"lb-method": "fastest"}).outcome("lb-method") is Outcome.ERROR
    assert f5({"lb-method": "hash a b c"}).outcome("lb-method") is Outcome.ERROR


def test_endpoint_settings(f5):
    r = f5({"max-fails": "3", "fail-timeout": "30s", "max-conns": "100", "keepalive": "32",
            "upstream-zone-size": "512k", "use-cluster-ip": "true", "nginx.com/slow-start": "20s"})
    assert r.req("passive-health-check").params == {"max_fails": 3, "fail_timeout": 30.0}
    assert r.req("upstream-connections").params == {"max_conns": 100, "keepalive": 32, "zone_size": 524288}
    assert r.req("service-upstream").params == {"enabled": True}
    assert r.req("slow-start").params == {"seconds": 20.0}
    assert f5({"max-conns": "0"}).outcome("max-conns") is Outcome.NOT_ROUTING
    assert f5({"use-cluster-ip": "false"}).outcome("use-cluster-ip") is Outcome.TRANSLATED
    assert f5({"max-fails": "-1"}).outcome("max-fails") is Outcome.ERROR


def test_sticky_cookies(f5):
    value = "serviceName=app srv_id expires=1h domain=.example.com httponly secure path=/"
    r = f5({"sticky-cookie-services": value}, channel="experimental")
    rule = r.route()["spec"]["rules"][0]
    assert rule["sessionPersistence"]["sessionName"] == "srv_id"
    assert rule["sessionPersistence"]["absoluteTimeout"] == "1h"
    req = r.linked("sticky-cookie-services")
    assert req.feature == "session-affinity"
    assert {k: req.params[k] for k in ("cookie_name", "max_age", "domain", "http_only", "secure", "path")} == {
        "cookie_name": "srv_id", "max_age": 3600, "domain": ".example.com", "http_only": True, "secure": True,
        "path": "/"}
    assert r.outcome("sticky-cookie-services") is Outcome.CAVEAT
    both = f5({"sticky-cookie-services": value, "nginx.com/sticky-cookie-services": "serviceName=app other"})
    assert both.outcome("nginx.com/sticky-cookie-services") is Outcome.NOT_ROUTING
    assert f5({"sticky-cookie-services": "serviceName=app"}).outcome("sticky-cookie-services") is Outcome.ERROR
    forever = f5({"sticky-cookie-services": "serviceName=app id expires=max"}, channel="experimental")
    assert forever.route()["spec"]["rules"][0]["sessionPersistence"] == {"type": "Cookie", "sessionName": "id",
                                                                         "cookieConfig": {"lifetimeType": "Session"}}


def test_health_checks(f5):
    r = f5({"nginx.com/health-checks": "true", "nginx.com/health-checks-mandatory": "true",
            "nginx.com/health-checks-mandatory-queue": "10"})
    assert r.req("active-health-check").params == {"enabled": True, "mandatory": True, "mandatory_queue": 10}
    assert f5({"nginx.com/health-checks": "false"}).outcome("nginx.com/health-checks") is Outcome.TRANSLATED
    r = f5({"nginx.com/health-checks-mandatory": "true"})
    assert r.outcome("nginx.com/health-checks-mandatory") is Outcome.ERROR


def test_shared_helpers():
    from ing2gw.provider import human_size, nginx_directives

    assert human_size(8 * 1024**2) == "8 MiB" and human_size(1000) == "1000 bytes"
    assert nginx_directives("add_header A b; # gzip on;\nif ($x) { return 403; }") == ["add_header", "if", "return"]
