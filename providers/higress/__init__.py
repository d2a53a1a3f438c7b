"""Higress and Alibaba Cloud MSE / API Gateway Ingress: their annotation keys, known by name.

Keys Higress shares with ingress-nginx are read under either ``higress.io/`` or
``nginx.ingress.kubernetes.io/``; Higress-only keys only under ``higress.io/``.
"""

from __future__ import annotations

from ing2gw.catalogue import CatalogueProvider, CatalogueRegistry, Row, build_registry

PREFIX = "higress.io/"
NGINX_PREFIX = "nginx.ingress.kubernetes.io/"

SHARED_ROWS: tuple[Row, ...] = (
    ("canary", "CORE extra rule", "Marks this Ingress as the canary of another."),
    ("canary-by-header", "CORE header match", "Header that sends requests to the canary."),
    ("canary-by-header-value", "CORE header match Exact", "Header value that selects the canary."),
    ("canary-by-header-pattern", "CORE header match RegularExpression", "Header regex that selects the canary."),
    ("canary-by-cookie", "CORE~ Cookie header match", "Cookie that sends requests to the canary."),
    ("canary-weight", "CORE backendRefs weight", "Share of traffic for the canary."),
    ("canary-weight-total", "CORE backendRefs weight", "Total the canary weight is out of."),
    ("enable-cors", "CORE CORS filter", "Turns CORS on."),
    ("cors-allow-origin", "CORE CORS allowOrigins", "CORS: allowed origins."),
    ("cors-allow-methods", "CORE CORS allowMethods", "CORS: allowed methods."),
    ("cors-allow-headers", "CORE CORS allowHeaders", "CORS: allowed headers."),
    ("cors-expose-headers", "CORE CORS exposeHeaders", "CORS: exposed headers."),
    ("cors-allow-credentials", "CORE CORS allowCredentials", "CORS: allow credentials."),
    ("cors-max-age", "CORE CORS maxAge", "CORS: preflight cache time."),
    ("ssl-redirect", "CORE RequestRedirect", "Redirects HTTP to HTTPS."),
    ("force-ssl-redirect", "CORE RequestRedirect", "Redirects HTTP to HTTPS even without TLS on the Ingress."),
    ("permanent-redirect", "CORE RequestRedirect", "Permanently redirects to a URL."),
    ("permanent-redirect-code", "CORE RequestRedirect statusCode", "Status code of permanent-redirect."),
    ("temporal-redirect", "CORE RequestRedirect", "Temporarily redirects to a URL."),
    ("app-root", "CORE RequestRedirect", "Redirects / to the application root."),
    ("rewrite-target", "CORE URLRewrite", "Rewrites the path; $n captures have no standard form."),
    ("use-regex", "CORE RegularExpression", "Reads paths as regular expressions."),
    ("upstream-vhost", "CORE URLRewrite hostname", "Host header sent to the backend."),
    ("ignore-path-case", "NONE", "Matches paths case-insensitively."),
    ("mirror-target-service", "CORE RequestMirror", "Service that receives a copy of the traffic."),
    ("mirror-percentage", "CORE RequestMirror percent", "Share of the traffic mirrored."),
    ("mirror-target-fqdn", "IMPL", "External host that receives a copy of the traffic."),
    ("mirror-target-fqdn-port", "IMPL", "Port of that external host."),
    ("proxy-next-upstream-tries", "EXP retry.attempts", "Retry attempts."),
    ("proxy-next-upstream", "EXP retry.codes", "Retry conditions."),
    ("retriable-status-codes", "EXP retry.codes", "Status codes that are retried."),
    ("proxy-next-upstream-timeout", "CORE timeouts.backendRequest", "Time allowed per try."),
    ("backend-protocol", "CORE BackendTLSPolicy / GRPCRoute / appProtocol", "Protocol to the backend (HTTP, HTTPS, GRPC, GRPCS, HTTP2)."),
    ("proxy-ssl-verify", "CORE BackendTLSPolicy", "Verifies the backend certificate."),
    ("proxy-ssl-name", "CORE BackendTLSPolicy hostname", "Name to verify in the backend certificate."),
    ("proxy-ssl-server-name", "CORE BackendTLSPolicy hostname", "Sends SNI to the backend."),
    ("proxy-ssl-secret", "CORE Gateway spec.tls.backend", "Client certificate presented to the backend."),
    ("auth-tls-secret", "CORE Gateway spec.tls.frontend", "CA that verifies client certificates."),
    ("ssl-cipher", "IMPL listener tls.options", "Ciphers offered to clients."),
    ("tls-min-protocol-version", "IMPL listener tls.options", "Lowest TLS version accepted."),
    ("tls-max-protocol-version", "IMPL listener tls.options", "Highest TLS version accepted."),
    ("affinity", "EXP sessionPersistence", "Cookie-based sticky sessions."),
    ("affinity-mode", "EXP sessionPersistence", "balanced or persistent affinity."),
    ("affinity-canary-behavior", "EXP sessionPersistence", "Whether affinity sticks to the canary."),
    ("session-cookie-name", "EXP sessionPersistence.sessionName", "Name of the sticky cookie."),
    ("session-cookie-path", "EXP~ sessionPersistence", "Path of the sticky cookie."),
    ("session-cookie-max-age", "EXP sessionPersistence.absoluteTimeout", "Max-Age of the sticky cookie."),
    ("session-cookie-expires", "EXP sessionPersistence.absoluteTimeout", "Expiry of the sticky cookie."),
    ("load-balance", "IMPL", "Load-balancing algorithm."),
    ("upstream-hash-by", "IMPL", "Key for consistent hashing."),
    ("whitelist-source-range", "IMPL", "Only these client CIDRs are allowed."),
    ("auth-type", "IMPL", "Basic authentication."),
    ("auth-realm", "IMPL", "Basic-auth realm."),
    ("auth-secret", "IMPL", "Secret with basic-auth users."),
    ("auth-secret-type", "IMPL", "Format of that Secret."),
    ("default-backend", "NONE", "Service that answers on errors."),
    ("custom-http-errors", "NONE", "Error codes sent to the default backend."),
)

HIGRESS_ONLY_ROWS: tuple[Row, ...] = (
    ("destination", "CORE backendRefs weight", "Weighted split across several services."),
    ("rewrite-path", "CORE URLRewrite", "Replaces the path."),
    ("full-path-regex", "CORE RegularExpression", "Reads paths as full-path regular expressions."),
    ("request-header-control-add", "CORE RequestHeaderModifier add", "Request headers to add."),
    ("request-header-control-update", "CORE RequestHeaderModifier set", "Request headers to set."),
    ("request-header-control-remove", "CORE RequestHeaderModifier remove", "Request headers to remove."),
    ("response-header-control-add", "CORE ResponseHeaderModifier add", "Response headers to add."),
    ("response-header-control-update", "CORE ResponseHeaderModifier set", "Response headers to set."),
    ("response-header-control-remove", "CORE ResponseHeaderModifier remove", "Response headers to remove."),
    ("match-method", "CORE method match", "Only these methods are routed."),
    ("exact-match-header-<name>", "CORE header match Exact", "Routes only requests with this exact header value."),
    ("prefix-match-header-<name>", "CORE header match RegularExpression", "Routes only requests whose header starts with this."),
    ("regex-match-header-<name>", "CORE header match RegularExpression", "Routes only requests whose header matches this regex."),
    ("exact-match-query-<name>", "CORE queryParams match Exact", "Routes only requests with this exact query value."),
    ("prefix-match-query-<name>", "CORE queryParams match RegularExpression", "Routes only requests whose query value starts with this."),
    ("regex-match-query-<name>", "CORE queryParams match RegularExpression", "Routes only requests whose query value matches this regex."),
    ("exact-match-pseudo-header-<name>", "CORE~ hostnames / method match", "Exact match on an HTTP/2 pseudo-header."),
    ("prefix-match-pseudo-header-<name>", "CORE~ hostnames / method match", "Prefix match on an HTTP/2 pseudo-header."),
    ("regex-match-pseudo-header-<name>", "CORE~ hostnames / method match", "Regex match on an HTTP/2 pseudo-header."),
    ("timeout", "CORE timeouts.request", "Route timeout in seconds."),
    ("route-limit-rpm", "IMPL", "Requests per minute allowed on the route."),
    ("route-limit-rps", "IMPL", "Requests per second allowed on the route."),
    ("route-limit-burst-multiplier", "IMPL", "Burst allowed above the route limit."),
    ("rpc-destination-name", "IMPL", "Http2Rpc object that transcodes HTTP to Dubbo or gRPC."),
    ("http2rpc-name", "IMPL", "Older name of rpc-destination-name."),
    ("mcp-server", "IMPL", "Exposes the backend as an MCP server."),
    ("mcp-server-match-rule-domains", "IMPL", "Domains of the MCP server match rule."),
    ("mcp-server-match-rule-type", "IMPL", "Type of the MCP server match rule."),
    ("mcp-server-match-rule-value", "IMPL", "Value of the MCP server match rule."),
    ("mcp-server-upstream-type", "IMPL", "Kind of upstream behind the MCP server."),
    ("mcp-server-enable-path-rewrite", "IMPL", "Rewrites MCP request paths."),
    ("mcp-server-path-rewrite-prefix", "IMPL", "Prefix of that rewrite."),
    ("mcp-sse-stateful-param-name", "IMPL", "Query parameter that keeps SSE sessions stateful."),
)


class HigressProvider(CatalogueProvider):
    name = "higress"
    title = "Higress / Alibaba Cloud MSE and API Gateway Ingress"
    controllers = ("higress.io/higress-controller", "mse.alibabacloud.com/ingress")
    class_names = ("higress", "mse", "apig")
    docs_url = "https://higress.cn/en/docs/latest/user/annotation-use-case/"
    gateway_classes = ("higress.io/gateway-controller",)
    notes = (
        "Alibaba Cloud MSE Ingress and API Gateway Ingress are the commercial Higress. Keys shared with "
        "ingress-nginx are read under `higress.io/` or `nginx.ingress.kubernetes.io/`; Higress-only keys under "
        "`higress.io/` only. The API Gateway IngressClass controller string is not known; its class `apig` is "
        "recognised by name."
    )


def _registry() -> CatalogueRegistry:
    registry = build_registry(PREFIX, SHARED_ROWS, alias_prefixes=(NGINX_PREFIX,), family="higress")
    for h in build_registry(PREFIX, HIGRESS_ONLY_ROWS, family="higress"):
        registry.add(h)
    return registry


PROVIDER = HigressProvider(_registry())
