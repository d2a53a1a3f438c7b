"""Shared helpers of the ingress-nginx policy families (auth, rate limits, IP access, body, retries, ...).

- :func:`policy` registers a handler that runs after the routing handlers (so every route of the Ingress
  exists when requirements are attached) and that honours ingress-nginx's canary rule: on an Ingress with
  ``canary: "true"`` the controller ignores all other annotations except load balancing and affinity.
- :func:`shared_requirement` builds one requirement per Ingress from several annotations; each of those
  annotations still states its own outcome, linked to the same requirement id.
- Parsers for the value formats ingress-nginx accepts (sizes, CIDR lists, booleans).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Literal

from ing2gw.model import Outcome, Requirement
from ing2gw.provider import AnnotationValueError, HandlerContext, HandlerFn, parse_bool, parse_nginx_size

from . import PREFIX, REGISTRY

POLICY_ORDER = 200  # after the routing handlers (default order 100)

CANARY_EXEMPT = ("load-balance", "upstream-hash-by", "upstream-hash-by-subset", "upstream-hash-by-subset-size")


def policy(
    name: str,
    outcome: Outcome,
    *,
    features: Iterable[str] = (),
    hint: str | None = None,
    aliases: Iterable[str] = (),
) -> Callable[[HandlerFn], HandlerFn]:
    """Register an ingress-nginx policy handler (see the module doc for what it adds)."""

    def deco(fn: HandlerFn) -> HandlerFn:
        def run(hc: HandlerContext) -> None:
            if name not in CANARY_EXEMPT and is_canary(hc):
                hc.state(
                    Outcome.NOT_ROUTING,
                    "ignored: on a canary Ingress ingress-nginx applies the main Ingress's settings and reads only "
                    "the canary, load-balance, upstream-hash-by and affinity annotations",
                    hint="Set it on the main Ingress if it was meant to apply.",
                )
                return
            primary = PREFIX + name
            if hc.key != primary and hc.ingress.annotations.get(primary, "") != "":
                hc.state(Outcome.NOT_ROUTING, f"ignored: {primary} is also set, and ingress-nginx reads the "
                         "alias only when the main annotation is absent",
                         hint="Remove the deprecated alias.")
                return
            fn(hc)

        run.__doc__ = fn.__doc__
        run.__module__ = fn.__module__
        run.__name__ = fn.__name__
        run.__qualname__ = fn.__qualname__
        REGISTRY.handler(name, outcome, features=features, hint=hint, aliases=aliases, order=POLICY_ORDER)(run)
        return fn

    return deco


def is_canary(hc: HandlerContext) -> bool:
    value = hc.annotation("canary")
    return value is not None and value.strip().lower() == "true"


def present(hc: HandlerContext, name: str) -> bool:
    """True when the Ingress carries ``name`` (short name) or one of its aliases."""
    h = REGISTRY.get(PREFIX + name)
    keys = (h.key, *h.aliases) if h is not None else (PREFIX + name,)
    return any(k in hc.ingress.annotations for k in keys)


def value_of(hc: HandlerContext, name: str) -> str | None:
    """The value of an annotation by short name, looking through its registered aliases too."""
    h = REGISTRY.get(PREFIX + name)
    keys = (h.key, *h.aliases) if h is not None else (PREFIX + name,)
    for k in keys:
        if k in hc.ingress.annotations:
            return hc.ingress.annotations[k]
    return None


def inert(hc: HandlerContext, why: str, hint: str | None = None) -> None:
    """State that the annotation had no effect in the source cluster, so nothing is carried over."""
    hc.state(Outcome.NOT_ROUTING, f"no effect in ingress-nginx: {why}; nothing to carry over", hint=hint)


# --------------------------------------------------------------------------------------------------
# One requirement from several annotations
# --------------------------------------------------------------------------------------------------


class Parsed:
    """Parse results of a group of annotations: values, and one error per annotation that failed."""

    def __init__(self, hc: HandlerContext) -> None:
        self.hc = hc
        self.values: dict[str, Any] = {}
        self.errors: dict[str, str] = {}

    def get(self, name: str, parse: Callable[[str], Any], default: Any = None) -> Any:
        raw = value_of(self.hc, name)
        if raw is None:
            return default
        try:
            v = parse(raw)
        except AnnotationValueError as exc:
            self.errors[name] = str(exc)
            return default
        self.values[name] = v
        return v


def shared_requirement(
    hc: HandlerContext,
    group: str,
    build: Callable[[Parsed], tuple[str, dict[str, Any]] | None],
    *,
    target: Literal["rule", "route", "gateway", "service"] = "rule",
    primary: str | None = None,
) -> tuple[Requirement | None, Parsed]:
    """The requirement a group of annotations makes together, built once per Ingress.

    ``build`` reads every annotation of the group through :class:`Parsed` and returns ``(feature,
    params)``, or None when the group has no effect. The first handler of the group to run builds and
    attaches it; the others get the same object back. The requirement's source is the ``primary``
    annotation when the Ingress has it.
    """
    key = f"ingress-nginx/{group}"
    cached = hc.translation.extra.get(key)
    if cached is None:
        parsed = Parsed(hc)
        made = build(parsed)
        req = None
        if made is not None:
            feature, params = made
            src_key = PREFIX + primary if primary and present(hc, primary) else hc.key
            req = Requirement(feature=feature, params=params, source=hc.ingress.source.at(annotation=src_key),
                              target=target, id=hc.ctx.next_id(feature))
            if target == "rule":
                for r in hc.translation.routes:
                    r.requirements.append(req)
            else:
                hc.translation.requirements.append(req)
        cached = hc.translation.extra[key] = (req, parsed)
    req, parsed = cached
    return req, parsed


def raise_own_error(hc: HandlerContext, parsed: Parsed, name: str) -> None:
    """Raise the parse error of this handler's own annotation, if its value did not parse."""
    if name in parsed.errors:
        raise AnnotationValueError(parsed.errors[name])


def linked(hc: HandlerContext, req: Requirement, message: str, *, outcome: Outcome = Outcome.NEEDS_EMITTER,
           hint: str | None = None, emitted: Iterable[str] = (), features: Iterable[str] | None = None) -> None:
    """State this annotation's outcome as part of a shared requirement."""
    hc.state(outcome, message, hint=hint, requirement=req, emitted=emitted, features=features)


# --------------------------------------------------------------------------------------------------
# Value formats
# --------------------------------------------------------------------------------------------------

def parse_size(value: str) -> int:
    """nginx size syntax as ingress-nginx validates it (``1m``, ``512k``, ``8192``) in bytes."""
    return parse_nginx_size(value)


def parse_on_off(value: str) -> bool:
    v = value.strip().lower()
    if v == "on":
        return True
    if v == "off":
        return False
    raise AnnotationValueError('expected "on" or "off"')


def parse_flag(value: str) -> bool:
    """ingress-nginx booleans ("true"/"false"; Go's strconv also takes 1/0, t/f)."""
    v = value.strip().lower()
    if v in ("t", "1"):
        return True
    if v in ("f", "0"):
        return False
    return parse_bool(v)


def parse_count(value: str, *, minimum: int = 0) -> int:
    try:
        n = int(value.strip())
    except ValueError:
        raise AnnotationValueError("expected a whole number") from None
    if n < minimum:
        raise AnnotationValueError(f"expected a whole number of at least {minimum}")
    return n


def parse_seconds(value: str) -> float:
    v = value.strip()
    try:
        n = float(v)
    except ValueError:
        raise AnnotationValueError("expected a number of seconds without unit, such as 30") from None
    if n < 0 or n != n or n == float("inf"):
        raise AnnotationValueError("expected a number of seconds of 0 or more")
    return n


def parse_cidrs(value: str) -> list[str]:
    """A comma-separated list of CIDRs or addresses, normalised to network CIDRs, sorted and unique.

    Plain addresses become ``/32`` (IPv4) or ``/128`` (IPv6), as nginx treats them. Host bits set in a
    CIDR (``10.0.0.1/8``) are cleared, as nginx's ``allow``/``deny`` and Go's ParseCIDR do.
    """
    out: set[ipaddress.IPv4Network | ipaddress.IPv6Network] = set()
    items = [x.strip() for x in value.split(",") if x.strip()]
    if not items:
        raise AnnotationValueError("expected a comma-separated list of CIDRs such as 10.0.0.0/8, 192.168.1.7")
    for item in items:
        try:
            out.add(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise AnnotationValueError(f"{item!r} is not an IP address or CIDR (expected for example "
                                       "10.0.0.0/8 or 2001:db8::/32)") from None
    return [str(n) for n in sorted(out, key=lambda n: (n.version, n.network_address, n.prefixlen))]


def config_value(hc: HandlerContext, key: str) -> str | None:
    """A setting of the controller ConfigMap (``--controller-config``), or None when not given."""
    return hc.ctx.controller_config.get(key)


def config_known(hc: HandlerContext) -> bool:
    """True when the controller ConfigMap was given, so absent keys mean the controller defaults."""
    return hc.ctx.controller_config_given or bool(hc.ctx.controller_config)


def config_flag(hc: HandlerContext, key: str, default: bool) -> bool:
    raw = config_value(hc, key)
    if raw is None:
        return default
    try:
        return parse_flag(raw)
    except AnnotationValueError:
        return default


def hosts_of(hc: HandlerContext) -> list[str]:
    """The hostnames of this Ingress's rules, in order ("*" for rules without a host)."""
    seen: dict[str, None] = {}
    for rule in hc.ingress.rules:
        seen.setdefault(rule.host or "*", None)
    return list(seen)


def describe(params: Mapping[str, Any]) -> str:
    """``k=v`` pairs of the set params, for messages."""
    return ", ".join(f"{k}={v}" for k, v in params.items() if v not in (None, [], ""))
