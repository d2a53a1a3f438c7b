"""upstream.py: load balancing, error pages, fallback backends, cookies, FastCGI, ciphers, HTTP/2 push."""

from __future__ import annotations

import pytest

from ing2gw.model import Outcome


def test_service_upstream(nginx):
    r = nginx({"service-upstream": "true"})
    assert r.outcome("service-upstream") is Outcome.NEEDS_EMITTER
    assert r.req("service-upstream").params == {"enabled": True}
    assert nginx({"service-upstream": "false"}).outcome("service-upstream") is Outcome.TRANSLATED
    assert nginx({"service-upstream": "yes please"}).outcome("service-upstream") is Outcome.ERROR


def test_default_backend_and_custom_errors(nginx):
    r = nginx({"default-backend": "errors", "custom-http-errors": "503, 404,404"})
    assert r.outcome("default-backend") is Outcome.UNSUPPORTED
    assert r.outcome("custom-http-errors") is Outcome.NEEDS_EMITTER
    assert r.req("custom-errors").params == {"codes": [404, 503], "backend": "errors"}
    assert nginx({"default-backend": "Bad_Name"}).outcome("default-backend") is Outcome.ERROR
    assert nginx({"custom-http-errors": "404,abc"}).outcome("custom-http-errors") is Outcome.ERROR


def test_disable_proxy_intercept_errors(nginx):
    r = nginx({"custom-http-errors": "404", "disable-proxy-intercept-errors": "true"})
    assert r.outcome("custom-http-errors") is Outcome.NOT_ROUTING
    assert r.outcome("disable-proxy-intercept-errors") is Outcome.TRANSLATED
    assert r.reqs("custom-errors") == []
    assert nginx({"disable-proxy-intercept-errors": "x"}).outcome("disable-proxy-intercept-errors") is Outcome.ERROR


def test_load_balance_and_hash(nginx):
    r = nginx({"load-balance": "ewma"})
    assert r.req("load-balancing").params == {"algorithm": "ewma", "hash_key": None, "subset": False,
                                              "subset_size": None}
    assert r.outcome("load-balance") is Outcome.NEEDS_EMITTER
    r = nginx({"load-balance": "ewma", "upstream-hash-by": "$binary_remote_addr", "upstream-hash-by-subset": "true",
               "upstream-hash-by-subset-size": "5"})
    req = r.req("load-balancing")
    assert req.params == {"algorithm": "hash", "hash_key": "$binary_remote_addr", "subset": True, "subset_size": 5}
    assert r.outcome("load-balance") is Outcome.NOT_ROUTING
    for key in ("upstream-hash-by", "upstream-hash-by-subset", "upstream-hash-by-subset-size"):
        assert r.outcome(key) is Outcome.NEEDS_EMITTER and r.linked(key).id == req.id
    assert nginx({"load-balance": "least_conn"}).outcome("load-balance") is Outcome.ERROR
    r = nginx({"upstream-hash-by-subset-size": "5", "upstream-hash-by": "$request_uri"})
    assert r.outcome("upstream-hash-by-subset-size") is Outcome.NOT_ROUTING
    assert nginx({"upstream-hash-by-subset": "true"}).outcome("upstream-hash-by-subset") is Outcome.NOT_ROUTING
    r = nginx({"upstream-hash-by": "$x", "upstream-hash-by-subset": "true", "upstream-hash-by-subset-size": "0"})
    assert r.outcome("upstream-hash-by-subset-size") is Outcome.ERROR


def test_load_balance_is_read_on_canary(nginx):
    # A canary without a primary Ingress is ignored by nginx altogether (see test_canary.py for a paired one).
    r = nginx({"canary": "true", "canary-weight": "5", "load-balance": "ewma", "limit-rps": "1"})
    assert r.outcome("load-balance") is Outcome.NOT_ROUTING
    assert r.outcome("limit-rps") is Outcome.NOT_ROUTING


def test_fastcgi(nginx):
    r = nginx({"fastcgi-index": "index.php", "fastcgi-params-configmap": "params"})
    assert r.outcome("fastcgi-index") is Outcome.NOT_ROUTING
    assert r.outcome("fastcgi-params-configmap") is Outcome.NOT_ROUTING
    r = nginx({"backend-protocol": "FCGI", "fastcgi-index": "index.php", "fastcgi-params-configmap": "ns/params"})
    assert r.outcome("fastcgi-index") is Outcome.UNSUPPORTED
    assert r.outcome("fastcgi-params-configmap") is Outcome.UNSUPPORTED
    assert nginx({"fastcgi-params-configmap": "a/b/c"}).outcome("fastcgi-params-configmap") is Outcome.ERROR


@pytest.mark.parametrize("key", ["proxy-cookie-domain", "proxy-cookie-path"])
def test_cookie_rewrites(nginx, key):
    assert nginx({key: "off"}).outcome(key) is Outcome.TRANSLATED
    assert nginx({key: "/ /app/"}).outcome(key) is Outcome.UNSUPPORTED
    assert nginx({key: "one"}).outcome(key) is Outcome.ERROR


def test_ssl_ciphers(nginx):
    r = nginx({"ssl-ciphers": "ECDHE-RSA-AES128-GCM-SHA256:!aNULL", "ssl-prefer-server-ciphers": "true"})
    req = r.req("tls-settings")
    assert req.target == "gateway"
    assert req.params == {"ciphers": "ECDHE-RSA-AES128-GCM-SHA256:!aNULL", "protocols": None,
                          "hosts": ["shop.example.com"]}
    assert r.outcome("ssl-ciphers") is Outcome.NEEDS_EMITTER
    assert r.outcome("ssl-prefer-server-ciphers") is Outcome.UNSUPPORTED
    assert nginx({"ssl-ciphers": "a b"}).outcome("ssl-ciphers") is Outcome.ERROR
    assert nginx({"ssl-prefer-server-ciphers": "x"}).outcome("ssl-prefer-server-ciphers") is Outcome.ERROR


def test_http2_push_preload(nginx):
    assert nginx({"http2-push-preload": "true"}).outcome("http2-push-preload") is Outcome.NOT_ROUTING
    assert nginx({"http2-push-preload": "x"}).outcome("http2-push-preload") is Outcome.ERROR
