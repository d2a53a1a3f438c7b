"""Paths: how ingress-nginx reads each pathType, ``use-regex``, and the host-wide regex mode.

- ``Exact`` is ``location = /p``; ``Prefix`` is ``location /p/`` plus ``location = /p`` (segment-wise, so
  Gateway API ``PathPrefix``); ``ImplementationSpecific`` is ``location /p``, a *string* prefix (``/p``
  matches ``/pq``).
- When any Ingress of a host sets ``use-regex: "true"`` or a ``rewrite-target`` that differs from its path,
  every location of that host, from every Ingress and of every pathType, becomes ``location ~* "^<path>"``:
  a case-insensitive regular expression anchored at the start only.

RegularExpression matches are emitted only where a path really is a regular expression; a regex that is
a plain path (``/api``, ``/api(/|$)(.*)``, ``/api$``) stays Exact or PathPrefix, with a caveat naming what
nginx matched beyond it.
"""

from __future__ import annotations

import dataclasses
import re
from functools import lru_cache

from ing2gw.core.paths import gateway_path_problem, normalise_prefix
from ing2gw.model import Ingress, IngressPath, Outcome, PathMatch, evolve
from ing2gw.provider import HandlerContext, IngressTranslation, parse_bool

from . import PREFIX, REGISTRY
from ._common import GATEWAY_API, REGEX_PATH, note

_META = set("^$*+?()[]{}|\\")
# Regex tails that mean "this segment, then anything": the path is a segment-wise prefix.
_SEGMENT_TAILS = ("(/|$)(.*)", "(?:/|$)(.*)", "(/|$).*", "(/|$)", "(?:/|$)", "(/.*)?", "(/.*|$)", "(/|$)(.*)$")
_ANY_TAILS = ("(.*)", ".*")


@dataclasses.dataclass(frozen=True, slots=True)
class Reading:
    match: PathMatch
    caveat: str | None = None
    regex: bool = False


def is_literal(text: str) -> bool:
    return not any(c in _META for c in text)


def regex_trigger(ing: Ingress) -> str | None:
    """Which annotation of this Ingress switches its hosts to nginx regex mode, if any."""
    ann = ing.annotations
    v = ann.get(PREFIX + "use-regex")
    if v is not None and v.strip().lower() == "true":
        return "use-regex"
    target = ann.get(PREFIX + "rewrite-target")
    if target:
        for rule in ing.rules:
            for p in rule.paths:
                if p.path != target:
                    return "rewrite-target"
    return None


def own_reading(path: IngressPath, tr: IngressTranslation) -> PathMatch:
    """The path as its own Ingress's annotations make nginx read it (regex mode from others comes later)."""
    ing = tr.ingress
    if "regex-trigger" not in tr.extra:  # once per Ingress: regex_trigger looks at every path
        tr.extra["regex-trigger"] = regex_trigger(ing)
    if tr.extra["regex-trigger"] is not None and PREFIX + "canary" not in ing.annotations:
        return regex_reading(path.path, path.path_type).match
    return plain_reading(path.path, path.path_type).match


@lru_cache(maxsize=16384)  # paths repeat from Ingress to Ingress; a Reading is immutable
def plain_reading(raw: str, path_type: str) -> Reading:
    """A host without regex mode."""
    if path_type == "Exact":
        return Reading(PathMatch("Exact", raw))
    if raw in ("", "/"):
        return Reading(PathMatch("PathPrefix", "/"))
    if path_type == "Prefix":
        if raw.endswith("/"):
            return Reading(PathMatch("PathPrefix", normalise_prefix(raw)),
                           f"nginx served Prefix {raw!r} as location {raw} plus = {raw}, so {raw.rstrip('/')!r} "
                           "itself went elsewhere; PathPrefix also matches it")
        return Reading(PathMatch("PathPrefix", normalise_prefix(raw)))
    # ImplementationSpecific: an nginx string prefix.
    norm = normalise_prefix(raw)
    if gateway_path_problem(norm) is not None:
        value = "^" + re.escape(raw) + ".*"
        return Reading(PathMatch("RegularExpression", value),
                       f"ImplementationSpecific path {raw!r} is an nginx string prefix with characters PathPrefix "
                       f"does not allow; emitted as RegularExpression {value} (same meaning)", regex=True)
    if raw.endswith("/"):
        why = (f"nginx read ImplementationSpecific {raw!r} as a string prefix (location {raw}), which does not "
               f"match {raw.rstrip('/')!r} itself; PathPrefix {norm} also matches it")
    else:
        why = (f"nginx read ImplementationSpecific {raw!r} as a string prefix (location {raw}), which also "
               f"matched {raw}<anything> such as {raw}x; PathPrefix {norm} matches whole segments only")
    return Reading(PathMatch("PathPrefix", norm), why)


@lru_cache(maxsize=16384)
def regex_reading(raw: str, path_type: str) -> Reading:
    """A host in regex mode: nginx matched ``~* "^<raw>"`` (case-insensitive, no end anchor)."""
    body = raw[1:] if raw.startswith("^") else raw
    shown = f"~* ^{body}"
    if body.endswith("$") and not body.endswith("\\$") and is_literal(body[:-1]) and body.startswith("/"):
        lit = body[:-1]
        if gateway_path_problem(lit) is None:
            return Reading(PathMatch("Exact", lit), f"nginx matched it as {shown}, case-insensitively; kept as "
                           f"Exact {lit}, which is case-sensitive{_dot(lit)}")
    rest, segment = body, False
    for tail in _SEGMENT_TAILS:
        if rest.endswith(tail) and len(rest) > len(tail):
            rest, segment = rest[: -len(tail)], True
            break
    else:
        for tail in _ANY_TAILS:
            if rest.endswith(tail):
                rest = rest[: -len(tail)]
                break
    if rest.startswith("/") and is_literal(rest):
        norm = normalise_prefix(rest)
        if gateway_path_problem(norm) is None:
            if rest == "/" and path_type != "Exact":
                return Reading(PathMatch("PathPrefix", "/"))
            if segment:
                return Reading(PathMatch("PathPrefix", norm), f"nginx matched it as {shown}, case-insensitively; "
                               f"kept as PathPrefix {norm}, which is case-sensitive{_dot(rest)}")
            if path_type == "Exact":
                return Reading(PathMatch("Exact", rest), f"nginx matched it as {shown}: case-insensitively and as "
                               f"a prefix of any longer path (even {rest}x), although its pathType is Exact; kept "
                               f"as Exact {rest}, which matches only that path, case-sensitively{_dot(rest)}")
            if rest.endswith("/"):
                return Reading(PathMatch("PathPrefix", norm), f"nginx matched it as {shown}, case-insensitively; "
                               f"kept as PathPrefix {norm}, which is case-sensitive and also matches {norm} "
                               f"itself{_dot(rest)}")
            return Reading(PathMatch("PathPrefix", norm), f"nginx matched it as {shown}, case-insensitively, and "
                           f"also matched {rest}<anything> such as {rest}x; kept as PathPrefix {norm}, which is "
                           f"case-sensitive and matches whole segments only{_dot(rest)}")
    tail = "" if body.endswith(("$", ".*")) and not body.endswith("\\$") else ".*"
    value = "(?i)^" + body + tail
    return Reading(PathMatch("RegularExpression", value),
                   f"nginx matched it as the regular expression {shown}; emitted as RegularExpression {value} "
                   "(case-insensitive, anchored at the start; the trailing .* keeps nginx's open end on engines "
                   "that match the whole path). Needs RegularExpression path matching, whose dialect (RE2 in "
                   "Envoy-based Gateways, PCRE in nginx-based ones) and precedence against other paths are "
                   "implementation-specific (nginx tried regex locations longest first)", regex=True)


def _dot(lit: str) -> str:
    return " ('.' matched any character in nginx)" if "." in lit else ""


def apply_regex_mode(translations: list[IngressTranslation]) -> None:
    """Read every path of every host with nginx's rules, and say where the Gateway API match differs."""
    reasons: dict[str | None, str] = {}
    changed: dict[str | None, None] = {}
    for tr in translations:
        if tr.passthrough or tr.extra.get("canary"):
            continue
        why = tr.extra.get("regex-trigger", "") if "regex-trigger" in tr.extra else regex_trigger(tr.ingress)
        if why:
            for h in tr.hosts:
                reasons.setdefault(h, f"{why} on {tr.ingress.source.ref}")
    for tr in translations:
        if tr.passthrough or tr.extra.get("canary"):
            continue
        for r in tr.routes:
            if r.path is None or r.synthetic:
                continue
            why = reasons.get(r.host)
            raw, pt = r.path.path, r.path.path_type
            reading = regex_reading(raw, pt) if why else plain_reading(raw, pt)
            if r.match.path != reading.match and (reading.match.type == "RegularExpression"
                                                  or gateway_path_problem(reading.match.value) is None):
                r.match = evolve(r.match, path=reading.match)
            # else: keep the core's percent-encoded match (it stated that change on the path)
            if reading.caveat is None:
                continue
            src = r.path.source
            field = f"{src.field}.pathType"  # how the controller reads the path under its pathType
            if why:
                msg = f"host {r.host or '*'} is in nginx regex mode ({why}): {reading.caveat}"
            else:
                msg = reading.caveat
            hint = None if reading.regex else (
                "If requests beyond the Gateway API match must reach this backend, write a RegularExpression "
                "match by hand (implementation-specific).")
            note(tr, Outcome.CAVEAT, field, msg, src.at(field=field), hint=hint,
                 features=(REGEX_PATH,) if reading.match.type == "RegularExpression" else ())
            if why:
                changed.setdefault(r.host, None)
    # A rewrite-target that switched a host to regex mode changed how other paths match: say so on it.
    for tr in translations:
        key = PREFIX + "rewrite-target"
        if tr.passthrough or tr.extra.get("canary") or key not in tr.ingress.annotations:
            continue
        hosts = [h for h in tr.hosts if h in changed and reasons.get(h, "").startswith("rewrite-target")]
        if not hosts:
            continue
        for i, n in enumerate(tr.notifications):
            if n.subject == key and n.outcome is Outcome.TRANSLATED:
                tr.notifications[i] = dataclasses.replace(
                    n, outcome=Outcome.CAVEAT, message=n.message + f"; it also switched host(s) "
                    f"{', '.join(h or '*' for h in hosts)} to nginx regex mode, which changed how their paths "
                    "match (see the notes on each path)")


@REGISTRY.handler("use-regex", Outcome.CAVEAT, gateway_api=GATEWAY_API["use-regex"], features=(REGEX_PATH,))
def use_regex(hc: HandlerContext) -> None:
    """Read the paths of the host as case-insensitive, start-anchored regular expressions (host-wide).

    What the controller does:
      With "true", every location of the Ingress's hosts - from every Ingress on those hosts, of every
      pathType - becomes `location ~* "^<path>"`: a case-insensitive PCRE anchored at the start only.
      A rewrite-target that differs from the path has the same effect.

    Gateway API equivalent:
      A path that really is a regular expression becomes a RegularExpression match `(?i)^<path>.*`.
      A path that is a plain path in regex form (`/api`, `/api(/|$)(.*)`, `/api$`) stays PathPrefix or
      Exact, which every implementation supports.

    Caveats:
      RegularExpression support, dialect and precedence are implementation-specific. Plain paths kept as
      PathPrefix/Exact become case-sensitive and stop matching `/apiXYZ`; each such path gets its own note.

    Example:
      use-regex: "true" with path `/api/v[0-9]+` -> RegularExpression `(?i)^/api/v[0-9]+.*`;
      the path `/` of another Ingress on the host stays PathPrefix `/`.
    """
    on = parse_bool(hc.value)
    hosts = ", ".join(h or "*" for h in hc.translation.hosts) or "none"
    if on:
        hc.state(Outcome.CAVEAT, f"regex mode for host(s) {hosts}: every path of these hosts, in every Ingress, "
                 "is read as nginx did (case-insensitive regular expression anchored at the start); see the note "
                 "on each path")
    else:
        hc.state(Outcome.TRANSLATED, "regex mode not requested by this Ingress (a rewrite-target, or another "
                 "Ingress on the same host, can still switch it on)", features=())
