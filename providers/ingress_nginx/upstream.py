"""ingress-nginx upstream settings: load balancing, error interception, fallback backends, cookie
rewriting, FastCGI, server TLS ciphers and HTTP/2 push."""

from __future__ import annotations

import re
from typing import Any

from ing2gw.model import Outcome, Requirement
from ing2gw.provider import AnnotationValueError, HandlerContext

from ._policy import (
    Parsed,
    hosts_of,
    inert,
    linked,
    parse_count,
    parse_flag,
    policy,
    present,
    raise_own_error,
    shared_requirement,
    value_of,
)

_NAME = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
LB_HINT = ("Target emitters: Envoy Gateway BackendTrafficPolicy.loadBalancer (RoundRobin, LeastRequest, "
           "ConsistentHash), NGINX Gateway Fabric UpstreamSettingsPolicy.loadBalancingMethod.")


@policy("service-upstream", Outcome.NEEDS_EMITTER,
        hint="Service meshes (Linkerd, Istio) needed this on ingress-nginx; check how your Gateway joins the mesh.")
def service_upstream(hc: HandlerContext) -> None:
    """Proxy to the Service's cluster IP instead of its endpoints: a service-upstream requirement.

    What the controller does:
        ``"true"``: the upstream is the Service's ClusterIP, so kube-proxy (or a mesh sidecar) balances;
        affinity, load-balance and next-upstream retries lose their effect.
    Gateway API equivalent:
        None in core: Gateway implementations send to endpoints. NGINX Gateway Fabric can use the
        cluster IP; meshes integrate Gateways their own way.
    Caveats:
        ``"false"`` is the default and matches Gateway behaviour.
    Example:
        ``service-upstream: "true"`` -> service-upstream ``enabled: true``.
    """
    if not parse_flag(hc.value):
        hc.state(Outcome.TRANSLATED, "\"false\" is the default: traffic goes to the endpoints, as with Gateways")
        return
    hc.require("service-upstream", {"enabled": True}, message="traffic went to the Service's cluster IP (kube-proxy or "
               "a mesh balanced it); Gateway implementations send to the endpoints directly")


@policy("default-backend", Outcome.UNSUPPORTED)
def default_backend(hc: HandlerContext) -> None:
    """Fallback Service when the rule's Service has no endpoints, and the custom-http-errors target.

    What the controller does:
        Serves this Service (same namespace) when the backend has no ready endpoints, and sends
        custom-http-errors responses to it.
    Gateway API equivalent:
        None: there is no fallback backend in Gateway API (a backend without endpoints answers 500/503).
    Caveats:
        Unsupported. It is also the ``backend`` of the custom-errors requirement when custom-http-errors is
        set.
    Example:
        ``default-backend: maintenance-page`` -> unsupported.
    """
    name = hc.value.strip()
    if not _NAME.match(name):
        raise AnnotationValueError("expected the name of a Service in the Ingress's namespace")
    hc.state(Outcome.UNSUPPORTED, f"Service {hc.ingress.namespace}/{name} served when the backend has no ready "
             "endpoints: Gateway API has no fallback backend", hint="Keep backends available (PodDisruptionBudgets) "
             "or use an implementation's failover settings.")


def parse_codes(value: str) -> list[int]:
    out: list[int] = []
    for tok in (t.strip() for t in value.split(",")):
        if not tok:
            continue
        if not tok.isdigit() or not 300 <= int(tok) <= 599:
            raise AnnotationValueError(f"{tok!r} is not an HTTP status code from 300 to 599")
        if int(tok) not in out:
            out.append(int(tok))
    if not out:
        raise AnnotationValueError("expected a comma-separated list of status codes such as 404,503")
    return sorted(out)


@policy("custom-http-errors", Outcome.NEEDS_EMITTER,
        hint="Target emitters: Envoy Gateway BackendTrafficPolicy.responseOverride (static bodies, not a Service).")
def custom_http_errors(hc: HandlerContext) -> None:
    """Replace upstream responses with these codes by the default backend's: a custom-errors requirement.

    What the controller does:
        ``proxy_intercept_errors`` + ``error_page``: the listed upstream codes are answered by the
        default backend (default-backend annotation or the controller's), with X-Code and friends.
    Gateway API equivalent:
        None in core; Envoy Gateway BackendTrafficPolicy.responseOverride serves static bodies.
    Caveats:
        Recorded as ``codes`` plus ``backend`` (the default-backend annotation, if any).
    Example:
        ``custom-http-errors: 404,503`` -> custom-errors ``codes: [404, 503]``.
    """
    codes = parse_codes(hc.value)
    if present(hc, "disable-proxy-intercept-errors"):
        try:
            disabled = parse_flag(value_of(hc, "disable-proxy-intercept-errors") or "")
        except AnnotationValueError:
            disabled = False
        if disabled:
            inert(hc, "disable-proxy-intercept-errors is \"true\", so upstream errors pass through")
            return
    backend = value_of(hc, "default-backend")
    hc.require("custom-errors", {"codes": codes, "backend": backend.strip() if backend else None},
               message=f"upstream responses {', '.join(map(str, codes))} were replaced by the default backend's")


@policy("disable-proxy-intercept-errors", Outcome.TRANSLATED)
def disable_proxy_intercept_errors(hc: HandlerContext) -> None:
    """Let upstream error responses through even when custom-http-errors is set (here or globally).

    What the controller does:
        ``proxy_intercept_errors off`` for the Ingress's locations.
    Gateway API equivalent:
        Nothing to emit: the output intercepts no errors for this Ingress.
    Caveats:
        If you add a Gateway-wide error override, exempt these routes.
    Example:
        ``disable-proxy-intercept-errors: "true"`` -> stated, nothing emitted.
    """
    on = parse_flag(hc.value)
    if not on:
        hc.state(Outcome.TRANSLATED, "\"false\" is the default: nothing to carry over")
        return
    hc.state(Outcome.TRANSLATED, "upstream errors pass through unchanged, as they do in the output",
             hint="If you add a Gateway-wide error override, exempt these routes.")


def _lb(hc: HandlerContext) -> tuple[Requirement | None, Parsed]:
    def build(p: Parsed) -> tuple[str, dict[str, Any]] | None:
        algo = p.get("load-balance", _parse_algorithm)
        key = p.get("upstream-hash-by", _parse_hash_key)
        subset = p.get("upstream-hash-by-subset", parse_flag, False)
        size = p.get("upstream-hash-by-subset-size", lambda v: parse_count(v, minimum=1), 3)
        if key:
            return "load-balancing", {"algorithm": "hash", "hash_key": key, "subset": subset,
                                      "subset_size": size if subset else None}
        if algo:
            return "load-balancing", {"algorithm": algo, "hash_key": None, "subset": False, "subset_size": None}
        return None

    return shared_requirement(hc, "load-balancing", build, primary="upstream-hash-by")


def _parse_algorithm(value: str) -> str:
    v = value.strip()
    if v not in ("round_robin", "ewma"):
        raise AnnotationValueError('expected "round_robin" or "ewma"')
    return v


def _parse_hash_key(value: str) -> str:
    v = value.strip()
    if not v or "\n" in v:
        raise AnnotationValueError("expected an nginx expression such as $request_uri or $binary_remote_addr")
    return v


@policy("load-balance", Outcome.NEEDS_EMITTER, hint=LB_HINT)
def load_balance(hc: HandlerContext) -> None:
    """Load-balancing algorithm for this Ingress's backends (round_robin or ewma): load-balancing.

    What the controller does:
        Picks endpoints round robin (default) or by EWMA of latency; upstream-hash-by wins over it. Also
        read on canary Ingresses.
    Gateway API equivalent:
        None in core; Envoy Gateway loadBalancer (RoundRobin; LeastRequest is closest to ewma), NGINX
        Gateway Fabric UpstreamSettingsPolicy.
    Caveats:
        Recorded as ``algorithm``.
    Example:
        ``load-balance: ewma`` -> load-balancing ``algorithm: ewma``.
    """
    req, p = _lb(hc)
    raise_own_error(hc, p, "load-balance")
    if present(hc, "upstream-hash-by") and "upstream-hash-by" not in p.errors:
        inert(hc, "upstream-hash-by is set and takes precedence")
        return
    assert req is not None
    linked(hc, req, f"load-balancing algorithm {req.params['algorithm']}", hint=LB_HINT)


@policy("upstream-hash-by", Outcome.NEEDS_EMITTER, hint=LB_HINT)
def upstream_hash_by(hc: HandlerContext) -> None:
    """Consistent hashing of requests to endpoints on an nginx expression: load-balancing hash.

    What the controller does:
        Ketama consistent hashing on the expression (``$request_uri``, ``$binary_remote_addr``,
        ``$http_x_user``, ``$cookie_id``, ...). Also read on canary Ingresses.
    Gateway API equivalent:
        None in core. Envoy Gateway ConsistentHash (SourceIP, Header, Cookie, QueryParams) when the key is
        one variable; NGINX Gateway Fabric ``hash consistent`` with the nginx key as is.
    Caveats:
        Recorded as ``algorithm: hash`` with ``hash_key`` verbatim; composite keys fit only NGINX-based
        targets.
    Example:
        ``upstream-hash-by: $binary_remote_addr`` -> ``algorithm: hash, hash_key: $binary_remote_addr``.
    """
    req, p = _lb(hc)
    raise_own_error(hc, p, "upstream-hash-by")
    assert req is not None
    linked(hc, req, f"consistent hashing on {req.params['hash_key']}", hint=LB_HINT)


@policy("upstream-hash-by-subset", Outcome.NEEDS_EMITTER, hint=LB_HINT)
def upstream_hash_by_subset(hc: HandlerContext) -> None:
    """Hash to a subset of endpoints, then pick randomly within it: subset of the load-balancing hash.

    What the controller does:
        Groups endpoints into subsets of upstream-hash-by-subset-size; the hash picks the subset.
    Gateway API equivalent:
        None anywhere known; recorded for targets.
    Caveats:
        No effect without upstream-hash-by.
    Example:
        ``upstream-hash-by-subset: "true"`` -> ``subset: true, subset_size: 3``.
    """
    _subset_state(hc, "upstream-hash-by-subset", "hashing to endpoint subsets")


@policy("upstream-hash-by-subset-size", Outcome.NEEDS_EMITTER, hint=LB_HINT)
def upstream_hash_by_subset_size(hc: HandlerContext) -> None:
    """Endpoints per hash subset (default 3): subset_size of the load-balancing hash.

    What the controller does:
        Sets the subset size for upstream-hash-by-subset.
    Gateway API equivalent:
        None anywhere known; recorded for targets.
    Caveats:
        No effect unless upstream-hash-by-subset is "true".
    Example:
        ``upstream-hash-by-subset-size: "5"`` -> ``subset_size: 5``.
    """
    _subset_state(hc, "upstream-hash-by-subset-size", "subset size")


def _subset_state(hc: HandlerContext, name: str, message: str) -> None:
    req, p = _lb(hc)
    raise_own_error(hc, p, name)
    if req is None or req.params["algorithm"] != "hash":
        inert(hc, "upstream-hash-by is not set")
        return
    if not req.params["subset"]:
        inert(hc, "upstream-hash-by-subset is not \"true\"")
        return
    linked(hc, req, f"{message}: part of the load-balancing requirement (no known target has subsets)", hint=LB_HINT)


def _fastcgi(hc: HandlerContext, what: str) -> None:
    proto = (value_of(hc, "backend-protocol") or "HTTP").strip().upper()
    if proto != "FCGI":
        inert(hc, "backend-protocol is not FCGI")
        return
    hc.state(Outcome.UNSUPPORTED, f"{what}: FastCGI backends have no Gateway API equivalent",
             hint="Put an HTTP server (for example nginx or caddy with php-fpm) in front of the FastCGI backend.")


@policy("fastcgi-index", Outcome.UNSUPPORTED)
def fastcgi_index(hc: HandlerContext) -> None:
    """fastcgi_index for backend-protocol FCGI: unsupported, as FastCGI is.

    What the controller does:
        Sets the FastCGI index file name for URIs ending in ``/``.
    Gateway API equivalent:
        None: Gateways speak HTTP, HTTP/2 and gRPC to backends.
    Caveats:
        No effect unless backend-protocol is FCGI.
    Example:
        ``fastcgi-index: index.php`` -> unsupported.
    """
    _fastcgi(hc, f"FastCGI index {hc.value.strip()!r}")


@policy("fastcgi-params-configmap", Outcome.UNSUPPORTED)
def fastcgi_params_configmap(hc: HandlerContext) -> None:
    """ConfigMap of fastcgi_param values for backend-protocol FCGI: unsupported, as FastCGI is.

    What the controller does:
        Adds each key/value of the ConfigMap (``[namespace/]name``) as ``fastcgi_param``.
    Gateway API equivalent:
        None.
    Caveats:
        No effect unless backend-protocol is FCGI.
    Example:
        ``fastcgi-params-configmap: fastcgi-params`` -> unsupported.
    """
    v = hc.value.strip()
    if not re.fullmatch(r"([a-z0-9][-a-z0-9.]*/)?[a-z0-9][-a-z0-9.]*", v):
        raise AnnotationValueError("expected [namespace/]name of a ConfigMap")
    _fastcgi(hc, f"FastCGI parameters from ConfigMap {v}")


def _cookie_rewrite(hc: HandlerContext, attr: str) -> None:
    v = hc.value.strip()
    if v == "off":
        hc.state(Outcome.TRANSLATED, "\"off\" is the default: Set-Cookie headers pass unchanged, as in the output")
        return
    parts = v.split()
    if len(parts) != 2:
        raise AnnotationValueError('expected "off" or "<from> <to>"')
    hc.state(Outcome.UNSUPPORTED, f"rewriting the cookie {attr} {parts[0]!r} to {parts[1]!r} in upstream Set-Cookie "
             "headers has no equivalent (a ResponseHeaderModifier can only replace whole headers)",
             hint=f"Have the application set the right {attr}.")


@policy("proxy-cookie-domain", Outcome.UNSUPPORTED)
def proxy_cookie_domain(hc: HandlerContext) -> None:
    """Rewrite the Domain of upstream Set-Cookie headers ("off" or "<from> <to>"): no equivalent.

    What the controller does:
        nginx ``proxy_cookie_domain``.
    Gateway API equivalent:
        None: header modifiers cannot edit parts of a header.
    Caveats:
        Cookies keep the backend's domain.
    Example:
        ``proxy-cookie-domain: localhost example.com`` -> unsupported.
    """
    _cookie_rewrite(hc, "Domain")


@policy("proxy-cookie-path", Outcome.UNSUPPORTED)
def proxy_cookie_path(hc: HandlerContext) -> None:
    """Rewrite the Path of upstream Set-Cookie headers ("off" or "<from> <to>"): no equivalent.

    What the controller does:
        nginx ``proxy_cookie_path``.
    Gateway API equivalent:
        None.
    Caveats:
        With a path rewrite, cookies keep the backend's path and may not be sent back.
    Example:
        ``proxy-cookie-path: / /app/`` -> unsupported.
    """
    _cookie_rewrite(hc, "Path")


@policy("ssl-ciphers", Outcome.NEEDS_EMITTER,
        hint="Target emitters: Envoy Gateway ClientTrafficPolicy.tls.ciphers, per listener.")
def ssl_ciphers(hc: HandlerContext) -> None:
    """OpenSSL cipher list for TLS to clients of the host: a tls-settings requirement.

    What the controller does:
        ``ssl_ciphers`` in the server block of each host of the Ingress (host-wide).
    Gateway API equivalent:
        None in core (listener ``tls.options`` are implementation-specific); Envoy Gateway
        ClientTrafficPolicy.tls.ciphers per Gateway or listener.
    Caveats:
        Recorded as ``ciphers`` with the ``hosts`` it covered; targets apply it per listener.
    Example:
        ``ssl-ciphers: ECDHE-ECDSA-AES128-GCM-SHA256`` -> tls-settings ``ciphers``.
    """
    v = hc.value.strip()
    if not v or not re.fullmatch(r"[A-Za-z0-9_:!+@=.-]+", v):
        raise AnnotationValueError("expected an OpenSSL cipher list such as ECDHE-RSA-AES128-GCM-SHA256:HIGH:!aNULL")
    hc.require("tls-settings", {"ciphers": v, "protocols": None, "hosts": hosts_of(hc)}, target="gateway",
               message="client TLS ciphers for the hosts " + ", ".join(hosts_of(hc)))


@policy("ssl-prefer-server-ciphers", Outcome.UNSUPPORTED)
def ssl_prefer_server_ciphers(hc: HandlerContext) -> None:
    """Prefer the server's cipher order in TLS handshakes: no equivalent.

    What the controller does:
        ``ssl_prefer_server_ciphers`` for the host.
    Gateway API equivalent:
        None; not exposed by Gateway API or Envoy Gateway.
    Caveats:
        With TLS 1.3 the client's preference largely decides anyway.
    Example:
        ``ssl-prefer-server-ciphers: "true"`` -> unsupported.
    """
    parse_flag(hc.value)
    hc.state(Outcome.UNSUPPORTED, "the server's cipher preference order cannot be set through Gateway API or the "
             "known implementations' policies")


@policy("http2-push-preload", Outcome.NOT_ROUTING)
def http2_push_preload(hc: HandlerContext) -> None:
    """HTTP/2 server push of Link preload headers: obsolete, inert in current controllers.

    What the controller does:
        ``http2_push_preload on``; nginx 1.25.1 removed HTTP/2 push and ignores the directive, and the
        ingress-nginx releases built on it (v1.10 and later) therefore push nothing.
    Gateway API equivalent:
        None needed; browsers dropped HTTP/2 push as well (103 Early Hints replace it).
    Caveats:
        Nothing to carry over.
    Example:
        ``http2-push-preload: "true"`` -> not carried over.
    """
    parse_flag(hc.value)
    hc.state(Outcome.NOT_ROUTING, "HTTP/2 server push is obsolete: nginx 1.25.1+ (ingress-nginx v1.10+) ignores "
             "it and browsers no longer accept pushes; nothing to carry over",
             hint="Use 103 Early Hints from the application if preloading matters.")
