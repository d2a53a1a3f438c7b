"""Finds the line of a field or annotation, lazily: only for objects that get a message.

The bulk loader keeps no positions. When a message needs a line, the file's text is parsed once with
ruamel.yaml's round-trip loader (which records line and column of every key and item) and the field
path is walked. Results are cached per file, so a file with many messages is parsed once.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from ing2gw.model import Source

_TEXTS: dict[str, str] = {}
_SEGMENT = re.compile(r"([^.\[\]]+)|\[([^\]]*)\]")


def remember(name: str, text: str, *, always: bool = False) -> None:
    """Keep the text of an input that cannot be read again (stdin, a Git revision) for line lookups."""
    if always or name.startswith("<"):
        if _TEXTS.get(name) != text:
            _documents.cache_clear()
        _TEXTS[name] = text


def forget_all() -> None:
    _TEXTS.clear()
    _documents.cache_clear()


def _text(name: str) -> str | None:
    if name in _TEXTS:
        return _TEXTS[name]
    try:
        with open(name, encoding="utf-8") as fh:
            return fh.read()
    except (OSError, UnicodeDecodeError):
        return None


@lru_cache(maxsize=64)
def _documents(name: str) -> dict[int, tuple[int, Any]]:
    """Document index (as the loader numbers them) -> (first line, ruamel node)."""
    from ruamel.yaml import YAML

    from ing2gw.load.files import _only_comments, _split_documents

    text = _text(name)
    if text is None:
        return {}
    yml = YAML(typ="rt")
    yml.allow_duplicate_keys = True
    docs: dict[int, tuple[int, Any]] = {}
    # Document by document, so one broken document does not hide the lines of the others.
    for index, (line0, chunk) in enumerate(_split_documents(text.encode("utf-8"))):
        if not chunk.strip() or _only_comments(chunk):
            continue
        try:
            docs[index] = (line0, yml.load(chunk.decode("utf-8")))
        except Exception:  # noqa: BLE001 - a broken document simply has no positions
            docs[index] = (line0, None)
    return docs


def split_path(path: str) -> list[str | int]:
    """``spec.rules[0].http`` -> ["spec", "rules", 0, "http"]; ``metadata.annotations[a/b.c]`` keeps the key."""
    out: list[str | int] = []
    for m in _SEGMENT.finditer(path):
        if m.group(1) is not None:
            out.append(m.group(1))
        else:
            inner = m.group(2)
            out.append(int(inner) if inner.isdigit() else inner)
    return out


def resolve_line(source: Source) -> int | None:
    """The 1-based line of ``source.field`` (or of the object) in its file, or the best known line."""
    if not source.file or source.doc is None:
        return source.line
    entry = _documents(source.file).get(source.doc)
    if entry is None:
        return source.line
    line0, node = entry
    path: list[str | int] = []
    if source.path_prefix:
        path += split_path(source.path_prefix)
    if source.field:
        path += split_path(source.field)
    best = _object_line(node, line0)
    for seg in path:
        child, line = _child(node, seg)
        if child is _MISSING:
            break
        if line is not None:
            best = line0 + line
        node = child
    return best if best is not None else source.line


_MISSING = object()


def _child(node: Any, seg: str | int) -> tuple[Any, int | None]:
    lc = getattr(node, "lc", None)
    if isinstance(seg, int) and isinstance(node, list) and 0 <= seg < len(node):
        line = lc.item(seg)[0] if lc is not None else None
        return node[seg], line
    if isinstance(node, dict) and seg in node:
        line = lc.key(seg)[0] if lc is not None else None
        return node[seg], line
    return _MISSING, None


def _object_line(node: Any, line0: int) -> int | None:
    lc = getattr(node, "lc", None)
    return line0 + lc.line if lc is not None else None
