"""Where CRDs come from, and the set of CRDs an object is checked against.

Sources, in the order ``ing2gw`` looks for them:

1. ``--crds PATH`` (repeatable): CRD files or directories, multi-document YAML such as the official
   ``standard-install.yaml``; anything that is not a CustomResourceDefinition is ignored.
2. CRDs read from a cluster: any code that has CRD dicts calls :meth:`CRDSet.from_dicts`.
3. The user cache ``$ING2GW_CACHE_DIR/crds/<bundle>/<channel>/`` (default ``~/.cache/ing2gw``, or
   ``$XDG_CACHE_HOME/ing2gw``), for example ``~/.cache/ing2gw/crds/v1.5.1/standard/``.
4. A ``shared/gateway-api/<bundle>/<channel>/`` folder beside or above the project (``$ING2GW_SHARED_DIR``
   overrides it): this is what tests and CI use.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ing2gw.core.versions import BUNDLES, parse_version
from ing2gw.errors import InputError

try:
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader


@dataclass(slots=True)
class CRDSet:
    """CRDs indexed by group and kind. ``origin`` says where they came from (for messages)."""

    crds: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    origin: list[str] = field(default_factory=list)

    @classmethod
    def from_dicts(cls, crds: Iterable[dict[str, Any]], origin: str = "given CRDs") -> CRDSet:
        """CRD objects as dicts, from any source (files, a cluster, a snapshot)."""
        out = cls()
        out.add(crds, origin)
        return out

    def add(self, crds: Iterable[dict[str, Any]], origin: str) -> int:
        n = 0
        for d in crds:
            if not isinstance(d, dict) or d.get("kind") != "CustomResourceDefinition":
                continue
            spec = d.get("spec") or {}
            group, kind = spec.get("group"), (spec.get("names") or {}).get("kind")
            if group and kind:
                self.crds[(group, kind)] = d
                n += 1
        if n:
            self.origin.append(origin)
        return n

    def __len__(self) -> int:
        return len(self.crds)

    @property
    def groups(self) -> frozenset[str]:
        return frozenset(g for g, _ in self.crds)

    def lookup(self, api_version: str, kind: str) -> tuple[dict[str, Any] | None, str | None]:
        """(the served version's openAPIV3Schema, None), or (None, why not). Why-not is None too when the
        group is not covered at all (the object is then outside this CRD set)."""
        group, _, version = api_version.rpartition("/")
        crd = self.crds.get((group, kind))
        if crd is None:
            if group in self.groups:
                return None, f"kind {kind} does not exist in group {group} of these CRDs"
            return None, None
        versions = crd["spec"].get("versions") or []
        for v in versions:
            if v.get("name") == version:
                if not v.get("served", True):
                    return None, f"{api_version} {kind} is not served by these CRDs"
                schema = (v.get("schema") or {}).get("openAPIV3Schema")
                if schema is None:
                    return None, f"{api_version} {kind} has no schema in these CRDs"
                return schema, None
        served = ", ".join(f"{group}/{v.get('name')}" for v in versions if v.get("served", True))
        return None, f"{api_version} {kind} is not served by these CRDs (served: {served})"

    def bundle(self) -> tuple[str | None, str | None]:
        """The Gateway API bundle version and channel these CRDs announce, when they do."""
        for (group, _), crd in sorted(self.crds.items()):
            if group.startswith("gateway.networking"):
                ann = (crd.get("metadata") or {}).get("annotations") or {}
                return ann.get("gateway.networking.k8s.io/bundle-version"), ann.get("gateway.networking.k8s.io/channel")
        return None, None


_FILE_CACHE: dict[tuple[str, int, int], list[dict[str, Any]]] = {}


def read_crd_files(paths: Iterable[str | os.PathLike[str]]) -> list[dict[str, Any]]:
    """Every CRD document in these files and directories (recursively, ``.yaml``/``.yml``/``.json``).
    Parsed files are kept for the life of the process (keyed by path, size and mtime): treat as read-only."""
    out: list[dict[str, Any]] = []
    for p in paths:
        path = Path(p)
        if path.is_dir():
            files = sorted(f for f in path.rglob("*") if f.suffix in (".yaml", ".yml", ".json") and f.is_file())
        elif path.is_file():
            files = [path]
        else:
            raise InputError(f"--crds {p}: no such file or directory")
        for f in files:
            for d in _read_one(f):
                if isinstance(d, dict) and d.get("kind") == "List":
                    out.extend(i for i in d.get("items") or [] if isinstance(i, dict))
                elif isinstance(d, dict):
                    out.append(d)
    return out


def _read_one(f: Path) -> list[dict[str, Any]]:
    try:
        st = f.stat()
        key = (str(f.resolve()), st.st_size, st.st_mtime_ns)
        if key not in _FILE_CACHE:
            with open(f, "rb") as fh:
                _FILE_CACHE[key] = [d for d in yaml.load_all(fh, Loader=_Loader) if isinstance(d, dict)]
        return _FILE_CACHE[key]
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"--crds {f}: cannot read CRDs: {str(exc).splitlines()[0]}") from exc


def cache_dir() -> Path:
    """The user's CRD cache: ``$ING2GW_CACHE_DIR/crds``, else ``$XDG_CACHE_HOME/ing2gw/crds``, else
    ``~/.cache/ing2gw/crds``."""
    base = os.environ.get("ING2GW_CACHE_DIR")
    if base:
        return Path(base) / "crds"
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "ing2gw" / "crds"


def shared_dirs() -> list[Path]:
    """Candidate ``shared/gateway-api`` folders: $ING2GW_SHARED_DIR, then ``../shared`` of the project."""
    out = []
    env = os.environ.get("ING2GW_SHARED_DIR")
    if env:
        out.append(Path(env) / "gateway-api")
    here = Path(__file__).resolve()
    out.extend(parent / "shared" / "gateway-api" for parent in here.parents[2:4])
    out.append(Path("/work/shared/gateway-api"))
    return out


def gateway_api_dir(version: str, channel: str) -> Path | None:
    """The folder of Gateway API CRDs for a version and channel: the user cache, then shared/."""
    bundle = BUNDLES[parse_version(version)]
    for base in (cache_dir(), *shared_dirs()):
        d = base / bundle / channel
        if d.is_dir() and any(d.glob("*.yaml")):
            return d
    return None


def target_crds_dir() -> Path | None:
    """``shared/target-crds`` (implementation CRDs), when present."""
    for d in shared_dirs():
        t = d.parent / "target-crds"
        if t.is_dir():
            return t
    return None


def target_crd_files(groups: Iterable[str]) -> list[Path]:
    """CRD files of these API groups in ``shared/target-crds`` (files are named ``<group>_<plural>.yaml``);
    for an implementation with several version folders, the newest (``main-*`` counts as newest)."""
    base = target_crds_dir()
    if base is None:
        return []
    out: list[Path] = []
    for group in sorted(set(groups)):
        by_impl: dict[Path, list[Path]] = {}
        for f in base.glob(f"*/*/{group}_*.yaml"):
            by_impl.setdefault(f.parent.parent, []).append(f)
        for files in by_impl.values():
            newest = max({f.parent for f in files}, key=lambda d: (d.name.startswith("main-"), d.name))
            out.extend(sorted(f for f in files if f.parent == newest))
    return out


def load_crd_set(paths: Iterable[str | os.PathLike[str]] = (), *, version: str | None = None,
                 channel: str = "standard", extra: Iterable[dict[str, Any]] = ()) -> CRDSet | None:
    """The CRDs to validate against: ``paths`` and ``extra`` (CRD dicts, e.g. from a cluster) when given,
    otherwise the Gateway API CRDs of ``version``/``channel`` from the cache or shared folder.
    None when there are none."""
    crd_set = CRDSet()
    paths = list(paths)
    if paths:
        crd_set.add(read_crd_files(paths), ", ".join(str(p) for p in paths))
    extra = list(extra)
    if extra:
        crd_set.add(extra, "cluster")
    if version and not any(g.startswith("gateway.networking.") for g in crd_set.groups):
        d = gateway_api_dir(version, channel)
        if d is not None:
            crd_set.add(read_crd_files([d]), str(d))
    return crd_set if len(crd_set) else None
