"""Citrix / NetScaler Ingress Controller (``citrix.com/ingress-controller``): its keys, known by name."""

from __future__ import annotations

from ing2gw.catalogue import CatalogueProvider, Row, build_registry

PREFIX = "ingress.citrix.com/"

ROWS: tuple[Row, ...] = (
    ("frontend-ip", "CORE Gateway spec.addresses", "Virtual IP of the Ingress."),
    ("secure-port", "CORE listener port", "HTTPS port."),
    ("insecure-port", "CORE listener port", "HTTP port."),
    ("insecure-termination", "CORE RequestRedirect / no HTTP listener", "Plain HTTP: allow, redirect or disallow."),
    ("secure-backend", "CORE BackendTLSPolicy", "Services reached over HTTPS."),
    ("secure_backend", "CORE BackendTLSPolicy", "Underscore spelling of secure-backend."),
    ("secure-service-type", "CORE HTTPS or TLS listener", "ssl or ssl_tcp frontend."),
    ("insecure-service-type", "CORE TCPRoute / UDPRoute", "L4 protocol of the frontend (http, tcp, udp, ...)."),
    ("path-match-method", "CORE PathPrefix / Exact", "Whether paths match as prefixes or exactly."),
    ("ssl-passthrough", "CORE TLSRoute", "Passes TLS through."),
    ("canary-weight", "CORE backendRefs weight", "Share of traffic for the canary."),
    ("canary-by-header", "CORE header match", "Header that sends requests to the canary."),
    ("canary-by-header-value", "CORE header match Exact", "Header value that selects the canary."),
    ("ca-secret", "CORE Gateway spec.tls.frontend", "CA that verifies client certificates."),
    ("backend-secret", "CORE Gateway spec.tls.backend", "Client certificate presented to backends."),
    ("backend-ca-secret", "CORE BackendTLSPolicy", "CA that verifies backend certificates."),
    ("preconfigured-certkey", "NONE", "Certificates already installed on the ADC."),
    ("deployment", "NONE", "Direct server return mode."),
    ("lbvserver", "NONE", "ADC load-balancing virtual server settings per Service."),
    ("servicegroup", "NONE", "ADC service group settings."),
    ("monitor", "IMPL", "Health monitor."),
    ("csvserver", "NONE", "ADC content-switching virtual server settings."),
    ("frontend-httpprofile", "NONE", "ADC HTTP profile of the frontend."),
    ("frontend-tcpprofile", "NONE", "ADC TCP profile of the frontend."),
    ("frontend_tcpprofile", "NONE", "Underscore spelling of frontend-tcpprofile."),
    ("frontend-sslprofile", "NONE", "ADC TLS profile of the frontend."),
    ("backend-httpprofile", "NONE", "ADC HTTP profile towards backends."),
    ("backend-tcpprofile", "NONE", "ADC TCP profile towards backends."),
    ("backend-sslprofile", "NONE", "ADC TLS profile towards backends."),
    ("analyticsprofile", "NONE", "Web Insight analytics profile."),
    ("listener", "NONE", "NetScaler Listener object to use."),
    ("external-service", "IMPL", "Domain-based service group for external backends."),
    ("rewrite-responder_crd", "IMPL", "Rewrite and responder policy object."),
    ("auth_crd", "IMPL", "Authentication policy object."),
    ("ratelimit_crd", "IMPL", "Rate-limit policy object."),
    ("waf_crd", "IMPL", "WAF policy object."),
    ("bot_crd", "IMPL", "Bot management policy object."),
)


class CitrixProvider(CatalogueProvider):
    name = "citrix"
    title = "Citrix / NetScaler Ingress Controller"
    controllers = ("citrix.com/ingress-controller",)
    class_names = ("citrix",)
    docs_url = "https://docs.netscaler.com/en-us/netscaler-k8s-ingress-controller/configure/annotations"
    notes = (
        "Classes come from the controller's `--ingress-classes` argument (case-insensitive); with none "
        "configured it takes every Ingress. NetScaler has no Gateway API implementation (its `HTTPRoute` CRD "
        "is its own API)."
    )


PROVIDER = CitrixProvider(build_registry(PREFIX, ROWS, family="citrix"))
