"""How Traefik's Kubernetes Ingress provider reads an Ingress path, in Gateway API terms.

Traefik builds one router rule per path:

- ``Exact`` -> ``Path(p)``: the same as Gateway API ``Exact``.
- ``Prefix`` -> ``PathPrefix(p)``, which is a plain string prefix (``/p`` matches ``/pq``), unless the provider
  option ``strictPrefixMatching`` is on; then ``Path(p) || PathPrefix(p/)``, which is Gateway API ``PathPrefix``.
- ``ImplementationSpecific`` (or no pathType) -> the matcher named by ``router.pathmatcher``: ``PathPrefix``
  (default, character-wise as above, strict under the same option), ``Path`` or ``PathRegexp`` (an unanchored
  Go regular expression).
- no path at all -> no path condition: every path, as Gateway API ``PathPrefix /``.

A character-wise prefix equals Gateway API ``PathPrefix`` when it is ``/`` or ends with ``/`` (Gateway API then
also matches the path without its last slash, as the Ingress specification does). For other prefixes ing2gw
emits ``PathPrefix`` and states the narrowing as a caveat; with ``characterWisePrefix: regex`` in the
``--controller-config`` ConfigMap it emits ``RegularExpression ^<path>.*`` instead, which keeps Traefik's
meaning on implementations that support regular expressions (support and dialect are implementation-specific).
"""

from __future__ import annotations

from ing2gw.core.paths import normalise_prefix
from ing2gw.model import IngressPath, Notification, Outcome, PathMatch
from ing2gw.provider import IngressTranslation, TranslateContext

from ._common import PREFIX_MODE_KEY, STRICT_KEYS, ann, config_flag

MATCHERS = ("Path", "PathPrefix", "PathRegexp")
_RE2_SPECIAL = set("\\.+*?()|[]{}^$")


def re2_escape(text: str) -> str:
    return "".join("\\" + c if c in _RE2_SPECIAL else c for c in text)


def portable_regex(pattern: str) -> str:
    """Traefik's PathRegexp searches the path (unanchored). Gateway API implementations differ (Envoy matches
    the whole path); ``.*`` on each unanchored side reads the same under both."""
    head = "" if pattern.startswith("^") else ".*"
    tail = "" if pattern.endswith("$") and not pattern.endswith("\\$") else ".*"
    if not head and not tail:
        return pattern
    return f"{head}(?:{pattern}){tail}"


def matcher_of(tr: IngressTranslation) -> str:
    """The matcher for ImplementationSpecific paths; an invalid value falls back to PathPrefix (the handler of
    router.pathmatcher reports it)."""
    value = ann(tr.ingress.annotations, "router.pathmatcher")
    return value if value in MATCHERS else "PathPrefix"


def strict_prefix(ctx: TranslateContext) -> bool:
    return config_flag(ctx.controller_config, STRICT_KEYS)


def prefix_mode(ctx: TranslateContext) -> str:
    return (ctx.controller_config.get(PREFIX_MODE_KEY) or "prefix").strip().lower()


def traefik_path_match(path: IngressPath, tr: IngressTranslation, ctx: TranslateContext) -> PathMatch:
    value = path.path
    if not value:
        return PathMatch("PathPrefix", "/")
    if path.path_type == "Exact":
        return PathMatch("Exact", value)
    matcher = "PathPrefix" if path.path_type == "Prefix" else matcher_of(tr)
    if matcher == "Path":
        return PathMatch("Exact", value)
    if matcher == "PathRegexp":
        return PathMatch("RegularExpression", portable_regex(value))
    if value.endswith("/") or strict_prefix(ctx):
        return PathMatch("PathPrefix", normalise_prefix(value))
    src = path.source.at(field=f"{path.source.field}.path")
    if prefix_mode(ctx) == "regex":
        tr.notifications.append(Notification(
            Outcome.CAVEAT, f"{path.source.field}.path",
            f"Traefik's PathPrefix {value!r} is a character-wise prefix (it also matches {value}x...): emitted as "
            f"RegularExpression ^{re2_escape(value)}.*, whose support is implementation-specific", src,
            hint="Check that the Gateway implementation supports RegularExpression path matches (RE2 syntax)."))
        return PathMatch("RegularExpression", f"^{re2_escape(value)}.*")
    tr.notifications.append(Notification(
        Outcome.CAVEAT, f"{path.source.field}.path",
        f"Traefik's PathPrefix {value!r} is a character-wise prefix: it also matched {value}x... (for example "
        f"{value}-old); the Gateway API PathPrefix matches only {value} and {value}/...", src,
        hint="If other paths relied on it, add them; or set strictPrefixMatching: \"true\" (Traefik's own option "
        "for Ingress semantics) or characterWisePrefix: regex in the --controller-config ConfigMap."))
    return PathMatch("PathPrefix", normalise_prefix(value))
