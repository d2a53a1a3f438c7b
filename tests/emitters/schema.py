"""Emitted objects checked against the CRDs with ing2gw's validator (openAPIV3Schema of the served version
plus the CEL rules): target CRDs from ../shared/target-crds/, Gateway API CRDs of the chosen bundle."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import pytest

from ing2gw.validate import Validator, load_crd_set
from ing2gw.validate.crds import read_crd_files

SHARED = next((p for p in (Path(__file__).resolve().parents[2].parent / "shared", Path("/work/shared"))
               if p.is_dir()), None)


@functools.cache
def schemas(target_versions: tuple[str, ...], bundle: str, channel: str) -> Validator:
    if SHARED is None:
        pytest.skip("../shared (CRDs) not available")
    folders = [SHARED / "target-crds" / t for t in target_versions]
    crds = load_crd_set(folders, extra=read_crd_files([SHARED / "gateway-api" / bundle / channel]))
    assert crds is not None
    return Validator(crds)


def errors(obj: dict[str, Any], validator: Validator) -> list[str]:
    """Every finding, rules that could not be evaluated included (they would pass unchecked)."""
    findings, covered = validator.validate_one(obj)
    if not covered:
        return [f"{obj['apiVersion']} {obj['kind']} is not served by the CRDs checked"]
    return [f"{f.object}: {f.path}: {f.message}" for f in findings]
