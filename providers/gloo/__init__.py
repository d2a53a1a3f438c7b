"""Gloo Edge in Ingress mode: its Service annotations, known by name."""

from __future__ import annotations

from ing2gw.catalogue import CatalogueProvider, Row, build_registry

PREFIX = "gloo.solo.io/"

ROWS: tuple[Row, ...] = (
    ("h2_service", "CORE Service appProtocol kubernetes.io/h2c", "On a Service: the upstream speaks HTTP/2."),
    ("sslService.secret", "IMPL BackendTLSPolicy", "On a Service: Secret for TLS to the upstream."),
    ("sslService.tlsCert", "IMPL", "On a Service: client certificate file for the upstream."),
    ("sslService.tlsKey", "IMPL", "On a Service: client key file for the upstream."),
    ("sslService.rootCa", "IMPL BackendTLSPolicy", "On a Service: CA file that verifies the upstream."),
    ("sslService.oneWayTls", "IMPL", "On a Service: TLS without a client certificate."),
)


class GlooProvider(CatalogueProvider):
    name = "gloo"
    title = "Gloo Edge (Ingress mode)"
    controllers = ()
    class_names = ("gloo",)
    docs_url = "https://docs.solo.io/gloo-edge/latest/guides/integrations/ingress/"
    gateway_classes = ("solo.io/gloo-gateway", "kgateway.dev/kgateway")
    notes = (
        "Gloo serves every Ingress unless `REQUIRE_INGRESS_CLASS=true`, then only class `gloo`; it has no "
        "IngressClass controller string and no Ingress annotations (advanced routing uses VirtualServices). "
        "Successors: Gloo Gateway (`solo.io/gloo-gateway`) and kgateway (`kgateway.dev/kgateway`)."
    )


PROVIDER = GlooProvider(build_registry(PREFIX, ROWS, family="gloo"))
