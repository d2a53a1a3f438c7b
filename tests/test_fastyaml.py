"""The fast YAML reader either gives exactly what PyYAML's safe loader gives, or declines the document."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ing2gw.load import fastyaml, files

TESTDATA = Path(__file__).resolve().parents[1] / "testdata"
_NO = object()


def _typed(v: Any) -> Any:
    """A value with its types spelled out, so that 1, 1.0 and True compare unequal."""
    if isinstance(v, dict):
        return ("map", [(_typed(k), _typed(x)) for k, x in v.items()])
    if isinstance(v, list):
        return ("seq", [_typed(x) for x in v])
    return (type(v).__name__, v)


def _libyaml(text: str) -> Any:
    try:
        return files._load_yaml(text.encode("utf-8"))
    except Exception:  # noqa: BLE001 - any refusal counts as "not a value"
        return _NO


def _fast(text: str) -> Any:
    try:
        return fastyaml.load(text)
    except fastyaml.Unsupported:
        return _NO


def _agrees(text: str) -> bool:
    """True when the fast reader read it; fails when it read something libyaml reads otherwise or refuses."""
    got = _fast(text)
    if got is _NO:
        return False
    want = _libyaml(text)
    assert want is not _NO, f"fast reader accepted what libyaml refuses:\n{text}"
    assert _typed(got) == _typed(want), f"fast reader differs on:\n{text}"
    return True


def test_every_testdata_document() -> None:
    read = total = 0
    for path in sorted(TESTDATA.rglob("*")):
        if path.suffix not in (".yaml", ".yml") or not path.is_file():
            continue
        data = path.read_bytes()
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            continue
        for _line, chunk in files._split_documents(data):
            if not chunk.strip():
                continue
            total += 1
            read += _agrees(chunk.decode("utf-8"))
    assert total > 500
    assert read > total * 0.7, (read, total)  # the fast path is the usual path


COMMON = [
    "a: 1\nb: two\n",
    "kind: Ingress\nmetadata:\n  name: x  # a comment\n  annotations:\n    a/b: 'true'\n    c: \"x y\"\n",
    "spec:\n  rules:\n  - host: a.example\n    http:\n      paths:\n      - path: /\n        pathType: Prefix\n",
    "spec:\n  rules:\n    - host: a\n      http: {}\n  tls: []\n",
    "# head\n\na:\n  # inner\n  b: 1\n\n\nc: ~\n",
    "s: |\n  line 1\n    indented\n\n  line 3\n\nt: |-\n  x\nu: 1\n",
    "- a\n- b: 1\n  c: 2\n-\n  d: 3\n- 'it''s'\n",
    "v: yes\nw: 0777\nx: 2024-01-02\ny: 1.5\nz: -\n" .replace("z: -\n", "z: 12:30\n"),
    "80: http\nnull: x\n",
    "a: b#c\nd: e # f\ng: 'h' # i\n",
    "k: |\n  keep # not a comment\n  # nor this\n",
    "x:\n- a\n- b\ny:\n  - c\n",
    "a: 'multi\n  line'\n", "a: 'p\n\n  q  \n\n\n   r''s\n  '\nb: 1\n", "- 'x\n  # y'\n", "a: '\n  x'\n",
]


@pytest.mark.parametrize("text", COMMON)
def test_common_layouts_are_read_fast_and_right(text: str) -> None:
    assert _agrees(text)


DECLINED = [
    "a: &x 1\nb: *x\n", "a: !!str 1\n", "a: [1, 2]\n", "a: {b: 1}\n", "a: \"multi\n  line\"\n", "a: 'x\nb: 1\n", 'a: "esc\\n"\n',
    "a: >\n  folded\n", "a: |+\n  keep\n", "a: |2\n   x\n", "a:\tb\n", "a: 1\r\nb: 2\r\n", "a: 1\na: 2\n",
    "a: plain\n  continued\n", "a: 1\n b: 2\n", "? a\n: b\n", "<<: {}\n", "a: =\n", "- - a\n", "a: b: c\n",
    "a: 2024-13-45\n", "just a scalar\n", "a: x\n- b\n", "'q': 1\n", "a: \x07\n", "a: -\n",
]


@pytest.mark.parametrize("text", DECLINED)
def test_outside_the_subset_is_declined(text: str) -> None:
    assert _fast(text) is _NO


def test_depth_beyond_the_limit_is_declined() -> None:
    deep = "".join(" " * i + f"k{i}:\n" for i in range(fastyaml.MAX_DEPTH + 5)) + " " * 80 + "v: 1\n"
    assert _fast(deep) is _NO
    shallow = "".join(" " * i + f"k{i}:\n" for i in range(10)) + " " * 10 + "v: 1\n"
    assert _agrees(shallow)


_key = st.one_of(st.sampled_from(["a", "name", "b/c", "x.y", "80", "yes", "null", "k-1", "_u"]),
                 st.text(alphabet="abz09_./-", min_size=1, max_size=6))
_text = st.one_of(st.from_regex(r"[a-z/][a-z0-9./ -]{0,12}", fullmatch=True), st.sampled_from(["", " ", "yes", "No", "0777", "0x1F", "1e3", "1.5", ".inf", "~", "2024-01-02",
                                   "2024-01-02T03:04:05Z", "12:30", "a: b", "a #b", "a:", "*x", "&x", "!t", "'", '"',
                                   "- a", "-", "#", "|", ">", "%", "@", "a\nb", "a\n\nb\n", "\n", " a ", "x\\y",
                                   "é", "a,b", "[a]", "{a}", "=", "<<"]),
                 st.text(alphabet="ab :#'\"-\n\\|>", max_size=10), st.text(max_size=6))
_scalar = st.one_of(_text, st.integers(-(2**33), 2**33), st.booleans(), st.none(),
                    st.floats(allow_nan=False), st.dates(min_value=datetime.date(1900, 1, 1)))
_value = st.recursive(_scalar, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                       st.dictionaries(_key, inner, max_size=3)), max_leaves=15)
_style = st.fixed_dictionaries({"indent": st.sampled_from([2, 3, 4]), "width": st.sampled_from([20, 80, 4096]),
                                "default_style": st.sampled_from([None, None, None, None, "'", '"', "|"]),
                                "allow_unicode": st.booleans(), "sort_keys": st.booleans()})


@st.composite
def _mutated(draw: st.DrawFn) -> str:
    text = yaml.dump(draw(st.dictionaries(_key, _value, min_size=1, max_size=4)), Dumper=yaml.SafeDumper,
                     default_flow_style=False, **draw(_style))
    for _ in range(draw(st.sampled_from([0, 0, 1, 2, 3]))):
        lines = text.split("\n")
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["indent", "dedent", "dup", "drop", "char", "comment", "blank"]))
        if op == "indent":
            lines[i] = " " + lines[i]
        elif op == "dedent":
            lines[i] = lines[i][1:]
        elif op == "dup":
            lines.insert(i, lines[i])
        elif op == "drop":
            del lines[i]
        elif op == "comment":
            lines[i] += " # c"
        elif op == "blank":
            lines.insert(i, " " * draw(st.integers(0, 6)))
        else:
            pos = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:pos] + draw(st.sampled_from(list(":-#'\" |>&*![]{}?,%\t"))) + lines[i][pos:]
        text = "\n".join(lines)
    return text


@settings(max_examples=1500, deadline=None)
@given(_mutated())
@example("a: |\n  x\n\n  \n")
@example("- |\n x\n")
@example("a: |\n\n  x\n")
@example("a:\n  - b\n  c: 1\n")
def test_random_documents_agree_or_are_declined(text: str) -> None:
    _agrees(text)


_nice_key = st.from_regex(r"[a-z][a-z0-9./-]{0,12}", fullmatch=True).filter(lambda k: k not in ("yes", "no", "on", "off"))
_nice_scalar = st.one_of(st.from_regex(r"[a-z/][a-z0-9./ -]{0,12}", fullmatch=True), st.integers(0, 70000),
                         st.booleans(), st.sampled_from(["", "yes", "*.example.com", "it's", "a\nb\n", "2024-01-02"]))
# (no list directly in a list: "- - a" is left to libyaml)
_nice = st.recursive(_nice_scalar, lambda inner: st.one_of(st.lists(inner.filter(lambda x: not isinstance(x, list)),
                                                                    max_size=3),
                                                          st.dictionaries(_nice_key, inner, max_size=3)), max_leaves=25)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_nice_key, _nice, min_size=1, max_size=5), st.sampled_from([2, 4]))
def test_manifest_like_documents_are_read_fast(doc: dict[str, Any], indent: int) -> None:
    text = yaml.dump(doc, Dumper=yaml.SafeDumper, default_flow_style=False, indent=indent, width=4096)
    assert _agrees(text), text


def test_equal_string_values_are_one_object() -> None:
    # A large input repeats its values (pathType, "true", service names): one copy each saves 60 MB at
    # 50,000 Ingresses. Keys are shared too.
    a = fastyaml.load("a:\n  pathType: Prefix\n  enabled: 'true'\n  n: 8080\n")
    b = fastyaml.load("b:\n- pathType: Prefix\n  enabled: 'true'\n  n: 8080\n")
    assert a == {"a": {"pathType": "Prefix", "enabled": "true", "n": 8080}}
    assert a["a"]["pathType"] is b["b"][0]["pathType"] and a["a"]["enabled"] is b["b"][0]["enabled"]
    assert next(iter(a["a"])) is next(iter(b["b"][0]))


@pytest.mark.parametrize("texts", [
    # a line read before, whose scalar goes on below this time (or the other way round): lines starting with
    # "#" inside a block or quoted scalar are no tokens, so the line alone does not tell the value
    ["script: |\n  # one\nx: 1\n", "script: |\n  # two\nx: 1\n"],
    ["k: 'abc\n  #def'\n", "k: 'abc\n  #ghi'\n", "k: 'abc'\n", "k: 'abc\n  #jkl'\n"],
    ["k: abc\n", "k: abc\n  def\n", "k: abc\n"],
    # a remembered line that is a duplicate key this time, or has a misplaced node below it
    ["a: 1\nb: 2\n", "a: 1\na: 1\n", "a: 1\n  b: 2\n", "- a: 1\n  a: 1\n"],
    ["k: {}\n", "k: {}\n", "k: []\n", "k: []\n"],
    ["n: 0777\n", "n: 0777\n", "- n: yes\n", "- n: yes\n  m: 'no'\n", "n: 2024-01-02\n", "n: 2024-01-02\n"],
])
def test_lines_read_again_read_the_same(texts: list[str]) -> None:
    first = [_agrees(text) for text in texts]
    assert any(first)
    assert [_agrees(text) for text in texts] == first  # read again, with every line remembered: the same


def test_a_remembered_line_keeps_values_apart() -> None:
    # Mutable values are never remembered: two documents must not share one empty list or map.
    a = fastyaml.load("k: []\nm: {}\n")
    b = fastyaml.load("k: []\nm: {}\n")
    assert a == b and a["k"] is not b["k"] and a["m"] is not b["m"]
