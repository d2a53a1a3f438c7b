"""The vocabulary of requirements: settings core Gateway API cannot express, kept for target emitters.

A provider records one :class:`ing2gw.model.Requirement` per such setting, with ``feature`` set to a key
of :data:`REQUIREMENTS` and ``params`` in the units given here. Target emitters consume requirements by
feature name; whatever no emitter consumes stays reported as ``needs-target-emitter``. New providers may
add features; a feature's parameters are only ever extended, never renamed.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class RequirementSpec:
    doc: str
    params: dict[str, str]


REQUIREMENTS: dict[str, RequirementSpec] = {
    "rate-limit": RequirementSpec(
        "Limit requests per client IP.",
        {
            "key": "str | None: nginx variables the limit counts by, when not the client address",
            "nodelay": "bool | None: excess requests within the burst are served at once (nginx nodelay)",
            "delay": "int | None: requests served without delay before excess ones are delayed (nginx delay=)",
            "dry_run": "bool | None: log, do not enforce",
            "zone_size": "int | None: bytes of the shared counter zone",
            "scale": "bool | None: the rate is divided among the controller replicas",
            "log_level": "str | None: nginx log level of rejected requests",
            "requests": "int: requests allowed per unit",
            "unit": "'Second' | 'Minute'",
            "burst": "int | None: extra requests allowed in a burst (nginx: requests x burst multiplier)",
            "per": "'client-ip' (nginx limits per client address, per replica), or 'key' (counted by ``key``)",
            "exempt_cidrs": "list[str]: client CIDRs that are not limited",
            "limits": "list[dict]: every limit that applies, each {requests, unit, burst} (nginx enforces "
            "limit-rps and limit-rpm together when both are set)",
            "status_code": "int: status of rejected requests (nginx limit-req-status-code, default 503)",
        },
    ),
    "connection-limit": RequirementSpec(
        "Limit concurrent connections per client IP.",
        {"connections": "int", "per": "'client-ip'",
         "exempt_cidrs": "list[str]: client CIDRs that are not limited",
         "status_code": "int: status of rejected requests (nginx limit-conn-status-code, default 503)"},
    ),
    "bandwidth-limit": RequirementSpec(
        "Limit response bandwidth per connection.",
        {"bytes_per_second": "int", "after_bytes": "int | None"},
    ),
    "ip-allow": RequirementSpec("Allow only these client CIDRs (others get 403).", {"cidrs": "list[str]"}),
    "ip-deny": RequirementSpec("Deny these client CIDRs with 403.", {"cidrs": "list[str]"}),
    "external-auth": RequirementSpec(
        "Ask an HTTP service whether to let each request through (nginx auth_request).",
        {
            "url": "str: the auth service URL",
            "method": "str | None",
            "response_headers": "list[str]: headers copied from the auth response to the upstream request",
            "signin_url": "str | None: where to send the client on 401",
            "service": "dict | None: {namespace, name, port} when the URL names an in-cluster Service",
            "signin_redirect_param": "str | None: query parameter carrying the original URL (nginx default rd)",
        },
    ),
    "basic-auth": RequirementSpec(
        "HTTP basic authentication against an htpasswd Secret (the Secret is referenced, never read).",
        {"secret_namespace": "str", "secret_name": "str", "secret_type": "'auth-file' | 'auth-map'",
         "realm": "str | None"},
    ),
    "body-size-limit": RequirementSpec(
        "Largest request body accepted (413 above it); 0 disables the check.", {"bytes": "int"}
    ),
    "request-buffering": RequirementSpec("Buffer the request body before proxying.", {"enabled": "bool"}),
    "response-buffering": RequirementSpec(
        "Buffer upstream responses.", {"enabled": "bool", "buffer_size": "int | None", "buffers": "int | None",
                                       "busy_buffers_size": "int | None: bytes",
                                       "buffers_size": "int | None: bytes of each of the buffers (nginx "
                                       "proxy_buffers' second number)"}
    ),
    "client-body-buffer": RequirementSpec("Memory buffer for request bodies.", {"bytes": "int"}),
    "backend-timeouts": RequirementSpec(
        "Timeouts towards the backend, in seconds (nginx proxy_*_timeout).",
        {"connect": "float | None", "read": "float | None", "send": "float | None"},
    ),
    "retry": RequirementSpec(
        "Retry failed upstream attempts on another endpoint (nginx proxy_next_upstream).",
        {"conditions": "list[str]: nginx conditions (error, timeout, http_502, ...)",
         "attempts": "int | None: total tries", "timeout": "float | None: seconds"},
    ),
    "session-affinity": RequirementSpec(
        "Sticky sessions with a cookie.",
        {"cookie_name": "str", "max_age": "int | None: seconds", "path": "str | None",
         "secure": "bool | None", "samesite": "str | None", "mode": "'balanced' | 'persistent'",
         "http_only": "bool | None: HttpOnly flag (Traefik sticky.cookie.httponly)",
         "domain": "str | None: cookie Domain (Traefik sticky.cookie.domain)",
         "services": "list[str] | None: the Services it covers (others are not sticky)"},
    ),
    "load-balancing": RequirementSpec(
        "Load-balancing algorithm.", {"algorithm": "'round_robin' | 'ewma' | 'hash', or an nginx method "
                                      "('least_conn', 'ip_hash', 'random', 'random two', 'random two least_conn', "
                                      "'least_time header', ...)",
                                      "hash_key": "str | None",
                                      "subset": "bool: hash to a subset of endpoints, random within it",
                                      "subset_size": "int | None: endpoints per subset"}
    ),
    "backend-tls": RequirementSpec(
        "TLS towards the backend beyond BackendTLSPolicy (no verification, client certificate, ciphers).",
        {"verify": "bool", "hostname": "str | None", "client_secret": "str | None",
         "ciphers": "str | None", "protocols": "str | None", "sni": "bool | None",
         "services": "list[str] | None: the Services it covers, when the requirement targets the route"},
    ),
    "custom-errors": RequirementSpec(
        "Replace upstream error responses with the default backend's.",
        {"codes": "list[int]", "backend": "str | None: Service (same namespace) that answers instead"}
    ),
    "cors": RequirementSpec(
        "CORS, where the chosen Gateway API version and channel lack the CORS filter.",
        {"allow_origins": "list[str]", "allow_methods": "list[str]", "allow_headers": "list[str]",
         "expose_headers": "list[str]", "allow_credentials": "bool", "max_age": "int"},
    ),
    "header-regex-rewrite": RequirementSpec(
        "A path rewrite with regular-expression captures that core URLRewrite cannot express.",
        {"pattern": "str: regex over the request path", "substitution": "str: RE2-style \\\\1 references"},
    ),
    "snippet": RequirementSpec(
        "Raw controller configuration (nginx snippets). Emitted only when the user opts in.",
        {"context": "'location' | 'server' | 'auth' | 'stream' | 'modsecurity'", "text": "str"},
    ),
    "waf": RequirementSpec("A web application firewall (ModSecurity, OWASP CRS).",
                           {"engine": "str", "rules": "str | None", "owasp_crs": "bool",
                            "transaction_id": "str | None: nginx variable naming the transaction",
                            "log": "bool | None: security log on", "log_configs": "str | None: log configurations",
                            "log_destinations": "str | None: where the security log goes"}),
    "client-certificate": RequirementSpec(
        "Verify client certificates for a host (mTLS).",
        {"ca_secret": "str: namespace/name", "mode": "'on' | 'optional' | 'optional_no_ca'",
         "depth": "int | None", "pass_to_upstream": "bool",
         "hosts": "list[str]: hostnames the setting covered (ingress-nginx applies it per host)"},
    ),
    "tls-settings": RequirementSpec(
        "TLS settings towards clients (ciphers, protocols).",
        {"ciphers": "str | None", "protocols": "str | None",
         "hosts": "list[str] | None: hostnames the setting covered"}
    ),
    "access-log": RequirementSpec("Per-route access logging.", {"enabled": "bool"}),
    "tracing": RequirementSpec("Per-route tracing.", {"enabled": "bool", "trust_incoming_span": "bool | None",
                                                      "operation_name": "str | None"}),
    "service-upstream": RequirementSpec(
        "Send traffic to the Service's cluster IP instead of its endpoints (kube-proxy or a mesh balances).",
        {"enabled": "bool"},
    ),
    "passive-health-check": RequirementSpec(
        "Take an endpoint out after failures (nginx max_fails / fail_timeout; outlier detection).",
        {"max_fails": "int | None: failures within the window (0 turns it off)",
         "fail_timeout": "float | None: seconds of the window, and of the time out"},
    ),
    "active-health-check": RequirementSpec(
        "Probe endpoints actively (NGINX Plus health_check from the pods' readiness probes).",
        {"enabled": "bool", "mandatory": "bool: new endpoints get traffic only after passing",
         "mandatory_queue": "int | None: requests queued while the first checks run"},
    ),
    "upstream-connections": RequirementSpec(
        "Connection handling towards the endpoints.",
        {"max_conns": "int | None: connections per endpoint (0 = unlimited)",
         "keepalive": "int | None: idle keep-alive connections kept per worker",
         "zone_size": "int | None: bytes of the shared upstream memory zone"},
    ),
    "slow-start": RequirementSpec("Ramp traffic up to recovered or new endpoints.", {"seconds": "float"}),
    "jwt-auth": RequirementSpec(
        "Validate a JWT on each request (the key Secret is referenced, never read).",
        {"secret_namespace": "str", "secret_name": "str", "realm": "str | None",
         "token": "str | None: nginx variable the token is read from (default: the Authorization bearer)",
         "login_url": "str | None: where clients without a valid token are sent"},
    ),
    "policy-attachment": RequirementSpec(
        "Controller policy objects attached to routes (NGINX Ingress Controller Policy resources).",
        {"policies": "list[str]: namespace/name of each Policy", "api": "str: the Policy's apiVersion"},
    ),
    "traefik-middleware": RequirementSpec(
        "Traefik Middleware objects run on the route (router.middlewares) or on one backend (service.middlewares); "
        "a Traefik target emitter references them with ExtensionRef filters (group traefik.io, kind Middleware; "
        "same namespace only, as ExtensionRef is a local reference).",
        {"middlewares": "list[dict]: in Traefik's order, each {ref: the reference as written, provider: "
                        "'kubernetescrd' | 'file' | ... | None, namespace: str | None, name: str | None} "
                        "(namespace and name only for kubernetescrd references)",
         "level": "'router' | 'service'", "service": "str | None: the Service, for service-level middlewares"},
    ),
    "traefik-tls-options": RequirementSpec(
        "A Traefik TLSOption (minimum version, ciphers, client authentication, SNI strictness) for the hosts "
        "of a router.",
        {"ref": "str: the reference as written", "provider": "str | None", "namespace": "str | None",
         "name": "str | None", "hosts": "list[str]: hostnames of the router"},
    ),
    "traefik-servers-transport": RequirementSpec(
        "A Traefik ServersTransport for a Service (backend TLS server name, root CAs, client certificates, "
        "insecureSkipVerify, forwarding timeouts, idle connections).",
        {"ref": "str: the reference as written", "provider": "str | None", "namespace": "str | None",
         "name": "str | None", "service": "str: the Service it applies to"},
    ),
    "session-persistence": RequirementSpec(
        "Session persistence where the chosen channel lacks HTTPRoute sessionPersistence.",
        {"cookie_name": "str", "absolute_timeout": "str | None"},
    ),
}
