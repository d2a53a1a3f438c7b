"""The provider plugin API: how a controller's Ingress semantics and annotations enter the model.

A provider is one object (usually a :class:`Provider` instance) exposed through the entry-point group
``ing2gw.providers``. It declares which controllers it serves and owns a :class:`HandlerRegistry`: one
:class:`AnnotationHandler` per annotation key, each with its outcome, a one-line doc and the Gateway API
features it needs. The pipeline is:

1. the core builds an :class:`IngressTranslation` from the Ingress spec alone (hosts, paths, backends,
   TLS, defaultBackend), asking :meth:`Provider.path_match` how to read each path;
2. :meth:`Provider.translate` runs the handler of every annotation of that Ingress, in registry order;
   a handler changes only its own Ingress's translation and states its outcome;
3. :meth:`Provider.finalize` sees all translations of the provider at once, for semantics that span
   Ingresses (host-wide regex mode, canary pairing);
4. the core merges, orders and splits everything into Gateway API records.

Nothing here imports a provider: providers import this module.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from ing2gw.model import (
    BackendRef,
    BackendTLSPolicy,
    ConfigMap,
    Filter,
    Ingress,
    IngressClass,
    IngressPath,
    IngressTLS,
    Notification,
    Outcome,
    PathMatch,
    Requirement,
    Retry,
    RouteMatch,
    Service,
    SessionPersistence,
    Source,
    Timeouts,
)

if TYPE_CHECKING:
    from ing2gw.core.versions import Capabilities


class AnnotationValueError(ValueError):
    """An annotation value that does not parse. The message is shown to the user as is."""


# --------------------------------------------------------------------------------------------------
# What a provider builds for one Ingress
# --------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class PathRoute:
    """One Ingress path (or a rule a provider adds) on its way to becoming an HTTPRoute rule.

    Mutable while the provider's handlers run; the core turns it into an immutable ``RouteRule``.
    ``listener`` says which listeners the rule serves: ``any``, only plain ``http`` (for example a
    redirect to HTTPS) or only ``https``. ``redirect_http`` set to a status code makes the plain-HTTP
    copy of this path a redirect to HTTPS.
    """

    host: str | None
    match: RouteMatch
    backends: list[BackendRef]
    source: Source
    ingress: Ingress
    path: IngressPath | None = None
    filters: list[Filter] = field(default_factory=list)
    timeouts: Timeouts | None = None
    retry: Retry | None = None
    session_persistence: SessionPersistence | None = None
    requirements: list[Requirement] = field(default_factory=list)
    listener: Literal["any", "http", "https"] = "any"
    redirect_http: int | None = None
    protocol: Literal["HTTP", "GRPC"] = "HTTP"
    # Synthetic rules (defaultBackend fallbacks, app-root redirects) lose to real paths in conflicts.
    synthetic: bool = False
    # Paths with different ``group`` values never share one HTTPRoute rule, so their order in the route
    # is kept (Gateway API breaks precedence ties by rule order; canary header rules rely on it).
    group: str | None = None


@dataclass(slots=True)
class IngressTranslation:
    """Everything one Ingress contributes, before the core merges Ingresses."""

    ingress: Ingress
    provider: str
    routes: list[PathRoute] = field(default_factory=list)
    default_backend: BackendRef | None = None
    default_backend_source: Source | None = None
    tls: list[IngressTLS] = field(default_factory=list)
    notifications: list[Notification] = field(default_factory=list)
    requirements: list[Requirement] = field(default_factory=list)
    backend_tls_policies: list[BackendTLSPolicy] = field(default_factory=list)
    # Hosts served as TLS passthrough (TLSRoute) instead of HTTP routes.
    passthrough: bool = False
    # Extra hostnames that serve the same routes (server aliases).
    aliases: list[str] = field(default_factory=list)
    # Free-form state for a provider's finalize step (for example canary settings).
    extra: dict[str, Any] = field(default_factory=dict)
    # Set by finalize when this Ingress produces no routes of its own (a folded canary, say).
    folded_into: Ingress | None = None
    # The Ingress's resolved class and its IngressClass object (with ``parameters``) when the input has one.
    class_name: str | None = None
    ingress_class: IngressClass | None = None

    @property
    def hosts(self) -> list[str | None]:
        seen: dict[str | None, None] = {}
        for r in self.routes:
            seen.setdefault(r.host, None)
        # A rule whose paths were all skipped (bad backend, bad path) still made its host exist in the
        # controller, with the Ingress's host-level settings.
        for rule in self.ingress.rules:
            seen.setdefault(rule.host, None)
        return list(seen)


# --------------------------------------------------------------------------------------------------
# Annotation handlers
# --------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class HandlerContext:
    """What a handler sees: its Ingress, its translation, the conversion context, and a way to report."""

    key: str
    value: str
    translation: IngressTranslation
    ctx: TranslateContext
    handler: AnnotationHandler
    stated: bool = False
    _source: Source | None = None

    @property
    def ingress(self) -> Ingress:
        return self.translation.ingress

    @property
    def source(self) -> Source:
        if self._source is None:  # built once: handlers ask for it per rule
            self._source = self.ingress.source.at(annotation=self.key)
        return self._source

    def annotation(self, name: str, default: str | None = None) -> str | None:
        """Another annotation of the same provider, by its short name or full key."""
        prefix = self.handler.prefix
        full = name if "/" in name else prefix + name
        return self.ingress.annotations.get(full, default)

    def state(
        self,
        outcome: Outcome | None = None,
        message: str | None = None,
        *,
        hint: str | None = None,
        features: Iterable[str] | None = None,
        emitted: Iterable[str] = (),
        requirement: Requirement | None = None,
    ) -> None:
        """State this annotation's outcome. Call it once; the handler's declared outcome is the default."""
        if self.stated:
            raise RuntimeError(f"outcome of {self.key} stated twice")
        self.stated = True
        outcome = outcome or self.handler.outcome
        feats = tuple(features) if features is not None else self.handler.features
        self.translation.notifications.append(
            Notification(
                outcome=outcome,
                subject=self.key,
                message=message or self.handler.doc,
                source=self.source,
                hint=hint if hint is not None else self.handler.hint,
                features=feats,
                emitted=tuple(emitted),
                requirement=requirement.id if requirement else None,
            )
        )

    def rule_routes(self) -> list[PathRoute]:
        """The rules a ``rule``-level requirement of this annotation attaches to: every rule of the Ingress."""
        return self.translation.routes

    def require(
        self,
        feature: str,
        params: Mapping[str, Any],
        *,
        target: Literal["rule", "route", "gateway", "service"] = "rule",
        message: str | None = None,
        hint: str | None = None,
    ) -> Requirement:
        """Record a setting for target emitters and state NEEDS_EMITTER for this annotation."""
        req = Requirement(
            feature=feature, params=dict(params), source=self.source, target=target, id=self.ctx.next_id(feature)
        )
        if target == "rule":
            for r in self.rule_routes():
                r.requirements.append(req)
        else:
            self.translation.requirements.append(req)
        self.state(Outcome.NEEDS_EMITTER, message, hint=hint, requirement=req)
        return req


HandlerFn = Callable[[HandlerContext], None]


@dataclass(frozen=True, slots=True)
class AnnotationHandler:
    """One annotation a provider understands.

    ``outcome`` is what the handler states when the annotation is applied as intended (a handler may
    state a different one for particular values, for example UNSUPPORTED for an impossible code).
    ``doc`` is one line; ``details`` holds the longer text ``ing2gw explain`` prints, in the sections
    *What the controller does*, *Gateway API equivalent*, *Caveats*, *Example*.
    """

    key: str
    prefix: str
    outcome: Outcome
    doc: str
    apply: HandlerFn | None = None
    features: tuple[str, ...] = ()
    hint: str | None = None
    details: str = ""
    aliases: tuple[str, ...] = ()
    order: int = 100
    family: str = ""
    # The Gateway API mapping class from the reference notes (CORE, EXPERIMENTAL, IMPL, NONE; ``~`` when
    # lossy), optionally followed by the construct, e.g. ``CORE URLRewrite ReplacePrefixMatch``.
    gateway_api: str = ""

    @property
    def name(self) -> str:
        return self.key[len(self.prefix) :] if self.key.startswith(self.prefix) else self.key


class HandlerRegistry:
    """The annotations of one provider, keyed by full annotation key (aliases included)."""

    def __init__(self, prefix: str, *, extra_prefixes: Iterable[str] = ()) -> None:
        self.prefix = prefix
        self.prefixes = (prefix, *extra_prefixes)
        self._handlers: dict[str, AnnotationHandler] = {}
        self._keys: dict[str, AnnotationHandler] = {}

    def add(self, handler: AnnotationHandler) -> AnnotationHandler:
        for k in (handler.key, *handler.aliases):
            if k in self._keys:
                raise ValueError(f"annotation {k} registered twice")
            self._keys[k] = handler
        self._handlers[handler.key] = handler
        return handler

    def handler(
        self,
        name: str,
        outcome: Outcome,
        *,
        features: Iterable[str] = (),
        hint: str | None = None,
        aliases: Iterable[str] = (),
        order: int = 100,
        family: str = "",
        gateway_api: str = "",
    ) -> Callable[[HandlerFn], HandlerFn]:
        """Decorator: register ``fn`` as the handler of ``prefix + name``. Its docstring is the doc.

        A ``name`` with a ``/`` is a full key under another prefix of the controller (``nginx.com/jwt-key``).
        """

        def deco(fn: HandlerFn) -> HandlerFn:
            doc = (fn.__doc__ or "").strip()
            first, _, rest = doc.partition("\n")
            key, prefix = self._full(name)
            self.add(
                AnnotationHandler(
                    key=key,
                    prefix=prefix,
                    outcome=outcome,
                    doc=first.strip(),
                    apply=fn,
                    features=tuple(features),
                    hint=hint,
                    details=_dedent(rest),
                    aliases=tuple(self.prefix + a for a in aliases),
                    order=order,
                    family=family or fn.__module__.rsplit(".", 1)[-1],
                    gateway_api=gateway_api,
                )
            )
            return fn

        return deco

    def declare(
        self,
        name: str,
        outcome: Outcome,
        doc: str,
        *,
        hint: str | None = None,
        features: Iterable[str] = (),
        aliases: Iterable[str] = (),
        family: str = "",
        details: str = "",
        gateway_api: str = "",
    ) -> AnnotationHandler:
        """Register an annotation that only states an outcome (no change to the model)."""
        key, prefix = self._full(name)
        return self.add(
            AnnotationHandler(
                key=key,
                prefix=prefix,
                outcome=outcome,
                doc=doc,
                features=tuple(features),
                hint=hint,
                aliases=tuple(self.prefix + a for a in aliases),
                family=family,
                details=details,
                gateway_api=gateway_api,
            )
        )

    def _full(self, name: str) -> tuple[str, str]:
        """``(key, prefix)`` of a handler name: short names get the main prefix; full keys keep their own."""
        if "/" not in name:
            return self.prefix + name, self.prefix
        own = next((p for p in self.prefixes if p and name.startswith(p)), "")
        return name, own

    def get(self, key: str) -> AnnotationHandler | None:
        return self._keys.get(key)

    def owns(self, key: str) -> bool:
        """True when the key carries one of this provider's prefixes."""
        return key.startswith(self.prefixes)

    def __iter__(self) -> Iterator[AnnotationHandler]:
        return iter(sorted(self._handlers.values(), key=lambda h: h.key))

    def __len__(self) -> int:
        return len(self._handlers)

    def keys(self) -> list[str]:
        """Every key the registry answers for, aliases included."""
        return sorted(self._keys)


def _dedent(text: str) -> str:
    lines = text.splitlines()
    indents = [len(x) - len(x.lstrip()) for x in lines if x.strip()]
    cut = min(indents) if indents else 0
    return "\n".join(x[cut:] for x in lines).strip()


# --------------------------------------------------------------------------------------------------
# The context a provider works in
# --------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class TranslateContext:
    """Read-only inputs of the conversion plus an id counter; shared by the core and all providers."""

    services: Mapping[tuple[str, str], Service]
    config_maps: Mapping[tuple[str, str], ConfigMap]
    capabilities: Capabilities
    controller_config: Mapping[str, str] = field(default_factory=dict)
    # True when a controller ConfigMap was given (an empty one means: all controller defaults).
    controller_config_given: bool = False
    services_known: bool = False
    _ids: dict[tuple[str, ...], int] = field(default_factory=dict)
    # The Ingress being translated (set by the pipeline): what a requirement id is numbered within.
    current: Source | None = None

    def next_id(self, prefix: str, source: Source | None = None) -> str:
        """A requirement id unique in the conversion, numbered within the object it comes from (``source``,
        else the Ingress being translated): the same whatever other objects are converted with it, so also
        when a conversion is split (see ``Provider.takes_part``). Outside translation, name ``source``."""
        src = source or self.current
        key = (prefix,) if src is None else (prefix, src.kind, src.namespace or "", src.name)
        n = self._ids.get(key, 0) + 1
        self._ids[key] = n
        return f"{prefix}-{n}" if src is None else f"{prefix}:{'/'.join(key[1:])}:{n}"

    def service(self, namespace: str, name: str) -> Service | None:
        return self.services.get((namespace, name))


# --------------------------------------------------------------------------------------------------
# The provider
# --------------------------------------------------------------------------------------------------


class Provider:
    """Base class of every provider. Override the hooks; keep the defaults where the Ingress spec rules.

    Attributes a provider sets: ``name`` (stable id, e.g. ``ingress-nginx``), ``title``,
    ``controllers`` (IngressClass ``spec.controller`` values), ``class_names`` (well-known class names
    used when no IngressClass object is available), ``registry`` (its annotations) and ``docs_url``.
    ``translated`` is False for catalogue-only providers: their known annotations are named as unhandled.
    """

    name: str = ""
    title: str = ""
    controllers: tuple[str, ...] = ()
    class_names: tuple[str, ...] = ()
    docs_url: str = ""
    gateway_controller: str | None = None

    def __init__(self, registry: HandlerRegistry | None = None) -> None:
        self.registry = registry if registry is not None else HandlerRegistry(prefix="")

    # --- hooks -------------------------------------------------------------------------------------

    def path_match(self, path: IngressPath, translation: IngressTranslation, ctx: TranslateContext) -> PathMatch:
        """How this controller reads a path. Default: the Ingress specification, with
        ``ImplementationSpecific`` read as ``Prefix`` (stated as a caveat by the core)."""
        from ing2gw.core.paths import spec_path_match

        return spec_path_match(path)

    def translate(self, translation: IngressTranslation, ctx: TranslateContext) -> None:
        """Apply this provider's annotations to one Ingress's translation, in registry order."""
        run_handlers(self, translation, ctx)

    def finalize(self, translations: list[IngressTranslation], ctx: TranslateContext) -> None:
        """Cross-Ingress semantics, with every translation of this provider (oldest Ingress first)."""

    # --- partitioned conversions -------------------------------------------------------------------
    # A large input is converted by several processes, each taking the Ingresses of some namespaces: those
    # that share a host (or anything else a controller relates Ingresses by) are always in one part.
    # ``finalize`` then sees the translations of one part. A provider that keeps ``finalize`` as it is here
    # (nothing), or sets ``partitioned`` after checking that its finalize relates Ingresses only through the
    # hosts they serve, their namespace and the Services they use, takes part; with any other in the
    # conversion, it is converted whole by one process. What finalize says of the whole conversion (a
    # controller setting stated once, a count over every route) goes in ``finalize_whole``, which learns
    # about the other parts from their ``summary``. Output is the same whichever way it was converted.

    partitioned: bool = False

    def takes_part(self) -> bool:
        """Whether a conversion with this provider's Ingresses may be partitioned (see above)."""
        return self.partitioned or type(self).finalize is Provider.finalize

    def related_hosts(self, ingress: Ingress) -> Iterable[str]:
        """Host names besides those of its rules and TLS entries through which this controller relates an
        Ingress to others (aliases, redirect counterparts), read before translation to keep them in one
        part. A name missed here costs only speed: the parts are checked after translation."""
        return ()

    def summary(self, translations: list[IngressTranslation], ctx: TranslateContext) -> object:
        """After ``finalize``, what ``finalize_whole`` needs to know of this part (picklable), or None."""
        return None

    def finalize_whole(self, translations: list[IngressTranslation], ctx: TranslateContext,
                       summaries: Sequence[object]) -> None:
        """Statements about the whole conversion, made after ``finalize`` in each part with the ``summary``
        of every part that has this provider's Ingresses (its own among them; one part: the whole)."""

    def found_controller_config(self, config_maps: Iterable[ConfigMap]) -> ConfigMap | None:
        """The controller ConfigMap this provider reads when ``--controller-config`` is not given (one with a
        well-known name in the input), or None (the default: it reads none unless told)."""
        return None

    def controller_config_outcomes(self, config: Mapping[str, str], source: Source) -> list[Notification] | None:
        """The outcome of each key of the ``--controller-config`` ConfigMap (``source``: the ConfigMap), or
        None when this provider reads no controller ConfigMap (the default). A provider that states every key
        itself (in ``finalize``) returns []. When no provider of a conversion reads it, the pipeline states
        every key as not read."""
        return None

    # --- facts -------------------------------------------------------------------------------------

    @property
    def known_keys(self) -> list[str]:
        return self.registry.keys()

    def coverage(self) -> dict[str, int]:
        """Counts of registered annotations per declared outcome."""
        counts: dict[str, int] = {}
        for h in self.registry:
            counts[h.outcome.value] = counts.get(h.outcome.value, 0) + 1
        return counts


# Annotations that never influence routing; stated as NOT_ROUTING for every provider.
NOT_ROUTING_PREFIXES: tuple[str, ...] = (
    "kubectl.kubernetes.io/",
    "meta.helm.sh/",
    "helm.sh/",
    "argocd.argoproj.io/",
    "fluxcd.io/",
    "kustomize.toolkit.fluxcd.io/",
    "deployment.kubernetes.io/",
    "field.cattle.io/",
    "app.kubernetes.io/",
)

# Annotations of other tools that act on Ingresses, with what to do for Gateway API instead.
COMPANION_ANNOTATIONS: dict[str, str] = {
    "cert-manager.io/": "cert-manager: put the same annotation on the generated Gateway "
    "(cert-manager's Gateway API support issues certificates for its HTTPS listeners).",
    "acme.cert-manager.io/": "cert-manager: configure the HTTP-01 solver for Gateway API (gatewayHTTPRoute).",
    "external-dns.alpha.kubernetes.io/": "external-dns: enable its gateway-httproute source; "
    "the hostnames of the generated HTTPRoutes are published from there.",
}


def run_handlers(provider: Provider, translation: IngressTranslation, ctx: TranslateContext) -> None:
    """Give every annotation of the Ingress exactly one outcome, running the provider's handlers."""
    registry = provider.registry
    todo: list[tuple[int, str, AnnotationHandler]] = []
    for key in translation.ingress.annotations:
        h = registry.get(key)
        if h is not None:
            todo.append((h.order, key, h))
    todo.sort(key=lambda t: (t[0], t[1]))
    for _, key, h in todo:
        value = translation.ingress.annotations[key]
        apply_handler(HandlerContext(key=key, value=value, translation=translation, ctx=ctx, handler=h))


def apply_handler(hc: HandlerContext) -> None:
    """Run one handler; its annotation ends with exactly one outcome (ERROR when the value does not parse)."""
    h = hc.handler
    if h.apply is not None:
        try:
            h.apply(hc)
        except AnnotationValueError as exc:
            if not hc.stated:
                hc.stated = True
                hc.translation.notifications.append(
                    Notification(
                        outcome=Outcome.ERROR,
                        subject=hc.key,
                        message=f"invalid value {hc.value!r}: {exc}",
                        source=hc.source,
                        hint="The annotation was skipped; the rest of the Ingress was converted.",
                    )
                )
            return
    if not hc.stated:
        hc.state()


_SIZE = re.compile(r"^([0-9]+)([kKmMgG]?)$")


def parse_nginx_size(value: str, *, giga: bool = True) -> int:
    """nginx size syntax (``1m``, ``512k``, ``8192``) in bytes: whole ASCII digits with an optional k, m or g
    suffix (``giga=False`` for controllers that refuse ``g``)."""
    m = _SIZE.match(value.strip())
    if not m or (not giga and m.group(2) in ("g", "G")):
        suffixes = "k, m or g" if giga else "k or m"
        raise AnnotationValueError(f"expected an nginx size: a whole number with an optional {suffixes} suffix "
                                   "(for example 1m, 512k or 8192)")
    return int(m.group(1)) * {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[m.group(2).lower()]


_TIME_PART = re.compile(r"(\d+)(ms|y|M|w|d|h|m|s)?")
_TIME_UNITS = {"ms": 0.001, "s": 1, "": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, "M": 2592000,
               "y": 31536000}


def parse_nginx_time(value: str) -> float:
    """nginx time syntax (``60``, ``60s``, ``1m30s``, ``500ms``, ``1h``) in seconds."""
    v = value.strip()
    if not v:
        raise AnnotationValueError("expected an nginx time such as 60s, 1m or 500ms")
    pos, total = 0, 0.0
    text = v.replace(" ", "")
    while pos < len(text):
        m = _TIME_PART.match(text, pos)
        if not m or m.end() == pos:
            raise AnnotationValueError("expected an nginx time such as 60s, 1m or 500ms")
        total += int(m.group(1)) * _TIME_UNITS[m.group(2) or ""]
        pos = m.end()
    return total


def gateway_duration(seconds: float) -> str:
    """Seconds as a Gateway API Duration (GEP-2257: up to four ``<1-5 digits><h|m|s|ms>`` parts)."""
    ms = round(seconds * 1000)
    if ms == 0:
        return "0s"
    parts: list[str] = []
    for unit, size in (("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1)):
        n, ms = divmod(ms, size)
        if n:
            parts.append(f"{n}{unit}")
    return "".join(parts)


def human_size(n: int) -> str:
    """Bytes for messages: ``8 MiB``, ``512 KiB``, ``100 bytes``."""
    for unit, size in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if n >= size and n % size == 0:
            return f"{n // size} {unit}"
    return f"{n} bytes"


_DIRECTIVE = re.compile(r"(?:^|[;{}])\s*([A-Za-z_][A-Za-z0-9_]*)")


def nginx_directives(text: str) -> list[str]:
    """The nginx directive names a snippet uses, in order, once each (names only: never echo snippet text)."""
    seen: dict[str, None] = {}
    for line in text.splitlines():
        for m in _DIRECTIVE.finditer(line.split("#", 1)[0]):
            seen.setdefault(m.group(1), None)
    return list(seen)


def parse_bool(value: str) -> bool:
    v = value.strip().lower()
    if v in ("true", "on", "yes", "1"):
        return True
    if v in ("false", "off", "no", "0"):
        return False
    raise AnnotationValueError('expected "true" or "false"')


def parse_int(value: str, lo: int | None = None, hi: int | None = None) -> int:
    try:
        n = int(value.strip())
    except ValueError:
        raise AnnotationValueError("expected a whole number") from None
    if (lo is not None and n < lo) or (hi is not None and n > hi):
        raise AnnotationValueError(f"expected a number from {lo} to {hi}")
    return n
