"""Avi Kubernetes Operator (``ako.vmware.com/avi-lb``): its two Ingress annotations, known by name.

Almost all of AKO's routing settings live in CRDs (HostRule, HTTPRule, L7Rule, AviInfraSetting), not
annotations.
"""

from __future__ import annotations

from ing2gw.catalogue import CatalogueProvider, Row, build_registry

PREFIX = "ako.vmware.com/"

ROWS: tuple[Row, ...] = (
    ("enable-tls", "CORE listener certificateRefs", "Terminates TLS for the hosts with the default certificate, without spec.tls."),
    ("passthrough.ako.vmware.com/enabled", "CORE TLSRoute", "TLS passthrough on a shared L4 virtual service."),
)


class AviProvider(CatalogueProvider):
    name = "avi"
    title = "Avi Kubernetes Operator (VMware Avi / NSX ALB)"
    controllers = ("ako.vmware.com/avi-lb",)
    class_names = ("avi-lb",)
    docs_url = "https://github.com/vmware/load-balancer-and-ingress-services-for-kubernetes/blob/master/docs/ingress/ingress.md"
    gateway_classes = ("ako.vmware.com/avi-lb",)
    notes = (
        "IngressClass `parameters` name an AviInfraSetting. Routing customisation comes from the HostRule, "
        "HTTPRule and L7Rule CRDs: translate them by hand. AKO's Gateway API support has no GRPCRoute, "
        "TLSRoute, TCPRoute, UDPRoute or ReferenceGrant."
    )


PROVIDER = AviProvider(build_registry(PREFIX, ROWS, extra_prefixes=("passthrough.ako.vmware.com/",), family="avi"))
