"""ingress-nginx path readings and the host-wide regex mode (paths.py)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from ing2gw_providers.ingress_nginx.paths import plain_reading, regex_reading
from routing_helpers import convert, ingress, outcome, paths_of, rules

from ing2gw.model import Outcome


def test_prefix_and_exact_without_regex_are_exact_in_meaning() -> None:
    r = convert(ingress(paths=(("/a", "Prefix", "s", 80), ("/b", "Exact", "s2", 80))))
    got = [p for rule in rules(r, "a-example-com") for p in paths_of(rule)]
    assert ("PathPrefix", "/a") in got and ("Exact", "/b") in got
    assert not [n for n in r.notifications if n.subject.endswith(".path")]


def test_implementation_specific_is_a_string_prefix_with_caveat() -> None:
    r = convert(ingress(paths=(("/impl", "ImplementationSpecific", "s", 80),)))
    assert paths_of(rules(r, "a-example-com")[0]) == [("PathPrefix", "/impl")]
    n = outcome(r, "spec.rules[0].http.paths[0].pathType")
    assert n.outcome is Outcome.CAVEAT and "/implx" in n.message


def test_implementation_specific_root_is_exact() -> None:
    assert plain_reading("/", "ImplementationSpecific").caveat is None
    assert plain_reading("", "ImplementationSpecific").match.value == "/"


def test_implementation_specific_with_forbidden_characters_becomes_escaped_regex() -> None:
    reading = plain_reading("/a[b", "ImplementationSpecific")
    assert reading.match.type == "RegularExpression" and reading.match.value == "^/a\\[b.*"


def test_use_regex_is_host_wide_and_regex_only_where_needed() -> None:
    regex = ingress("regex", ann={"use-regex": "true"}, ts="2024-01-01T00:00:00Z",
                    paths=(("/u/[0-9]+", "ImplementationSpecific", "u", 80),))
    other = ingress("other", ts="2024-01-02T00:00:00Z", paths=(("/app", "Prefix", "app", 80),
                                                                ("/login", "Exact", "login", 80)))
    r = convert(regex, other)
    got = {p for rule in rules(r, "a-example-com") for p in paths_of(rule)}
    assert got == {("RegularExpression", "(?i)^/u/[0-9]+.*"), ("PathPrefix", "/app"), ("Exact", "/login")}
    assert outcome(r, "use-regex").outcome is Outcome.CAVEAT
    note = outcome(r, "spec.rules[0].http.paths[1].pathType", "other")
    assert "regex mode" in note.message and "/loginx" in note.message


def test_use_regex_false_changes_nothing() -> None:
    r = convert(ingress(ann={"use-regex": "false"}, paths=(("/a", "Prefix", "s", 80),)))
    assert outcome(r, "use-regex").outcome is Outcome.TRANSLATED
    assert paths_of(rules(r, "a-example-com")[0]) == [("PathPrefix", "/a")]


def test_regex_readings_of_plain_paths() -> None:
    assert regex_reading("/docs(/|$)(.*)", "ImplementationSpecific").match.type == "PathPrefix"
    assert regex_reading("/health$", "ImplementationSpecific").match.type == "Exact"
    assert regex_reading("/", "Prefix").caveat is None
    assert regex_reading("/x/.*", "ImplementationSpecific").match.value == "/x"


def test_regex_modes_stay_on_their_host() -> None:
    r = convert(ingress("a", ann={"use-regex": "true"}, paths=(("/a.+", "ImplementationSpecific", "s", 80),)),
                ingress("b", host="b.example.com", paths=(("/b", "Prefix", "s", 80),)))
    assert paths_of(rules(r, "b-example-com")[0]) == [("PathPrefix", "/b")]


@given(st.text(alphabet="/abcAZ09-_.", min_size=1, max_size=20).map(lambda s: "/" + s))
def test_literal_paths_never_become_regex_in_regex_mode(path: str) -> None:
    reading = regex_reading(path, "ImplementationSpecific")
    if "//" not in path and not path.endswith(("/.", "/..")) and "/./" not in path and "/../" not in path:
        assert reading.match.type in ("PathPrefix", "Exact")
