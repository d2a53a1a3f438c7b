"""Facts about the installed providers, from their registries: coverage (``ing2gw providers``) and what one
annotation becomes (``ing2gw explain``). Everything here is read from the handlers, so it cannot drift."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ing2gw.catalogue import describe_gateway_api, gateway_class
from ing2gw.core.versions import CHANNELS, VERSIONS, Capabilities, capabilities
from ing2gw.model import Outcome
from ing2gw.provider import AnnotationHandler, Provider

OUTCOMES: tuple[Outcome, ...] = (Outcome.TRANSLATED, Outcome.CAVEAT, Outcome.NEEDS_EMITTER, Outcome.UNSUPPORTED,
                                 Outcome.NOT_ROUTING, Outcome.UNHANDLED)
GATEWAY_CLASSES: tuple[str, ...] = ("CORE", "EXPERIMENTAL", "IMPL", "NONE")


def installed() -> dict[str, Provider]:
    """Every installed provider by name (entry points), sorted."""
    from ing2gw import plugins

    return dict(plugins.providers())


# --------------------------------------------------------------------------------------------------
# ing2gw providers
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ProviderInfo:
    name: str
    title: str
    controllers: tuple[str, ...]
    class_names: tuple[str, ...]
    docs_url: str
    known: int  # annotation keys known, aliases not counted
    aliases: int
    outcomes: dict[str, int]  # declared outcome -> count
    gateway_api: dict[str, int]  # mapping class of the notes -> count (where the handler states one)
    translated: int  # translated or translated with a caveat
    translated_experimental: int  # of those, the ones that need the experimental channel
    extends: str = ""
    notes: str = ""
    gateway_classes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def translated_share(self) -> float:
        return self.translated / self.known if self.known else 0.0

    @property
    def accounted_share(self) -> float:
        """Share of known keys with an outcome other than unhandled."""
        return (self.known - self.outcomes.get(Outcome.UNHANDLED.value, 0)) / self.known if self.known else 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name, "title": self.title, "controllers": list(self.controllers),
            "classNames": list(self.class_names), "docsURL": self.docs_url, "extends": self.extends or None,
            "annotations": self.known, "aliases": self.aliases, "outcomes": self.outcomes,
            "translated": self.translated, "translatedStandard": self.translated - self.translated_experimental,
            "translatedExperimental": self.translated_experimental,
            "translatedShare": round(self.translated_share, 4), "accountedShare": round(self.accounted_share, 4),
            "gatewayAPIClasses": self.gateway_api, "gatewayClassControllers": list(self.gateway_classes),
        }


def provider_info(p: Provider) -> ProviderInfo:
    handlers = list(p.registry)
    outcomes = {o.value: 0 for o in OUTCOMES}
    classes = {c: 0 for c in GATEWAY_CLASSES}
    translated = experimental = 0
    for h in handlers:
        outcomes[h.outcome.value] = outcomes.get(h.outcome.value, 0) + 1
        cls, _, _ = gateway_class(h.gateway_api)
        if cls:
            classes[cls] += 1
        if h.outcome in (Outcome.TRANSLATED, Outcome.CAVEAT):
            translated += 1
            if cls == "EXPERIMENTAL":
                experimental += 1
    return ProviderInfo(
        name=p.name, title=p.title or p.name, controllers=tuple(p.controllers), class_names=tuple(p.class_names),
        docs_url=p.docs_url, known=len(handlers), aliases=sum(len(h.aliases) for h in handlers), outcomes=outcomes,
        gateway_api=classes, translated=translated, translated_experimental=experimental,
        extends=getattr(p, "extends", ""), notes=getattr(p, "notes", ""),
        gateway_classes=tuple(getattr(p, "gateway_classes", ())),
    )


def providers_info(providers: Mapping[str, Provider] | None = None) -> list[ProviderInfo]:
    found = installed() if providers is None else providers
    return [provider_info(found[n]) for n in sorted(found)]


def providers_table(infos: Iterable[ProviderInfo]) -> str:
    """A plain-text table: name, controllers, known annotations, counts per outcome, share translated."""
    heads = ("provider", "controllers / class names", "known", "transl.", "caveat", "emitter", "unsupp.",
             "not-rt.", "unhandled", "translated")
    rows = []
    for i in infos:
        where = ", ".join(i.controllers) or "-"
        if i.extends:
            where = f"(adds to {i.extends})"
        if i.class_names:
            where += " | " + ", ".join(i.class_names)
        o = i.outcomes
        rows.append((i.name, where, str(i.known), str(o["translated"]), str(o["translated-with-caveat"]),
                     str(o["needs-target-emitter"]), str(o["unsupported"]), str(o["not-routing"]), str(o["unhandled"]),
                     f"{i.translated_share:.0%}" + (f" ({i.translated_experimental} exp.)" if i.translated_experimental
                                                     else "")))
    widths = [max(len(r[c]) for r in [heads, *rows]) for c in range(len(heads))]
    lines = ["  ".join(cell.ljust(widths[c]) if c < 2 else cell.rjust(widths[c]) for c, cell in enumerate(r)).rstrip()
             for r in [heads, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    total = sum(int(r[2]) for r in rows)
    lines.append(f"{len(rows)} providers, {total} annotation keys known. 'translated' counts translated and "
                 "translated-with-caveat; 'exp.' those that need the experimental channel.")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------------
# ing2gw explain
# --------------------------------------------------------------------------------------------------

# Constructs whose availability depends on the Gateway API version or channel, by a word in gateway_api.
_AVAILABILITY: tuple[tuple[str, Any], ...] = (
    ("ExternalAuth", lambda c: c.external_auth),
    ("CORS", lambda c: c.cors),
    ("sessionPersistence", lambda c: c.session_persistence),
    ("retry", lambda c: c.retry),
    ("TLSRoute", lambda c: c.tls_route is not None),
    ("BackendTLSPolicy", lambda c: c.backend_tls_policy is not None),
    ("ListenerSet", lambda c: c.listener_set is not None),
    ("TCPRoute", lambda c: c.minor >= 6 or c.experimental),
    ("UDPRoute", lambda c: c.minor >= 6 or c.experimental),
    ("spec.tls.frontend", lambda c: c.minor >= 5),
    ("spec.tls.backend", lambda c: c.minor >= 5),
    ("percent", lambda c: c.mirror_percent),
)


def availability(h: AnnotationHandler) -> dict[str, list[str]] | None:
    """Gateway API versions per channel where the annotation's equivalent exists; None when not stated."""
    cls, _, construct = gateway_class(h.gateway_api)
    if not cls:
        return None
    if cls in ("IMPL", "NONE"):
        return {ch: [] for ch in CHANNELS}
    checks = [fn for word, fn in _AVAILABILITY if word in construct]
    out: dict[str, list[str]] = {}
    for ch in CHANNELS:
        ok = []
        for v in VERSIONS:
            caps: Capabilities = capabilities(v, ch)
            if cls == "EXPERIMENTAL" and not caps.experimental:
                continue
            if all(fn(caps) for fn in checks):
                ok.append(v)
        out[ch] = ok
    return out


def _ranges(versions: list[str]) -> str:
    if not versions:
        return "none"
    if len(versions) == 1:
        return versions[0]
    return f"{versions[0]}-{versions[-1]}"


@dataclass(frozen=True, slots=True)
class Explanation:
    key: str
    provider: Provider
    handler: AnnotationHandler

    def to_json(self) -> dict[str, Any]:
        h = self.handler
        avail = availability(h)
        return {
            "key": h.key, "asked": self.key, "provider": self.provider.name, "aliases": list(h.aliases),
            "outcome": h.outcome.value, "doc": h.doc, "gatewayAPI": h.gateway_api or None,
            "gatewayAPIText": describe_gateway_api(h.gateway_api) if h.gateway_api else None,
            "versions": avail, "features": list(h.features), "hint": h.hint, "family": h.family or None,
            "details": h.details or None,
        }

    def text(self) -> str:
        h = self.handler
        p = self.provider
        lines = [f"{h.key}  ({p.title or p.name}, provider {p.name})"]
        if h.aliases:
            lines.append(f"  also read as: {', '.join(h.aliases)}")
        if self.key != h.key:
            lines.append(f"  matches: {self.key}")
        lines.append(f"  what it does: {h.doc}")
        lines.append(f"  outcome in ing2gw: {h.outcome.value}")
        if h.gateway_api:
            lines.append(f"  Gateway API: {describe_gateway_api(h.gateway_api)}")
        avail = availability(h)
        if avail is None:
            lines.append("  available in: not stated by the handler (see below)")
        else:
            if any(avail.values()):
                lines.append("  available in: " + "; ".join(f"{ch} {_ranges(v)}" for ch, v in avail.items()))
            else:
                lines.append("  available in: no Gateway API version (a target emitter or manual work)")
        if h.features:
            lines.append(f"  target features: {', '.join(h.features)}")
        if h.hint and not (h.outcome is Outcome.UNHANDLED and h.gateway_api):
            lines.append(f"  hint: {h.hint}")
        elif h.outcome is Outcome.UNHANDLED:
            lines.append("  ing2gw has no logic for it yet: it is reported by name, to be translated by hand")
        if h.details:
            lines.append("")
            lines.extend("  " + x if x else "" for x in h.details.splitlines())
        return "\n".join(lines) + "\n"


def explain(key: str, providers: Mapping[str, Provider] | None = None) -> tuple[list[Explanation], list[str]]:
    """Handlers that answer for ``key`` (a full key, or a name after a provider's prefix), and suggestions
    when none do."""
    found = installed() if providers is None else providers
    matches: list[Explanation] = []
    for name in sorted(found):
        p = found[name]
        h = p.registry.get(key)
        if h is not None:
            matches.append(Explanation(key, p, h))
            continue
        if "/" not in key:
            for h in p.registry:
                if h.name == key or h.key.endswith("/" + key):
                    matches.append(Explanation(key, p, h))
    if matches:
        return matches, []
    known: set[str] = set()
    for p in found.values():
        known.update(p.registry.keys())
    every = sorted(known)
    names = sorted({k.rsplit("/", 1)[-1] for k in every})
    close = difflib.get_close_matches(key, every, n=5, cutoff=0.6)
    if not close:
        short = difflib.get_close_matches(key.rsplit("/", 1)[-1], names, n=5, cutoff=0.6)
        close = [k for k in every if k.rsplit("/", 1)[-1] in short][:8]
    return [], close
