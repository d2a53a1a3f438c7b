"""Realistic benchmark input: N Ingresses over many namespaces, with IngressClasses and Services.

    python -m bench.generate 10000 > big.yaml            # multi-document YAML, as in a Git repository
    python -m bench.generate 10000 --list > big.yaml     # one `kind: List`, as `kubectl get -A -o yaml` prints

The mix: about 80% ingress-nginx (classes ``nginx`` and ``nginx-internal``), the rest classes of other
controllers; about 60% with TLS; one to three hosts, each with one to five paths of every pathType;
a spread of ingress-nginx annotations that follows how often they appear in public manifests
(ssl-redirect, proxy-body-size and timeouts most, then rewrite-target with regex, CORS, canaries,
auth, allow-lists, affinity, backend protocol). Output is the same for the same N and seed.
"""

from __future__ import annotations

import argparse
import random
import sys
from typing import Any

import yaml

NGINX = "nginx.ingress.kubernetes.io/"
CLASSES = [("nginx", 70), ("nginx-internal", 10), ("traefik", 8), ("haproxy", 5), ("alb", 4), (None, 3)]
CONTROLLERS = {"nginx": "k8s.io/ingress-nginx", "nginx-internal": "k8s.io/ingress-nginx",
               "traefik": "traefik.io/ingress-controller", "haproxy": "haproxy.org/ingress-controller",
               "alb": "ingress.k8s.aws/alb"}
WORDS = ["shop", "api", "auth", "web", "admin", "cart", "search", "media", "docs", "status", "pay", "blog",
         "mail", "chat", "store", "feed", "img", "cdn", "app", "portal"]
ZONES = ["example.com", "example.org", "corp.example.net", "internal.example.io"]


def _pick(rng: random.Random, weighted: list[tuple[Any, int]]) -> Any:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


def _annotations(rng: random.Random, cls: str | None) -> dict[str, str]:
    a: dict[str, str] = {}
    if rng.random() < 0.3:
        a["kubectl.kubernetes.io/last-applied-configuration"] = '{"apiVersion":"networking.k8s.io/v1"}'
    if rng.random() < 0.25:
        a["cert-manager.io/cluster-issuer"] = "letsencrypt"
    if cls not in ("nginx", "nginx-internal"):
        return a
    r = rng.random
    if r() < 0.5:
        a[NGINX + "ssl-redirect"] = rng.choice(["true", "false"])
    if r() < 0.4:
        a[NGINX + "proxy-body-size"] = rng.choice(["1m", "8m", "50m", "0"])
    if r() < 0.3:
        a[NGINX + "proxy-read-timeout"] = rng.choice(["30", "60", "300"])
        a[NGINX + "proxy-send-timeout"] = a[NGINX + "proxy-read-timeout"]
    if r() < 0.25:
        a[NGINX + "use-regex"] = "true"
        a[NGINX + "rewrite-target"] = "/$2"
    elif r() < 0.1:
        a[NGINX + "rewrite-target"] = "/"
    if r() < 0.1:
        a[NGINX + "enable-cors"] = "true"
        a[NGINX + "cors-allow-origin"] = "https://app.example.com"
    if r() < 0.05:
        a[NGINX + "auth-url"] = "http://oauth2-proxy.auth.svc.cluster.local/oauth2/auth"
        a[NGINX + "auth-signin"] = "https://auth.example.com/oauth2/start?rd=$escaped_request_uri"
    if r() < 0.08:
        a[NGINX + "whitelist-source-range"] = "10.0.0.0/8,192.168.0.0/16"
    if r() < 0.05:
        a[NGINX + "affinity"] = "cookie"
        a[NGINX + "session-cookie-name"] = "route"
    if r() < 0.05:
        a[NGINX + "backend-protocol"] = rng.choice(["HTTPS", "GRPC"])
    if r() < 0.05:
        a[NGINX + "limit-rps"] = "20"
    if r() < 0.03:
        a[NGINX + "configuration-snippet"] = "more_set_headers \"X-Frame-Options: DENY\";"
    return a


def _paths(rng: random.Random, regex: bool, svc: str) -> list[dict[str, Any]]:
    out = []
    for k in range(rng.randint(1, 5)):
        word = rng.choice(WORDS)
        if k == 0:
            path, ptype = "/", "Prefix"
        elif regex:
            path, ptype = f"/{word}(/|$)(.*)", "ImplementationSpecific"
        else:
            path, ptype = _pick(rng, [((f"/{word}", "Prefix"), 6), ((f"/{word}/v{k}", "Exact"), 2),
                                      ((f"/{word}/{k}", "ImplementationSpecific"), 2)])
        port: dict[str, Any] = {"number": 80} if rng.random() < 0.85 else {"name": "http"}  # Service emitted
        out.append({"path": path, "pathType": ptype, "backend": {"service": {"name": f"{svc}-{k}", "port": port}}})
    return out


def ingress(rng: random.Random, i: int, namespaces: int) -> list[dict[str, Any]]:
    """One Ingress (sometimes with a canary twin) and the Services it names."""
    ns = f"team-{i % namespaces:04d}"
    app = f"{rng.choice(WORDS)}-{i}"
    cls = _pick(rng, CLASSES)
    annotations = _annotations(rng, cls)
    regex = annotations.get(NGINX + "use-regex") == "true"
    zone = rng.choice(ZONES)
    hosts = [f"{app}.{zone}"] + [f"{rng.choice(WORDS)}-{i}-{h}.{zone}" for h in range(1, rng.randint(1, 3))]
    spec: dict[str, Any] = {}
    if cls and rng.random() < 0.9:
        spec["ingressClassName"] = cls
    elif cls:
        annotations["kubernetes.io/ingress.class"] = cls
    spec["rules"] = [{"host": h, "http": {"paths": _paths(rng, regex, app)}} for h in hosts]
    if rng.random() < 0.6:
        spec["tls"] = [{"hosts": hosts, "secretName": f"{app}-tls"}]
    meta: dict[str, Any] = {"name": app, "namespace": ns,
                            "creationTimestamp": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}T10:{i % 60:02d}:00Z"}
    if annotations:
        meta["annotations"] = annotations
    objs = [{"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": meta, "spec": spec}]
    if cls == "nginx" and rng.random() < 0.05:  # a canary next to its main Ingress
        canary = {NGINX + "canary": "true"}
        canary.update(rng.choice([{NGINX + "canary-weight": str(rng.choice([5, 10, 25, 50]))},
                                  {NGINX + "canary-by-header": "X-Canary"}]))
        rule = {"host": hosts[0], "http": {"paths": [{"path": "/", "pathType": "Prefix", "backend": {
            "service": {"name": f"{app}-canary", "port": {"number": 80}}}}]}}
        objs.append({"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
                     "metadata": {"name": f"{app}-canary", "namespace": ns, "annotations": canary},
                     "spec": {"ingressClassName": "nginx", "rules": [rule]}})
    named = {p["backend"]["service"]["name"] for r in spec["rules"] for p in r["http"]["paths"]
             if "name" in p["backend"]["service"]["port"]}
    for k in range(5):
        if f"{app}-{k}" in named or rng.random() < 0.1:
            objs.append({"apiVersion": "v1", "kind": "Service", "metadata": {"name": f"{app}-{k}", "namespace": ns},
                         "spec": {"ports": [{"name": "http", "port": 80, "targetPort": 8080}]}})
    return objs


def generate(n: int, seed: int = 1) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    namespaces = max(1, n // 25)
    objs: list[dict[str, Any]] = [
        {"apiVersion": "networking.k8s.io/v1", "kind": "IngressClass", "metadata": {"name": name},
         "spec": {"controller": ctrl}} for name, ctrl in CONTROLLERS.items()]
    count = 0
    i = 0
    while count < n:
        for o in ingress(rng, i, namespaces):
            if o["kind"] == "Ingress":
                if count == n:
                    continue
                count += 1
            objs.append(o)
        i += 1
    return objs


def write(objs: list[dict[str, Any]], out: Any, *, as_list: bool = False) -> None:
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    if as_list:
        yaml.dump({"apiVersion": "v1", "kind": "List", "items": objs}, out, Dumper=dumper, sort_keys=False)
    else:
        yaml.dump_all(objs, out, Dumper=dumper, sort_keys=False, explicit_start=True)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int, help="number of Ingresses")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--list", action="store_true", help="one kind: List document")
    ap.add_argument("-o", "--output", help="file (default stdout)")
    a = ap.parse_args(argv)
    objs = generate(a.n, a.seed)
    if a.output:
        with open(a.output, "w", encoding="utf-8") as fh:
            write(objs, fh, as_list=a.list)
    else:
        write(objs, sys.stdout, as_list=a.list)


if __name__ == "__main__":
    main()
