"""F5 BIG-IP Container Ingress Services (``f5.com/cntr-ingress-svcs``): its keys, known by name."""

from __future__ import annotations

from ing2gw.catalogue import CatalogueProvider, Row, build_registry

PREFIX = "virtual-server.f5.com/"

ROWS: tuple[Row, ...] = (
    ("ip", "CORE Gateway spec.addresses", "Virtual server address."),
    ("http-port", "CORE listener port", "HTTP port of the virtual server."),
    ("https-port", "CORE listener port", "HTTPS port of the virtual server."),
    ("partition", "IMPL", "BIG-IP partition."),
    ("balance", "IMPL", "Load-balancing mode."),
    ("health", "IMPL", "Health monitors."),
    ("clientssl", "IMPL", "Client-side TLS profile or Secret."),
    ("serverssl", "CORE BackendTLSPolicy", "Server-side TLS profile."),
    ("secure-serverssl", "CORE BackendTLSPolicy", "Verifies backend certificates."),
    ("rewrite-app-root", "CORE RequestRedirect", "Redirects the root to an application path."),
    ("rewrite-target-url", "CORE URLRewrite", "Rewrites host and path."),
    ("whitelist-source-range", "IMPL", "Only these client CIDRs are allowed."),
    ("allow-source-range", "IMPL", "Only these client CIDRs are allowed."),
    ("waf", "IMPL", "WAF policy."),
    ("translate-server-address", "NONE", "Source address translation."),
    ("pod-concurrent-connections", "IMPL", "Connections per pod."),
    ("multiClusterServices", "NONE", "Backends in other clusters."),
    ("ingress.kubernetes.io/ssl-redirect", "CORE RequestRedirect", "Redirects HTTP to HTTPS."),
    ("ingress.kubernetes.io/allow-http", "CORE HTTP listener", "Whether plain HTTP is served."),
)


class F5BigIPProvider(CatalogueProvider):
    name = "f5-bigip"
    title = "F5 BIG-IP Container Ingress Services"
    controllers = ("f5.com/cntr-ingress-svcs",)
    class_names = ("f5",)
    docs_url = "https://clouddocs.f5.com/containers/latest/userguide/kubernetes/"
    notes = "CIS rejects other controller values. It has no Gateway API implementation."


PROVIDER = F5BigIPProvider(build_registry(PREFIX, ROWS, family="f5-bigip"))
