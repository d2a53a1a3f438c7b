"""Tyk Operator: its Ingress annotation, known by name."""

from __future__ import annotations

from ing2gw.catalogue import CatalogueProvider, Row, build_registry

PREFIX = "tyk.io/"

ROWS: tuple[Row, ...] = (
    ("template", "IMPL", "ApiDefinition used as the template for each path's generated API."),
)


class TykProvider(CatalogueProvider):
    name = "tyk"
    title = "Tyk Operator"
    controllers = ()
    class_names = ("tyk",)
    docs_url = "https://github.com/TykTechnologies/tyk-operator/blob/master/docs/ingress.md"
    notes = (
        "Tyk selects Ingresses by the legacy annotation (class `tyk`, or `WATCH_INGRESS_CLASS`); it has no "
        "IngressClass controller string. All behaviour lives in the template ApiDefinition: the host and path "
        "routing translates, its features do not. Labels `tyk.io/ingress`, `tyk.io/taint` and "
        "`tyk.io/apidefinition` on generated objects are outputs."
    )


PROVIDER = TykProvider(build_registry(PREFIX, ROWS, family="tyk"))
