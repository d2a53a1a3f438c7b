"""Canary: a second Ingress (``canary: "true"``) on the same host and path as a primary Ingress.

ingress-nginx never builds locations for a canary Ingress: it adds the canary's Service as the
alternative backend of the primary's location, chosen per request by header, then cookie, then weight.
Here the canary folds into the primary's rules: extra rules with header matches (kept in order, since
Gateway API breaks ties between equally specific matches by rule order) and weighted backendRefs.
"""

from __future__ import annotations

import dataclasses
import re

from ing2gw.model import BackendRef, HeaderMatch, Outcome, Requirement, RouteMatch
from ing2gw.provider import (
    AnnotationValueError,
    HandlerContext,
    IngressTranslation,
    PathRoute,
    TranslateContext,
    parse_bool,
    parse_int,
)

from . import PREFIX, REGISTRY
from ._common import GATEWAY_API, HEADER_NAME, REGEX_HEADER, note, restate

# Annotations ingress-nginx still reads on a canary Ingress (for the canary's upstream).
_CANARY_KEPT = ("affinity", "session-cookie-")
_POLICY_KEPT = ("load-balance", "upstream-hash-by")


@dataclasses.dataclass(slots=True)
class CanarySettings:
    header: str | None = None
    header_value: str | None = None
    header_pattern: str | None = None
    cookie: str | None = None
    weight: int | None = None
    total: int = 100


def _settings(hc: HandlerContext) -> CanarySettings:
    s = CanarySettings()
    a = hc.annotation
    s.header = (a("canary-by-header") or "").strip() or None
    s.header_value = a("canary-by-header-value") or None
    s.header_pattern = a("canary-by-header-pattern") or None
    s.cookie = (a("canary-by-cookie") or "").strip() or None
    try:
        s.total = parse_int(a("canary-weight-total") or "100", 1, 1_000_000)
    except AnnotationValueError:
        s.total = 100
    w = a("canary-weight")
    if w is not None:
        try:
            s.weight = min(max(int(w.strip()), 0), s.total)
        except ValueError:
            s.weight = None
    return s


def _is_canary(hc: HandlerContext) -> bool:
    return bool(hc.translation.extra.get("canary"))


def _not_canary(hc: HandlerContext) -> bool:
    if _is_canary(hc):
        return False
    hc.state(Outcome.NOT_ROUTING, 'no effect: this Ingress is not a canary (canary: "true" is missing)', features=())
    return True


@REGISTRY.handler("canary", Outcome.TRANSLATED, gateway_api=GATEWAY_API["canary"], order=10)
def canary(hc: HandlerContext) -> None:
    """Mark the Ingress as the canary of the primary Ingress with the same host and path.

    What the controller does:
      Builds no locations for this Ingress: its Service becomes the alternative backend of the primary's
      location for the same host and path (one canary per path). Requests go to it by header
      (canary-by-header*), then cookie (canary-by-cookie), then weight (canary-weight). Most other
      annotations on a canary Ingress are ignored. A canary without primary is ignored.

    Gateway API equivalent:
      No route of its own: the primary's HTTPRoute gets extra rules with header matches that send to the
      canary Service, and weighted backendRefs on its normal rule.

    Caveats:
      Cookie-based selection needs a regular-expression header match (implementation-specific).

    Example:
      canary: "true", canary-weight: "10" -> primary rule backendRefs primary weight 90, canary weight 10.
    """
    if parse_bool(hc.value):
        hc.translation.extra["canary"] = _settings(hc)
        hc.state(Outcome.TRANSLATED, "canary Ingress: folded into its primary Ingress's rules")
    else:
        hc.state(Outcome.TRANSLATED, "not a canary: an ordinary Ingress", features=())


@REGISTRY.handler("canary-by-header", Outcome.TRANSLATED, gateway_api=GATEWAY_API["canary-by-header"])
def canary_by_header(hc: HandlerContext) -> None:
    """Send requests to the canary by a request header (`always` / `never`, or a custom value).

    What the controller does:
      Header value `always` -> canary, `never` -> primary, anything else falls through to cookie and weight.
      With canary-by-header-value (or -pattern) only that value (pattern) selects the canary.

    Gateway API equivalent:
      Rules with the same path plus header match Exact `always` (canary backend) and `never` (primary).

    Caveats:
      None for Exact values.

    Example:
      canary-by-header: X-Canary -> rules with header X-Canary: never -> primary, X-Canary: always -> canary.
    """
    if _not_canary(hc):
        return
    if not HEADER_NAME.match(hc.value.strip()):
        raise AnnotationValueError("expected an HTTP header name")
    if hc.annotation("canary-by-header-value") or hc.annotation("canary-by-header-pattern"):
        hc.state(Outcome.TRANSLATED, f"header {hc.value.strip()} selects the canary (value from canary-by-header-value "
                 "or -pattern)")
    else:
        hc.state(Outcome.TRANSLATED, f"header {hc.value.strip()}: always -> canary, never -> primary (extra rules "
                 "with header matches)")


@REGISTRY.handler("canary-by-header-value", Outcome.TRANSLATED, gateway_api=GATEWAY_API["canary-by-header-value"])
def canary_by_header_value(hc: HandlerContext) -> None:
    """The header value that selects the canary (instead of `always`; `never` is no longer special).

    What the controller does:
      Requests whose canary-by-header header equals this value go to the canary.

    Gateway API equivalent:
      A rule with header match Exact `<value>` and the canary backend.

    Caveats:
      Needs canary-by-header; without it nginx ignores the value.

    Example:
      canary-by-header: X-Region, canary-by-header-value: eu -> header X-Region: eu -> canary.
    """
    if _not_canary(hc):
        return
    if not hc.annotation("canary-by-header"):
        hc.state(Outcome.NOT_ROUTING, "no effect without canary-by-header", features=())
        return
    hc.state(Outcome.TRANSLATED, f"header value {hc.value!r} -> canary (header match Exact)")


@REGISTRY.handler("canary-by-header-pattern", Outcome.CAVEAT, gateway_api=GATEWAY_API["canary-by-header-pattern"], features=(REGEX_HEADER,))
def canary_by_header_pattern(hc: HandlerContext) -> None:
    """A regular expression on the canary-by-header header that selects the canary.

    What the controller does:
      PCRE search (unanchored) on the header value; ignored when canary-by-header-value is set.

    Gateway API equivalent:
      A header match of type RegularExpression `.*(?:<pattern>).*` (the wrapper keeps the unanchored
      search on engines that match the whole value).

    Caveats:
      RegularExpression header matches are implementation-specific (RE2 vs PCRE dialect).

    Example:
      canary-by-header-pattern: "^(beta|internal)$" -> header regex `.*(?:^(beta|internal)$).*`.
    """
    if _not_canary(hc):
        return
    if not hc.annotation("canary-by-header"):
        hc.state(Outcome.NOT_ROUTING, "no effect without canary-by-header", features=())
        return
    if hc.annotation("canary-by-header-value"):
        hc.state(Outcome.NOT_ROUTING, "no effect: canary-by-header-value is set and wins, as in nginx", features=())
        return
    try:
        re.compile(hc.value)
    except re.error as exc:
        raise AnnotationValueError(f"not a valid regular expression ({exc})") from None
    hc.state(Outcome.CAVEAT, f"header regex {_pattern(hc.value)} -> canary; RegularExpression header matching is "
             "implementation-specific (nginx used PCRE)")


@REGISTRY.handler("canary-by-cookie", Outcome.CAVEAT, gateway_api=GATEWAY_API["canary-by-cookie"], features=(REGEX_HEADER,))
def canary_by_cookie(hc: HandlerContext) -> None:
    """Send requests to the canary by a cookie (`always` / `never`).

    What the controller does:
      Cookie value `always` -> canary, `never` -> primary; checked after canary-by-header.

    Gateway API equivalent:
      No cookie match exists: rules with a RegularExpression match on the `Cookie` header
      (`^(?:.*;\\s*)?<name>=always(?:;.*)?$`), after the header rules.

    Caveats:
      RegularExpression header matches are implementation-specific; clients that send several Cookie
      headers (HTTP/2) may not match.

    Example:
      canary-by-cookie: use_canary -> Cookie regex ...use_canary=always... -> canary.
    """
    if _not_canary(hc):
        return
    if not re.fullmatch(r"[A-Za-z0-9!#$%&'*+\-.^_`|~]+", hc.value.strip()):
        raise AnnotationValueError("expected a cookie name")
    hc.state(Outcome.CAVEAT, f"cookie {hc.value.strip()} (always -> canary, never -> primary) as RegularExpression "
             "matches on the Cookie header: implementation-specific, and a request with several Cookie headers may "
             "not match")


@REGISTRY.handler("canary-weight", Outcome.TRANSLATED, gateway_api=GATEWAY_API["canary-weight"])
def canary_weight(hc: HandlerContext) -> None:
    """Share of the remaining requests sent to the canary (out of canary-weight-total).

    What the controller does:
      Requests not selected by header or cookie go to the canary with probability weight/total.

    Gateway API equivalent:
      backendRefs weights on the primary's rule: primary total-weight, canary weight.

    Caveats:
      None.

    Example:
      canary-weight: "20" -> weights 80 / 20.
    """
    if _not_canary(hc):
        return
    w = parse_int(hc.value, 0, None)
    s = hc.translation.extra["canary"]
    hc.state(Outcome.TRANSLATED, f"backendRefs weights: primary {s.total - min(w, s.total)}, canary {min(w, s.total)}")


@REGISTRY.handler("canary-weight-total", Outcome.TRANSLATED, gateway_api=GATEWAY_API["canary-weight-total"])
def canary_weight_total(hc: HandlerContext) -> None:
    """The total that canary-weight is out of (default 100).

    What the controller does:
      Denominator of canary-weight.

    Gateway API equivalent:
      Used to compute the backendRefs weights (Gateway weights are relative).

    Caveats:
      None.

    Example:
      canary-weight-total: "1000", canary-weight: "5" -> weights 995 / 5.
    """
    if _not_canary(hc):
        return
    parse_int(hc.value, 1, None)
    if hc.annotation("canary-weight") is None:
        hc.state(Outcome.NOT_ROUTING, "no effect without canary-weight", features=())
        return
    hc.state(Outcome.TRANSLATED, "used to compute the backendRefs weights")


def _pattern(p: str) -> str:
    return f".*(?:{p}).*"


def _cookie(name: str, value: str) -> str:
    return rf"^(?:.*;\s*)?{re.escape(name)}={value}(?:;.*)?$"


def fold(translations: list[IngressTranslation], ctx: TranslateContext) -> None:
    """Fold every canary Ingress into its primary's rules, as ingress-nginx pairs them."""
    primaries: dict[tuple[str | None, str], tuple[IngressTranslation, PathRoute]] = {}
    for tr in translations:
        if tr.extra.get("canary") or tr.passthrough:
            continue
        for r in tr.routes:
            if r.path is not None and not r.synthetic:
                primaries.setdefault((r.host, r.path.path), (tr, r))
    taken: dict[tuple[str | None, str], str] = {}
    for ctr in translations:
        s: CanarySettings | None = ctr.extra.get("canary")
        if not s:
            continue
        paired: list[str] = []
        missed: list[str] = []
        primary_ing = None
        for cr in ctr.routes:
            if cr.path is None or cr.synthetic:
                continue
            key = (cr.host, cr.path.path)
            where = f"{cr.host or '*'} {cr.path.path or '/'}"
            found = primaries.get(key)
            if found is None:
                missed.append(f"{where} (no primary Ingress has this host and path)")
                continue
            ptr, pr = found
            if key in taken:
                missed.append(f"{where} (already the canary path of {taken[key]}; nginx allows one canary per path)")
                continue
            if not pr.backends:
                missed.append(f"{where} (the primary answers with a redirect; the canary is never used)")
                continue
            taken[key] = ctr.ingress.source.ref
            primary_ing = primary_ing or ptr.ingress
            backends = [b if ctr.ingress.namespace == ptr.ingress.namespace or b.namespace
                        else dataclasses.replace(b, namespace=ctr.ingress.namespace) for b in cr.backends]
            _add_rules(ptr, pr, backends, s)
            paired.append(f"{where} of {ptr.ingress.source.ref}")
        key_c = PREFIX + "canary"
        if paired:
            msg = "folded into the rules of " + "; ".join(paired)
            hint = None
            if missed:
                msg += "; ignored, as nginx does: " + "; ".join(missed)
            if primary_ing is not None and ctr.ingress.namespace != primary_ing.namespace:
                missed.append("cross-namespace")
                msg += (f"; the canary Service is in namespace {ctr.ingress.namespace}, the primary's route in "
                        f"{primary_ing.namespace}: the backendRef crosses namespaces")
                hint = (f"Add a ReferenceGrant in {ctr.ingress.namespace} allowing HTTPRoutes from "
                        f"{primary_ing.namespace} to reference Services.")
            restate(ctr, key_c, Outcome.CAVEAT if missed else Outcome.TRANSLATED, msg, hint)
        else:
            restate(ctr, key_c, Outcome.NOT_ROUTING, "no effect: nginx ignores this canary - " + "; ".join(missed or
                    ["it has no paths"]), hint="Create the primary Ingress (same host and path) or drop the canary.")
            for k in ctr.ingress.annotations:
                if k.startswith(PREFIX + "canary-"):
                    restate(ctr, k, Outcome.NOT_ROUTING, "no effect: the canary is not paired with a primary")
        _silence_others(ctr, bool(paired))
        ctr.folded_into = primary_ing
        ctr.routes = []
        ctr.default_backend = None
        ctr.backend_tls_policies = []
        ctr.aliases = []


def _silence_others(ctr: IngressTranslation, paired: bool) -> None:
    """Outcomes of the canary's other annotations: nginx reads only canary-*, affinity/session-cookie-*,
    load-balance and upstream-hash-by* there, and nothing at all of an unpaired canary."""
    moved: list[Requirement] = []
    for r in ctr.routes:
        for q in r.requirements:
            if q not in moved:
                moved.append(q)
    kept_ids: set[str | None] = set()
    for k in ctr.ingress.annotations:
        if not k.startswith(PREFIX):
            continue
        name = k[len(PREFIX):]
        if name.startswith("canary"):
            continue
        if not paired:
            restate(ctr, k, Outcome.NOT_ROUTING, "ignored: nginx ignores a canary Ingress without a primary")
        elif name.startswith(_POLICY_KEPT):
            # Policy handlers already stated a canary-aware outcome; their settings apply to the canary's
            # Service in nginx, so their rule requirements now target that Service.
            kept_ids.update(n.requirement for n in ctr.notifications if n.subject == k and n.requirement)
        elif name.startswith(_CANARY_KEPT):
            restate(ctr, k, Outcome.UNSUPPORTED, "nginx applies it to the canary's upstream; in Gateway API the "
                    "primary's rule settings apply to both backends")
        else:
            restate(ctr, k, Outcome.NOT_ROUTING, "ignored: on a canary Ingress nginx uses the primary's location "
                    "settings")
    ctr.requirements = [q for q in ctr.requirements if paired and q.id in kept_ids] + [
        dataclasses.replace(q, target="service") for q in moved if q.id in kept_ids]
    if ctr.default_backend is not None:
        note(ctr, Outcome.NOT_ROUTING, "spec.defaultBackend", "ignored: a canary Ingress's defaultBackend only "
             "serves as canary of the primary's default backend, which is not translated",
             ctr.default_backend_source or ctr.ingress.source)


def _add_rules(ptr: IngressTranslation, pr: PathRoute, canary: list[BackendRef], s: CanarySettings) -> None:
    n = 0

    def copy(header: HeaderMatch, backends: list[BackendRef]) -> None:
        nonlocal n
        n += 1
        ptr.routes.append(dataclasses.replace(
            pr, match=RouteMatch(path=pr.match.path, headers=(*pr.match.headers, header),
                                 query_params=pr.match.query_params, method=pr.match.method),
            backends=list(backends), filters=list(pr.filters), requirements=list(pr.requirements),
            group=f"canary-{n}"))

    primary = list(pr.backends)
    if s.header:
        if s.header_value:
            copy(HeaderMatch(s.header, s.header_value), canary)
        elif s.header_pattern:
            copy(HeaderMatch(s.header, _pattern(s.header_pattern), "RegularExpression"), canary)
        else:
            copy(HeaderMatch(s.header, "never"), primary)
            copy(HeaderMatch(s.header, "always"), canary)
    if s.cookie:
        copy(HeaderMatch("Cookie", _cookie(s.cookie, "never"), "RegularExpression"), primary)
        copy(HeaderMatch("Cookie", _cookie(s.cookie, "always"), "RegularExpression"), canary)
    if s.weight:
        w = s.weight
        pr.backends = [dataclasses.replace(b, weight=(s.total - w) * (b.weight or 1)) for b in primary] + [
            dataclasses.replace(b, weight=w) for b in canary]
