"""GCE / GKE Ingress (classes ``gce``, ``gce-internal``, ...): its annotations, known by name.

GKE's controller reads only the legacy ``kubernetes.io/ingress.class`` annotation and has no IngressClass
controller string. BackendConfig and FrontendConfig objects carry most settings; their fields are not
annotations and are listed in the docs notes only.
"""

from __future__ import annotations

from ing2gw.catalogue import CatalogueProvider, Row, build_registry

PREFIX = "ingress.gcp.kubernetes.io/"
EXTRA_PREFIXES = ("networking.gke.io/", "cloud.google.com/")

ROWS: tuple[Row, ...] = (
    ("kubernetes.io/ingress.allow-http", "CORE no HTTP listener", "\"false\" serves the Ingress on HTTPS only."),
    ("kubernetes.io/ingress.global-static-ip-name", "CORE Gateway spec.addresses NamedAddress", "Reserved global address for the VIP."),
    ("kubernetes.io/ingress.regional-static-ip-name", "CORE Gateway spec.addresses NamedAddress", "Reserved regional address for the VIP."),
    ("pre-shared-cert", "IMPL listener tls.options", "Certificates already uploaded to Compute Engine."),
    ("networking.gke.io/managed-certificates", "IMPL", "Google-managed certificates (ManagedCertificate objects)."),
    ("networking.gke.io/v1beta1.FrontendConfig", "IMPL GCPGatewayPolicy", "FrontendConfig with the TLS policy and HTTPS redirect."),
    ("networking.gke.io/suppress-firewall-xpn-error", "NONE", "Shared-VPC firewall error handling."),
    ("cloud.google.com/neg", "NONE", "On a Service: container-native load balancing (always on with GKE Gateway)."),
    ("cloud.google.com/backend-config", "IMPL GCPBackendPolicy / HealthCheckPolicy", "On a Service: BackendConfig with timeouts, affinity, health check, IAP, Cloud Armor."),
    ("beta.cloud.google.com/backend-config", "IMPL GCPBackendPolicy / HealthCheckPolicy", "On a Service: older name of cloud.google.com/backend-config."),
    ("cloud.google.com/app-protocols", "CORE Service appProtocol", "On a Service: HTTPS or HTTP2 towards each port."),
    ("service.alpha.kubernetes.io/app-protocols", "CORE Service appProtocol", "On a Service: older name of cloud.google.com/app-protocols."),
    ("networking.gke.io/transparent-health-checker", "NONE", "On a Service: transparent health checks."),
)


class GCEProvider(CatalogueProvider):
    name = "gce"
    title = "GCE / GKE Ingress"
    controllers = ()
    class_names = ("gce", "gce-internal", "gce-regional-external", "gce-multi-cluster")
    docs_url = "https://cloud.google.com/kubernetes-engine/docs/how-to/ingress-configuration"
    gateway_classes = ("networking.gke.io/gateway",)
    notes = (
        "GKE's controller reads only the `kubernetes.io/ingress.class` annotation: an Ingress with no class is "
        "served as `gce`, and one with only `spec.ingressClassName` is not served. GatewayClasses: `gce` -> "
        "`gke-l7-global-external-managed`, `gce-internal` -> `gke-l7-rilb`, `gce-regional-external` -> "
        "`gke-l7-regional-external-managed`, `gce-multi-cluster` -> the `*-mc` classes. BackendConfig fields map "
        "to GCPBackendPolicy and HealthCheckPolicy (custom request/response headers to header modifiers); "
        "FrontendConfig `redirectToHttps` maps to a RequestRedirect and `sslPolicy` to GCPGatewayPolicy. "
        "ImplementationSpecific `/*` paths are prefixes, other paths exact. Status annotations the controller "
        "writes (`ingress.kubernetes.io/url-map`, ...) are outputs."
    )


PROVIDER = GCEProvider(build_registry(PREFIX, ROWS, extra_prefixes=EXTRA_PREFIXES, family="gce"))
