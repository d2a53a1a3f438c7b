"""``ing2gw explain ANNOTATION``: what an annotation becomes, for which Gateway API versions and channels."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import click


def register(group: click.Group, guard: Callable[..., Any]) -> None:
    @group.command("explain")
    @click.argument("annotation")
    @click.option("-o", "--output", "fmt", default="text", show_default=True, type=click.Choice(["text", "json"]))
    @guard
    def explain_cmd(annotation: str, fmt: str) -> int:
        """Explain ANNOTATION: a full key (nginx.ingress.kubernetes.io/rewrite-target) or a name after a
        provider's prefix (rewrite-target, for every provider that has it)."""
        from ing2gw.api import explain

        matches, suggestions = explain(annotation)
        if fmt == "json":
            click.echo(json.dumps({"annotation": annotation, "matches": [m.to_json() for m in matches],
                                   "suggestions": suggestions}, indent=2, ensure_ascii=False))
            return 0 if matches else 2
        if not matches:
            msg = f"ing2gw: no installed provider knows the annotation {annotation!r}"
            if suggestions:
                msg += "; did you mean: " + ", ".join(suggestions)
            click.echo(msg, err=True)
            return 2
        click.echo("\n".join(m.text() for m in matches), nl=False)
        return 0
