"""A fast reader for the plain block YAML that manifests are almost always written in.

Kubernetes manifests (kubectl, Helm, kustomize output, hand-written files) are block mappings and
sequences of plain or simply quoted scalars. This module reads exactly that subset, line by line,
about three times faster than libyaml through PyYAML, and gives the same Python values PyYAML's safe
loader gives (YAML 1.1: ``yes`` is true, ``0777`` is 511, timestamps are datetimes), because every
plain scalar that is not obviously a string is resolved by PyYAML's own resolver and constructor.

Anything outside the subset raises :class:`Unsupported` and the document is read by libyaml instead:
flow collections, anchors, aliases, tags, multi-line flow scalars, escapes, folded block scalars, tabs,
CR line ends, control characters, duplicate keys, and any indentation it does not expect. So it never
has to report an error itself: every error message still comes from libyaml. tests/test_fastyaml.py
checks on random documents and on every file in testdata/ that it either agrees with PyYAML or declines.
"""

from __future__ import annotations

import re
from sys import intern as _intern
from typing import Any

import yaml

MAX_DEPTH = 60  # deeper documents go to libyaml (the loader's own limit, 64, is checked there)


class Unsupported(Exception):
    """The document is outside the subset: read it with libyaml."""


# A plain key (the characters of Kubernetes names, label and annotation keys) and what follows its colon.
_KEY = re.compile(r"([A-Za-z0-9_][A-Za-z0-9_./-]*) *:(?: +(.*))?\Z")
_SINGLE = re.compile(r"'((?:[^']|'')*)' *(?:#.*)?\Z")
_CLOSING = re.compile(r"((?:[^']|'')*)' *(?:#.*)?\Z")  # the last line of a multi-line single-quoted scalar
_DOUBLE = re.compile(r'"([^"\\]*)" *(?:#.*)?\Z')
_BLOCK = re.compile(r"\|(-?) *(?:#.*)?\Z")
_EMPTY_FLOW = re.compile(r"(\{\}|\[\]) *(?:#.*)?\Z")
# Characters libyaml refuses or treats specially (tabs, other line breaks, non-printables): leave those to it.
_AWKWARD = re.compile("[\t\r\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")
# First characters of plain scalars that one of YAML 1.1's implicit types (bool, int, float, null,
# timestamp, merge, value) may claim; a plain scalar starting with any other character is a string.
_TYPED_FIRST = frozenset("yYnNtTfFoO-+0123456789.<~=")
# Plain scalars may not start with these indicators (or contain ": " or " #", checked separately).
_INDICATOR_FIRST = frozenset("-?:,[]{}#&*!|>'\"%@`")

_resolver = yaml.resolver.Resolver()
_STR_TAG = "tag:yaml.org,2002:str"
_typed: dict[str, Any] = {}
_strings: dict[str, str] = {}


_lines: dict[str, tuple[Any, Any]] = {}  # the text of a ``key: scalar`` line -> its key and value
_SAME_FROM_TEXT = frozenset({str, int, float, bool, type(None)})  # immutable values, one text -> one value


def _remember_line(body: str, key: Any, value: Any) -> None:
    """Remember what a ``key: scalar`` line reads as, when the scalar is all on the line (not a block scalar
    or a quoted one going on below, whose lines starting with ``#`` are no tokens): lines repeat from
    document to document (``pathType: Prefix``, a namespace, an annotation), and the next time the line is
    read with one lookup. Emptied at 100,000 lines."""
    if len(_lines) >= 100_000:
        _lines.clear()
    _lines[body] = (key, value)


def _shared(text: str) -> str:
    """One object for equal string values (pathTypes, "true", Service names and ports repeat in every
    document): a large input has five strings for each distinct value; 60 MB less at 50,000 Ingresses. Emptied at
    200,000 distinct values, so unique ones (host names) cost at most about 20 MB."""
    if len(_strings) >= 200_000:
        _strings.clear()
    return _strings.setdefault(text, text)


def load(text: str) -> Any:
    """The value of one YAML document (no ``---`` inside), or :class:`Unsupported`. A document it returns
    is nested at most :data:`MAX_DEPTH` levels deep."""
    if _AWKWARD.search(text):
        raise Unsupported
    raw = text.split("\n")
    toks = []  # (indent, text after the indent, line index) of each line with content
    for i, line in enumerate(raw):
        body = line.lstrip(" ")
        if body and body[0] != "#":
            toks.append((len(line) - len(body), body, i))
    if not toks:
        return None
    p = _Parser(raw, toks)
    value, t = p.node(0, 0)
    if t < len(toks):
        raise Unsupported  # something after the root node, at a smaller indent
    return value


def _dash(body: str) -> bool:
    return body == "-" or body[:2] == "- "


class _Parser:
    __slots__ = ("n", "raw", "toks")

    def __init__(self, raw: list[str], toks: list[tuple[int, str, int]]) -> None:
        self.raw = raw
        self.toks = toks
        self.n = len(toks)

    def node(self, t: int, depth: int) -> tuple[Any, int]:
        """The block collection starting at token ``t``; returns it and the token after it."""
        if depth > MAX_DEPTH:
            raise Unsupported
        indent, body, _ = self.toks[t]
        if _dash(body):
            return self.sequence(t, indent, depth)
        return self.mapping(t, indent, body, depth)

    def mapping(self, t: int, indent: int, body: str, depth: int) -> tuple[dict[Any, Any], int]:
        toks = self.toks
        n = self.n
        out: dict[Any, Any] = {}
        value: Any
        while True:
            known = _lines.get(body)
            if known is not None:  # a line read before: ``key: scalar`` with the same text
                key, value = known
                if key in out:
                    raise Unsupported
                out[key] = value
                t += 1
                if t >= n:
                    return out, t
                ind, body, _ = toks[t]  # what follows: as ``after`` and ``_dash`` below, written out
                if ind != indent or body == "-" or body[:2] == "- ":
                    if ind > indent:
                        raise Unsupported
                    return out, t
                continue
            m = _KEY.match(body)
            if m is None:
                raise Unsupported
            key = _plain(m.group(1))
            if type(key) is str:
                key = _intern(key)  # keys repeat in every document: one copy each (and pickled once)
            if key in out:
                raise Unsupported  # a duplicate: libyaml's loader reports it with its line
            rest = m.group(2)
            value = None
            if rest and rest[0] != "#":
                line = t
                value, t = self.inline(rest, t, indent)
                if (t == line + 1 and type(value) in _SAME_FROM_TEXT and rest[0] != "|"
                        and (rest[0] != "'" or _SINGLE.match(rest))):  # the value is all on this line
                    _remember_line(body, key, value)
            else:
                t += 1
                if t < n:
                    ind, body, _ = toks[t]
                    if ind > indent:
                        value, t = self.node(t, depth + 1)
                    elif ind == indent and _dash(body):
                        value, t = self.sequence(t, ind, depth + 1)  # a sequence not indented under its key
            out[key] = value
            nxt = self.after(t, indent)
            if nxt is None or _dash(nxt):  # a dash: the sequence of a key one level up, not indented
                return out, t
            body = nxt

    def sequence(self, t: int, indent: int, depth: int) -> tuple[list[Any], int]:
        toks = self.toks
        n = self.n
        out: list[Any] = []
        while True:
            body = toks[t][1][1:]
            rest = body.lstrip(" ")
            value: Any = None
            if not rest or rest[0] == "#":
                t += 1
                if t < n and toks[t][0] > indent:
                    value, t = self.node(t, depth + 1)
            elif _dash(rest):
                raise Unsupported  # a sequence in a sequence on one line
            elif _KEY.match(rest):
                col = indent + 1 + len(body) - len(rest)
                value, t = self.mapping(t, col, rest, depth + 1)  # "- key: value" opens a mapping at col
                if t < n and indent < toks[t][0] != col:
                    raise Unsupported
            else:
                value, t = self.inline(rest, t, indent)
            out.append(value)
            nxt = self.after(t, indent)
            if nxt is None or not _dash(nxt):
                return out, t

    def after(self, t: int, indent: int) -> str | None:
        """The text of token ``t`` when it is at ``indent`` (a collection's next entry may be there), else None."""
        if t >= self.n:
            return None
        ind, body, _ = self.toks[t]
        if ind > indent:
            raise Unsupported
        return body if ind == indent else None

    def inline(self, rest: str, t: int, indent: int) -> tuple[Any, int]:
        """A scalar written after ``key:`` or ``-`` on token ``t``; returns it and the next token."""
        c = rest[0]
        value: Any
        if c == "'":
            m = _SINGLE.match(rest)
            if m is None:
                return self.single_quoted_lines(rest, t, indent)
            value = m.group(1).replace("''", "'")
        elif c == '"':
            m = _DOUBLE.match(rest)
            if m is None:
                raise Unsupported  # escapes, or more than one line
            value = m.group(1)
        elif c == "|":
            m = _BLOCK.match(rest)
            if m is None:
                raise Unsupported  # an indentation indicator or keep chomping
            return self.literal(t, indent, m.group(1) == "-")
        elif c in _INDICATOR_FIRST:
            m = _EMPTY_FLOW.match(rest)
            if m is None:
                raise Unsupported
            value = {} if m.group(1) == "{}" else []
        else:
            cut = rest.find(" #")
            text = (rest if cut < 0 else rest[:cut]).rstrip(" ")
            if ": " in text or text.endswith(":"):
                raise Unsupported
            value = _plain(text)
        t += 1
        if t < self.n and self.toks[t][0] > indent:
            raise Unsupported  # a plain scalar continued on the next line, or a misplaced node
        if type(value) is str:
            value = _shared(value)
        return value, t

    def single_quoted_lines(self, rest: str, t: int, indent: int) -> tuple[str, int]:
        """A single-quoted scalar that goes on after token ``t``'s line (PyYAML writes long and multi-line
        strings so): each line break becomes a space, or the blank lines that follow it become newlines."""
        if "'" in rest[1:].replace("''", ""):
            raise Unsupported  # closed on this line, with something after the quote
        raw = self.raw
        parts = [rest[1:].rstrip(" ").replace("''", "'")]
        blank = 0
        j = self.toks[t][2] + 1
        while True:
            if j >= len(raw):
                raise Unsupported  # never closed
            line = raw[j]
            s = line.strip(" ")
            if not s:
                blank += 1
                j += 1
                continue
            if len(line) - len(line.lstrip(" ")) <= indent:
                raise Unsupported  # not indented under its key
            m = _CLOSING.match(s)
            if m is None and "'" in s.replace("''", ""):
                raise Unsupported
            text = (m.group(1) if m else s).replace("''", "'")
            parts.append("\n" * blank if blank else " ")
            parts.append(text)
            blank = 0
            if m:
                break
            j += 1
        return "".join(parts), self.resume(t, j + 1, indent)

    def literal(self, t: int, indent: int, strip: bool) -> tuple[str, int]:
        """A ``|`` or ``|-`` block scalar under a node at ``indent``, on the lines after token ``t``."""
        raw = self.raw
        end = len(raw)
        j = self.toks[t][2] + 1
        width = -1
        leading = 0
        content: list[str] = []
        while j < end:
            line = raw[j]
            s = line.lstrip(" ")
            ind = len(line) - len(s)
            if not s:
                if width < 0:
                    leading = max(leading, ind)
                elif ind > width:
                    raise Unsupported  # spaces beyond the indentation on a blank line
                content.append("")
                j += 1
                continue
            if width < 0:
                if ind <= indent:
                    break
                width = ind
                if leading > width:
                    raise Unsupported
            elif ind < width:
                break
            content.append(line[width:])
            j += 1
        while content and content[-1] == "":
            content.pop()
        t = self.resume(t, j, indent)
        if not content:
            return "", t
        text = "\n".join(content)
        return (text if strip else text + "\n"), t

    def resume(self, t: int, line: int, indent: int) -> int:
        """The first token on or after raw line ``line`` (a scalar of several lines ended before it), which
        must not be indented deeper than the node at ``indent`` that held the scalar."""
        toks = self.toks
        t += 1
        while t < self.n and toks[t][2] < line:
            t += 1
        if t < self.n and toks[t][0] > indent:
            raise Unsupported
        return t


def _plain(text: str) -> Any:
    """A plain scalar's value as PyYAML's safe loader gives it."""
    if not text:
        return None
    if text[0] not in _TYPED_FIRST:
        if text[0] in _INDICATOR_FIRST:
            raise Unsupported
        return text
    value = _typed.get(text, _typed)
    if value is _typed:
        if text[0] == "-" and (len(text) == 1 or text[1] == " "):
            raise Unsupported
        tag = _resolver.resolve(yaml.ScalarNode, text, (True, False))
        if tag == _STR_TAG:
            value = text
        elif tag.endswith((":merge", ":value")):
            raise Unsupported
        else:
            try:
                value = yaml.load(text, Loader=yaml.CSafeLoader)  # noqa: S506 - a safe loader, one scalar
            except Exception as exc:  # a date that does not exist, say: libyaml's path words the message
                raise Unsupported from exc
        if len(_typed) < 50_000:
            _typed[text] = value
    return value
