"""``ing2gw validate``: check Gateway API manifests against the CRDs of a version and channel."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any

import click

from ing2gw.core.versions import DEFAULT_VERSION, VERSIONS


def register(group: click.Group, guard: Callable[..., Any]) -> None:
    @group.command("validate")
    @click.option("-f", "--filename", "paths", multiple=True, required=True, metavar="FILE|DIR|-",
                  help="Manifests to check: a file, a directory (recursive) or - for stdin. Repeatable.")
    @click.option("--gateway-api-version", default=DEFAULT_VERSION, show_default=True, type=click.Choice(VERSIONS),
                  help="Gateway API version whose CRDs to use (when --crds does not give Gateway API CRDs).")
    @click.option("--channel", default="standard", show_default=True, type=click.Choice(["standard", "experimental"]))
    @click.option("--crds", "crds", multiple=True, type=click.Path(exists=True), metavar="PATH",
                  help="CRD files or directories (e.g. standard-install.yaml, implementation CRDs). Repeatable.")
    @click.option("--features", "show_features", is_flag=True,
                  help="Also list the conformance features each object needs.")
    @click.option("-o", "--output", "fmt", default="text", show_default=True, type=click.Choice(["text", "json"]))
    @click.option("--max-input-size", "max_input_size", default=256, show_default=True, type=click.IntRange(1),
                  help="Largest input file, in MiB.")
    @click.option("--jobs", type=click.IntRange(1), metavar="N",
                  help="Processes that share a large input. Default: the CPUs this process may use, up to 8 "
                       "(affinity and cgroup limit; Linux only).")
    @guard
    def validate_cmd(paths: tuple[str, ...], gateway_api_version: str, channel: str, crds: tuple[str, ...],
                     show_features: bool, fmt: str, max_input_size: int, jobs: int | None) -> int:
        """Validate manifests against CRDs: schema, defaults and CEL rules (exit 0 valid, 1 invalid, 2 bad input)."""
        from ing2gw.api import validate
        from ing2gw.report.summary import clean, format_message
        from ing2gw.validate.run import ValidateOptions

        options = ValidateOptions(gateway_api_version=gateway_api_version, channel=channel, crds=crds,
                                  max_input_bytes=max_input_size * 1024 * 1024, jobs=jobs)
        result = validate(list(paths), options, stdin=sys.stdin.buffer)
        rep = result.report
        if fmt == "json":
            data = {
                "crds": result.crds.origin, "checked": rep.checked, "skipped": rep.skipped,
                "input_problems": [format_message(n) for n in result.problems],
                "findings": [{"object": f.object, "path": f.path, "kind": f.kind, "message": f.message,
                              "rule": f.rule, "location": result.location(f)} for f in rep.findings],
                "features": result.features,
                "unsupported_features": [{"object": g.object, "gatewayClass": g.gateway_class,
                                          "features": list(g.missing)} for g in result.gaps],
                "exit_code": result.exit_code,
            }
            click.echo(json.dumps(data, indent=2, ensure_ascii=False))
            return result.exit_code
        for n in result.problems:
            click.echo(f"error: {format_message(n)}", err=True)
        for f in rep.findings:
            loc = result.location(f)
            click.echo(clean(f"{loc}: {f}" if loc else str(f)))
        for g in result.gaps:
            click.echo(clean(f"unsupported: {g}"))
        if show_features:
            for label, feats in result.features.items():
                click.echo(clean(f"{label}: needs {', '.join(feats) or 'nothing beyond core'}"))
        bundle, ch = result.crds.bundle()
        against = f"Gateway API {bundle} {ch}" if bundle else "; ".join(result.crds.origin)
        summary = (f"ing2gw: {rep.checked} object(s) checked against {against}: {len(rep.errors)} problem(s)"
                   f", {len({f.object for f in rep.errors})} invalid object(s)")
        if rep.not_evaluated:
            summary += f", {len(rep.not_evaluated)} rule(s) NOT evaluated (listed above)"
        if rep.skipped:
            summary += f"; {len(rep.skipped)} object(s) outside these CRDs not checked ({', '.join(rep.skipped[:5])}"
            summary += ", ...)" if len(rep.skipped) > 5 else ")"
        if result.gaps:
            summary += f"; {len(result.gaps)} object(s) need features their GatewayClass does not list"
        click.echo(clean(summary), err=True)
        return result.exit_code
