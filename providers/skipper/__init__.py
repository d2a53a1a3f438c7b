"""Skipper: its ``zalando.org/*`` Ingress annotations, known by name."""

from __future__ import annotations

from ing2gw.catalogue import CatalogueProvider, Row, build_registry

PREFIX = "zalando.org/"

ROWS: tuple[Row, ...] = (
    ("backend-weights", "CORE backendRefs weight", "Weights of the Ingress's backends."),
    ("skipper-filter", "IMPL", "eskip filters run on every route of the Ingress."),
    ("skipper-predicate", "CORE header / method / query matches", "eskip predicates added to every route."),
    ("skipper-routes", "IMPL", "Extra eskip routes."),
    ("skipper-backend", "NONE", "Backend override used during migrations."),
    ("ratelimit", "IMPL", "Rate limit (deprecated)."),
    ("skipper-ingress-redirect", "CORE RequestRedirect", "Turns the HTTPS redirect on or off for this Ingress."),
    ("skipper-ingress-redirect-code", "CORE RequestRedirect statusCode", "Status code of that redirect."),
    ("skipper-loadbalancer", "IMPL", "Load-balancing algorithm."),
    ("skipper-backend-protocol", "NONE", "Backend protocol: http, h2c or fastcgi."),
    ("skipper-ingress-path-mode", "NONE", "Path semantics (deprecated)."),
    ("traffic-zone-aware", "NONE", "Opts out of zone-aware routing."),
)


class SkipperProvider(CatalogueProvider):
    name = "skipper"
    title = "Skipper"
    controllers = ()
    class_names = ("skipper",)
    docs_url = "https://opensource.zalando.com/skipper/kubernetes/ingress-usage/"
    notes = (
        "Skipper matches a class regex (default `skipper`) against the annotation or `spec.ingressClassName`; "
        "it checks no controller string. Common eskip filters and predicates (setRequestHeader, setPath, "
        "modPath, redirectTo, Header, Method, QueryParam, Cookie, Weight) have Gateway API forms; RouteGroup "
        "objects are Skipper's richer API. No Gateway API implementation."
    )


PROVIDER = SkipperProvider(build_registry(PREFIX, ROWS, family="skipper"))
