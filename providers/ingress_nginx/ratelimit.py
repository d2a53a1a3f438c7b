"""ingress-nginx rate limits: requests, connections and bandwidth per client.

One ``rate-limit`` requirement per Ingress combines limit-rps, limit-rpm, limit-burst-multiplier and
limit-allowlist; limit-connections makes a ``connection-limit`` one, limit-rate a ``bandwidth-limit`` one.
Every annotation states its own outcome, linked to the requirement it feeds.
"""

from __future__ import annotations

from typing import Any

from ing2gw.model import Outcome, Requirement
from ing2gw.provider import HandlerContext

from ._policy import (
    Parsed,
    config_value,
    inert,
    linked,
    parse_cidrs,
    parse_count,
    policy,
    raise_own_error,
    shared_requirement,
)
from .body import buffering_on

RATE_HINT = ("Target emitters: Envoy Gateway BackendTrafficPolicy.rateLimit (local, per source IP), NGINX Gateway "
             "Fabric RateLimitPolicy. ingress-nginx counted per controller replica.")


def _status(hc: HandlerContext, key: str) -> int:
    raw = config_value(hc, key)
    try:
        return int(raw) if raw is not None else 503
    except ValueError:
        return 503


def _rates(hc: HandlerContext) -> tuple[Requirement | None, Parsed]:
    def build(p: Parsed) -> tuple[str, dict[str, Any]] | None:
        rps = p.get("limit-rps", parse_count, 0)
        rpm = p.get("limit-rpm", parse_count, 0)
        mult = p.get("limit-burst-multiplier", lambda v: parse_count(v, minimum=1), 5)
        exempt = p.get("limit-allowlist", parse_cidrs, [])
        limits = [{"requests": n, "unit": unit, "burst": n * mult}
                  for n, unit in ((rps, "Second"), (rpm, "Minute")) if n > 0]
        if not limits:
            return None
        first = limits[0]
        return "rate-limit", {"requests": first["requests"], "unit": first["unit"], "burst": first["burst"],
                              "per": "client-ip", "exempt_cidrs": exempt, "limits": limits,
                              "status_code": _status(hc, "limit-req-status-code")}

    return shared_requirement(hc, "rate-limit", build, primary="limit-rps")


def _rate_state(hc: HandlerContext, name: str, message: str) -> None:
    req, p = _rates(hc)
    raise_own_error(hc, p, name)
    if req is None:
        inert(hc, "neither limit-rps nor limit-rpm is set above 0, so no request rate limit applies")
        return
    limits = "; ".join(f"{x['requests']}/{x['unit'].lower()} with burst {x['burst']}" for x in req.params["limits"])
    linked(hc, req, f"{message}: part of the rate-limit requirement ({limits} per client IP, shared by all paths of "
           "this Ingress, per controller replica)", hint=RATE_HINT)


@policy("limit-rps", Outcome.NEEDS_EMITTER, hint=RATE_HINT)
def limit_rps(hc: HandlerContext) -> None:
    """Requests per second per client IP: a rate-limit requirement.

    What the controller does:
        ``limit_req`` keyed on the client address, burst = rps x limit-burst-multiplier (default 5),
        ``nodelay``; rejected requests get limit-req-status-code (503). One zone per Ingress, per replica.
    Gateway API equivalent:
        None in core. Envoy Gateway BackendTrafficPolicy.rateLimit (local, clientSelectors sourceCIDR
        Distinct), NGINX Gateway Fabric RateLimitPolicy.
    Caveats:
        ``requests``/``unit``/``burst`` hold limit-rps when set (else limit-rpm); ``limits`` lists both when
        both are set (nginx enforces both). Per-replica counting becomes whatever the target does.
    Example:
        ``limit-rps: "10"`` -> rate-limit ``requests: 10, unit: Second, burst: 50, per: client-ip``.
    """
    _rate_state(hc, "limit-rps", "requests per second")


@policy("limit-rpm", Outcome.NEEDS_EMITTER, hint=RATE_HINT)
def limit_rpm(hc: HandlerContext) -> None:
    """Requests per minute per client IP: a rate-limit requirement.

    What the controller does:
        As limit-rps, per minute; both apply when both are set.
    Gateway API equivalent:
        None in core; as limit-rps with unit Minute.
    Caveats:
        See limit-rps.
    Example:
        ``limit-rpm: "300"`` -> rate-limit ``requests: 300, unit: Minute, burst: 1500``.
    """
    _rate_state(hc, "limit-rpm", "requests per minute")


@policy("limit-burst-multiplier", Outcome.NEEDS_EMITTER, hint=RATE_HINT)
def limit_burst_multiplier(hc: HandlerContext) -> None:
    """Burst size factor for limit-rps/limit-rpm (default 5): the burst of the rate-limit requirement.

    What the controller does:
        burst = limit x multiplier, served without delay.
    Gateway API equivalent:
        None in core; NGINX Gateway Fabric RateLimitPolicy burst; Envoy token buckets have no separate
        burst (a target may raise the bucket size instead).
    Caveats:
        No effect without limit-rps or limit-rpm.
    Example:
        ``limit-burst-multiplier: "2"`` with ``limit-rps: "10"`` -> ``burst: 20``.
    """
    _rate_state(hc, "limit-burst-multiplier", "burst multiplier")


@policy("limit-allowlist", Outcome.NEEDS_EMITTER, hint=RATE_HINT, aliases=("limit-whitelist",))
def limit_allowlist(hc: HandlerContext) -> None:
    """Client CIDRs exempt from this Ingress's limits (alias limit-whitelist): exempt_cidrs.

    What the controller does:
        Clients in the list are not counted by limit-rps, limit-rpm or limit-connections.
    Gateway API equivalent:
        None in core; Envoy Gateway rate limit rules with clientSelectors for the exempt ranges.
    Caveats:
        Recorded as ``exempt_cidrs`` of the rate-limit requirement (and of connection-limit). Plain
        addresses become /32 or /128.
    Example:
        ``limit-allowlist: 10.0.0.0/8`` -> ``exempt_cidrs: [10.0.0.0/8]``.
    """
    req, p = _rates(hc)
    conn, cp = _connections(hc)
    raise_own_error(hc, p, "limit-allowlist")
    if req is None and conn is None:
        inert(hc, "no limit-rps, limit-rpm or limit-connections is set, so there is nothing to be exempt from")
        return
    target = req if req is not None else conn
    assert target is not None
    linked(hc, target, f"clients exempt from the limits ({', '.join(p.values.get('limit-allowlist', []))}): "
           f"exempt_cidrs of the {target.feature} requirement", hint=RATE_HINT)


def _connections(hc: HandlerContext) -> tuple[Requirement | None, Parsed]:
    def build(p: Parsed) -> tuple[str, dict[str, Any]] | None:
        n = p.get("limit-connections", parse_count, 0)
        exempt = p.get("limit-allowlist", parse_cidrs, [])
        if n <= 0:
            return None
        return "connection-limit", {"connections": n, "per": "client-ip", "exempt_cidrs": exempt,
                                    "status_code": _status(hc, "limit-conn-status-code")}

    return shared_requirement(hc, "connection-limit", build, primary="limit-connections")


@policy("limit-connections", Outcome.NEEDS_EMITTER,
        hint="Target emitters: Traefik InFlightReq; Envoy Gateway and NGINX Gateway Fabric have no per-client "
        "concurrency limit (Envoy Gateway's connectionLimit is listener-wide).")
def limit_connections(hc: HandlerContext) -> None:
    """Concurrent connections per client IP: a connection-limit requirement.

    What the controller does:
        ``limit_conn`` keyed on the client address, per replica; over the limit answers
        limit-conn-status-code (503).
    Gateway API equivalent:
        None in core. Traefik InFlightReq middleware; no per-client concurrency in Envoy Gateway or NGINX
        Gateway Fabric policies.
    Caveats:
        ``0`` disables it.
    Example:
        ``limit-connections: "20"`` -> connection-limit ``connections: 20, per: client-ip``.
    """
    req, p = _connections(hc)
    raise_own_error(hc, p, "limit-connections")
    if req is None:
        inert(hc, "0 turns the connection limit off")
        return
    linked(hc, req, f"{req.params['connections']} concurrent connections per client IP (per controller replica)")


def _bandwidth(hc: HandlerContext) -> tuple[Requirement | None, Parsed]:
    def build(p: Parsed) -> tuple[str, dict[str, Any]] | None:
        rate = p.get("limit-rate", parse_count, 0)
        after = p.get("limit-rate-after", parse_count, 0)
        if rate <= 0:
            return None
        return "bandwidth-limit", {"bytes_per_second": rate * 1024, "after_bytes": after * 1024 if after else None}

    return shared_requirement(hc, "bandwidth-limit", build, primary="limit-rate")


BW_HINT = "Target emitters: Envoy Gateway BackendTrafficPolicy.bandwidthLimit."


@policy("limit-rate", Outcome.NEEDS_EMITTER, hint=BW_HINT)
def limit_rate(hc: HandlerContext) -> None:
    """Response bandwidth per connection, in kilobytes per second: a bandwidth-limit requirement.

    What the controller does:
        ``limit_rate <n>k``: each response is sent at most n KiB/s (per request, so parallel connections
        add up). ``0`` disables it.
    Gateway API equivalent:
        None in core; Envoy Gateway BackendTrafficPolicy.bandwidthLimit.
    Caveats:
        The value is kilobytes (the controller appends ``k``), although its doc string says bytes;
        ``bytes_per_second`` is value x 1024. ingress-nginx documents that it needs proxy-buffering "on";
        the message says when buffering is off.
    Example:
        ``limit-rate: "100"`` -> bandwidth-limit ``bytes_per_second: 102400``.
    """
    req, p = _bandwidth(hc)
    raise_own_error(hc, p, "limit-rate")
    if req is None:
        inert(hc, "0 turns the bandwidth limit off")
        return
    msg = f"responses limited to {req.params['bytes_per_second']} bytes/s per connection"
    if not buffering_on(hc):
        msg += ("; ingress-nginx documents that limit-rate needs proxy-buffering \"on\", which is off here, so it "
                "may have had no effect in the source cluster")
    linked(hc, req, msg, hint=BW_HINT)


@policy("limit-rate-after", Outcome.NEEDS_EMITTER, hint=BW_HINT)
def limit_rate_after(hc: HandlerContext) -> None:
    """Kilobytes sent at full speed before limit-rate applies: after_bytes of the bandwidth-limit.

    What the controller does:
        ``limit_rate_after <n>k``.
    Gateway API equivalent:
        None; recorded for targets (Envoy Gateway's bandwidth limit has no such setting).
    Caveats:
        No effect without limit-rate.
    Example:
        ``limit-rate-after: "1024"`` -> ``after_bytes: 1048576``.
    """
    req, p = _bandwidth(hc)
    raise_own_error(hc, p, "limit-rate-after")
    if req is None:
        inert(hc, "limit-rate is not set above 0")
        return
    linked(hc, req, "unthrottled first part of each response: after_bytes of the bandwidth-limit requirement",
           hint=BW_HINT)
