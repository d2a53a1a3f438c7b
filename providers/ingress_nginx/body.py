"""ingress-nginx request body limits and proxy buffering: body-size-limit, client-body-buffer,
request-buffering and response-buffering requirements."""

from __future__ import annotations

from typing import Any

from ing2gw.model import Outcome, Requirement
from ing2gw.provider import HandlerContext

from ._policy import (
    Parsed,
    config_value,
    inert,
    linked,
    parse_count,
    parse_on_off,
    parse_size,
    policy,
    present,
    raise_own_error,
    shared_requirement,
    value_of,
)

BODY_HINT = ("Target emitters: NGINX Gateway Fabric ClientSettingsPolicy.body.maxSize, Envoy Gateway "
             "ClientTrafficPolicy.connection.bufferLimit / BackendTrafficPolicy.requestBuffer.")
BUF_HINT = "Target emitters: NGINX Gateway Fabric ProxySettingsPolicy.buffering."


def _human(n: int) -> str:
    for unit, size in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if n >= size and n % size == 0:
            return f"{n // size} {unit}"
    return f"{n} bytes"


@policy("proxy-body-size", Outcome.NEEDS_EMITTER, hint=BODY_HINT)
def proxy_body_size(hc: HandlerContext) -> None:
    """Largest request body accepted (nginx size; ConfigMap default 1m; 0 = unlimited): body-size-limit.

    What the controller does:
        ``client_max_body_size``: larger bodies get 413. Without the annotation the ConfigMap's
        proxy-body-size applies (default ``1m``).
    Gateway API equivalent:
        None in core. NGINX Gateway Fabric ClientSettingsPolicy.body.maxSize; Envoy Gateway
        ClientTrafficPolicy.connection.bufferLimit or BackendTrafficPolicy.requestBuffer.limit.
    Caveats:
        Recorded as ``bytes`` (0 = no limit). Most Gateway data planes have no 1m default, so Ingresses
        without this annotation become more permissive, not less.
    Example:
        ``proxy-body-size: 8m`` -> body-size-limit ``bytes: 8388608``.
    """
    n = parse_size(hc.value)
    what = "no limit on request bodies" if n == 0 else f"request bodies above {_human(n)} get 413"
    hc.require("body-size-limit", {"bytes": n}, message=f"{what}; the emitted routes have the Gateway's own limit "
               "until a target emitter or a hand-written policy sets it", hint=BODY_HINT)


@policy("client-body-buffer-size", Outcome.NEEDS_EMITTER, hint=BODY_HINT)
def client_body_buffer_size(hc: HandlerContext) -> None:
    """Memory buffer for request bodies (nginx size; default 8k): client-body-buffer.

    What the controller does:
        ``client_body_buffer_size``: bodies larger than this spill to a temporary file.
    Gateway API equivalent:
        None in core; NGINX Gateway Fabric ClientSettingsPolicy.body (buffer size).
    Caveats:
        Performance tuning; recorded as ``bytes``.
    Example:
        ``client-body-buffer-size: 1m`` -> client-body-buffer ``bytes: 1048576``.
    """
    n = parse_size(hc.value)
    hc.require("client-body-buffer", {"bytes": n}, message=f"request body memory buffer of {_human(n)}",
               hint=BODY_HINT)


@policy("proxy-request-buffering", Outcome.NEEDS_EMITTER, hint=BODY_HINT)
def proxy_request_buffering(hc: HandlerContext) -> None:
    """Buffer the whole request body before proxying ("on", the default) or stream it ("off").

    What the controller does:
        ``proxy_request_buffering``.
    Gateway API equivalent:
        None in core. Envoy streams by default; Envoy Gateway BackendTrafficPolicy.requestBuffer turns
        buffering on.
    Caveats:
        Recorded as ``enabled`` of a request-buffering requirement.
    Example:
        ``proxy-request-buffering: "off"`` -> request-buffering ``enabled: false``.
    """
    on = parse_on_off(hc.value)
    hc.require("request-buffering", {"enabled": on},
               message=f"request bodies {'buffered before proxying' if on else 'streamed to the backend'}",
               hint=BODY_HINT)


_BUFFER_KEYS = ("proxy-buffering", "proxy-buffer-size", "proxy-buffers-number", "proxy-busy-buffers-size")


def buffering_on(hc: HandlerContext) -> bool:
    for raw in (value_of(hc, "proxy-buffering"), config_value(hc, "proxy-buffering")):
        if raw is not None:
            try:
                return parse_on_off(raw)
            except ValueError:
                continue
    return False


def _buffering(hc: HandlerContext) -> tuple[Requirement | None, Parsed]:
    def build(p: Parsed) -> tuple[str, dict[str, Any]] | None:
        p.get("proxy-buffering", parse_on_off)
        enabled = buffering_on(hc)
        size = p.get("proxy-buffer-size", parse_size)
        number = p.get("proxy-buffers-number", lambda v: parse_count(v, minimum=1))
        busy = p.get("proxy-busy-buffers-size", parse_size)
        if not any(present(hc, k) for k in _BUFFER_KEYS):
            return None
        return "response-buffering", {"enabled": enabled, "buffer_size": size, "buffers": number,
                                      "busy_buffers_size": busy}

    return shared_requirement(hc, "response-buffering", build, primary="proxy-buffering")


def _buffer_state(hc: HandlerContext, name: str, message: str, *, needs_on: bool) -> None:
    req, p = _buffering(hc)
    raise_own_error(hc, p, name)
    assert req is not None
    if needs_on and not req.params["enabled"]:
        inert(hc, "response buffering is off (proxy-buffering, default \"off\"), and this only sizes the buffers "
              "used when it is on")
        return
    linked(hc, req, f"{message}: part of the response-buffering requirement", hint=BUF_HINT)


@policy("proxy-buffering", Outcome.NEEDS_EMITTER, hint=BUF_HINT)
def proxy_buffering(hc: HandlerContext) -> None:
    """Buffer upstream responses ("on") or pass them through ("off", the default): response-buffering.

    What the controller does:
        ``proxy_buffering``.
    Gateway API equivalent:
        None in core; NGINX Gateway Fabric ProxySettingsPolicy.buffering.disable.
    Caveats:
        Recorded as ``enabled``; the buffer sizes join the same requirement.
    Example:
        ``proxy-buffering: "on"`` -> response-buffering ``enabled: true``.
    """
    _buffer_state(hc, "proxy-buffering", f"response buffering {hc.value.strip().lower()}", needs_on=False)


@policy("proxy-buffer-size", Outcome.NEEDS_EMITTER, hint=BUF_HINT)
def proxy_buffer_size(hc: HandlerContext) -> None:
    """Buffer for the first part of the upstream response (headers); nginx size, default 4k.

    What the controller does:
        ``proxy_buffer_size``: used whether or not buffering is on; too small fails large headers (502).
    Gateway API equivalent:
        None in core; NGINX Gateway Fabric ProxySettingsPolicy.buffering.bufferSize.
    Caveats:
        Recorded as ``buffer_size`` (bytes).
    Example:
        ``proxy-buffer-size: 16k`` -> ``buffer_size: 16384``.
    """
    _buffer_state(hc, "proxy-buffer-size", "response header buffer size", needs_on=False)


@policy("proxy-buffers-number", Outcome.NEEDS_EMITTER, hint=BUF_HINT)
def proxy_buffers_number(hc: HandlerContext) -> None:
    """Number of response buffers (default 4): buffers of the response-buffering requirement.

    What the controller does:
        ``proxy_buffers <number> <proxy-buffer-size>``, used when buffering is on.
    Gateway API equivalent:
        None in core; NGINX Gateway Fabric ProxySettingsPolicy.buffering.buffers.number.
    Caveats:
        No effect while buffering is off.
    Example:
        ``proxy-buffers-number: "8"`` with ``proxy-buffering: "on"`` -> ``buffers: 8``.
    """
    _buffer_state(hc, "proxy-buffers-number", "number of response buffers", needs_on=True)


@policy("proxy-busy-buffers-size", Outcome.NEEDS_EMITTER, hint=BUF_HINT)
def proxy_busy_buffers_size(hc: HandlerContext) -> None:
    """How much of the response buffers may be busy sending to the client (nginx size).

    What the controller does:
        ``proxy_busy_buffers_size``, used when buffering is on.
    Gateway API equivalent:
        None in core; NGINX Gateway Fabric ProxySettingsPolicy.buffering.busyBuffersSize.
    Caveats:
        No effect while buffering is off.
    Example:
        ``proxy-busy-buffers-size: 64k`` -> ``busy_buffers_size: 65536``.
    """
    _buffer_state(hc, "proxy-busy-buffers-size", "busy buffers size", needs_on=True)


@policy("proxy-max-temp-file-size", Outcome.UNSUPPORTED)
def proxy_max_temp_file_size(hc: HandlerContext) -> None:
    """Largest temporary file for buffered responses (default 1024m; 0 = no spooling): no equivalent.

    What the controller does:
        ``proxy_max_temp_file_size``: when buffering is on and the response does not fit the buffers, nginx
        spools up to this much to disk, then reads the rest synchronously.
    Gateway API equivalent:
        None (Envoy does not spool to disk; NGINX Gateway Fabric has no field).
    Caveats:
        No effect while buffering is off.
    Example:
        ``proxy-max-temp-file-size: "0"`` -> unsupported (or inert when buffering is off).
    """
    parse_size(hc.value)
    if not buffering_on(hc):
        inert(hc, "response buffering is off, so nothing is spooled to disk")
        return
    hc.state(Outcome.UNSUPPORTED, "Gateway implementations do not spool responses to disk and have no setting for it")
