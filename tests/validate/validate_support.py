"""Helpers for the validation tests: the shared Gateway API CRDs (../shared, falling back to /work/shared)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHARED_CANDIDATES = (ROOT.parent / "shared", Path("/work/shared"))
SHARED = next((p for p in SHARED_CANDIDATES if (p / "gateway-api").is_dir()), SHARED_CANDIDATES[0])
GATEWAY_API = SHARED / "gateway-api"
TARGET_CRDS = SHARED / "target-crds"
VALIDATE_DATA = ROOT / "testdata" / "validate"

needs_crds = pytest.mark.skipif(not GATEWAY_API.is_dir(), reason="shared Gateway API CRDs not found")
