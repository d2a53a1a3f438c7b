"""Pomerium Ingress Controller (``pomerium.io/ingress-controller``): its snake_case keys, known by name."""

from __future__ import annotations

from ing2gw.catalogue import CatalogueProvider, Row, build_registry

PREFIX = "ingress.pomerium.io/"

ROWS: tuple[Row, ...] = (
    ("prefix_rewrite", "CORE URLRewrite ReplacePrefixMatch", "Replaces the matched path prefix."),
    ("regex_rewrite_pattern", "NONE", "Regex of a path rewrite with captures."),
    ("regex_rewrite_substitution", "NONE", "Substitution of that regex rewrite."),
    ("host_rewrite", "CORE URLRewrite hostname", "Host header sent upstream."),
    ("host_rewrite_header", "NONE", "Takes the upstream Host from a request header."),
    ("host_path_regex_rewrite_pattern", "NONE", "Regex over the path that yields the upstream Host."),
    ("host_path_regex_rewrite_substitution", "NONE", "Substitution producing that Host."),
    ("preserve_host_header", "CORE default behaviour", "Keeps the client Host header."),
    ("set_request_headers", "CORE RequestHeaderModifier set", "Request headers to set."),
    ("remove_request_headers", "CORE RequestHeaderModifier remove", "Request headers to remove."),
    ("set_response_headers", "CORE ResponseHeaderModifier set", "Response headers to set."),
    ("rewrite_response_headers", "CORE~ ResponseHeaderModifier", "Rewrites response header values by prefix."),
    ("timeout", "CORE timeouts.request", "Route timeout."),
    ("idle_timeout", "IMPL", "Idle timeout of the route."),
    ("allow_websockets", "CORE implicit", "Allows WebSocket upgrades."),
    ("allow_spdy", "CORE implicit", "Allows SPDY upgrades."),
    ("allow_upgrades", "CORE implicit", "Allows protocol upgrades."),
    ("tls_server_name", "CORE BackendTLSPolicy hostname", "SNI sent to the upstream."),
    ("tls_skip_verify", "CORE~ BackendTLSPolicy", "Skips upstream certificate verification."),
    ("tls_custom_ca_secret", "CORE BackendTLSPolicy caCertificateRefs", "CA that verifies the upstream."),
    ("tls_client_secret", "CORE Gateway spec.tls.backend", "Client certificate presented upstream."),
    ("tls_downstream_client_ca_secret", "CORE Gateway spec.tls.frontend", "CA that verifies client certificates."),
    ("secure_upstream", "CORE BackendTLSPolicy", "HTTPS to the upstream."),
    ("path_regex", "CORE RegularExpression", "Reads paths as regular expressions."),
    ("cors_allow_preflight", "EXP ExternalAuth", "Lets CORS preflights through without authentication."),
    ("allow_any_authenticated_user", "IMPL PolicyFilter", "Any signed-in user may pass."),
    ("allow_public_unauthenticated_access", "IMPL PolicyFilter", "Anyone may pass without signing in."),
    ("allowed_domains", "IMPL PolicyFilter", "Users of these email domains may pass."),
    ("allowed_idp_claims", "IMPL PolicyFilter", "Users with these identity-provider claims may pass."),
    ("allowed_users", "IMPL PolicyFilter", "These users may pass."),
    ("policy", "IMPL PolicyFilter", "Access policy in Pomerium Policy Language."),
    ("allowed_groups", "NONE", "Removed: Pomerium rejects an Ingress that still uses it (directory sync)."),
    ("pass_identity_headers", "IMPL", "Sends identity headers upstream."),
    ("bearer_token_format", "IMPL", "How bearer tokens are passed upstream."),
    ("idp_access_token_allowed_audiences", "IMPL", "Audiences accepted for identity-provider access tokens."),
    ("identity_provider_secret", "IMPL", "Secret with a per-route identity-provider client."),
    ("kubernetes_service_account_token_secret", "IMPL", "Service account token sent to a Kubernetes API upstream."),
    ("enable_google_cloud_serverless_authentication", "IMPL", "Signs requests for Google Cloud serverless upstreams."),
    ("set_request_headers_secret", "IMPL", "Request header values taken from a Secret."),
    ("set_response_headers_secret", "IMPL", "Response header values taken from a Secret."),
    ("load_balancing_policy", "IMPL", "Load-balancing policy."),
    ("health_checks", "IMPL", "Upstream health checks."),
    ("healthy_panic_threshold", "IMPL", "Panic threshold of the upstream."),
    ("outlier_detection", "IMPL", "Outlier detection of the upstream."),
    ("circuit_breaker_thresholds", "IMPL", "Circuit-breaker thresholds."),
    ("tcp_upstream", "IMPL", "The upstream is plain TCP."),
    ("udp_upstream", "IMPL", "The upstream is UDP."),
    ("ssh_upstream", "IMPL", "The upstream is SSH."),
    ("service_proxy_upstream", "IMPL", "Sends to the Service proxy instead of the pods."),
    ("subtle_allow_empty_host", "IMPL", "Allows an Ingress rule without a host."),
    ("upstream_tunnel", "IMPL", "Reaches the upstream through a tunnel."),
    ("upstream_tunnel_ssh_policy", "IMPL", "Policy of the SSH upstream tunnel."),
    ("mcp_server", "IMPL", "Exposes the route as an MCP server."),
    ("mcp_server_max_request_bytes", "IMPL", "Largest MCP request body."),
    ("mcp_server_path", "IMPL", "Path of the MCP server."),
    ("mcp_server_upstream_oauth2_secret", "IMPL", "Secret with the OAuth2 client for the MCP upstream."),
    ("mcp_server_upstream_oauth2_auth_url", "IMPL", "OAuth2 authorisation URL of the MCP upstream."),
    ("mcp_server_upstream_oauth2_token_url", "IMPL", "OAuth2 token URL of the MCP upstream."),
    ("mcp_server_upstream_oauth2_scopes", "IMPL", "OAuth2 scopes for the MCP upstream."),
    ("mcp_server_upstream_oauth2_authorization_url_params", "IMPL", "Extra parameters of the MCP upstream's OAuth2 authorisation URL."),
    ("mcp_server_upstream_oauth2_auth_style", "IMPL", "How OAuth2 client credentials are sent: in parameters or a header."),
    ("mcp_server_authorization_server_url", "IMPL", "Authorisation server advertised for the MCP server."),
    ("mcp_client", "IMPL", "Marks the route as an MCP client."),
    ("name", "NONE", "Display name of the route."),
    ("description", "NONE", "Description of the route."),
    ("logo_url", "NONE", "Logo of the route in the portal."),
    ("depends_on", "NONE", "Routes this one depends on."),
)


class PomeriumProvider(CatalogueProvider):
    name = "pomerium"
    title = "Pomerium Ingress Controller"
    controllers = ("pomerium.io/ingress-controller", "pomerium.io/ingress-controller-*")
    class_names = ("pomerium",)
    docs_url = "https://www.pomerium.com/docs/deploy/k8s/ingress"
    gateway_classes = ("pomerium.io/gateway-controller",)
    notes = (
        "Pomerium is an identity-aware proxy: most keys are access policy. Other instances use suffixed "
        "controller strings (`pomerium.io/ingress-controller-2`). Its Gateway API implementation supports "
        "RequestHeaderModifier, RequestRedirect and an ExtensionRef to its PolicyFilter only. Pomerium refuses "
        "an Ingress with a key under its prefix it does not know."
    )


PROVIDER = PomeriumProvider(build_registry(PREFIX, ROWS, family="pomerium"))
