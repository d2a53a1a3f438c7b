"""Finds providers and emitters through entry points, the same way for built-in and third-party ones."""

from __future__ import annotations

from functools import cache
from importlib.metadata import entry_points
from typing import Any

from ing2gw.errors import UsageError

PROVIDER_GROUP = "ing2gw.providers"
EMITTER_GROUP = "ing2gw.emitters"


@cache
def _load(group: str) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for ep in sorted(entry_points(group=group), key=lambda e: e.name):
        obj = ep.load()
        name = getattr(obj, "name", ep.name) or ep.name
        found[name] = obj
    return found


def providers() -> dict[str, Any]:
    """Every installed provider by name, sorted."""
    return dict(sorted(_load(PROVIDER_GROUP).items()))


def emitters() -> dict[str, Any]:
    return dict(sorted(_load(EMITTER_GROUP).items()))


def provider(name: str) -> Any:
    found = providers()
    if name not in found:
        raise UsageError(f"unknown provider {name!r}; installed: {', '.join(found) or 'none'}")
    return found[name]


def emitter(name: str) -> Any:
    found = emitters()
    if name not in found:
        raise UsageError(f"unknown emitter {name!r}; installed: {', '.join(found) or 'none'}")
    return found[name]
