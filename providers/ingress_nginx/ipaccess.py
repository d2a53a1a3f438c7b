"""ingress-nginx client IP access lists: ip-allow and ip-deny requirements, with CIDR validation."""

from __future__ import annotations

from ing2gw.model import Outcome
from ing2gw.provider import AnnotationValueError, HandlerContext

from ._policy import config_value, parse_cidrs, policy

IP_HINT = ("Target emitters: Envoy Gateway SecurityPolicy.authorization (clientCIDRs). The client address must be "
           "the real one: configure client IP detection (X-Forwarded-For / PROXY protocol) as ingress-nginx had it.")


def _cidrs(hc: HandlerContext) -> list[str]:
    try:
        return parse_cidrs(hc.value)
    except AnnotationValueError as exc:
        raise AnnotationValueError(f"{exc}; ingress-nginx treats a bad list as an error and denies this Ingress's "
                                   "paths (503)") from None


@policy("allowlist-source-range", Outcome.NEEDS_EMITTER, hint=IP_HINT, aliases=("whitelist-source-range",))
def allowlist_source_range(hc: HandlerContext) -> None:
    """Only these client CIDRs may reach the Ingress's paths (alias whitelist-source-range): ip-allow.

    What the controller does:
        nginx ``allow <cidr>; ... deny all;`` in each location of the Ingress: other clients get 403. It
        replaces the ConfigMap's whitelist-source-range for this Ingress.
    Gateway API equivalent:
        None in core. Envoy Gateway SecurityPolicy.authorization (allow rule on clientCIDRs, default
        Deny); the client address comes from ClientTrafficPolicy.clientIPDetection.
    Caveats:
        Recorded as an ``ip-allow`` requirement; addresses are normalised to CIDRs (``10.0.0.1`` ->
        ``10.0.0.1/32``). The emitted routes are open to every client until a target adds the check.
    Example:
        ``whitelist-source-range: 10.0.0.0/8, 192.168.1.7`` -> ip-allow
        ``cidrs: [10.0.0.0/8, 192.168.1.7/32]``.
    """
    cidrs = _cidrs(hc)
    note = ""
    if config_value(hc, "whitelist-source-range"):
        note = " (it replaces the ConfigMap's whitelist-source-range for this Ingress)"
    hc.require("ip-allow", {"cidrs": cidrs},
               message=f"only {', '.join(cidrs)} may connect{note}; the emitted routes accept every client until a "
               "target emitter or a hand-written policy adds the check", hint=IP_HINT)


@policy("denylist-source-range", Outcome.NEEDS_EMITTER, hint=IP_HINT)
def denylist_source_range(hc: HandlerContext) -> None:
    """These client CIDRs are refused with 403: an ip-deny requirement.

    What the controller does:
        nginx ``deny <cidr>;`` in each location of the Ingress (checked before the allowlist).
    Gateway API equivalent:
        None in core. Envoy Gateway SecurityPolicy.authorization rule with action Deny.
    Caveats:
        Recorded as an ``ip-deny`` requirement; addresses are normalised to CIDRs.
    Example:
        ``denylist-source-range: 203.0.113.0/24`` -> ip-deny ``cidrs: [203.0.113.0/24]``.
    """
    cidrs = _cidrs(hc)
    hc.require("ip-deny", {"cidrs": cidrs},
               message=f"{', '.join(cidrs)} are refused with 403; the emitted routes accept them until a target "
               "emitter or a hand-written policy adds the check", hint=IP_HINT)
