"""A small structural check of emitted objects against the openAPIV3Schema of the served CRD version.

It checks types, required fields, enums, patterns, bounds and unknown fields (CEL rules are checked by
the dedicated assertions in the emitter tests). Target CRDs come from ../shared/target-crds/, Gateway API
CRDs from ../shared/gateway-api/<bundle>/<channel>/.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

SHARED = next((p for p in (Path(__file__).resolve().parents[2].parent / "shared", Path("/work/shared"))
               if p.is_dir()), None)


def _crd_files(folders: tuple[Path, ...]) -> dict[tuple[str, str], dict[str, Any]]:
    """(apiVersion, kind) -> openAPIV3Schema of every served version of every CRD in the folders."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for folder in folders:
        for f in sorted(folder.glob("*.yaml")):
            for doc in yaml.safe_load_all(f.read_text()):
                if not isinstance(doc, dict) or doc.get("kind") != "CustomResourceDefinition":
                    continue
                group = doc["spec"]["group"]
                kind = doc["spec"]["names"]["kind"]
                for v in doc["spec"]["versions"]:
                    if v.get("served", True):
                        out[(f"{group}/{v['name']}", kind)] = v["schema"]["openAPIV3Schema"]
    return out


@functools.cache
def schemas(target_versions: tuple[str, ...], bundle: str, channel: str) -> dict[tuple[str, str], dict[str, Any]]:
    if SHARED is None:
        pytest.skip("../shared (CRDs) not available")
    folders = tuple(SHARED / "target-crds" / t for t in target_versions)
    folders += (SHARED / "gateway-api" / bundle / channel,)
    return _crd_files(folders)


def _strict(schema: Any) -> Any:
    """Close every object schema with properties (Kubernetes prunes unknown fields; we reject them)."""
    if isinstance(schema, dict):
        out = {k: _strict(v) for k, v in schema.items() if k != "x-kubernetes-validations"}
        if "properties" in out and "additionalProperties" not in out and \
                not schema.get("x-kubernetes-preserve-unknown-fields"):
            out["additionalProperties"] = False
        return out
    if isinstance(schema, list):
        return [_strict(v) for v in schema]
    return schema


def errors(obj: dict[str, Any], table: dict[tuple[str, str], dict[str, Any]]) -> list[str]:
    key = (obj["apiVersion"], obj["kind"])
    if key not in table:
        return [f"{key} is not served by the CRDs checked"]
    schema = _strict(table[key])
    # metadata is validated by the API server, not the CRD schema
    props = schema.setdefault("properties", {})
    props["metadata"] = {"type": "object"}
    props.setdefault("apiVersion", {"type": "string"})
    props.setdefault("kind", {"type": "string"})
    v = jsonschema.Draft7Validator(schema)
    name = obj["metadata"].get("name")
    return [f"{obj['kind']} {name}: {'/'.join(map(str, e.absolute_path))}: {e.message}"
            for e in v.iter_errors(obj)]
