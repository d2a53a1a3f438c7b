"""Every other key of the controller ConfigMap gets one stated outcome; the headers it adds are carried.

``config.py`` carries the routing settings it can (redirects, HSTS, timeouts), and this module the headers
the controller adds to every response (``add-headers``) and proxied request (``proxy-set-headers``). The
controller ConfigMap holds many more: settings that change what clients or backends see for every Ingress
of the controller (global external auth, global allow and block lists, body size, TLS protocols,
compression, snippets), and settings of the nginx process itself (logs, workers, buffers, tracing
exporters). The first kind is not carried to Gateway API and is stated as unsupported, with where an
implementation can express it; the second has no routing effect. Nothing is left unsaid.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from ing2gw.model import HeaderModifier, Outcome, RequestRedirect, Source
from ing2gw.provider import IngressTranslation, PathRoute, TranslateContext

from ._common import HEADER_NAME, set_request_header, set_response_header

# Read by annotation handlers where they matter; their outcomes say what the setting meant.
READ_BY_HANDLERS = {
    "allow-snippet-annotations": "decides whether the *-snippet annotations took effect (stated on each)",
    "annotations-risk-level": "decides which annotations the controller accepted (stated on the snippets)",
    "global-allowed-response-headers": "decides which custom-headers took effect (stated on each)",
}

# Settings of the nginx process, its logs and its exporters: nothing that routes or answers a request.
_OPERATIONAL_KEYS = {
    "access-log-params", "access-log-path", "http-access-log-path", "stream-access-log-path", "error-log-path",
    "error-log-level", "disable-access-log", "enable-access-log-for-default-backend", "skip-access-log-urls",
    "enable-syslog", "syslog-host", "syslog-port", "enable-multi-accept", "max-worker-connections",
    "max-worker-open-files", "worker-processes", "worker-cpu-affinity", "worker-shutdown-timeout", "reuse-port",
    "nginx-status-ipv4-whitelist", "nginx-status-ipv6-whitelist", "debug-connections", "lua-shared-dicts",
    "plugins", "client-header-buffer-size", "client-body-buffer-size", "large-client-header-buffers",
    "proxy-buffers-number", "proxy-buffer-size", "ssl-buffer-size", "ssl-session-cache", "ssl-session-cache-size",
    "ssl-session-timeout", "keep-alive", "keep-alive-requests", "bind-address", "disable-ipv6-dns",
    "generate-request-id", "enable-opentracing", "enable-opentelemetry",
}
# Features that are off unless turned on: "false" (or "off") asks for nothing.
_FEATURE_FLAGS = {
    "use-gzip", "enable-brotli", "use-proxy-protocol", "server-tokens", "allow-backend-server-header",
    "enable-underscores-in-headers", "use-geoip", "use-geoip2", "enable-real-ip", "compute-full-forwarded-for",
    "proxy-add-original-uri-header", "enable-modsecurity", "enable-owasp-modsecurity-crs", "enable-ocsp",
    "service-upstream", "ssl-reject-handshake", "proxy-buffering", "proxy-ssl-location-only", "ignore-invalid-headers",
    "use-http2", "disable-ipv6",
}
_OPERATIONAL_PREFIXES = ("log-format-", "opentracing-", "opentelemetry-", "otel-", "otlp-", "zipkin-", "jaeger-",
                         "datadog-", "http2-max-", "upstream-keepalive-", "map-hash-", "server-name-hash-",
                         "proxy-headers-hash-", "variables-hash-", "ssl-session-ticket")

# Where an implementation can carry the settings that matter most (the rest get a general hint).
_HINTS = {
    "hide-headers": "Remove these response headers with a ResponseHeaderModifier filter (remove) on every rule.",
    "global-auth-url": "Every Ingress of the controller was behind this external auth: attach an external "
                       "authorization policy to the Gateway (for example Envoy Gateway SecurityPolicy extAuth).",
    "whitelist-source-range": "Every Ingress without its own allow list only admitted these clients: attach an "
                              "authorization policy to the Gateway (for example Envoy Gateway SecurityPolicy).",
    "denylist-source-range": "These clients were refused everywhere: attach an authorization policy to the Gateway.",
    "block-cidrs": "These clients were refused everywhere: attach an authorization policy to the Gateway.",
    "proxy-body-size": "Request bodies over this size were refused (413) everywhere: set a body size limit in an "
                       "implementation policy (for example Envoy Gateway ClientTrafficPolicy).",
    "ssl-protocols": "Set the TLS versions on the Gateway's listeners (implementation policy, for example Envoy "
                     "Gateway ClientTrafficPolicy tls).",
    "ssl-ciphers": "Set the cipher suites on the Gateway's listeners (implementation policy).",
    "use-proxy-protocol": "The load balancer in front sends PROXY protocol: enable it on the Gateway "
                          "(implementation policy, for example Envoy Gateway ClientTrafficPolicy proxyProtocol), "
                          "or connections fail.",
    "custom-http-errors": "Set error pages with an implementation policy (for example Envoy Gateway "
                          "BackendTrafficPolicy responseOverride).",
    "use-gzip": "Set compression with an implementation policy (for example Envoy Gateway BackendTrafficPolicy "
                "compression).",
    "enable-brotli": "Set compression with an implementation policy.",
    "load-balance": "Set the load-balancing algorithm with an implementation policy (for example Envoy Gateway "
                    "BackendTrafficPolicy loadBalancer).",
}
_GENERAL_HINT = "Configure the Gateway implementation to do the same for all routes, or accept the difference."
_SNIPPET_HINT = "Raw nginx configuration has no Gateway API equivalent; reproduce its effect by other means."


Say = Callable[[str, Outcome, str, str | None], None]


def _header_config_maps(ctx: TranslateContext, cfg: Mapping[str, str], config_source: Source
                        ) -> Iterator[tuple[str, str, str, str, Any]]:
    """(key, direction, namespace, name, the ConfigMap or None) of ``add-headers`` (response) and
    ``proxy-set-headers`` (request), when set."""
    for key, direction in (("add-headers", "response"), ("proxy-set-headers", "request")):
        if key not in cfg:
            continue
        ns, _, name = cfg[key].strip().rpartition("/")
        ns = ns or (config_source.namespace or "")
        yield key, direction, ns, name, ctx.config_maps.get((ns, name)) if name else None


def _usable(cm: Any) -> dict[str, str]:
    return {k: v for k, v in cm.data.items() if HEADER_NAME.match(k) and "$" not in v}


def _proxies(r: PathRoute) -> bool:
    """Whether a route's requests reach a backend (not answered by the Gateway itself, as redirects are)."""
    return bool(r.backends) and not any(isinstance(f, RequestRedirect) for f in r.filters)


def set_global_headers(translations: list[IngressTranslation], ctx: TranslateContext, cfg: Mapping[str, str],
                       config_source: Source) -> None:
    """``add-headers`` (response) and ``proxy-set-headers`` (request) name a ConfigMap whose entries nginx sets
    on every response or proxied request of the controller: each becomes a header ``set`` on every rule that
    proxies, where the Ingress does not set that header itself (its own setting is the nearer one). Stated
    by :func:`state_global_headers`."""
    for key, direction, _, _, cm in _header_config_maps(ctx, cfg, config_source):
        if cm is None:
            continue
        usable = _usable(cm)
        setter = set_response_header if direction == "response" else set_request_header
        for tr in translations:
            for r in tr.routes:
                if _proxies(r):
                    for k in sorted(usable):
                        if not _sets_header(r, k, direction):
                            setter(r, k, usable[k], config_source.at(field=f"data.{key}"))


def proxying_routes(translations: list[IngressTranslation]) -> int:
    return sum(1 for tr in translations for r in tr.routes if _proxies(r))


def state_global_headers(ctx: TranslateContext, cfg: Mapping[str, str], config_source: Source, say: Say,
                         routes: int) -> None:
    """The outcome of ``add-headers`` and ``proxy-set-headers``; ``routes``: the rules that proxy, in the whole
    conversion."""
    for key, direction, ns, name, cm in _header_config_maps(ctx, cfg, config_source):
        if cm is None:
            say(key, Outcome.UNSUPPORTED, f"every {direction} got the headers of ConfigMap {cfg[key].strip()}, which "
                "is not in the input: they cannot be read", "Add that ConfigMap to the input (or export it) and "
                "convert again.")
            continue
        usable = _usable(cm)
        skipped = sorted(set(cm.data) - set(usable))
        names = ", ".join(sorted(usable)) or "no header"
        message = (f"{'Response' if direction == 'response' else 'Request'}HeaderModifier sets {names} (ConfigMap "
                   f"{ns}/{name}) on every rule that proxies ({routes}), unless the Ingress sets that header itself")
        if skipped:
            say(key, Outcome.CAVEAT, f"{message}; not carried: {', '.join(skipped)} (nginx variables or invalid "
                "names)", "Set those headers with an implementation policy, or drop them.")
        elif direction == "response":
            say(key, Outcome.CAVEAT, f"{message}; nginx also set them on redirects and error pages it answered "
                "itself, the Gateway's own answers do not get them", None)
        else:
            say(key, Outcome.TRANSLATED, message, None)


def _sets_header(route: PathRoute, name: str, direction: str) -> bool:
    return any(isinstance(f, HeaderModifier) and f.direction == direction and any(k.lower() == name.lower()
                                                                                  for k, _ in f.set)
               for f in route.filters)


def state_remaining(cfg: Mapping[str, str], stated: set[str], say: Say) -> None:
    """State each key of ``cfg`` that ``stated`` (keys already given an outcome) does not hold."""
    for key in sorted(set(cfg) - stated):
        if key in READ_BY_HANDLERS:
            say(key, Outcome.TRANSLATED, f"read by the annotations it concerns: it {READ_BY_HANDLERS[key]}", None)
        elif key in _FEATURE_FLAGS and cfg[key].strip().lower() in ("false", "off"):
            say(key, Outcome.NOT_ROUTING, "turned off: nothing to carry to Gateway API", None)
        elif key in _OPERATIONAL_KEYS or key.startswith(_OPERATIONAL_PREFIXES):
            say(key, Outcome.NOT_ROUTING, "a setting of the nginx process, its logs or exporters: no routing effect, "
                "nothing to carry to Gateway API", None)
        elif key.endswith("-snippet"):
            say(key, Outcome.UNSUPPORTED, "raw nginx configuration for every Ingress of the controller: not "
                "translated", _SNIPPET_HINT)
        else:
            say(key, Outcome.UNSUPPORTED, "a controller-wide setting, in effect for every Ingress of this controller: "
                "ing2gw does not carry it to the Gateway API routes", _HINTS.get(key, _GENERAL_HINT))
