"""security.py: basic auth, JWT, Policy resources, TLS settings, rate limits, snippets, App Protect."""

from __future__ import annotations

from ing2gw.model import Outcome


def test_basic_auth(f5):
    r = f5({"basic-auth-secret": "users", "basic-auth-realm": "Staff only"})
    req = r.req("basic-auth")
    assert req.params == {"secret_namespace": "shop", "secret_name": "users", "secret_type": "auth-file",
                          "realm": "Staff only"}
    assert r.linked("basic-auth-realm").id == r.linked("basic-auth-secret").id == req.id
    assert f5({"basic-auth-realm": "x"}).outcome("basic-auth-realm") is Outcome.ERROR
    assert f5({"basic-auth-secret": "Bad_Name"}).outcome("basic-auth-secret") is Outcome.ERROR


def test_jwt(f5):
    r = f5({"nginx.com/jwt-key": "jwk", "nginx.com/jwt-realm": "api", "nginx.com/jwt-token": "$cookie_auth",
            "nginx.com/jwt-login-url": "https://login.example.com/"})
    assert r.req("jwt-auth").params == {"secret_namespace": "shop", "secret_name": "jwk", "realm": "api",
                                        "token": "$cookie_auth", "login_url": "https://login.example.com/"}
    for key in ("nginx.com/jwt-key", "nginx.com/jwt-realm", "nginx.com/jwt-token", "nginx.com/jwt-login-url"):
        assert r.outcome(key) is Outcome.NEEDS_EMITTER
    assert f5({"nginx.com/jwt-realm": "api"}).outcome("nginx.com/jwt-realm") is Outcome.NOT_ROUTING
    assert f5({"nginx.com/jwt-key": "k", "nginx.com/jwt-token": "cookie"}).outcome("nginx.com/jwt-token") is \
        Outcome.ERROR


def test_policies(f5):
    r = f5({"policies": "rate, other/cors", "nginx.com/policies": "jwt"})
    reqs = r.reqs("policy-attachment")
    assert sorted(tuple(q.params["policies"]) for q in reqs) == [("shop/jwt",), ("shop/rate", "other/cors")]
    assert f5({"policies": "a,,b"}).outcome("policies") is Outcome.ERROR


def test_tls_settings(f5):
    r = f5({"ssl-ciphers": "HIGH:!aNULL"})
    assert r.req("tls-settings").params == {"ciphers": "HIGH:!aNULL", "protocols": None, "hosts": ["shop.example.com"]}
    assert f5({"ssl-prefer-server-ciphers": "true"}).outcome("ssl-prefer-server-ciphers") is Outcome.UNSUPPORTED
    assert f5({"ssl-prefer-server-ciphers": "false"}).outcome("ssl-prefer-server-ciphers") is Outcome.TRANSLATED


def test_rate_limit_group(f5):
    keys = {"limit-req-rate": "10r/s", "limit-req-key": "$http_x_api_key", "limit-req-zone-size": "20m",
            "limit-req-delay": "5", "limit-req-no-delay": "true", "limit-req-burst": "20", "limit-req-dry-run": "true",
            "limit-req-log-level": "warn", "limit-req-reject-code": "503", "limit-req-scale": "true"}
    r = f5(keys)
    req = r.req("rate-limit")
    assert req.params == {"requests": 10, "unit": "Second", "burst": 20, "per": "key", "key": "$http_x_api_key",
                          "exempt_cidrs": [], "delay": 5, "nodelay": True, "dry_run": True, "zone_size": 20 * 1024**2,
                          "log_level": "warn", "status_code": 503, "scale": True,
                          "limits": [{"requests": 10, "unit": "Second", "burst": 20}]}
    for key in keys:
        assert r.outcome(key) is Outcome.NEEDS_EMITTER and r.linked(key).id == req.id, key
    r = f5({"limit-req-rate": "300r/m"})
    assert r.req("rate-limit").params["per"] == "client-ip" and r.req("rate-limit").params["status_code"] == 429
    assert f5({"limit-req-burst": "5"}).outcome("limit-req-burst") is Outcome.NOT_ROUTING
    bad = f5({"limit-req-rate": "10/s", "limit-req-burst": "5"})
    assert bad.outcome("limit-req-rate") is Outcome.ERROR and bad.outcome("limit-req-burst") is Outcome.NOT_ROUTING
    assert f5({"limit-req-rate": "1r/s", "limit-req-reject-code": "200"}).outcome("limit-req-reject-code") is \
        Outcome.ERROR


def test_snippets(f5):
    r = f5({"location-snippets": "add_header X-A b;\nproxy_set_header X-B c;", "server-snippets": "gzip on;"})
    assert r.outcome("location-snippets") is r.outcome("server-snippets") is Outcome.UNSUPPORTED
    loc = r.linked("location-snippets")
    assert loc.feature == "snippet" and loc.params["context"] == "location"
    assert r.linked("server-snippets").params["context"] == "server"
    assert "add_header, proxy_set_header" in r.note("location-snippets").message
    assert "-enable-snippets" in r.note("server-snippets").message


def test_app_protect(f5):
    keys = {"appprotect.f5.com/app-protect-enable": "true", "appprotect.f5.com/app-protect-policy": "default/dataguard",
            "appprotect.f5.com/app-protect-security-log-enable": "true",
            "appprotect.f5.com/app-protect-security-log": "default/logconf",
            "appprotect.f5.com/app-protect-security-log-destination": "syslog:server=10.0.0.1:514"}
    r = f5(keys)
    req = r.req("waf")
    assert req.params["engine"] == "f5-app-protect" and req.params["rules"] == "default/dataguard"
    assert req.params["log"] is True and req.params["log_destinations"] == "syslog:server=10.0.0.1:514"
    for key in keys:
        assert r.outcome(key) is Outcome.UNSUPPORTED and r.linked(key).id == req.id, key
    off = f5({"appprotect.f5.com/app-protect-enable": "false", "appprotect.f5.com/app-protect-policy": "p"})
    assert off.outcome("appprotect.f5.com/app-protect-policy") is Outcome.NOT_ROUTING
    assert not off.reqs("waf")
    dos = f5({"appprotectdos.f5.com/app-protect-dos-resource": "default/dos"})
    assert dos.outcome("appprotectdos.f5.com/app-protect-dos-resource") is Outcome.UNSUPPORTED


def test_strict_fails_on_snippets(f5):
    from f5_helpers import CLASS, ingress

    from ing2gw.api import ConvertOptions, convert_objects

    res = convert_objects([CLASS, ingress({"server-snippets": "gzip on;"})], ConvertOptions(strict=True))
    assert any(n.outcome is Outcome.UNSUPPORTED and n.subject == "nginx.org/server-snippets" for n in res.problems)
