"""Contour: its Ingress and Service annotations, known by name."""

from __future__ import annotations

from ing2gw.catalogue import CatalogueProvider, Row, build_registry

PREFIX = "projectcontour.io/"

ROWS: tuple[Row, ...] = (
    ("ingress.kubernetes.io/force-ssl-redirect", "CORE RequestRedirect", "Redirects HTTP to HTTPS."),
    ("kubernetes.io/ingress.allow-http", "CORE no HTTP listener", "\"false\" serves the Ingress on HTTPS only."),
    ("response-timeout", "CORE timeouts.request", "Route timeout (or infinity)."),
    ("retry-on", "EXP retry.codes", "Envoy conditions that trigger retries."),
    ("num-retries", "EXP retry.attempts", "Retry count (-1 turns retries off)."),
    ("per-try-timeout", "CORE timeouts.backendRequest", "Timeout of each try."),
    ("tls-minimum-protocol-version", "IMPL", "Lowest TLS version accepted."),
    ("tls-maximum-protocol-version", "IMPL", "Highest TLS version accepted."),
    ("websocket-routes", "CORE implicit", "Paths that allow WebSocket upgrades."),
    ("tls-cert-namespace", "CORE certificateRefs namespace + ReferenceGrant", "Namespace of delegated TLS Secrets."),
    ("max-connections", "IMPL", "On a Service: Envoy circuit breaker, connections."),
    ("max-pending-requests", "IMPL", "On a Service: Envoy circuit breaker, pending requests."),
    ("max-requests", "IMPL", "On a Service: Envoy circuit breaker, parallel requests."),
    ("max-retries", "IMPL", "On a Service: Envoy circuit breaker, parallel retries."),
    ("per-host-max-connections", "IMPL", "On a Service: connections per endpoint."),
    ("upstream-protocol.h2", "CORE Service appProtocol", "On a Service: ports that speak HTTP/2 over TLS."),
    ("upstream-protocol.h2c", "CORE Service appProtocol kubernetes.io/h2c", "On a Service: ports that speak cleartext HTTP/2."),
    ("upstream-protocol.tls", "CORE BackendTLSPolicy", "On a Service: ports reached over TLS."),
)


class ContourProvider(CatalogueProvider):
    name = "contour"
    title = "Contour"
    controllers = ("projectcontour.io/ingress-controller",)
    class_names = ("contour",)
    docs_url = "https://projectcontour.io/docs/main/config/annotations/"
    gateway_classes = ("projectcontour.io/gateway-controller",)
    notes = (
        "Contour matches the class by name and does not check IngressClass `spec.controller` "
        "(`projectcontour.io/ingress-controller` appears in an old design document only). Its own class "
        "annotation `projectcontour.io/ingress.class` wins over `spec.ingressClassName`; ing2gw reads it as the "
        "class when no standard class is set and states any disagreement. Contour's Gateway API mode still "
        "reads the Service annotations."
    )


PROVIDER = ContourProvider(build_registry(PREFIX, ROWS, family="contour"))
