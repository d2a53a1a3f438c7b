"""Helpers for the Traefik provider tests: convert Ingresses (and Services) and look at the outcomes."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pytest

from ing2gw.api import ConversionResult, ConvertOptions, convert_objects
from ing2gw.model import Notification, Outcome, Requirement

P = "traefik.ingress.kubernetes.io/"


@dataclass
class Run:
    result: ConversionResult

    def note(self, subject: str) -> Notification:
        full = subject if "/" in subject or subject.startswith(("spec.", "metadata.")) else P + subject
        found = [n for n in self.result.notifications if n.subject == full]
        assert len(found) == 1, f"{subject}: expected exactly one outcome, got {found}"
        return found[0]

    def outcome(self, subject: str) -> Outcome:
        return self.note(subject).outcome

    def req(self, feature: str) -> Requirement:
        found = [r for r in self.result.model.requirements if r.feature == feature]
        assert len(found) == 1, f"{feature}: expected one requirement, got {found}"
        return found[0]

    def objects(self, kind: str) -> list[dict[str, Any]]:
        return [o for o in self.result.objects if o["kind"] == kind]

    def route(self) -> dict[str, Any]:
        routes = self.objects("HTTPRoute")
        assert len(routes) == 1, [r["metadata"]["name"] for r in routes]
        return routes[0]

    def paths(self) -> list[dict[str, Any]]:
        return [m["path"] for r in self.objects("HTTPRoute") for rule in r["spec"]["rules"]
                for m in rule.get("matches", ())]


def ingress(annotations: Mapping[str, str] | None = None, *, name: str = "web", namespace: str = "shop",
            paths: tuple[tuple[str, str], ...] = (("/", "Prefix"),), host: str = "shop.example.com",
            tls: bool = False, service: str = "app", port: int = 80) -> dict[str, Any]:
    spec: dict[str, Any] = {"ingressClassName": "traefik", "rules": [{"host": host, "http": {"paths": [
        {"path": p, "pathType": t, "backend": {"service": {"name": service, "port": {"number": port}}}}
        for p, t in paths]}}]}
    if tls:
        spec["tls"] = [{"hosts": [host], "secretName": "shop-tls"}]
    return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
            "metadata": {"name": name, "namespace": namespace,
                         "annotations": {(k if "/" in k else P + k): v for k, v in (annotations or {}).items()}},
            "spec": spec}


def service(annotations: Mapping[str, str] | None = None, *, name: str = "app", namespace: str = "shop",
            ports: tuple[tuple[int, str | None], ...] = ((80, "http"),), type_: str = "ClusterIP") -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "Service",
            "metadata": {"name": name, "namespace": namespace,
                         "annotations": {(k if "/" in k else P + k): v for k, v in (annotations or {}).items()}},
            "spec": {"type": type_, "ports": [{"port": p, **({"name": n} if n else {})} for p, n in ports]}}


def config_map(data: Mapping[str, str]) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "traefik", "namespace": "traefik"},
            "data": dict(data)}


@pytest.fixture
def traefik() -> Callable[..., Run]:
    def run(annotations: Mapping[str, str] | None = None, *, svc: Mapping[str, str] | None = None,
            config: Mapping[str, str] | None = None, channel: str = "standard", version: str = "v1.5",
            extra: list[dict[str, Any]] | None = None, **kw: Any) -> Run:
        objs = [ingress(annotations, **kw), *(extra or [])]
        if svc is not None:
            objs.append(service(svc))
        opts = ConvertOptions(gateway_api_version=version, channel=channel)  # type: ignore[arg-type]
        if config is not None:
            objs.append(config_map(config))
            opts.controller_config = "traefik/traefik"
        return Run(convert_objects(objs, opts))

    return run


@pytest.fixture
def make_ingress() -> Callable[..., dict[str, Any]]:
    return ingress


@pytest.fixture
def make_service() -> Callable[..., dict[str, Any]]:
    return service


@pytest.fixture
def convert() -> Callable[..., Run]:
    def run(objs: list[dict[str, Any]], **opts: Any) -> Run:
        return Run(convert_objects(objs, ConvertOptions(**opts)))

    return run
