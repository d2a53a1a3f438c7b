"""body.py: body size and buffering requirements."""

from __future__ import annotations

import pytest

from ing2gw.model import Outcome


@pytest.mark.parametrize("value,size", [("8m", 8 * 1024**2), ("512k", 512 * 1024), ("0", 0), ("1G", 1024**3),
                                        ("100", 100)])
def test_proxy_body_size(nginx, value, size):
    r = nginx({"proxy-body-size": value})
    assert r.outcome("proxy-body-size") is Outcome.NEEDS_EMITTER
    assert r.req("body-size-limit").params == {"bytes": size}


@pytest.mark.parametrize("value", ["1.5m", "10mb", "big", "-1"])
def test_proxy_body_size_bad(nginx, value):
    r = nginx({"proxy-body-size": value})
    assert r.outcome("proxy-body-size") is Outcome.ERROR
    assert "nginx size" in r.note("proxy-body-size").message


def test_client_body_buffer_and_request_buffering(nginx):
    r = nginx({"client-body-buffer-size": "1m", "proxy-request-buffering": "off"})
    assert r.req("client-body-buffer").params == {"bytes": 1024**2}
    assert r.req("request-buffering").params == {"enabled": False}
    assert r.outcome("client-body-buffer-size") is Outcome.NEEDS_EMITTER
    assert r.outcome("proxy-request-buffering") is Outcome.NEEDS_EMITTER
    assert nginx({"proxy-request-buffering": "false"}).outcome("proxy-request-buffering") is Outcome.ERROR


def test_response_buffering_group(nginx):
    r = nginx({"proxy-buffering": "on", "proxy-buffer-size": "16k", "proxy-buffers-number": "8",
               "proxy-busy-buffers-size": "64k", "proxy-max-temp-file-size": "0"})
    req = r.req("response-buffering")
    assert req.params == {"enabled": True, "buffer_size": 16384, "buffers": 8, "busy_buffers_size": 65536}
    for key in ("proxy-buffering", "proxy-buffer-size", "proxy-buffers-number", "proxy-busy-buffers-size"):
        assert r.outcome(key) is Outcome.NEEDS_EMITTER and r.linked(key).id == req.id
    assert r.outcome("proxy-max-temp-file-size") is Outcome.UNSUPPORTED


def test_buffer_counts_inert_while_buffering_off(nginx):
    r = nginx({"proxy-buffers-number": "8", "proxy-buffer-size": "8k", "proxy-max-temp-file-size": "10m"})
    assert r.outcome("proxy-buffers-number") is Outcome.NOT_ROUTING
    assert r.outcome("proxy-buffer-size") is Outcome.NEEDS_EMITTER
    assert r.outcome("proxy-max-temp-file-size") is Outcome.NOT_ROUTING
    assert r.req("response-buffering").params["enabled"] is False
    r = nginx({"proxy-buffers-number": "8"}, config={"proxy-buffering": "on"})
    assert r.outcome("proxy-buffers-number") is Outcome.NEEDS_EMITTER


def test_buffering_bad_values(nginx):
    r = nginx({"proxy-buffering": "yes", "proxy-buffers-number": "0", "proxy-busy-buffers-size": "x",
               "proxy-max-temp-file-size": "x"})
    for key in ("proxy-buffering", "proxy-buffers-number", "proxy-busy-buffers-size", "proxy-max-temp-file-size"):
        assert r.outcome(key) is Outcome.ERROR, key
