"""paths.py: how Traefik reads Exact, Prefix and ImplementationSpecific paths."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st
from ing2gw_providers.traefik.paths import portable_regex, re2_escape

from ing2gw.model import Outcome


def test_exact_is_path(traefik):
    r = traefik(paths=(("/x", "Exact"),))
    assert r.paths() == [{"type": "Exact", "value": "/x"}]


def test_character_wise_prefix_is_narrowed_with_a_caveat(traefik):
    r = traefik(paths=(("/api", "Prefix"),))
    assert r.paths() == [{"type": "PathPrefix", "value": "/api"}]
    n = r.note("spec.rules[0].http.paths[0].path")
    assert n.outcome is Outcome.CAVEAT and "character-wise" in n.message and "strictPrefixMatching" in (n.hint or "")


def test_prefix_ending_in_slash_and_root_are_equivalent(traefik):
    r = traefik(paths=(("/static/", "Prefix"), ("/", "Prefix")))
    assert {p["value"] for p in r.paths()} == {"/static", "/"}
    assert not [n for n in r.result.notifications if n.subject.endswith(".path")]


def test_strict_prefix_matching_from_the_controller_config(traefik):
    for key in ("strictPrefixMatching", "providers.kubernetesIngress.strictPrefixMatching"):
        r = traefik(paths=(("/api", "Prefix"),), config={key: "true"})
        assert r.paths() == [{"type": "PathPrefix", "value": "/api"}]
        assert not [n for n in r.result.notifications if n.subject.endswith(".path")]


def test_strict_prefix_also_covers_implementation_specific(traefik):
    r = traefik(paths=(("/api", "ImplementationSpecific"),), config={"strictPrefixMatching": "true"})
    assert not [n for n in r.result.notifications if n.subject.endswith(".path")]


def test_regex_mode_keeps_character_wise_meaning(traefik):
    r = traefik(paths=(("/a.b", "Prefix"),), config={"characterWisePrefix": "regex"})
    assert r.paths() == [{"type": "RegularExpression", "value": "^/a\\.b.*"}]
    assert r.outcome("spec.rules[0].http.paths[0].path") is Outcome.CAVEAT


def test_implementation_specific_defaults_to_character_wise_prefix(traefik):
    r = traefik(paths=(("/api", "ImplementationSpecific"),))
    assert r.paths() == [{"type": "PathPrefix", "value": "/api"}]
    assert r.outcome("spec.rules[0].http.paths[0].path") is Outcome.CAVEAT


def test_pathmatcher_path_and_regexp(traefik):
    r = traefik({"router.pathmatcher": "Path"}, paths=(("/a", "ImplementationSpecific"), ("/b", "Prefix")))
    assert sorted(r.paths(), key=lambda p: p["value"]) == [{"type": "Exact", "value": "/a"},
                                                           {"type": "PathPrefix", "value": "/b"}]
    assert r.outcome("router.pathmatcher") is Outcome.TRANSLATED
    r = traefik({"router.pathMatcher": "PathRegexp"}, paths=(("/api/v[0-9]+", "ImplementationSpecific"),))
    assert r.paths() == [{"type": "RegularExpression", "value": ".*(?:/api/v[0-9]+).*"}]
    assert r.outcome("router.pathMatcher") is Outcome.CAVEAT


def test_pathmatcher_without_implementation_specific_paths_and_bad_value(traefik):
    assert traefik({"router.pathmatcher": "Path"}).outcome("router.pathmatcher") is Outcome.NOT_ROUTING
    r = traefik({"router.pathmatcher": "path"}, paths=(("/a", "ImplementationSpecific"),))
    assert r.outcome("router.pathmatcher") is Outcome.ERROR
    assert r.paths() == [{"type": "PathPrefix", "value": "/a"}]


def test_portable_regex_anchors():
    assert portable_regex("^/a$") == "^/a$"
    assert portable_regex("^/a") == "(?:^/a).*"
    assert portable_regex("/a\\$") == ".*(?:/a\\$).*"


@given(st.text(alphabet="/ab.+*?()[]{}|^$\\-", min_size=1, max_size=12))
def test_re2_escape_matches_the_literal_text(text):
    assert re.fullmatch(re2_escape(text), text)
