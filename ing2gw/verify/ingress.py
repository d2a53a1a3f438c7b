"""The Ingress side as a whole: one simulated controller per ingress class, chosen like ``convert`` does.

Class resolution reuses :mod:`ing2gw.core.classes` (the Kubernetes rules for ingressClassName, the legacy
annotation and the default class); everything after that is the engines' own reading of the input.
Ingresses dispatched to the ``ingress-nginx`` provider get the ingress-nginx engine, every other
controller the Ingress-specification engine.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

from ing2gw.core.classes import GENERIC, Dispatcher
from ing2gw.load.objects import Inputs
from ing2gw.model import Ingress
from ing2gw.verify.generic import GenericController
from ing2gw.verify.model import Answer, Probe, status
from ing2gw.verify.nginx import NginxController

if TYPE_CHECKING:
    from ing2gw.api import ConvertOptions

NGINX = "ingress-nginx"


class Controller(Protocol):
    def answer(self, probe: Probe) -> Answer: ...


@dataclass(slots=True)
class ClassGroup:
    """The Ingresses of one class and the provider (controller make) that serves them."""

    klass: str | None
    provider: str
    ingresses: list[Ingress] = field(default_factory=list)


@dataclass(slots=True)
class IngressSide:
    groups: dict[str | None, ClassGroup]
    controllers: dict[str | None, Controller]
    provider_of: dict[str, str]  # "namespace/name" of an Ingress -> provider name

    def answer(self, probe: Probe) -> Answer:
        ctrl = self.controllers.get(probe.klass)
        if ctrl is None:
            return status(404, f"no controller serves class {probe.klass!r}")
        return ctrl.answer(probe)


def _engine_gap(provider: Any) -> str | None:
    """Why the Ingress-specification engine cannot stand for this provider's controller, or None."""
    from ing2gw.provider import Provider

    if provider is None or provider.name == GENERIC.name:
        return None
    own = [hook for hook in ("path_match", "translate", "finalize")
           if getattr(type(provider), hook, None) is not getattr(Provider, hook)]
    if not own:
        return None
    return (f"verify has no routing engine for {provider.title or provider.name} yet, and that controller does not "
            "follow the Ingress specification exactly; this probe was simulated by the specification only")


def build_ingress_side(inputs: Inputs, options: ConvertOptions, providers: Mapping[str, Any]) -> IngressSide:
    """Group the Ingresses by class as ``convert`` dispatches them and build one controller per class."""
    provs = dict(providers)
    provs.setdefault(GENERIC.name, GENERIC)
    forced = provs.get(options.provider) if options.provider else None
    class_providers = {c: provs[p] for c, p in options.class_providers.items() if p in provs}
    dispatcher = Dispatcher(provs, inputs.ingress_classes, forced=forced, class_providers=class_providers)
    groups: dict[str | None, ClassGroup] = {}
    provider_of: dict[str, str] = {}
    for ing in sorted(inputs.ingresses, key=lambda i: i.key):
        d = dispatcher.dispatch(ing, [])
        if options.ingress_classes and d.class_name not in options.ingress_classes:
            continue
        g = groups.get(d.class_name)
        if g is None:
            g = groups[d.class_name] = ClassGroup(d.class_name, d.provider.name)
        g.ingresses.append(ing)
        provider_of[f"{ing.namespace}/{ing.name}"] = d.provider.name
    given = None
    ref = options.controller_configs.get(NGINX) or options.controller_config  # as the conversion gave it
    if ref:
        ns, _, name = ref.partition("/")
        given = inputs.config_maps.get((ns, name))
    controllers: dict[str | None, Controller] = {}
    for klass, g in groups.items():
        if g.provider == NGINX:
            # the ConfigMap convert read: the one given, else the one the provider finds by name
            cm = given if ref else provs[NGINX].found_controller_config(
                inputs.config_maps.values())
            controllers[klass] = NginxController(g.ingresses, inputs.services, dict(cm.data) if cm else {},
                                                 inputs.config_maps)
        else:
            controllers[klass] = GenericController(g.ingresses, inputs.services, provider=g.provider,
                                                   engine_gap=_engine_gap(provs.get(g.provider)))
    return IngressSide(groups, controllers, provider_of)
