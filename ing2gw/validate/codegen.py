"""Python code written out per schema node, for the nodes met thousands of times in a large output.

:mod:`.schema` builds one check per schema node. For an object node with properties it asks this module for
its walk as Python source: the object's fields are dispatched by name in one function, and the leaves among
them (strings, integers and booleans without rules) are tested inline (type, enum, lengths, pattern,
bounds) instead of through a call per field. A leaf value that fails its inline test goes to the leaf's own
check, which reports it. The steps, and so the findings and their order, are those of the general walk.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

Check = Callable[[Any, Any, Any], Any]  # (walk, value, path) -> the value's CEL form

STRING_KEYS = frozenset({"maxLength", "minLength", "pattern", "enum"})  # what a plain string leaf may ask
_INTEGER_KEYS = frozenset({"maximum", "minimum", "format"})  # a format (int32, int64) is not checked on numbers
_SPECIAL = ("x-kubernetes-validations", "x-kubernetes-int-or-string", "allOf", "anyOf", "oneOf", "not")


class Names:
    """The constants a generated function reads, as names in its globals."""

    def __init__(self) -> None:
        self.space: dict[str, Any] = {}

    def add(self, value: Any) -> str:
        name = f"_k{len(self.space)}"
        self.space[name] = value
        return name


def leaf_test(schema: dict[str, Any], value_keys: frozenset[str], names: Names, var: str,
              pattern: Callable[[str], re.Pattern[str] | None]) -> str | None:
    """A Python expression, true when ``var`` is a valid value of this leaf node (a string, integer or
    boolean without rules), or None when the node is not such a leaf. False for anything the general
    check must look at (other types, null, a value out of bounds)."""
    if any(k in schema for k in _SPECIAL):
        return None
    keys = value_keys & set(schema)
    t = schema.get("type")
    if t == "string":
        if not keys <= STRING_KEYS:
            return None
        parts = [f"{var}.__class__ is str"]
        enum = schema.get("enum")
        if enum is not None:
            if not (isinstance(enum, list) and all(isinstance(e, str) for e in enum)):
                return None
            parts.append(f"{var} in {names.add(frozenset(enum))}")
        if schema.get("maxLength") is not None:
            parts.append(f"len({var}) <= {int(schema['maxLength'])}")
        if schema.get("minLength") is not None:
            parts.append(f"len({var}) >= {int(schema['minLength'])}")
        source = schema.get("pattern")
        if source is not None:
            rx = pattern(source)
            if rx is None:
                return None  # reported by the general check
            parts.append(f"{names.add(rx.search)}({var}) is not None")
        return " and ".join(parts)
    if t == "integer":
        if not keys <= _INTEGER_KEYS or schema.get("exclusiveMaximum") or schema.get("exclusiveMinimum"):
            return None
        parts = [f"{var}.__class__ is int"]
        for key, op in (("maximum", "<="), ("minimum", ">=")):
            bound = schema.get(key)
            if bound is not None:
                if not isinstance(bound, int | float) or isinstance(bound, bool):
                    return None
                parts.append(f"{var} {op} {names.add(bound)}")
        return " and ".join(parts)
    if t == "boolean" and not keys:
        return f"{var}.__class__ is bool"
    return None


def leaf(test: str, names: Names, general: Check) -> Check:
    """The check of a leaf node: the valid value itself, anything else to ``general``."""
    names.space["_general"] = general
    source = (f"def leaf_check(w, value, path):\n"
              f"    if {test}:\n"
              f"        return value\n"
              f"    return _general(w, value, path)\n")
    return _when_used(lambda: _define(source, names, "leaf_check"))


class Field:
    """One property of an object node, as the generated code needs it."""

    __slots__ = ("cel_name", "check", "default", "name", "nullable", "test")

    def __init__(self, name: str, cel_name: str | None, check: Check, test: str | None,
                 default: tuple[Any] | None, nullable: bool) -> None:
        self.name, self.cel_name, self.check, self.test = name, cel_name, check, test
        self.default, self.nullable = default, nullable  # default: (the default value,) or None


def object_walk(fields: list[Field], required: tuple[str, ...], preserve: bool, names: Names,
                default_values: Callable[[], tuple[Any, ...]], copy: Callable[[Any], Any]) -> Check:
    """The walk of an object node's properties, returning the object's CEL form, written out for this node.

    As the API server does: a missing required field is reported, then each field in the object's order (an
    unknown one reported unless ``preserve``: ``x-kubernetes-preserve-unknown-fields``), then the defaults of
    the absent fields (and of the null ones, unless nullable) are filled in. ``default_values()``: the
    defaults' CEL forms, in the order of the fields that have one, or :data:`AGAIN` for a default that is not
    valid itself (it is then checked where it applies, a ``copy`` of it, and reported)."""
    ns = names.space
    ns.update(_UNKNOWN=UNKNOWN, _REQUIRED=REQUIRED, _AGAIN=AGAIN, _copy=copy, D=None)
    with_default = [f for f in fields if f.default is not None]
    lines = ["def object_walk(w, value, path):"]
    if with_default:
        lines += ["    d = D",
                  "    if d is None:",
                  "        d = _first()"]
    # A required field with a default is never missing: the default fills it in.
    for name in required:
        if not any(f.name == name and f.default is not None for f in fields):
            lines += [f"    if {name!r} not in value:",
                      f"        w.err((path, {name!r}), _REQUIRED)"]
    lines += ["    out = {}",
              "    for name, v in value.items():"]
    checks = {f.name: names.add(f.check) for f in fields}
    for i, f in enumerate(fields):
        lines.append(f"        {'if' if i == 0 else 'elif'} name == {f.name!r}:")
        if f.default is not None and not f.nullable:
            lines += ["            if v is None:",
                      "                continue  # the default replaces it (below)"]
        call = f"{checks[f.name]}(w, v, (path, name))"
        if f.test is not None:
            lines.append(f"            if not ({f.test}):")
            lines.append(f"                v = {call}")
            if f.cel_name is not None:
                lines.append(f"            out[{f.cel_name!r}] = v")
        elif f.cel_name is not None:
            lines.append(f"            out[{f.cel_name!r}] = {call}")
        else:
            lines.append(f"            {call}")
    lines += ["        else:" if fields else "        if True:",
              "            pass" if preserve else "            w.err((path, name), _UNKNOWN)"]
    for i, f in enumerate(with_default):
        assert f.default is not None
        absent = f"{f.name!r} not in value" + ("" if f.nullable else f" or value[{f.name!r}] is None")
        lines += [f"    if {absent}:",
                  f"        v = d[{i}]",
                  "        if v is _AGAIN:",
                  f"            v = {checks[f.name]}(w, _copy({names.add(f.default[0])}), (path, {f.name!r}))"]
        if f.cel_name is not None:
            lines.append(f"        out[{f.cel_name!r}] = v")
    lines.append("    return out")

    def first() -> tuple[Any, ...]:
        """The defaults' CEL forms, found at the first call (the checks they go through exist only once every
        node of the schema is built)."""
        ns["D"] = default_values()
        return ns["D"]

    ns["_first"] = first
    source = "\n".join(lines) + "\n"
    return _when_used(lambda: _define(source, names, "object_walk"))


UNKNOWN = "unknown field (the API server would drop it)"
REQUIRED = "Required value"
AGAIN = object()  # a default whose check reports something: checked again where it applies


def _when_used(define: Callable[[], Check]) -> Check:
    """The function ``define`` gives, compiled at its first call: most nodes of a CRD's schema are never met
    (compiling all of them took longer than validating a thousand objects)."""
    defined: list[Check] = []

    def check(w: Any, value: Any, path: Any) -> Any:
        if not defined:
            defined.append(define())
        return defined[0](w, value, path)

    return check


def _define(source: str, names: Names, name: str) -> Check:
    code = compile(source, f"<ing2gw.validate.codegen {name}>", "exec")
    exec(code, names.space)  # noqa: S102 - our own source, built above from the schema's constants
    fn: Check = names.space[name]
    return fn
