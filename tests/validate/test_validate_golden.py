"""Every golden expected output validates against the CRDs of its Gateway API version and channel (read
from the case's args.txt; default v1.5 standard). New golden cases are picked up automatically."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
from validate_support import needs_crds

from ing2gw.core.versions import DEFAULT_VERSION
from ing2gw.load import load_paths
from ing2gw.validate import validate_objects

GOLDEN = Path(__file__).resolve().parents[2] / "testdata" / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "expected.yaml").is_file()) if GOLDEN.is_dir() else []


def target(case: Path) -> tuple[str, str]:
    args = shlex.split((case / "args.txt").read_text()) if (case / "args.txt").exists() else []
    version, channel = DEFAULT_VERSION, "standard"
    for i, a in enumerate(args):
        flag, eq, val = a.partition("=")
        if flag in ("--gateway-api-version", "--channel"):
            value = val if eq else args[i + 1]
            if flag == "--channel":
                channel = value
            else:
                version = value
    return version, channel


@needs_crds
@pytest.mark.parametrize("name", CASES)
def test_golden_output_is_valid(name: str) -> None:
    case = GOLDEN / name
    version, channel = target(case)
    loaded = load_paths([str(case / "expected.yaml")])
    assert not loaded.problems
    objs = [o.data for o in loaded.objects]
    report = validate_objects(objs, version=version, channel=channel)
    assert report.errors == [], "\n".join(map(str, report.errors))
    assert report.not_evaluated == [], "\n".join(map(str, report.not_evaluated))
    # Gateway API objects are all checked, none skipped as unknown.
    gateway_api = [o for o in objs if str(o.get("apiVersion", "")).startswith("gateway.networking")]
    assert report.checked == len(gateway_api)


def test_there_are_golden_cases_to_validate() -> None:
    assert CASES
