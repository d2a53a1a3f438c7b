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
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import yaml

from ing2gw.errors import InputError
from ing2gw.load import fastyaml, positions
from ing2gw.load.raw import LoadResult, RawObject, yaml_type
from ing2gw.model import Notification, Outcome, Source

try:
    _Base: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Base = yaml.SafeLoader

SUFFIXES = (".yaml", ".yml", ".json")
DEFAULT_MAX_BYTES = 256 * 1024 * 1024
MAX_DEPTH = 64
# Aliases may add at most this many nodes to a document beyond the ones written out ("billion laughs").
MAX_ALIAS_EXPANSION = 100_000
STDIN = "<stdin>"


class _Refused(yaml.MarkedYAMLError):
    """A document that parses but is refused: duplicate keys, excessive aliasing."""


class _Loader(_Base):
    """libyaml's safe loader, refusing duplicate keys the way kubectl does (PyYAML keeps the last one).

    The check costs one set of key strings per mapping, built from the key nodes the parser already made
    (about 10% of loading); only a mapping with a repeated key text is looked at closely.
    """

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        pairs = node.value
        if len(pairs) > 1:
            try:
                distinct = len({k.value for k, _ in pairs})
            except TypeError:  # a collection as a key: rare, compared slowly below
                distinct = -1
            if distinct != len(pairs):
                _check_duplicates(pairs)
        return super().construct_mapping(node, deep)


def _check_duplicates(pairs: list[tuple[Any, Any]]) -> None:
    first: dict[Any, Any] = {}
    for k, _ in pairs:
        key = (k.tag, k.value) if isinstance(k, yaml.ScalarNode) else (k.tag, repr(k.value))
        if key in first and k.tag != "tag:yaml.org,2002:merge":
            raise _Refused(None, None, f"duplicate key {k.value!r} (first on line {first[key].start_mark.line + 1}); "
                           "kubectl rejects this", k.start_mark)
        first.setdefault(key, k)


def _expanded_size(root: Any) -> tuple[int, int]:
    """(distinct nodes, nodes after expanding every alias) of a composed node graph, in linear time."""
    sizes: dict[int, int] = {}
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        if id(node) in sizes and not done:
            continue
        if isinstance(node, yaml.ScalarNode):
            sizes[id(node)] = 1
            continue
        children = [c for pair in node.value for c in pair] if isinstance(node, yaml.MappingNode) else node.value
        if done:
            sizes[id(node)] = 1 + sum(sizes[id(c)] for c in children)
            continue
        sizes[id(node)] = 0  # on the stack: a recursive alias adds nothing more
        stack.append((node, True))
        stack.extend((c, False) for c in children if id(c) not in sizes)
    return len(sizes), sizes[id(root)]


def _load_yaml(chunk: bytes) -> Any:
    """One YAML document, by libyaml. Documents with anchors are composed first and their alias expansion
    bounded."""
    if b"&" not in chunk:  # no anchor, so no alias can be valid: the fast path
        return yaml.load(chunk, Loader=_Loader)  # noqa: S506 - a safe loader
    loader = _Loader(chunk)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        distinct, expanded = _expanded_size(node)
        if expanded - distinct > MAX_ALIAS_EXPANSION:
            raise _Refused(None, None, f"aliases would expand this document from {distinct} to {expanded} nodes, "
                           f"over the limit of {MAX_ALIAS_EXPANSION} more (an alias bomb?)", node.start_mark)
        return loader.construct_document(node)
    finally:
        loader.dispose()

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


def load_paths(paths: Iterable[str], *, max_bytes: int = DEFAULT_MAX_BYTES, stdin: Any = None,
               jobs: int | None = 1, listener: Callable[[Sequence[RawObject]], object] | None = None,
               keep: bool = True) -> LoadResult:
    """Read every path (``-`` is stdin) into raw objects. Problems are reported, never raised. ``jobs``:
    processes that parse the documents of a large file (None: the usable CPUs; see ing2gw.parallel).
    ``listener``: told of the objects as they are read, in order (see :class:`LoadResult`); with ``keep``
    False, the result does not keep them (the raw input is freed as it is parsed)."""
    result = LoadResult(listener=listener, keep=keep or listener is None)
    for p in expand_paths(paths):
        if p == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            data = _read_bounded(stream, max_bytes)
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
                    data = _read_bounded(fh, max_bytes)  # a device or a growing file may exceed its size
            except OSError as exc:
                result.problems.append(_problem(name, None, f"cannot read: {exc.strerror or exc}"))
                continue
        if len(data) > max_bytes:
            result.problems.append(_problem(name, None, f"input is over the limit of {max_bytes} bytes "
                                            "(raise it with --max-input-size)"))
            continue
        result.files += 1
        load_bytes(data, name, result, jobs)
        result.tell()
    return result


def _read_bounded(stream: Any, max_bytes: int) -> bytes:
    """At most ``max_bytes + 1`` bytes, read in pieces so that no buffer of the limit's size is allocated."""
    parts: list[bytes] = []
    total = 0
    while total <= max_bytes:
        piece = stream.read(min(1 << 22, max_bytes + 1 - total))
        if not piece:
            break
        parts.append(piece)
        total += len(piece)
    return b"".join(parts)


def load_bytes(data: bytes, name: str, result: LoadResult, jobs: int | None = 1) -> None:
    """Parse one file's bytes into ``result`` (``jobs``: processes for a large file; None: the usable CPUs)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        result.problems.append(_problem(name, 1, "UTF-16 text: save the file as UTF-8"))
        return
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
    from ing2gw.parallel import map_ordered

    items = [(index, line0, chunk) for index, (line0, chunk) in enumerate(_split_documents(data))
             if chunk.strip() and not _only_comments(chunk)]

    # A large file's documents are parsed by several processes (they are independent); the objects are
    # added here in file order, as they come, so the result is the same however the work was shared, and
    # the listener is told of them meanwhile.
    def add(i: int, parsed: tuple[Any, bool, tuple[int, str] | None]) -> None:
        index, line0, _ = items[i]
        items[i] = (index, line0, b"")  # its text is read: freed while the objects are parsed (82 MB at 50,000)
        doc, checked, problem = parsed
        if problem is not None:
            result.problems.append(_problem(name, problem[0], problem[1], doc=index))
        elif doc is not None:
            _add_document(doc, name, index, line0, result, checked=checked)
            result.tell()

    map_ordered(_parse_document, items, add, jobs, weights=[len(chunk) for _, _, chunk in items])
    if not items:
        result.problems.append(Notification(
            outcome=Outcome.CAVEAT, subject="document", message="no documents: the input is empty or only comments",
            source=Source(kind="", namespace=None, name="", file=name, line=1)))


def _parse_document(item: tuple[int, int, bytes]) -> tuple[Any, bool, tuple[int, str] | None]:
    """(the document, whether its depth is known to be within the limit, None) or (None, False, (line, message))."""
    _, line0, chunk = item
    try:
        return fastyaml.load(chunk.decode("utf-8")), True, None  # most documents are in the fast reader's subset
    except fastyaml.Unsupported:
        pass
    try:
        return _load_yaml(chunk), False, None
    except _Refused as exc:
        line = line0 + exc.problem_mark.line if exc.problem_mark else line0
        return None, False, (line, f"YAML refused: {exc.problem}")
    except yaml.MarkedYAMLError as exc:
        return None, False, (_error_line(exc, line0), f"YAML syntax error: {_yaml_what(exc, chunk)}")
    except (yaml.YAMLError, RecursionError, ValueError, OverflowError) as exc:
        return None, False, (line0, f"YAML error: {_one_line(str(exc))}")


def _error_line(exc: yaml.MarkedYAMLError, line0: int) -> int:
    mark = exc.problem_mark or exc.context_mark
    return line0 + mark.line if mark else line0


def _yaml_what(exc: yaml.MarkedYAMLError, chunk: bytes) -> str:
    what = _one_line(exc.problem or "invalid YAML")
    if exc.context:
        what = f"{_one_line(exc.context)}: {what}"
    mark = exc.problem_mark or exc.context_mark
    if mark is not None:
        what += f" (column {mark.column + 1})"
    if mark is not None:
        lines = chunk.splitlines()
        text = lines[mark.line] if mark.line < len(lines) else b""
        if b"\t" in text[: len(text) - len(text.lstrip())] or text[mark.column : mark.column + 1] == b"\t":
            what += "; YAML indentation must use spaces, not tabs"
    return what


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _json_object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        for k, _ in pairs:
            if k in seen:
                raise _JSONDuplicate(k)
            seen.add(k)
    return obj


class _JSONDuplicate(ValueError):
    pass


def _load_json(text: str, name: str, result: LoadResult) -> None:
    try:
        doc = json.loads(text, object_pairs_hook=_json_object)
    except json.JSONDecodeError as exc:
        msg = exc.msg
        before = text[: exc.pos].rstrip()
        if before.endswith(",") and text[exc.pos : exc.pos + 1] in ("}", "]"):
            msg = "trailing comma (JSON allows none before } or ])"
        result.problems.append(_problem(name, exc.lineno, f"JSON syntax error: {msg} (column {exc.colno})"))
        return
    except _JSONDuplicate as exc:
        result.problems.append(_problem(name, 1, f"JSON refused: duplicate key {exc.args[0]!r}; kubectl rejects "
                                        "this"))
        return
    except RecursionError:
        result.problems.append(_problem(name, 1, f"JSON nested deeper than {MAX_DEPTH} levels"))
        return
    if isinstance(doc, list):
        for i, item in enumerate(doc):
            _add_document(item, name, 0, None, result, prefix=f"[{i}]")
    else:
        _add_document(doc, name, 0, 1, result)


def _add_document(doc: Any, name: str, index: int, line: int | None, result: LoadResult, prefix: str = "",
                  checked: bool = False) -> None:
    """Add a loaded document's objects; ``checked`` when its depth is known to be within the limit."""
    if not isinstance(doc, dict):
        what = yaml_type(doc)
        result.problems.append(_problem(name, line, f"document is {what}, not a Kubernetes object", doc=index))
        return
    if not checked and _too_deep(doc, MAX_DEPTH):
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
