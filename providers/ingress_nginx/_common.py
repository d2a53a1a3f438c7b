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


# The Gateway API mapping of each routing annotation (class from the reference notes, as ing2gw emits it).
GATEWAY_API: dict[str, str] = {
    "use-regex": "CORE~ RegularExpression path match (implementation-specific) or PathPrefix/Exact",
    "rewrite-target": "CORE~ URLRewrite ReplaceFullPath / ReplacePrefixMatch (other captures: IMPL)",
    "x-forwarded-prefix": "CORE RequestHeaderModifier",
    "upstream-vhost": "CORE URLRewrite hostname",
    "connection-proxy-header": "NONE",
    "proxy-http-version": "NONE (1.1 is the default)",
    "custom-headers": "CORE ResponseHeaderModifier",
    "ssl-redirect": "CORE RequestRedirect scheme https on the HTTP listener",
    "force-ssl-redirect": "CORE~ RequestRedirect scheme https on the HTTP listener",
    "preserve-trailing-slash": "CORE~ RequestRedirect keeps the path",
    "permanent-redirect": "CORE~ RequestRedirect",
    "permanent-redirect-code": "CORE RequestRedirect statusCode",
    "temporal-redirect": "CORE~ RequestRedirect",
    "temporal-redirect-code": "CORE RequestRedirect statusCode",
    "app-root": "CORE Exact / + RequestRedirect ReplaceFullPath",
    "from-to-www-redirect": "CORE RequestRedirect hostname",
    "relative-redirects": "NONE",
    "use-port-in-redirects": "NONE",
    "proxy-redirect-from": "NONE",
    "proxy-redirect-to": "NONE",
    "canary": "CORE extra rules and weighted backendRefs on the primary's route",
    "canary-by-header": "CORE header match Exact",
    "canary-by-header-value": "CORE header match Exact",
    "canary-by-header-pattern": "CORE~ header match RegularExpression",
    "canary-by-cookie": "CORE~ Cookie header match RegularExpression",
    "canary-weight": "CORE backendRefs weight",
    "canary-weight-total": "CORE backendRefs weight",
    "enable-cors": "CORE CORS filter (standard from v1.5, experimental v1.3-v1.4)",
    "cors-allow-origin": "CORE~ CORS allowOrigins",
    "cors-allow-methods": "CORE CORS allowMethods",
    "cors-allow-headers": "CORE CORS allowHeaders",
    "cors-expose-headers": "CORE CORS exposeHeaders",
    "cors-allow-credentials": "CORE CORS allowCredentials",
    "cors-max-age": "CORE CORS maxAge",
    "backend-protocol": "CORE~ GRPCRoute / BackendTLSPolicy",
    "proxy-ssl-secret": "CORE~ BackendTLSPolicy caCertificateRefs; client certificate IMPL",
    "proxy-ssl-verify": "CORE~ BackendTLSPolicy (always verifies)",
    "proxy-ssl-verify-depth": "NONE",
    "proxy-ssl-name": "CORE BackendTLSPolicy validation.hostname",
    "proxy-ssl-server-name": "CORE~ BackendTLSPolicy (always sends SNI)",
    "proxy-ssl-ciphers": "IMPL backend-tls",
    "proxy-ssl-protocols": "IMPL backend-tls",
    "ssl-passthrough": "CORE TLS listener Passthrough + TLSRoute (standard from v1.5)",
    "server-alias": "CORE HTTPRoute hostnames",
    "proxy-connect-timeout": "IMPL backend-timeouts",
    "proxy-read-timeout": "IMPL backend-timeouts (HTTPRoute timeouts are totals)",
    "proxy-send-timeout": "IMPL backend-timeouts",
    "affinity": "EXPERIMENTAL sessionPersistence",
    "affinity-mode": "NONE",
    "affinity-canary-behavior": "NONE",
    "session-cookie-name": "EXPERIMENTAL sessionPersistence.sessionName",
    "session-cookie-max-age": "EXPERIMENTAL sessionPersistence.absoluteTimeout",
    "session-cookie-expires": "EXPERIMENTAL~ sessionPersistence.absoluteTimeout",
    "session-cookie-path": "NONE",
    "session-cookie-domain": "NONE",
    "session-cookie-samesite": "NONE",
    "session-cookie-conditional-samesite-none": "NONE",
    "session-cookie-secure": "NONE",
    "session-cookie-change-on-failure": "NONE",
    "mirror-target": "CORE~ RequestMirror",
    "mirror-host": "NONE",
    "mirror-request-body": "NONE",
}
