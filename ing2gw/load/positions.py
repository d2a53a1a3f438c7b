"""Finds the line of a field or annotation, lazily: only for objects that get a message.

The bulk loader keeps no positions. When a message needs a line, the file is cut into documents (a
regex split, cached per file) and only the document in question is composed by libyaml, which records
the line of every key and item without building Python objects; the field path is then walked.
Composed documents are cached, so an object with many messages is composed once.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import yaml

from ing2gw.model import Source

_TEXTS: dict[str, str] = {}
_SEGMENT = re.compile(r"([^.\[\]]+)|\[([^\]]*)\]")


def remember(name: str, text: str, *, always: bool = False) -> None:
    """Keep the text of an input that cannot be read again (stdin, a Git revision) for line lookups."""
    if always or name.startswith("<"):
        if _TEXTS.get(name) != text:
            _clear()
        _TEXTS[name] = text


def forget_all() -> None:
    _TEXTS.clear()
    _clear()


def _text(name: str) -> str | None:
    if name in _TEXTS:
        return _TEXTS[name]
    try:
        with open(name, encoding="utf-8") as fh:
            return fh.read()
    except (OSError, UnicodeDecodeError):
        return None


@lru_cache(maxsize=64)
def _chunks(name: str) -> dict[int, tuple[int, bytes]]:
    """Document index (as the loader numbers them) -> (first line, text); cheap: a regex split."""
    from ing2gw.load.files import _split_documents

    text = _text(name)
    if text is None:
        return {}
    return dict(enumerate(_split_documents(text.encode("utf-8"))))


@lru_cache(maxsize=1)
def _composer() -> Any:
    """A loader that only composes (libyaml when present) and resolves no tags: lines need none, and resolving
    was a third of the time spent on positions (a call per scalar: 1.3 million for 10,000 Ingresses)."""
    base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    tags = {yaml.ScalarNode: yaml.resolver.BaseResolver.DEFAULT_SCALAR_TAG,
            yaml.SequenceNode: yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG,
            yaml.MappingNode: yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG}

    class Composer(base):
        def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
            return tags[kind]

        def descend_resolver(self, current_node: Any, current_index: Any) -> None:
            pass

        def ascend_resolver(self) -> None:
            pass

    return Composer


@lru_cache(maxsize=4096)
def _node(name: str, index: int) -> Any:
    """The composed node tree of one document (libyaml: lines and columns, no construction), or None."""
    entry = _chunks(name).get(index)
    if entry is None:
        return None
    loader = _composer()(entry[1])
    try:
        return loader.get_single_node()
    except Exception:  # noqa: BLE001 - a broken document simply has no positions
        return None
    finally:
        loader.dispose()


class _Documents:
    """``_documents(name).get(index)`` -> (first line, node): each document is composed on first use."""

    def __init__(self, name: str) -> None:
        self.name = name

    def get(self, index: int) -> tuple[int, Any] | None:
        entry = _chunks(self.name).get(index)
        if entry is None:
            return None
        return entry[0], _node(self.name, index)


def _documents(name: str) -> _Documents:
    return _Documents(name)


def _clear() -> None:
    _chunks.cache_clear()
    _node.cache_clear()


@lru_cache(maxsize=4096)
def split_path(path: str) -> tuple[str | int, ...]:
    """``spec.rules[0].http`` -> ("spec", "rules", 0, "http"); ``metadata.annotations[a/b.c]`` keeps the key.
    Cached: the same field paths come back for every Ingress."""
    out: list[str | int] = []
    for m in _SEGMENT.finditer(path):
        if m.group(1) is not None:
            out.append(m.group(1))
        else:
            inner = m.group(2)
            out.append(int(inner) if inner.isascii() and inner.isdigit() else inner)
    return tuple(out)


def resolve_line(source: Source) -> int | None:
    """The 1-based line of ``source.field`` (or of the object) in its file, or the best known line."""
    if not source.file or source.doc is None or (source.line is not None and not source.field):
        return source.line
    entry = _documents(source.file).get(source.doc)
    if entry is None:
        return source.line
    line0, node = entry
    path: tuple[str | int, ...] = ()
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
    if isinstance(seg, int) and isinstance(node, yaml.SequenceNode) and 0 <= seg < len(node.value):
        item = node.value[seg]
        return item, item.start_mark.line
    if isinstance(node, yaml.MappingNode):
        found = None
        key = str(seg)
        for k, v in node.value:  # the last of duplicate keys wins, as in the loaded data
            if k.value == key and isinstance(k, yaml.ScalarNode):
                found = (v, k.start_mark.line)
        if found is not None:
            return found
    return _MISSING, None


def _object_line(node: Any, line0: int) -> int | None:
    return line0 + node.start_mark.line if node is not None else None
