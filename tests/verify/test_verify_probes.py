"""Probe generation covers every boundary of the input."""

from __future__ import annotations

from verify_helpers import ingress, inputs_of

from ing2gw.api import ConvertOptions
from ing2gw.verify.ingress import build_ingress_side
from ing2gw.verify.probes import UNKNOWN_HOST, generate, literal_prefix


def _probes(text: str) -> set[tuple[str, str, str, tuple[tuple[str, str], ...]]]:
    from ing2gw import plugins

    side = build_ingress_side(inputs_of(text), ConvertOptions(), plugins.providers())
    return {(p.scheme, p.host, p.path, p.headers) for p in generate(side.groups)}


def test_paths_hosts_schemes_and_unknown_host() -> None:
    got = _probes(ingress("w", paths=[("/foo", "Prefix", "a:80")], tls=["a.example.com"]))
    for path in ("/foo", "/foo/", "/foo/deeper", "/foobar", "/foo/deeper?q=1", "/"):
        assert ("http", "a.example.com", path, ()) in got
        assert ("https", "a.example.com", path, ()) in got
    assert ("http", UNKNOWN_HOST, "/", ()) in got
    assert not any(s == "https" and h == UNKNOWN_HOST for s, h, _, _ in got)


def test_no_https_without_tls_and_upper_case_only_in_regex_mode() -> None:
    got = _probes(ingress("w", paths=[("/foo", "Prefix", "a:80")]))
    assert not any(s == "https" for s, _, _, _ in got)
    assert ("http", "a.example.com", "/FOO", ()) not in got
    got = _probes(ingress("w", paths=[("/foo", "Prefix", "a:80")], ann={"use-regex": "true"}))
    assert ("http", "a.example.com", "/FOO", ()) in got


def test_wildcard_depths_and_canary_headers_and_cookies() -> None:
    text = ingress("w", host="*.example.com", paths=[("/", "Prefix", "a:80")]) + ingress(
        "c", host="*.example.com", paths=[("/", "Prefix", "b:80")], ts="2024-01-02T00:00:00Z",
        ann={"canary": "true", "canary-by-header": "X-C", "canary-by-cookie": "ck"})
    got = _probes(text)
    hosts = {h for _, h, _, _ in got}
    assert {"probe.example.com", "a.b.example.com", "example.com"} <= hosts
    headers = {hd for _, _, _, hd in got}
    assert {(("X-C", "always"),), (("X-C", "never"),), (("X-C", "other"),), (("Cookie", "ck=always"),)} <= headers


def test_literal_prefix_of_regex_paths() -> None:
    assert literal_prefix("/api(/|$)(.*)") == "/api"
    assert literal_prefix("/plain") == "/plain"
