"""Traefik ``router.*`` annotations (on the Ingress): entry points, TLS, middlewares, matching, observability.

Listener choice is decided once every Ingress is known (:func:`resolve_listeners`, called from the provider's
``finalize``): a router that Traefik serves with TLS only goes to the HTTPS listeners of its hosts, but only
where the input has a certificate for the host; elsewhere it stays on every listener and the annotation says so.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Mapping

from ing2gw.model import Outcome
from ing2gw.provider import (
    AnnotationValueError,
    HandlerContext,
    IngressTranslation,
    TranslateContext,
    parse_int,
)

from ._common import PREFIX, REGISTRY, flag, keys_under, parse_ref, parse_refs
from .paths import MATCHERS

EP_HINT = ("Name the protocol of other entryPoints in the --controller-config ConfigMap: "
           "entryPoints.NAME.http.tls: \"true\" for TLS entryPoints, entryPoints.NAME.address: \":PORT\" for plain ones.")
MW_HINT = ("Without a Traefik target emitter, translate each Middleware by kind: stripPrefix/replacePath/addPrefix -> "
           "URLRewrite, redirectScheme/redirectRegex -> RequestRedirect, headers -> header modifiers or CORS, "
           "forwardAuth -> ExternalAuth, basicAuth/ipAllowList/rateLimit/... -> the implementation's policies.")
CERT_HINT = ("Use cert-manager: add spec.tls with a secretName to the Ingress (or the HTTPS listener) and annotate "
             "the Gateway with cert-manager.io/issuer or cluster-issuer.")
LOG_HINT = "Target emitters: Envoy Gateway telemetry access-log settings, or the implementation's own per-route switch."
TRACE_HINT = "Target emitters: NGINX Gateway Fabric ObservabilityPolicy.tracing, Envoy Gateway tracing settings."

# Traefik's Helm chart defines these entryPoints; websecure has TLS on.
DEFAULT_ENTRYPOINTS = {"web": "http", "http": "http", "websecure": "https", "https": "https"}


def entrypoint_kind(name: str, settings: Mapping[str, str]) -> str | None:
    """``http`` or ``https`` for an entryPoint, from the controller ConfigMap or Traefik's Helm defaults."""
    tls = settings.get(f"entryPoints.{name}.http.tls")
    if tls is not None:
        return "http" if tls.strip().lower() in ("false", "0") else "https"
    if f"entryPoints.{name}.address" in settings:
        return "http"
    return DEFAULT_ENTRYPOINTS.get(name)


@REGISTRY.handler("router.entrypoints", Outcome.TRANSLATED, gateway_api="CORE parentRefs.sectionName")
def entrypoints(hc: HandlerContext) -> None:
    """EntryPoints serving the router: the routes attach to the matching HTTP or HTTPS listeners only.

    What the controller does:
        Serves the Ingress's routers only on the named entryPoints (by default: on all of them).
    Gateway API equivalent:
        parentRefs with sectionName: ``web`` (plain HTTP) -> the HTTP listener of each host, ``websecure``
        (TLS) -> its HTTPS listener; both -> both. Other names are read from the --controller-config
        ConfigMap (``entryPoints.NAME.http.tls``, ``entryPoints.NAME.address``).
    Caveats:
        An HTTPS-only router whose host has no certificate in the input stays on the HTTP listener too
        (Gateway API needs a certificate for an HTTPS listener). Unknown entryPoints leave the routes on
        every listener. HTTP-to-HTTPS redirects are entryPoint configuration, not an annotation: add them
        by hand.
    Example:
        ``router.entrypoints: websecure`` -> parentRefs sectionName ``https-shop-example-com`` only.
    """
    names = [n.strip() for n in hc.value.split(",") if n.strip()]
    if not names:
        raise AnnotationValueError("expected a comma-separated list of entryPoint names")
    kinds: set[str] = set()
    unknown = []
    for n in names:
        kind = entrypoint_kind(n, hc.ctx.controller_config)
        if kind is None:
            unknown.append(n)
        else:
            kinds.add(kind)
    if unknown:
        hc.state(Outcome.CAVEAT, f"entryPoint(s) {', '.join(unknown)} unknown: their protocol is not known, so the "
                 "routes attach to every listener", hint=EP_HINT)
        return
    hc.translation.extra["traefik.entrypoints"] = frozenset(kinds)
    which = "HTTP and HTTPS" if len(kinds) == 2 else kinds.pop().upper()
    hc.state(Outcome.TRANSLATED, f"served on {', '.join(names)}: the routes attach to the {which} listeners")


@REGISTRY.handler("router.middlewares", Outcome.NEEDS_EMITTER, hint=MW_HINT,
                  gateway_api="IMPL ExtensionRef to traefik.io Middleware")
def middlewares(hc: HandlerContext) -> None:
    """Middleware chain of the router: a traefik-middleware requirement (ExtensionRef for a Traefik target).

    What the controller does:
        Runs the referenced Middleware objects, in order, on every request of the Ingress's routers
        (``<namespace>-<name>@kubernetescrd`` for Middleware CRDs, ``name@file`` and others for other providers).
    Gateway API equivalent:
        None in core. A Traefik target emitter references ``traefik.io`` Middlewares of the route's namespace
        with ExtensionRef filters; other targets need each Middleware translated by kind.
    Caveats:
        The Middleware objects are not part of the input: what they do (redirects, prefix stripping, auth)
        decides most of the real behaviour. ``<namespace>-<name>`` is split at the Ingress's own namespace;
        other references keep namespace and name unknown.
    Example:
        ``router.middlewares: shop-strip@kubernetescrd`` -> traefik-middleware
        ``[{namespace: shop, name: strip, provider: kubernetescrd}]``.
    """
    refs = parse_refs(hc.value, hc.ingress.namespace)
    elsewhere = [r.ref for r in refs if r.provider != "kubernetescrd" or r.namespace != hc.ingress.namespace]
    msg = f"Middlewares {', '.join(r.ref for r in refs)} are not applied by the emitted routes"
    if elsewhere:
        msg += (f"; {', '.join(elsewhere)} are not Middleware objects of namespace {hc.ingress.namespace}, which an "
                "ExtensionRef filter (a local reference) cannot name")
    hc.require("traefik-middleware", {"middlewares": [r.params() for r in refs], "level": "router", "service": None},
               message=msg, hint=MW_HINT)


@REGISTRY.handler("router.priority", Outcome.UNSUPPORTED, gateway_api="NONE")
def priority(hc: HandlerContext) -> None:
    """Router priority: Gateway API orders matches by its own fixed precedence, so it cannot be carried over.

    What the controller does:
        Overrides the router's priority (by default the length of its rule); the highest priority wins
        when several routers match a request.
    Gateway API equivalent:
        None: Exact before PathPrefix, longer prefixes first, then header and query conditions, then the
        oldest route.
    Caveats:
        Check whether the overlapping paths of this host still reach the same backend. ``0`` is Traefik's
        default (computed priority) and needs nothing.
    Example:
        ``router.priority: "42"`` -> reported; the Gateway API precedence applies.
    """
    n = parse_int(hc.value)
    if n == 0:
        hc.state(Outcome.NOT_ROUTING, "0 is Traefik's default (priority from the rule length): nothing to carry over")
        return
    hc.state(Outcome.UNSUPPORTED, f"priority {n} cannot be carried over: Gateway API orders matches by fixed "
             "precedence (Exact, then the longest prefix)",
             hint="Check that overlapping paths of this host still reach the intended backend.")


@REGISTRY.handler("router.rulesyntax", Outcome.NOT_ROUTING, gateway_api="NONE")
def rulesyntax(hc: HandlerContext) -> None:
    """Rule syntax (v2 or v3) Traefik uses to parse the rules it builds: meaningless after translation.

    What the controller does:
        Chooses the parser for the router rule Traefik generates from the Ingress (deprecated in v3).
    Gateway API equivalent:
        None needed: ing2gw reads the Ingress spec itself, not Traefik's rule text.
    Caveats:
        Under v2 a wildcard host matched exactly one label, as the Ingress specification says; the core's
        wildcard-host caveat applies.
    Example:
        ``router.rulesyntax: v2`` -> not carried over.
    """
    if hc.value.strip().lower() not in ("v2", "v3", "default"):
        raise AnnotationValueError('expected "v2" or "v3"')


@REGISTRY.handler("router.pathmatcher", Outcome.TRANSLATED, gateway_api="CORE~ Exact / PathPrefix / RegularExpression")
def pathmatcher(hc: HandlerContext) -> None:
    """Matcher for ImplementationSpecific paths: Path -> Exact, PathPrefix -> PathPrefix, PathRegexp -> regex.

    What the controller does:
        Chooses the rule Traefik builds for paths of pathType ImplementationSpecific (or without one):
        ``Path`` (exact), ``PathPrefix`` (default, a character-wise prefix) or ``PathRegexp`` (an unanchored Go
        regular expression).
    Gateway API equivalent:
        ``Path`` -> Exact; ``PathPrefix`` -> PathPrefix (see the provider notes on character-wise prefixes);
        ``PathRegexp`` -> RegularExpression, written so that it means the same under full-match and search
        semantics (``.*(?:RE).*`` unless anchored).
    Caveats:
        RegularExpression support and dialect are implementation-specific (Go RE2 in Traefik).
        Prefix and Exact paths are not affected.
    Example:
        ``router.pathmatcher: PathRegexp`` with path ``/api/v[0-9]+`` -> RegularExpression ``.*(?:/api/v[0-9]+).*``.
    """
    if hc.value not in MATCHERS:
        raise AnnotationValueError("expected Path, PathPrefix or PathRegexp (case-sensitive); Traefik rejects the "
                                   "Ingress's ImplementationSpecific paths, which were converted as PathPrefix")
    affected = [p for r in hc.ingress.rules for p in r.paths if p.path_type == "ImplementationSpecific" and p.path]
    if not affected:
        hc.state(Outcome.NOT_ROUTING, "no ImplementationSpecific path with a value on this Ingress: no effect")
        return
    if hc.value == "PathRegexp":
        hc.state(Outcome.CAVEAT, f"{len(affected)} ImplementationSpecific path(s) became RegularExpression matches, "
                 "whose support and dialect are implementation-specific (Traefik: Go RE2, unanchored)",
                 hint="Check that the Gateway implementation supports RE2 RegularExpression path matches.")
        return
    target = "Exact" if hc.value == "Path" else "PathPrefix"
    hc.state(Outcome.TRANSLATED, f"{len(affected)} ImplementationSpecific path(s) became {target} matches")


@REGISTRY.handler("router.tls", Outcome.TRANSLATED, gateway_api="CORE HTTPS listener only")
def router_tls(hc: HandlerContext) -> None:
    """Serves the router with TLS only: the routes attach to the HTTPS listeners of their hosts.

    What the controller does:
        ``"true"`` makes the routers TLS-only; without it (and any other ``router.tls.*`` key) spec.tls only
        loads certificates and the router answers on every entryPoint.
    Gateway API equivalent:
        parentRefs to the HTTPS listeners only (sectionName).
    Caveats:
        A host without a certificate in the input keeps its routes on the HTTP listener too: Gateway API
        needs a certificate for an HTTPS listener. Any ``router.tls.*`` key enables TLS the same way.
    Example:
        ``router.tls: "true"`` with spec.tls for shop.example.com -> parentRefs sectionName
        ``https-shop-example-com``.
    """
    if not flag(hc.value):
        if len(keys_under(hc.ingress.annotations, "router.tls")) > 1:
            hc.state(Outcome.TRANSLATED, "\"false\", but other router.tls.* keys still make the router TLS-only "
                     "(Traefik creates its TLS settings from them)")
            return
        hc.state(Outcome.NOT_ROUTING, "\"false\" is the default: the router is served on every entryPoint")


@REGISTRY.handler("router.tls.certresolver", Outcome.UNSUPPORTED, hint=CERT_HINT, gateway_api="NONE")
def certresolver(hc: HandlerContext) -> None:
    """ACME certificate resolver of the router: no Gateway API equivalent (use cert-manager).

    What the controller does:
        Obtains the router's certificate from a Traefik certificate resolver (Let's Encrypt), for the
        router's hosts or the ``router.tls.domains.*`` names, and makes the router TLS-only.
    Gateway API equivalent:
        None: Gateways take certificates from Secrets. cert-manager issues them for Gateway listeners.
    Caveats:
        Without spec.tls the HTTPS listener has no certificate, and the routes stay on the HTTP listener.
    Example:
        ``router.tls.certresolver: le`` -> reported; annotate the Gateway for cert-manager instead.
    """
    if not hc.value.strip():
        raise AnnotationValueError("expected the name of a certificate resolver")
    hc.state(Outcome.UNSUPPORTED, f"certificate resolver {hc.value.strip()!r} (Traefik ACME) has no Gateway API "
             "equivalent: certificates come from Secrets", hint=CERT_HINT)


def _domains(hc: HandlerContext) -> None:
    names = [n.strip() for n in hc.value.split(",") if n.strip()]
    if not names:
        raise AnnotationValueError("expected one or more domain names")
    hc.state(Outcome.NOT_ROUTING, f"ACME certificate name(s) {', '.join(names)}: they only choose what Traefik's "
             "resolver requests, not what is routed",
             hint="With cert-manager, list these names in spec.tls hosts or the listener hostnames.")


@REGISTRY.handler("router.tls.domains.<n>.main", Outcome.NOT_ROUTING, gateway_api="CORE~ listener hostname")
def domains_main(hc: HandlerContext) -> None:
    """Main domain of the n-th ACME certificate of the router: certificate provisioning, not routing.

    What the controller does:
        Names the main domain of a certificate the router's certificate resolver requests.
    Gateway API equivalent:
        None needed for routing; with cert-manager, certificate names follow the HTTPS listener hostnames.
    Caveats:
        Also makes the router TLS-only, as every ``router.tls.*`` key does (see ``router.tls``).
    Example:
        ``router.tls.domains.0.main: example.com`` -> not carried over.
    """
    _domains(hc)


@REGISTRY.handler("router.tls.domains.<n>.sans", Outcome.NOT_ROUTING, gateway_api="CORE~ listener hostname")
def domains_sans(hc: HandlerContext) -> None:
    """Extra names of the n-th ACME certificate of the router: certificate provisioning, not routing.

    What the controller does:
        Lists subject alternative names of a certificate the router's certificate resolver requests.
    Gateway API equivalent:
        None needed for routing; with cert-manager, certificate names follow the HTTPS listener hostnames.
    Caveats:
        Also makes the router TLS-only, as every ``router.tls.*`` key does (see ``router.tls``).
    Example:
        ``router.tls.domains.0.sans: www.example.com,api.example.com`` -> not carried over.
    """
    _domains(hc)


@REGISTRY.handler("router.tls.options", Outcome.NEEDS_EMITTER, gateway_api="IMPL listener tls.options")
def tls_options(hc: HandlerContext) -> None:
    """TLSOption of the router (versions, ciphers, client auth, SNI): a traefik-tls-options requirement.

    What the controller does:
        Applies a TLSOption (``<namespace>-<name>@kubernetescrd`` or from another provider) to the TLS
        connections of the router's hosts.
    Gateway API equivalent:
        None in core for versions and ciphers (listener ``tls.options`` are implementation keys); client
        certificate validation is Gateway ``spec.tls.frontend`` (v1.5+), set by hand from the TLSOption.
    Caveats:
        The TLSOption object is not part of the input. Also makes the router TLS-only (see ``router.tls``).
    Example:
        ``router.tls.options: shop-modern@kubernetescrd`` -> traefik-tls-options for the Ingress's hosts.
    """
    ref = parse_ref(hc.value, hc.ingress.namespace)
    hosts = sorted(h for h in hc.translation.hosts if h)
    hc.require("traefik-tls-options", {**ref.params(), "hosts": hosts}, target="gateway",
               message=f"TLSOption {ref.ref} is not applied to the HTTPS listeners of {', '.join(hosts) or 'any host'}",
               hint="Carry its client authentication over to Gateway spec.tls.frontend, and its versions and "
               "ciphers to the implementation's TLS policy.")


@REGISTRY.handler("router.observability.accesslogs", Outcome.NEEDS_EMITTER, hint=LOG_HINT, gateway_api="IMPL")
def accesslogs(hc: HandlerContext) -> None:
    """Access logs of the router on or off: "false" becomes an access-log requirement.

    What the controller does:
        ``"false"`` stops access logs for the router's requests (when access logs are on globally).
    Gateway API equivalent:
        None in core; implementations configure access logs in their own APIs.
    Caveats:
        ``"true"`` is the default and needs nothing.
    Example:
        ``router.observability.accesslogs: "false"`` -> access-log ``enabled: false``.
    """
    if flag(hc.value):
        hc.state(Outcome.TRANSLATED, "\"true\" is the default (requests are logged): nothing to carry over")
        return
    hc.require("access-log", {"enabled": False}, message="requests of this Ingress are not access-logged",
               hint=LOG_HINT)


@REGISTRY.handler("router.observability.tracing", Outcome.NEEDS_EMITTER, hint=TRACE_HINT, gateway_api="IMPL")
def tracing(hc: HandlerContext) -> None:
    """Tracing of the router on or off: "false" becomes a tracing requirement.

    What the controller does:
        ``"false"`` stops traces for the router's requests (when tracing is on globally).
    Gateway API equivalent:
        None in core; NGINX Gateway Fabric ObservabilityPolicy, Envoy Gateway tracing settings.
    Caveats:
        ``"true"`` is the default and needs nothing.
    Example:
        ``router.observability.tracing: "false"`` -> tracing ``enabled: false``.
    """
    if flag(hc.value):
        hc.state(Outcome.TRANSLATED, "\"true\" is the default (requests are traced): nothing to carry over")
        return
    hc.require("tracing", {"enabled": False, "trust_incoming_span": None, "operation_name": None},
               message="requests of this Ingress are not traced", hint=TRACE_HINT)


@REGISTRY.handler("router.observability.metrics", Outcome.NOT_ROUTING, gateway_api="NONE")
def metrics(hc: HandlerContext) -> None:
    """Metrics of the router on or off: no per-route metrics switch in Gateway API; routing is unaffected.

    What the controller does:
        ``"false"`` leaves the router out of Traefik's metrics.
    Gateway API equivalent:
        None; metrics are configured on the Gateway implementation.
    Caveats:
        Traffic is unaffected.
    Example:
        ``router.observability.metrics: "false"`` -> not carried over.
    """
    flag(hc.value)


@REGISTRY.handler("router.observability.traceVerbosity", Outcome.UNSUPPORTED, gateway_api="NONE")
def trace_verbosity(hc: HandlerContext) -> None:
    """Trace detail (minimal or detailed): Traefik-only; "minimal" is the default.

    What the controller does:
        ``detailed`` adds spans for every middleware and internal step of the router.
    Gateway API equivalent:
        None.
    Caveats:
        Traffic is unaffected; only trace detail is lost.
    Example:
        ``router.observability.traceVerbosity: detailed`` -> reported.
    """
    v = hc.value.strip().lower()
    if v not in ("minimal", "detailed"):
        raise AnnotationValueError('expected "minimal" or "detailed"')
    if v == "minimal":
        hc.state(Outcome.TRANSLATED, "\"minimal\" is the default: nothing to carry over")


# --------------------------------------------------------------------------------------------------
# Listener choice, across Ingresses
# --------------------------------------------------------------------------------------------------


def _covers(tls_host: str, host: str) -> bool:
    if tls_host == host:
        return True
    if tls_host.startswith("*.") and not host.startswith("*."):
        return host.partition(".")[2] == tls_host[2:]
    return False


def tls_enabled(annotations: Mapping[str, str]) -> list[str]:
    """The keys that make the router TLS-only (empty when it is not)."""
    keys = keys_under(annotations, "router.tls")
    on = []
    for k in keys:
        if k.lower() == (PREFIX + "router.tls").lower():
            try:
                if flag(annotations[k]):
                    on.append(k)
            except AnnotationValueError:
                pass
        else:
            on.append(k)
    return on


def resolve_listeners(translations: list[IngressTranslation], ctx: TranslateContext) -> None:
    """Attach TLS-only and single-entryPoint routers to the matching listeners (see the module doc)."""
    # Certificates count where the core puts them: on the Gateway of the same namespace and class.
    certs: dict[tuple[str, str | None], set[str]] = defaultdict(set)
    any_host: set[tuple[str, str | None]] = set()
    for tr in translations:
        gw = (tr.ingress.namespace, tr.class_name)
        for t in tr.tls:
            if t.secret_name:
                if t.hosts:
                    certs[gw].update(t.hosts)
                else:
                    any_host.add(gw)
    for tr in translations:
        annotations = tr.ingress.annotations
        tls_keys = tls_enabled(annotations)
        eps = tr.extra.get("traefik.entrypoints")
        if tls_keys:
            want = "https"
        elif eps in (frozenset({"http"}), frozenset({"https"})):
            want = next(iter(eps))
        else:
            continue
        gw = (tr.ingress.namespace, tr.class_name)
        uncovered: list[str] = []
        for r in tr.routes:
            if want == "http":
                r.listener = "http"
            elif gw in any_host or (r.host is not None and any(_covers(c, r.host) for c in certs[gw])):
                r.listener = "https"
            else:
                uncovered.append(r.host or "(any host)")
        if uncovered:
            key = next((k for k in tls_keys if k.lower() == (PREFIX + "router.tls").lower()), None)
            key = key or (tls_keys[0] if tls_keys else ann_key(annotations, "router.entrypoints"))
            _caveat(tr, key, f"Traefik served {', '.join(sorted(set(uncovered)))} with TLS only, but the input has no "
                    "certificate for it: without an HTTPS listener its routes stay on the HTTP listener too",
                    "Add spec.tls with a secretName for these hosts (cert-manager can issue it), then convert again.")


def ann_key(annotations: Mapping[str, str], name: str) -> str | None:
    full = (PREFIX + name).lower()
    return next((k for k in annotations if k.lower() == full), None)


def _caveat(tr: IngressTranslation, key: str | None, message: str, hint: str) -> None:
    """Turn the stated outcome of ``key`` into a caveat (or add the message to a stronger outcome)."""
    for i, n in enumerate(tr.notifications):
        if n.subject != key:
            continue
        if n.outcome in (Outcome.TRANSLATED, Outcome.NOT_ROUTING):
            tr.notifications[i] = dataclasses.replace(n, outcome=Outcome.CAVEAT, message=message, hint=hint)
        elif n.outcome is not Outcome.ERROR:
            tr.notifications[i] = dataclasses.replace(n, message=f"{n.message}; {message}")
        return
