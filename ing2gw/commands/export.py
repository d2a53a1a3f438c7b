"""``ing2gw export``: read a running cluster (read-only) and convert what it holds, like ``convert``."""

from __future__ import annotations

import re
import shlex
import sys
from collections.abc import Callable
from typing import Any

import click

from ing2gw.commands.convert import convert_options, options_from, output_options, write_result
from ing2gw.errors import UsageError

# convert's flags that make no sense for a cluster: objects read from the API always name their namespace
# (so -n/--namespace here is kubectl's namespace to read), and there are no input files to limit.
_NOT_FOR_EXPORT = {"default_namespace", "max_input_size"}
_DURATION = re.compile(r"^(\d+(?:\.\d+)?)(ms|s|m|h)?$")


def export_convert_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """convert's options without those that only apply to files."""
    fn = convert_options(fn)
    params = getattr(fn, "__click_params__", [])
    params[:] = [p for p in params if p.name not in _NOT_FOR_EXPORT]
    helps = {"gateway_api_version": "Gateway API version to target (default: that of the cluster's Gateway API "
                                    "CRDs, else v1.5).",
             "channel": "Gateway API release channel (default: the installed one, else standard).",
             "controller_config": "The controller's global ConfigMap, read from the cluster (get)."}
    for p in params:
        if p.name in helps and isinstance(p, click.Option):
            p.help = helps[p.name]
            p.show_default = False
    return fn


def parse_duration(text: str) -> float | None:
    """kubectl's --request-timeout: ``30``, ``30s``, ``1m``, ``500ms``, ``1h``; 0 means no timeout."""
    m = _DURATION.match(text.strip())
    if not m:
        raise UsageError(f"--request-timeout must be a duration like 30s, 1m or 0 (no timeout), not {text!r}")
    seconds = float(m[1]) * {"ms": 0.001, "s": 1, "m": 60, "h": 3600, None: 1}[m[2]]
    return seconds or None


def reproduce_args(options: Any, snapshot: str) -> str:
    """The ``convert`` command line that reproduces this export from its snapshot."""
    from ing2gw.api import ConvertOptions

    d = ConvertOptions()
    args = ["ing2gw", "convert", "-f", snapshot, "--gateway-api-version", options.gateway_api_version,
            "--channel", options.channel]
    flags = [("gateway_mode", "--gateway-mode"), ("gateway", "--gateway"), ("gateway_class", "--gateway-class"),
             ("gateway_controller", "--gateway-controller"), ("provider", "--provider"),
             ("controller_config", "--controller-config"), ("emitter", "--emitter")]
    for attr, flag in flags:
        value = getattr(options, attr)
        if value != getattr(d, attr) and not (attr == "gateway_mode" and options.gateway):
            args += [flag, str(value)]
    for cls, prov in sorted(options.class_providers.items()):
        args += ["--class-provider", f"{cls}={prov}"]
    for prov, ref in sorted(options.controller_configs.items()):
        args += ["--controller-config", f"{prov}={ref}"]
    for cls in options.ingress_classes:
        args += ["--ingress-class", cls]
    args += [flag for attr, flag in (("allow_snippets", "--allow-snippets"), ("strict", "--strict"))
             if getattr(options, attr)]
    return shlex.join(args)


class _ProgressLine:
    """One self-overwriting status line on a terminal: ``reading ingresses: 1500/10000``."""

    def __init__(self) -> None:
        self.shown = False

    def __call__(self, what: str, done: int, total: int | None) -> None:
        sys.stderr.write(f"\r\x1b[Kreading {what}: {done}" + (f"/{total}" if total else "") + " ")
        sys.stderr.flush()
        self.shown = True

    def clear(self) -> None:
        if self.shown:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()


def register(group: click.Group, guard: Callable[..., Any]) -> None:
    @group.command("export")
    @click.option("--kubeconfig", metavar="PATH", help="Kubeconfig file (default: $KUBECONFIG, then ~/.kube/config).")
    @click.option("--context", metavar="NAME", help="Kubeconfig context (default: the current context).")
    @click.option("-n", "--namespace", "namespace", metavar="NS",
                  help="Namespace to read (default: the context's namespace, else default).")
    @click.option("-A", "--all-namespaces", is_flag=True, help="Read every namespace.")
    @click.option("-l", "--selector", metavar="SELECTOR", help="Only Ingresses with these labels (kubectl syntax).")
    @click.option("--request-timeout", default="30s", show_default=True, metavar="DURATION",
                  help="Per request: 30s, 1m, 0 for none.")
    @click.option("--chunk-size", default=500, show_default=True, type=click.IntRange(1),
                  help="Objects per page of a list request.")
    @click.option("--retries", default=5, show_default=True, type=click.IntRange(0),
                  help="Attempts after a 429, 5xx, timeout or dropped connection (exponential backoff).")
    @click.option("--retry-backoff", default=0.5, type=click.FloatRange(0), hidden=True)
    @click.option("--snapshot", metavar="DIR", type=click.Path(file_okay=False),
                  help="Also write the objects read as clean YAML that `convert -f DIR` reproduces.")
    @click.option("--check-access", is_flag=True,
                  help="First ask the API server (SelfSubjectAccessReview) which reads are allowed; stop if a "
                       "required one is not.")
    @click.option("--check-secrets", is_flag=True,
                  help="Warn about TLS Secrets that do not exist (lists Secret names only, metadata-only; needs "
                       "list on secrets).")
    @output_options
    @click.option("-q", "--quiet", is_flag=True, help="No progress and no summary on stderr (warnings still show).")
    @export_convert_options
    @guard
    def export_cmd(kubeconfig: str | None, context: str | None, namespace: str | None, all_namespaces: bool,
                   selector: str | None, request_timeout: str, chunk_size: int, retries: int, retry_backoff: float,
                   snapshot: str | None, check_access: bool, check_secrets: bool, fmt: str, output_dir: str | None,
                   split: str, report_file: str | None, quiet: bool, **kw: Any) -> int:
        """Read Ingresses and what they depend on from a cluster (read-only) and convert them."""
        from ing2gw import api
        from ing2gw.load.cluster import ClusterOptions

        if namespace and all_namespaces:
            raise UsageError("give -n NAMESPACE or -A, not both")
        ctx = click.get_current_context()
        version_from_cluster = ctx.get_parameter_source("gateway_api_version") is click.core.ParameterSource.DEFAULT
        channel_from_cluster = ctx.get_parameter_source("channel") is click.core.ParameterSource.DEFAULT
        kw["default_namespace"] = namespace or "default"
        kw["max_input_size"] = 256
        options = options_from(kw)
        progress = _ProgressLine() if not quiet and sys.stderr.isatty() else None
        cluster = ClusterOptions(kubeconfig=kubeconfig, context=context, namespace=namespace,
                                 all_namespaces=all_namespaces, selector=selector,
                                 request_timeout=parse_duration(request_timeout), page_size=chunk_size,
                                 retries=retries, backoff=retry_backoff, check_secrets=check_secrets,
                                 progress=progress)
        if snapshot:
            from ing2gw.load.cluster import check_snapshot_dir

            check_snapshot_dir(snapshot)
        if check_access:
            checks = api.check_cluster_access(cluster, api.controller_config_refs(options), options.gateway)
            from ing2gw.load.cluster import access_report

            click.echo("ing2gw: access check (SelfSubjectAccessReview, nothing is read or changed):", err=True)
            click.echo(access_report(checks), err=True, nl=False)
            if any(c.required and not c.allowed for c in checks):
                click.echo("ing2gw: error: a required read is not allowed; nothing was read", err=True)
                return 2
        try:
            exported = api.export(cluster, options, version_from_cluster=version_from_cluster,
                                  channel_from_cluster=channel_from_cluster)
        finally:
            if progress is not None:
                progress.clear()
        read = exported.read
        for warning in read.warnings:
            click.echo(f"ing2gw: warning: {warning}", err=True)
        if not quiet:
            for line in exported.info:
                click.echo(f"ing2gw: {line}", err=True)
        if snapshot:
            from ing2gw.load.cluster import write_snapshot

            written = write_snapshot(read, snapshot, reproduce_args(options, snapshot))
            if not quiet:
                click.echo(f"ing2gw: snapshot of {len(read.objects)} object(s) in {len(written)} file(s) in "
                           f"{snapshot}", err=True)
        return write_result(exported.conversion, fmt=fmt, output_dir=output_dir, split=split,
                            report_file=report_file, quiet=quiet)
