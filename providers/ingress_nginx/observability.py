"""ingress-nginx logging and tracing toggles: access-log and tracing requirements."""

from __future__ import annotations

from typing import Any

from ing2gw.model import Outcome, Requirement
from ing2gw.provider import HandlerContext

from ._policy import (
    Parsed,
    config_flag,
    config_known,
    inert,
    linked,
    parse_flag,
    policy,
    raise_own_error,
    shared_requirement,
)

LOG_HINT = "Target emitters: Envoy Gateway EnvoyProxy telemetry.accessLog / route-level settings."
TRACE_HINT = "Target emitters: NGINX Gateway Fabric ObservabilityPolicy.tracing, Envoy Gateway tracing settings."


@policy("enable-access-log", Outcome.NEEDS_EMITTER, hint=LOG_HINT)
def enable_access_log(hc: HandlerContext) -> None:
    """Access logging for this Ingress's locations (default on): an access-log requirement.

    What the controller does:
        ``"false"`` writes ``access_log off`` in the Ingress's locations.
    Gateway API equivalent:
        None in core; implementations configure access logs per Gateway or per route in their own APIs.
    Caveats:
        ``"true"`` is the default and needs nothing.
    Example:
        ``enable-access-log: "false"`` -> access-log ``enabled: false``.
    """
    on = parse_flag(hc.value)
    if on:
        hc.state(Outcome.TRANSLATED, "\"true\" is the default (requests are logged): nothing to carry over")
        return
    hc.require("access-log", {"enabled": False}, message="requests of this Ingress are not access-logged",
               hint=LOG_HINT)


@policy("enable-rewrite-log", Outcome.NOT_ROUTING)
def enable_rewrite_log(hc: HandlerContext) -> None:
    """nginx rewrite_log (debug notices of rewrite rules in the error log): nginx-internal.

    What the controller does:
        ``rewrite_log on`` for the Ingress's locations.
    Gateway API equivalent:
        None needed: there are no nginx rewrite rules behind a Gateway.
    Caveats:
        Debugging only; traffic is unaffected.
    Example:
        ``enable-rewrite-log: "true"`` -> not carried over.
    """
    parse_flag(hc.value)
    hc.state(Outcome.NOT_ROUTING, "debug logging of nginx rewrite rules; traffic is unaffected and Gateways have no "
             "nginx rewrite rules: nothing to carry over")


def _tracing(hc: HandlerContext) -> tuple[Requirement | None, Parsed]:
    def build(p: Parsed) -> tuple[str, dict[str, Any]] | None:
        on = p.get("enable-opentelemetry", parse_flag)
        trust = p.get("opentelemetry-trust-incoming-span", parse_flag)
        name = p.get("opentelemetry-operation-name", lambda v: v.strip())
        enabled = on if on is not None else config_flag(hc, "enable-opentelemetry", False)
        if not enabled and on is None and not config_known(hc):
            enabled = None  # unknown: the ConfigMap may enable it globally
        if enabled is False:
            return None
        return "tracing", {"enabled": True, "trust_incoming_span": trust, "operation_name": name or None}

    return shared_requirement(hc, "tracing", build, primary="enable-opentelemetry")


def _trace_state(hc: HandlerContext, name: str, message: str) -> None:
    req, p = _tracing(hc)
    raise_own_error(hc, p, name)
    if req is None:
        if p.values.get("enable-opentelemetry") is False:
            if name == "enable-opentelemetry" and config_flag(hc, "enable-opentelemetry", False):
                hc.state(Outcome.CAVEAT, "turns the globally enabled OpenTelemetry tracing off for this Ingress: "
                         "ing2gw emits no tracing, so this holds", hint="If you add Gateway-wide tracing, exempt "
                         "these routes.")
                return
            inert(hc, f"{message}: tracing is off for this Ingress")
        else:
            inert(hc, f"{message}: OpenTelemetry is not enabled (neither here nor in the controller ConfigMap)")
        return
    linked(hc, req, f"{message}: part of the tracing requirement", hint=TRACE_HINT)


@policy("enable-opentelemetry", Outcome.NEEDS_EMITTER, hint=TRACE_HINT)
def enable_opentelemetry(hc: HandlerContext) -> None:
    """OpenTelemetry tracing for this Ingress's locations: a tracing requirement.

    What the controller does:
        Turns the OpenTelemetry module on (or off) for these locations, overriding the ConfigMap's
        enable-opentelemetry.
    Gateway API equivalent:
        None in core; NGINX Gateway Fabric ObservabilityPolicy.tracing, Envoy Gateway tracing.
    Caveats:
        The collector endpoint and sampling come from the controller ConfigMap and are not carried over.
    Example:
        ``enable-opentelemetry: "true"`` -> tracing ``enabled: true``.
    """
    _trace_state(hc, "enable-opentelemetry", "OpenTelemetry tracing")


@policy("opentelemetry-trust-incoming-span", Outcome.NEEDS_EMITTER, hint=TRACE_HINT)
def opentelemetry_trust_incoming_span(hc: HandlerContext) -> None:
    """Continue the trace context of incoming requests (default true): trust_incoming_span.

    What the controller does:
        ``opentelemetry_trust_incoming_spans``.
    Gateway API equivalent:
        None in core; NGINX Gateway Fabric ObservabilityPolicy.tracing.strategy/context.
    Caveats:
        No effect while tracing is off.
    Example:
        ``opentelemetry-trust-incoming-span: "false"`` -> ``trust_incoming_span: false``.
    """
    _trace_state(hc, "opentelemetry-trust-incoming-span", "trust of incoming trace context")


@policy("opentelemetry-operation-name", Outcome.NEEDS_EMITTER, hint=TRACE_HINT)
def opentelemetry_operation_name(hc: HandlerContext) -> None:
    """Span name for this Ingress's requests: operation_name of the tracing requirement.

    What the controller does:
        ``opentelemetry_operation_name`` (nginx variables allowed).
    Gateway API equivalent:
        None in core; NGINX Gateway Fabric ObservabilityPolicy.tracing.spanAttributes/name.
    Caveats:
        nginx variables in the name have no meaning elsewhere.
    Example:
        ``opentelemetry-operation-name: "HTTP $request_method"`` -> ``operation_name``.
    """
    _trace_state(hc, "opentelemetry-operation-name", "span name")
