"""Istio Ingress (``istio.io/ingress-controller``): no routing annotations, only its class."""

from __future__ import annotations

from ing2gw.catalogue import CatalogueProvider, build_registry


class IstioProvider(CatalogueProvider):
    name = "istio"
    title = "Istio Ingress"
    controllers = ("istio.io/ingress-controller",)
    class_names = ("istio",)
    docs_url = "https://istio.io/latest/docs/tasks/traffic-management/ingress/kubernetes-ingress/"
    gateway_classes = ("istio.io/gateway-controller",)
    notes = (
        "Istio reads no routing annotations on Ingress. Its TLS Secrets must live in the ingress gateway's "
        "namespace. ImplementationSpecific paths: empty, `*`, `/*` and `.*` match everything, a trailing `/*` "
        "or `.*` makes a prefix, anything else is exact. Mesh `ingressControllerMode` decides whether "
        "Ingresses without a class are served."
    )


PROVIDER = IstioProvider(build_registry("", ()))
