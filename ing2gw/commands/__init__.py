"""CLI commands, one module each. ``register`` attaches them to the ``ing2gw`` group."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click


def register(group: click.Group, guard: Callable[..., Any]) -> None:
    from ing2gw.commands import convert, emitters

    for module in (convert, emitters):
        module.register(group, guard)
