"""``ing2gw providers``: installed providers, their controller strings and their annotation coverage."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import click


def register(group: click.Group, guard: Callable[..., Any]) -> None:
    @group.command("providers")
    @click.option("-o", "--output", "fmt", default="text", show_default=True, type=click.Choice(["text", "json"]))
    @guard
    def providers_cmd(fmt: str) -> int:
        """List providers: controllers, class names, annotations known and what becomes of them."""
        from ing2gw.api import providers
        from ing2gw.report.providers import providers_table

        infos = providers()
        if fmt == "json":
            click.echo(json.dumps({"providers": [i.to_json() for i in infos]}, indent=2, ensure_ascii=False))
        else:
            click.echo(providers_table(infos), nl=False)
        return 0
