"""Writes emitted objects: YAML (default) or JSON ``v1 List``, to stdout or one file per namespace/object.

Objects arrive as dicts whose keys are already in the order people expect (apiVersion, kind, metadata,
spec); nothing here reorders them, so output is byte-identical from run to run.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path
from typing import Any, Literal

import yaml

try:
    _Dumper: Any = yaml.CSafeDumper
except AttributeError:  # pragma: no cover
    _Dumper = yaml.SafeDumper


def _str_presenter(dumper: Any, data: str) -> Any:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _str_presenter)


def render(objects: list[dict[str, Any]], fmt: Literal["yaml", "json"] = "yaml") -> str:
    if fmt == "json":
        return json.dumps({"apiVersion": "v1", "kind": "List", "items": objects}, indent=2, ensure_ascii=False) + "\n"
    if not objects:
        return ""
    return yaml.dump_all(objects, Dumper=_Dumper, sort_keys=False, default_flow_style=False,
                         allow_unicode=True, explicit_start=True, width=4096)


_SAFE = re.compile(r"[^a-z0-9.-]")


def _safe_name(text: str) -> str:
    """A file-name component that cannot escape the output directory."""
    cleaned = _SAFE.sub("-", text.lower()).strip(".-") or "_"
    return cleaned[:200]


def write_dir(objects: list[dict[str, Any]], directory: str, *, split: Literal["namespace", "object"] = "namespace",
              fmt: Literal["yaml", "json"] = "yaml") -> list[str]:
    """Write one file per namespace (or per object), each atomically; returns the paths written."""
    root = Path(directory)
    root.mkdir(parents=True, exist_ok=True)
    groups: dict[str, list[dict[str, Any]]] = {}
    for obj in objects:
        meta = obj.get("metadata", {})
        ns = meta.get("namespace") or "_cluster"
        if split == "object":
            key = f"{_safe_name(ns)}/{_safe_name(obj.get('kind', 'object'))}-{_safe_name(meta.get('name', ''))}"
        else:
            key = _safe_name(ns)
        groups.setdefault(key, []).append(obj)
    written = []
    ext = ".json" if fmt == "json" else ".yaml"
    resolved_root = root.resolve()
    for key, objs in sorted(groups.items()):
        path = (root / (key + ext)).resolve()
        if resolved_root not in path.parents:
            raise ValueError(f"refusing to write outside {directory}: {key}")
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".ing2gw-", suffix=ext)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(render(objs, fmt))
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
        written.append(str(path))
    return written
