"""Helpers for the ingress-nginx provider tests: convert one Ingress and look at its outcomes."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pytest

from ing2gw.api import ConversionResult, ConvertOptions, convert_objects
from ing2gw.model import Notification, Outcome, Requirement

P = "nginx.ingress.kubernetes.io/"


@dataclass
class Run:
    result: ConversionResult

    def note(self, short: str) -> Notification:
        found = [n for n in self.result.notifications if n.subject == P + short]
        assert len(found) == 1, f"{short}: expected exactly one outcome, got {found}"
        return found[0]

    def outcome(self, short: str) -> Outcome:
        return self.note(short).outcome

    def req(self, feature: str) -> Requirement:
        found = [r for r in self.result.model.requirements if r.feature == feature]
        assert len(found) == 1, f"{feature}: expected one requirement, got {found}"
        return found[0]

    def reqs(self, feature: str) -> list[Requirement]:
        return [r for r in self.result.model.requirements if r.feature == feature]

    def linked(self, short: str) -> Requirement:
        """The requirement the annotation's outcome points at."""
        rid = self.note(short).requirement
        assert rid, f"{short} is not linked to a requirement"
        return next(r for r in self.result.model.requirements if r.id == rid)

    def route(self) -> dict[str, Any]:
        routes = [o for o in self.result.objects if o["kind"] == "HTTPRoute"]
        assert routes
        return routes[0]


def ingress(annotations: Mapping[str, str], *, name: str = "web", namespace: str = "shop",
            paths: tuple[str, ...] = ("/",)) -> dict[str, Any]:
    return {
        "apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
        "metadata": {"name": name, "namespace": namespace,
                     "annotations": {(k if "/" in k else P + k): v for k, v in annotations.items()}},
        "spec": {"ingressClassName": "nginx", "rules": [{"host": "shop.example.com", "http": {"paths": [
            {"path": p, "pathType": "Prefix",
             "backend": {"service": {"name": "app", "port": {"number": 80}}}} for p in paths]}}]},
    }


def config_map(data: Mapping[str, str]) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "ingress-nginx-controller",
                                                                  "namespace": "ingress-nginx"},
            "data": dict(data)}


@pytest.fixture
def nginx() -> Callable[..., Run]:
    def run(annotations: Mapping[str, str], *, config: Mapping[str, str] | None = None,
            channel: str = "standard", version: str = "v1.5", extra: list[dict[str, Any]] | None = None,
            paths: tuple[str, ...] = ("/",), strict: bool = False) -> Run:
        objs = [ingress(annotations, paths=paths), *(extra or [])]
        opts = ConvertOptions(gateway_api_version=version, channel=channel, strict=strict)  # type: ignore[arg-type]
        if config is not None:
            objs.append(config_map(config))
            opts.controller_config = "ingress-nginx/ingress-nginx-controller"
        return Run(convert_objects(objs, opts))

    return run
