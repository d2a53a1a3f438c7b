"""``ing2gw validate``: any manifests (also ones ing2gw did not write) against CRDs."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, BinaryIO

from ing2gw.core.versions import DEFAULT_VERSION
from ing2gw.errors import UsageError
from ing2gw.load.raw import RawObject
from ing2gw.model import Notification, Source
from ing2gw.validate import Finding, ValidationReport, Validator, object_label
from ing2gw.validate.crds import CRDSet, load_crd_set
from ing2gw.validate.features import FeatureGap, feature_gaps, required_features


@dataclass(slots=True)
class ValidateOptions:
    gateway_api_version: str = DEFAULT_VERSION
    channel: str = "standard"
    crds: tuple[str, ...] = ()  # CRD files or directories
    crd_objects: list[dict[str, Any]] = field(default_factory=list)  # CRDs read elsewhere (a cluster)
    gateway_classes: list[dict[str, Any]] = field(default_factory=list)  # e.g. from a cluster, with status
    max_input_bytes: int = 256 * 1024 * 1024
    jobs: int | None = None  # processes that share a large input (None: the usable CPUs)


@dataclass(slots=True)
class ValidateResult:
    report: ValidationReport
    crds: CRDSet
    problems: list[Notification]  # input that could not be read
    features: dict[str, list[str]]  # object label -> conformance features it needs
    gaps: list[FeatureGap]  # features a GatewayClass of the input does not list as supported
    files: int = 0
    where: dict[int, str] = field(default_factory=dict)  # id(finding) -> "file:line"

    def location(self, finding: Finding) -> str | None:
        """``file:line`` of a finding's field, when the object came from a file."""
        return self.where.get(id(finding))

    @property
    def exit_code(self) -> int:
        """2 unusable input, 1 an invalid object (or a feature its GatewayClass lacks), 0 valid."""
        if self.problems:
            return 2
        if self.report.errors or self.gaps:
            return 1
        return 0


def validate_objects_with(objects: Sequence[dict[str, Any] | RawObject], options: ValidateOptions) -> ValidateResult:
    """Validate objects (plain dicts, or ``RawObject`` from the loader: then findings carry file:line)."""
    crd_set = load_crd_set(options.crds, version=options.gateway_api_version, channel=options.channel,
                           extra=options.crd_objects)
    if crd_set is None:
        raise UsageError(f"no CRDs found for Gateway API {options.gateway_api_version} {options.channel}: "
                         "give --crds PATH or fill the cache (see README: Validation)")
    validator = Validator(crd_set)
    report = ValidationReport()
    where: dict[int, str] = {}
    raws = [item if isinstance(item, RawObject) else RawObject(item) for item in objects]
    dicts = [raw.data for raw in raws]
    for raw, (findings, covered) in zip(raws, validator.validate_each(dicts, options.jobs), strict=True):
        if not covered:
            report.skipped.append(object_label(raw.data))
            continue
        report.checked += 1
        for f in findings:
            if raw.file:
                where[id(f)] = _location(raw, f.path)
            report.findings.append(f)
    features = {object_label(o): required_features(o) for o in dicts if o.get("kind") != "GatewayClass"}
    gaps = feature_gaps(dicts, options.gateway_classes)
    return ValidateResult(report, crd_set, [], features, gaps, where=where)


def _location(raw: RawObject, path: str) -> str:
    from ing2gw.load.positions import resolve_line

    meta = raw.data.get("metadata") if isinstance(raw.data.get("metadata"), dict) else {}
    source = Source(str(raw.data.get("kind", "")), meta.get("namespace"), str(meta.get("name", "")),  # type: ignore[union-attr]
                    file=raw.file, doc=raw.doc, path_prefix=raw.path_prefix, field=path or None)
    line = resolve_line(source)
    return f"{raw.file}:{line}" if line else str(raw.file)


def validate_paths(paths: Sequence[str], options: ValidateOptions | None = None, *,
                   stdin: BinaryIO | None = None) -> ValidateResult:
    from ing2gw.load import load_paths

    options = options or ValidateOptions()
    loaded = load_paths(paths, max_bytes=options.max_input_bytes, stdin=stdin, jobs=options.jobs)
    result = validate_objects_with(loaded.objects, options)
    result.problems = list(loaded.problems)
    result.files = loaded.files
    return result
