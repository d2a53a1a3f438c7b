"""AKS Application Gateway Ingress Controller (``azure/application-gateway``): its keys, known by name."""

from __future__ import annotations

from ing2gw.catalogue import CatalogueProvider, Row, build_registry

PREFIX = "appgw.ingress.kubernetes.io/"

ROWS: tuple[Row, ...] = (
    ("backend-path-prefix", "CORE URLRewrite ReplacePrefixMatch", "Replaces the matched path prefix towards the backend."),
    ("backend-hostname", "CORE URLRewrite hostname", "Host header sent to the backend."),
    ("backend-protocol", "CORE BackendTLSPolicy", "http or https to the backend."),
    ("ssl-redirect", "CORE RequestRedirect", "Redirects HTTP to HTTPS."),
    ("appgw-ssl-certificate", "CORE listener certificateRefs", "Certificate already installed on the Application Gateway."),
    ("appgw-trusted-root-certificate", "CORE BackendTLSPolicy caCertificateRefs", "Root certificates trusted for backends."),
    ("appgw-ssl-profile", "IMPL FrontendTLSPolicy", "Frontend TLS profile."),
    ("connection-draining", "NONE", "Turns connection draining on."),
    ("connection-draining-timeout", "NONE", "Connection draining timeout."),
    ("cookie-based-affinity", "IMPL RoutePolicy", "Cookie-based sticky sessions."),
    ("cookie-based-affinity-distinct-name", "IMPL RoutePolicy", "A distinct affinity cookie name per path."),
    ("request-timeout", "CORE timeouts.backendRequest", "Backend request timeout in seconds."),
    ("override-frontend-port", "CORE listener port", "Listener port other than 80 or 443."),
    ("use-private-ip", "NONE", "Uses the private frontend IP."),
    ("waf-policy-for-path", "IMPL WebApplicationFirewallPolicy", "WAF policy for the paths of the Ingress."),
    ("health-probe-hostname", "IMPL HealthCheckPolicy", "Host of the health probe."),
    ("health-probe-port", "IMPL HealthCheckPolicy", "Port of the health probe."),
    ("health-probe-path", "IMPL HealthCheckPolicy", "Path of the health probe."),
    ("health-probe-status-codes", "IMPL HealthCheckPolicy", "Healthy status codes."),
    ("health-probe-interval", "IMPL HealthCheckPolicy", "Probe interval."),
    ("health-probe-timeout", "IMPL HealthCheckPolicy", "Probe timeout."),
    ("health-probe-unhealthy-threshold", "IMPL HealthCheckPolicy", "Failed probes before unhealthy."),
    ("rewrite-rule-set", "CORE header modifiers / URLRewrite", "Rewrite rule set defined on the Application Gateway."),
    ("rewrite-rule-set-custom-resource", "CORE header modifiers / URLRewrite", "Rewrite rules from an AzureApplicationGatewayRewrite object."),
    ("hostname-extension", "CORE hostnames", "Extra hostnames (wildcards allowed)."),
    ("rule-priority", "NONE", "Priority of the routing rule."),
)


class AGICProvider(CatalogueProvider):
    name = "agic"
    title = "AKS Application Gateway Ingress Controller"
    controllers = ("azure/application-gateway",)
    class_names = ("azure-application-gateway", "azure/application-gateway")
    docs_url = "https://azure.github.io/application-gateway-kubernetes-ingress/annotations/"
    gateway_classes = ("alb.networking.azure.io/alb-controller",)
    notes = (
        "The AKS add-on's class is `azure-application-gateway`; the legacy annotation value is "
        "`azure/application-gateway`. Microsoft's successor, Application Gateway for Containers, implements "
        "Gateway API (`alb.networking.azure.io/alb-controller`, class `azure-alb-external`) with RoutePolicy, "
        "HealthCheckPolicy, FrontendTLSPolicy and WebApplicationFirewallPolicy; it listens on 80 and 443 only."
    )


PROVIDER = AGICProvider(build_registry(PREFIX, ROWS, family="agic"))
