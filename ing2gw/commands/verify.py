"""``ing2gw verify``: check, request by request, that Gateway API routes answer like the Ingress controller."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import click

from ing2gw.api import VerifyOptions, verify
from ing2gw.commands.convert import convert_options, options_from
from ing2gw.jsontext import write_pretty_json


def register(group: click.Group, guard: Callable[..., Any]) -> None:
    @group.command("verify")
    @click.option("-f", "--filename", "paths", multiple=True, required=True, metavar="FILE|DIR|-",
                  help="Ingress manifests (and Services, IngressClasses, ConfigMaps). Repeatable.")
    @click.option("--gateway-api", "gateway_api", multiple=True, metavar="FILE|DIR",
                  help="Gateway API manifests to check (default: convert the input first). Repeatable.")
    @click.option("--probe", "probe_files", multiple=True, metavar="FILE",
                  help="Extra requests: a YAML list of URLs or {url, method, headers, class, grpc}. Repeatable.")
    @click.option("-o", "--output", "fmt", default="text", show_default=True,
                  type=click.Choice(["text", "markdown", "json"]))
    @click.option("--all", "everything", is_flag=True, help="List every probe, not only those that are not the same.")
    @click.option("--regex-dialect", "regex", default="search", show_default=True, type=click.Choice(["search", "full"]),
                  help="How the Gateway implementation reads RegularExpression matches: as written (search) "
                  "or as a full match (RE2/Envoy).")
    @convert_options
    @guard
    def verify_cmd(paths: tuple[str, ...], gateway_api: tuple[str, ...], probe_files: tuple[str, ...], fmt: str,
                   everything: bool, regex: str, **kw: Any) -> int:
        """Simulate the Ingress controller and the Gateway API on boundary requests and compare.

        --strict exits 1 when any probe differs.
        """
        from ing2gw.verify.report import render_markdown, render_text, report_json

        options = options_from(kw)
        strict = options.strict
        options.strict = False
        result, report = verify(list(paths), options, VerifyOptions(gateway_api=gateway_api, probe_files=probe_files,
                                                                    regex=regex,  # type: ignore[arg-type]
                                                                    keep_same=everything),
                                stdin=sys.stdin.buffer)
        if fmt == "json":
            write_pretty_json(report_json(report, everything=everything), sys.stdout.write)
            sys.stdout.write("\n")
        elif fmt == "markdown":
            sys.stdout.write(render_markdown(report, everything=everything))
        else:
            sys.stdout.write(render_text(report, everything=everything, color=sys.stdout.isatty()))
        sys.stdout.flush()
        if result.errors:
            from ing2gw.report.summary import format_message

            for n in result.errors[:20]:
                click.echo(f"ing2gw: error: {format_message(n)}", err=True)
            return 2
        return 1 if strict and report.differing else 0
