"""Traefik (``traefik.io/ingress-controller``): Traefik v3's Kubernetes Ingress provider, translated.

- Paths: :mod:`.paths` (character-wise PathPrefix, ``router.pathmatcher``, ``strictPrefixMatching``).
- ``router.*`` keys on the Ingress: :mod:`.router`; listener choice across Ingresses in ``finalize``.
- ``service.*`` keys on the Service: :mod:`.service`, applied in ``finalize`` once per Service.
- Traefik 1.7 keys: :mod:`.legacy` (Traefik v2+ ignores them).

Traefik's *Kubernetes Ingress NGINX* provider serves unchanged ingress-nginx Ingresses under the controller
``k8s.io/ingress-nginx`` and class ``nginx``: those Ingresses dispatch to the ingress-nginx provider.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ing2gw.model import IngressPath, Notification, Outcome, PathMatch, Source
from ing2gw.provider import IngressTranslation, Provider, TranslateContext

# Importing the families registers their handlers.
from . import legacy, router, service  # noqa: E402,F401,I001
from ._common import PREFIX, PREFIX_MODE_KEY, REGISTRY, STRICT_KEYS
from .paths import traefik_path_match

__all__ = ["PREFIX", "PROVIDER", "REGISTRY", "TraefikProvider"]


ENTRYPOINT_KEY = re.compile(r"entryPoints\.[^.]+\.(address|http\.tls)\Z")  # what router.entrypoint_kind reads


class TraefikProvider(Provider):
    name = "traefik"
    title = "Traefik"
    controllers = ("traefik.io/ingress-controller",)
    class_names = ("traefik",)
    docs_url = "https://doc.traefik.io/traefik/reference/routing-configuration/kubernetes/ingress/"
    gateway_classes = ("traefik.io/gateway-controller",)
    notes = (
        "Paths: `Exact` is Traefik's `Path`, the same as Gateway API `Exact`. `Prefix` (and `ImplementationSpecific` "
        "with the default `router.pathmatcher`) is Traefik's `PathPrefix`, a character-wise prefix: `/p` also matches "
        "`/pq`. Prefixes that are `/` or end with `/` become `PathPrefix` (which, as the Ingress specification says, "
        "also matches the path without its last `/`, where Traefik did not); other prefixes become `PathPrefix` "
        "with a caveat that `/pq`-style paths no longer match. State Traefik's provider option in the "
        "`--controller-config` ConfigMap: `strictPrefixMatching: \"true\"` (also read as "
        "`providers.kubernetesIngress.strictPrefixMatching`) means segment-wise prefixes, so no caveat; "
        "`characterWisePrefix: regex` keeps the character-wise meaning as `RegularExpression ^/p.*` (support is "
        "implementation-specific). `router.pathmatcher: PathRegexp` becomes `RegularExpression` "
        "(`.*(?:RE).*` unless anchored: Traefik searches the path, unanchored). "
        "Listeners: `router.tls` (or any `router.tls.*` key) and `router.entrypoints` choose the HTTPS or HTTP "
        "listeners; `web` and `websecure` are known, other entryPoints are read from the ConfigMap "
        "(`entryPoints.NAME.http.tls`, `entryPoints.NAME.address`). HTTP-to-HTTPS redirects are entryPoint "
        "configuration in Traefik, not annotations: add them by hand. "
        "`service.*` keys are read from the Services in the input, as Traefik does; Traefik also speaks HTTPS to "
        "Service port 443 and ports named `https*`, which becomes a BackendTLSPolicy. "
        "`spec.defaultBackend` is used by Traefik only on an Ingress without rules. "
        "The provider option `ingressClass` is matched against both the legacy annotation and the IngressClass "
        "name. Traefik's *Kubernetes Ingress NGINX* provider (v3.5+) serves ingress-nginx Ingresses under "
        "`k8s.io/ingress-nginx` and class `nginx`; ing2gw dispatches those to the ingress-nginx provider. "
        "Traefik 1.7 annotations are listed too: Traefik 2 and later ignore them."
    )

    def path_match(self, path: IngressPath, translation: IngressTranslation, ctx: TranslateContext) -> PathMatch:
        return traefik_path_match(path, translation, ctx)

    def controller_config_outcomes(self, config: Mapping[str, str], source: Source) -> list[Notification] | None:
        """Traefik's static configuration is not an Ingress input: ing2gw reads the few settings that change
        how Ingresses route (prefix matching, which entryPoints have TLS); the rest are not carried."""
        out = []
        for key in sorted(config):
            src = source.at(field=f"data.{key}")
            if key in STRICT_KEYS or key == PREFIX_MODE_KEY:
                out.append(Notification(Outcome.TRANSLATED, key, "read: how Traefik matched path prefixes", src))
            elif ENTRYPOINT_KEY.match(key):
                out.append(Notification(Outcome.TRANSLATED, key, "read: which listener the entryPoint's routes "
                                        "attach to (HTTP or HTTPS)", src))
            else:
                out.append(Notification(
                    Outcome.UNSUPPORTED, key, "not read: a Traefik static configuration setting that ing2gw does not "
                    "carry (it reads strictPrefixMatching, characterWisePrefix and entryPoints.NAME.address / "
                    "entryPoints.NAME.http.tls)", src,
                    hint="Set what it did on the Gateway implementation, or drop it if it concerns Traefik alone."))
        return out

    # Its finalize works per Ingress, per namespace and class (listeners) and per Service used.
    partitioned = True

    def finalize(self, translations: list[IngressTranslation], ctx: TranslateContext) -> None:
        for tr in translations:
            _default_backend(tr)
        router.resolve_listeners(translations, ctx)
        service.apply_services(translations, ctx)


def _default_backend(tr: IngressTranslation) -> None:
    """Traefik reads spec.defaultBackend only on an Ingress without rules."""
    src = tr.default_backend_source
    if src is None or not tr.ingress.rules:
        return
    tr.default_backend = None
    tr.notifications.append(Notification(
        Outcome.NOT_ROUTING, src.field or "spec.defaultBackend",
        "Traefik uses spec.defaultBackend only on an Ingress without rules; this one has rules, so it had no effect",
        src, hint="To keep a fallback, add a / path to the hosts that need one."))


# Traefik decodes these annotations as labels, case-insensitively (router.pathMatcher = router.pathmatcher).
PROVIDER = TraefikProvider(REGISTRY)
