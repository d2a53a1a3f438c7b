"""Shared test helpers: paths to testdata/ and to the Gateway API CRDs in ../shared/."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TESTDATA = ROOT / "testdata"
SHARED = ROOT.parent / "shared"


@pytest.fixture
def testdata() -> Path:
    return TESTDATA
