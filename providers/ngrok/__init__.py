"""ngrok-operator (``ngrok.com/ingress-controller``): its annotations, known by name."""

from __future__ import annotations

from ing2gw.catalogue import CatalogueProvider, Row, build_registry

PREFIX = "ngrok.com/"
LEGACY_PREFIX = "k8s.ngrok.com/"

ROWS: tuple[Row, ...] = (
    ("traffic-policy", "IMPL ExtensionRef to NgrokTrafficPolicy", "Attaches an ngrok traffic policy."),
    ("mapping-strategy", "IMPL", "How endpoints are laid out."),
    ("pooling-enabled", "IMPL", "Endpoint pooling."),
    ("bindings", "IMPL", "Endpoint binding: public, internal or kubernetes."),
    ("metadata", "IMPL", "Endpoint metadata."),
    ("description", "IMPL", "Endpoint description."),
    ("url", "IMPL", "On a LoadBalancer Service: its public TCP or TLS URL."),
    ("app-protocols", "CORE Service appProtocol", "On a Service: https or http2 per port."),
    ("computed-url", "NONE", "URL the operator writes (an output)."),
)


class NgrokProvider(CatalogueProvider):
    name = "ngrok"
    title = "ngrok Kubernetes Operator"
    controllers = ("ngrok.com/ingress-controller", "k8s.ngrok.com/ingress-controller")
    class_names = ("ngrok",)
    docs_url = "https://ngrok.com/docs/k8s/"
    gateway_classes = ("ngrok.com/gateway-controller",)
    notes = (
        "Annotations moved from `k8s.ngrok.com/` to `ngrok.com/`; both are read. Several of them are also read "
        "on an ngrok Gateway, so they can move there unchanged."
    )


PROVIDER = NgrokProvider(build_registry(PREFIX, ROWS, alias_prefixes=(LEGACY_PREFIX,), family="ngrok"))
