"""legacy.py: removed annotations are stated as inert, with their modern replacement."""

from __future__ import annotations

import pytest
from ing2gw_providers.ingress_nginx import REGISTRY
from ing2gw_providers.ingress_nginx.legacy import LEGACY

from ing2gw.model import Outcome


@pytest.mark.parametrize("key", sorted(LEGACY))
def test_legacy_key_is_inert_with_replacement(nginx, key):
    n = nginx({key: "true"}).note(key)
    assert n.outcome is Outcome.NOT_ROUTING
    assert "removed annotation" in n.message
    assert n.hint and LEGACY[key][1] in n.hint


def test_legacy_family_registered():
    assert {h.name for h in REGISTRY if h.family == "legacy"} == set(LEGACY)
    assert "enable-opentelemetry" in LEGACY["enable-opentracing"][1]
