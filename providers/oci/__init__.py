"""OCI Native Ingress Controller (``oci.oraclecloud.com/native-ingress-controller``): its keys, known by name."""

from __future__ import annotations

from ing2gw.catalogue import CatalogueProvider, Row, build_registry

PREFIX = "oci-native-ingress.oraclecloud.com/"

_HEALTH = ("protocol", "port", "path", "interval-milliseconds", "timeout-milliseconds", "retries", "return-code",
           "response-regex", "force-plaintext")

ROWS: tuple[Row, ...] = (
    ("id", "IMPL", "On an IngressClass: adopts an existing load balancer."),
    ("waf-policy-ocid", "IMPL", "On an IngressClass: WAF policy."),
    ("firewall-id", "IMPL", "On an IngressClass: network firewall."),
    ("network-security-group-ids", "IMPL", "On an IngressClass: network security groups of the load balancer."),
    ("delete-protection-enabled", "IMPL", "On an IngressClass: protects the load balancer from deletion."),
    ("defined-tags", "IMPL", "On an IngressClass: defined tags."),
    ("freeform-tags", "IMPL", "On an IngressClass: free-form tags."),
    ("implicit-default-tags", "IMPL", "On an IngressClass: default tags."),
    ("certificate-ocid", "IMPL", "Listener certificate from OCI Certificates."),
    ("backend-tls-enabled", "CORE BackendTLSPolicy", "TLS to backends."),
    ("protocol", "CORE listener protocol", "Listener protocol: HTTP, HTTP2 or TCP."),
    ("http-listener-port", "CORE listener port", "HTTP listener port."),
    ("https-listener-port", "CORE listener port", "HTTPS listener port."),
    ("policy", "IMPL", "Load-balancing policy."),
    *((f"healthcheck-{k}", "IMPL", f"Backend health check: {k.replace('-', ' ')}.") for k in _HEALTH),
    ("session-persistence-config", "EXP sessionPersistence", "Application-cookie session persistence."),
    ("lb-cookie-session-persistence-config", "EXP sessionPersistence", "Load-balancer-cookie session persistence."),
)


class OCIProvider(CatalogueProvider):
    name = "oci"
    title = "OCI Native Ingress Controller"
    controllers = ("oci.oraclecloud.com/native-ingress-controller",)
    class_names = ()
    docs_url = "https://github.com/oracle/oci-native-ingress-controller/blob/main/GettingStarted.md"
    notes = (
        "IngressClass `parameters` name IngressClassParameters (compartment, subnet, load-balancer shape). "
        "Several keys belong on the IngressClass. Class names are chosen by the installer, so there is no "
        "well-known one. No Gateway API implementation is known."
    )


PROVIDER = OCIProvider(build_registry(PREFIX, ROWS, family="oci"))
