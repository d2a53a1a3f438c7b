"""Timeouts towards the backend: proxy-connect-timeout, proxy-read-timeout, proxy-send-timeout.

nginx's read and send timeouts bound the gap between two reads or writes, not the whole exchange, so
they are not HTTPRoute ``timeouts`` (which are totals): they are kept as requirement ``backend-timeouts``.
"""

from __future__ import annotations

from ing2gw.model import Outcome
from ing2gw.provider import AnnotationValueError, HandlerContext

from . import REGISTRY
from ._common import GATEWAY_API

_WHAT = {
    "connect": ("establishing the connection to the backend", 5),
    "read": ("the gap between two reads from the backend (an idle timeout, not the response time)", 60),
    "send": ("the gap between two writes to the backend (an idle timeout, not the upload time)", 60),
}


def seconds(value: str) -> float:
    v = value.strip()
    if v.endswith("s") and v[:-1].strip().isdigit():
        v = v[:-1]
    try:
        n = float(v)
    except ValueError:
        raise AnnotationValueError("expected a number of seconds such as 30") from None
    if n < 0:
        raise AnnotationValueError("expected a number of seconds such as 30")
    return n


def _timeout(hc: HandlerContext, kind: str) -> None:
    n = seconds(hc.value)
    what, default = _WHAT[kind]
    params: dict[str, float | None] = {"connect": None, "read": None, "send": None}
    params[kind] = n
    total = ("HTTPRoute timeouts.request / backendRequest are totals for the whole request: a value derived from "
             "this one would cut slow or streaming responses that nginx allowed, so none is emitted")
    hc.require("backend-timeouts", params, message=f"{n:g}s for {what} (nginx default {default}s); {total}; kept as "
               "requirement backend-timeouts", hint="A target emitter can set it (Envoy Gateway BackendTrafficPolicy, "
               "NGF ProxySettingsPolicy). If a total limit is acceptable, set rules[].timeouts.backendRequest by hand.")


@REGISTRY.handler("proxy-connect-timeout", Outcome.NEEDS_EMITTER, gateway_api=GATEWAY_API["proxy-connect-timeout"], features=("HTTPRouteBackendTimeout",))
def proxy_connect_timeout(hc: HandlerContext) -> None:
    """Timeout for connecting to the backend, in seconds (default 5).

    What the controller does:
      `proxy_connect_timeout` (and grpc_connect_timeout).

    Gateway API equivalent:
      None in core: HTTPRoute `timeouts.backendRequest` bounds a whole backend request, not the connection
      setup. Kept as requirement `backend-timeouts` (connect) for a target emitter.

    Caveats:
      Without a target emitter the implementation's connect timeout applies.

    Example:
      proxy-connect-timeout: "10" -> requirement backend-timeouts connect=10.
    """
    _timeout(hc, "connect")


@REGISTRY.handler("proxy-read-timeout", Outcome.NEEDS_EMITTER, gateway_api=GATEWAY_API["proxy-read-timeout"], features=("HTTPRouteBackendTimeout",))
def proxy_read_timeout(hc: HandlerContext) -> None:
    """Idle timeout between two reads from the backend, in seconds (default 60).

    What the controller does:
      `proxy_read_timeout`: the time allowed between two successive reads, not the total response time.

    Gateway API equivalent:
      HTTPRoute `timeouts.backendRequest` / `timeouts.request` are totals, so they are not emitted (a
      streaming or long download would be cut). Kept as requirement `backend-timeouts` (read).

    Caveats:
      Set timeouts.backendRequest by hand only if every response is bounded in time.

    Example:
      proxy-read-timeout: "3600" -> requirement backend-timeouts read=3600.
    """
    _timeout(hc, "read")


@REGISTRY.handler("proxy-send-timeout", Outcome.NEEDS_EMITTER, gateway_api=GATEWAY_API["proxy-send-timeout"], features=("HTTPRouteBackendTimeout",))
def proxy_send_timeout(hc: HandlerContext) -> None:
    """Idle timeout between two writes to the backend, in seconds (default 60).

    What the controller does:
      `proxy_send_timeout`: the time allowed between two successive writes of the request.

    Gateway API equivalent:
      None in core (see proxy-read-timeout). Kept as requirement `backend-timeouts` (send).

    Caveats:
      Large uploads over slow links are where it matters.

    Example:
      proxy-send-timeout: "120" -> requirement backend-timeouts send=120.
    """
    _timeout(hc, "send")
