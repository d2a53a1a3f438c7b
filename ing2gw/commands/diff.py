"""``ing2gw diff``: what a change to Ingress manifests does to the generated Gateway API objects."""

from __future__ import annotations

import shlex
import sys
from collections.abc import Callable
from typing import Any

import click

from ing2gw.commands.convert import convert_options, options_from
from ing2gw.errors import UsageError
from ing2gw.jsontext import pretty_json


def register(group: click.Group, guard: Callable[..., Any]) -> None:
    @group.command("diff")
    @click.argument("sides", nargs=-1, type=click.Path())
    @click.option("-f", "--filename", "paths", multiple=True, metavar="FILE|DIR",
                  help="With --git-base or --against: the manifests to compare (default: .).")
    @click.option("--git-base", metavar="REF", help="Compare the manifests at this Git revision with the working tree.")
    @click.option("--against", metavar="DIR", type=click.Path(exists=True),
                  help="Compare committed Gateway API manifests in DIR with what convert generates now (drift).")
    @click.option("--format", "fmt", default="markdown", show_default=True,
                  type=click.Choice(["markdown", "json", "text"]))
    @click.option("--output", type=click.Path(dir_okay=False), help="Also write the full report (no length limit).")
    @click.option("--fail-on", default="never", show_default=True,
                  type=click.Choice(["blocked", "unsupported", "changes", "never"]),
                  help="Exit 1 on new blockers, on any new unsupported outcome, or on any change.")
    @convert_options
    @guard
    def diff_cmd(sides: tuple[str, ...], paths: tuple[str, ...], git_base: str | None, against: str | None, fmt: str,
                 output: str | None, fail_on: str, **kw: Any) -> int:
        """Diff the Gateway API output of two states: BASE HEAD, --git-base REF, or --against DIR."""
        from ing2gw.api import diff
        from ing2gw.report.diff import diff_json, render_markdown, render_text

        options = options_from(kw)
        if git_base or against:
            if sides:
                raise UsageError("give either BASE HEAD, or --git-base/--against with -f")
            head_paths = list(paths) or ["."]
            base_paths: list[str] = []
        else:
            if len(sides) != 2:
                raise UsageError("give two paths, BASE and HEAD (or use --git-base REF / --against DIR)")
            base_paths, head_paths = [sides[0]], [sides[1]]
        reproduce = shlex.join(["ing2gw", "diff", *sys.argv[2:]]) if len(sys.argv) > 1 else "ing2gw diff"
        d = diff(head_paths, options, base_paths=base_paths, git_base=git_base, against=against, reproduce=reproduce)
        if fmt == "json":
            text = pretty_json(diff_json(d)) + "\n"
        elif fmt == "text":
            text = render_text(d)
        else:
            text = render_markdown(d)
        sys.stdout.write(text)
        if output:
            full = render_markdown(d, limit=10**12) if fmt == "markdown" else text
            with open(output, "w", encoding="utf-8") as fh:
                fh.write(full)
        if fail_on == "changes" and (d.changes or d.new_problems):
            return 1
        if fail_on == "blocked" and d.new_blockers:
            return 1
        if fail_on == "unsupported" and any(e.outcome == "unsupported" for e in d.new_problems):
            return 1
        return 0
