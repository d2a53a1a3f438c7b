"""ingress-nginx (``k8s.io/ingress-nginx``): every ``nginx.ingress.kubernetes.io/*`` annotation.

One module per annotation family registers its handlers on :data:`REGISTRY`; every module of this package
is imported below, so a new family only needs a new file. The provider itself adds what spans Ingresses
(:meth:`IngressNginxProvider.finalize`): host-wide regex mode, HTTP-to-HTTPS redirects, canary folding.

The controller's global ConfigMap supplies defaults. It comes from ``--controller-config NAMESPACE/NAME``;
without that flag, a ConfigMap in the input named ``ingress-nginx-controller`` (the Helm chart's name),
``nginx-configuration`` (the old static manifests) or ``nginx-ingress-controller`` is used, preferring the
namespace ``ingress-nginx``; the choice is stated in the report.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable, Mapping, Sequence

from ing2gw.model import ConfigMap, Ingress, IngressPath, Notification, Outcome, PathMatch, Source
from ing2gw.provider import HandlerRegistry, IngressTranslation, Provider, TranslateContext, run_handlers

PREFIX = "nginx.ingress.kubernetes.io/"
REGISTRY = HandlerRegistry(PREFIX)

CONFIGMAP_NAMES = ("ingress-nginx-controller", "nginx-configuration", "nginx-ingress-controller")


class IngressNginxProvider(Provider):
    name = "ingress-nginx"
    title = "ingress-nginx"
    controllers = ("k8s.io/ingress-nginx",)
    class_names = ("nginx",)
    docs_url = "https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/"

    def __init__(self, registry: HandlerRegistry | None = None) -> None:
        super().__init__(registry)
        self._found_for: TranslateContext | None = None
        self._config_source: Source | None = None
        self._config_notes: list[Notification] = []

    # --- hooks -------------------------------------------------------------------------------------

    def path_match(self, path: IngressPath, translation: IngressTranslation, ctx: TranslateContext) -> PathMatch:
        """ingress-nginx's reading of one path, from its own Ingress's annotations; the host-wide regex
        mode, which other Ingresses can switch on, is applied in :meth:`finalize`."""
        from . import paths

        return paths.own_reading(path, translation)

    def translate(self, translation: IngressTranslation, ctx: TranslateContext) -> None:
        self.config(ctx)
        from . import tls

        if tls.passthrough_only(self, translation, ctx):
            return
        run_handlers(self, translation, ctx)

    # Its finalize relates Ingresses by host (regex mode, redirects, canaries); the controller ConfigMap is
    # stated once, in finalize_whole.
    partitioned = True

    def finalize(self, translations: list[IngressTranslation], ctx: TranslateContext) -> None:
        from . import backend, canary, config, config_keys, paths, redirects

        cfg = self.config(ctx)
        paths.apply_regex_mode(translations)
        redirects.apply_host_redirects(translations, ctx, cfg)
        backend.check_grpc(translations)
        canary.fold(translations, ctx)
        config_keys.set_global_headers(translations, ctx, cfg, config.config_source(self._config_source))

    def related_hosts(self, ingress: Ingress) -> Iterable[str]:
        """server-alias names, and the other name of each host with from-to-www-redirect."""
        from .redirects import www_counterpart
        from .tls import alias_names

        yield from alias_names(ingress)
        if PREFIX + "from-to-www-redirect" in ingress.annotations:
            yield from (www_counterpart(r.host) for r in ingress.rules if r.host and not r.host.startswith("*."))

    def summary(self, translations: list[IngressTranslation], ctx: TranslateContext) -> object:
        from . import config

        return config.summary(translations)

    def finalize_whole(self, translations: list[IngressTranslation], ctx: TranslateContext,
                       summaries: Sequence[object]) -> None:
        from . import config

        config.state_config(translations, ctx, self.config(ctx), self._config_source, self._config_notes, summaries)

    # --- the controller ConfigMap ------------------------------------------------------------------

    def controller_config_outcomes(self, config: Mapping[str, str], source: Source) -> list[Notification] | None:
        return []  # finalize states every key (config.state_config)

    def found_controller_config(self, config_maps: Iterable[ConfigMap]) -> ConfigMap | None:
        return find_controller_configmap(config_maps)

    def config(self, ctx: TranslateContext) -> dict[str, str]:
        """The controller ConfigMap's data (given or found in the input), once per conversion."""
        if self._found_for is ctx:
            return dict(ctx.controller_config)
        self._found_for = ctx
        self._config_notes = []
        self._config_source = None
        if ctx.controller_config:
            cm = next((c for c in ctx.config_maps.values() if dict(c.data) == dict(ctx.controller_config)), None)
            self._config_source = cm.source if cm else None
            return dict(ctx.controller_config)
        cm = self.found_controller_config(ctx.config_maps.values())
        if cm is not None:
            ctx.controller_config = dict(cm.data)
            self._config_source = cm.source
            self._config_notes.append(Notification(
                Outcome.TRANSLATED, "controller ConfigMap",
                f"used ConfigMap {cm.namespace}/{cm.name} as the ingress-nginx controller configuration "
                "(found by name; --controller-config NAMESPACE/NAME chooses another)", cm.source))
        return dict(ctx.controller_config)


def find_controller_configmap(config_maps: object) -> ConfigMap | None:
    """The ingress-nginx controller ConfigMap among the input's, by its well-known names."""
    found = [c for c in config_maps if isinstance(c, ConfigMap) and c.name in CONFIGMAP_NAMES]  # type: ignore[attr-defined]
    if not found:
        return None
    found.sort(key=lambda c: (c.namespace != "ingress-nginx", CONFIGMAP_NAMES.index(c.name), c.namespace))
    return found[0]


PROVIDER = IngressNginxProvider(REGISTRY)


def _load_families() -> None:
    """Import every module of this package: routing and policy families register their handlers."""
    for m in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        importlib.import_module(f"{__name__}.{m.name}")


_load_families()
