"""Voyager (HAProxy, ``ingress.appscode.com/*``): its annotation keys, known by name."""

from __future__ import annotations

from ing2gw_providers.voyager.annotations import PREFIX, ROWS

from ing2gw.catalogue import CatalogueProvider, build_registry


class VoyagerProvider(CatalogueProvider):
    name = "voyager"
    title = "Voyager"
    controllers = ()
    class_names = ("voyager",)
    docs_url = "https://voyagermesh.com/docs/latest/guides/ingress/configuration/annotations/"
    notes = (
        "Voyager documents no IngressClass controller string: it selects by the legacy annotation (class "
        "`voyager` when started with `--ingress-class=voyager`) and otherwise takes every Ingress. Its own "
        "`voyager.appscode.com/v1` Ingress kind uses the same annotations. One HAProxy and one load balancer "
        "per Ingress map most closely to one Gateway per Ingress."
    )


PROVIDER = VoyagerProvider(build_registry(PREFIX, ROWS, family="voyager"))
