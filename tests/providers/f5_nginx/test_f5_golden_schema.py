"""The F5 NGINX golden outputs validate against the official Gateway API CRD schemas of their version and channel."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]
SHARED = next((p for p in (ROOT.parent / "shared", Path("/work/shared")) if (p / "gateway-api").is_dir()), None)
CASES = {"f5-nginx-routing": ("v1.5.1", "standard"), "f5-nginx-mergeable": ("v1.5.1", "standard"),
         "f5-nginx-policies": ("v1.5.1", "experimental")}


def schemas(version: str, channel: str) -> dict[tuple[str, str], dict]:
    assert SHARED is not None
    out = {}
    for f in sorted((SHARED / "gateway-api" / version / channel).glob("*.yaml")):
        for doc in yaml.safe_load_all(f.read_text()):
            if doc and doc.get("kind") == "CustomResourceDefinition":
                for v in doc["spec"]["versions"]:
                    out[(f"{doc['spec']['group']}/{v['name']}", doc["spec"]["names"]["kind"])] = \
                        v["schema"]["openAPIV3Schema"]
    return out


@pytest.mark.skipif(SHARED is None, reason="Gateway API CRDs not available")
@pytest.mark.parametrize(("case", "target"), sorted(CASES.items()))
def test_golden_output_matches_the_crd_schemas(case, target):
    known = schemas(*target)
    objects = [o for o in yaml.safe_load_all((ROOT / "testdata" / "golden" / case / "expected.yaml").read_text()) if o]
    assert objects
    for obj in objects:
        schema = known[(obj["apiVersion"], obj["kind"])]
        errors = [f"{list(e.path)}: {e.message}" for e in jsonschema.Draft7Validator(schema).iter_errors(obj)]
        assert not errors, (obj["kind"], obj["metadata"]["name"], errors)
