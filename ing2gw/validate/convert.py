"""``convert`` checks its own output: an emitted object the API server would refuse is a bug."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ing2gw.core.versions import parse_version
from ing2gw.errors import InternalError, UsageError
from ing2gw.model import Notification, Outcome, Source
from ing2gw.validate import ValidationReport, Validator
from ing2gw.validate.crds import CRDSet, load_crd_set, read_crd_files, target_crd_files
from ing2gw.validate.features import feature_gaps

if TYPE_CHECKING:
    from ing2gw.api import ConvertOptions
    from ing2gw.load.raw import RawObject

MAX_LISTED = 20


def _check_target(crd_set: CRDSet, options: ConvertOptions) -> None:
    """CRDs given by the user (or read from a cluster) for another Gateway API version or a narrower
    channel than the target: that is a usage error, not an ing2gw bug."""
    bundle, channel = crd_set.bundle()
    if not bundle:
        return
    try:
        installed = parse_version(bundle)
    except ValueError:
        return
    target = parse_version(options.gateway_api_version)
    if installed != target or (channel == "standard" and options.channel == "experimental"):
        raise UsageError(f"the CRDs given ({'; '.join(crd_set.origin)}) are Gateway API {bundle} {channel}, but "
                         f"the target is {target} {options.channel}: pass --gateway-api-version {installed}"
                         f"{' --channel standard' if channel == 'standard' else ''}, or other CRDs")


def output_crds(options: ConvertOptions) -> CRDSet | None:
    """The CRDs a conversion's output is checked against, or None when none are found (a usage error
    when ``options.validate`` requires them, or when the CRDs given are for another target)."""
    crd_set = load_crd_set(options.crds, version=options.gateway_api_version, channel=options.channel,
                           extra=options.crd_objects)
    if crd_set is None:
        if options.validate:
            raise UsageError(f"--validate: no CRDs found for Gateway API {options.gateway_api_version} "
                             f"{options.channel}: give --crds PATH or fill the cache (see README)")
        return None
    if options.crds or options.crd_objects:
        _check_target(crd_set, options)
    return crd_set


def check_output(objects: list[dict[str, Any]], options: ConvertOptions) -> ValidationReport | None:
    """Validate emitted objects when CRDs are available (always when ``options.validate`` is True).
    Raises :class:`InternalError` naming every invalid object, field and rule."""
    crd_set = output_crds(options)
    if crd_set is None:
        return None
    report = Validator(crd_set).validate(objects, jobs=options.jobs)
    if report.skipped and not options.crds and not options.crd_objects:
        # Objects of implementation CRDs (target emitters): use shared/target-crds when it has them.
        groups = {str(o.get("apiVersion", "")).rpartition("/")[0] for o in objects}
        files = target_crd_files(g for g in groups if g and g not in crd_set.groups)
        if files:
            crd_set.add(read_crd_files(files), "shared target-crds")
            report = Validator(crd_set).validate(objects, jobs=options.jobs)
    refuse_invalid(report, crd_set, options)
    return report


def refuse_invalid(report: ValidationReport, crd_set: CRDSet, options: ConvertOptions) -> None:
    """Raise :class:`InternalError` naming every invalid object, field and rule of ``report``."""
    errors = report.errors
    if errors:
        listed = "\n  ".join(str(f) for f in errors[:MAX_LISTED])
        more = f"\n  ... and {len(errors) - MAX_LISTED} more" if len(errors) > MAX_LISTED else ""
        raise InternalError(
            f"ing2gw emitted {len({f.object for f in errors})} object(s) that the API server would refuse "
            f"(Gateway API {options.gateway_api_version} {options.channel}, CRDs from "
            f"{'; '.join(crd_set.origin)}). This is a bug; please report it with the input. Nothing was "
            f"written.\n  {listed}{more}")


def feature_notes(objects: Sequence[dict[str, Any]], raws: Sequence[RawObject]) -> list[Notification]:
    """One ``unsupported`` outcome per emitted object that needs conformance features which a GatewayClass
    of the input (with ``status.supportedFeatures``) does not list."""
    classes = {(r.data.get("metadata") or {}).get("name"): r for r in raws if r.data.get("kind") == "GatewayClass"}
    if not classes:
        return []
    notes = []
    for gap in feature_gaps(objects, [r.data for r in classes.values()]):
        raw = classes[gap.gateway_class]
        source = Source("GatewayClass", None, gap.gateway_class, file=raw.file, doc=raw.doc,
                        path_prefix=raw.path_prefix, field="status.supportedFeatures")
        notes.append(Notification(Outcome.UNSUPPORTED, "status.supportedFeatures",
                                  f"{gap.object} needs {', '.join(gap.missing)}, which GatewayClass "
                                  f"{gap.gateway_class} does not list as supported", source,
                                  features=gap.missing, emitted=(gap.object,)))
    return notes
