"""Wallarm Ingress Controller: ingress-nginx plus the Wallarm WAF module.

Wallarm's controller is ingress-nginx with its annotations unchanged, under the same controller string
(``k8s.io/ingress-nginx``), class name and annotation prefix. It therefore has no Ingresses of its own: it
*extends* the ingress-nginx provider with its ``wallarm-*`` keys, which are named as unhandled on any
ingress-nginx Ingress that carries them.
"""

from __future__ import annotations

from ing2gw.catalogue import CatalogueProvider, Row, build_registry

PREFIX = "nginx.ingress.kubernetes.io/wallarm-"

ROWS: tuple[Row, ...] = (
    ("mode", "IMPL", "Wallarm filtering mode: off, monitoring, safe_blocking or block."),
    ("mode-allow-override", "NONE", "Whether Wallarm Cloud rules may override wallarm-mode."),
    ("fallback", "NONE", "Turns Wallarm off when its data cannot be loaded."),
    ("application", "NONE", "Application id in Wallarm Cloud."),
    ("instance", "NONE", "Older name of wallarm-application."),
    ("partner-client-uuid", "NONE", "Tenant of a multi-tenant Wallarm node."),
    ("block-page", "NONE", "Page and status code for blocked requests."),
    ("acl-block-page", "NONE", "Deprecated form of wallarm-block-page."),
    ("parse-response", "NONE", "Analyses responses too."),
    ("parse-websocket", "NONE", "Analyses WebSocket messages."),
    ("unpack-response", "NONE", "Decompresses responses before analysis."),
    ("parser-disable", "NONE", "Parsers to turn off (cookie, json, xml, ...)."),
)


class WallarmProvider(CatalogueProvider):
    name = "wallarm"
    title = "Wallarm Ingress Controller"
    controllers = ()
    class_names = ()
    extends = "ingress-nginx"
    docs_url = "https://docs.wallarm.com/admin-en/configure-kubernetes-en/"
    notes = (
        "Wallarm's controller is ingress-nginx with the Wallarm module: same controller string "
        "(`k8s.io/ingress-nginx`), class `nginx` and `nginx.ingress.kubernetes.io/` prefix. Its Ingresses are "
        "dispatched to the ingress-nginx provider, which translates every ingress-nginx annotation; the "
        "`wallarm-*` keys below are added to that provider and named as unhandled. Wallarm's connectors for "
        "Envoy-based gateways are the nearest equivalent."
    )


PROVIDER = WallarmProvider(build_registry(PREFIX, ROWS, family="wallarm"))
