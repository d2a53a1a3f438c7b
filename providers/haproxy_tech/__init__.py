"""HAProxy Kubernetes Ingress Controller (``haproxy.org/ingress-controller``): its annotations, known by name."""

from __future__ import annotations

from ing2gw_providers.haproxy_tech.annotations import ALIAS_PREFIXES, PREFIX, ROWS

from ing2gw.catalogue import CatalogueProvider, build_registry


class HAProxyTechProvider(CatalogueProvider):
    name = "haproxy-tech"
    title = "HAProxy Kubernetes Ingress Controller (haproxytech)"
    controllers = ("haproxy.org/ingress-controller", "haproxy.org/ingress-controller/*")
    class_names = ("haproxy",)
    docs_url = "https://github.com/haproxytech/kubernetes-ingress/blob/master/documentation/annotations.md"
    notes = (
        "The prefixes `haproxy.org/`, `haproxy.com/` and `ingress.kubernetes.io/` are interchangeable. Service "
        "annotations override Ingress annotations, which override the ConfigMap. The controller string may end "
        "in `/<class>`. Its own Gateway API support covers TCPRoute only. Both HAProxy controllers use the class "
        "name `haproxy`: without an IngressClass object, ing2gw reads it as HAProxy Ingress (jcmoraisjr); use "
        "`--class-provider haproxy=haproxy-tech` for this one."
    )


PROVIDER = HAProxyTechProvider(build_registry(PREFIX, ROWS, extra_prefixes=("haproxy.com/",),
                                              alias_prefixes=ALIAS_PREFIXES, family="haproxy-tech"))
