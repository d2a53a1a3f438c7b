"""Writes emitted objects: YAML (default) or JSON ``v1 List``, to stdout or one file per namespace/object.

Objects arrive as dicts whose keys are already in the order people expect (apiVersion, kind, metadata,
spec); nothing here reorders them, so output is byte-identical from run to run.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Literal, TextIO

import yaml

from ing2gw.jsontext import pretty_json, write_pretty_json

try:
    _Dumper: Any = yaml.CSafeDumper
except AttributeError:  # pragma: no cover
    _Dumper = yaml.SafeDumper


def _str_presenter(dumper: Any, data: str) -> Any:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _str_presenter)


_DUMP_ARGS: dict[str, Any] = {"Dumper": _Dumper, "sort_keys": False, "default_flow_style": False,
                              "allow_unicode": True, "width": 4096}


def render(objects: list[dict[str, Any]], fmt: Literal["yaml", "json"] = "yaml") -> str:
    if fmt == "json":
        return pretty_json(_json_list(objects)) + "\n"
    return "".join(iter_yaml(objects))


def _json_list(objects: list[dict[str, Any]]) -> dict[str, Any]:
    """The JSON output: one ``v1 List`` of the objects."""
    return {"apiVersion": "v1", "kind": "List", "items": objects}


def write(objects: list[dict[str, Any]], stream: TextIO, fmt: Literal["yaml", "json"] = "yaml",
          jobs: int | None = 1) -> None:
    """Write what :func:`render` returns, document by document (the whole text is never held in memory).
    ``jobs``: processes that render a large output (None: the usable CPUs; see :mod:`ing2gw.parallel`)."""
    if fmt == "json":
        write_pretty_json(_json_list(objects), stream.write)
        stream.write("\n")
        return
    for text in iter_yaml(objects, jobs):
        stream.write(text)


RENDER_BLOCK = 25_000  # documents rendered by workers at a time: bounded memory (~30 MB of text), few forks


def _rendered(objects: Iterable[dict[str, Any]], jobs: int | None) -> Iterator[str]:
    from ing2gw.parallel import map_shared, plan_jobs

    if not isinstance(objects, list) or plan_jobs(min(len(objects), RENDER_BLOCK), jobs) == 1:
        yield from map(render_yaml_document, objects)  # one document at a time
        return
    for start in range(0, len(objects), RENDER_BLOCK):
        yield from map_shared(render_yaml_document, objects[start : start + RENDER_BLOCK], jobs)


def iter_yaml(objects: Iterable[dict[str, Any]], jobs: int | None = 1) -> Iterator[str]:
    """The YAML stream of ``objects``, one ``---`` document at a time (``jobs``: as for :func:`write`)."""
    return joined(_rendered(objects, jobs))


def joined(documents: Iterable[str]) -> Iterator[str]:
    """Documents of :func:`render_yaml_document` as one YAML stream."""
    previous = None
    for text in documents:
        if previous is not None:
            # An open-ended last scalar ends with "..." alone; in a stream, the next "---" ends it.
            yield previous[:-4] if previous.endswith("\n...\n") else previous
        previous = text
    if previous is not None:
        yield previous


def render_yaml_document(obj: Any) -> str:
    """One ``---`` document, byte for byte what PyYAML (libyaml's emitter) writes with this module's settings.

    Emitted objects are plain dicts, lists, short strings, ints and bools, so the block layout is written
    here directly, several times faster than PyYAML's Python representer. How each distinct string is
    written (plain, quoted) is still decided by libyaml, once, and remembered. Anything else (multi-line
    or long strings, lists in lists, other types) is written by PyYAML for the whole document, so the
    bytes never depend on which path ran; tests/test_output.py compares both on every shape.
    """
    out = ["---\n"]
    try:
        if type(obj) is not dict or not obj:
            raise _Fallback
        _mapping(obj, "", out, "")
    except _Fallback:
        return yaml.dump_all([obj], explicit_start=True, **_DUMP_ARGS)
    return "".join(out)


class _Fallback(Exception):
    """A value the fast writer leaves to PyYAML."""


_MAX_FAST = 1024  # longer strings may be folded at the line width: PyYAML writes them
_PLAIN = re.compile(r"[A-Za-z_/][A-Za-z0-9_./-]*(?: [A-Za-z0-9_./-]+)*\Z")
# Plain words that YAML 1.1 reads as something other than a string (bool, null): PyYAML quotes them.
_RESERVED = frozenset(w for word in ("yes", "no", "true", "false", "on", "off", "null")
                      for w in (word, word.capitalize(), word.upper()))


def _plain(s: str) -> bool:
    """Whether libyaml writes ``s`` as it is (checked without asking it, for the usual names and paths)."""
    return len(s) <= _MAX_FAST and _PLAIN.match(s) is not None and s not in _RESERVED


# How each string met was written, as a value and as a key: names, hosts and paths repeat across the
# objects of an output (half the time of writing them went to deciding it again). Emptied when large.
_values: dict[str, str] = {}
_keys: dict[str, str] = {}
_REMEMBERED = 100_000


def _value(s: str) -> str:
    """A string value not remembered yet (the callers look first)."""
    return _remember(_values, s, s if _plain(s) else _by_pyyaml(s, False))


def _key(k: Any) -> str:
    """A key not remembered yet (``_mapping`` looks first)."""
    if type(k) is not str:
        raise _Fallback
    return _remember(_keys, k, k if _plain(k) else _by_pyyaml(k, True))


def _remember(memory: dict[str, str], s: str, text: str) -> str:
    if len(memory) >= _REMEMBERED:
        memory.clear()
    memory[s] = text
    return text


def _by_pyyaml(s: str, key: bool) -> str:
    """libyaml's rendering of ``s`` as a key or a value (remembered by the callers); a multi-line one is
    left to PyYAML for the whole document."""
    if len(s) > _MAX_FAST:
        raise _Fallback
    text = yaml.dump({s: 1} if key else {"k": s}, **_DUMP_ARGS)
    if len(text.splitlines()) != 1:  # also \u2028, \x85...: line breaks to YAML
        raise _Fallback
    return text[:-4] if key else text[3:-1]


def _scalar(v: Any) -> str:
    t = type(v)
    if t is str:
        return _values.get(v) or _value(v)  # (no string is written as "")
    if t is bool:
        return "true" if v else "false"
    if t is int:
        return str(v)
    if v is None:
        return "null"
    raise _Fallback


def _mapping(d: dict[Any, Any], ind: str, out: list[str], first: str) -> None:
    """Write mapping ``d`` at indent ``ind``; its first key goes after ``first`` (``ind`` or a list dash)."""
    prefix = first
    keys, values = _keys, _values
    for k, v in d.items():
        key = keys.get(k) if k.__class__ is str else None
        if key is None:
            key = _key(k)
        t = type(v)
        if t is str:
            text = values.get(v)
            if text is None:
                text = _value(v)
            out.append(f"{prefix}{key}: {text}\n")
        elif t is dict:
            if v:
                out.append(f"{prefix}{key}:\n")
                _mapping(v, ind + "  ", out, ind + "  ")
            else:
                out.append(f"{prefix}{key}: {{}}\n")
        elif t is list:
            if v:
                out.append(f"{prefix}{key}:\n")
                _sequence(v, ind, out)
            else:
                out.append(f"{prefix}{key}: []\n")
        else:
            out.append(f"{prefix}{key}: {_scalar(v)}\n")
        prefix = ind


def _sequence(seq: list[Any], ind: str, out: list[str]) -> None:
    """Write a sequence as PyYAML does under a mapping key: dashes at the key's own indent."""
    for item in seq:
        t = type(item)
        if t is dict:
            if item:
                _mapping(item, ind + "  ", out, ind + "- ")
            else:
                out.append(f"{ind}- {{}}\n")
        elif t is list:
            raise _Fallback
        else:
            out.append(f"{ind}- {_scalar(item)}\n")


_SAFE = re.compile(r"[^a-z0-9.-]")


def _safe_name(text: str) -> str:
    """A file-name component that cannot escape the output directory."""
    cleaned = _SAFE.sub("-", text.lower()).strip(".-") or "_"
    return cleaned[:200]


def write_dir(objects: list[dict[str, Any]], directory: str, *, split: Literal["namespace", "object"] = "namespace",
              fmt: Literal["yaml", "json"] = "yaml") -> list[str]:
    """Write one file per namespace (or per object), each atomically; returns the paths written."""
    root = Path(directory)
    root.mkdir(parents=True, exist_ok=True)
    groups: dict[str, list[dict[str, Any]]] = {}
    for obj in objects:
        meta = obj.get("metadata", {})
        ns = meta.get("namespace") or "_cluster"
        if split == "object":
            key = f"{_safe_name(ns)}/{_safe_name(obj.get('kind', 'object'))}-{_safe_name(meta.get('name', ''))}"
        else:
            key = _safe_name(ns)
        groups.setdefault(key, []).append(obj)
    written = []
    ext = ".json" if fmt == "json" else ".yaml"
    resolved_root = root.resolve()
    for key, objs in sorted(groups.items()):
        path = (root / (key + ext)).resolve()
        if resolved_root not in path.parents:
            raise ValueError(f"refusing to write outside {directory}: {key}")
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".ing2gw-", suffix=ext)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                write(objs, fh, fmt)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
        written.append(str(path))
    return written
