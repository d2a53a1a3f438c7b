"""Runs every probe on both sides and judges it: same, differs, or not comparable.

A probe is *not comparable* when its answers differ and one of their causes is something the conversion
already reported as not fully translated (an ``unsupported``, ``needs-target-emitter``, ``unhandled``,
``error`` or ``translated-with-caveat`` notification on that Ingress and annotation or field), a
controller default the provider has no handler for, or behaviour the engines cannot simulate (a
snippet, an nginx variable, an ExtensionRef). The verdict then names that notification.

A 404 on one side and no listener at all on the other count as the same answer: neither routes the
request (a controller always listens, a Gateway without anything to route may not exist).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from ing2gw.model import Notification, Outcome
from ing2gw.verify.model import Answer, Cause, Probe

Verdict = Literal["same", "differs", "not-comparable"]
LINKABLE = (Outcome.UNSUPPORTED, Outcome.NEEDS_EMITTER, Outcome.UNHANDLED, Outcome.ERROR, Outcome.CAVEAT)


@dataclass(frozen=True, slots=True)
class Link:
    """Why a probe is not comparable: a notification of the conversion, or a stated gap."""

    text: str
    notification: Notification | None = None

    def to_json(self) -> dict[str, Any]:
        d: dict[str, Any] = {"reason": self.text}
        n = self.notification
        if n is not None:
            s = n.source
            d["notification"] = {"outcome": n.outcome.value, "subject": n.subject, "message": n.message,
                                 "object": s.ref if s.kind else None, "file": s.file}
        return d


@dataclass(slots=True)
class ProbeResult:
    probe: Probe
    ingress: Answer
    gateway: Answer
    verdict: Verdict
    differences: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)


def _norm_location(loc: str | None) -> str | None:
    """``https://host`` and ``https://host/`` name the same resource (RFC 3986: an empty path is ``/``)."""
    if loc is None:
        return None
    scheme, sep, rest = loc.partition("://")
    if sep and "/" not in rest:
        return loc + "/"
    if sep and rest.find("?") != -1 and rest.find("/") > rest.find("?"):
        host, _, query = rest.partition("?")
        return f"{scheme}://{host}/?{query}"
    return loc


def differences(a: Answer, b: Answer) -> list[str]:
    """The names of the facts on which two answers differ (empty: the same)."""
    out = []
    if {a.kind, b.kind} == {"status", "no-listener"} and 404 in (a.status, b.status):
        return []  # neither side routes the request: a 404 page or a refused connection
    if a.kind != b.kind:
        return ["outcome"]
    if a.backends != b.backends:
        out.append("backend")
    if a.status != b.status:
        out.append("status")
    if _norm_location(a.location) != _norm_location(b.location):
        out.append("location")
    if a.kind == "backend":
        if a.upstream_path != b.upstream_path:
            out.append("path")
        if (a.upstream_host or "").lower() != (b.upstream_host or "").lower():
            out.append("host")
        if a.request_headers != b.request_headers:
            out.append("request headers")
        if a.response_headers != b.response_headers:
            out.append("response headers")
        if a.cors != b.cors:
            out.append("cors")
        if a.mirrors is not None and b.mirrors is not None and a.mirrors != b.mirrors:
            out.append("mirrors")
    return out


# (provider name, annotation key) -> True when the provider has a handler for that key
Coverage = Callable[[str, str], bool]


class Linker:
    """Finds the notifications that explain a difference."""

    def __init__(self, notifications: Iterable[Notification], provider_of: dict[str, str],
                 coverage: Coverage | None, path_hooks: dict[str, bool] | None = None) -> None:
        self.by_ingress: dict[str, list[Notification]] = {}
        self.others: list[Notification] = []
        for n in notifications:
            if n.outcome in LINKABLE and n.source.kind == "Ingress":
                self.by_ingress.setdefault(f"{n.source.namespace}/{n.source.name}", []).append(n)
            elif n.outcome in LINKABLE and n.source.kind:
                self.others.append(n)
        self.provider_of = provider_of
        self.coverage = coverage
        self.path_hooks = path_hooks or {}

    def links(self, causes: Sequence[Cause]) -> list[Link]:
        out: list[Link] = []
        for c in causes:
            if c.gap:
                out.append(Link(f"{c.show()}: {c.gap}"))
                continue
            if c.detail and c.ingress:  # a statement on that Ingress's field that names this detail
                out += [Link(f"{n.outcome.value}: {n.subject}: {n.message}", n)
                        for n in self.by_ingress.get(c.ingress, ()) if n.subject == c.subject and c.detail in n.message]
                continue
            if c.detail:
                out += [Link(f"{n.outcome.value}: {n.source.ref}: {n.message}", n) for n in self.others
                        if c.detail in n.message]
                continue
            found = False
            # a controller default is stated as "NAME (controller default)" (NAME: the key without its prefix)
            default_subject = f"{c.subject.rsplit('/', 1)[-1]} (controller default)" if c.default else None
            for n in self.by_ingress.get(c.ingress or "", ()):
                if n.subject == c.subject or n.subject.startswith(c.subject + ".") or \
                        c.subject.startswith(n.subject + ".") or (n.source.annotation == c.subject) or \
                        n.subject == default_subject:
                    out.append(Link(f"{n.outcome.value}: {n.subject}: {n.message}", n))
                    found = True
            if found or not c.default or c.ingress is None:
                continue
            provider = self.provider_of.get(c.ingress)
            if provider is None:
                continue
            if c.subject.endswith(".pathType"):
                if not self.path_hooks.get(provider, True):
                    out.append(Link(f"{c.show()}: the {provider} provider reads paths as the Ingress specification "
                                    "does, not as the controller does"))
            elif self.coverage is not None and not self.coverage(provider, c.subject):
                out.append(Link(f"{c.show()}: the {provider} provider has no handler for {c.subject}, so the "
                                "controller's default behaviour was not translated"))
        return list(dict.fromkeys(out))


def judge(probe: Probe, ingress: Answer, gateway: Answer, linker: Linker | None) -> ProbeResult:
    diff = differences(ingress, gateway)
    if not diff:
        return ProbeResult(probe, ingress, gateway, "same")
    gaps = [Link(f"{c.show()}: {c.gap}") for c in (*probe.origin, *ingress.causes, *gateway.causes) if c.gap]
    links = linker.links((*probe.origin, *ingress.causes, *gateway.causes)) if linker else gaps
    if links:
        return ProbeResult(probe, ingress, gateway, "not-comparable", diff, links)
    return ProbeResult(probe, ingress, gateway, "differs", diff)
