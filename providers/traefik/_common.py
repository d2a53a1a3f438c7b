"""What the Traefik handler families share: the registry, case-insensitive lookups, references, settings.

Traefik decodes its annotations as labels, so keys are case-insensitive (``router.pathMatcher`` is
``router.pathmatcher``); :func:`ann` looks them up that way. ``router.*`` keys are read from the Ingress,
``service.*`` keys from the Service a path points at (see :mod:`.service`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ing2gw.catalogue import CatalogueRegistry
from ing2gw.model import Outcome, Service, Source
from ing2gw.provider import AnnotationValueError, HandlerContext, PathRoute

PREFIX = "traefik.ingress.kubernetes.io/"
REGISTRY = CatalogueRegistry(PREFIX, fold_case=True)

# Settings read from the --controller-config ConfigMap (Traefik's static configuration is not an Ingress input).
STRICT_KEYS = ("strictPrefixMatching", "providers.kubernetesIngress.strictPrefixMatching")
PREFIX_MODE_KEY = "characterWisePrefix"  # "prefix" (default) or "regex"


def ann(annotations: Mapping[str, str], name: str) -> str | None:
    """The value of ``PREFIX + name`` (or a full key), compared case-insensitively as Traefik does."""
    full = (name if "/" in name else PREFIX + name).lower()
    for k, v in annotations.items():
        if k.lower() == full:
            return v
    return None


def keys_under(annotations: Mapping[str, str], name: str) -> list[str]:
    """Keys (as written) equal to ``PREFIX + name`` or below it (``name.``), case-insensitively, sorted."""
    full = (PREFIX + name).lower()
    return sorted(k for k in annotations if k.lower() == full or k.lower().startswith(full + "."))


def flag(value: str) -> bool:
    """Traefik's label parser reads booleans with Go's strconv.ParseBool."""
    v = value.strip()
    if v in ("1", "t", "T", "TRUE", "true", "True"):
        return True
    if v in ("0", "f", "F", "FALSE", "false", "False"):
        return False
    raise AnnotationValueError('expected "true" or "false"')


def config_flag(settings: Mapping[str, str], keys: tuple[str, ...]) -> bool:
    for k in keys:
        if k in settings:
            try:
                return flag(settings[k])
            except AnnotationValueError:
                return False
    return False


@dataclass(frozen=True, slots=True)
class Ref:
    """A Traefik cross-provider reference such as ``shop-auth@kubernetescrd`` or ``auth@file``."""

    ref: str
    provider: str | None
    namespace: str | None
    name: str | None

    def params(self) -> dict[str, Any]:
        return {"ref": self.ref, "provider": self.provider, "namespace": self.namespace, "name": self.name}


def parse_ref(text: str, namespace: str) -> Ref:
    """Split a reference. ``<namespace>-<name>@kubernetescrd`` is ambiguous when names contain ``-``: the
    namespace is taken to be the object's own when the reference starts with it (or split at ``_`` under
    Traefik's safeNaming option); otherwise namespace and name stay unknown."""
    ref = text.strip()
    if not ref or any(c.isspace() for c in ref):
        raise AnnotationValueError(f"invalid reference {text!r}")
    body, at, provider = ref.rpartition("@")
    if not at:
        return Ref(ref, None, None, None)
    if not body or not provider:
        raise AnnotationValueError(f"invalid reference {text!r}")
    if provider != "kubernetescrd":
        return Ref(ref, provider, None, None)
    if body.startswith(namespace + "-") and len(body) > len(namespace) + 1:
        return Ref(ref, provider, namespace, body[len(namespace) + 1 :])
    if "_" in body:
        ns, _, name = body.partition("_")
        return Ref(ref, provider, ns, name)
    return Ref(ref, provider, None, None)


def parse_refs(value: str, namespace: str) -> list[Ref]:
    items = [x for x in value.split(",") if x.strip()]
    if not items:
        raise AnnotationValueError("expected a comma-separated list of references such as ns-name@kubernetescrd")
    return [parse_ref(x, namespace) for x in items]


@dataclass(slots=True)
class ServiceContext(HandlerContext):
    """A handler context for a ``service.*`` annotation on a Service: outcomes point at the Service, and
    requirements attach to the rules that send traffic to it (``routes``, across Ingresses)."""

    service: Service | None = None
    routes: list[PathRoute] = field(default_factory=list)
    shared: dict[str, Any] = field(default_factory=dict)

    @property
    def source(self) -> Source:
        assert self.service is not None
        return self.service.source.at(annotation=self.key)

    def rule_routes(self) -> list[PathRoute]:
        return self.routes


def on_service(hc: HandlerContext) -> ServiceContext | None:
    """The Service context, or None after stating that the key has no effect on an Ingress."""
    if isinstance(hc, ServiceContext):
        return hc
    hc.state(Outcome.NOT_ROUTING,
             "Traefik reads service.* annotations from the Service a path points at, not from the Ingress: "
             "here it had no effect, so nothing is carried over",
             hint="If it was meant to apply, it belongs on the Service (ing2gw reads it there when the Service "
             "is in the input).")
    return None
