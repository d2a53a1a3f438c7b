"""How long validation takes: N generated HTTPRoutes, Gateways with 64 listeners, and ``convert`` of N
Ingresses with and without validating its output. Run: ``python -m bench.validate_speed [N]``."""

from __future__ import annotations

import sys
import time
from typing import Any

from ing2gw.api import ConvertOptions, convert_objects
from ing2gw.validate import Validator, load_crd_set


def route(i: int) -> dict[str, Any]:
    return {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "HTTPRoute",
            "metadata": {"name": f"r{i}", "namespace": "ns"},
            "spec": {"parentRefs": [{"name": "gw", "sectionName": "http"}, {"name": "gw", "sectionName": "https"}],
                     "hostnames": [f"h{i}.example.com"],
                     "rules": [{"name": f"rule-{j}", "matches": [{"path": {"type": "PathPrefix", "value": f"/p{i}/{j}"}}],
                                "filters": [{"type": "RequestHeaderModifier",
                                             "requestHeaderModifier": {"set": [{"name": "X-A", "value": str(i)}]}}],
                                "timeouts": {"request": "10s", "backendRequest": "5s"},
                                "backendRefs": [{"name": f"svc{j}", "port": 80}]} for j in range(4)]}}


def gateway(i: int) -> dict[str, Any]:
    return {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway",
            "metadata": {"name": f"g{i}", "namespace": "ns"},
            "spec": {"gatewayClassName": "c", "listeners": [
                {"name": f"l{j}", "port": 443, "protocol": "HTTPS", "hostname": f"h{i}-{j}.example.com",
                 "tls": {"certificateRefs": [{"name": f"cert{j}"}]}} for j in range(64)]}}


def ingress(i: int) -> dict[str, Any]:
    host = f"h{i}.example.com"
    return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
            "metadata": {"name": f"i{i}", "namespace": f"ns{i % 50}"},
            "spec": {"ingressClassName": "nginx", "tls": [{"hosts": [host], "secretName": f"t{i}"}],
                     "rules": [{"host": host, "http": {"paths": [
                         {"path": f"/p{j}", "pathType": "Prefix",
                          "backend": {"service": {"name": f"s{j}", "port": {"number": 80}}}} for j in range(3)]}}]}}


def timed(label: str, fn: Any) -> Any:
    t = time.perf_counter()
    out = fn()
    print(f"{label}: {time.perf_counter() - t:.2f}s")
    return out


def main(n: int) -> None:
    crds = timed("load v1.5 standard CRDs", lambda: load_crd_set(version="v1.5", channel="standard"))
    assert crds is not None
    v = Validator(crds)
    report = timed(f"validate {n} HTTPRoutes", lambda: v.validate([route(i) for i in range(n)]))
    assert report.ok, report.errors[:3]
    report = timed("validate 20 Gateways with 64 listeners", lambda: v.validate([gateway(i) for i in range(20)]))
    assert report.ok, report.errors[:3]
    ings = [ingress(i) for i in range(n)]
    timed(f"convert {n} Ingresses, --no-validate", lambda: convert_objects(ings, ConvertOptions(validate=False)))
    timed(f"convert {n} Ingresses, --validate", lambda: convert_objects(ings, ConvertOptions(validate=True)))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
