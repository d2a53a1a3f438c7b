"""Easegress IngressController (``megaease.com/ingress-controller``): class only, no annotations."""

from __future__ import annotations

from ing2gw.catalogue import CatalogueProvider, build_registry


class EasegressProvider(CatalogueProvider):
    name = "easegress"
    title = "Easegress IngressController"
    controllers = ("megaease.com/ingress-controller",)
    class_names = ("easegress",)
    docs_url = "https://megaease.com/docs/easegress/04.cloud-native/4.1.kubernetes-ingress-controller/"
    notes = (
        "Easegress's controller (default class `easegress`, controller `megaease.com/ingress-controller`, read "
        "from its source) turns Ingress rules into Easegress pipelines and reads no routing annotations. Not "
        "covered by the reference notes."
    )


PROVIDER = EasegressProvider(build_registry("", ()))
