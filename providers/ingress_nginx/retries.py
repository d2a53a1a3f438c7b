"""ingress-nginx retries on the next endpoint (proxy-next-upstream*): HTTPRoute ``retry`` on the
experimental channel, plus one ``retry`` requirement per Ingress for target emitters."""

from __future__ import annotations

import dataclasses
from typing import Any

from ing2gw.model import Outcome, Requirement, Retry
from ing2gw.provider import AnnotationValueError, HandlerContext

from ._policy import (
    Parsed,
    config_flag,
    config_value,
    linked,
    parse_count,
    policy,
    present,
    raise_own_error,
    shared_requirement,
)

CONDITIONS = ("error", "timeout", "invalid_header", "http_500", "http_502", "http_503", "http_504", "http_403",
              "http_404", "http_429", "non_idempotent", "off")
RETRY_HINT = ("HTTPRoute retry is experimental-channel only (--channel experimental); target emitters: Envoy Gateway "
              "BackendTrafficPolicy.retry (retryOn triggers for connect-failure/reset).")


def parse_conditions(value: str) -> list[str]:
    out: list[str] = []
    for tok in value.split():
        if tok not in CONDITIONS:
            raise AnnotationValueError(f"{tok!r} is not a proxy_next_upstream condition (expected any of "
                                       f"{' '.join(CONDITIONS)})")
        if tok not in out:
            out.append(tok)
    if not out:
        raise AnnotationValueError("expected conditions such as \"error timeout http_502\"")
    return out


@dataclasses.dataclass(slots=True)
class _Plan:
    requirement: Requirement | None
    parsed: Parsed
    retry: Retry | None = None
    notes: list[str] = dataclasses.field(default_factory=list)
    emitted: bool = False


def _plan(hc: HandlerContext) -> _Plan:
    key = "ingress-nginx/retry-plan"
    cached = hc.translation.extra.get(key)
    if isinstance(cached, _Plan):
        return cached

    def build(p: Parsed) -> tuple[str, dict[str, Any]] | None:
        default = (config_value(hc, "proxy-next-upstream") or "error timeout").split()
        conds = p.get("proxy-next-upstream", parse_conditions, default)
        tries = p.get("proxy-next-upstream-tries", parse_count)
        if tries is None:
            try:
                tries = int(config_value(hc, "proxy-next-upstream-tries") or 3)
            except ValueError:
                tries = 3
        timeout = p.get("proxy-next-upstream-timeout", parse_count)
        if timeout is None:
            try:
                timeout = int(config_value(hc, "proxy-next-upstream-timeout") or 0)
            except ValueError:
                timeout = 0
        if config_flag(hc, "retry-non-idempotent", False) and "non_idempotent" not in conds:
            conds = [*conds, "non_idempotent"]
        return "retry", {"conditions": conds, "attempts": tries, "timeout": float(timeout) if timeout else None}

    req, parsed = shared_requirement(hc, "retry", build, primary="proxy-next-upstream")
    plan = _Plan(req, parsed)
    assert req is not None
    conds: list[str] = list(req.params["conditions"])
    tries: int = req.params["attempts"]
    codes = tuple(sorted(int(c[5:]) for c in conds if c.startswith("http_")))
    if "off" in conds or tries == 1:
        plan.notes.append("no retries (\"off\" or 1 try): no retry field is emitted, and whether the "
                          "implementation retries by default is implementation-specific")
    else:
        attempts = None if tries == 0 else tries - 1
        if tries == 0:
            plan.notes.append("0 tries means unlimited in nginx: attempts is left to the implementation")
        if "error" in conds or "timeout" in conds:
            plan.notes.append("retrying on connection errors and timeouts (error, timeout) has no code; whether "
                              "the implementation does it is implementation-specific (feature "
                              "HTTPRouteRetryConnectionError / HTTPRouteRetryBackendTimeout)")
        if "invalid_header" in conds:
            plan.notes.append("invalid_header (an empty or malformed upstream response) has no equivalent")
        if "non_idempotent" not in conds:
            plan.notes.append("nginx never retried POST, LOCK or PATCH requests; Gateway retries do not look at "
                              "the method")
        else:
            plan.notes.append("non_idempotent: nginx retried every method, as Gateway retries do")
        plan.notes.append("nginx always tried a different endpoint; Gateway retries may hit the same one")
        plan.retry = Retry(attempts=attempts, codes=codes)
        if hc.ctx.capabilities.retry:
            for r in hc.translation.routes:
                if r.backends:
                    r.retry = plan.retry
            plan.emitted = True
    hc.translation.extra[key] = plan
    return plan


def _retry_state(hc: HandlerContext, name: str, message: str) -> None:
    plan = _plan(hc)
    raise_own_error(hc, plan.parsed, name)
    req = plan.requirement
    assert req is not None
    r = plan.retry
    notes = "; ".join(plan.notes)
    if name != "proxy-next-upstream" and present(hc, "proxy-next-upstream"):
        notes = "caveats as stated for proxy-next-upstream"
    if plan.emitted and r is not None:
        got = f"retry codes {list(r.codes) or 'none'}" + (f", attempts {r.attempts}" if r.attempts is not None else "")
        linked(hc, req, f"{message}: became HTTPRoute {got} on this Ingress's rules (also kept as a retry "
               f"requirement); " + notes, outcome=Outcome.CAVEAT, hint=RETRY_HINT,
               emitted=("HTTPRoute spec.rules[].retry",))
        return
    caps = hc.ctx.capabilities
    why = "" if r is None else f"HTTPRoute retry is experimental-channel only ({caps.version} {caps.channel} chosen); "
    linked(hc, req, f"{message}: kept as a retry requirement; {why}" + notes, hint=RETRY_HINT,
           features=())


@policy("proxy-next-upstream", Outcome.CAVEAT, features=("HTTPRouteRetry",), hint=RETRY_HINT)
def proxy_next_upstream(hc: HandlerContext) -> None:
    """When to retry on the next endpoint (default "error timeout"): HTTPRoute retry codes.

    What the controller does:
        ``proxy_next_upstream``: on the listed conditions nginx passes the request to another endpoint,
        up to proxy-next-upstream-tries tries in total. ``http_xxx`` are response codes; ``error`` and
        ``timeout`` are connection failures; non-idempotent requests (POST, LOCK, PATCH) are retried only
        with ``non_idempotent``; ``off`` disables retries.
    Gateway API equivalent:
        HTTPRoute ``rules[].retry`` (experimental channel): ``http_xxx`` -> ``codes``, tries - 1 ->
        ``attempts``. Standard channel: a ``retry`` requirement only.
    Caveats:
        ``error``/``timeout`` have no code (implementation-specific, features
        HTTPRouteRetryConnectionError/BackendTimeout); ``invalid_header`` has no equivalent; Gateway retries
        may repeat POSTs that nginx would not, and may hit the same endpoint.
    Example:
        ``proxy-next-upstream: error timeout http_502 http_503`` + ``proxy-next-upstream-tries: "3"`` ->
        ``retry: {codes: [502, 503], attempts: 2}``.
    """
    _retry_state(hc, "proxy-next-upstream", "retry conditions " + " ".join(hc.value.split()))


@policy("proxy-next-upstream-tries", Outcome.CAVEAT, features=("HTTPRouteRetry",), hint=RETRY_HINT)
def proxy_next_upstream_tries(hc: HandlerContext) -> None:
    """Total tries including the first (default 3; 0 = unlimited): HTTPRoute retry attempts = tries - 1.

    What the controller does:
        ``proxy_next_upstream_tries``.
    Gateway API equivalent:
        ``retry.attempts`` counts retries, so tries - 1 (experimental channel).
    Caveats:
        ``0`` (unlimited) leaves attempts to the implementation; ``1`` means no retries, and no retry field
        is emitted.
    Example:
        ``proxy-next-upstream-tries: "5"`` -> ``retry.attempts: 4``.
    """
    _retry_state(hc, "proxy-next-upstream-tries", f"{hc.value.strip()} tries in total")


@policy("proxy-next-upstream-timeout", Outcome.NEEDS_EMITTER, hint=RETRY_HINT)
def proxy_next_upstream_timeout(hc: HandlerContext) -> None:
    """Time budget in seconds for passing a request on to further endpoints (default 0 = none).

    What the controller does:
        ``proxy_next_upstream_timeout``: no further endpoint is tried after this long.
    Gateway API equivalent:
        None exactly; ``timeouts.request`` bounds the first try plus all retries (set by the timeout
        annotations, not here). Recorded as ``timeout`` of the retry requirement.
    Caveats:
        ``0`` means no limit and needs nothing.
    Example:
        ``proxy-next-upstream-timeout: "10"`` -> retry requirement ``timeout: 10.0``.
    """
    plan = _plan(hc)
    raise_own_error(hc, plan.parsed, "proxy-next-upstream-timeout")
    if not plan.parsed.values.get("proxy-next-upstream-timeout"):
        hc.state(Outcome.TRANSLATED, "0 means no time limit for retries, as in Gateway API without a request "
                 "timeout: nothing to carry over")
        return
    assert plan.requirement is not None
    linked(hc, plan.requirement, f"retries stop after {hc.value.strip()} s: timeout of the retry requirement (the "
           "HTTPRoute retry has no such budget; timeouts.request bounds all tries together)", hint=RETRY_HINT)
