"""Cilium Ingress (``cilium.io/ingress-controller``): its ``ingress.cilium.io/*`` keys, known by name."""

from __future__ import annotations

from ing2gw.catalogue import CatalogueProvider, Row, build_registry

PREFIX = "ingress.cilium.io/"

ROWS: tuple[Row, ...] = (
    ("loadbalancer-mode", "CORE own or shared Gateway", "Dedicated load balancer for the Ingress, or the shared one."),
    ("loadbalancer-class", "IMPL CiliumGatewayClassConfig", "loadBalancerClass of the dedicated Service."),
    ("service-type", "IMPL CiliumGatewayClassConfig", "LoadBalancer or NodePort for the dedicated Service."),
    ("service-external-traffic-policy", "IMPL CiliumGatewayClassConfig", "externalTrafficPolicy of the generated Service."),
    ("insecure-node-port", "IMPL CiliumGatewayClassConfig", "Fixed nodePort for HTTP."),
    ("secure-node-port", "IMPL CiliumGatewayClassConfig", "Fixed nodePort for HTTPS."),
    ("host-listener-port", "IMPL", "Port Envoy listens on in host-network mode."),
    ("tls-passthrough", "CORE TLSRoute", "Passes TLS through by SNI."),
    ("force-https", "CORE RequestRedirect", "Redirects HTTP to HTTPS for hosts with TLS."),
    ("tcp-keep-alive", "IMPL CiliumEnvoyConfig", "TCP keep-alive towards backends."),
    ("tcp-keep-alive-idle", "IMPL CiliumEnvoyConfig", "Idle time before keep-alive probes."),
    ("tcp-keep-alive-probe-interval", "IMPL CiliumEnvoyConfig", "Interval of keep-alive probes."),
    ("tcp-keep-alive-probe-max-failures", "IMPL CiliumEnvoyConfig", "Failed probes before the connection drops."),
    ("request-timeout", "CORE timeouts.request", "Route timeout (0s: none)."),
)


class CiliumProvider(CatalogueProvider):
    name = "cilium"
    title = "Cilium Ingress"
    controllers = ("cilium.io/ingress-controller",)
    class_names = ("cilium",)
    docs_url = "https://docs.cilium.io/en/stable/network/servicemesh/ingress/"
    gateway_classes = ("io.cilium/gateway-controller",)
    notes = (
        "ImplementationSpecific paths are regular expressions in Cilium. Ingress annotations with the prefixes "
        "`lbipam.cilium.io`, `nodeipam.cilium.io`, `service.beta.kubernetes.io`, `service.kubernetes.io` and "
        "`cloud.google.com` are copied to the load-balancer Service; on a Gateway that is "
        "`spec.infrastructure.annotations`."
    )


PROVIDER = CiliumProvider(build_registry(PREFIX, ROWS, family="cilium"))
