"""pretty_json writes exactly what json.dumps(indent=2, ensure_ascii=False) writes."""

from __future__ import annotations

import enum
import json
import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ing2gw.jsontext import pretty_json, write_pretty_json

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True) | st.text()
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
                      | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=40)


def same(value: Any) -> None:
    expected = json.dumps(value, indent=2, ensure_ascii=False)
    assert pretty_json(value) == expected
    pieces: list[str] = []
    write_pretty_json(value, pieces.append)
    assert "".join(pieces) == expected


@given(values)
def test_same_text_as_json_dumps(value: Any) -> None:
    same(value)


class Color(enum.StrEnum):
    RED = "red"


class Level(enum.IntEnum):
    HIGH = 3


class Custom(dict[str, Any]):
    """A dict subclass with a nested value: written as a dict, like json does."""

    def __init__(self) -> None:
        super().__init__(a=[1, {"b": None}])


@pytest.mark.parametrize("value", [
    {"é": "ünïcode \u2028 \x00 \" \\ \n", "emoji": "\U0001f600"},
    {"nested": {"empty": {}, "list": [], "deep": [[[]]]}},
    [math.nan, math.inf, -math.inf, -0.0, 1e300, 5e-324],
    {"enum": Color.RED, "int-enum": Level.HIGH, "bool": True},
    {1: "int key", None: "null key", 2.5: "float key", False: "bool key", math.inf: "inf key"},
    {"deep": [{"int-enum": Level.HIGH, "dict-subclass": Custom()}]},
])
def test_unusual_values_give_the_same_text(value: Any) -> None:
    same(value)


def test_what_json_refuses_is_refused_the_same_way() -> None:
    with pytest.raises(TypeError, match="Object of type set is not JSON serializable"):
        pretty_json({"set": {1, 2}})
    with pytest.raises(TypeError, match="keys must be str, int, float, bool or None, not tuple"):
        pretty_json({(1, 2): "tuple key"})
    cycle: list[Any] = []
    cycle.append(cycle)
    with pytest.raises(ValueError, match="Circular reference"):
        pretty_json(cycle)


def test_a_large_value_is_written_in_pieces() -> None:
    value = {"items": [{"name": f"n{i}", "tags": ["a", "b"]} for i in range(20_000)]}
    pieces: list[str] = []
    write_pretty_json(value, pieces.append)
    assert len(pieces) > 5  # never held whole
    assert "".join(pieces) == json.dumps(value, indent=2, ensure_ascii=False)
