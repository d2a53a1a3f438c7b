"""Small builders for the ingress-nginx routing tests: Ingress dicts in, conversion results out."""

from __future__ import annotations

from typing import Any

from ing2gw.api import ConversionResult, ConvertOptions, convert_objects
from ing2gw.model import Notification

P = "nginx.ingress.kubernetes.io/"


def ingress(name: str = "web", *, ns: str = "default", ann: dict[str, str] | None = None,
            paths: tuple[tuple[str, str, str, int], ...] = (("/", "Prefix", "web", 80),),
            host: str | None = "a.example.com", tls: bool = False, ts: str | None = None) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name, "namespace": ns,
                            "annotations": {(k if "/" in k else P + k): v for k, v in (ann or {}).items()}}
    if ts:
        meta["creationTimestamp"] = ts
    rule: dict[str, Any] = {"http": {"paths": [
        {"path": p, "pathType": t, "backend": {"service": {"name": s, "port": {"number": port}}}}
        for p, t, s, port in paths]}}
    if host:
        rule["host"] = host
    spec: dict[str, Any] = {"ingressClassName": "nginx", "rules": [rule]}
    if tls and host:
        spec["tls"] = [{"hosts": [host], "secretName": f"{name}-tls"}]
    return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": meta, "spec": spec}


def configmap(name: str, ns: str, data: dict[str, str]) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "namespace": ns}, "data": data}


def convert(*objs: dict[str, Any], **options: Any) -> ConversionResult:
    return convert_objects(list(objs), ConvertOptions(**options))


def outcome(result: ConversionResult, key: str, ingress: str | None = None, *, raw: bool = False) -> Notification:
    full = key if raw or "/" in key or " " in key or key.startswith("spec.") else P + key
    found = [n for n in result.notifications if n.subject == full and (ingress is None or n.source.name == ingress)]
    assert len(found) == 1, f"expected one outcome for {full}, got {found}"
    return found[0]


def kinds(result: ConversionResult, kind: str) -> list[dict[str, Any]]:
    return [o for o in result.objects if o["kind"] == kind]


def route(result: ConversionResult, name: str) -> dict[str, Any]:
    found = [o for o in result.objects if o["kind"] == "HTTPRoute" and o["metadata"]["name"] == name]
    assert found, f"no HTTPRoute {name}: {[o['metadata']['name'] for o in result.objects]}"
    return found[0]


def rules(result: ConversionResult, name: str) -> list[dict[str, Any]]:
    return list(route(result, name)["spec"]["rules"])


def paths_of(rule: dict[str, Any]) -> list[tuple[str, str]]:
    return [(m["path"]["type"], m["path"]["value"]) for m in rule.get("matches", [])]
