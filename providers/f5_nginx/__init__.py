"""F5 NGINX Ingress Controller (``nginx.org/ingress-controller``): its annotation keys, known by name."""

from __future__ import annotations

from ing2gw_providers.f5_nginx.annotations import EXTRA_PREFIXES, PREFIX, ROWS

from ing2gw.catalogue import CatalogueProvider, build_registry


class F5NginxProvider(CatalogueProvider):
    name = "f5-nginx"
    title = "F5 NGINX Ingress Controller"
    controllers = ("nginx.org/ingress-controller",)
    class_names = ("nginx",)
    docs_url = ("https://docs.nginx.com/nginx-ingress-controller/configuration/ingress-resources/"
                "advanced-configuration-with-annotations/")
    gateway_classes = ("gateway.nginx.org/nginx-gateway-controller",)
    notes = (
        "Its usual class name `nginx` is also ingress-nginx's: without an IngressClass object ing2gw reads "
        "`nginx` as ingress-nginx; use `--class-provider nginx=f5-nginx` for this controller. Defaults differ "
        "from ingress-nginx: HTTPS redirects use 301, HSTS is off, timeouts are 60 s, and Prefix paths match "
        "character-wise. Mergeable Ingresses (master and minions) map to one hostname with several HTTPRoutes."
    )


PROVIDER = F5NginxProvider(build_registry(PREFIX, ROWS, extra_prefixes=EXTRA_PREFIXES, family="f5-nginx"))
