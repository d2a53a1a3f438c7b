"""Helpers of the F5 NGINX Ingress Controller provider tests: convert Ingresses and look at the outcomes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ing2gw.api import ConversionResult, ConvertOptions, convert_objects
from ing2gw.model import Notification, Outcome, Requirement

P = "nginx.org/"
CLASS = {"apiVersion": "networking.k8s.io/v1", "kind": "IngressClass", "metadata": {"name": "nginx"},
         "spec": {"controller": "nginx.org/ingress-controller"}}


def full(key: str) -> str:
    return key if "/" in key else P + key


@dataclass
class Run:
    result: ConversionResult

    def notes(self, key: str, name: str | None = None) -> list[Notification]:
        return [n for n in self.result.notifications if n.subject == full(key)
                and (name is None or n.source.name == name)]

    def note(self, key: str, name: str | None = None) -> Notification:
        found = self.notes(key, name)
        assert len(found) == 1, f"{key}: expected exactly one outcome, got {found}"
        return found[0]

    def outcome(self, key: str, name: str | None = None) -> Outcome:
        return self.note(key, name).outcome

    def req(self, feature: str) -> Requirement:
        found = self.reqs(feature)
        assert len(found) == 1, f"{feature}: expected one requirement, got {found}"
        return found[0]

    def reqs(self, feature: str) -> list[Requirement]:
        return [r for r in self.result.model.requirements if r.feature == feature]

    def linked(self, key: str) -> Requirement:
        rid = self.note(key).requirement
        assert rid, f"{key} is not linked to a requirement"
        return next(r for r in self.result.model.requirements if r.id == rid)

    def objects(self, kind: str) -> list[dict[str, Any]]:
        return [o for o in self.result.objects if o["kind"] == kind]

    def route(self, name: str | None = None) -> dict[str, Any]:
        routes = [o for o in self.objects("HTTPRoute") if name is None or o["metadata"]["name"] == name]
        assert routes, [o["metadata"]["name"] for o in self.objects("HTTPRoute")]
        return routes[0]

    def path_notes(self) -> list[Notification]:
        return [n for n in self.result.notifications if n.subject.endswith(".path")]


def ingress(annotations: Mapping[str, str], *, name: str = "web", namespace: str = "shop",
            paths: Sequence[str | tuple[str, str] | tuple[str, str, str]] = ("/",), host: str | None = "shop.example.com",
            tls: bool = False, default_backend: str | None = None, created: str | None = None) -> dict[str, Any]:
    """An Ingress of class nginx; a path is ``"/p"``, ``("/p", pathType)`` or ``("/p", pathType, service)``."""
    items = []
    for p in paths:
        path, ptype, svc = (p, "Prefix", "app") if isinstance(p, str) else (*p, "app")[:3]
        items.append({"path": path, "pathType": ptype,
                      "backend": {"service": {"name": svc, "port": {"number": 80}}}})
    rule: dict[str, Any] = {"http": {"paths": items}} if items else {}
    if host:
        rule["host"] = host
    spec: dict[str, Any] = {"ingressClassName": "nginx", "rules": [rule]}
    if tls:
        spec["tls"] = [{"hosts": [host], "secretName": "shop-tls"}]
    if default_backend:
        spec["defaultBackend"] = {"service": {"name": default_backend, "port": {"number": 80}}}
    meta: dict[str, Any] = {"name": name, "namespace": namespace,
                            "annotations": {full(k): v for k, v in annotations.items()}}
    if created:
        meta["creationTimestamp"] = created
    return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": meta, "spec": spec}


def convert(objs: list[dict[str, Any]], *, channel: str = "standard", version: str = "v1.5") -> Run:
    opts = ConvertOptions(gateway_api_version=version, channel=channel)  # type: ignore[arg-type]
    return Run(convert_objects([CLASS, *objs], opts))
