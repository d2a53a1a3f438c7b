"""Apache APISIX Ingress Controller (``apisix.apache.org/apisix-ingress-controller``): its keys, known by name."""

from __future__ import annotations

from ing2gw.catalogue import CatalogueProvider, Row, build_registry

PREFIX = "k8s.apisix.apache.org/"

ROWS: tuple[Row, ...] = (
    ("use-regex", "CORE RegularExpression", "Reads ImplementationSpecific paths as regular expressions."),
    ("enable-websocket", "CORE implicit", "Allows WebSocket upgrades on the route."),
    ("plugin-config-name", "IMPL ExtensionRef to PluginConfig", "Attaches a PluginConfig of APISIX plugins."),
    ("upstream-scheme", "CORE BackendTLSPolicy / GRPCRoute / appProtocol", "Protocol to the backend: http, https, grpc, grpcs."),
    ("upstream-retries", "EXP retry.attempts", "Retries towards the backend."),
    ("upstream-connect-timeout", "IMPL BackendTrafficPolicy", "Backend connect timeout."),
    ("upstream-read-timeout", "IMPL BackendTrafficPolicy", "Backend read timeout."),
    ("upstream-send-timeout", "IMPL BackendTrafficPolicy", "Backend send timeout."),
    ("enable-cors", "CORE CORS filter", "Turns CORS on."),
    ("cors-allow-origin", "CORE CORS allowOrigins", "CORS: allowed origins."),
    ("cors-allow-headers", "CORE CORS allowHeaders", "CORS: allowed headers."),
    ("cors-allow-methods", "CORE CORS allowMethods", "CORS: allowed methods."),
    ("enable-csrf", "IMPL", "Turns on the CSRF plugin."),
    ("csrf-key", "IMPL", "Key of the CSRF plugin."),
    ("http-to-https", "CORE RequestRedirect", "Redirects HTTP to HTTPS with 301."),
    ("http-redirect", "CORE RequestRedirect", "Redirects to a URI."),
    ("http-redirect-code", "CORE RequestRedirect statusCode", "Status code of http-redirect."),
    ("rewrite-target", "CORE URLRewrite ReplaceFullPath", "Replaces the path."),
    ("rewrite-target-regex", "NONE", "Regex of a path rewrite with captures."),
    ("rewrite-target-regex-template", "NONE", "Template of that regex rewrite."),
    ("enable-response-rewrite", "IMPL", "Turns on response rewriting."),
    ("response-rewrite-status-code", "IMPL", "Status code of rewritten responses."),
    ("response-rewrite-body", "IMPL", "Body of rewritten responses."),
    ("response-rewrite-body-base64", "IMPL", "Whether that body is base64."),
    ("response-rewrite-add-header", "CORE ResponseHeaderModifier add", "Response headers to add."),
    ("response-rewrite-set-header", "CORE ResponseHeaderModifier set", "Response headers to set."),
    ("response-rewrite-remove-header", "CORE ResponseHeaderModifier remove", "Response headers to remove."),
    ("auth-uri", "EXP ExternalAuth", "Forward-auth service URL."),
    ("auth-ssl-verify", "EXP ExternalAuth", "Verifies the forward-auth service certificate."),
    ("auth-request-headers", "EXP ExternalAuth allowedHeaders", "Client headers sent to the auth service."),
    ("auth-upstream-headers", "EXP ExternalAuth allowedResponseHeaders", "Auth response headers sent upstream."),
    ("auth-client-headers", "EXP ExternalAuth", "Auth response headers returned to the client on failure."),
    ("allowlist-source-range", "IMPL", "Only these client CIDRs are allowed."),
    ("blocklist-source-range", "IMPL", "These client CIDRs are refused."),
    ("http-allow-methods", "CORE method match", "Only these methods are routed."),
    ("http-block-methods", "IMPL", "These methods are refused."),
    ("auth-type", "IMPL", "keyAuth or basicAuth through Consumers."),
    ("svc-namespace", "CORE backendRef namespace + ReferenceGrant", "Backend Service in another namespace."),
    ("apisix.apache.org/parameters-namespace", "IMPL GatewayClass parametersRef", "On an IngressClass: namespace of its GatewayProxy parameters."),
)


class APISIXProvider(CatalogueProvider):
    name = "apisix"
    title = "Apache APISIX Ingress Controller"
    controllers = ("apisix.apache.org/apisix-ingress-controller",)
    class_names = ("apisix",)
    docs_url = "https://apisix.apache.org/docs/ingress-controller/reference/annotations/"
    gateway_classes = ("apisix.apache.org/apisix-ingress-controller",)
    notes = (
        "IngressClass `parameters` name a GatewayProxy. APISIX's Gateway API support lacks HTTPRoute "
        "`timeouts`, `retry`, `sessionPersistence` and BackendTLSPolicy (it uses its BackendTrafficPolicy); "
        "plugins attach through an ExtensionRef to a PluginConfig."
    )


PROVIDER = APISIXProvider(build_registry(PREFIX, ROWS, family="apisix"))
