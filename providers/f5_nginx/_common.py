"""Shared pieces of the F5 NGINX Ingress Controller handlers: where each key acts, mergeable Ingress rules,
one requirement built from several keys, and the value formats NIC validates.

NIC (``internal/configs/annotations.go``) reads a key at one of three levels:

- *server* keys act on the whole host (the nginx ``server``). On a mergeable **minion** the keys of its
  deny list are dropped; on a **master** server keys also cover every minion's paths.
- *location* keys act on the Ingress's own paths. A master has no paths: the keys of NIC's inheritance list
  are copied to each minion that does not set them; other location keys of a master act nowhere.
- *service* keys name Services of the Ingress's backends; a master ignores them (its deny list).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Literal

from ing2gw.model import HeaderModifier, Notification, Outcome, Requirement, Source
from ing2gw.provider import (
    AnnotationValueError,
    HandlerContext,
    HandlerFn,
    IngressTranslation,
    PathRoute,
    parse_nginx_size,
)

from ._registry import PREFIX, REGISTRY

Scope = Literal["server", "location", "service"]

MERGEABLE = PREFIX + "mergeable-ingress-type"

# NIC drops these on minions (minionDenylist). Upstream spells the App Protect keys there with underscores
# (app_protect_enable, ...), which no Ingress uses, so the hyphenated App Protect keys are NOT dropped.
MINION_DENY = frozenset({
    "nginx.org/proxy-hide-headers", "nginx.org/proxy-pass-headers", "nginx.org/redirect-to-https",
    "ingress.kubernetes.io/ssl-redirect", "nginx.org/ssl-redirect", "nginx.org/http-redirect-code",
    "nginx.org/hsts", "nginx.org/hsts-max-age", "nginx.org/hsts-include-subdomains", "nginx.org/server-tokens",
    "nginx.org/listen-ports", "nginx.org/listen-ports-ssl", "nginx.org/server-snippets", "nginx.org/ssl-ciphers",
    "nginx.org/ssl-prefer-server-ciphers", "nginx.org/app-root", "appprotectdos.f5.com/app-protect-dos-resource",
})

# NIC drops these on masters (masterDenylist).
MASTER_DENY = frozenset({
    "nginx.org/rewrites", "nginx.org/ssl-services", "nginx.org/grpc-services", "nginx.org/websocket-services",
    "nginx.org/sticky-cookie-services", "nginx.com/sticky-cookie-services", "nginx.com/health-checks",
    "nginx.com/health-checks-mandatory", "nginx.com/health-checks-mandatory-queue", "nginx.org/use-cluster-ip",
})

# A minion without its own value takes the master's (minionInheritanceList).
INHERITED = frozenset({
    "nginx.org/proxy-connect-timeout", "nginx.org/proxy-read-timeout", "nginx.org/proxy-send-timeout",
    "nginx.org/client-max-body-size", "nginx.org/proxy-buffering", "nginx.org/proxy-buffers",
    "nginx.org/proxy-buffer-size", "nginx.org/proxy-busy-buffers-size", "nginx.org/proxy-max-temp-file-size",
    "nginx.org/upstream-zone-size", "nginx.org/location-snippets", "nginx.org/lb-method", "nginx.org/keepalive",
    "nginx.org/max-fails", "nginx.org/max-conns", "nginx.org/fail-timeout", "nginx.org/limit-req-rate",
    "nginx.org/limit-req-key", "nginx.org/limit-req-zone-size", "nginx.org/limit-req-delay",
    "nginx.org/limit-req-no-delay", "nginx.org/limit-req-burst", "nginx.org/limit-req-dry-run",
    "nginx.org/limit-req-log-level", "nginx.org/limit-req-reject-code", "nginx.org/limit-req-scale",
})

# Keys whose handler runs again, in finalize, over the minions' paths when they sit on a master.
SERVER_KEYS: set[str] = set()

PROXY = "f5-nginx/proxy"  # translation.extra flag: a master's settings applied to a minion's paths


def mergeable_type(tr: IngressTranslation) -> str | None:
    value = tr.ingress.annotations.get(MERGEABLE, "").strip()
    return value if value in ("master", "minion") else None


def handler(
    name: str,
    outcome: Outcome,
    *,
    scope: Scope = "location",
    hint: str | None = None,
    order: int = 100,
    gateway_api: str = "",
    features: Iterable[str] = (),
) -> Callable[[HandlerFn], HandlerFn]:
    """Register an F5 NGINX handler that honours NIC's master/minion deny lists (see the module doc)."""
    key = name if "/" in name else PREFIX + name
    if scope == "server":
        SERVER_KEYS.add(key)

    def deco(fn: HandlerFn) -> HandlerFn:
        def run(hc: HandlerContext) -> None:
            kind = None if hc.translation.extra.get(PROXY) else mergeable_type(hc.translation)
            if kind == "minion" and hc.key in MINION_DENY:
                hc.state(Outcome.NOT_ROUTING, "ignored: NIC drops this server-level key on a mergeable minion; "
                         "only the master's value applies to the host", hint="Set it on the master Ingress.")
                return
            if kind == "master" and hc.key in MASTER_DENY:
                hc.state(Outcome.NOT_ROUTING, "ignored: NIC drops this Service-level key on a mergeable master "
                         "(a master has no paths)", hint="Set it on the minion whose paths use the Service.")
                return
            if kind == "master" and scope != "server" and hc.key not in INHERITED:
                hc.state(Outcome.NOT_ROUTING, "no effect: a mergeable master has no paths, and NIC does not copy "
                         "this location-level key to the minions", hint="Set it on the minions.")
                return
            fn(hc)

        run.__doc__ = fn.__doc__
        run.__module__ = fn.__module__
        run.__name__ = fn.__name__
        run.__qualname__ = fn.__qualname__
        REGISTRY.handler(name, outcome, hint=hint, order=order, gateway_api=gateway_api, features=features)(run)
        return fn

    return deco


def value_of(hc: HandlerContext, key: str) -> str | None:
    full = key if "/" in key else PREFIX + key
    return hc.ingress.annotations.get(full)


def inert(hc: HandlerContext, why: str, hint: str | None = None) -> None:
    """State that the key had no effect in NIC, so nothing is carried over."""
    hc.state(Outcome.NOT_ROUTING, f"no effect in NIC: {why}; nothing to carry over", hint=hint)


def restate(tr: IngressTranslation, key: str, **changes: Any) -> None:
    """Replace the stated outcome of ``key`` on this translation (finalize learns what a key really did)."""
    for i, n in enumerate(tr.notifications):
        if n.subject == key and n.source.annotation == key:
            tr.notifications[i] = dataclasses.replace(n, **changes)
            return


def note(tr: IngressTranslation, key: str) -> Notification | None:
    return next((n for n in tr.notifications if n.subject == key and n.source.annotation == key), None)


def modify_headers(route: PathRoute, source: Source, direction: Literal["request", "response"], *,
                   set_: tuple[tuple[str, str], ...] = (), add: tuple[tuple[str, str], ...] = (),
                   remove: tuple[str, ...] = ()) -> None:
    """Merge into the rule's one header modifier of that direction (Gateway API forbids repeating it, and its
    ``set`` and ``add`` lists are keyed by header name: a later value for the same name replaces an earlier one)."""
    for i, f in enumerate(route.filters):
        if isinstance(f, HeaderModifier) and f.direction == direction:
            route.filters[i] = dataclasses.replace(f, set=_by_name(f.set + set_), add=_by_name(f.add + add),
                                                   remove=tuple(dict.fromkeys(f.remove + remove)))
            return
    route.filters.append(HeaderModifier(source=source, direction=direction, set=_by_name(set_), add=_by_name(add),
                                        remove=remove))


def _by_name(pairs: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """One entry per header name (case-insensitive), the last value winning, in first-seen order."""
    out: dict[str, tuple[str, str]] = {}
    for name, value in pairs:
        key = name.lower()
        out[key] = (out[key][0] if key in out else name, value)
    return tuple(out.values())


# --------------------------------------------------------------------------------------------------
# One requirement from several keys
# --------------------------------------------------------------------------------------------------


class Group:
    """Parsed values of a group of keys; parse errors are kept per key and raised by that key's handler."""

    def __init__(self, hc: HandlerContext) -> None:
        self.hc = hc
        self.errors: dict[str, str] = {}

    def get(self, key: str, parse: Callable[[str], Any], default: Any = None) -> Any:
        raw = value_of(self.hc, key)
        if raw is None:
            return default
        try:
            return parse(raw)
        except AnnotationValueError as exc:
            self.errors[key if "/" in key else PREFIX + key] = str(exc)
            return default


def shared(hc: HandlerContext, group: str, build: Callable[[Group], tuple[str, dict[str, Any]] | None], *,
           primary: str, target: Literal["rule", "route"] = "rule") -> Requirement | None:
    """The requirement a group of keys makes together, built once per translation; raises this key's error."""
    slot = f"f5-nginx/{group}"
    if slot not in hc.translation.extra:
        g = Group(hc)
        made = build(g)
        req = None
        if made is not None:
            full = PREFIX + primary
            src = full if full in hc.ingress.annotations else hc.key
            req = Requirement(feature=made[0], params=made[1], source=hc.ingress.source.at(annotation=src),
                              target=target, id=hc.ctx.next_id(made[0]))
            if target == "rule":
                for r in hc.translation.routes:
                    r.requirements.append(req)
            else:
                hc.translation.requirements.append(req)
        hc.translation.extra[slot] = (req, g)
    req, g = hc.translation.extra[slot]
    if hc.key in g.errors:
        raise AnnotationValueError(g.errors[hc.key])
    return req


def linked(hc: HandlerContext, req: Requirement, message: str, *, hint: str | None = None,
           outcome: Outcome = Outcome.NEEDS_EMITTER) -> None:
    hc.state(outcome, message, hint=hint, requirement=req)


# --------------------------------------------------------------------------------------------------
# Value formats NIC validates (internal/configs/parsing_helpers.go, internal/k8s/validation.go).
# NIC rejects the whole Ingress when one of them fails; ing2gw skips only the annotation.
# --------------------------------------------------------------------------------------------------

def parse_size(value: str, *, giga: bool = False) -> int:
    """NIC sizes: digits with an optional k or m suffix (``giga``: also g, as client-max-body-size allows)."""
    return parse_nginx_size(value, giga=giga)


def parse_flag(value: str) -> bool:
    """Go's strconv.ParseBool, which NIC uses: 1, t, T, TRUE, true, True and the false forms."""
    v = value.strip()
    if v in ("1", "t", "T", "TRUE", "true", "True"):
        return True
    if v in ("0", "f", "F", "FALSE", "false", "False"):
        return False
    raise AnnotationValueError('expected "true" or "false"')


def parse_uint(value: str) -> int:
    v = value.strip()
    if not (v.isascii() and v.isdigit()):  # "²".isdigit() is true, but int() refuses it
        raise AnnotationValueError("expected a whole number of 0 or more")
    return int(v)


def parse_services(hc: HandlerContext, value: str) -> list[str]:
    """A comma-separated list of Services, each a backend of this Ingress (NIC rejects the Ingress otherwise)."""
    names = [s.strip() for s in value.split(",") if s.strip()]
    if not names:
        raise AnnotationValueError("expected a comma-separated list of Service names")
    used = backend_services(hc.translation)
    unknown = [n for n in names if n not in used]
    if unknown and not hc.translation.extra.get(PROXY):
        raise AnnotationValueError(f"Service(s) {', '.join(unknown)} are not backends of this Ingress "
                                   "(NIC rejects such an Ingress)")
    return list(dict.fromkeys(names))


def backend_services(tr: IngressTranslation) -> set[str]:
    out = {b.backend.service.name for r in tr.ingress.rules for b in r.paths if b.backend.service}
    if tr.ingress.default_backend is not None and tr.ingress.default_backend.service is not None:
        out.add(tr.ingress.default_backend.service.name)
    return out


def per_service(value: str, what: str, example: str) -> dict[str, str]:
    """``serviceName=<svc> <rest>; ...`` lists (rewrites, sticky-cookie-services): Service -> rest."""
    out: dict[str, str] = {}
    for part in (p.strip() for p in value.split(";")):
        if not part:
            continue
        head, _, rest = part.partition(" ")
        name, eq, svc = head.partition("=")
        if name != "serviceName" or not eq or not svc or not rest.strip():
            raise AnnotationValueError(f"{part!r} is not a valid {what} entry; expected for example {example!r}")
        out[svc] = rest.strip()
    if not out:
        raise AnnotationValueError(f"expected {example!r}")
    return out


def describe(params: Mapping[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in params.items() if v not in (None, [], ""))
