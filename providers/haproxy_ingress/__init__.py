"""HAProxy Ingress (``haproxy-ingress.github.io/controller``): its annotation keys, known by name."""

from __future__ import annotations

from ing2gw_providers.haproxy_ingress.annotations import LEGACY_PREFIX, PREFIX, ROWS

from ing2gw.catalogue import CatalogueProvider, build_registry


class HAProxyIngressProvider(CatalogueProvider):
    name = "haproxy-ingress"
    title = "HAProxy Ingress"
    controllers = ("haproxy-ingress.github.io/controller",)
    class_names = ("haproxy",)
    docs_url = "https://haproxy-ingress.github.io/docs/configuration/keys/"
    gateway_classes = ("haproxy-ingress.github.io/controller",)
    notes = (
        "Keys are also read under the legacy prefix `ingress.kubernetes.io/`. When both are set, the legacy "
        "annotation wins over `spec.ingressClassName`. IngressClass `parameters` may name a ConfigMap of keys "
        "that apply to every Ingress of the class. Backend and Path keys may sit on Services. "
        "ImplementationSpecific paths default to `begin`: a case-insensitive character prefix."
    )


PROVIDER = HAProxyIngressProvider(build_registry(PREFIX, ROWS, alias_prefixes=(LEGACY_PREFIX,), family="haproxy-ingress"))
