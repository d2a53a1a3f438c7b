"""``ing2gw convert``: Gateway API YAML from Ingress manifests."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import click

from ing2gw.api import ConvertOptions, convert, convert_yaml
from ing2gw.core.versions import DEFAULT_VERSION, VERSIONS
from ing2gw.errors import UsageError
from ing2gw.jsontext import write_pretty_json
from ing2gw.report.summary import notifications_json, summary_text


def convert_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """The options shared by every command that converts (convert, export, report, diff)."""
    opts = [
        click.option("--gateway-api-version", default=DEFAULT_VERSION, show_default=True,
                     type=click.Choice(VERSIONS), help="Gateway API version to target."),
        click.option("--channel", default="standard", show_default=True,
                     type=click.Choice(["standard", "experimental"]), help="Gateway API release channel."),
        click.option("--gateway-mode", default="per-namespace", show_default=True,
                     type=click.Choice(["per-namespace", "shared"]),
                     help="One Gateway per namespace and class, or one shared Gateway (--gateway)."),
        click.option("--gateway", metavar="NAMESPACE/NAME", help="The shared Gateway every route attaches to."),
        click.option("--gateway-class", metavar="NAME", help="gatewayClassName of generated Gateways."),
        click.option("--gateway-controller", metavar="NAME",
                     help="Also emit a GatewayClass (--gateway-class) with this controllerName."),
        click.option("--provider", metavar="NAME", help="Use this provider for every Ingress."),
        click.option("--class-provider", "class_provider", multiple=True, metavar="CLASS=PROVIDER",
                     help="Provider for an ingress class without an IngressClass object (repeatable)."),
        click.option("--ingress-class", "ingress_class", multiple=True, metavar="CLASS",
                     help="Only convert Ingresses of this class (repeatable)."),
        click.option("--controller-config", "controller_config", multiple=True, metavar="[PROVIDER=]NAMESPACE/NAME",
                     help="The controller's global ConfigMap (in the input); with Ingresses of several "
                     "controllers, name whose it is: ingress-nginx=NS/NAME (repeatable, one per controller)."),
        click.option("--emitter", default="standard", show_default=True, help="Target emitter (see `ing2gw emitters`)."),
        click.option("--allow-snippets", is_flag=True, help="Let emitters carry nginx snippets (a security risk)."),
        click.option("--emitter-setting", "emitter_setting", multiple=True, metavar="KEY=VALUE",
                     help="A value a target emitter needs, e.g. istio.extAuthzProvider=NAME (repeatable)."),
        click.option("--strict", is_flag=True, help="Exit 1 when anything is not fully translated."),
        click.option("--namespace", "default_namespace", default="default", show_default=True,
                     help="Namespace of objects that name none."),
        click.option("--validate/--no-validate", "validate", default=None,
                     help="Check the output against the Gateway API CRDs (schema and CEL rules). "
                          "Default: on when CRDs are found (--crds, the cache, or shared/)."),
        click.option("--crds", "crds", multiple=True, type=click.Path(exists=True), metavar="PATH",
                     help="CRD files or directories to validate the output against (repeatable)."),
        click.option("--jobs", type=click.IntRange(1), metavar="N",
                     help="Processes that read a large file, and validate and write a large output. Default: "
                          "the CPUs this process may use, up to 8 (affinity and cgroup limit; Linux only)."),
        click.option("--max-input-size", "max_input_size", default=256, show_default=True, type=click.IntRange(1),
                     help="Largest input file, in MiB."),
    ]
    for o in reversed(opts):
        fn = o(fn)
    return fn


def output_options(fn: Callable[..., Any]) -> Callable[..., Any]:
    """-o, --output-dir, --split and --report: where a conversion goes (see :func:`write_result`)."""
    opts = [
        click.option("-o", "--output", "fmt", default="yaml", show_default=True, type=click.Choice(["yaml", "json"])),
        click.option("--output-dir", type=click.Path(file_okay=False), help="Write files here instead of stdout."),
        click.option("--split", default="namespace", show_default=True, type=click.Choice(["namespace", "object"]),
                     help="With --output-dir: one file per namespace or per object."),
        click.option("--report", "report_file", type=click.Path(dir_okay=False), help="Write every outcome as JSON."),
    ]
    for o in reversed(opts):
        fn = o(fn)
    return fn


def options_from(kw: dict[str, Any]) -> ConvertOptions:
    class_providers = {}
    for item in kw.pop("class_provider", ()):
        cls, sep, prov = item.partition("=")
        if not sep or not cls or not prov:
            raise UsageError(f"--class-provider must be CLASS=PROVIDER, not {item!r}")
        class_providers[cls] = prov
    controller_config = None
    controller_configs: dict[str, str] = {}
    for item in kw.pop("controller_config", ()):
        prov, sep, ref = item.partition("=")
        if not sep:
            if controller_config is not None and controller_config != item:
                raise UsageError(f"--controller-config given twice without a provider ({controller_config}, {item}): "
                                 "name whose each is, as PROVIDER=NAMESPACE/NAME")
            controller_config = item
        elif not prov or not ref:
            raise UsageError(f"--controller-config must be [PROVIDER=]NAMESPACE/NAME, not {item!r}")
        elif controller_configs.get(prov, ref) != ref:
            raise UsageError(f"--controller-config names two ConfigMaps for provider {prov!r}: "
                             f"{controller_configs[prov]} and {ref}")
        else:
            controller_configs[prov] = ref
    settings: dict[str, str] = {}
    for item in kw.pop("emitter_setting", ()):
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--emitter-setting must be KEY=VALUE, not {item!r}")
        settings[key.strip()] = value
    mode = kw.pop("gateway_mode")
    gateway = kw.pop("gateway")
    if gateway and mode == "per-namespace":
        mode = "shared"
    return ConvertOptions(
        gateway_api_version=kw.pop("gateway_api_version"), channel=kw.pop("channel"), gateway_mode=mode,
        gateway=gateway, gateway_class=kw.pop("gateway_class"), gateway_controller=kw.pop("gateway_controller"),
        provider=kw.pop("provider"), class_providers=class_providers,
        ingress_classes=tuple(kw.pop("ingress_class", ())), controller_config=controller_config,
        controller_configs=controller_configs,
        emitter=kw.pop("emitter"), emitter_settings=settings, allow_snippets=kw.pop("allow_snippets"),
        strict=kw.pop("strict"),
        default_namespace=kw.pop("default_namespace"), max_input_bytes=kw.pop("max_input_size") * 1024 * 1024,
        validate=kw.pop("validate", None), crds=tuple(kw.pop("crds", ())), jobs=kw.pop("jobs", None),
    )


def register(group: click.Group, guard: Callable[..., Any]) -> None:
    @group.command("convert")
    @click.option("-f", "--filename", "paths", multiple=True, required=True, metavar="FILE|DIR|-",
                  help="Manifests to read: a file, a directory (recursive) or - for stdin. Repeatable.")
    @output_options
    @click.option("-q", "--quiet", is_flag=True, help="No summary on stderr.")
    @convert_options
    @guard
    def convert_cmd(paths: tuple[str, ...], fmt: str, output_dir: str | None, split: str, report_file: str | None,
                    quiet: bool, **kw: Any) -> int:
        """Convert Ingress manifests to Gateway API."""
        options = options_from(kw)
        if fmt == "yaml" and not output_dir:
            # Objects are emitted, checked and written one by one, unless the summary's verify line needs
            # them all (up to VERIFY_SUMMARY_LIMIT Ingresses); the output is the same.
            result = convert_yaml(list(paths), options, stdin=sys.stdin.buffer,
                                  keep_objects=0 if quiet else VERIFY_SUMMARY_LIMIT)
        else:
            result = convert(list(paths), options, stdin=sys.stdin.buffer)
        return write_result(result, fmt=fmt, output_dir=output_dir, split=split, report_file=report_file,
                            quiet=quiet)


def write_result(result: Any, *, fmt: str, output_dir: str | None, split: str, report_file: str | None,
                 quiet: bool) -> int:
    """Print or write a conversion (and its JSON report and summary) as convert does; returns the exit code."""
    if output_dir:
        from ing2gw.output import write_dir

        written = write_dir(result.objects, output_dir, split=split, fmt=fmt)  # type: ignore[arg-type]
        if not quiet:
            click.echo(f"wrote {len(written)} file(s) to {output_dir}", err=True)
    elif result.documents is not None and fmt == "yaml":
        from ing2gw.output import joined

        sys.stdout.writelines(joined(result.documents))
        sys.stdout.flush()
    else:
        from ing2gw.output import write

        write(result.objects, sys.stdout, fmt, jobs=result.options.jobs)  # type: ignore[arg-type]
        sys.stdout.flush()
    if report_file:
        with open(report_file, "w", encoding="utf-8") as fh:
            write_pretty_json(notifications_json(result), fh.write)
            fh.write("\n")
    if not quiet:
        click.echo(summary_text(result, color=sys.stderr.isatty()), err=True, nl=False)
        click.echo(_verification_line(result), err=True)
        check = result.validation
        if check is not None and (check.skipped or check.not_evaluated):
            click.echo(f"validation: {check.checked} object(s) valid; not checked (no CRD given): "
                       f"{', '.join(check.skipped) or 'none'}; rules not evaluated: "
                       f"{len(check.not_evaluated)}", err=True)
    return int(result.exit_code)


VERIFY_SUMMARY_LIMIT = 2000  # keeps `convert` fast on large clusters; `ing2gw verify` has no limit


def _verification_line(result: Any) -> str:
    """One line: how the output's routes compare with the Ingress controller's on boundary probes."""
    from ing2gw.api import verify_result

    if len(result.ingresses) > VERIFY_SUMMARY_LIMIT:
        return (f"verify: not run for {len(result.ingresses)} Ingresses (the summary checks up to "
                f"{VERIFY_SUMMARY_LIMIT}); run `ing2gw verify` on the same input")
    try:
        report = verify_result(result, keep_same=False)
    except Exception as exc:  # noqa: BLE001 - a summary line must never fail the conversion
        return f"verify: skipped ({type(exc).__name__}: {exc}); run `ing2gw verify` for details"
    hint = "; run `ing2gw verify` for details" if report.differing or report.not_comparable else ""
    return report.summary() + hint
