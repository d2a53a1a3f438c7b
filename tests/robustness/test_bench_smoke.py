"""The benchmark as a smoke check: generate 1,000 Ingresses and convert them once. No timing assertions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from bench.generate import generate, write
from ing2gw.cli import main

NAME = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")


@pytest.mark.bench_smoke
def test_generate_and_convert_1000_ingresses(tmp_path: Path) -> None:
    src = tmp_path / "big.yaml"
    with open(src, "w", encoding="utf-8") as fh:
        write(generate(1000), fh)
    res = CliRunner().invoke(main, ["convert", "-q", "-f", str(src)])
    assert res.exit_code in (0, 2), res.stderr  # the generated input is valid, but some annotations are not
    objs = list(yaml.load_all(res.stdout, Loader=yaml.CSafeLoader))
    kinds = {o["kind"] for o in objs}
    assert {"Gateway", "HTTPRoute"} <= kinds
    assert all(NAME.match(o["metadata"]["name"]) for o in objs)
    assert sum(1 for o in objs if o["kind"] == "HTTPRoute") >= 1000
