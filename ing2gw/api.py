"""The library API: ``convert`` and friends as plain functions. The CLI is a thin layer over these.

    >>> from ing2gw.api import ConvertOptions, convert
    >>> result = convert(["ingresses/"], ConvertOptions(gateway_api_version="v1.5"))
    >>> print(result.render("yaml"))
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial, wraps
from typing import TYPE_CHECKING, Any, BinaryIO, Literal, ParamSpec, TypeVar

from ing2gw import __version__
from ing2gw.model import GatewayModel, Ingress, Notification, Outcome

if TYPE_CHECKING:
    from ing2gw.core.pipeline import Prepared
    from ing2gw.emitter import EmitOptions, EmitPart
    from ing2gw.load.objects import Inputs


@dataclass(slots=True)
class ConvertOptions:
    """Every option of ``ing2gw convert``; the CLI fills it from flags."""

    gateway_api_version: str = "v1.5"
    channel: Literal["standard", "experimental"] = "standard"
    gateway_mode: Literal["per-namespace", "shared"] = "per-namespace"
    gateway: str | None = None  # NAMESPACE/NAME of a shared Gateway
    gateway_class: str | None = None  # emit a GatewayClass with this name (and use it)
    gateway_controller: str | None = None  # controllerName of that GatewayClass
    provider: str | None = None  # force one provider for every Ingress
    class_providers: dict[str, str] = field(default_factory=dict)  # CLASS -> PROVIDER
    ingress_classes: tuple[str, ...] = ()  # only convert Ingresses of these classes
    controller_config: str | None = None  # NAMESPACE/NAME of the controller's ConfigMap
    # PROVIDER -> NAMESPACE/NAME: the ConfigMap of each controller, when Ingresses of several are converted
    controller_configs: dict[str, str] = field(default_factory=dict)
    emitter: str = "standard"
    allow_snippets: bool = False
    strict: bool = False
    default_namespace: str = "default"
    max_input_bytes: int = 256 * 1024 * 1024
    emitter_settings: dict[str, str] = field(default_factory=dict)
    # Validate the output against CRDs: None = when CRDs are found (--crds, crd_objects, the cache or
    # shared/), True = required, False = never. An invalid emitted object raises InternalError.
    validate: bool | None = None
    crds: tuple[str, ...] = ()  # --crds: CRD files or directories
    crd_objects: list[dict[str, Any]] = field(default_factory=list)  # CRDs read elsewhere (a cluster)
    jobs: int | None = None  # processes that read a large file, validate and write a large output (None: all CPUs)

    def controller_config_owners(self) -> list[tuple[str | None, str]]:
        """(provider, NAMESPACE/NAME) of every controller ConfigMap given: the one without a provider (None)
        first, then by provider."""
        unnamed: list[tuple[str | None, str]] = [(None, self.controller_config)] if self.controller_config else []
        return unnamed + sorted(self.controller_configs.items())


def controller_config_refs(options: ConvertOptions) -> list[str]:
    """Every controller ConfigMap the options name (NAMESPACE/NAME), once each, in that order."""
    return list(dict.fromkeys(ref for _, ref in options.controller_config_owners()))


@dataclass(slots=True)
class ConversionResult:
    """What ``convert`` produced. ``objects`` are ordered and ready to render."""

    objects: list[dict[str, Any]]
    notifications: list[Notification]
    ingresses: list[Ingress]
    model: GatewayModel | None  # None when the conversion was partitioned (convert_yaml of a large input)
    ignored: Counter[str]
    options: ConvertOptions
    files: int = 0
    # (namespace, name) of each converted Ingress -> (its class, the provider that served it)
    dispatch: dict[tuple[str, str], tuple[str | None, str]] = field(default_factory=dict)
    validation: Any = None  # ing2gw.validate.ValidationReport of the output, when it was validated
    inputs: Any = None  # the typed input (ing2gw.load.objects.Inputs), for verify
    # convert_yaml: the output as YAML documents ("---" first), in place of ``objects``; and their kinds
    documents: Sequence[str] | None = None  # read from a temporary file as it is used, for a large output
    document_kinds: Counter[str] | None = None

    @property
    def kinds(self) -> Counter[str]:
        """How many objects of each kind the output has."""
        if self.document_kinds is not None:
            return self.document_kinds
        return Counter(str(o.get("kind", "?")) for o in self.objects)

    @property
    def errors(self) -> list[Notification]:
        return [n for n in self.notifications if n.outcome is Outcome.ERROR]

    @property
    def problems(self) -> list[Notification]:
        return [n for n in self.notifications if n.outcome.is_problem]

    @property
    def exit_code(self) -> int:
        """2 when input was bad, 1 with --strict and anything not fully translated, else 0."""
        if self.errors:
            return 2
        if self.options.strict and self.problems:
            return 1
        return 0

    def render(self, fmt: Literal["yaml", "json"] = "yaml") -> str:
        from ing2gw.output import joined, render

        if self.documents is not None:
            if fmt != "yaml":
                raise ValueError("this output was rendered as YAML (convert_yaml); use convert for other formats")
            return "".join(joined(self.documents))
        return render(self.objects, fmt)


@contextmanager
def fewer_gc_pauses() -> Iterator[None]:
    """Run without the cyclic garbage collector, then restore it (reference counting still frees memory).

    A conversion makes millions of small objects that live until it ends and form no garbage cycles, so
    the collector's passes over them are pure cost, and a growing one: a third of the time for 10,000
    Ingresses, and full collections made 50,000 take 6.2x as long as 10,000 (bench/README.md). Peak memory
    is the same either way."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


_P = ParamSpec("_P")
_R = TypeVar("_R")


def _with_fewer_gc_pauses(fn: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run an API function under :func:`fewer_gc_pauses`: what it builds from a conversion (report entries,
    diffs, probes) is as large as the conversion, and with the collector on, building the report of 10,000
    Ingresses took 21.8 s instead of 3.4 s (the CLI runs every command so already)."""

    @wraps(fn)
    def run(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with fewer_gc_pauses():
            return fn(*args, **kwargs)

    return run


def convert(paths: Sequence[str], options: ConvertOptions | None = None, *, stdin: BinaryIO | None = None) -> ConversionResult:
    """Read manifests from ``paths`` (files, directories, ``-`` for stdin) and convert them."""
    return _convert_paths(paths, options, stdin, None)


def convert_yaml(paths: Sequence[str], options: ConvertOptions | None = None, *, stdin: BinaryIO | None = None,
                 keep_objects: int = 0) -> ConversionResult:
    """``convert``, for writing YAML: the output comes as ``result.documents`` (``result.render()`` joins
    them). With an emitter that offers ``emit_parts`` (the standard one does), each object is emitted,
    validated and rendered by itself, by several processes on a large output, and only its text is kept:
    the objects of a large output are never held as dicts all at once. ``result.objects`` is then empty.
    It is filled as by ``convert`` (and ``documents`` rendered from it) when the input has at most
    ``keep_objects`` Ingresses, when the emitter has no parts, or when the input has GatewayClasses (whose
    supported features are checked against every object). The text is the same either way. A large
    conversion may also be split by namespace among processes (:mod:`ing2gw.partitioned`); its
    ``result.model`` is then None (each process kept the model of its part)."""
    result = _convert_paths(paths, options, stdin, keep_objects)
    if result.documents is None:
        from ing2gw.output import render_yaml_document

        result.documents = [render_yaml_document(o) for o in result.objects]
    return result


def _convert_paths(paths: Sequence[str], options: ConvertOptions | None, stdin: BinaryIO | None,
                   keep_objects: int | None) -> ConversionResult:
    from ing2gw.load import Inputs, load_paths, parse_objects

    options = options or ConvertOptions()
    with fewer_gc_pauses():
        # The objects are parsed as they are read (while another process still reads a large file), and
        # each raw object is let go of once parsed.
        parsed = Inputs()
        loaded = load_paths(paths, max_bytes=options.max_input_bytes, stdin=stdin, jobs=options.jobs,
                            listener=partial(parse_objects, default_namespace=options.default_namespace, out=parsed),
                            keep=False)
        result = _convert([], options, consume=False, keep_objects=keep_objects, parsed=parsed)
    result.notifications[:0] = loaded.problems
    result.files = loaded.files
    return result


def convert_objects(raws: Sequence[Any], options: ConvertOptions | None = None) -> ConversionResult:
    """Convert raw Kubernetes objects (``RawObject`` or plain dicts), for example read from a cluster."""
    from ing2gw.load.raw import RawObject

    objs = [r if isinstance(r, RawObject) else RawObject(r) for r in raws]
    return _convert(objs, options or ConvertOptions(), consume=False)


def _convert(objs: list[Any], options: ConvertOptions, *, consume: bool,
             keep_objects: int | None = None, parsed: Inputs | None = None) -> ConversionResult:
    """``consume``: ``objs`` is ours, and is emptied once parsed, so that the raw input can be freed.
    ``keep_objects`` (not None): render part by part (see ``convert_yaml``) past that many Ingresses."""
    from ing2gw.core.pipeline import complete, emit_all, prepare

    with fewer_gc_pauses():
        prepared = prepare(objs, options, consume=consume, parsed=parsed)
        classes = [r for r in prepared.inputs.gateway_api if r.data.get("kind") == "GatewayClass"]
        emit_parts = getattr(prepared.emitter, "emit_parts", None)
        if (keep_objects is not None and emit_parts is not None and not classes
                and len(prepared.inputs.ingresses) > keep_objects):
            return _convert_rendered(prepared, emit_parts)
        result = emit_all(complete(prepared))
        # The validator (and its CEL engine, 0.1 s to import) is loaded only when it is used.
        if options.validate is not False:
            from ing2gw.validate.convert import check_output

            result.validation = check_output(result.objects, options)
            from ing2gw.validate.schema import forget_elements

            forget_elements()
        if classes:
            from ing2gw.validate.convert import feature_notes

            result.notifications.extend(feature_notes(result.objects, classes))
    return result


def _convert_rendered(prepared: Prepared, emit_parts: Callable[[GatewayModel, EmitOptions], list[EmitPart]]
                      ) -> ConversionResult:
    """Emit, validate and render part by part (``convert_yaml`` on a large output); a large conversion split
    by namespace among processes when it can be (:mod:`ing2gw.partitioned`)."""
    from ing2gw import partitioned
    from ing2gw.core.pipeline import complete, finish, planned
    from ing2gw.errors import working_on
    from ing2gw.rendering import render_parts

    options = prepared.options
    validator = crd_set = None
    if options.validate is not False:
        from ing2gw.validate import Validator
        from ing2gw.validate.convert import output_crds

        crd_set = output_crds(options)
        validator = Validator(crd_set) if crd_set is not None else None
    split = partitioned.render(prepared, validator)
    if split is not None:
        rendered, notes = split
        done = planned(prepared, None, notes)
    else:
        done = complete(prepared)
        assert done.model is not None  # converted whole
        working_on(f"the output of emitter {options.emitter}")
        rendered = render_parts(emit_parts(done.model, done.emit_options), validator, options.jobs)
    if validator is not None:
        from ing2gw.validate.schema import forget_elements

        forget_elements()  # memory the rest of the conversion can use
    if rendered.validation is not None and crd_set is not None:
        from ing2gw.validate.convert import refuse_invalid

        refuse_invalid(rendered.validation, crd_set, options)
    result = finish(done, rendered.emitted)
    result.documents, result.document_kinds, result.validation = (rendered.documents, rendered.kinds,
                                                                 rendered.validation)
    return result


@_with_fewer_gc_pauses
def validate(paths: Sequence[str], options: Any = None, *, stdin: BinaryIO | None = None) -> Any:
    """Validate Gateway API (and other CRD-backed) manifests against CRDs: schema, defaults, CEL rules,
    and the conformance features each object needs. ``options`` is
    :class:`ing2gw.validate.run.ValidateOptions`; returns :class:`ing2gw.validate.run.ValidateResult`."""
    from ing2gw.validate.run import validate_paths

    return validate_paths(paths, options, stdin=stdin)


@_with_fewer_gc_pauses
def report(result: ConversionResult) -> Any:
    """The migration report of a conversion (verdicts, outcomes, totals): :class:`ing2gw.report.build.Report`."""
    from ing2gw.report.build import build_report

    return build_report(result)


@_with_fewer_gc_pauses
def diff(head_paths: Sequence[str], options: ConvertOptions | None = None, *, base_paths: Sequence[str] = (),
         git_base: str | None = None, against: str | None = None, reproduce: str = "") -> Any:
    """Compare what two states of the manifests convert to: ``base_paths`` vs ``head_paths``, or the
    manifests at Git revision ``git_base`` vs the working tree, or (``against``) the Gateway API manifests
    committed in a directory vs what ``convert`` generates now. Returns :class:`ing2gw.report.diff.DiffResult`."""
    from ing2gw.load import load_paths
    from ing2gw.parallel import Background, in_background, signals_held
    from ing2gw.report.build import build_report
    from ing2gw.report.diff import diff_reports

    options = options or ConvertOptions()
    opts = {"gateway-api-version": options.gateway_api_version, "channel": options.channel,
            "emitter": options.emitter}
    if against is not None:
        head = convert(head_paths, options)
        committed = [o.data for o in load_paths([against]).objects]
        kinds = {o.get("kind") for o in head.objects}
        committed = [o for o in committed if o.get("kind") in kinds or str(o.get("apiVersion", "")).startswith(
            "gateway.networking.k8s.io/")]
        d = diff_reports(committed, head.objects, None, None, base_label=against,
                         head_label=" ".join(head_paths), options=opts, reproduce=reproduce)
        d.verification = _verification_summary(head)
        return d
    # The base is converted by a forked worker (when a second CPU is usable) while this process converts the
    # head: the two are independent, and each is as large as the other.
    base_side: Background | None = None
    try:
        with signals_held():
            base_side = in_background(partial(_diff_base, head_paths, options, base_paths, git_base), options.jobs)
        head = convert(head_paths, options)
        head_report = build_report(head)
        base_objects, base_report = base_side.result()
    except BaseException:
        if base_side is not None:
            base_side.cancel()
        raise
    base_label = git_base if git_base is not None else " ".join(base_paths)
    d = diff_reports(base_objects, head.objects, base_report, head_report, base_label=base_label,
                     head_label=" ".join(head_paths), options=opts, reproduce=reproduce)
    d.verification = _verification_summary(head)
    return d


def _diff_base(head_paths: Sequence[str], options: ConvertOptions, base_paths: Sequence[str],
               git_base: str | None) -> tuple[list[dict[str, Any]], Any]:
    """The base side of ``diff``: its objects and report (what the comparison needs, and all it sends back)."""
    from ing2gw.report.build import build_report

    if git_base is not None:
        from ing2gw.load.git import load_revision

        loaded = load_revision(git_base, head_paths)
        base = convert_objects(loaded.objects, options)
        base.notifications[:0] = loaded.problems
    else:
        base = convert(base_paths, options)
    return base.objects, build_report(base)


VERIFY_IN_DIFF_LIMIT = 2000  # Ingresses; past this, `ing2gw verify` is the tool


def _verification_summary(result: ConversionResult) -> str | None:
    """The head's verification as one line for the diff report, or None when it was not run."""
    if len(result.ingresses) > VERIFY_IN_DIFF_LIMIT:
        return None
    try:
        return str(verify_result(result, keep_same=False).summary())
    except Exception as exc:  # noqa: BLE001 - a summary line must never fail the diff
        return f"verify: skipped ({type(exc).__name__}: {exc})"


@_with_fewer_gc_pauses
def export(cluster: Any = None, options: ConvertOptions | None = None, *, version_from_cluster: bool = True,
           channel_from_cluster: bool = True) -> Any:
    """Read a running cluster, read-only (``cluster``: :class:`ing2gw.load.cluster.ClusterOptions`: kubeconfig,
    context, namespace, selector, ...) and convert what was read. With ``version_from_cluster`` and
    ``channel_from_cluster`` the target follows the cluster's Gateway API CRDs. Returns
    :class:`ing2gw.load.cluster.ExportResult` (``.conversion`` is a :class:`ConversionResult`)."""
    from ing2gw.load.cluster import ClusterOptions
    from ing2gw.load.cluster import export as _export

    return _export(cluster or ClusterOptions(), options or ConvertOptions(), version_from_cluster=version_from_cluster,
                   channel_from_cluster=channel_from_cluster)


def check_cluster_access(cluster: Any = None, controller_config: str | Sequence[str] | None = None,
                         gateway: str | None = None) -> list[Any]:
    """Which of ``export``'s reads the current user may do, asked with SelfSubjectAccessReviews (which change
    nothing in the cluster). Returns :class:`ing2gw.load.cluster.AccessCheck` items."""
    from ing2gw.load.cluster import ClusterOptions, check_access, connect

    cluster = cluster or ClusterOptions()
    client = connect(cluster)
    try:
        return check_access(client, cluster, controller_config, gateway)
    finally:
        client.close()


def providers() -> Any:
    """Every installed provider with its controllers and coverage: ``list[ing2gw.report.providers.ProviderInfo]``."""
    from ing2gw.report.providers import providers_info

    return providers_info()


def explain(key: str) -> Any:
    """What an annotation becomes: ``(matches, suggestions)``, matches being
    :class:`ing2gw.report.providers.Explanation` (one per provider that knows the key)."""
    from ing2gw.report.providers import explain as find

    return find(key)


def write_docs(output: str) -> Any:
    """Write the generated provider reference (``providers/*.md``) and the target-emitter table
    (``emitters/README.md``) under ``output``; return the paths."""
    from pathlib import Path

    from ing2gw.emitters.catalog import markdown
    from ing2gw.report.docs import write_docs as write
    from ing2gw.report.providers import installed

    written = write(output, installed())
    page = Path(output) / "emitters" / "README.md"
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(markdown(), encoding="utf-8")
    return [*written, page]


def emitters_catalog() -> list[dict[str, Any]]:
    """Every installed emitter: name, target versions, controllerName, kinds, settings, consumed features."""
    from ing2gw.emitters.catalog import catalog

    return catalog()


def emitters_text() -> str:
    from ing2gw.emitters.catalog import text

    return text()


def emitters_markdown() -> str:
    """The generated docs/emitters/README.md."""
    from ing2gw.emitters.catalog import markdown

    return markdown()



@dataclass(slots=True)
class VerifyOptions:
    """Options of ``ing2gw verify`` beyond the conversion's own."""

    gateway_api: tuple[str, ...] = ()  # Gateway API manifests to check; empty: convert's own output
    probe_files: tuple[str, ...] = ()  # YAML lists of extra requests
    regex: Literal["search", "full"] = "search"  # how the Gateway implementation reads RegularExpression
    # keep the probes that answered the same in the report's results (False: count them only, which is all
    # a summary or a list of differences needs; most probes answer the same)
    keep_same: bool = True


@_with_fewer_gc_pauses
def verify(paths: Sequence[str], options: ConvertOptions | None = None, verify_options: VerifyOptions | None = None,
           *, stdin: BinaryIO | None = None) -> tuple[ConversionResult, Any]:
    """Convert ``paths`` and check, probe by probe, that the Gateway API objects (the conversion's or
    ``verify_options.gateway_api``) route like the Ingress controllers did. Returns the conversion and
    the :class:`ing2gw.verify.run.VerifyReport`."""
    from ing2gw.load import load_paths
    from ing2gw.verify.probes import load_probes

    vo = verify_options or VerifyOptions()
    result = convert(paths, options, stdin=stdin)
    objects = result.objects
    if vo.gateway_api:
        loaded = load_paths(vo.gateway_api, max_bytes=result.options.max_input_bytes)
        result.notifications.extend(loaded.problems)
        objects = [o.data for o in loaded.objects]
    extra = [p for f in vo.probe_files for p in load_probes(f)]
    return result, verify_result(result, objects, extra_probes=extra, regex=vo.regex, keep_same=vo.keep_same)


@_with_fewer_gc_pauses
def verify_result(result: ConversionResult, objects: Sequence[dict[str, Any]] | None = None, *,
                  extra_probes: Sequence[Any] = (), regex: Literal["search", "full"] = "search",
                  keep_same: bool = True) -> Any:
    """Verify a conversion (its own output unless ``objects`` is given). ``keep_same`` as in
    :class:`VerifyOptions`."""
    from ing2gw.verify.run import run_verify

    inputs = result.inputs
    existing = [r.data for r in inputs.gateway_api] if inputs is not None else []
    gw_objects = [*existing, *(result.objects if objects is None else objects)]
    return run_verify(inputs, gw_objects, result.options, result.notifications, extra_probes=extra_probes,
                      regex=regex, keep_same=keep_same)


__all__ = ["ConversionResult", "ConvertOptions", "VerifyOptions", "__version__", "check_cluster_access", "convert",
           "convert_objects", "convert_yaml", "diff", "explain", "export", "providers", "report", "validate", "verify", "verify_result",
           "write_docs", "emitters_catalog", "emitters_markdown", "emitters_text"]
