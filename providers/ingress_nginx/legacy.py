"""Removed or legacy ingress-nginx annotations: the current controller (v1.15) does not read them.

Each is stated as inert (nothing is carried over) with the annotation that replaced it, so manifests
written for old controllers are reviewed rather than silently dropped.
"""

from __future__ import annotations

from ing2gw.model import Outcome

from . import REGISTRY

_OLD = ("If the source cluster still runs a controller old enough to read it, translate its intent with the "
        "modern annotation instead: ")

LEGACY: dict[str, tuple[str, str]] = {
    # key: (what it did, what replaced it)
    "secure-backends": ("spoke HTTPS to the backend", "backend-protocol: HTTPS"),
    "grpc-backend": ("spoke gRPC to the backend", "backend-protocol: GRPC"),
    "secure-verify-ca-secret": ("verified the backend certificate against a CA Secret",
                                "proxy-ssl-secret with proxy-ssl-verify: \"on\""),
    "enable-influxdb": ("sent per-location metrics to InfluxDB", "the controller's Prometheus metrics, or the "
                        "Gateway implementation's telemetry"),
    "influxdb-measurement": ("named the InfluxDB measurement", "the Gateway implementation's telemetry"),
    "influxdb-port": ("set the InfluxDB port", "the Gateway implementation's telemetry"),
    "influxdb-host": ("set the InfluxDB host", "the Gateway implementation's telemetry"),
    "influxdb-server-name": ("set the InfluxDB server name tag", "the Gateway implementation's telemetry"),
    "session-cookie-hash": ("chose the hash of the affinity cookie value (md5, sha1, index)",
                            "nothing: current controllers pick the value themselves (affinity: cookie)"),
    "add-base-url": ("injected a <base> tag into HTML responses", "nothing: serve the application under its "
                     "public path, or pass x-forwarded-prefix with rewrite-target"),
    "base-url-scheme": ("set the scheme of the injected <base> tag", "nothing (see add-base-url)"),
    "upstream-max-fails": ("marked an endpoint down after N failures (passive health check)",
                           "nothing in ingress-nginx (Kubernetes readiness probes); passive health checks of the "
                           "Gateway implementation (Envoy Gateway BackendTrafficPolicy.healthCheck.passive)"),
    "upstream-fail-timeout": ("kept a failed endpoint down for this long", "see upstream-max-fails"),
    "enable-opentracing": ("turned OpenTracing on", "enable-opentelemetry"),
    "opentracing-trust-incoming-span": ("continued incoming OpenTracing spans", "opentelemetry-trust-incoming-span"),
    "global-rate-limit": ("limited requests across all replicas through memcached", "limit-rps/limit-rpm (per "
                          "replica), or a global rate limit of the Gateway implementation (Envoy Gateway "
                          "BackendTrafficPolicy.rateLimit type Global)"),
    "global-rate-limit-window": ("set the window of global-rate-limit", "see global-rate-limit"),
    "global-rate-limit-key": ("set the key of global-rate-limit", "see global-rate-limit"),
    "global-rate-limit-ignored-cidrs": ("exempted CIDRs from global-rate-limit", "limit-allowlist, or see "
                                        "global-rate-limit"),
}

for _name, (_did, _now) in LEGACY.items():
    REGISTRY.declare(
        _name,
        Outcome.NOT_ROUTING,
        f"removed annotation: it {_did}; current ingress-nginx ignores it, so it had no effect and nothing is "
        "carried over",
        hint=_OLD + _now + ".",
        family="legacy",
        details=(f"What the controller does:\n    Nothing since its removal; it {_did}.\n"
                 f"Gateway API equivalent:\n    None needed. Modern replacement: {_now}.\n"
                 "Caveats:\n    Clusters on very old controllers may still have relied on it.\n"
                 f"Example:\n    ``{_name}: ...`` -> stated as removed."),
    )
