"""Helpers shared by the routing families of the ingress-nginx provider.

*Planned outcomes*: a family's main handler (``enable-cors``, ``backend-protocol``, ``affinity``...) reads its
satellite annotations, applies them together, and records here what became of each satellite; the
satellite's own handler then states that outcome (so every annotation still states exactly once).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from ing2gw.model import (
    Filter,
    HeaderModifier,
    Notification,
    Outcome,
    PathModifier,
    Source,
    URLRewrite,
)
from ing2gw.provider import HandlerContext, IngressTranslation, PathRoute

from . import PREFIX

# Gateway API has no conformance feature for regular expressions: this label names what is needed.
REGEX_PATH = "RegularExpression path match (implementation-specific)"
REGEX_HEADER = "RegularExpression header match (implementation-specific)"

_PLANNED = "planned-outcomes"


@dataclasses.dataclass(frozen=True, slots=True)
class Planned:
    outcome: Outcome
    message: str
    hint: str | None = None
    features: tuple[str, ...] | None = None


def plan(tr: IngressTranslation, name: str, outcome: Outcome, message: str, hint: str | None = None,
         features: Iterable[str] | None = None) -> None:
    """Record the outcome of annotation ``name`` (short name) for its own handler to state."""
    tr.extra.setdefault(_PLANNED, {})[PREFIX + name] = Planned(outcome, message, hint,
                                                                tuple(features) if features is not None else None)


def state_planned(hc: HandlerContext, absent: tuple[Outcome, str, str | None] | None = None) -> bool:
    """State what the family's main handler planned for this annotation; else ``absent`` if given."""
    p = hc.translation.extra.get(_PLANNED, {}).get(hc.key)
    if p is not None:
        hc.state(p.outcome, p.message, hint=p.hint, features=p.features)
        return True
    if absent is not None:
        hc.state(absent[0], absent[1], hint=absent[2])
        return True
    return False


def restate(tr: IngressTranslation, key: str, outcome: Outcome, message: str, hint: str | None = None) -> None:
    """Replace the outcome already stated for ``key`` (used by finalize, which knows more)."""
    for i, n in enumerate(tr.notifications):
        if n.subject == key:
            tr.notifications[i] = dataclasses.replace(n, outcome=outcome, message=message, hint=hint,
                                                      requirement=None)
            return


def note(tr: IngressTranslation, outcome: Outcome, subject: str, message: str, source: Source,
         hint: str | None = None, features: Iterable[str] = ()) -> None:
    tr.notifications.append(Notification(outcome, subject, message, source, hint=hint, features=tuple(features)))


# --------------------------------------------------------------------------------------------------
# Filters: one of each kind per rule (CEL), so new settings merge into an existing filter
# --------------------------------------------------------------------------------------------------


def set_request_header(route: PathRoute, name: str, value: str, source: Source) -> None:
    _set_header(route, name, value, source, "request")


def set_response_header(route: PathRoute, name: str, value: str, source: Source) -> None:
    _set_header(route, name, value, source, "response")


def _set_header(route: PathRoute, name: str, value: str, source: Source, direction: str) -> None:
    for i, f in enumerate(route.filters):
        if isinstance(f, HeaderModifier) and f.direction == direction:
            kept = tuple((k, v) for k, v in f.set if k.lower() != name.lower())
            route.filters[i] = dataclasses.replace(f, set=(*kept, (name, value)))
            return
    route.filters.append(HeaderModifier(source=source, direction=direction,  # type: ignore[arg-type]
                                        set=((name, value),)))


def merge_url_rewrite(route: PathRoute, source: Source, *, hostname: str | None = None,
                      path: PathModifier | None = None) -> None:
    for i, f in enumerate(route.filters):
        if isinstance(f, URLRewrite):
            route.filters[i] = dataclasses.replace(f, hostname=hostname or f.hostname, path=path or f.path)
            return
    route.filters.append(URLRewrite(source=source, hostname=hostname, path=path))


def make_redirect(route: PathRoute, redirect: Filter) -> None:
    """Turn a path into a pure redirect: nginx's ``return`` answers before anything is proxied, and
    Gateway API forbids a RequestRedirect beside backendRefs or a URLRewrite."""
    route.filters = [redirect]
    route.backends = []
    route.redirect_http = None
    route.session_persistence = None
    route.timeouts = None
    route.retry = None


# --------------------------------------------------------------------------------------------------
# Values
# --------------------------------------------------------------------------------------------------

HOSTNAME = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
HEADER_NAME = re.compile(r"^[A-Za-z0-9!#$%&'*+\-.^_`|~]+$")


def duration(seconds: int) -> str:
    """A Gateway API Duration (``^([0-9]{1,5}(h|m|s|ms)){1,4}$``) for a number of seconds."""
    if seconds <= 0:
        return "0s"
    if seconds <= 99999:
        return f"{seconds}s"
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    out = f"{h}h" if h <= 99999 else "99999h"
    if m:
        out += f"{m}m"
    if s:
        out += f"{s}s"
    return out


@dataclasses.dataclass(frozen=True, slots=True)
class URL:
    scheme: str
    host: str
    port: int | None
    path: str  # without nginx variables; "" when absent
    keeps_request_uri: bool  # ended with $request_uri
    query: str
    problem: str | None


def parse_url(value: str) -> URL:
    """An absolute http(s) URL as nginx annotations use it, possibly ending with ``$request_uri``."""
    v = value.strip()
    keeps = v.endswith("$request_uri")
    if keeps:
        v = v[: -len("$request_uri")]
    problem = None
    if "$" in v:
        problem = "contains nginx variables other than a final $request_uri"
    try:
        u = urlsplit(v)
        port = u.port
    except ValueError:
        return URL("", "", None, "", keeps, "", "not a valid URL")
    if u.scheme not in ("http", "https") or not u.hostname:
        problem = problem or "not an absolute http:// or https:// URL"
    return URL(u.scheme, (u.hostname or "").lower(), port, u.path, keeps, u.query, problem)
