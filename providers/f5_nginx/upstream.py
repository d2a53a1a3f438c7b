"""F5 NGINX upstream keys: timeouts, retries, body and buffers, load balancing, sticky cookies, health checks."""

from __future__ import annotations

import re
from typing import Any

from ing2gw.model import Outcome, Requirement, SessionPersistence, Timeouts
from ing2gw.provider import (
    AnnotationValueError,
    HandlerContext,
    gateway_duration,
    human_size,
    parse_nginx_time,
)

from ._common import (
    Group,
    handler,
    inert,
    linked,
    parse_flag,
    parse_services,
    parse_size,
    parse_uint,
    per_service,
    shared,
    value_of,
)

TIMEOUT_HINT = ("Target emitters: NGINX Gateway Fabric ProxySettingsPolicy timeouts, Envoy Gateway "
                "BackendTrafficPolicy.timeout (tcp.connectTimeout, http.requestTimeout).")
BODY_HINT = "Target emitters: NGINX Gateway Fabric ClientSettingsPolicy.body, Envoy Gateway requestBuffer.limit."
BUF_HINT = "Target emitters: NGINX Gateway Fabric ProxySettingsPolicy.buffering."
LB_HINT = ("Target emitters: NGINX Gateway Fabric UpstreamSettingsPolicy.loadBalancingMethod (the same nginx "
           "methods), Envoy Gateway BackendTrafficPolicy.loadBalancer.")
UPSTREAM_HINT = ("Target emitters: NGINX Gateway Fabric UpstreamSettingsPolicy (keepAlive, zoneSize), Envoy Gateway "
                 "BackendTrafficPolicy (circuitBreaker, healthCheck.passive).")


def _time(value: str) -> float:
    return parse_nginx_time(value)


# --------------------------------------------------------------------------------------------------
# Timeouts
# --------------------------------------------------------------------------------------------------


def _timeouts(hc: HandlerContext) -> Any:
    def build(g: Group) -> tuple[str, dict[str, Any]] | None:
        params = {"connect": g.get("proxy-connect-timeout", _time), "read": g.get("proxy-read-timeout", _time),
                  "send": g.get("proxy-send-timeout", _time)}
        if all(v is None for v in params.values()):
            return None
        return "backend-timeouts", params

    return shared(hc, "backend-timeouts", build, primary="proxy-read-timeout")


@handler("proxy-connect-timeout", Outcome.NEEDS_EMITTER, hint=TIMEOUT_HINT, gateway_api="IMPL")
def proxy_connect_timeout(hc: HandlerContext) -> None:
    """Time to establish a backend connection (nginx time, 60s by default): backend-timeouts connect.

    What the controller does:
        ``proxy_connect_timeout`` (``grpc_connect_timeout`` for gRPC) in each location.
    Gateway API equivalent:
        None in core; recorded as ``connect`` (seconds) of a backend-timeouts requirement.
    Caveats:
        Copied to minions that do not set it.
    Example:
        ``proxy-connect-timeout: 10s`` -> backend-timeouts ``connect: 10.0``.
    """
    req = _timeouts(hc)
    linked(hc, req, f"backend connect timeout {req.params['connect']:g}s", hint=TIMEOUT_HINT)


@handler("proxy-read-timeout", Outcome.CAVEAT, hint=TIMEOUT_HINT, features=("HTTPRouteBackendTimeout",),
         gateway_api="CORE~ timeouts.backendRequest")
def proxy_read_timeout(hc: HandlerContext) -> None:
    """Idle time allowed between two reads from the backend (60s by default): timeouts.backendRequest.

    What the controller does:
        ``proxy_read_timeout``: the longest wait between two reads of the response, not its total time.
    Gateway API equivalent:
        ``timeouts.backendRequest`` (a total per backend request) with the same value, and ``read`` of a
        backend-timeouts requirement for targets that have an idle timeout.
    Caveats:
        Responses that stream longer than the value in total (with data in between) were allowed by nginx
        and are cut by the Gateway; raise the value for streaming or long-polling paths.
    Example:
        ``proxy-read-timeout: 120s`` -> ``timeouts: {backendRequest: 2m}``.
    """
    req = _timeouts(hc)
    seconds = req.params["read"]
    duration = gateway_duration(seconds)
    grpc = 0
    if seconds > 0:
        for r in hc.translation.routes:
            if r.protocol == "GRPC":
                grpc += 1
            elif r.backends:  # not on redirect rules
                r.timeouts = Timeouts(request=r.timeouts.request if r.timeouts else None, backend_request=duration)
    linked(hc, req, f"timeouts.backendRequest {duration}: nginx's {seconds:g}s limits the wait between two reads, "
           "Gateway API the whole backend request" + (f"; {grpc} gRPC path(s) keep the Gateway's default, as "
                                                       "GRPCRoute rules have no timeouts" if grpc else ""),
           outcome=Outcome.CAVEAT, hint=TIMEOUT_HINT)


@handler("proxy-send-timeout", Outcome.NEEDS_EMITTER, hint=TIMEOUT_HINT, gateway_api="IMPL")
def proxy_send_timeout(hc: HandlerContext) -> None:
    """Idle time allowed between two writes to the backend (60s by default): backend-timeouts send.

    What the controller does:
        ``proxy_send_timeout`` in each location.
    Gateway API equivalent:
        None in core; ``send`` (seconds) of a backend-timeouts requirement.
    Caveats:
        None beyond the missing core field.
    Example:
        ``proxy-send-timeout: 30s`` -> backend-timeouts ``send: 30.0``.
    """
    req = _timeouts(hc)
    linked(hc, req, f"backend send timeout {req.params['send']:g}s", hint=TIMEOUT_HINT)


# --------------------------------------------------------------------------------------------------
# Retries
# --------------------------------------------------------------------------------------------------

_CONDITIONS = {"error", "timeout", "invalid_header", "http_500", "http_502", "http_503", "http_504", "http_403",
               "http_404", "http_429", "non_idempotent", "off", "denied"}
RETRY_HINT = "Target emitters: HTTPRoute retry (experimental), Envoy Gateway BackendTrafficPolicy.retry."


def _conditions(value: str) -> list[str]:
    items = value.split()
    bad = [i for i in items if i not in _CONDITIONS]
    if not items or bad or len(set(items)) != len(items):
        raise AnnotationValueError("expected a space-separated list of distinct conditions: error, timeout, "
                                   "invalid_header, http_500, http_502, http_503, http_504, http_403, http_404, "
                                   "http_429, non_idempotent, off")
    return items


def _retry(hc: HandlerContext) -> Any:
    def build(g: Group) -> tuple[str, dict[str, Any]] | None:
        conds = g.get("proxy-next-upstream", _conditions)
        tries = g.get("proxy-next-upstream-tries", parse_uint)
        timeout = g.get("proxy-next-upstream-timeout", _time)
        if conds is None and tries is None and timeout is None:
            return None
        return "retry", {"conditions": conds if conds is not None else ["error", "timeout"],
                         "attempts": tries or None, "timeout": timeout or None}

    return shared(hc, "retry", build, primary="proxy-next-upstream")


@handler("proxy-next-upstream", Outcome.NEEDS_EMITTER, hint=RETRY_HINT, gateway_api="EXP~ retry")
def proxy_next_upstream(hc: HandlerContext) -> None:
    """Conditions for trying the next endpoint (default "error timeout"): a retry requirement.

    What the controller does:
        ``proxy_next_upstream`` with the listed conditions.
    Gateway API equivalent:
        HTTPRoute ``retry`` (experimental) covers status codes only; the requirement keeps the nginx
        conditions for targets.
    Caveats:
        ``off`` turns retries off.
    Example:
        ``proxy-next-upstream: "error timeout http_502"`` -> retry ``conditions: [error, timeout, http_502]``.
    """
    req = _retry(hc)
    if req.params["conditions"] == ["off"]:
        inert(hc, "\"off\" disables retries, as Gateways do by default")
        return
    linked(hc, req, f"retry on {' '.join(req.params['conditions'])}", hint=RETRY_HINT)


@handler("proxy-next-upstream-timeout", Outcome.NEEDS_EMITTER, hint=RETRY_HINT, gateway_api="CORE~ timeouts.request")
def proxy_next_upstream_timeout(hc: HandlerContext) -> None:
    """Time budget for passing a request to the next endpoint (0 = no limit): timeout of the retry requirement.

    What the controller does:
        ``proxy_next_upstream_timeout``.
    Gateway API equivalent:
        None exactly; recorded as ``timeout`` of the retry requirement.
    Caveats:
        ``0`` means no limit.
    Example:
        ``proxy-next-upstream-timeout: 10s`` -> retry ``timeout: 10.0``.
    """
    req = _retry(hc)
    if not req.params["timeout"]:
        inert(hc, "0 means no time limit on retries")
        return
    linked(hc, req, f"retries within {req.params['timeout']:g}s", hint=RETRY_HINT)


@handler("proxy-next-upstream-tries", Outcome.NEEDS_EMITTER, hint=RETRY_HINT, gateway_api="EXP retry.attempts")
def proxy_next_upstream_tries(hc: HandlerContext) -> None:
    """Total tries, the first included (0 = unlimited): attempts of the retry requirement.

    What the controller does:
        ``proxy_next_upstream_tries``.
    Gateway API equivalent:
        HTTPRoute ``retry.attempts`` (experimental) = tries - 1; recorded as ``attempts`` (total tries).
    Caveats:
        ``0`` means unlimited.
    Example:
        ``proxy-next-upstream-tries: "3"`` -> retry ``attempts: 3``.
    """
    req = _retry(hc)
    if not req.params["attempts"]:
        inert(hc, "0 means no limit on the number of tries")
        return
    linked(hc, req, f"at most {req.params['attempts']} tries", hint=RETRY_HINT)


# --------------------------------------------------------------------------------------------------
# Body and buffers
# --------------------------------------------------------------------------------------------------


@handler("client-max-body-size", Outcome.NEEDS_EMITTER, hint=BODY_HINT, gateway_api="IMPL")
def client_max_body_size(hc: HandlerContext) -> None:
    """Largest request body accepted (1m by default; 0 = unlimited): body-size-limit.

    What the controller does:
        ``client_max_body_size``: larger bodies get 413.
    Gateway API equivalent:
        None in core; NGINX Gateway Fabric ClientSettingsPolicy.body.maxSize.
    Caveats:
        Most Gateways have no 1m default: Ingresses without this key become more permissive.
    Example:
        ``client-max-body-size: 8m`` -> body-size-limit ``bytes: 8388608``.
    """
    n = parse_size(hc.value, giga=True)
    hc.require("body-size-limit", {"bytes": n}, hint=BODY_HINT,
               message="no limit on request bodies" if n == 0 else f"request bodies above {human_size(n)} get 413")


@handler("client-body-buffer-size", Outcome.NEEDS_EMITTER, hint=BODY_HINT, gateway_api="IMPL")
def client_body_buffer_size(hc: HandlerContext) -> None:
    """Memory buffer for request bodies: client-body-buffer.

    What the controller does:
        ``client_body_buffer_size``: larger bodies spill to a temporary file.
    Gateway API equivalent:
        None in core; NGINX Gateway Fabric ClientSettingsPolicy.body.
    Caveats:
        Performance tuning only.
    Example:
        ``client-body-buffer-size: 64k`` -> client-body-buffer ``bytes: 65536``.
    """
    n = parse_size(hc.value)
    hc.require("client-body-buffer", {"bytes": n}, hint=BODY_HINT, message=f"request body buffer of {human_size(n)}")


_BUFFERS = re.compile(r"^(\d+)\s+(\d+)([kKmM]?)$")


def _buffers(value: str) -> tuple[int, int]:
    m = _BUFFERS.match(value.strip())
    if not m:
        raise AnnotationValueError("expected 'number size', for example '8 4k'")
    return int(m.group(1)), int(m.group(2)) * {"": 1, "k": 1024, "m": 1024**2}[m.group(3).lower()]


def _buffering(hc: HandlerContext) -> Any:
    def build(g: Group) -> tuple[str, dict[str, Any]] | None:
        on = g.get("proxy-buffering", parse_flag, True)
        bufs = g.get("proxy-buffers", _buffers)
        return "response-buffering", {
            "enabled": on, "buffer_size": g.get("proxy-buffer-size", parse_size),
            "buffers": bufs[0] if bufs else None, "buffers_size": bufs[1] if bufs else None,
            "busy_buffers_size": g.get("proxy-busy-buffers-size", parse_size)}

    return shared(hc, "response-buffering", build, primary="proxy-buffering")


def _buffer_state(hc: HandlerContext, what: str) -> None:
    req = _buffering(hc)
    if hc.key != "nginx.org/proxy-buffering" and not req.params["enabled"]:
        inert(hc, "proxy-buffering is false, and this only sizes the buffers used when it is on")
        return
    linked(hc, req, f"{what}: part of the response-buffering requirement", hint=BUF_HINT)


@handler("proxy-buffering", Outcome.NEEDS_EMITTER, hint=BUF_HINT, gateway_api="IMPL")
def proxy_buffering(hc: HandlerContext) -> None:
    """Buffers backend responses (true by default): response-buffering enabled.

    What the controller does:
        ``proxy_buffering on|off``.
    Gateway API equivalent:
        None in core; NGINX Gateway Fabric ProxySettingsPolicy.buffering.disable.
    Caveats:
        NIC buffers by default (ingress-nginx does not).
    Example:
        ``proxy-buffering: "false"`` -> response-buffering ``enabled: false``.
    """
    req = _buffering(hc)
    _buffer_state(hc, "responses " + ("buffered" if req.params["enabled"] else "streamed unbuffered"))


@handler("proxy-buffers", Outcome.NEEDS_EMITTER, hint=BUF_HINT, gateway_api="IMPL")
def proxy_buffers(hc: HandlerContext) -> None:
    """Number and size of the response buffers ("8 4k"): buffers and buffers_size of response-buffering.

    What the controller does:
        ``proxy_buffers <number> <size>``.
    Gateway API equivalent:
        None in core; NGINX Gateway Fabric ProxySettingsPolicy.buffering.buffers.
    Caveats:
        No effect while proxy-buffering is false.
    Example:
        ``proxy-buffers: "8 16k"`` -> ``buffers: 8, buffers_size: 16384``.
    """
    _buffer_state(hc, "response buffers")


@handler("proxy-buffer-size", Outcome.NEEDS_EMITTER, hint=BUF_HINT, gateway_api="IMPL")
def proxy_buffer_size(hc: HandlerContext) -> None:
    """Buffer for the first part of the response (headers): buffer_size of response-buffering.

    What the controller does:
        ``proxy_buffer_size`` (and ``grpc_buffer_size``); used whether or not buffering is on.
    Gateway API equivalent:
        None in core; NGINX Gateway Fabric ProxySettingsPolicy.buffering.bufferSize.
    Caveats:
        Large response headers fail with 502 when it is too small.
    Example:
        ``proxy-buffer-size: 16k`` -> ``buffer_size: 16384``.
    """
    req = _buffering(hc)
    linked(hc, req, "response header buffer: part of the response-buffering requirement", hint=BUF_HINT)


@handler("proxy-busy-buffers-size", Outcome.NEEDS_EMITTER, hint=BUF_HINT, gateway_api="IMPL")
def proxy_busy_buffers_size(hc: HandlerContext) -> None:
    """Buffers that may be busy sending to the client: busy_buffers_size of response-buffering.

    What the controller does:
        ``proxy_busy_buffers_size``.
    Gateway API equivalent:
        None in core; NGINX Gateway Fabric ProxySettingsPolicy.buffering.busyBuffersSize.
    Caveats:
        No effect while proxy-buffering is false.
    Example:
        ``proxy-busy-buffers-size: 32k`` -> ``busy_buffers_size: 32768``.
    """
    _buffer_state(hc, "busy buffers")


@handler("proxy-max-temp-file-size", Outcome.UNSUPPORTED, gateway_api="NONE")
def proxy_max_temp_file_size(hc: HandlerContext) -> None:
    """Largest temporary file for buffered responses (1024m by default; 0 disables spooling).

    What the controller does:
        ``proxy_max_temp_file_size``.
    Gateway API equivalent:
        None, and no structured implementation field.
    Caveats:
        Reported; Gateway data planes do not spool responses to disk.
    Example:
        ``proxy-max-temp-file-size: "0"`` -> unsupported.
    """
    parse_size(hc.value)
    hc.state(Outcome.UNSUPPORTED, "spooling of buffered responses to disk has no Gateway API or policy setting")


# --------------------------------------------------------------------------------------------------
# Load balancing and endpoints
# --------------------------------------------------------------------------------------------------

_LB = ("least_conn", "ip_hash", "random", "random two", "random two least_conn", "random two least_time=header",
       "random two least_time=last_byte", "least_time header", "least_time last_byte", "least_time header inflight",
       "least_time last_byte inflight")


@handler("lb-method", Outcome.NEEDS_EMITTER, hint=LB_HINT, gateway_api="IMPL")
def lb_method(hc: HandlerContext) -> None:
    """Load-balancing method (default "random two least_conn"): a load-balancing requirement.

    What the controller does:
        The upstream's balancing directive: round_robin, least_conn, ip_hash, random [two [least_conn]],
        ``hash <key> [consistent]``; least_time needs NGINX Plus.
    Gateway API equivalent:
        None in core; NGINX Gateway Fabric UpstreamSettingsPolicy.loadBalancingMethod takes the same names.
    Caveats:
        Recorded as the nginx method name (``algorithm``) and ``hash_key``.
    Example:
        ``lb-method: "hash $request_uri consistent"`` -> ``algorithm: hash, hash_key: $request_uri``.
    """
    v = " ".join(hc.value.split())
    words = v.split(" ")
    if v == "round_robin" or v in _LB:
        params: dict[str, Any] = {"algorithm": v, "hash_key": None, "subset": False, "subset_size": None}
    elif words[0] == "hash" and (len(words) == 2 or (len(words) == 3 and words[2] == "consistent")):
        params = {"algorithm": "hash", "hash_key": words[1], "subset": False, "subset_size": None,
                  "consistent": len(words) == 3}
    else:
        raise AnnotationValueError("expected round_robin, least_conn, ip_hash, random, random two, random two "
                                   "least_conn, least_time ... (Plus) or 'hash <key> [consistent]'")
    hc.require("load-balancing", params, message=f"load balancing {v}", hint=LB_HINT)


def _endpoints(hc: HandlerContext) -> Any:
    def build(g: Group) -> tuple[str, dict[str, Any]] | None:
        fails = g.get("max-fails", parse_uint)
        window = g.get("fail-timeout", _time)
        if fails is None and window is None:
            return None
        return "passive-health-check", {"max_fails": fails, "fail_timeout": window}

    return shared(hc, "passive-health-check", build, primary="max-fails")


@handler("max-fails", Outcome.NEEDS_EMITTER, hint=UPSTREAM_HINT, gateway_api="IMPL")
def max_fails(hc: HandlerContext) -> None:
    """Failures before an endpoint is taken out (1 by default; 0 = never): passive-health-check.

    What the controller does:
        ``max_fails`` on each upstream server, counted within fail-timeout.
    Gateway API equivalent:
        None in core; Envoy Gateway healthCheck.passive (outlier detection).
    Caveats:
        Recorded as ``max_fails``.
    Example:
        ``max-fails: "3"`` -> passive-health-check ``max_fails: 3``.
    """
    req = _endpoints(hc)
    linked(hc, req, f"endpoints out after {req.params['max_fails']} failure(s)", hint=UPSTREAM_HINT)


@handler("fail-timeout", Outcome.NEEDS_EMITTER, hint=UPSTREAM_HINT, gateway_api="IMPL")
def fail_timeout(hc: HandlerContext) -> None:
    """Window of max-fails, and how long an endpoint stays out (10s by default): passive-health-check.

    What the controller does:
        ``fail_timeout`` on each upstream server.
    Gateway API equivalent:
        None in core; Envoy Gateway healthCheck.passive interval / baseEjectionTime.
    Caveats:
        Recorded as ``fail_timeout`` (seconds).
    Example:
        ``fail-timeout: 30s`` -> ``fail_timeout: 30.0``.
    """
    req = _endpoints(hc)
    linked(hc, req, f"failure window {req.params['fail_timeout']:g}s", hint=UPSTREAM_HINT)


def _connections(hc: HandlerContext) -> Any:
    def build(g: Group) -> tuple[str, dict[str, Any]] | None:
        params = {"max_conns": g.get("max-conns", parse_uint), "keepalive": g.get("keepalive", _int),
                  "zone_size": g.get("upstream-zone-size", parse_size)}
        if all(v is None for v in params.values()):
            return None
        return "upstream-connections", params

    return shared(hc, "upstream-connections", build, primary="keepalive")


def _int(value: str) -> int:
    v = value.strip()
    if not re.fullmatch(r"-?\d+", v):
        raise AnnotationValueError("expected a whole number")
    return int(v)


@handler("max-conns", Outcome.NEEDS_EMITTER, hint=UPSTREAM_HINT, gateway_api="IMPL")
def max_conns(hc: HandlerContext) -> None:
    """Connections per endpoint (0 = unlimited): upstream-connections max_conns.

    What the controller does:
        ``max_conns`` on each upstream server.
    Gateway API equivalent:
        None in core; Envoy Gateway circuitBreaker (per cluster, not per endpoint).
    Caveats:
        Recorded as ``max_conns``.
    Example:
        ``max-conns: "100"`` -> ``max_conns: 100``.
    """
    req = _connections(hc)
    if not req.params["max_conns"]:
        inert(hc, "0 means unlimited")
        return
    linked(hc, req, f"at most {req.params['max_conns']} connections per endpoint", hint=UPSTREAM_HINT)


@handler("keepalive", Outcome.NEEDS_EMITTER, hint=UPSTREAM_HINT, gateway_api="IMPL")
def keepalive(hc: HandlerContext) -> None:
    """Idle keep-alive connections to the upstream kept per worker: upstream-connections keepalive.

    What the controller does:
        ``keepalive <n>`` in the upstream (0 leaves it off).
    Gateway API equivalent:
        None in core; NGINX Gateway Fabric UpstreamSettingsPolicy.keepAlive.connections.
    Caveats:
        Gateway data planes usually pool connections by default.
    Example:
        ``keepalive: "32"`` -> ``keepalive: 32``.
    """
    req = _connections(hc)
    if not req.params["keepalive"]:
        inert(hc, "0 keeps no idle connections (the default)")
        return
    linked(hc, req, f"{req.params['keepalive']} idle keep-alive connections", hint=UPSTREAM_HINT)


@handler("upstream-zone-size", Outcome.NEEDS_EMITTER, hint=UPSTREAM_HINT, gateway_api="IMPL")
def upstream_zone_size(hc: HandlerContext) -> None:
    """Shared memory zone of the upstream (256k by default): upstream-connections zone_size.

    What the controller does:
        ``zone <name> <size>`` in the upstream.
    Gateway API equivalent:
        None in core; NGINX Gateway Fabric UpstreamSettingsPolicy.zoneSize.
    Caveats:
        nginx memory tuning.
    Example:
        ``upstream-zone-size: 512k`` -> ``zone_size: 524288``.
    """
    req = _connections(hc)
    linked(hc, req, f"upstream zone of {human_size(req.params['zone_size'])}", hint=UPSTREAM_HINT)


@handler("use-cluster-ip", Outcome.NEEDS_EMITTER, scope="service", gateway_api="IMPL")
def use_cluster_ip(hc: HandlerContext) -> None:
    """Sends to the Service's cluster IP instead of its endpoints: service-upstream.

    What the controller does:
        ``"true"``: the upstream is the Service's ClusterIP (kube-proxy balances).
    Gateway API equivalent:
        None in core; NGINX Gateway Fabric UpstreamSettingsPolicy / service-upstream requirement.
    Caveats:
        ``"false"`` is the default and matches Gateways.
    Example:
        ``use-cluster-ip: "true"`` -> service-upstream ``enabled: true``.
    """
    if not parse_flag(hc.value):
        hc.state(Outcome.TRANSLATED, "\"false\" is the default: traffic goes to the endpoints, as with Gateways")
        return
    hc.require("service-upstream", {"enabled": True}, message="traffic went to the Service's cluster IP")


# --------------------------------------------------------------------------------------------------
# Sticky cookies
# --------------------------------------------------------------------------------------------------

STICKY_HINT = ("Target emitters: Envoy Gateway BackendTrafficPolicy.loadBalancer.consistentHash cookie, NGINX "
               "Gateway Fabric; HTTPRoute sessionPersistence on the experimental channel.")


def _sticky(hc: HandlerContext) -> None:
    table = per_service(hc.value, "sticky-cookie-services", "serviceName=tea srv_id expires=1h path=/")
    parse_services(hc, ",".join(table))
    done: list[str] = []
    first = None
    for svc, rest in table.items():
        words = rest.split()
        name, opts = words[0], words[1:]
        params: dict[str, Any] = {"cookie_name": name, "max_age": None, "path": None, "secure": None,
                                  "samesite": None, "mode": "persistent", "services": [svc], "domain": None,
                                  "http_only": None}
        for o in opts:
            k, _, v = o.partition("=")
            if k == "expires":
                params["max_age"] = None if v == "max" else int(parse_nginx_time(v))
            elif k in ("path", "domain", "samesite"):
                params[k] = v
            elif k in ("secure", "httponly"):
                params["http_only" if k == "httponly" else k] = True
            else:
                raise AnnotationValueError(f"unknown sticky cookie parameter {o!r}")
        timeout = gateway_duration(params["max_age"]) if params["max_age"] else None
        # Permanent cookies need absoluteTimeout (CEL); "expires=max" has no finite timeout, so it stays Session.
        persistence = SessionPersistence(type="Cookie", session_name=name, absolute_timeout=timeout,
                                         lifetime_type="Permanent" if timeout else "Session")
        req = Requirement(feature="session-affinity", params=params, source=hc.source, target="rule",
                          id=hc.ctx.next_id("session-affinity"))
        for r in hc.translation.routes:
            if any(b.name == svc for b in r.backends):
                r.session_persistence = persistence
                r.requirements.append(req)
        first = first or req
        done.append(f"{svc}: cookie {name}")
    hc.state(Outcome.CAVEAT, f"sticky cookies ({'; '.join(done)}) as sessionPersistence (experimental channel) and "
             "a session-affinity requirement; cookie domain, path and flags have no Gateway API field",
             hint=STICKY_HINT, requirement=first)


@handler("sticky-cookie-services", Outcome.CAVEAT, scope="service", hint=STICKY_HINT,
         gateway_api="EXP~ sessionPersistence")
def sticky_cookie_services(hc: HandlerContext) -> None:
    """Sticky cookie per Service (serviceName=svc name [expires=] [domain=] [path=] [httponly] [secure]).

    What the controller does:
        nginx ``sticky cookie`` in the Service's upstream (NGINX Plus, or nginx 1.29.6+); wins over the
        nginx.com form.
    Gateway API equivalent:
        HTTPRoute ``sessionPersistence`` (experimental: sessionName, absoluteTimeout from expires) on the
        rules of that Service, and a session-affinity requirement with every cookie attribute.
    Caveats:
        Domain, path, secure and httponly have no Gateway API field; the standard channel has no
        sessionPersistence.
    Example:
        ``sticky-cookie-services: "serviceName=tea srv_id expires=1h"`` -> ``sessionName: srv_id,
        absoluteTimeout: 1h``.
    """
    _sticky(hc)


@handler("nginx.com/sticky-cookie-services", Outcome.CAVEAT, scope="service", hint=STICKY_HINT,
         gateway_api="EXP~ sessionPersistence")
def sticky_cookie_services_plus(hc: HandlerContext) -> None:
    """NGINX Plus form of sticky-cookie-services; ignored when nginx.org/sticky-cookie-services is set.

    What the controller does:
        As nginx.org/sticky-cookie-services (NGINX Plus only).
    Gateway API equivalent:
        As nginx.org/sticky-cookie-services.
    Caveats:
        The nginx.org key wins when both are set.
    Example:
        ``nginx.com/sticky-cookie-services: "serviceName=tea srv_id"`` -> ``sessionName: srv_id``.
    """
    if value_of(hc, "sticky-cookie-services") is not None:
        inert(hc, "nginx.org/sticky-cookie-services is also set and wins")
        return
    _sticky(hc)


# --------------------------------------------------------------------------------------------------
# NGINX Plus health checks and slow start
# --------------------------------------------------------------------------------------------------

HC_HINT = "Target emitters: Envoy Gateway BackendTrafficPolicy.healthCheck.active."


def _health(hc: HandlerContext) -> Any:
    def build(g: Group) -> tuple[str, dict[str, Any]] | None:
        on = g.get("nginx.com/health-checks", parse_flag, False)
        return "active-health-check", {"enabled": on,
                                       "mandatory": g.get("nginx.com/health-checks-mandatory", parse_flag, False),
                                       "mandatory_queue": g.get("nginx.com/health-checks-mandatory-queue", parse_uint)}

    return shared(hc, "active-health-check", build, primary="health-checks")


@handler("nginx.com/health-checks", Outcome.NEEDS_EMITTER, scope="service", hint=HC_HINT, gateway_api="IMPL")
def health_checks(hc: HandlerContext) -> None:
    """NGINX Plus: active health checks built from the pods' readiness probes: active-health-check.

    What the controller does:
        ``health_check`` in each location, with the readiness probe's path, interval and thresholds.
    Gateway API equivalent:
        None in core; Envoy Gateway healthCheck.active.
    Caveats:
        The probe details are in the Deployments, not the Ingress.
    Example:
        ``nginx.com/health-checks: "true"`` -> active-health-check ``enabled: true``.
    """
    req = _health(hc)
    if not req.params["enabled"]:
        hc.state(Outcome.TRANSLATED, "\"false\" is the default: no active health checks")
        return
    linked(hc, req, "active health checks from the readiness probes", hint=HC_HINT)


@handler("nginx.com/health-checks-mandatory", Outcome.NEEDS_EMITTER, scope="service", hint=HC_HINT,
         gateway_api="NONE")
def health_checks_mandatory(hc: HandlerContext) -> None:
    """NGINX Plus: new endpoints get traffic only after passing a check; needs health-checks.

    What the controller does:
        ``health_check ... mandatory``.
    Gateway API equivalent:
        None; ``mandatory`` of the active-health-check requirement.
    Caveats:
        Needs nginx.com/health-checks "true" (NIC rejects the Ingress otherwise).
    Example:
        ``nginx.com/health-checks-mandatory: "true"`` -> ``mandatory: true``.
    """
    if (value_of(hc, "nginx.com/health-checks") or "").strip().lower() not in ("1", "t", "true"):
        raise AnnotationValueError("needs nginx.com/health-checks: \"true\" (NIC rejects the Ingress otherwise)")
    req = _health(hc)
    linked(hc, req, "mandatory health checks" if req.params["mandatory"] else "checks not mandatory", hint=HC_HINT)


@handler("nginx.com/health-checks-mandatory-queue", Outcome.NEEDS_EMITTER, scope="service", hint=HC_HINT,
         gateway_api="NONE")
def health_checks_mandatory_queue(hc: HandlerContext) -> None:
    """NGINX Plus: requests queued while mandatory checks run; needs health-checks-mandatory.

    What the controller does:
        ``queue <n>`` in the upstream.
    Gateway API equivalent:
        None; ``mandatory_queue`` of the active-health-check requirement.
    Caveats:
        Needs nginx.com/health-checks-mandatory "true".
    Example:
        ``nginx.com/health-checks-mandatory-queue: "10"`` -> ``mandatory_queue: 10``.
    """
    if (value_of(hc, "nginx.com/health-checks-mandatory") or "").strip().lower() not in ("1", "t", "true"):
        raise AnnotationValueError("needs nginx.com/health-checks-mandatory: \"true\" (NIC rejects the Ingress "
                                   "otherwise)")
    req = _health(hc)
    linked(hc, req, f"queue of {req.params['mandatory_queue']} while checks run", hint=HC_HINT)


@handler("nginx.com/slow-start", Outcome.NEEDS_EMITTER, hint="Target emitters: Envoy Gateway loadBalancer.slowStart.",
         gateway_api="IMPL")
def slow_start(hc: HandlerContext) -> None:
    """NGINX Plus: ramps traffic up to recovered or new endpoints over this time: slow-start.

    What the controller does:
        ``slow_start=<time>`` on each upstream server (not with hash, ip_hash or random methods).
    Gateway API equivalent:
        None in core; Envoy Gateway loadBalancer.slowStart.window.
    Caveats:
        NGINX Plus only.
    Example:
        ``nginx.com/slow-start: 30s`` -> slow-start ``seconds: 30.0``.
    """
    seconds = parse_nginx_time(hc.value)
    hc.require("slow-start", {"seconds": seconds}, message=f"traffic ramps up over {seconds:g}s",
               hint="Target emitters: Envoy Gateway loadBalancer.slowStart.")
