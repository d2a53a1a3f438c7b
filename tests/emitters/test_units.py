"""Unit conversions: every value fits the target's pattern and never shortens nginx's value."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from ing2gw.emitters.common import duration, nginx_size, nginx_time, quantity, seconds

GW_DURATION = re.compile(r"^([0-9]{1,5}(h|m|s|ms)){1,4}$")  # Envoy Gateway / kgateway / Gateway API
NGINX_SIZE = re.compile(r"^\d{1,4}(k|m|g)?$")
NGINX_TIME = re.compile(r"^[0-9]{1,4}(ms|s|m|h)?$")
QUANTITY = re.compile(r"^\d+(Ki|Mi|Gi)?$")


@given(st.integers(min_value=0, max_value=10**9))
def test_duration_fits_and_is_exact(ms: int) -> None:
    text = duration(ms / 1000)
    assert GW_DURATION.match(text), text
    assert abs(seconds(text) - ms / 1000) < 1e-6


def test_duration_examples() -> None:
    assert [duration(x) for x in (0.5, 5, 60, 90, 120, 3600, 1.25)] == ["500ms", "5s", "1m", "1m30s", "2m", "1h", "1250ms"]


@given(st.integers(min_value=0, max_value=9999 * (1 << 30)))
def test_nginx_size_fits_and_never_shrinks(n: int) -> None:
    text, exact = nginx_size(n)
    assert NGINX_SIZE.match(text), text
    value = int(text.rstrip("kmg")) * {"k": 1 << 10, "m": 1 << 20, "g": 1 << 30}.get(text[-1], 1)
    assert value >= n and (value == n) == exact


@given(st.floats(min_value=0, max_value=9999 * 3600, allow_nan=False))
def test_nginx_time_fits(s: float) -> None:
    assert NGINX_TIME.match(nginx_time(s))


@given(st.integers(min_value=0, max_value=1 << 40))
def test_quantity_is_exact(n: int) -> None:
    text = quantity(n)
    assert QUANTITY.match(text)
    assert int(text.rstrip("KMGi")) * {"Ki": 1 << 10, "Mi": 1 << 20, "Gi": 1 << 30}.get(text[-2:], 1) == n
