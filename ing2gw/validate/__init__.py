"""Validation of Kubernetes objects against CRDs: the ``openAPIV3Schema`` of the served version (with
structural defaulting) and the ``x-kubernetes-validations`` CEL rules. See :mod:`.schema` for what is
checked, :mod:`.cel` for the CEL engine and the Kubernetes functions, :mod:`.crds` for CRD sources.

    >>> from ing2gw.validate import Validator, load_crd_set
    >>> v = Validator(load_crd_set(version="v1.5", channel="standard"))
    >>> report = v.validate(objects)
    >>> report.errors            # Findings: object, field path, message (the rule's own message)
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ing2gw.validate.crds import CRDSet, load_crd_set, read_crd_files
from ing2gw.validate.schema import Finding, validate_against


def object_label(obj: dict[str, Any]) -> str:
    """``HTTPRoute ns/name`` (or ``GatewayClass name`` when there is no namespace)."""
    raw = obj.get("metadata")
    meta: dict[str, Any] = raw if isinstance(raw, dict) else {}
    ns, name = meta.get("namespace"), meta.get("name") or "<no name>"
    return f"{obj.get('kind') or '<no kind>'} {ns}/{name}" if ns else f"{obj.get('kind') or '<no kind>'} {name}"


@dataclass(slots=True)
class ValidationReport:
    findings: list[Finding] = field(default_factory=list)
    checked: int = 0  # objects checked against a CRD
    skipped: list[str] = field(default_factory=list)  # objects outside the CRD set (core kinds, ...)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.is_error]

    @property
    def not_evaluated(self) -> list[Finding]:
        return [f for f in self.findings if not f.is_error]

    @property
    def ok(self) -> bool:
        return not self.errors

    def add(self, obj: dict[str, Any] | str, findings: list[Finding], covered: bool) -> None:
        """One object's result (``obj``: the object, or its label)."""
        if covered:
            self.checked += 1
            self.findings.extend(findings)
        else:
            self.skipped.append(obj if isinstance(obj, str) else object_label(obj))


class Validator:
    """Validates objects against one CRD set. Cheap to keep: CEL programs are compiled once per process."""

    def __init__(self, crds: CRDSet) -> None:
        self.crds = crds

    def validate_one(self, obj: dict[str, Any]) -> tuple[list[Finding], bool]:
        """(findings, whether the object belongs to this CRD set)."""
        label = object_label(obj)
        api_version, kind = obj.get("apiVersion"), obj.get("kind")
        if not isinstance(api_version, str) or not isinstance(kind, str):
            return [Finding(label, "", "apiVersion and kind are required")], True
        schema, why_not = self.crds.lookup(api_version, kind)
        if schema is None:
            if why_not is None:
                return [], False
            return [Finding(label, "", why_not)], True
        return validate_against(obj, schema, label), True

    def validate_each(self, objs: Sequence[dict[str, Any]], jobs: int | None) -> list[tuple[list[Finding], bool]]:
        """``validate_one`` of every object. The first object of each kind is checked here before any worker
        is forked, so the schema checks and CEL programs it builds are built once, not in every worker."""
        from ing2gw.parallel import map_shared

        return map_shared(self.validate_one, objs, jobs, warm_by=_kind_key)

    def validate(self, objects: Iterable[dict[str, Any]], jobs: int | None = 1) -> ValidationReport:
        """Validate every object; ``jobs``: processes to share the work (None: the usable CPUs; see
        :mod:`ing2gw.parallel`). The report is the same however the work is shared."""
        objs = objects if isinstance(objects, Sequence) else list(objects)
        report = ValidationReport()
        for obj, (findings, covered) in zip(objs, self.validate_each(objs, jobs), strict=True):
            report.add(obj, findings, covered)
        return report


def _kind_key(obj: dict[str, Any]) -> tuple[str, str] | None:
    api_version, kind = obj.get("apiVersion"), obj.get("kind")
    if isinstance(api_version, str) and isinstance(kind, str):  # others only get a finding
        return api_version, kind
    return None


def validate_objects(objs: Sequence[dict[str, Any]], crd_dirs: Iterable[str | os.PathLike[str]] = (), *,
                     version: str | None = "v1.5", channel: str = "standard") -> ValidationReport:
    """Validate objects against CRD files or folders (e.g. ``shared/target-crds/envoy-gateway/v1.9.0``)
    plus the Gateway API CRDs of ``version``/``channel``. Meant for tests of emitters::

        report = validate_objects(objs, [target_dir])
        assert report.ok, "\\n".join(map(str, report.errors))
    """
    crd_set = load_crd_set(crd_dirs, version=version, channel=channel)
    if crd_set is None:
        raise FileNotFoundError(f"no CRDs found (paths {list(crd_dirs)}, Gateway API {version} {channel})")
    return Validator(crd_set).validate(objs)


__all__ = ["CRDSet", "Finding", "ValidationReport", "Validator", "load_crd_set", "object_label",
           "read_crd_files", "validate_objects"]
