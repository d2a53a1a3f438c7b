"""CEL rules of CRDs (``x-kubernetes-validations``), evaluated with the ``common-expression-language``
package (Python bindings of the Rust ``cel`` crate).

That engine implements the CEL core; Kubernetes adds libraries on top. The functions the Gateway API
and target implementation CRDs call that the engine lacks are provided here as Python functions:

- strings extension: ``substring``, ``split``, ``indexOf``, ``lastIndexOf``, ``lowerAscii``,
  ``upperAscii`` (from ``cel.stdlib``), and ``size`` of a string in code points (the engine counts
  UTF-8 bytes, so rules run on a renamed ``size`` whenever the object holds a non-ASCII string);
- Kubernetes ``isIP``, ``isURL``/``url``/``getScheme``/``getHostname``, ``quantity``/``isLessThan``/
  ``isGreaterThan``, and ``format.dns1123Label().validate``.

A rule that still cannot be compiled (the optional-field syntax ``.?`` is the only known case) or that
calls an unknown function is reported as *not evaluated*; it never passes silently. Transition rules
(those reading ``oldSelf``) are skipped: ing2gw only creates objects, and the API server does not run
transition rules on create.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import ipaddress
import json
import re
import sys
import types
from dataclasses import dataclass
from fractions import Fraction
from functools import cache, lru_cache
from typing import Any
from urllib.parse import urlsplit


class _Deferred(types.ModuleType):
    """Stands in ``sys.modules`` for a module not yet run; the first attribute read runs the real module,
    which then takes its place."""

    def __getattr__(self, name: str) -> Any:
        spec = self.__spec__
        assert spec is not None and spec.loader is not None
        real = sys.modules.get(spec.name)
        if real is None or real is self:
            real = importlib.util.module_from_spec(spec)
            sys.modules[spec.name] = real
            try:
                spec.loader.exec_module(real)
            except BaseException:
                sys.modules.pop(spec.name, None)
                raise
            parent, _, child = spec.name.rpartition(".")
            if parent in sys.modules:
                setattr(sys.modules[parent], child, real)
        return getattr(real, name)


def _defer_engine_shell() -> None:
    """``import cel`` also runs ``cel.cli``, the engine's interactive shell (prompt_toolkit, rich): 0.2 s of
    every validated run, a third of converting a small input. It is run only if something reads it."""
    if "cel" in sys.modules or "cel.cli" in sys.modules:
        return
    package = importlib.machinery.PathFinder.find_spec("cel")
    if package is None or not package.submodule_search_locations:
        return
    spec = importlib.machinery.PathFinder.find_spec("cel.cli", list(package.submodule_search_locations))
    if spec is not None and spec.loader is not None:
        stand_in = _Deferred(spec.name)
        stand_in.__spec__ = spec
        sys.modules[spec.name] = stand_in


_defer_engine_shell()
import cel as _cel  # noqa: E402
from cel import stdlib as _stdlib  # noqa: E402

# CEL reserved words: properties with these names are written ``__name__`` in rules (Kubernetes escaping).
_RESERVED = frozenset({
    "true", "false", "null", "in", "as", "break", "const", "continue", "else", "for", "function", "if",
    "import", "let", "loop", "package", "namespace", "return", "var", "void", "while",
})
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@lru_cache(maxsize=4096)
def escape_property(name: str) -> str | None:
    """The CEL spelling of an object property, or None when Kubernetes does not expose it to rules."""
    if name in _RESERVED:
        return f"__{name}__"
    if _IDENT.match(name) and "__" not in name:
        return name
    out = name.replace("__", "__underscores__").replace(".", "__dot__").replace("-", "__dash__")
    out = out.replace("/", "__slash__")
    return out if _IDENT.match(out) else None


# --- Kubernetes library functions -------------------------------------------------------------------

def _is_ip(s: str) -> bool:
    if not isinstance(s, str) or "%" in s:
        return False
    try:
        ipaddress.ip_address(s)
    except ValueError:
        return False
    return True


_URL_KEY = "__ing2gw_url__"
_QTY_KEY = "__ing2gw_quantity__"
_FMT_KEY = "__ing2gw_format__"


def _is_url(s: str) -> bool:
    try:
        parts = urlsplit(s)
    except ValueError:
        return False
    return bool(parts.scheme) and " " not in s


def _url(s: str) -> dict[str, str]:
    if not _is_url(s):
        raise ValueError(f"URL parse error during conversion from string: {s}")
    return {_URL_KEY: s}


def _get_scheme(u: dict[str, str]) -> str:
    return urlsplit(u[_URL_KEY]).scheme


def _get_hostname(u: dict[str, str]) -> str:
    return urlsplit(u[_URL_KEY]).hostname or ""


_QUANTITY = re.compile(r"^([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?[0-9]+)?$")
_SUFFIX = {"": Fraction(1), "n": Fraction(1, 10**9), "u": Fraction(1, 10**6), "m": Fraction(1, 1000),
           "k": Fraction(10**3), "M": Fraction(10**6), "G": Fraction(10**9), "T": Fraction(10**12),
           "P": Fraction(10**15), "E": Fraction(10**18), "Ki": Fraction(2**10), "Mi": Fraction(2**20),
           "Gi": Fraction(2**30), "Ti": Fraction(2**40), "Pi": Fraction(2**50), "Ei": Fraction(2**60)}


def parse_quantity(s: str) -> Fraction:
    """A Kubernetes resource quantity (``1.5Gi``, ``100m``, ``1e3``) as an exact number."""
    m = _QUANTITY.match(s.strip()) if isinstance(s, str) else None
    if not m:
        raise ValueError(f"quantities must match the regular expression '{_QUANTITY.pattern}': {s!r}")
    num, suffix = Fraction(m.group(1)), m.group(2) or ""
    if suffix[:1] in ("e", "E"):
        return num * Fraction(10) ** int(suffix[1:])
    return num * _SUFFIX[suffix]


def _quantity(s: str) -> dict[str, str]:
    parse_quantity(s)
    return {_QTY_KEY: s}


def _q_less(a: dict[str, str], b: dict[str, str]) -> bool:
    return parse_quantity(a[_QTY_KEY]) < parse_quantity(b[_QTY_KEY])


def _q_greater(a: dict[str, str], b: dict[str, str]) -> bool:
    return parse_quantity(a[_QTY_KEY]) > parse_quantity(b[_QTY_KEY])


_DNS1123_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")


def _fmt_dns1123_label() -> dict[str, str]:
    return {_FMT_KEY: "dns1123Label"}


def _fmt_validate(fmt: dict[str, str], value: str) -> list[str] | None:
    if fmt.get(_FMT_KEY) != "dns1123Label":
        raise ValueError(f"unknown format {fmt!r}")
    errors = []
    if len(value) > 63:
        errors.append("must be no more than 63 characters")
    if not _DNS1123_LABEL.match(value):
        errors.append("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
                      "and must start and end with an alphanumeric character")
    return errors or None


def _size(v: Any) -> int:
    return len(v)


def _matches(s: str, pattern: str) -> bool:
    """``matches(s, re)``, the global form of ``s.matches(re)`` (kgateway's duration rules use it)."""
    return re.search(pattern, s) is not None


FUNCTIONS: dict[str, Any] = {
    "substring": _stdlib.substring, "split": _stdlib.split, "indexOf": _stdlib.index_of,
    "lastIndexOf": _stdlib.last_index_of, "lowerAscii": _stdlib.lower_ascii, "upperAscii": _stdlib.upper_ascii,
    "isIP": _is_ip, "isURL": _is_url, "url": _url, "getScheme": _get_scheme, "getHostname": _get_hostname,
    "quantity": _quantity, "isLessThan": _q_less, "isGreaterThan": _q_greater,
    "format.dns1123Label": _fmt_dns1123_label, "validate": _fmt_validate, "k8sSize": _size,
    "matches": _matches,
}

# What the engine provides itself (operators are named ``_x_`` or ``@x`` and always exist).
_NATIVE = frozenset({
    "has", "size", "all", "exists", "exists_one", "map", "filter", "matches", "contains", "startsWith",
    "endsWith", "duration", "timestamp", "int", "uint", "double", "string", "bytes", "bool", "type", "dyn",
    "getHours", "getMinutes", "getSeconds", "getMilliseconds",
})


def _known(fn: str) -> bool:
    # operators are named _+_, !_, @in, ...; namespaced functions are listed by their last part
    return fn in _NATIVE or fn in FUNCTIONS or f"format.{fn}" in FUNCTIONS or not fn[:1].isalpha()


# ``size`` outside string literals: rewritten to ``k8sSize`` for objects holding non-ASCII strings.
_TOKENS = re.compile(r"""(r?'''.*?'''|r?\"\"\".*?\"\"\"|r?'(?:\\.|[^'\\])*'|r?"(?:\\.|[^"\\])*")|\bsize\(""", re.S)


def _code_point_size(rule: str) -> str:
    return _TOKENS.sub(lambda m: m.group(1) if m.group(1) else "k8sSize(", rule)


# Optional field selection (``a.?b``), which the engine cannot parse, in the two forms CRDs use:
# ``has(a.?b.c)`` and ``a.?b.?c.orValue(d)``. Both become plain ``has()`` tests.
_CHAIN = r"[A-Za-z_][A-Za-z0-9_]*(?:\.\??[A-Za-z_][A-Za-z0-9_]*)+"
_HAS_OPT = re.compile(rf"has\(({_CHAIN})\)")
_OR_VALUE = re.compile(rf"({_CHAIN})\.orValue\(([^()]*)\)")


def _presence(chain: str) -> tuple[str, str]:
    """(``has(a.b) && has(a.b.c)``, ``a.b.c``) for ``a.?b.c``: every step from the first optional one."""
    parts = re.split(r"(\.\??)", chain)
    names, seps = parts[0::2], parts[1::2]
    first = seps.index(".?") if ".?" in seps else len(seps) - 1
    tests = [f"has({'.'.join(names[: i + 2])})" for i in range(first, len(seps))]
    return " && ".join(tests), ".".join(names)


def _desugar_optional(rule: str) -> str:
    if ".?" not in rule:
        return rule
    rule = _HAS_OPT.sub(lambda m: f"({_presence(m.group(1))[0]})" if ".?" in m.group(1) else m.group(0), rule)

    def or_value(m: re.Match[str]) -> str:
        test, plain = _presence(m.group(1))
        return f"(({test}) ? {plain} : ({m.group(2)}))"

    return _OR_VALUE.sub(or_value, rule)


@dataclass(frozen=True, slots=True)
class CompiledRule:
    rule: str
    program: Any | None  # None: not evaluated (see ``reason``)
    unicode_program: Any | None  # the same rule with code-point ``size``
    reason: str = ""  # why the rule is not evaluated
    transition: bool = False


@cache
def compile_rule(rule: str) -> CompiledRule:
    """Compile one rule, once per process."""
    if re.search(r"\boldSelf\b", rule):
        return CompiledRule(rule, None, None, "transition rule (oldSelf): not evaluated for new objects", True)
    source = _desugar_optional(rule)
    try:
        program = _cel.compile(source)
    except Exception as exc:  # noqa: BLE001 - the engine raises plain ValueError with a parse message
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        return CompiledRule(rule, None, None, f"the CEL engine cannot parse this rule ({first})")
    unknown = sorted(f for f in program.functions() if not _known(f))
    if unknown:
        return CompiledRule(rule, None, None, f"uses CEL function(s) ing2gw does not implement: {', '.join(unknown)}")
    uni = _cel.compile(_code_point_size(source)) if "size" in source else program
    return CompiledRule(source, program, uni)


@dataclass(frozen=True, slots=True)
class RuleGroup:
    """All evaluable rules of one schema node as one program returning a list of bools: the object is
    converted to CEL once per node instead of once per rule. When the group is not all true (or fails),
    the rules are run one by one for their messages."""

    program: Any
    unicode_program: Any
    plain: bool  # the program calls no Python function: run it in a context without any (faster)


@cache
def compile_group(rules: tuple[str, ...]) -> RuleGroup | None:
    try:
        joined = "[" + ", ".join(f"({r})" for r in rules) + "]"
        program = _cel.compile(joined)
        uni = _cel.compile(_code_point_size(joined)) if "size" in joined else program
    except Exception:  # noqa: BLE001 - fall back to one program per rule
        return None
    plain = not any(f in FUNCTIONS or f"format.{f}" in FUNCTIONS for f in program.functions())
    return RuleGroup(program, uni, plain)


def is_ascii(value: Any) -> bool:
    """Whether every string in ``value`` (keys too) is ASCII: then the engine's ``size()`` of a string (bytes)
    is its length in code points, as Kubernetes counts, and the plain programs run."""
    return json.dumps(value, ensure_ascii=False, default=str).isascii()


def all_true(group: RuleGroup, self_value: Any, *, ascii_only: bool | None = None) -> bool:
    """True when every rule of the group holds; False when any fails or cannot be evaluated.
    ``ascii_only``: whether ``self_value`` is ASCII (None: find out)."""
    if ascii_only is None:
        ascii_only = is_ascii(self_value)
    context = _PLAIN if group.plain and ascii_only else _CONTEXT
    context.add_variable("self", self_value)
    try:
        result = (group.program if ascii_only else group.unicode_program).execute(context)
    except Exception:  # noqa: BLE001 - the caller re-runs rule by rule to find out
        return False
    return isinstance(result, list) and all(r is True for r in result)


_CONTEXT = _cel.Context(functions=FUNCTIONS)
_PLAIN = _cel.Context()
_HOLDS: dict[tuple[tuple[str, ...], str], bool] = {}
_HOLDS_MAX = 100_000
_MEMO_MAX_CHARS = 2_000  # so the memory stays under ~200 MB


_SELF = re.compile(r"\bself\b(?:\s*\.\s*([A-Za-z_][A-Za-z0-9_]*)\b(?!\s*\())?")


def _without_literals(rule: str) -> str:
    return _TOKENS.sub(lambda m: "''" if m.group(1) else m.group(0), rule)


@cache
def fields_read(rules: tuple[str, ...]) -> frozenset[str] | None:
    """The fields of an object ``self`` that these rules can read, when they only ever use it as
    ``self.field`` (no ``size(self)``, ``self.all(...)``, ``self == ...``); None otherwise."""
    out: set[str] = set()
    for rule in rules:
        for m in _SELF.finditer(_without_literals(rule)):
            if m.group(1) is None:
                return None
            out.add(m.group(1))
    return frozenset(out)


def all_hold(rules: tuple[str, ...], self_value: Any, *, ascii_only: bool | None = None) -> bool:
    """Whether every rule holds for ``self_value``, remembered per (rules, value): generated objects repeat
    the same small nodes (path matches, backendRefs, filters) again and again, and converting a value
    into the engine costs more than the rules themselves. An object is first cut down to the fields the
    rules read, so a route rule's name or a listener's other fields do not defeat the memory."""
    if isinstance(self_value, dict):
        fields = fields_read(rules)
        if fields is not None:
            self_value = {k: v for k, v in self_value.items() if k in fields}
    text = repr(self_value)
    if len(text) > _MEMO_MAX_CHARS:  # large nodes seldom repeat: keep the memory small
        group = compile_group(rules)
        return group is not None and all_true(group, self_value, ascii_only=ascii_only)
    key = (rules, text)
    hit = _HOLDS.get(key)
    if hit is None:
        group = compile_group(rules)
        hit = group is not None and all_true(group, self_value, ascii_only=ascii_only)
        if len(_HOLDS) >= _HOLDS_MAX:
            _HOLDS.clear()
        _HOLDS[key] = hit
    return hit


# --- Python equivalents of the pairwise uniqueness rules ---------------------------------------------
# ``self.all(l1, self.exists_one(l2, ...))`` is quadratic, and the engine spends ~10us per pair: 50 ms
# for a Gateway with 64 listeners. These exact rules (Gateway and ListenerSet listeners, v1.2-v1.6) are
# evaluated here with a hash instead. Each returns None (the engine then runs the rule) whenever an
# element lacks a field the rule reads without a has() guard, so errors keep the engine's semantics.
# tests/validate/test_validate_cel.py checks them against the engine on generated lists.
_ABSENT = object()


def _unique(keys: list[Any]) -> bool:
    return len(set(keys)) == len(keys)


def _names_unique(guarded: bool) -> Any:
    def check(items: Any) -> bool | None:
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            return None
        if guarded:
            names = [i["name"] for i in items if "name" in i]
        elif all("name" in i for i in items):
            names = [i["name"] for i in items]
        else:
            return None
        if not all(isinstance(n, str) for n in names):
            return None
        return _unique(names)

    return check


def _combinations_unique(guarded: bool) -> Any:
    def check(items: Any) -> bool | None:
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            return None
        chosen = [i for i in items if "port" in i] if guarded else items
        keys = []
        for i in chosen:
            if "port" not in i or "protocol" not in i:
                return None
            port, proto, host = i["port"], i["protocol"], i.get("hostname", _ABSENT)
            if type(port) is not int or not isinstance(proto, str) or not (host is _ABSENT or isinstance(host, str)):
                return None
            keys.append((port, proto, host is _ABSENT, "" if host is _ABSENT else host))
        return _unique(keys)

    return check


def _no_redirect_beside_backends(rule: Any) -> bool | None:
    """``backendRefs`` not empty -> no filter has ``requestRedirect``."""
    if not isinstance(rule, dict):
        return None
    refs, filters = rule.get("backendRefs"), rule.get("filters")
    if refs is None:
        return True
    if not isinstance(refs, list):
        return None
    if not refs or filters is None:
        return True
    if not isinstance(filters, list) or not all(isinstance(f, dict) for f in filters):
        return None
    return all("requestRedirect" not in f for f in filters)


def _replace_prefix_filters(filters: Any, kind: str) -> int | None:
    """How many of ``filters`` are ``kind`` with a ReplacePrefixMatch path (None: the engine must decide)."""
    if not isinstance(filters, list):
        return None
    hits = 0
    for f in filters:
        if not isinstance(f, dict):
            return None
        x = f.get(kind)
        if x is None:
            continue
        if not isinstance(x, dict):
            return None
        path = x.get("path")
        if path is None:
            continue
        if not isinstance(path, dict) or not isinstance(path.get("type"), str):
            return None
        hits += path["type"] == "ReplacePrefixMatch" and "replacePrefixMatch" in path
    return hits


def _one_prefix_match(rule: dict[str, Any]) -> bool | None:
    matches = rule.get("matches")
    if not isinstance(matches, list) or any(not isinstance(m, dict) for m in matches):
        return None
    if len(matches) != 1 or "path" not in matches[0]:
        return False
    path = matches[0]["path"]
    if not isinstance(path, dict) or not isinstance(path.get("type"), str):
        return None
    return path["type"] == "PathPrefix"


def _replace_prefix_needs_one_prefix_match(kind: str) -> Any:
    """Exactly one ``kind`` filter with a ReplacePrefixMatch path -> exactly one match, of type PathPrefix."""
    def check(rule: Any) -> bool | None:
        if not isinstance(rule, dict):
            return None
        if rule.get("filters") is None:
            return True
        hits = _replace_prefix_filters(rule["filters"], kind)
        if hits is None:
            return None
        return True if hits != 1 else _one_prefix_match(rule)

    return check


def _backend_replace_prefix_needs_one_prefix_match(kind: str) -> Any:
    """Exactly one backendRef with exactly one such ``kind`` filter -> exactly one match, of type PathPrefix."""
    def check(rule: Any) -> bool | None:
        if not isinstance(rule, dict):
            return None
        refs = rule.get("backendRefs")
        if refs is None:
            return True
        if not isinstance(refs, list):
            return None
        with_one = 0
        for b in refs:
            if not isinstance(b, dict):
                return None
            if b.get("filters") is None:
                continue
            hits = _replace_prefix_filters(b["filters"], kind)
            if hits is None:
                return None
            with_one += hits == 1
        return True if with_one != 1 else _one_prefix_match(rule)

    return check


def _parent_keys(items: Any, fields: tuple[str, ...]) -> list[tuple[Any, ...]] | None:
    """Per parentRef: group, kind, name, then each of ``fields`` with its unset forms folded ("" or 0 is the
    same as absent, as the rules say); None when the engine must decide (a field missing or of another type)."""
    if not isinstance(items, list):
        return None
    out = []
    for i in items:
        if not isinstance(i, dict) or not all(isinstance(i.get(k), str) for k in ("group", "kind", "name")):
            return None
        key: list[Any] = [i["group"], i["kind"], i["name"]]
        for f in fields:
            v = i.get(f)
            if v is not None and not (type(v) is int if f == "port" else isinstance(v, str)):
                return None
            key.append(v or (0 if f == "port" else ""))
        out.append(tuple(key))
    return out


def _parents_unique(fields: tuple[str, ...]) -> Any:
    """``self.all(p1, self.exists_one(p2, same parent, same fields))``: no two refs alike."""
    def check(items: Any) -> bool | None:
        keys = _parent_keys(items, fields)
        return None if keys is None else _unique(keys)

    return check


def _parents_consistent(fields: tuple[str, ...], set_fields: tuple[str, ...]) -> Any:
    """``self.all(p1, self.all(p2, same parent ? each of set_fields set on both or on neither : true))``."""
    def check(items: Any) -> bool | None:
        keys = _parent_keys(items, fields + set_fields)
        if keys is None:
            return None
        n = 3 + len(fields)
        shapes: dict[tuple[Any, ...], tuple[bool, ...]] = {}
        for k in keys:
            shape = tuple(bool(v) for v in k[n:])
            if shapes.setdefault(k[:n], shape) != shape:
                return False
        return True

    return check


def _matches_at_most(limit: int, guarded: bool = False) -> Any:
    """The sum of ``matches.size()`` over the first 16 rules is at most ``limit`` (``guarded``: a rule
    without matches counts 0)."""
    def check(rules: Any) -> bool | None:
        if not isinstance(rules, list):
            return None
        total = 0
        for r in rules[:16]:
            if not isinstance(r, dict):
                return None
            if guarded and "matches" not in r:
                continue
            if not isinstance(r.get("matches"), list):
                return None
            total += len(r["matches"])
        return total <= limit

    return check


# Route rules of the Gateway API CRDs (v1.2-v1.6), verbatim: parentRefs unique, and sectionName (and port)
# set on every ref to one parent or on none; at most 128 matches over a route's rules; no redirect beside
# backendRefs; a ReplacePrefixMatch rewrite or redirect needs exactly one PathPrefix match.
_PARENTS_SET_ALIKE_PORT = (
    'self.all(p1, self.all(p2, p1.group == p2.group && p1.kind == p2.kind && p1.name == p2.name && '
    "(((!has(p1.__namespace__) || p1.__namespace__ == '') && (!has(p2.__namespace__) || "
    "p2.__namespace__ == '')) || (has(p1.__namespace__) && has(p2.__namespace__) && p1.__namespace__ "
    "== p2.__namespace__)) ? ((!has(p1.sectionName) || p1.sectionName == '') == "
    "(!has(p2.sectionName) || p2.sectionName == '') && (!has(p1.port) || p1.port == 0) == "
    '(!has(p2.port) || p2.port == 0)): true))'
)
_PARENTS_UNIQUE_PORT = (
    'self.all(p1, self.exists_one(p2, p1.group == p2.group && p1.kind == p2.kind && p1.name == '
    "p2.name && (((!has(p1.__namespace__) || p1.__namespace__ == '') && (!has(p2.__namespace__) || "
    "p2.__namespace__ == '')) || (has(p1.__namespace__) && has(p2.__namespace__) && p1.__namespace__ "
    "== p2.__namespace__ )) && (((!has(p1.sectionName) || p1.sectionName == '') && "
    "(!has(p2.sectionName) || p2.sectionName == '')) || ( has(p1.sectionName) && has(p2.sectionName) "
    '&& p1.sectionName == p2.sectionName)) && (((!has(p1.port) || p1.port == 0) && (!has(p2.port) || '
    'p2.port == 0)) || (has(p1.port) && has(p2.port) && p1.port == p2.port))))'
)
_RULE_MATCHES_AT_MOST_128 = (
    '(self.size() > 0 ? self[0].matches.size() : 0) + (self.size() > 1 ? self[1].matches.size() : 0) '
    '+ (self.size() > 2 ? self[2].matches.size() : 0) + (self.size() > 3 ? self[3].matches.size() : '
    '0) + (self.size() > 4 ? self[4].matches.size() : 0) + (self.size() > 5 ? self[5].matches.size() '
    ': 0) + (self.size() > 6 ? self[6].matches.size() : 0) + (self.size() > 7 ? '
    'self[7].matches.size() : 0) + (self.size() > 8 ? self[8].matches.size() : 0) + (self.size() > 9 '
    '? self[9].matches.size() : 0) + (self.size() > 10 ? self[10].matches.size() : 0) + (self.size() '
    '> 11 ? self[11].matches.size() : 0) + (self.size() > 12 ? self[12].matches.size() : 0) + '
    '(self.size() > 13 ? self[13].matches.size() : 0) + (self.size() > 14 ? self[14].matches.size() '
    ': 0) + (self.size() > 15 ? self[15].matches.size() : 0) <= 128'
)
_RULE_MATCHES_AT_MOST_128_GUARDED = " + ".join(
    f"(self.size() > {i} ? (has(self[{i}].matches) ? self[{i}].matches.size() : 0) : 0)" for i in range(16)) + " <= 128"
_PARENTS_SET_ALIKE_NS = (
    'self.all(p1, self.all(p2, p1.group == p2.group && p1.kind == p2.kind && p1.name == p2.name && '
    "(((!has(p1.__namespace__) || p1.__namespace__ == '') && (!has(p2.__namespace__) || "
    "p2.__namespace__ == '')) || (has(p1.__namespace__) && has(p2.__namespace__) && p1.__namespace__ "
    "== p2.__namespace__ )) ? ((!has(p1.sectionName) || p1.sectionName == '') == "
    "(!has(p2.sectionName) || p2.sectionName == '')) : true))"
)
_PARENTS_UNIQUE_NS = (
    'self.all(p1, self.exists_one(p2, p1.group == p2.group && p1.kind == p2.kind && p1.name == '
    "p2.name && (((!has(p1.__namespace__) || p1.__namespace__ == '') && (!has(p2.__namespace__) || "
    "p2.__namespace__ == '')) || (has(p1.__namespace__) && has(p2.__namespace__) && p1.__namespace__ "
    "== p2.__namespace__ )) && (((!has(p1.sectionName) || p1.sectionName == '') && "
    "(!has(p2.sectionName) || p2.sectionName == '')) || (has(p1.sectionName) && has(p2.sectionName) "
    '&& p1.sectionName == p2.sectionName))))'
)
_PARENTS_SET_ALIKE = (
    'self.all(p1, self.all(p2, p1.group == p2.group && p1.kind == p2.kind && p1.name == p2.name ? '
    "((!has(p1.sectionName) || p1.sectionName == '') == (!has(p2.sectionName) || p2.sectionName == "
    "'')) : true))"
)
_PARENTS_UNIQUE = (
    'self.all(p1, self.exists_one(p2, p1.group == p2.group && p1.kind == p2.kind && p1.name == '
    "p2.name && (((!has(p1.sectionName) || p1.sectionName == '') && (!has(p2.sectionName) || "
    "p2.sectionName == '')) || (has(p1.sectionName) && has(p2.sectionName) && p1.sectionName == "
    'p2.sectionName))))'
)
_NO_REDIRECT_BESIDE_BACKENDS = ("(has(self.backendRefs) && size(self.backendRefs) > 0) ? (!has(self.filters) || "
                                "self.filters.all(f, !has(f.requestRedirect))): true")


_ONE_PREFIX_MATCH = ("((size(self.matches) != 1 || !has(self.matches[0].path) || self.matches[0].path.type != "
                     "'PathPrefix') ? false : true) : true")


def _replace_prefix_rule(kind: str) -> str:
    return (f"(has(self.filters) && self.filters.exists_one(f, has(f.{kind}) && has(f.{kind}.path) && "
            f"f.{kind}.path.type == 'ReplacePrefixMatch' && has(f.{kind}.path.replacePrefixMatch))) ? "
            + _ONE_PREFIX_MATCH)


def _backend_replace_prefix_rule(kind: str) -> str:
    return (f"(has(self.backendRefs) && self.backendRefs.exists_one(b, (has(b.filters) && b.filters.exists_one(f, "
            f"has(f.{kind}) && has(f.{kind}.path) && f.{kind}.path.type == 'ReplacePrefixMatch' && "
            f"has(f.{kind}.path.replacePrefixMatch))) )) ? " + _ONE_PREFIX_MATCH)


ROUTE_RULES_ACCELERATED = {
    _NO_REDIRECT_BESIDE_BACKENDS: _no_redirect_beside_backends,
    _replace_prefix_rule("requestRedirect"): _replace_prefix_needs_one_prefix_match("requestRedirect"),
    _replace_prefix_rule("urlRewrite"): _replace_prefix_needs_one_prefix_match("urlRewrite"),
    _backend_replace_prefix_rule("requestRedirect"): _backend_replace_prefix_needs_one_prefix_match("requestRedirect"),
    _backend_replace_prefix_rule("urlRewrite"): _backend_replace_prefix_needs_one_prefix_match("urlRewrite"),
    _PARENTS_SET_ALIKE_PORT: _parents_consistent(("__namespace__",), ("sectionName", "port")),
    _PARENTS_UNIQUE_PORT: _parents_unique(("__namespace__", "sectionName", "port")),
    _RULE_MATCHES_AT_MOST_128: _matches_at_most(128),
    _RULE_MATCHES_AT_MOST_128_GUARDED: _matches_at_most(128, guarded=True),
    _PARENTS_SET_ALIKE_NS: _parents_consistent(("__namespace__",), ("sectionName",)),
    _PARENTS_UNIQUE_NS: _parents_unique(("__namespace__", "sectionName")),
    _PARENTS_SET_ALIKE: _parents_consistent((), ("sectionName",)),
    _PARENTS_UNIQUE: _parents_unique(("sectionName",)),
}


# Listener rules of Gateways and ListenerSets (v1.2-v1.6), verbatim. ``self.all(l, ...)`` over a Gateway's
# listeners: the engine would get the whole list (kilobytes for a Gateway with many hosts) once per Gateway.
def _every_listener(check: Any) -> Any:
    """``self.all(l, check(l))``; an undecided element (None: a field the rule reads unguarded is missing, or
    of another type) leaves the whole list to the engine, which has its own way with errors in ``all``."""
    def run(items: Any) -> bool | None:
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            return None
        verdicts = [check(i) for i in items]
        return None if None in verdicts else False not in verdicts

    return run


def _protocol(listener: dict[str, Any]) -> str | None:
    p = listener.get("protocol")
    return p if isinstance(p, str) else None


def _no_tls_on_plain(listener: dict[str, Any]) -> bool | None:
    p = _protocol(listener)
    return None if p is None else (p not in ("HTTP", "TCP", "UDP") or "tls" not in listener)


def _https_terminates(listener: dict[str, Any]) -> bool | None:
    p = _protocol(listener)
    if p is None:
        return None
    if p != "HTTPS" or "tls" not in listener:
        return True
    tls = listener["tls"]
    mode = tls.get("mode") if isinstance(tls, dict) else None
    return None if not isinstance(mode, str) else mode in ("", "Terminate")


def _tls_has_mode(listener: dict[str, Any]) -> bool | None:
    p = _protocol(listener)
    if p is None:
        return None
    if p != "TLS":
        return True
    tls = listener.get("tls")
    if tls is None:
        return False
    if not isinstance(tls, dict):
        return None
    if "mode" not in tls:
        return False
    return None if not isinstance(tls["mode"], str) else tls["mode"] != ""


def _no_hostname_on_l4(listener: dict[str, Any]) -> bool | None:
    p = _protocol(listener)
    if p is None:
        return None
    if p not in ("TCP", "UDP") or "hostname" not in listener:
        return True
    host = listener["hostname"]
    return None if not isinstance(host, str) else host == ""


def _terminate_has_certificates(tls: Any) -> bool | None:
    """``self.mode == 'Terminate' ? size(self.certificateRefs) > 0 || size(self.options) > 0 : true``: an
    absent operand is an error, which ``||`` forgives when the other side is true."""
    if not isinstance(tls, dict) or not isinstance(tls.get("mode"), str):
        return None
    if tls["mode"] != "Terminate":
        return True
    refs, options = tls.get("certificateRefs", _ABSENT), tls.get("options", _ABSENT)
    sides = [None if refs is _ABSENT or not isinstance(refs, list) else len(refs) > 0,
             None if options is _ABSENT or not isinstance(options, dict) else len(options) > 0]
    if True in sides:
        return True
    return None if None in sides else False


_HOST_GUARD = "(has(l1.hostname) && has(l2.hostname) ? l1.hostname == l2.hostname : !has(l1.hostname) && !has(l2.hostname))"
LISTENER_RULES_ACCELERATED: dict[str, Any] = {
    "self.all(l1, self.exists_one(l2, l1.name == l2.name))": _names_unique(False),
    "self.all(l1, !has(l1.name) || self.exists_one(l2, has(l2.name) && l1.name == l2.name))": _names_unique(True),
    "self.all(l1, self.exists_one(l2, l1.port == l2.port && l1.protocol == l2.protocol && "
    + _HOST_GUARD + "))": _combinations_unique(False),
    "self.all(l1, !has(l1.port) || self.exists_one(l2, has(l2.port) && l1.port == l2.port && "
    "l1.protocol == l2.protocol && " + _HOST_GUARD + "))": _combinations_unique(True),
    "self.all(l, l.protocol in ['HTTP', 'TCP', 'UDP'] ? !has(l.tls) : true)": _every_listener(_no_tls_on_plain),
    "self.all(l, (l.protocol == 'HTTPS' && has(l.tls)) ? (l.tls.mode == '' || l.tls.mode == 'Terminate') : true)":
        _every_listener(_https_terminates),
    "self.all(l, (l.protocol == 'TLS' ? has(l.tls) && has(l.tls.mode) && l.tls.mode != '' : true))":
        _every_listener(_tls_has_mode),
    "self.all(l, l.protocol in ['TCP', 'UDP']  ? (!has(l.hostname) || l.hostname == '') : true)":
        _every_listener(_no_hostname_on_l4),
}
TLS_CONFIG_RULE = "self.mode == 'Terminate' ? size(self.certificateRefs) > 0 || size(self.options) > 0 : true"
ACCELERATED: dict[str, Any] = {
    **LISTENER_RULES_ACCELERATED,
    TLS_CONFIG_RULE: _terminate_has_certificates,
    **ROUTE_RULES_ACCELERATED,
}


class EvalError(Exception):
    """A rule failed to evaluate (as in the API server, this rejects the object)."""


def evaluate(compiled: CompiledRule, self_value: Any, *, ascii_only: bool | None = None) -> bool:
    if ascii_only is None:
        ascii_only = is_ascii(self_value)
    program = compiled.program if ascii_only else compiled.unicode_program
    assert program is not None
    _CONTEXT.add_variable("self", self_value)
    try:
        result = program.execute(_CONTEXT)
    except Exception as exc:  # noqa: BLE001 - evaluation errors of any kind reject the object
        raise EvalError(str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from exc
    if not isinstance(result, bool):
        raise EvalError(f"rule returned {type(result).__name__}, not bool")
    return result
