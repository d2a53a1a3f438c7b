"""EnRoute (a Contour fork): its Ingress and Service annotations, known by name."""

from __future__ import annotations

from ing2gw.catalogue import CatalogueProvider, Row, build_registry

PREFIX = "enroute.saaras.io/"

ROWS: tuple[Row, ...] = (
    ("ingress.kubernetes.io/force-ssl-redirect", "CORE RequestRedirect", "Redirects HTTP to HTTPS."),
    ("kubernetes.io/ingress.allow-http", "CORE no HTTP listener", "\"false\" serves the Ingress on HTTPS only."),
    ("request-timeout", "CORE timeouts.request", "Route timeout."),
    ("response-timeout", "CORE timeouts.request", "Route timeout."),
    ("retry-on", "EXP retry", "Conditions that trigger retries."),
    ("num-retries", "EXP retry.attempts", "Retry count."),
    ("per-try-timeout", "CORE timeouts.backendRequest", "Timeout of each try."),
    ("websocket-routes", "CORE implicit", "Paths that allow WebSocket upgrades."),
    ("tls-minimum-protocol-version", "IMPL", "Lowest TLS version accepted."),
    ("upstream-protocol.h2", "IMPL Service appProtocol", "On a Service: ports that speak HTTP/2 over TLS."),
    ("upstream-protocol.h2c", "IMPL Service appProtocol", "On a Service: ports that speak cleartext HTTP/2."),
    ("upstream-protocol.tls", "IMPL BackendTLSPolicy", "On a Service: ports reached over TLS."),
    ("max-connections", "IMPL", "On a Service: circuit breaker, connections."),
    ("max-pending-requests", "IMPL", "On a Service: circuit breaker, pending requests."),
    ("max-requests", "IMPL", "On a Service: circuit breaker, parallel requests."),
    ("max-retries", "IMPL", "On a Service: circuit breaker, parallel retries."),
)


class EnRouteProvider(CatalogueProvider):
    name = "enroute"
    title = "EnRoute"
    controllers = ()
    class_names = ("enroute",)
    docs_url = "https://getenroute.io/"
    notes = (
        "EnRoute uses no IngressClass controller string: it reads `enroute.saaras.io/ingress.class` or the "
        "legacy annotation (default class `enroute`) and also takes Ingresses with no class. ing2gw reads its "
        "class annotation as the class when no standard class is set. It has no usable Gateway API "
        "implementation."
    )


PROVIDER = EnRouteProvider(build_registry(PREFIX, ROWS, family="enroute"))
