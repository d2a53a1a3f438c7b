"""Emissary-Ingress (``getambassador.io/ingress-controller``): its annotations, known by name."""

from __future__ import annotations

from ing2gw.catalogue import CatalogueProvider, Row, build_registry

PREFIX = "getambassador.io/"

ROWS: tuple[Row, ...] = (
    ("ambassador-id", "CORE parentRefs", "Which Emissary instance owns the object."),
    ("config", "IMPL", "Inline Emissary configuration (Mappings, Modules, TLSContexts); deprecated."),
)


class EmissaryProvider(CatalogueProvider):
    name = "emissary"
    title = "Emissary-Ingress"
    controllers = ("getambassador.io/ingress-controller",)
    class_names = ("ambassador",)
    docs_url = "https://www.getambassador.io/docs/emissary/latest/topics/running/ingress-controller"
    notes = (
        "Each Ingress path becomes an Emissary Mapping. Mapping fields inside `getambassador.io/config` map to "
        "path, header, query and method matches, URLRewrite, weights, RequestRedirect, RequestMirror, CORS, "
        "GRPCRoute and BackendTLSPolicy; regex rewrites and redirects have no equivalent. Emissary only watches "
        "an obsolete Gateway API version; Envoy Gateway (`gateway.envoyproxy.io/gatewayclass-controller`) is "
        "the usual target."
    )


PROVIDER = EmissaryProvider(build_registry(PREFIX, ROWS, family="emissary"))
