"""``ing2gw docs --output DIR``: the provider reference in Markdown, generated from the registries."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click


def register(group: click.Group, guard: Callable[..., Any]) -> None:
    @group.command("docs")
    @click.option("--output", "output", default="docs", show_default=True, type=click.Path(file_okay=False),
                  help="Folder to write providers/*.md into.")
    @guard
    def docs_cmd(output: str) -> int:
        """Write docs/providers/README.md and one page per provider, generated from the registries."""
        from ing2gw.api import write_docs

        written = write_docs(output)
        click.echo(f"wrote {len(written)} file(s) under {output}", err=True)
        return 0
