"""The fast YAML writer (ing2gw.output) writes exactly the bytes PyYAML writes, for every shape."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ing2gw import output

GOLDEN = Path(__file__).resolve().parents[1] / "testdata" / "golden"


def _pyyaml(objs: list[Any]) -> str:
    return yaml.dump_all(objs, explicit_start=True, **output._DUMP_ARGS) if objs else ""


def test_every_golden_output_is_written_as_pyyaml_writes_it() -> None:
    files = sorted(GOLDEN.glob("*/expected*.yaml"))
    assert len(files) > 30
    for f in files:
        docs = [d for d in yaml.safe_load_all(f.read_text(encoding="utf-8")) if d is not None]
        assert output.render(docs) == _pyyaml(docs), f


# Strings people write, and the ones YAML treats specially: indicators, reserved words, numbers, dates,
# quotes, colons, comments, spaces at the ends, non-ASCII, control characters, long and multi-line text.
_SPECIAL = ["", " ", "yes", "No", "ON", "off", "null", "~", "true", "False", "0", "007", "0x1F", "1e3", "1.5",
            ".inf", "-.5", "2024-01-01", "12:30", "=", "<<", "-", "- a", "a: b", "a #b", "a:", "*.example.com",
            "&a", "!tag", "%x", "@x", "`x", "'q'", '"q"', "[a]", "{a}", "a,b", "?x", "|x", ">x", "#x", "a\tb",
            "x ", " x", "é", "日本", "a\nb", "a\n", "\x07", "\u2028", "a" * 1500, "a " * 700, "/api/(.*)",
            "https://a.example/x?y=1", "Ingress ns/name", "ing2gw.io/source"]
_text = st.one_of(st.sampled_from(_SPECIAL), st.text(max_size=12),
                  st.text(alphabet="ab:/ -.#'\"*&!_0129yesnoTruE\n", max_size=12))
_scalar = st.one_of(_text, st.integers(-(2**40), 2**40), st.booleans(), st.none(), st.floats(allow_nan=False))
_value = st.recursive(_scalar, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(_text, inner, max_size=4)), max_leaves=20)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.dictionaries(_text, _value, max_size=5), max_size=3))
@example([{"": None, " ": {"": "\u2028"}}])  # a line break to YAML that str.count("\n") does not see
def test_fast_writer_matches_pyyaml(objs: list[dict[str, Any]]) -> None:
    assert output.render(objs) == _pyyaml(objs)


def test_written_yaml_reads_back() -> None:
    obj = {"metadata": {"name": "a", "annotations": {"x/y": "*.example.com", "n": "007", "e": ""}},
           "spec": {"rules": [{"matches": [{"path": {"type": "PathPrefix", "value": "/"}}], "filters": []},
                              {}], "hostnames": ["a.example", "yes"], "empty": {}}}
    text = output.render([obj])
    assert text.startswith("---\n")
    assert yaml.safe_load(text) == obj


def test_write_streams_exactly_what_render_returns() -> None:
    import io

    objs = [{"a": "x\n"}, {"b": 1}, {"c": "yes"}]  # the first is open-ended: "..." only at the very end
    for fmt in ("yaml", "json"):
        buf = io.StringIO()
        output.write(objs, buf, fmt)  # type: ignore[arg-type]
        assert buf.getvalue() == output.render(objs, fmt)  # type: ignore[arg-type]
    assert output.render(objs) == _pyyaml(objs)


def test_remembered_renderings_are_those_of_pyyaml_as_key_and_as_value() -> None:
    """What the writer remembers (each string's rendering as a key, and as a value) is what PyYAML writes, on
    first use and when reused."""
    output._keys.clear()
    output._values.clear()
    short = [s for s in _SPECIAL if len(s) < 100]
    as_values = [{"k": s} for s in short]
    as_keys = [{s: "v"} for s in short]
    for docs in (as_values, as_keys, as_values, as_keys):  # each shape first unknown, then remembered
        assert output.render(docs) == _pyyaml(docs)
    assert output._values and output._keys
