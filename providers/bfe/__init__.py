"""BFE Ingress (``bfe-networks.com/ingress-controller``): its ``bfe.ingress.kubernetes.io/*`` keys, known by name."""

from __future__ import annotations

from ing2gw.catalogue import CatalogueProvider, Row, build_registry

PREFIX = "bfe.ingress.kubernetes.io/"

ROWS: tuple[Row, ...] = (
    ("router.cookie", "CORE~ Cookie header match", "Extra exact cookie condition on every rule."),
    ("router.header", "CORE header match", "Extra exact header condition on every rule."),
    ("balance.weight", "CORE backendRefs weight", "Weighted split of a virtual service."),
    ("redirect.url-set", "CORE RequestRedirect", "Redirects to a fixed URL."),
    ("redirect.url-from-query", "NONE", "Redirects to the URL in a query parameter."),
    ("redirect.url-prefix-add", "CORE~ RequestRedirect ReplacePrefixMatch", "Redirects to a prefix plus the original URI."),
    ("redirect.scheme-set", "CORE RequestRedirect scheme", "Redirects with the scheme changed."),
    ("redirect.response-status", "CORE RequestRedirect statusCode", "Status code of redirects (302 by default)."),
    ("rewrite-url.host", "CORE URLRewrite hostname", "Sets the Host sent upstream."),
    ("rewrite-url.host-from-path-prefix", "NONE", "Takes the Host from the first path segment."),
    ("rewrite-url.path", "CORE URLRewrite ReplaceFullPath", "Sets the path."),
    ("rewrite-url.path-prefix-add", "CORE~ URLRewrite ReplacePrefixMatch", "Prepends a path prefix."),
    ("rewrite-url.path-prefix-trim", "CORE URLRewrite ReplacePrefixMatch", "Removes a path prefix."),
    ("rewrite-url.path-prefix-strip", "NONE", "Removes the first N path segments."),
    ("rewrite-url.query-add", "NONE", "Adds query parameters."),
    ("rewrite-url.query-delete", "NONE", "Deletes query parameters."),
    ("rewrite-url.query-rename", "NONE", "Renames query parameters."),
    ("rewrite-url.query-delete-all-except", "NONE", "Deletes all query parameters but one."),
    ("bfe-ingress-status", "NONE", "Status the controller writes (an output)."),
    ("redirect.target", "CORE RequestRedirect", "Older name of redirect.url-set."),
    ("redirect.status", "CORE RequestRedirect statusCode", "Older name of redirect.response-status."),
    ("loadbalance", "CORE backendRefs weight", "Older name of balance.weight."),
)


class BFEProvider(CatalogueProvider):
    name = "bfe"
    title = "BFE Ingress Controller"
    controllers = ("bfe-networks.com/ingress-controller",)
    class_names = ("bfe",)
    docs_url = "https://github.com/bfenetworks/ingress-bfe/blob/develop/docs/en_us/appendix/annotations.md"
    notes = "BFE has no Gateway API implementation: choose a GatewayClass with --gateway-class."


PROVIDER = BFEProvider(build_registry(PREFIX, ROWS, family="bfe"))
