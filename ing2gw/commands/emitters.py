"""``ing2gw emitters``: the installed emitters, their targets and what each consumes."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

import click


def register(group: click.Group, guard: Callable[..., Any]) -> None:
    @group.command("emitters")
    @click.option("-o", "--output", "fmt", default="text", show_default=True,
                  type=click.Choice(["text", "json", "markdown"]), help="markdown: the docs/emitters/ table.")
    @guard
    def emitters_cmd(fmt: str) -> int:
        """List the emitters, their target versions and the requirements each consumes."""
        from ing2gw import api

        if fmt == "json":
            sys.stdout.write(json.dumps(api.emitters_catalog(), indent=2) + "\n")
        else:
            sys.stdout.write(api.emitters_markdown() if fmt == "markdown" else api.emitters_text())
        return 0
