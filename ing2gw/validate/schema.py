"""One object against one CRD version's ``openAPIV3Schema``, the way the API server checks it on create:

1. structural defaulting (``default`` of every absent property, in objects, list items and map values);
2. the schema: types, ``nullable``, ``enum``, ``pattern``, ``format``, lengths, bounds, item and property
   counts, ``required``, unknown fields, ``allOf``/``anyOf``/``oneOf``/``not``, and the uniqueness that
   ``x-kubernetes-list-type: set|map`` demands;
3. the ``x-kubernetes-validations`` CEL rules of every node present, on the defaulted object (rules read
   defaulted fields, so defaults must be in place first).

The walk converts the object to its CEL form bottom-up (property names escaped, ``number`` fields as
doubles), so every node is converted once however many rules read it.
"""

from __future__ import annotations

import base64
import ipaddress
import json
import re
from collections.abc import Callable, Sized
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from ing2gw.validate import cel as celrules
from ing2gw.validate import codegen


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem with one object. ``kind`` is ``schema``, ``type`` (a schema type error, which blocks
    the CEL rules), ``rule`` (a CEL rule failed) or ``not-evaluated`` (a rule ing2gw cannot run: stated,
    never passed silently)."""

    object: str  # "HTTPRoute ns/name"
    path: str  # "spec.rules[0].filters"
    message: str
    kind: str = "schema"
    rule: str | None = None

    @property
    def is_error(self) -> bool:
        return self.kind != "not-evaluated"

    def __str__(self) -> str:
        where = self.path or "<root>"
        prefix = "rule not evaluated" if self.kind == "not-evaluated" else "invalid"
        return f"{self.object}: {where}: {prefix}: {self.message}"


# Field paths are built lazily: ``None`` is the root, ``(parent, segment)`` a child, where a segment is a
# property name, a list index (int) or a ready ``["map key"]``. Only paths of findings become strings.
def _fmt(path: Any) -> str:
    segs = []
    while path is not None:
        path, seg = path
        segs.append(seg)
    out = ""
    for seg in reversed(segs):
        if isinstance(seg, int):
            out += f"[{seg}]"
        elif seg.startswith("["):
            out += seg
        else:
            out = f"{out}.{seg}" if out else seg
    return out


_VALUE_KEYS = ("enum", "maxLength", "minLength", "pattern", "format", "maximum", "minimum", "maxItems", "minItems",
               "maxProperties", "minProperties")
_VALUE_KEY_SET = frozenset(_VALUE_KEYS)
_COMBINATORS = ("allOf", "anyOf", "oneOf", "not")


def _go_anchors(p: str) -> str:
    """In Go (RE2) ``$`` without the m flag matches only at the very end; in Python it also matches before a
    final newline. Unescaped ``$`` outside character classes becomes ``\\Z``."""
    out, escaped, in_class = [], False, False
    for ch in p:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == "[" and not in_class:
            in_class = True
        elif ch == "]" and in_class:
            in_class = False
        elif ch == "$" and not in_class:
            out.append("\\Z")
            continue
        out.append(ch)
    return "".join(out)


@lru_cache(maxsize=4096)
def _pattern(p: str) -> re.Pattern[str] | None:
    try:
        return re.compile(_go_anchors(p))
    except re.error:
        return None


def apply_defaults(value: Any, schema: dict[str, Any] | None) -> Any:
    """A copy of ``value`` with the schema's defaults filled in (in objects, list items and map values).
    The input is not modified."""
    if isinstance(value, dict):
        if schema is None:
            return _copy(value)
        props = schema.get("properties")
        if props:
            out = {k: apply_defaults(v, props.get(k)) for k, v in value.items()}
            for name, default, nullable in _defaults(props):
                if name not in out or (out[name] is None and not nullable):
                    out[name] = apply_defaults(_copy(default), props[name])
            return out
        addl = schema.get("additionalProperties")
        sub = addl if isinstance(addl, dict) else None
        return {k: apply_defaults(v, sub) for k, v in value.items()}
    if isinstance(value, list):
        items = schema.get("items") if schema is not None else None
        return [apply_defaults(v, items if isinstance(items, dict) else None) for v in value]
    return value


_DEFAULTS: dict[int, tuple[dict[str, Any], list[tuple[str, Any, bool]]]] = {}


def _defaults(props: dict[str, Any]) -> list[tuple[str, Any, bool]]:
    """(name, default, nullable) of the properties that have a default, kept per properties node."""
    hit = _DEFAULTS.get(id(props))
    if hit is None or hit[0] is not props:
        hit = (props, [(n, sub["default"], bool(sub.get("nullable"))) for n, sub in props.items() if "default" in sub])
        _DEFAULTS[id(props)] = hit
    return hit[1]


_TYPES = {"object": dict, "array": list, "string": str, "boolean": bool}


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    return {dict: "object", list: "array", str: "string", int: "integer", float: "number"}.get(type(value), "value")


def _format_error(value: str, fmt: str) -> str | None:
    try:
        if fmt == "ipv4":
            ipaddress.IPv4Address(value)
        elif fmt == "ipv6":
            ipaddress.IPv6Address(value)
        elif fmt == "cidr":
            ipaddress.ip_network(value, strict=False)
        elif fmt == "byte":
            base64.b64decode(value, validate=True)
        elif fmt == "date-time":
            datetime.fromisoformat(value.replace("Z", "+00:00"))
        elif fmt == "uri" and not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", value):
            raise ValueError
    except ValueError:
        return f"{value!r} is not a valid {fmt}"
    return None


def _canon(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


# List elements found valid, per (schema, rules on, repr of the element): their CEL
# values. Bounded so that memory stays small (about 10 MB at most): the elements that repeat (matches,
# backendRefs) come back soon after the memory is emptied, so 100,000 entries were no faster than 20,000.
_CLEAN: dict[tuple[int, bool, str], tuple[dict[str, Any], Any]] = {}
_CLEAN_MAX = 20_000
_CLEAN_MAX_CHARS = 2_000
# Elements of some lists never repeat (route rules with their own paths, parentRefs naming their own
# listener): after a trial, a schema whose elements hit less than one time in ten is not remembered, which
# saves writing out every element (repr) and the memory of entries never used again.
_MEMO_TRIAL = 2_000
_memo_tries: dict[int, list[int]] = {}  # id(schema) -> [lookups, hits] during the trial
_not_memoized: set[int] = set()


def forget_elements() -> None:
    """Drop the elements remembered as valid (tens of MB after a large output); the trial statistics stay."""
    _CLEAN.clear()


_Check = Callable[["_Walk", Any, Any], Any]  # (walk, value, path) -> the value's CEL form
_COMPILED: dict[int, tuple[dict[str, Any], _Check]] = {}
_NULL = "must not be null (not nullable: the API server would drop the field)"
_REQUIRED = codegen.REQUIRED


def _checker(schema: dict[str, Any]) -> _Check:
    """The check of one schema node, built once per node (CRD schemas live as long as the process): what
    the node asks for is read from the schema once, not at every value."""
    hit = _COMPILED.get(id(schema))
    if hit is None or hit[0] is not schema:
        if id(schema) in _BUILDING:  # a schema inside itself (YAML aliases can do that): found when used
            return lambda w, value, path: _checker(schema)(w, value, path)
        _BUILDING.add(id(schema))
        try:
            hit = (schema, _compile(schema))
        finally:
            _BUILDING.discard(id(schema))
        _COMPILED[id(schema)] = hit
    return hit[1]


_BUILDING: set[int] = set()  # schema nodes whose check is being built


def _compile(schema: dict[str, Any]) -> _Check:
    nullable = bool(schema.get("nullable"))
    t = schema.get("type")
    # The value's type as (Python types it may have, whether a bool is refused): bool is an int in Python.
    allowed: tuple[type, ...] | None
    if schema.get("x-kubernetes-int-or-string"):
        allowed, no_bool, type_message = (str, int), True, "must be an integer or a string, not {}"
    elif t in ("integer", "number"):
        allowed, no_bool = ((int,) if t == "integer" else (int, float)), True
        type_message = f"must be of type {t}, not {{}}"
    elif t in _TYPES:
        allowed, no_bool, type_message = (_TYPES[t],), False, f"must be of type {t}, not {{}}"
    else:
        allowed, no_bool, type_message = None, False, ""
    has_values = any(k in schema for k in _VALUE_KEYS)
    combinators = tuple(k for k in _COMBINATORS if k in schema)
    values = _compile_values(schema)
    rules = schema.get("x-kubernetes-validations")
    plan = _rule_plan(rules) if rules is not None else None
    number = t == "number"
    for_dict = _compile_object(schema)
    for_list = _compile_array(schema)

    def check(w: _Walk, value: Any, path: Any) -> Any:
        if value is None:
            if not nullable:
                w.err(path, _NULL)
            return None
        if allowed is not None and (not isinstance(value, allowed) or (no_bool and value.__class__ is bool)):
            w.err(path, type_message.format(_describe(value)), "type")
            return value
        if has_values:
            values(w, value, path)
        if combinators:
            defaulted = apply_defaults(value, schema)  # the branches see the defaulted value (rare: Gateway only)
            for key in combinators:
                w._combinator(key, defaulted, schema[key], path)
        if isinstance(value, dict):
            cel_value = for_dict(w, value, path)
        elif isinstance(value, list):
            cel_value = for_list(w, value, path)
        elif number and isinstance(value, int):
            cel_value = float(value)
        else:
            cel_value = value
        if plan is not None and w.run_rules:
            w._rules(cel_value, plan, path)
        return cel_value

    if combinators or schema.get("x-kubernetes-int-or-string"):
        return check
    if t in ("object", "array"):
        counts = ("maxProperties", "minProperties") if t == "object" else ("maxItems", "minItems")
        if set(schema) & _VALUE_KEY_SET <= set(counts):
            high, low = (schema.get(k) for k in counts)
            return _container(dict if t == "object" else list, for_dict if t == "object" else for_list, check,
                              plan, high, low)
    if plan is not None:
        return check
    names = codegen.Names()
    test = codegen.leaf_test(schema, _VALUE_KEY_SET, names, "value", _pattern)
    if test is not None:
        return codegen.leaf(test, names, check)
    return check


def _container(kind: type[Sized], walk: _Check, check: _Check, plan: _RulePlan | None, high: int | None,
               low: int | None) -> _Check:
    """An object or array node whose only bounds are on its size: a value of the right type and size has its
    fields or elements walked at once, then its rules; anything else goes through the full ``check``."""
    if plan is None and high is None and low is None:
        def container(w: _Walk, value: Any, path: Any) -> Any:
            if value.__class__ is kind:
                return walk(w, value, path)
            return check(w, value, path)

        return container

    def bounded(w: _Walk, value: Any, path: Any) -> Any:
        if value.__class__ is kind and (high is None or len(value) <= high) and (low is None or len(value) >= low):
            cel_value = walk(w, value, path)
            if plan is not None and w.run_rules:
                w._rules(cel_value, plan, path)
            return cel_value
        return check(w, value, path)

    return bounded


def _compile_object(schema: dict[str, Any]) -> _Check:
    props = schema.get("properties")
    required = tuple(schema.get("required", ()))
    addl = schema.get("additionalProperties")
    if props is None:
        if isinstance(addl, dict):
            values = _checker(addl)

            def as_map(w: _Walk, value: dict[str, Any], path: Any) -> Any:
                for name in required:
                    if name not in value:
                        w.err((path, name), _REQUIRED)
                return {k: values(w, v, (path, f"[{json.dumps(k)}]")) for k, v in value.items()}

            return as_map

        def free_form(w: _Walk, value: dict[str, Any], path: Any) -> Any:
            for name in required:
                if name not in value:
                    w.err((path, name), _REQUIRED)
            return value  # x-kubernetes-preserve-unknown-fields, or a bare object

        return free_form
    # name -> (its check, its CEL name or None when CEL cannot name it)
    fields = {name: (_checker(sub), celrules.escape_property(name)) for name, sub in props.items()}
    defaults = _defaults(props)
    names = codegen.Names()
    default_of = {name: ((default,), nullable) for name, default, nullable in defaults}
    spec = [codegen.Field(name, key, check, codegen.leaf_test(props[name], _VALUE_KEY_SET, names, "v", _pattern),
                          *default_of.get(name, (None, False)))
            for name, (check, key) in fields.items()]

    def default_values() -> tuple[Any, ...]:
        """The CEL form of each default, found valid once (or ``codegen.AGAIN``: checked where it applies)."""
        out = []
        for name, default, _ in defaults:
            w = _Walk("")
            cel_value = fields[name][0](w, _copy(default), None)
            out.append(codegen.AGAIN if w.findings else cel_value)
        return tuple(out)

    return codegen.object_walk(spec, required, bool(schema.get("x-kubernetes-preserve-unknown-fields")), names,
                               default_values, _copy)


def _compile_values(schema: dict[str, Any]) -> Callable[[_Walk, Any, Any], None]:
    """The value constraints of a node. The usual nodes get a check of their own for the usual values: a
    string with lengths, a pattern or an enum of strings; a number with bounds. Anything else, and any
    value that breaks a bound (for the message), goes to ``_Walk._values``."""
    keys = set(schema) & _VALUE_KEY_SET
    enum = schema.get("enum")
    if keys <= codegen.STRING_KEYS and (
            enum is None or (isinstance(enum, list) and all(isinstance(e, str) for e in enum))):
        max_length, min_length, source = schema.get("maxLength"), schema.get("minLength"), schema.get("pattern")
        allowed = frozenset(enum) if enum is not None else None

        def string(w: _Walk, value: Any, path: Any) -> None:
            if isinstance(value, str) and (allowed is None or value in allowed):
                w._string(value, max_length, min_length, source, path)
            else:
                w._values(value, schema, path)

        return string
    if keys <= {"maximum", "minimum"} and not schema.get("exclusiveMaximum") and not schema.get("exclusiveMinimum"):
        high, low = schema.get("maximum"), schema.get("minimum")

        def number(w: _Walk, value: Any, path: Any) -> None:
            if not (isinstance(value, int | float) and value.__class__ is not bool
                    and (high is None or value <= high) and (low is None or value >= low)):
                w._values(value, schema, path)

        return number

    def general(w: _Walk, value: Any, path: Any) -> None:
        w._values(value, schema, path)

    return general


def _compile_array(schema: dict[str, Any]) -> _Check:
    items = schema.get("items")
    list_type = str(schema.get("x-kubernetes-list-type"))
    unique = list_type in ("set", "map")
    if not isinstance(items, dict):
        def plain(w: _Walk, value: list[Any], path: Any) -> Any:
            if unique:
                w._unique(value, schema, list_type, path)
            return value

        return plain
    element = _checker(items)

    def as_list(w: _Walk, value: list[Any], path: Any) -> Any:
        out = [w._item(v, items, element, (path, i)) for i, v in enumerate(value)]
        if unique:
            w._unique(value, schema, list_type, path)
        return out

    return as_list


class _Walk:
    """State of one object's walk."""

    __slots__ = ("findings", "obj", "run_rules")

    def __init__(self, obj: str, run_rules: bool = True) -> None:
        self.obj = obj
        self.findings: list[Finding] = []
        self.run_rules = run_rules

    def err(self, path: Any, message: str, kind: str = "schema", rule: str | None = None) -> None:
        self.findings.append(Finding(self.obj, _fmt(path), message, kind, rule))

    # The walk returns the node's CEL value, with the schema's defaults filled in (structural defaulting
    # happens as the walk goes: a default is checked like a value that was there).
    def node(self, value: Any, schema: dict[str, Any], path: Any) -> Any:
        return _checker(schema)(self, value, path)

    def _string(self, value: str, max_length: int | None, min_length: int | None, source: str | None,
                path: Any) -> None:
        n = len(value)
        if max_length is not None and n > max_length:
            self.err(path, f"Too long: may not be more than {max_length} characters")
        if min_length is not None and n < min_length:
            self.err(path, f"Too short: must be at least {min_length} characters")
        if source is not None:
            rx = _pattern(source)
            if rx is None:
                self.err(path, f"pattern {source!r} cannot be compiled here", "not-evaluated")
            elif not rx.search(value):
                self.err(path, f"Invalid value: {json.dumps(value)}: should match '{source}'")

    def _values(self, value: Any, schema: dict[str, Any], path: Any) -> None:
        if "enum" in schema and value not in schema["enum"]:
            allowed = ", ".join(json.dumps(e) for e in schema["enum"])
            self.err(path, f"Unsupported value: {json.dumps(value)}: supported values: {allowed}")
        if isinstance(value, str):
            self._string(value, schema.get("maxLength"), schema.get("minLength"), schema.get("pattern"), path)
            if "format" in schema:
                problem = _format_error(value, schema["format"])
                if problem:
                    self.err(path, problem)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            if "maximum" in schema:
                mx = schema["maximum"]
                if value > mx or (schema.get("exclusiveMaximum") and value == mx):
                    rel = "less than" if schema.get("exclusiveMaximum") else "less than or equal to"
                    self.err(path, f"Invalid value: {value}: should be {rel} {mx}")
            if "minimum" in schema:
                mn = schema["minimum"]
                if value < mn or (schema.get("exclusiveMinimum") and value == mn):
                    rel = "greater than" if schema.get("exclusiveMinimum") else "greater than or equal to"
                    self.err(path, f"Invalid value: {value}: should be {rel} {mn}")
        elif isinstance(value, list):
            if "maxItems" in schema and len(value) > schema["maxItems"]:
                self.err(path, f"Too many: {len(value)}: must have at most {schema['maxItems']} items")
            if "minItems" in schema and len(value) < schema["minItems"]:
                self.err(path, f"Too few: {len(value)}: must have at least {schema['minItems']} items")
        elif isinstance(value, dict):
            if "maxProperties" in schema and len(value) > schema["maxProperties"]:
                self.err(path, f"Too many: {len(value)}: must have at most {schema['maxProperties']} properties")
            if "minProperties" in schema and len(value) < schema["minProperties"]:
                self.err(path, f"Too few: {len(value)}: must have at least {schema['minProperties']} properties")

    def _combinator(self, key: str, value: Any, branches: Any, path: Any) -> None:
        def passes(sub: dict[str, Any]) -> bool:
            w = _Walk(self.obj, run_rules=False)
            w.node(value, sub, path)
            return not any(f.is_error for f in w.findings)

        if key == "not":
            if passes(branches):
                self.err(path, "must not validate the schema (not)")
        elif key == "allOf":
            for sub in branches:
                w = _Walk(self.obj, run_rules=False)
                w.node(value, sub, path)
                self.findings.extend(w.findings)
        elif key == "anyOf":
            if not any(passes(sub) for sub in branches):
                self.err(path, "must validate at least one schema (anyOf)")
        elif key == "oneOf":
            n = sum(1 for sub in branches if passes(sub))
            if n != 1:
                self.err(path, f"must validate one and only one schema (oneOf), but {n} matched")

    def _item(self, value: Any, schema: dict[str, Any], check: _Check, path: Any) -> Any:
        """One list element. Generated objects repeat the same elements (matches, backendRefs, filters,
        parentRefs, certificateRefs) thousands of times: an element once found valid against a schema is
        not walked again; its CEL value is reused."""
        if not isinstance(value, dict | list) or id(schema) in _not_memoized:
            return check(self, value, path)
        text = repr(value)
        if len(text) > _CLEAN_MAX_CHARS:
            return check(self, value, path)
        key = (id(schema), self.run_rules, text)
        hit = _CLEAN.get(key)
        tries = _memo_tries.setdefault(id(schema), [0, 0])  # (an id reused by another schema costs time only)
        if tries[0] < _MEMO_TRIAL:
            tries[0] += 1
            tries[1] += hit is not None
            if tries[0] == _MEMO_TRIAL and tries[1] * 10 < _MEMO_TRIAL:
                _not_memoized.add(id(schema))
        if hit is not None and hit[0] is schema:
            return hit[1]
        before = len(self.findings)
        cel_value = check(self, value, path)
        if len(self.findings) == before:
            if len(_CLEAN) >= _CLEAN_MAX:
                _CLEAN.clear()
            _CLEAN[key] = (schema, cel_value)
        return cel_value

    def _unique(self, value: list[Any], schema: dict[str, Any], list_type: str, path: Any) -> None:
        """The uniqueness ``x-kubernetes-list-type: set|map`` demands."""
        seen: dict[str, int] = {}
        if list_type == "set":
            for i, v in enumerate(value):
                c = _canon(v)
                if c in seen:
                    self.err((path, i), f"Duplicate value: {c} (also at index {seen[c]}; list-type set)")
                else:
                    seen[c] = i
            return
        keys = schema.get("x-kubernetes-list-map-keys") or []
        for i, v in enumerate(value):
            if not isinstance(v, dict):
                continue
            c = _canon([v.get(k) for k in keys])
            if c in seen:
                desc = ", ".join(f"{k}={json.dumps(v.get(k))}" for k in keys)
                self.err((path, i), f"Duplicate value: {{{desc}}} (also at index {seen[c]}; list-type map)")
            else:
                seen[c] = i

    def _rules(self, cel_value: Any, plan: _RulePlan, path: Any) -> None:
        group_holds = not plan.group or celrules.all_hold(plan.group, cel_value)
        for rule, compiled, message, fast in plan.rules:
            if compiled.program is None:
                self.err(path, f"{message} [{compiled.reason}]", "not-evaluated", rule)
                continue
            if fast is not None:
                verdict = fast(cel_value)
                if verdict is not None:
                    if not verdict:
                        self.err(path, message, "rule", rule)
                    continue
            elif group_holds:
                continue
            try:
                ok = celrules.evaluate(compiled, cel_value)
            except celrules.EvalError as exc:
                self.err(path, f"{message} [rule could not be evaluated: {exc}]", "rule", rule)
                continue
            if not ok:
                self.err(path, message, "rule", rule)


def _copy(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _copy(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_copy(x) for x in v]
    return v


@dataclass(frozen=True, slots=True)
class _RulePlan:
    """The ``x-kubernetes-validations`` of one schema node, read once: ``group``, the rules that run together
    on the engine (compiled, without a Python equivalent); ``rules``, every rule but transition rules (the
    API server does not run those on create) as (rule, compiled, message, Python equivalent or None)."""

    group: tuple[str, ...]
    rules: tuple[tuple[str, celrules.CompiledRule, str, Any], ...]


def _rule_plan(rules: list[dict[str, Any]]) -> _RulePlan:
    entries = []
    for r in rules:
        rule = r.get("rule", "")
        compiled = celrules.compile_rule(rule)
        if compiled.transition:
            continue
        fast = celrules.ACCELERATED.get(compiled.rule) if compiled.program is not None else None
        entries.append((rule, compiled, r.get("message") or f"failed rule: {rule}", fast))
    group = tuple(c.rule for _, c, _, fast in entries if c.program is not None and fast is None)
    return _RulePlan(group, tuple(entries))


_ROOTS: dict[int, tuple[dict[str, Any], dict[str, Any]]] = {}


def _root(schema: dict[str, Any]) -> dict[str, Any]:
    """The version's schema as the API server applies it: metadata checked apart (below), apiVersion and
    kind strings. Kept per schema, so that the walk's per-node memories hold."""
    hit = _ROOTS.get(id(schema))
    if hit is None or hit[0] is not schema:
        root = dict(schema)
        props = dict(root.get("properties") or {})
        props["metadata"] = {"type": "object", "x-kubernetes-preserve-unknown-fields": True}
        props.setdefault("apiVersion", {"type": "string"})
        props.setdefault("kind", {"type": "string"})
        root["properties"] = props
        hit = _ROOTS[id(schema)] = (schema, root)
    return hit[1]


def validate_against(obj: dict[str, Any], schema: dict[str, Any], label: str) -> list[Finding]:
    """Check one object (not modified) against a version's ``openAPIV3Schema``."""
    walk = _Walk(label)
    walk.findings.extend(_metadata_findings(obj.get("metadata"), label))
    walk.node(obj, _root(schema), None)
    if any(f.kind == "type" for f in walk.findings):
        # As the API server does: a type error blocks every CEL rule (they would read wrong types).
        walk.findings = [f for f in walk.findings if f.kind not in ("rule", "not-evaluated")]
        walk.err(None, "some validation rules were not checked because the object was invalid; correct the "
                     "existing errors to complete validation", "rule")
    return walk.findings


_DNS_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")


def _metadata_findings(meta: Any, label: str) -> list[Finding]:
    out: list[Finding] = []
    if not isinstance(meta, dict):
        return [Finding(label, "metadata", "Required value")]
    name = meta.get("name")
    if not name and not meta.get("generateName"):
        out.append(Finding(label, "metadata.name", "Required value: name or generateName is required"))
    elif isinstance(name, str) and (len(name) > 253 or not _DNS_SUBDOMAIN.match(name)):
        out.append(Finding(label, "metadata.name", f"Invalid value: {json.dumps(name)}: a lowercase RFC 1123 "
                           "subdomain of at most 253 characters is required"))
    ns = meta.get("namespace")
    if ns is not None and (not isinstance(ns, str) or len(ns) > 63 or not _DNS_LABEL.match(ns)):
        out.append(Finding(label, "metadata.namespace", f"Invalid value: {json.dumps(ns)}: a lowercase RFC 1123 "
                           "label of at most 63 characters is required"))
    for field in ("labels", "annotations"):
        m = meta.get(field)
        if m is not None and (not isinstance(m, dict) or not all(isinstance(v, str) for v in m.values())):
            out.append(Finding(label, f"metadata.{field}", "must be a map of strings"))
    return out
