"""CLI commands, one module each. ``register`` attaches every module of this package that defines
``register(group, guard)`` to the ``ing2gw`` group, in name order, so adding a command is adding a file."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from typing import Any

import click


def register(group: click.Group, guard: Callable[..., Any]) -> None:
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        hook = getattr(module, "register", None)
        if hook is not None:
            hook(group, guard)
