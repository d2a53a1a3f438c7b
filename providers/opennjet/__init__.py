"""OpenNJet Ingress Controller: listed, but its controller string and annotations are not known."""

from __future__ import annotations

from ing2gw.catalogue import CatalogueProvider, build_registry


class OpenNJetProvider(CatalogueProvider):
    name = "opennjet"
    title = "OpenNJet Ingress Controller"
    controllers = ()
    class_names = ()
    docs_url = "https://gitee.com/njet-rd/open-njet-kic"
    notes = (
        "Neither its IngressClass controller string nor its annotation list could be verified, so ing2gw cannot "
        "recognise its Ingresses: they get the Ingress specification only (use `--provider generic`), and their "
        "annotations are reported as unknown rather than guessed from another NGINX controller's list."
    )


PROVIDER = OpenNJetProvider(build_registry("", ()))
