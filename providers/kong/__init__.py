"""Kong Ingress Controller (``ingress-controllers.konghq.com/kong``): its keys, known by name."""

from __future__ import annotations

from ing2gw.catalogue import CatalogueProvider, Row, build_registry

PREFIX = "konghq.com/"

ROWS: tuple[Row, ...] = (
    ("plugins", "IMPL ExtensionRef to KongPlugin", "KongPlugin objects run on the route."),
    ("override", "NONE", "KongIngress overrides (deprecated)."),
    ("methods", "CORE method match", "Only these methods are routed."),
    ("headers.<name>", "CORE header match", "Routes only requests with one of these header values."),
    ("headers-separator", "CORE header match", "Separator of the values in headers.<name>."),
    ("host-aliases", "CORE hostnames", "Extra hostnames for the route."),
    ("snis", "CORE listener hostname", "SNI names for the route."),
    ("protocols", "CORE listener protocol / GRPCRoute", "Protocols the route accepts (http, https, grpc, grpcs)."),
    ("https-redirect-status-code", "CORE RequestRedirect statusCode", "Redirect code when HTTP is not accepted."),
    ("ingress.kubernetes.io/force-ssl-redirect", "CORE RequestRedirect", "Redirects HTTP to HTTPS."),
    ("strip-path", "CORE URLRewrite ReplacePrefixMatch", "Removes the matched prefix before proxying."),
    ("path", "CORE~ URLRewrite ReplacePrefixMatch", "On a Service: base path of the upstream."),
    ("rewrite", "CORE URLRewrite", "Rewrites the URI; $n captures have no standard form."),
    ("preserve-host", "CORE URLRewrite hostname", "Keeps the client Host header (false rewrites it)."),
    ("host-header", "CORE URLRewrite hostname", "On a Service: Host header sent upstream."),
    ("regex-priority", "NONE", "Priority of regex routes."),
    ("regex-prefix", "CORE RegularExpression", "Marker that makes a path a regex (/~ by default)."),
    ("path-handling", "NONE", "How route and service paths are joined (v0 or v1)."),
    ("request-buffering", "IMPL", "Buffers request bodies."),
    ("response-buffering", "IMPL", "Buffers responses."),
    ("tags", "NONE", "Tags of the Kong entities."),
    ("protocol", "CORE appProtocol / BackendTLSPolicy / GRPCRoute", "On a Service: protocol towards it."),
    ("connect-timeout", "IMPL", "On a Service: connect timeout in ms."),
    ("write-timeout", "IMPL", "On a Service: write timeout in ms."),
    ("read-timeout", "IMPL", "On a Service: read timeout in ms."),
    ("retries", "EXP retry.attempts", "On a Service: retries."),
    ("client-cert", "CORE Gateway spec.tls.backend", "On a Service: client certificate presented upstream."),
    ("tls-verify", "CORE BackendTLSPolicy", "On a Service: verifies the upstream certificate."),
    ("tls-verify-depth", "CORE~ BackendTLSPolicy", "On a Service: verification depth."),
    ("ca-certificates-secrets", "CORE BackendTLSPolicy caCertificateRefs", "On a Service: CA Secrets for verification."),
    ("ca-certificates-configmaps", "CORE BackendTLSPolicy caCertificateRefs", "On a Service: CA ConfigMaps for verification."),
    ("upstream-policy", "IMPL KongUpstreamPolicy", "On a Service: balancing, hashing, health checks, stickiness."),
    ("ingress.kubernetes.io/service-upstream", "IMPL", "On a Service: proxy to the ClusterIP instead of endpoints."),
)


class KongProvider(CatalogueProvider):
    name = "kong"
    title = "Kong Ingress Controller"
    controllers = ("ingress-controllers.konghq.com/kong",)
    class_names = ("kong",)
    docs_url = "https://developer.konghq.com/kubernetes-ingress-controller/reference/annotations/"
    gateway_classes = ("konghq.com/kic-gateway-controller", "konghq.com/gateway-operator")
    notes = (
        "ImplementationSpecific paths starting with `/~` (see `regex-prefix`) are regexes, other paths are "
        "prefixes. KIC also implements Gateway API and keeps reading the Service annotations and "
        "KongUpstreamPolicy for HTTPRoute backends; plugins attach through an ExtensionRef to a KongPlugin."
    )


PROVIDER = KongProvider(build_registry(PREFIX, ROWS, family="kong"))
