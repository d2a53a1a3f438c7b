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


@pytest.fixture
def small_shares(monkeypatch: pytest.MonkeyPatch) -> None:
    """Work shared among forked workers even for a few items (see ing2gw.parallel)."""
    from ing2gw import parallel

    monkeypatch.setattr(parallel, "MIN_PER_WORKER", 2)
    monkeypatch.setattr(parallel, "STRIDE", 2)
    monkeypatch.setattr(parallel, "BATCH", 3)
    monkeypatch.setattr(parallel, "usable_cpus", lambda: 3)
