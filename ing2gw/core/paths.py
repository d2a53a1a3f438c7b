"""Ingress path semantics in Gateway API terms, and the precedence order Ingress defines."""

from __future__ import annotations

import re
from functools import lru_cache

from ing2gw.model import IngressPath, PathMatch, RouteMatch

# Characters HTTPRoute accepts in Exact and PathPrefix values (CEL rule on HTTPPathMatch).
_GW_PATH_OK = re.compile(r"^(?:[-A-Za-z0-9/._~!$&'()*+,;=:@]|%[0-9a-fA-F]{2})+$")
_GW_FORBIDDEN = ("//", "/./", "/../", "%2f", "%2F", "#")


def normalise_prefix(path: str) -> str:
    """Ingress Prefix is element-wise and ignores a trailing slash; so does PathPrefix. Strip it, so
    that Gateway API's "Exact first, then longest prefix" orders like Ingress's "longest first"."""
    if path in ("", "/"):
        return "/"
    return path.rstrip("/") or "/"


def spec_path_match(path: IngressPath) -> PathMatch:
    """The Ingress specification's reading: Exact -> Exact, Prefix (and ImplementationSpecific) -> PathPrefix."""
    if path.path_type == "Exact":
        return PathMatch("Exact", path.path)
    return PathMatch("PathPrefix", normalise_prefix(path.path or "/"))


@lru_cache(maxsize=1 << 16)  # the same paths recur across Ingresses, hosts and providers' readings
def gateway_path_problem(value: str) -> str | None:
    """Why HTTPRoute would reject this Exact/PathPrefix value, or None."""
    if len(value) > 1024:
        return "longer than 1024 characters"
    if not value.startswith("/"):
        return "not an absolute path"
    for bad in _GW_FORBIDDEN:
        if bad in value:
            return f"contains {bad!r}"
    if value.endswith(("/..", "/.")):
        return "ends with '/..' or '/.'"
    if not _GW_PATH_OK.match(value):
        return "contains characters HTTPRoute does not allow (space, quotes, braces, non-ASCII, ...)"
    return None


def percent_encode(value: str) -> str:
    """Percent-encode every character HTTPRoute does not allow, keeping the rest."""
    out = []
    for ch in value:
        if re.match(r"[-A-Za-z0-9/._~!$&'()*+,;=:@%]", ch):
            out.append(ch)
        else:
            out.extend(f"%{b:02X}" for b in ch.encode("utf-8"))
    return "".join(out)


_KIND_ORDER = {"Exact": 0, "PathPrefix": 1, "RegularExpression": 2}


def precedence_key(match: RouteMatch) -> tuple[int, int, int, int, int, str]:
    """Sort key giving Ingress precedence (longest path first, Exact before Prefix on a tie), which after
    :func:`normalise_prefix` is also Gateway API's order. Regex paths sort by length too."""
    p = match.path
    value = p.value if p else "/"
    kind = _KIND_ORDER[p.type] if p else 1
    return (-len(value), kind, 0 if match.method else 1, -len(match.headers), -len(match.query_params), value)
