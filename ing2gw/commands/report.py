"""``ing2gw report``: the migration report (verdict per Ingress, outcome per annotation) in several formats."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import click

from ing2gw.api import convert
from ing2gw.commands.convert import convert_options, options_from
from ing2gw.errors import UsageError

FORMATS = ("text", "markdown", "json", "sarif", "github")


def register(group: click.Group, guard: Callable[..., Any]) -> None:
    @group.command("report")
    @click.argument("files", nargs=-1, type=click.Path())
    @click.option("-f", "--filename", "paths", multiple=True, metavar="FILE|DIR|-", help="Manifests (repeatable).")
    @click.option("--format", "fmt", default="text", show_default=True, type=click.Choice(FORMATS))
    @click.option("--output", "output", type=click.Path(dir_okay=False), help="Write the report here.")
    @click.option("--fail-on", default="never", show_default=True,
                  type=click.Choice(["blocked", "unsupported", "review", "never"]),
                  help="Exit 1 when an Ingress is blocked, anything is unsupported, or anything needs review.")
    @convert_options
    @guard
    def report_cmd(files: tuple[str, ...], paths: tuple[str, ...], fmt: str, output: str | None, fail_on: str,
                   **kw: Any) -> int:
        """Report what converting the manifests would carry over, per Ingress and annotation."""
        from ing2gw.api import report as build

        all_paths = list(paths) + list(files)
        if not all_paths:
            raise UsageError("give manifests with -f FILE|DIR|- or as arguments")
        options = options_from(kw)
        result = convert(all_paths, options, stdin=sys.stdin.buffer)
        rep = build(result)
        from ing2gw.report.render import RENDERERS, render_text, use_color, write_json

        result.objects = []  # the report has what it needs from them: memory for the rendering

        def render(write: Callable[[str], Any]) -> None:
            if fmt == "json":  # written as it is made: the JSON of 10,000 Ingresses is 70 MB
                write_json(rep, write)
            elif fmt == "text":
                write(render_text(rep, color=output is None and use_color(sys.stdout.isatty())))
            else:
                write(RENDERERS[fmt](rep))

        if output:
            with open(output, "w", encoding="utf-8") as fh:
                render(fh.write)
        else:
            render(sys.stdout.write)
        return fail_code(rep, fail_on, result.exit_code)


def fail_code(rep: Any, fail_on: str, convert_code: int) -> int:
    if convert_code == 2 and fail_on != "never":
        return 2
    verdicts = rep.verdicts
    outcomes = rep.totals.get("outcome", {})
    if fail_on == "blocked" and verdicts["blocked"]:
        return 1
    if fail_on == "unsupported" and (outcomes.get("unsupported") or outcomes.get("error")):
        return 1
    if fail_on == "review" and (verdicts["blocked"] or verdicts["review"]):
        return 1
    return 0
