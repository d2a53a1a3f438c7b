"""ingress-nginx (``k8s.io/ingress-nginx``): every ``nginx.ingress.kubernetes.io/*`` annotation."""

from __future__ import annotations

from ing2gw.provider import HandlerRegistry, Provider

PREFIX = "nginx.ingress.kubernetes.io/"
REGISTRY = HandlerRegistry(PREFIX)


class IngressNginxProvider(Provider):
    name = "ingress-nginx"
    title = "ingress-nginx"
    controllers = ("k8s.io/ingress-nginx",)
    class_names = ("nginx",)
    docs_url = "https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/"


PROVIDER = IngressNginxProvider(REGISTRY)

# Policy families (auth, rate limits, ...): importing registers their handlers.
from . import auth, body, ipaccess, legacy, observability, ratelimit, retries, snippets, upstream  # noqa: E402,F401
