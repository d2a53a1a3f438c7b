"""Reads manifests from files, directories and stdin: multi-document YAML, JSON and ``kind: List``.

The bulk path is fast: the stream is cut into documents at ``---`` lines, and each document is parsed
by libyaml (PyYAML's C loader) or ``json``. Cutting first means a broken document is reported and
skipped while its neighbours still load, and every document knows its first line for free. Precise
lines of fields are found later, only for objects that get a message (see :mod:`.positions`).
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml

from ing2gw.errors import InputError
from ing2gw.load import positions
from ing2gw.load.raw import LoadResult, RawObject
from ing2gw.model import Notification, Outcome, Source

try:
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Loader = yaml.SafeLoader

SUFFIXES = (".yaml", ".yml", ".json")
DEFAULT_MAX_BYTES = 256 * 1024 * 1024
MAX_DEPTH = 64
STDIN = "<stdin>"

_SEPARATOR = re.compile(rb"^(?:---|\.\.\.)(?=[ \t\r\n]|$)[^\n]*", re.MULTILINE)


def expand_paths(paths: Iterable[str]) -> list[str]:
    """Files to read, in a stable order: each argument in turn, directories walked recursively and sorted."""
    out: list[str] = []
    for p in paths:
        if p == "-":
            out.append("-")
            continue
        path = Path(p)
        if path.is_dir():
            found = []
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for f in files:
                    if f.endswith(SUFFIXES) and not f.startswith("."):
                        found.append(os.path.join(root, f))
            out.extend(sorted(found))
        elif path.exists():
            out.append(str(path))
        else:
            raise InputError(f"{p}: no such file or directory")
    return out


def load_paths(paths: Iterable[str], *, max_bytes: int = DEFAULT_MAX_BYTES, stdin: Any = None) -> LoadResult:
    """Read every path (``-`` is stdin) into raw objects. Problems are reported, never raised."""
    result = LoadResult()
    for p in expand_paths(paths):
        if p == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            data = stream.read(max_bytes + 1)
            name = STDIN
        else:
            name = p
            try:
                size = os.path.getsize(p)
                if size > max_bytes:
                    result.problems.append(_problem(name, None, f"file is {size} bytes, over the limit of "
                                                    f"{max_bytes} (raise it with --max-input-size)"))
                    continue
                with open(p, "rb") as fh:
                    data = fh.read()
            except OSError as exc:
                result.problems.append(_problem(name, None, f"cannot read: {exc.strerror or exc}"))
                continue
        if len(data) > max_bytes:
            result.problems.append(_problem(name, None, f"input is over the limit of {max_bytes} bytes "
                                            "(raise it with --max-input-size)"))
            continue
        result.files += 1
        load_bytes(data, name, result)
    return result


def load_bytes(data: bytes, name: str, result: LoadResult) -> None:
    """Parse one file's bytes into ``result``."""
    if b"\x00" in data[:8192]:
        result.problems.append(_problem(name, 1, "binary file (contains NUL bytes), not YAML or JSON"))
        return
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        result.problems.append(_problem(name, line, f"not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})"))
        return
    positions.remember(name, text)
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        _load_json(text, name, result)
        return
    for index, (line0, chunk) in enumerate(_split_documents(data)):
        if not chunk.strip() or _only_comments(chunk):
            continue
        try:
            doc = yaml.load(chunk, Loader=_Loader)  # noqa: S506 - CSafeLoader/SafeLoader only
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = line0 + (mark.line if mark else 0)
            what = exc.problem or exc.context or "invalid YAML"
            result.problems.append(_problem(name, line, f"YAML syntax error: {what}", doc=index))
            continue
        except (yaml.YAMLError, RecursionError, ValueError) as exc:
            result.problems.append(_problem(name, line0, f"YAML error: {exc}", doc=index))
            continue
        if doc is None:
            continue
        _add_document(doc, name, index, line0, result)


def _load_json(text: str, name: str, result: LoadResult) -> None:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        result.problems.append(_problem(name, exc.lineno, f"JSON syntax error: {exc.msg} (column {exc.colno})"))
        return
    except RecursionError:
        result.problems.append(_problem(name, 1, f"JSON nested deeper than {MAX_DEPTH} levels"))
        return
    if isinstance(doc, list):
        for i, item in enumerate(doc):
            _add_document(item, name, 0, None, result, prefix=f"[{i}]")
    else:
        _add_document(doc, name, 0, 1, result)


def _add_document(doc: Any, name: str, index: int, line: int | None, result: LoadResult, prefix: str = "") -> None:
    if not isinstance(doc, dict):
        what = "a list" if isinstance(doc, list) else f"a {type(doc).__name__}"
        result.problems.append(_problem(name, line, f"document is {what}, not a Kubernetes object", doc=index))
        return
    if _too_deep(doc, MAX_DEPTH):
        result.problems.append(_problem(name, line, f"document nested deeper than {MAX_DEPTH} levels", doc=index))
        return
    kind = doc.get("kind")
    if isinstance(kind, str) and kind.endswith("List") and isinstance(doc.get("items"), list):
        for i, item in enumerate(doc["items"]):
            sub = f"{prefix}items[{i}]" if not prefix else f"{prefix}.items[{i}]"
            if not isinstance(item, dict):
                result.problems.append(_problem(name, line, f"{sub} is not a Kubernetes object", doc=index, field=sub))
                continue
            ik = item.get("kind")
            if isinstance(ik, str) and ik.endswith("List") and isinstance(item.get("items"), list):
                result.problems.append(_problem(name, line, f"{sub}: a {ik} nested in a List is not allowed "
                                                "(kubectl rejects it)", doc=index, field=sub))
                continue
            result.objects.append(RawObject(item, name, index, sub))
        return
    result.objects.append(RawObject(doc, name, index, prefix))


def _too_deep(obj: Any, limit: int) -> bool:
    stack: list[tuple[Any, int]] = [(obj, 0)]
    while stack:
        o, d = stack.pop()
        if d > limit:
            return True
        if isinstance(o, dict):
            stack.extend((v, d + 1) for v in o.values() if isinstance(v, dict | list))
        elif isinstance(o, list):
            stack.extend((v, d + 1) for v in o if isinstance(v, dict | list))
    return False


def _split_documents(data: bytes) -> Iterator[tuple[int, bytes]]:
    """Yield (line of the chunk's first byte, bytes) per document, cutting at ``---`` and ``...`` lines."""
    pos = 0
    line = 1
    for m in _SEPARATOR.finditer(data):
        chunk = data[pos : m.start()]
        yield line, chunk
        line += chunk.count(b"\n")
        rest = data[m.start() + 3 : m.end()].strip()
        if data.startswith(b"---", m.start()) and rest and not rest.startswith(b"#"):
            pos = m.start() + 3  # "--- {a: 1}": the document starts on the marker line
        else:
            pos = m.end()
    yield line, data[pos:]


def _only_comments(chunk: bytes) -> bool:
    return all(not ln.strip() or ln.lstrip().startswith(b"#") for ln in chunk.splitlines())


def _problem(file: str, line: int | None, message: str, *, doc: int | None = None, field: str | None = None) -> Notification:
    return Notification(
        outcome=Outcome.ERROR,
        subject=field or "document",
        message=message,
        source=Source(kind="", namespace=None, name="", file=file, doc=doc, line=line),
        hint="This document was skipped; the others were converted.",
    )
