"""``convert`` checks its own output: an emitted object the API server would refuse is a bug."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ing2gw.errors import InternalError, UsageError
from ing2gw.validate import ValidationReport, Validator
from ing2gw.validate.crds import load_crd_set, read_crd_files, target_crd_files

if TYPE_CHECKING:
    from ing2gw.api import ConvertOptions

MAX_LISTED = 20


def check_output(objects: list[dict[str, Any]], options: ConvertOptions) -> ValidationReport | None:
    """Validate emitted objects when CRDs are available (always when ``options.validate`` is True).
    Raises :class:`InternalError` naming every invalid object, field and rule."""
    crd_set = load_crd_set(options.crds, version=options.gateway_api_version, channel=options.channel,
                           extra=options.crd_objects)
    if crd_set is None:
        if options.validate:
            raise UsageError(f"--validate: no CRDs found for Gateway API {options.gateway_api_version} "
                             f"{options.channel}: give --crds PATH or fill the cache (see README)")
        return None
    report = Validator(crd_set).validate(objects)
    if report.skipped and not options.crds and not options.crd_objects:
        # Objects of implementation CRDs (target emitters): use shared/target-crds when it has them.
        groups = {str(o.get("apiVersion", "")).rpartition("/")[0] for o in objects}
        files = target_crd_files(g for g in groups if g and g not in crd_set.groups)
        if files:
            crd_set.add(read_crd_files(files), "shared target-crds")
            report = Validator(crd_set).validate(objects)
    errors = report.errors
    if errors:
        listed = "\n  ".join(str(f) for f in errors[:MAX_LISTED])
        more = f"\n  ... and {len(errors) - MAX_LISTED} more" if len(errors) > MAX_LISTED else ""
        raise InternalError(
            f"ing2gw emitted {len({f.object for f in errors})} object(s) that the API server would refuse "
            f"(Gateway API {options.gateway_api_version} {options.channel}, CRDs from "
            f"{'; '.join(crd_set.origin)}). This is a bug; please report it with the input. Nothing was "
            f"written.\n  {listed}{more}")
    return report
