"""Traefik (``traefik.io/ingress-controller``): its Kubernetes Ingress provider's annotations, known by name.

Traefik's *Kubernetes Ingress NGINX* provider serves unchanged ingress-nginx Ingresses under the controller
``k8s.io/ingress-nginx`` and class ``nginx``: those Ingresses dispatch to the ingress-nginx provider.
"""

from __future__ import annotations

from ing2gw_providers.traefik.annotations import LEGACY_ROWS, PREFIX, ROWS

from ing2gw.catalogue import CatalogueProvider, build_registry


class TraefikProvider(CatalogueProvider):
    name = "traefik"
    title = "Traefik"
    controllers = ("traefik.io/ingress-controller",)
    class_names = ("traefik",)
    docs_url = "https://doc.traefik.io/traefik/reference/routing-configuration/kubernetes/ingress/"
    gateway_classes = ("traefik.io/gateway-controller",)
    notes = (
        "The provider option `ingressClass` is matched against both the legacy annotation and the IngressClass "
        "name. Traefik's *Kubernetes Ingress NGINX* provider (v3.5+) serves ingress-nginx Ingresses under "
        "`k8s.io/ingress-nginx` and class `nginx`; ing2gw dispatches those to the ingress-nginx provider. "
        "Traefik 1.7 annotations are listed too: Traefik 2 and later ignore them."
    )


# Traefik decodes these annotations as labels, case-insensitively (router.pathMatcher = router.pathmatcher).
PROVIDER = TraefikProvider(build_registry(PREFIX, ROWS + LEGACY_ROWS, family="traefik", fold_case=True))
