"""IngressClass resolution and provider dispatch, as the Kubernetes documentation defines them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ing2gw.model import Ingress, IngressClass, Notification, Outcome
from ing2gw.provider import Provider

LEGACY_CLASS_ANNOTATION = "kubernetes.io/ingress.class"
DEFAULT_CLASS_ANNOTATION = "ingressclass.kubernetes.io/is-default-class"


class GenericProvider(Provider):
    """Core Ingress semantics only, for controllers nobody wrote a provider for."""

    name = "generic"
    title = "Unknown controller (Ingress specification only)"


GENERIC = GenericProvider()


@dataclass(frozen=True, slots=True)
class Dispatch:
    class_name: str | None
    provider: Provider
    how: str  # how the class and provider were found, for the report


def default_class(classes: Mapping[str, IngressClass]) -> IngressClass | None:
    """The default IngressClass: several marked -> the newest wins, ties to the lowest name (k8s >= 1.25)."""
    marked = [c for c in classes.values() if c.is_default]
    if not marked:
        return None
    marked.sort(key=lambda c: (c.creation_timestamp or "", _neg(c.name)), reverse=True)
    return marked[0]


def _neg(name: str) -> tuple[int, ...]:
    return tuple(-ord(ch) for ch in name)


def resolve_class(ing: Ingress, classes: Mapping[str, IngressClass], notes: list[Notification]) -> tuple[str | None, str]:
    """The Ingress's class name and how it was found."""
    legacy = ing.annotations.get(LEGACY_CLASS_ANNOTATION)
    if ing.class_name and legacy and legacy != ing.class_name:
        notes.append(Notification(
            Outcome.ERROR, LEGACY_CLASS_ANNOTATION,
            f"annotation {LEGACY_CLASS_ANNOTATION}={legacy!r} differs from spec.ingressClassName="
            f"{ing.class_name!r}; the API server rejects this (must match `ingressClassName` when both are specified)",
            ing.source.at(annotation=LEGACY_CLASS_ANNOTATION),
            hint="spec.ingressClassName was used.",
        ))
        return ing.class_name, "spec.ingressClassName"
    if ing.class_name:
        if legacy:
            notes.append(_class_note(ing, "same class as spec.ingressClassName"))
        return ing.class_name, "spec.ingressClassName"
    if legacy:
        notes.append(_class_note(ing, f"selects IngressClass {legacy!r}"))
        return legacy, "annotation " + LEGACY_CLASS_ANNOTATION
    d = default_class(classes)
    if d is not None:
        return d.name, f"default IngressClass {d.name!r}"
    return None, "no class"


def _class_note(ing: Ingress, what: str) -> Notification:
    return Notification(Outcome.TRANSLATED, LEGACY_CLASS_ANNOTATION,
                        f"legacy class annotation: {what}; the Gateway is chosen from the class",
                        ing.source.at(annotation=LEGACY_CLASS_ANNOTATION))


class Dispatcher:
    """Maps each Ingress to its provider through its class."""

    def __init__(self, providers: Mapping[str, Provider], classes: Mapping[str, IngressClass], *,
                 forced: Provider | None = None, class_providers: Mapping[str, Provider] | None = None) -> None:
        self.providers = providers
        self.classes = classes
        self.forced = forced
        self.class_providers = dict(class_providers or {})
        self.by_controller: dict[str, Provider] = {}
        self.by_class_name: dict[str, Provider] = {}
        for p in providers.values():
            for c in p.controllers:
                self.by_controller.setdefault(c, p)
            for n in p.class_names:
                self.by_class_name.setdefault(n, p)

    def provider_for_controller(self, controller: str) -> Provider | None:
        if controller in self.by_controller:
            return self.by_controller[controller]
        for c, p in self.by_controller.items():
            if c.endswith("/*") and controller.startswith(c[:-1]):
                return p
        return None

    def dispatch(self, ing: Ingress, notes: list[Notification]) -> Dispatch:
        class_name, how = resolve_class(ing, self.classes, notes)
        if self.forced is not None:
            return Dispatch(class_name, self.forced, "--provider")
        if class_name is not None and class_name in self.class_providers:
            return Dispatch(class_name, self.class_providers[class_name], f"--class-provider {class_name}")
        if class_name is not None and class_name in self.classes:
            ic = self.classes[class_name]
            if ic.controller:
                p = self.provider_for_controller(ic.controller)
                if p is not None:
                    return Dispatch(class_name, p, f"{how}; IngressClass controller {ic.controller}")
                return Dispatch(class_name, GENERIC, f"{how}; unknown controller {ic.controller}")
        if class_name is not None and class_name in self.by_class_name:
            return Dispatch(class_name, self.by_class_name[class_name], f"{how}; well-known class name")
        return Dispatch(class_name, GENERIC, how)
