"""Kusk Gateway: listed for completeness; it does not read Ingress objects."""

from __future__ import annotations

from ing2gw.catalogue import CatalogueProvider, build_registry


class KuskProvider(CatalogueProvider):
    name = "kusk"
    title = "Kusk Gateway"
    controllers = ()
    class_names = ()
    docs_url = "https://github.com/kubeshop/kusk-gateway"
    notes = (
        "Kusk Gateway does not serve Ingress objects: its routing comes from OpenAPI `x-kusk` extensions in "
        "its API and StaticRoute CRDs, which ing2gw does not read. The project is paused."
    )


PROVIDER = KuskProvider(build_registry("", ()))
