"""The object walks written out as Python per schema node (ing2gw.validate.codegen) against a plain
reference walk written here: the same findings, in the same order, and the same CEL form (defaults filled
in), for any value."""

from __future__ import annotations

import re
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from ing2gw.validate import schema as sc

SUB = {"type": "object", "required": ["k"],
       "properties": {"k": {"type": "string"}, "n": {"type": "integer", "default": 3, "maximum": 5}}}
SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["name", "port", "mode"],
    "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 5, "pattern": "^[a-z]+$"},
        "port": {"type": "integer", "minimum": 1, "maximum": 9},
        "mode": {"type": "string", "enum": ["A", "B"], "default": "A"},
        "opt": {"type": "boolean", "nullable": True, "default": True},
        "odd key": {"type": "string"},  # CEL cannot name it: checked, left out of the CEL form
        "if": {"type": "string", "maxLength": 2},  # a CEL reserved word: escaped
        "sub": SUB,
        "subs": {"type": "array", "items": SUB},
    },
}
BAD_DEFAULT: dict[str, Any] = {"type": "object", "properties": {
    "short": {"type": "string", "minLength": 3, "default": "x"}, "ok": {"type": "integer"}}}
PRESERVE: dict[str, Any] = {"type": "object", "x-kubernetes-preserve-unknown-fields": True,
                            "properties": {"ok": {"type": "integer", "maximum": 3}}}

TYPES = {"string": str, "integer": int, "boolean": bool, "object": dict, "array": list}


def reference(value: Any, schema: dict[str, Any], path: str) -> tuple[list[tuple[str, str]], Any]:
    """(findings as (path, what), CEL form), step by step as the API server checks."""
    found: list[tuple[str, str]] = []
    if value is None:
        if not schema.get("nullable"):
            found.append((path, "null"))
        return found, None
    t = schema["type"]
    if not isinstance(value, TYPES[t]) or (t == "integer" and isinstance(value, bool)):
        return [(path, "type")], value
    if t == "string":
        if "enum" in schema and value not in schema["enum"]:
            found.append((path, "enum"))
        if "maxLength" in schema and len(value) > schema["maxLength"]:
            found.append((path, "long"))
        if "minLength" in schema and len(value) < schema["minLength"]:
            found.append((path, "short"))
        if "pattern" in schema and not re.search(schema["pattern"], value):
            found.append((path, "pattern"))
        return found, value
    if t == "integer":
        if "maximum" in schema and value > schema["maximum"]:
            found.append((path, "max"))
        if "minimum" in schema and value < schema["minimum"]:
            found.append((path, "min"))
        return found, value
    if t == "array":
        out = []
        for i, v in enumerate(value):
            f, cv = reference(v, schema["items"], f"{path}[{i}]")
            found += f
            out.append(cv)
        return found, out
    if t != "object":
        return found, value
    props = schema["properties"]

    def replaced(name: str) -> bool:
        sub = props.get(name, {})
        return "default" in sub and (name not in value or (value[name] is None and not sub.get("nullable")))

    def at(name: str) -> str:
        return f"{path}.{name}" if path else name

    found += [(at(n), "required") for n in schema.get("required", ()) if n not in value and not replaced(n)]
    cel: dict[str, Any] = {}
    for name, v in value.items():
        if name not in props:
            if not schema.get("x-kubernetes-preserve-unknown-fields"):
                found.append((at(name), "unknown"))
            continue
        if replaced(name):
            continue
        f, cv = reference(v, props[name], at(name))
        found += f
        cel[name] = cv
    for name, sub in props.items():
        if replaced(name):
            f, cv = reference(sub["default"], sub, at(name))
            found += f
            cel[name] = cv
    cel = {("__if__" if k == "if" else k): v for k, v in cel.items() if k != "odd key"}
    return found, cel


WHAT = [("must not be null", "null"), ("must be of type", "type"), ("Unsupported value", "enum"),
        ("Too long", "long"), ("Too short", "short"), ("Invalid value", "pattern"), ("Required value", "required"),
        ("unknown field", "unknown")]


def walked(value: Any, schema: dict[str, Any]) -> tuple[list[tuple[str, str]], Any]:
    w = sc._Walk("Test x")
    cel = sc._checker(schema)(w, value, None)
    found = []
    for f in w.findings:
        what = next((short for start, short in WHAT if f.message.startswith(start)), f.message)
        if what == "pattern" and "should be less" in f.message:
            what = "max"
        elif what == "pattern" and "should be greater" in f.message:
            what = "min"
        found.append((f.path, what))
    return found, cel


LEAF = st.sampled_from([None, "", "abc", "ABC", "toolong", "A", "B", "C", "ok", 0, 2, 7, 12, True, False, 1.5])
SUB_VALUE = st.dictionaries(st.sampled_from(["k", "n", "zz"]), LEAF, max_size=3)
VALUE = st.dictionaries(
    st.sampled_from(["name", "port", "mode", "opt", "odd key", "if", "sub", "subs", "zz"]),
    st.one_of(LEAF, SUB_VALUE, st.lists(SUB_VALUE, max_size=2)), max_size=9)


@settings(max_examples=400, deadline=None)
@given(VALUE)
def test_object_walk_is_the_reference_walk(value: dict[str, Any]) -> None:
    assert walked(value, SCHEMA) == reference(value, SCHEMA, "")


@given(st.dictionaries(st.sampled_from(["short", "ok", "zz"]), LEAF, max_size=3))
def test_a_default_that_is_not_valid_is_reported_where_it_applies(value: dict[str, Any]) -> None:
    assert walked(value, BAD_DEFAULT) == reference(value, BAD_DEFAULT, "")


def test_known_cases() -> None:
    # required first, then the fields in the object's order, then the defaults
    assert walked({"zz": 1, "port": 12, "name": "ABC"}, SCHEMA) == (
        [("zz", "unknown"), ("port", "max"), ("name", "pattern")],
        {"port": 12, "name": "ABC", "mode": "A", "opt": True})
    found, cel = walked({"zz": 1, "port": 12, "mode": None, "opt": None}, SCHEMA)
    assert found == [("name", "required"), ("zz", "unknown"), ("port", "max")]
    assert cel == {"port": 12, "opt": None, "mode": "A"}  # a null mode takes the default; opt is nullable
    assert walked({"ok": 9, "zz": [1]}, PRESERVE) == ([("ok", "max")], {"ok": 9})
    assert walked({"short": "x"}, BAD_DEFAULT)[0] == [("short", "short")]
    assert walked({}, BAD_DEFAULT) == ([("short", "short")], {"short": "x"})
