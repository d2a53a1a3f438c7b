"""JSON text as ``json.dumps(value, indent=2, ensure_ascii=False)`` writes it, about twice as fast, and
optionally written out as it is made.

With an indent the standard library encodes in Python, through nested generators (its C encoder takes no
indent), which made a third of the time of ``ing2gw report --format json`` on 10,000 Ingresses, and it
holds the whole text. Here the same text is built by one recursive function, its strings escaped by the
standard library's C function; keys that are not strings are written as ``json`` writes them, and any
other value is handed to ``json.dumps`` itself (its newlines indented to the depth where it stands: in JSON
text, a newline is never inside a string), which then writes it or raises as it always does.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from json.encoder import encode_basestring  # C when available; ensure_ascii=False escapes only what JSON must
from typing import Any

__all__ = ["pretty_json", "write_pretty_json"]

_FLUSH = 20_000  # pieces of text held before they are written out (a report of 10,000 Ingresses has millions)


def pretty_json(value: Any) -> str:
    """``json.dumps(value, indent=2, ensure_ascii=False)``."""
    out: list[str] = []
    _checked(value, out, None)
    return "".join(out)


def write_pretty_json(value: Any, write: Callable[[str], Any]) -> None:
    """``write(pretty_json(value))``, without ever holding the whole text: it is written as it is made, a
    few hundred kilobytes at a time (between the items of lists and objects)."""
    out: list[str] = []

    def flush() -> None:
        write("".join(out))
        out.clear()

    _checked(value, out, flush)
    flush()


def _checked(value: Any, out: list[str], flush: Callable[[], None] | None) -> None:
    try:
        _write(value, "\n", out, flush)
    except RecursionError:
        raise ValueError("Circular reference detected") from None  # json's words (or far too deep a value)


def _write(v: Any, nl: str, out: list[str], flush: Callable[[], None] | None) -> None:
    # The order of json's own encoder: str, None, True, False, int, float, list/tuple, dict.
    if isinstance(v, str):
        out.append(encode_basestring(v))
    elif v is None:
        out.append("null")
    elif v is True:
        out.append("true")
    elif v is False:
        out.append("false")
    elif isinstance(v, int):
        out.append(int.__repr__(v))
    elif isinstance(v, float):
        out.append(_float(v))
    elif isinstance(v, list | tuple):
        if not v:
            out.append("[]")
            return
        inner = nl + "  "
        sep = "[" + inner
        for item in v:
            out.append(sep)
            sep = "," + inner
            _write(item, inner, out, flush)
            if flush is not None and len(out) >= _FLUSH:
                flush()
        out.append(nl + "]")
    elif isinstance(v, dict):
        if not v:
            out.append("{}")
            return
        inner = nl + "  "
        sep = "{" + inner
        for key, item in v.items():
            out.append(sep + encode_basestring(key if isinstance(key, str) else _key(key)) + ": ")
            sep = "," + inner
            _write(item, inner, out, flush)
            if flush is not None and len(out) >= _FLUSH:
                flush()
        out.append(nl + "}")
    else:  # not JSON data: json.dumps writes it (or raises) as it would have
        out.append(json.dumps(v, indent=2, ensure_ascii=False).replace("\n", nl))


def _key(k: Any) -> str:
    """A key that is not a string, as ``json`` writes it (the same order of checks, the same error)."""
    if isinstance(k, float):
        return _float(k)
    if k is True:
        return "true"
    if k is False:
        return "false"
    if k is None:
        return "null"
    if isinstance(k, int):
        return int.__repr__(k)
    raise TypeError(f"keys must be str, int, float, bool or None, not {k.__class__.__name__}")


def _float(v: float) -> str:
    if v != v:
        return "NaN"
    if v == float("inf"):
        return "Infinity"
    if v == float("-inf"):
        return "-Infinity"
    return float.__repr__(v)
