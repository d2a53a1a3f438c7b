"""Helpers for the verify tests: build engines from YAML and ask them URLs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from ing2gw.load.objects import Inputs, parse_objects
from ing2gw.load.raw import RawObject
from ing2gw.verify.gateway import GatewayEngine
from ing2gw.verify.generic import GenericController
from ing2gw.verify.model import Answer, Probe
from ing2gw.verify.nginx import NginxController


def inputs_of(text: str) -> Inputs:
    docs = [d for d in yaml.safe_load_all(text) if d]
    return parse_objects([RawObject(d) for d in docs])


def probe(url: str, headers: dict[str, str] | None = None, method: str = "GET", grpc: bool = False) -> Probe:
    u = urlsplit(url)
    path = (u.path or "/") + (f"?{u.query}" if u.query else "")
    return Probe(u.scheme, u.hostname or "", path, method=method,  # type: ignore[arg-type]
                 headers=tuple((headers or {}).items()), grpc=grpc)


def backend_of(a: Answer) -> str:
    assert a.kind == "backend", a
    assert len(a.backends) == 1, a
    return a.backends[0][0].show()


@pytest.fixture
def nginx() -> Callable[..., Callable[..., Answer]]:
    def build(text: str, config: dict[str, str] | None = None) -> Callable[..., Answer]:
        i = inputs_of(text)
        ctrl = NginxController(i.ingresses, i.services, config, i.config_maps)
        return lambda url, headers=None, **kw: ctrl.answer(probe(url, headers, **kw))
    return build


@pytest.fixture
def generic() -> Callable[..., Callable[..., Answer]]:
    def build(text: str) -> Callable[..., Answer]:
        i = inputs_of(text)
        ctrl = GenericController(i.ingresses, i.services)
        return lambda url, headers=None, **kw: ctrl.answer(probe(url, headers, **kw))
    return build


@pytest.fixture
def gateway() -> Callable[..., Callable[..., Answer]]:
    def build(text: str, regex: Any = "search") -> Callable[..., Answer]:
        eng = GatewayEngine([d for d in yaml.safe_load_all(text) if d], regex=regex)
        return lambda url, headers=None, **kw: eng.answer(probe(url, headers, **kw))
    return build


def ingress(name: str, host: str | None = "a.example.com", paths: list[tuple[str, str, str]] | None = None, *,
            ann: dict[str, str] | None = None, tls: list[str] | None = None, ts: str = "2024-01-01T00:00:00Z",
            namespace: str = "default", default_backend: str | None = None, cls: str | None = "nginx") -> str:
    """One Ingress as YAML. ``paths`` are (path, pathType, service:port); ``cls`` None: no ingressClassName."""
    annotations = {f"nginx.ingress.kubernetes.io/{k}" if "/" not in k else k: v for k, v in (ann or {}).items()}
    spec: dict[str, Any] = {} if cls is None else {"ingressClassName": cls}
    if paths is not None:
        rule: dict[str, Any] = {"http": {"paths": [
            {"path": p, "pathType": t, "backend": {"service": {"name": s.split(":")[0],
                                                                "port": {"number": int(s.split(":")[1])}}}}
            for p, t, s in paths]}}
        if host:
            rule["host"] = host
        spec["rules"] = [rule]
    if default_backend:
        n, port = default_backend.split(":")
        spec["defaultBackend"] = {"service": {"name": n, "port": {"number": int(port)}}}
    if tls is not None:
        spec["tls"] = [{"hosts": tls, "secretName": "cert"}]
    doc = {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
           "metadata": {"name": name, "namespace": namespace, "creationTimestamp": ts, "annotations": annotations},
           "spec": spec}
    return "---\n" + yaml.safe_dump(doc)
