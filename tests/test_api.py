"""Library-level behaviour of ing2gw.api that the CLI tests do not show."""

from __future__ import annotations

import gc

import pytest

from ing2gw import api


def test_fewer_gc_pauses_raises_the_threshold_and_restores_it_even_on_error() -> None:
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), api.fewer_gc_pauses():
        assert gc.get_threshold()[0] >= 50_000
        assert gc.get_threshold()[1:] == before[1:]
        raise RuntimeError
    assert gc.get_threshold() == before
