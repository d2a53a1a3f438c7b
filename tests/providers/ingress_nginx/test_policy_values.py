"""Value parsers of the policy families: properties over generated values."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st
from ing2gw_providers.ingress_nginx._policy import parse_cidrs, parse_size
from ing2gw_providers.ingress_nginx.retries import CONDITIONS, parse_conditions

from ing2gw.provider import AnnotationValueError

nets = st.one_of(st.ip_addresses(v=4).map(str), st.ip_addresses(v=6).map(str),
                 st.tuples(st.ip_addresses(v=4), st.integers(0, 32)).map(lambda t: f"{t[0]}/{t[1]}"))


@given(st.lists(nets, min_size=1, max_size=8))
def test_cidrs_cover_exactly_the_inputs(items):
    out = parse_cidrs(", ".join(items))
    assert len(set(out)) == len(out)
    networks = [ipaddress.ip_network(c) for c in out]  # strict: every output is a canonical CIDR
    for item in items:
        addr = ipaddress.ip_network(item, strict=False)
        assert addr in networks
    assert parse_cidrs(", ".join(out)) == out  # idempotent


@given(st.integers(0, 10**6), st.sampled_from(["", "k", "K", "m", "M", "g", "G"]))
def test_sizes(n, unit):
    mult = {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[unit.lower()]
    assert parse_size(f"{n}{unit}") == n * mult


@pytest.mark.parametrize("bad", ["", "1.5m", "1 m", "1mb", "-1", "k", "1t"])
def test_bad_sizes(bad):
    with pytest.raises(AnnotationValueError):
        parse_size(bad)


@given(st.lists(st.sampled_from(CONDITIONS), min_size=1, max_size=6))
def test_conditions_keep_order_without_duplicates(conds):
    assert parse_conditions("  ".join(conds)) == list(dict.fromkeys(conds))


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=12))
def test_unknown_conditions_rejected(word):
    if word in CONDITIONS:
        return
    with pytest.raises(AnnotationValueError):
        parse_conditions(f"error {word}")
