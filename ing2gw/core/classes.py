"""IngressClass resolution and provider dispatch, as the Kubernetes documentation defines them.

1. The class of an Ingress is ``spec.ingressClassName``; else the deprecated ``kubernetes.io/ingress.class``
   annotation; else the cluster's default IngressClass (annotated ``ingressclass.kubernetes.io/is-default-class:
   "true"``; when several are, the newest wins, ties to the lowest name, as since Kubernetes 1.25). Both set
   and different is an input error (the API server rejects it on create); ``spec.ingressClassName`` is used.
2. The class maps to a provider through its IngressClass's ``spec.controller`` (exact, or a provider pattern
   ending in ``/*``). Without an IngressClass object, ``--class-provider CLASS=PROVIDER`` decides, then the
   well-known class names providers declare; a name several controllers use (``nginx``) goes to the
   preferred provider in :data:`PREFERRED_CLASS_PROVIDERS`, and the ambiguity is stated.
3. ``--provider`` forces one provider for every Ingress. A class that cannot be mapped gets the generic
   provider (the Ingress specification only), and that is stated.

Every decision is stated once per Ingress, on the field or annotation the class came from. IngressClass
``spec.parameters`` are stated once per class (see :meth:`Dispatcher.class_notes`) and passed to providers
on the translation (``IngressTranslation.ingress_class``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ing2gw.model import Ingress, IngressClass, Notification, Outcome, Source
from ing2gw.provider import HandlerContext, HandlerRegistry, Provider, TranslateContext

if TYPE_CHECKING:
    from ing2gw.model import IngressPath, PathMatch
    from ing2gw.provider import AnnotationHandler, IngressTranslation

LEGACY_CLASS_ANNOTATION = "kubernetes.io/ingress.class"
DEFAULT_CLASS_ANNOTATION = "ingressclass.kubernetes.io/is-default-class"
CLASS_FIELD = "spec.ingressClassName"

# Class names several controllers use by default, and the provider they are read as without an IngressClass.
# ``nginx`` is the default of ingress-nginx, F5 NGINX Ingress Controller, Wallarm and Traefik's
# ingress-nginx compatibility provider; ingress-nginx has by far the most users.
# ``haproxy`` is the default of both HAProxy controllers; HAProxy Ingress (jcmoraisjr) is the older one.
PREFERRED_CLASS_PROVIDERS: dict[str, str] = {"nginx": "ingress-nginx", "haproxy": "haproxy-ingress"}

# Class annotations of particular controllers, read after the standard ones (Contour and EnRoute honour them).
VENDOR_CLASS_ANNOTATIONS: tuple[str, ...] = ("projectcontour.io/ingress.class", "enroute.saaras.io/ingress.class")


class GenericProvider(Provider):
    """Core Ingress semantics only, for controllers nobody wrote a provider for. It owns no annotations."""

    name = "generic"
    title = "Unknown controller (Ingress specification only)"

    def __init__(self) -> None:
        from ing2gw.catalogue import CatalogueRegistry

        super().__init__(CatalogueRegistry(""))


GENERIC = GenericProvider()


@dataclass(frozen=True, slots=True)
class Dispatch:
    class_name: str | None
    provider: Provider
    how: str  # how the class and provider were found, for the report
    ingress_class: IngressClass | None = None


def default_class(classes: Mapping[str, IngressClass]) -> IngressClass | None:
    """The default IngressClass: several marked -> the newest wins, ties to the lowest name (k8s >= 1.25)."""
    marked = [c for c in classes.values() if c.is_default]
    if not marked:
        return None
    # Newest creationTimestamp first (RFC 3339 in UTC sorts as text); objects without one count as oldest.
    marked.sort(key=lambda c: c.name)
    marked.sort(key=lambda c: c.creation_timestamp or "", reverse=True)
    return marked[0]


@dataclass(frozen=True, slots=True)
class ClassResolution:
    name: str | None
    how: str
    subject: str  # the field or annotation the class came from (where its outcome is stated)
    source: Source


def resolve_class(ing: Ingress, classes: Mapping[str, IngressClass], notes: list[Notification]) -> ClassResolution:
    """The Ingress's class name, how it was found, and where. Input errors are appended to ``notes``."""
    r = _standard_class(ing, notes)
    vendor = [(k, ing.annotations[k]) for k in VENDOR_CLASS_ANNOTATIONS if k in ing.annotations]
    for i, (key, value) in enumerate(vendor):
        src = ing.source.at(annotation=key)
        if r is None and i == 0:
            r = ClassResolution(value, f"annotation {key}", key, src)
        elif r is not None and value == r.name:
            notes.append(Notification(Outcome.TRANSLATED, key, f"controller class annotation, same class {value!r}",
                                      src))
        else:
            notes.append(Notification(
                Outcome.CAVEAT, key,
                f"controller class annotation {value!r} differs from the class used, "
                f"{r.name if r else None!r}: the controller that reads it ({key.split('/')[0]}) gives it "
                "precedence and would serve this Ingress as that class", src,
                hint="Make the class fields agree, or use --provider to name the controller."))
    if r is not None:
        return r
    field_src = ing.source.at(field=CLASS_FIELD)
    d = default_class(classes)
    if d is not None:
        several = sorted(c.name for c in classes.values() if c.is_default)
        how = "the default IngressClass"
        if len(several) > 1:
            how += (f", the newest of the {len(several)} marked default ({', '.join(several)}): Kubernetes 1.25 and "
                    "later apply the newest, older versions reject the Ingress")
        return ClassResolution(d.name, how, CLASS_FIELD, field_src)
    return ClassResolution(None, "no class", CLASS_FIELD, field_src)


def _standard_class(ing: Ingress, notes: list[Notification]) -> ClassResolution | None:
    """The class from ``spec.ingressClassName`` or the legacy annotation, or None."""
    legacy = ing.annotations.get(LEGACY_CLASS_ANNOTATION)
    field_src = ing.source.at(field=CLASS_FIELD)
    legacy_src = ing.source.at(annotation=LEGACY_CLASS_ANNOTATION)
    if ing.class_name and legacy is not None and legacy != ing.class_name:
        notes.append(Notification(
            Outcome.ERROR, LEGACY_CLASS_ANNOTATION,
            f"annotation {LEGACY_CLASS_ANNOTATION}={legacy!r} differs from {CLASS_FIELD}={ing.class_name!r}; the API "
            "server rejects this (the annotation must match `ingressClassName` when both are specified)",
            legacy_src, hint=f"{CLASS_FIELD} was used; remove the annotation.",
        ))
        return ClassResolution(ing.class_name, CLASS_FIELD, CLASS_FIELD, field_src)
    if ing.class_name:
        if legacy is not None:
            notes.append(Notification(
                Outcome.TRANSLATED, LEGACY_CLASS_ANNOTATION,
                f"deprecated class annotation, same class as {CLASS_FIELD}; the Gateway is chosen from the class",
                legacy_src))
        return ClassResolution(ing.class_name, CLASS_FIELD, CLASS_FIELD, field_src)
    if legacy:
        return ClassResolution(legacy, f"annotation {LEGACY_CLASS_ANNOTATION}", LEGACY_CLASS_ANNOTATION, legacy_src)
    return None


# --------------------------------------------------------------------------------------------------
# Providers that add annotations to another provider's Ingresses (same controller string and prefix)
# --------------------------------------------------------------------------------------------------


class LayeredRegistry(HandlerRegistry):
    """A base registry plus extension registries: lookups try the base first."""

    def __init__(self, base: HandlerRegistry, extensions: list[HandlerRegistry]) -> None:
        extra = tuple(p for r in extensions for p in r.prefixes if p not in base.prefixes)
        super().__init__(base.prefix, extra_prefixes=(*base.prefixes[1:], *extra))
        self.base = base
        self.extensions = extensions

    def get(self, key: str) -> AnnotationHandler | None:
        found = self.base.get(key)
        if found is not None:
            return found
        for r in self.extensions:
            found = r.get(key)
            if found is not None:
                return found
        return None

    def __iter__(self) -> Iterator[AnnotationHandler]:
        seen = {h.key: h for h in self.base}
        for r in self.extensions:
            for h in r:
                seen.setdefault(h.key, h)
        return iter(sorted(seen.values(), key=lambda h: h.key))

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def keys(self) -> list[str]:
        found = set(self.base.keys())
        for r in self.extensions:
            found.update(r.keys())
        return sorted(found)


class LayeredProvider(Provider):
    """A provider seen together with the providers that extend it (Wallarm on ingress-nginx).

    It has the base provider's name, so its translations are finalized by the base provider; the
    extensions' annotations that the base does not know are stated by the extensions' handlers.
    """

    def __init__(self, base: Provider, extensions: list[Provider]) -> None:
        super().__init__(LayeredRegistry(base.registry, [e.registry for e in extensions]))
        self.base = base
        self.extensions = extensions
        self.name = base.name
        self.title = base.title
        self.controllers = base.controllers
        self.class_names = base.class_names
        self.docs_url = base.docs_url

    def path_match(self, path: IngressPath, translation: IngressTranslation, ctx: TranslateContext) -> PathMatch:
        return self.base.path_match(path, translation, ctx)

    def translate(self, translation: IngressTranslation, ctx: TranslateContext) -> None:
        self.base.translate(translation, ctx)
        stated = {n.subject for n in translation.notifications}
        for ext in self.extensions:
            for key in sorted(translation.ingress.annotations):
                if key in stated or self.base.registry.get(key) is not None:
                    continue
                h = ext.registry.get(key)
                if h is None:
                    continue
                hc = HandlerContext(key=key, value=translation.ingress.annotations[key], translation=translation,
                                    ctx=ctx, handler=h)
                if h.apply is not None:
                    h.apply(hc)
                if not hc.stated:
                    hc.state()
                stated.add(key)

    def finalize(self, translations: list[IngressTranslation], ctx: TranslateContext) -> None:
        self.base.finalize(translations, ctx)

    def takes_part(self) -> bool:
        return self.base.takes_part()

    def related_hosts(self, ingress: Ingress) -> Iterable[str]:
        return self.base.related_hosts(ingress)

    def summary(self, translations: list[IngressTranslation], ctx: TranslateContext) -> object:
        return self.base.summary(translations, ctx)

    def finalize_whole(self, translations: list[IngressTranslation], ctx: TranslateContext,
                       summaries: Sequence[object]) -> None:
        self.base.finalize_whole(translations, ctx, summaries)


# --------------------------------------------------------------------------------------------------
# The dispatcher
# --------------------------------------------------------------------------------------------------


class Dispatcher:
    """Maps each Ingress to its provider through its class."""

    def __init__(self, providers: Mapping[str, Provider], classes: Mapping[str, IngressClass], *,
                 forced: Provider | None = None, class_providers: Mapping[str, Provider] | None = None) -> None:
        extensions: dict[str, list[Provider]] = {}
        for p in providers.values():
            base = getattr(p, "extends", "")
            if base and base in providers:
                extensions.setdefault(base, []).append(p)
        self.providers: dict[str, Provider] = {
            name: LayeredProvider(p, extensions[name]) if name in extensions else p for name, p in providers.items()
        }
        self.classes = classes
        self.forced = self._wrap(forced) if forced is not None else None
        self.class_providers = {c: self._wrap(p) for c, p in (class_providers or {}).items()}
        self.by_controller: dict[str, Provider] = {}
        self.controller_patterns: list[tuple[str, Provider]] = []
        self.by_class_name: dict[str, list[Provider]] = {}
        for p in self.providers.values():
            if getattr(p, "extends", ""):
                continue
            for c in p.controllers:
                if c.endswith("*"):
                    self.controller_patterns.append((c[:-1], p))
                else:
                    self.by_controller.setdefault(c, p)
            for n in p.class_names:
                self.by_class_name.setdefault(n, []).append(p)
        self.controller_patterns.sort(key=lambda t: -len(t[0]))
        self.used_classes: dict[str, tuple[IngressClass, Provider]] = {}

    def _wrap(self, p: Provider) -> Provider:
        """The provider as dispatched: with its extensions, and an extension as the provider it extends."""
        base = getattr(p, "extends", "")
        if base and base in self.providers:
            return self.providers[base]
        return self.providers.get(p.name, p)

    def provider_for_controller(self, controller: str) -> Provider | None:
        if controller in self.by_controller:
            return self.by_controller[controller]
        for stem, p in self.controller_patterns:
            if controller.startswith(stem) or controller == stem[:-1]:
                return p
        return None

    def provider_for_class_name(self, name: str) -> tuple[Provider | None, list[Provider]]:
        """The provider a bare class name is read as, and every provider that uses that name."""
        claimants = self.by_class_name.get(name, [])
        if not claimants:
            return None, []
        preferred = PREFERRED_CLASS_PROVIDERS.get(name)
        chosen = next((p for p in claimants if p.name == preferred), claimants[0])
        return chosen, claimants

    def dispatch(self, ing: Ingress, notes: list[Notification]) -> Dispatch:
        r = resolve_class(ing, self.classes, notes)
        ic = self.classes.get(r.name) if r.name is not None else None
        d = self._choose(r, ic, ing)
        notes.append(self._statement(r, d))
        return d

    def use(self, d: Dispatch) -> None:
        """Record that an Ingress of this dispatch is converted (its IngressClass gets its outcome)."""
        if d.ingress_class is not None:
            self.used_classes.setdefault(d.ingress_class.name, (d.ingress_class, d.provider))

    def _choose(self, r: ClassResolution, ic: IngressClass | None, ing: Ingress) -> Dispatch:
        name = r.name
        if self.forced is not None:
            return Dispatch(name, self.forced, "--provider", ic)
        if name is not None and name in self.class_providers:
            return Dispatch(name, self.class_providers[name], f"--class-provider {name}={self.class_providers[name].name}",
                            ic)
        if ic is not None and ic.controller:
            p = self.provider_for_controller(ic.controller)
            if p is not None:
                return Dispatch(name, p, f"IngressClass {name!r} names controller {ic.controller}", ic)
            return Dispatch(name, GENERIC, f"unknown controller {ic.controller} (IngressClass {name!r})", ic)
        if name is not None:
            p, claimants = self.provider_for_class_name(name)
            if p is not None:
                how = f"well-known class name {name!r}"
                if len(claimants) > 1:
                    # The annotations are evidence: the claimant whose prefixes they carry wins over the default.
                    owned = {c.name: sum(1 for k in ing.annotations if c.registry.owns(k)) for c in claimants}
                    best = max(claimants, key=lambda c: owned[c.name])
                    others = ", ".join(c.title or c.name for c in claimants if c is not p)
                    if owned[best.name] > owned[p.name]:
                        how = (f"ambiguous class name, read from its annotations (the name also means "
                               f"{p.title or p.name})")
                        p = best
                    else:
                        how = f"ambiguous class name, read as the most common controller (also used by {others})"
                return Dispatch(name, p, how, ic)
            return Dispatch(name, GENERIC, "class not found", ic)
        return Dispatch(None, GENERIC, "no class", ic)

    def _statement(self, r: ClassResolution, d: Dispatch) -> Notification:
        """The one outcome of the class field (or legacy annotation) of this Ingress."""
        p = d.provider
        who = p.title or p.name
        via = r.how
        hint = None
        outcome = Outcome.TRANSLATED
        if d.how == "--provider" or d.how.startswith("--class-provider"):
            msg = f"class {d.class_name!r} ({via}); provider {who} chosen by {d.how}"
            if d.class_name is None:
                msg = f"no class; provider {who} chosen by {d.how}"
        elif d.how == "no class":
            msg = ("no class: no spec.ingressClassName, no kubernetes.io/ingress.class annotation and no default "
                   "IngressClass in the input; converted with the Ingress specification only")
            hint = ("Which controller serves such an Ingress depends on its flags (ingress-nginx needs "
                    "--watch-ingress-without-class; GKE, Gloo, Voyager and EnRoute take them by default). "
                    "Use --provider NAME to name the controller.")
        elif d.how == "class not found":
            outcome = Outcome.CAVEAT
            msg = (f"class {d.class_name!r} ({via}): no IngressClass of that name in the input and not a class name "
                   "ing2gw knows; converted with the Ingress specification only, its annotations reported as unknown")
            hint = (f"Add the IngressClass objects to the input (kubectl get ingressclass -o yaml) or use "
                    f"--class-provider {d.class_name}=PROVIDER (see `ing2gw providers`).")
        elif d.how.startswith("unknown controller"):
            outcome = Outcome.CAVEAT
            msg = (f"class {d.class_name!r} ({via}): its IngressClass names controller "
                   f"{d.ingress_class.controller if d.ingress_class else '?'}, which no installed provider serves; "
                   "converted with the Ingress specification only, its annotations reported as unknown")
            hint = f"Use --class-provider {d.class_name}=PROVIDER if it is a controller ing2gw knows under another name."
        elif d.how.startswith("ambiguous class name, read from"):
            outcome = Outcome.CAVEAT
            msg = (f"class {d.class_name!r} ({via}) has no IngressClass in the input and several controllers use "
                   f"that name; its annotations are {who}'s, so it was read as {who}{d.how[d.how.index(' (the'):]}")
            hint = (f"Add the IngressClass to the input, or use --class-provider {d.class_name}=PROVIDER to choose "
                    "the controller.")
        elif d.how.startswith("ambiguous class name"):
            msg = (f"class {d.class_name!r} ({via}) has no IngressClass in the input; several controllers use that "
                   f"name: read as {who}, {d.how[len('ambiguous class name, '):]}")
            hint = (f"Add the IngressClass to the input, or use --class-provider {d.class_name}=PROVIDER if another "
                    "controller serves it.")
        elif d.how.startswith("well-known class name"):
            msg = f"class {d.class_name!r} ({via}) has no IngressClass in the input; {who} uses that class name"
        else:
            msg = f"class {d.class_name!r} ({via}): {d.how}, served by {who}"
        if via.startswith("the default IngressClass") and outcome is Outcome.TRANSLATED:
            msg += ("; the default class applies as the API server sets it on create (an Ingress that already exists "
                    "without a class keeps none)")
        return Notification(outcome, r.subject, msg, r.source, hint=hint)

    def class_notes(self) -> list[Notification]:
        """One outcome for ``spec.parameters`` of every IngressClass that an Ingress used."""
        out: list[Notification] = []
        for name in sorted(self.used_classes):
            ic, p = self.used_classes[name]
            if not ic.parameters:
                continue
            src = ic.source.at(field="spec.parameters")
            params = ic.parameters
            kind = params.get("kind")
            ref = f"{params.get('apiGroup') or 'core'}/{kind} {params.get('name')}"
            scope = params.get("scope") or "Cluster"
            problem = None
            if not kind or not params.get("name"):
                problem = "kind and name are required"
            elif scope not in ("Cluster", "Namespace"):
                problem = f"scope must be Cluster or Namespace, not {scope!r}"
            elif scope == "Namespace" and not params.get("namespace"):
                problem = "namespace is required when scope is Namespace"
            elif scope == "Cluster" and params.get("namespace"):
                problem = "namespace must be unset when scope is Cluster"
            if problem:
                out.append(Notification(Outcome.ERROR, "spec.parameters", f"invalid parameters: {problem}; the API "
                                        "server rejects this IngressClass", src))
                continue
            if getattr(p, "reads_class_parameters", False):
                out.append(Notification(Outcome.TRANSLATED, "spec.parameters",
                                        f"parameters {ref} were passed to provider {p.title or p.name}", src))
                continue
            out.append(Notification(
                Outcome.UNHANDLED, "spec.parameters",
                f"parameters {ref} hold settings of controller {ic.controller} for every Ingress of class {name!r}; "
                f"provider {p.name} does not read them", src,
                hint="Gateway API has no portable equivalent: GatewayClass spec.parametersRef and Gateway "
                "spec.infrastructure.parametersRef are implementation-specific. Carry the settings over by hand.",
            ))
        return out
