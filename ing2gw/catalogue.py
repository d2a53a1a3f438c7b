"""Catalogue providers: controllers whose annotations ing2gw knows by name but does not translate yet.

A catalogue provider declares its controller strings, class names and every annotation key of its
controller, each with a one-line doc and the Gateway API mapping class from the reference notes. Its
Ingresses get the core translation; each known annotation is then reported as unhandled *by name*, with
what it does and what it would become, and unknown keys under its prefixes as unknown annotations of that
controller. A provider package holds its data as a table of rows::

    ROWS: tuple[Row, ...] = (
        ("router.priority", "NONE", "Router priority; the longest rule wins by default."),
        ...
    )

A row is ``(key, gateway_api, doc)``. ``key`` is the name after the main prefix, or a full key (one with a
``/``) for keys under another prefix. ``<...>`` in a key stands for one variable part (an index, a header
name), so ``headers.<name>`` answers for ``konghq.com/headers.x-user``. ``gateway_api`` is the mapping
class (``CORE``, ``EXP``, ``IMPL``, ``NONE``; ``~`` after it when lossy) and optionally the construct.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from ing2gw.model import Outcome
from ing2gw.provider import AnnotationHandler, HandlerRegistry, Provider

Row = tuple[str, str, str]

CLASSES: dict[str, str] = {
    "CORE": "standard-channel Gateway API",
    "EXPERIMENTAL": "experimental-channel Gateway API only",
    "IMPL": "an implementation-specific policy only (a target emitter)",
    "NONE": "no Gateway API equivalent",
}
_SHORT = {"EXP": "EXPERIMENTAL"}
_PLACEHOLDER = re.compile(r"<[^<>]+>")


def gateway_class(gateway_api: str) -> tuple[str, bool, str]:
    """``"CORE~ URLRewrite"`` -> ``("CORE", True, "URLRewrite")``; unknown text -> ``("", False, text)``."""
    head, _, rest = gateway_api.strip().partition(" ")
    lossy = head.endswith("~") or head.endswith("≈")
    cls = _SHORT.get(head.rstrip("~≈"), head.rstrip("~≈"))
    if cls not in CLASSES:
        return "", False, gateway_api.strip()
    return cls, lossy, rest.strip()


def describe_gateway_api(gateway_api: str) -> str:
    """One phrase for messages and docs: ``standard-channel Gateway API (approximate): URLRewrite``."""
    cls, lossy, construct = gateway_class(gateway_api)
    if not cls:
        return construct
    text = CLASSES[cls] + (" (approximate)" if lossy else "")
    return f"{text}: {construct}" if construct else text


class CatalogueRegistry(HandlerRegistry):
    """A registry that also answers for keys with a variable part (``headers.<name>``)."""

    def __init__(self, prefix: str, *, extra_prefixes: Iterable[str] = (), fold_case: bool = False) -> None:
        super().__init__(prefix, extra_prefixes=extra_prefixes)
        self._patterns: list[tuple[re.Pattern[str], AnnotationHandler]] = []
        self.fold_case = fold_case  # the controller reads keys case-insensitively (Traefik's label parser)
        self._owned = tuple(p for p in self.prefixes if p)
        self._folded: dict[str, AnnotationHandler] = {}

    def add(self, handler: AnnotationHandler) -> AnnotationHandler:
        super().add(handler)
        for k in (handler.key, *handler.aliases):
            self._folded.setdefault(k.lower(), handler)
            if _PLACEHOLDER.search(k):
                parts = _PLACEHOLDER.split(k)
                flags = re.IGNORECASE if self.fold_case else 0
                self._patterns.append((re.compile("[^/]+".join(re.escape(p) for p in parts) + r"\Z", flags), handler))
        return handler

    def owns(self, key: str) -> bool:
        """True when the key carries one of this registry's (non-empty) prefixes."""
        owned = self._owned
        return bool(owned) and key.startswith(owned)

    def get(self, key: str) -> AnnotationHandler | None:
        found = super().get(key)
        if found is None and self.fold_case:
            found = self._folded.get(key.lower())
        if found is not None or not self._patterns:
            return found
        for pattern, handler in self._patterns:
            if pattern.match(key):
                return handler
        return None


def build_registry(
    prefix: str,
    rows: Iterable[Row],
    *,
    extra_prefixes: Iterable[str] = (),
    alias_prefixes: Iterable[str] = (),
    family: str = "",
    fold_case: bool = False,
) -> CatalogueRegistry:
    """A registry with every row declared UNHANDLED.

    ``extra_prefixes`` are further prefixes the controller owns (unknown keys under them are reported as
    unknown annotations of this controller). ``alias_prefixes`` are prefixes that mean the same as the main
    one: every key under the main prefix also answers under each of them. ``fold_case`` makes lookups
    case-insensitive, for controllers that read keys that way.
    """
    extra = tuple(extra_prefixes)
    aliases = tuple(alias_prefixes)
    registry = CatalogueRegistry(prefix, extra_prefixes=extra, fold_case=fold_case)
    owned = (prefix, *extra, *aliases)
    for key, gateway_api, doc in rows:
        full = key if "/" in key else prefix + key
        own = next((p for p in owned if p and full.startswith(p)), "")
        alias_keys = tuple(a + full[len(prefix):] for a in aliases) if own == prefix and prefix else ()
        registry.add(AnnotationHandler(
            key=full,
            prefix=own,
            outcome=Outcome.UNHANDLED,
            doc=doc,
            hint=f"No ing2gw logic for it yet; translate it by hand. Equivalent: {describe_gateway_api(gateway_api)}.",
            aliases=alias_keys,
            family=family,
            gateway_api=_normalise(gateway_api),
        ))
    return registry


def _normalise(gateway_api: str) -> str:
    cls, lossy, construct = gateway_class(gateway_api)
    if not cls:
        return gateway_api.strip()
    return f"{cls}{'~' if lossy else ''} {construct}".strip()


class CatalogueProvider(Provider):
    """A provider that knows its controller's annotations by name and translates none of them yet.

    ``notes`` is shown on the provider's docs page (class selection quirks, Gateway API implementation).
    ``extends`` names a provider whose Ingresses these annotations ride on: the controller shares that
    provider's controller string and annotation prefix (Wallarm on ingress-nginx), so the dispatcher adds
    this registry to that provider's instead of giving it Ingresses of its own.
    """

    translated = False
    notes: str = ""
    extends: str = ""
    gateway_classes: tuple[str, ...] = ()  # GatewayClass controllerName of the vendor's own implementation
