"""Traefik ``service.*`` annotations: read from the **Service** a path points at, as Traefik does.

:func:`apply_services` (the provider's ``finalize``) runs these handlers once per Service that Traefik Ingresses
send traffic to, with a :class:`ServiceContext`: outcomes point at the Service's annotation, and what they
change (backend TLS, host rewrite, session persistence, requirements) applies to every rule that sends traffic
to that Service. On an Ingress the same keys have no effect, and are reported so.

Traefik also speaks HTTPS, without any annotation, to Service port 443 and to ports whose name starts with
``https``; that becomes a BackendTLSPolicy too.
"""

from __future__ import annotations

import contextlib
from typing import Any

from ing2gw.core.merge import backend_tls_policy_name
from ing2gw.model import (
    BackendTLSPolicy,
    Notification,
    Outcome,
    Requirement,
    Service,
    SessionPersistence,
    URLRewrite,
)
from ing2gw.provider import (
    AnnotationValueError,
    HandlerContext,
    IngressTranslation,
    PathRoute,
    TranslateContext,
    apply_handler,
    parse_int,
)

from ._common import (
    PREFIX,
    REGISTRY,
    ServiceContext,
    ann,
    flag,
    keys_under,
    on_service,
    parse_ref,
    parse_refs,
)
from .router import MW_HINT

TLS_HINT = ("BackendTLSPolicy always verifies the backend certificate (here: against the system CAs for "
            "NAME.NAMESPACE.svc); point caCertificateRefs at your CA, or use an implementation policy where the "
            "backend certificate cannot be verified.")
STICKY_HINT = "Use --channel experimental for sessionPersistence, or a target emitter for the session-affinity policy."


def _policy(sc: ServiceContext, section: str | None) -> BackendTLSPolicy:
    svc = sc.service
    assert svc is not None
    return _backend_tls(sc.translation, svc, section, sc.source)


def _backend_tls(tr: IngressTranslation, svc: Service | tuple[str, str], section: str | None,
                 source: Any) -> BackendTLSPolicy:
    ns, svc_name = (svc.namespace, svc.name) if isinstance(svc, Service) else svc
    name = backend_tls_policy_name(f"{svc_name}-{section}" if section else svc_name)
    pol = BackendTLSPolicy(namespace=ns, name=name, service=svc_name, hostname=f"{svc_name}.{ns}.svc",
                           sources=(source,), well_known_ca="System", section_name=section)
    tr.backend_tls_policies.append(pol)
    return pol


@REGISTRY.handler("service.serversscheme", Outcome.CAVEAT, features=("BackendTLSPolicy",), hint=TLS_HINT,
                  gateway_api="CORE BackendTLSPolicy / appProtocol h2c")
def servers_scheme(hc: HandlerContext) -> None:
    """Scheme towards the pods (http, https, h2c): https -> BackendTLSPolicy, h2c -> Service appProtocol.

    What the controller does:
        On a Service: overrides the scheme Traefik uses towards its pods (by default https for port 443 and
        ports named ``https*``, else http).
    Gateway API equivalent:
        ``https`` -> a BackendTLSPolicy for the Service (hostname NAME.NAMESPACE.svc, system CAs);
        ``h2c`` -> ``appProtocol: kubernetes.io/h2c`` on the Service port; ``http`` -> nothing (the default).
    Caveats:
        BackendTLSPolicy always verifies the certificate; Traefik verified it with its own root CAs (against
        the pod address) unless a ServersTransport turned verification off. ing2gw does not change Services:
        for h2c set appProtocol yourself.
    Example:
        ``service.serversscheme: https`` -> BackendTLSPolicy ``app-backend-tls``.
    """
    sc = on_service(hc)
    if sc is None:
        return
    assert sc.service is not None
    v = sc.value.strip()
    if v not in ("http", "https", "h2c"):
        raise AnnotationValueError('expected "http", "https" or "h2c"')
    if v == "http":
        sc.state(Outcome.TRANSLATED, "plain HTTP to the pods, as Gateway API does by default")
        return
    if v == "https":
        pol = _policy(sc, None)
        sc.state(Outcome.CAVEAT, f"HTTPS to the pods: BackendTLSPolicy {pol.name} verifies the certificate for "
                 f"{pol.hostname} against the system CAs", emitted=(f"BackendTLSPolicy {pol.namespace}/{pol.name}",))
        return
    h2c = [p for p in sc.service.ports if p.app_protocol == "kubernetes.io/h2c"]
    if h2c and len(h2c) == len(sc.service.ports):
        sc.state(Outcome.TRANSLATED, "h2c: the Service ports already declare appProtocol kubernetes.io/h2c",
                 features=("HTTPRouteBackendProtocolH2C",))
        return
    sc.state(Outcome.UNSUPPORTED, "h2c (HTTP/2 without TLS) to the pods: Gateway API reads it from the Service "
             "port's appProtocol, which ing2gw does not change",
             hint="Set appProtocol: kubernetes.io/h2c on the Service port.", features=("HTTPRouteBackendProtocolH2C",))


@REGISTRY.handler("service.serverstransport", Outcome.NEEDS_EMITTER, gateway_api="CORE~ BackendTLSPolicy")
def servers_transport(hc: HandlerContext) -> None:
    """ServersTransport of the Service (backend TLS, client certificates, timeouts): a requirement.

    What the controller does:
        On a Service: applies a ServersTransport (server name, root CAs, client certificates,
        insecureSkipVerify, forwarding timeouts, idle connections) to the connections to its pods.
    Gateway API equivalent:
        Partly: serverName and rootCAs -> BackendTLSPolicy hostname and caCertificateRefs; certificates ->
        Gateway ``spec.tls.backend.clientCertificateRef``; insecureSkipVerify and timeouts -> implementation
        policies. The ServersTransport object is not part of the input, so ing2gw keeps a
        traefik-servers-transport requirement.
    Caveats:
        Settings of the ServersTransport are not applied by the emitted objects.
    Example:
        ``service.serverstransport: shop-internal-ca@kubernetescrd`` -> traefik-servers-transport.
    """
    sc = on_service(hc)
    if sc is None:
        return
    assert sc.service is not None
    ref = parse_ref(sc.value, sc.service.namespace)
    sc.require("traefik-servers-transport", {**ref.params(), "service": sc.service.name},
               message=f"ServersTransport {ref.ref} of Service {sc.service.name} is not applied",
               hint="Carry serverName/rootCAs over to a BackendTLSPolicy and client certificates to Gateway "
               "spec.tls.backend by hand; insecureSkipVerify has no Gateway API equivalent.")


@REGISTRY.handler("service.passhostheader", Outcome.CAVEAT, features=("HTTPRouteHostRewrite",),
                  gateway_api="CORE~ URLRewrite hostname")
def pass_host_header(hc: HandlerContext) -> None:
    """Whether the client's Host header reaches the pods: "false" -> URLRewrite hostname NAME.NAMESPACE.svc.

    What the controller does:
        On a Service: ``"false"`` makes Traefik send the pod address (IP:port) as Host instead of the
        client's; ``"true"`` is the default.
    Gateway API equivalent:
        ``"true"``: nothing (Gateways forward Host). ``"false"``: a URLRewrite filter with hostname
        ``NAME.NAMESPACE.svc`` on every rule that sends traffic to the Service.
    Caveats:
        The backend now sees the Service's DNS name rather than a pod address; a backend that checks for
        an IP in Host needs that changed.
    Example:
        ``service.passhostheader: "false"`` -> ``urlRewrite: {hostname: app.shop.svc}``.
    """
    sc = on_service(hc)
    if sc is None:
        return
    assert sc.service is not None
    if flag(sc.value):
        sc.state(Outcome.TRANSLATED, "\"true\" is the default: the client's Host header is forwarded, as by Gateways",
                 features=())
        return
    host = f"{sc.service.name}.{sc.service.namespace}.svc"
    for r in sc.routes:
        r.filters.append(URLRewrite(source=sc.source, hostname=host))
    sc.state(Outcome.CAVEAT, f"the client's Host is replaced by {host} (Traefik sent the pod address) on "
             f"{len(sc.routes)} rule(s)", hint="Check that the backend accepts this Host value.")


# --- sticky sessions ------------------------------------------------------------------------------

_STICKY = "service.sticky.cookie"


def _sticky_values(sc: ServiceContext) -> dict[str, Any]:
    """Every valid sticky.cookie.* value of the Service (invalid ones are reported by their own handler)."""
    assert sc.service is not None
    a = sc.service.annotations
    out: dict[str, Any] = {}
    for sub, parse in (("name", _name), ("maxage", _maxage), ("secure", flag), ("httponly", flag),
                       ("samesite", _samesite), ("domain", _name), ("path", _name)):
        raw = ann(a, f"{_STICKY}.{sub}")
        if raw is None:
            continue
        with contextlib.suppress(AnnotationValueError):
            out[sub] = parse(raw)
    return out


def _name(v: str) -> str:
    if not v.strip():
        raise AnnotationValueError("expected a non-empty value")
    return v.strip()


def _maxage(v: str) -> int:
    return parse_int(v)


def _samesite(v: str) -> str:
    s = v.strip().lower()
    if s not in ("none", "lax", "strict"):
        raise AnnotationValueError('expected "none", "lax" or "strict"')
    return s


def _sticky_plan(sc: ServiceContext) -> SessionPersistence | Requirement | None:
    """Session persistence for the Service's rules, or the session-affinity requirement; once per Service."""
    if "sticky" in sc.shared:
        return sc.shared["sticky"]
    assert sc.service is not None
    a = sc.service.annotations
    base = ann(a, _STICKY)
    subs = [k for k in keys_under(a, _STICKY) if k.lower() != (PREFIX + _STICKY).lower()]
    try:
        on = flag(base) if base is not None else False
    except AnnotationValueError:
        on = False
    plan: SessionPersistence | Requirement | None = None
    if on or subs:
        v = _sticky_values(sc)
        max_age = v.get("maxage")
        if sc.ctx.capabilities.session_persistence:
            persistent = max_age is not None and max_age > 0
            plan = SessionPersistence(type="Cookie", session_name=v.get("name"),
                                      absolute_timeout=f"{max_age}s" if persistent else None,
                                      lifetime_type="Permanent" if persistent else None)
            for r in sc.routes:
                r.session_persistence = plan
        else:
            plan = Requirement(
                feature="session-affinity",
                params={"cookie_name": v.get("name"), "max_age": max_age, "path": v.get("path"),
                        "secure": v.get("secure"), "samesite": v.get("samesite"), "mode": "persistent",
                        "http_only": v.get("httponly"), "domain": v.get("domain")},
                source=sc.service.source.at(annotation=base_key(a) or sc.key), target="rule",
                id=sc.ctx.next_id("session-affinity", sc.service.source))
            for r in sc.routes:
                r.requirements.append(plan)
    sc.shared["sticky"] = plan
    return plan


def base_key(a: Any) -> str | None:
    full = (PREFIX + _STICKY).lower()
    return next((k for k in a if k.lower() == full), None)


def _sticky(hc: HandlerContext, sub: str | None) -> None:
    sc = on_service(hc)
    if sc is None:
        return
    assert sc.service is not None
    value: Any = None
    if sub is None:
        value = flag(sc.value)
    elif sub in ("name", "domain", "path"):
        value = _name(sc.value)
    elif sub == "maxage":
        value = _maxage(sc.value)
    elif sub in ("secure", "httponly"):
        value = flag(sc.value)
    else:
        value = _samesite(sc.value)
    plan = _sticky_plan(sc)
    svc = sc.service.name
    if plan is None:
        sc.state(Outcome.NOT_ROUTING, "sticky sessions are off (\"false\"): nothing to carry over")
        return
    if isinstance(plan, Requirement):
        sc.state(Outcome.NEEDS_EMITTER, f"sticky cookie of Service {svc}: a session-affinity requirement "
                 f"(sessionPersistence needs the experimental channel, {sc.ctx.capabilities.channel} chosen)",
                 hint=STICKY_HINT, requirement=plan, features=())
        return
    if sub is None:
        sc.state(Outcome.TRANSLATED, f"sessionPersistence (Cookie) on the {len(sc.routes)} rule(s) of Service {svc}")
    elif sub == "name":
        sc.state(Outcome.TRANSLATED, f"sessionPersistence.sessionName {value}")
    elif sub == "maxage":
        if value > 0:
            sc.state(Outcome.TRANSLATED, f"sessionPersistence absoluteTimeout {value}s with a permanent cookie")
        elif value == 0:
            sc.state(Outcome.TRANSLATED, "0: a session cookie, the sessionPersistence default")
        else:
            sc.state(Outcome.CAVEAT, "a negative Max-Age deletes the cookie at once, so Traefik never kept a "
                     "session; sessionPersistence now keeps one for the browser session",
                     hint="Remove sessionPersistence if sessions must not stick.")
    elif sub in ("secure", "httponly") and value is False:
        sc.state(Outcome.TRANSLATED, "\"false\" is Traefik's default: nothing to carry over")
    else:
        sc.state(Outcome.UNSUPPORTED, f"sessionPersistence has no field for the cookie's {sub} attribute: the "
                 "implementation's default applies", hint="Use a target emitter's session policy if it matters.")


def _sticky_doc(what: str, equivalent: str, example: str) -> str:
    return f"""What the controller does:
    On a Service: {what}
Gateway API equivalent:
    {equivalent} Needs the experimental channel; with the standard channel every sticky key feeds one
    session-affinity requirement for target emitters.
Caveats:
    sessionPersistence has no cookie Secure, HttpOnly, SameSite, Domain or Path fields.
Example:
    {example}"""


def _sticky_handler(sub: str | None, outcome: Outcome, doc: str, gateway_api: str, details: str) -> None:
    def run(hc: HandlerContext) -> None:
        _sticky(hc, sub)

    run.__doc__ = doc + "\n\n" + details
    run.__module__ = __name__
    REGISTRY.handler(_STICKY + (f".{sub}" if sub else ""), outcome, hint=STICKY_HINT, gateway_api=gateway_api)(run)


_sticky_handler(None, Outcome.TRANSLATED, "Cookie-based sticky sessions for the Service -> sessionPersistence (Cookie).",
                "EXP sessionPersistence",
                _sticky_doc("sticks each client to one pod with a cookie.",
                            "sessionPersistence type Cookie on every rule that sends traffic to the Service.",
                            "``service.sticky.cookie: \"true\"`` -> ``sessionPersistence: {type: Cookie}``."))
_sticky_handler("name", Outcome.TRANSLATED, "Name of the sticky cookie -> sessionPersistence.sessionName.",
                "EXP sessionPersistence.sessionName",
                _sticky_doc("names the sticky cookie (by default a hash Traefik derives).",
                            "sessionPersistence.sessionName.",
                            "``service.sticky.cookie.name: srv`` -> ``sessionName: srv``."))
_sticky_handler("maxage", Outcome.TRANSLATED,
                "Max-Age of the sticky cookie -> sessionPersistence absoluteTimeout + permanent cookie.",
                "EXP sessionPersistence.absoluteTimeout",
                _sticky_doc("sets the cookie's Max-Age in seconds (0, the default: a session cookie).",
                            "absoluteTimeout ``<n>s`` and cookieConfig.lifetimeType Permanent.",
                            "``service.sticky.cookie.maxage: \"3600\"`` -> ``absoluteTimeout: 3600s``."))
for _sub, _doc, _what in (
        ("secure", "Secure flag of the sticky cookie: no sessionPersistence field (a session-affinity parameter).",
         "sets the Secure flag of the sticky cookie."),
        ("httponly", "HttpOnly flag of the sticky cookie: no sessionPersistence field (a session-affinity parameter).",
         "sets the HttpOnly flag of the sticky cookie."),
        ("samesite", "SameSite of the sticky cookie: no sessionPersistence field (a session-affinity parameter).",
         "sets SameSite (none, lax, strict) on the sticky cookie."),
        ("domain", "Domain of the sticky cookie: no sessionPersistence field (a session-affinity parameter).",
         "sets the Domain of the sticky cookie."),
        ("path", "Path of the sticky cookie: no sessionPersistence field (a session-affinity parameter).",
         "sets the Path of the sticky cookie (default /).")):
    _sticky_handler(_sub, Outcome.UNSUPPORTED, _doc, "NONE",
                    _sticky_doc(_what, "None: sessionPersistence has no such field; the implementation's default "
                                "applies.", f"``service.sticky.cookie.{_sub}: ...`` -> reported."))


@REGISTRY.handler("service.nativelb", Outcome.NEEDS_EMITTER, gateway_api="IMPL")
def native_lb(hc: HandlerContext) -> None:
    """Send to the Service's cluster IP instead of its pods: a service-upstream requirement.

    What the controller does:
        On a Service: ``"true"`` makes the cluster IP the only server (kube-proxy balances);
        ``"false"`` sends to the endpoints (also overriding the provider's nativeLBByDefault).
    Gateway API equivalent:
        None in core (Gateways send to endpoints); NGINX Gateway Fabric UpstreamSettingsPolicy and others
        have a switch.
    Caveats:
        ``"false"`` is what Gateways do anyway.
    Example:
        ``service.nativelb: "true"`` -> service-upstream ``enabled: true``.
    """
    sc = on_service(hc)
    if sc is None:
        return
    if not flag(sc.value):
        sc.state(Outcome.TRANSLATED, "\"false\": traffic goes to the endpoints, as with Gateways")
        return
    sc.require("service-upstream", {"enabled": True}, message="traffic went to the Service's cluster IP; Gateways "
               "send to its endpoints", hint="A target emitter can keep the cluster-IP behaviour.")


@REGISTRY.handler("service.nodeportlb", Outcome.NOT_ROUTING, gateway_api="NONE")
def node_port_lb(hc: HandlerContext) -> None:
    """Send to node IPs and the nodePort (Traefik outside the cluster): not needed by an in-cluster Gateway.

    What the controller does:
        On a NodePort Service: ``"true"`` makes the nodes' internal IPs with the nodePort the servers, so a
        Traefik running outside the cluster reaches the pods.
    Gateway API equivalent:
        None; a Gateway sends to the Service's endpoints, the same pods.
    Caveats:
        Only how the pods are reached changes; routing is the same. A Gateway outside the cluster needs its
        own arrangement.
    Example:
        ``service.nodeportlb: "true"`` -> not carried over.
    """
    sc = on_service(hc)
    if sc is None:
        return
    assert sc.service is not None
    on = flag(sc.value)
    if on and sc.service.type != "NodePort":
        sc.state(Outcome.NOT_ROUTING, f"Traefik ignores it: Service {sc.service.name} is {sc.service.type}, not NodePort")


@REGISTRY.handler("service.middlewares", Outcome.NEEDS_EMITTER, hint=MW_HINT,
                  gateway_api="IMPL ExtensionRef on the backendRef")
def service_middlewares(hc: HandlerContext) -> None:
    """Middlewares run for the Service's traffic: a traefik-middleware requirement at service level.

    What the controller does:
        On a Service: runs the referenced Middlewares on every request Traefik sends to it, after the
        router's middlewares.
    Gateway API equivalent:
        None in core; a Traefik target emitter can put ExtensionRef filters on the backendRef.
    Caveats:
        The Middleware objects are not part of the input (see ``router.middlewares``).
    Example:
        ``service.middlewares: shop-retry@kubernetescrd`` -> traefik-middleware ``level: service``.
    """
    sc = on_service(hc)
    if sc is None:
        return
    assert sc.service is not None
    refs = parse_refs(sc.value, sc.service.namespace)
    sc.require("traefik-middleware", {"middlewares": [r.params() for r in refs], "level": "service",
                                      "service": sc.service.name},
               message=f"Middlewares {', '.join(r.ref for r in refs)} of Service {sc.service.name} are not applied",
               hint=MW_HINT)


# --------------------------------------------------------------------------------------------------
# The finalize step
# --------------------------------------------------------------------------------------------------


def apply_services(translations: list[IngressTranslation], ctx: TranslateContext) -> None:
    """Run the service.* handlers of every Service Traefik's Ingresses use, once per Service."""
    uses: dict[tuple[str, str], tuple[IngressTranslation, list[PathRoute], set[int]]] = {}
    for tr in translations:
        if tr.folded_into is not None:
            continue
        for r in tr.routes:
            for b in r.backends:
                if b.kind != "Service" or b.group:
                    continue
                key = (b.namespace or tr.ingress.namespace, b.name)
                entry = uses.setdefault(key, (tr, [], set()))
                if not entry[1] or entry[1][-1] is not r:
                    entry[1].append(r)
                if b.port is not None:
                    entry[2].add(b.port)
    for (ns, name), (first, routes, ports) in uses.items():
        svc = ctx.service(ns, name)
        if svc is None:
            if 443 in ports:
                _port_443_without_service(first, routes, ns, name)
            continue
        if ann(svc.annotations, "service.serversscheme") is None:
            _implied_https(first, svc, ports)
        shared: dict[str, Any] = {}
        for ann_key in sorted(svc.annotations):
            if ann_key.lower().startswith(PREFIX):
                _run(ann_key, svc, first, routes, shared, ctx)


def _run(key: str, svc: Service, tr: IngressTranslation, routes: list[PathRoute], shared: dict[str, Any],
         ctx: TranslateContext) -> None:
    value = svc.annotations[key]
    src = svc.source.at(annotation=key)
    h = REGISTRY.get(key)
    if h is None:
        tr.notifications.append(Notification(Outcome.UNHANDLED, key, "unknown traefik annotation on a Service: "
                                             "Traefik ignores it, and so does ing2gw", src))
        return
    if h.name.startswith("router."):
        tr.notifications.append(Notification(Outcome.NOT_ROUTING, key, "router.* annotations are read from the "
                                             "Ingress; on a Service Traefik ignores them", src,
                                             hint="Move it to the Ingress if it was meant to apply."))
        return
    apply_handler(ServiceContext(key=key, value=value, translation=tr, ctx=ctx, handler=h, service=svc,
                                 routes=routes, shared=shared))


def _implied_https(tr: IngressTranslation, svc: Service, ports: set[int]) -> None:
    for i, sp in enumerate(svc.ports):
        if sp.port not in ports or not (sp.port == 443 or (sp.name or "").startswith("https")):
            continue
        f = f"spec.ports[{i}]"
        src = svc.source.at(field=f)
        pol = _backend_tls(tr, svc, sp.name, src)
        why = "port 443" if sp.port == 443 else f"port name {sp.name!r}"
        note = "" if sp.name or len(svc.ports) == 1 else " (the port has no name, so the policy covers every port)"
        tr.notifications.append(Notification(
            Outcome.CAVEAT, f, f"Traefik speaks HTTPS to this port ({why}): BackendTLSPolicy {pol.name} verifies the "
            f"certificate for {pol.hostname} against the system CAs{note}", src, hint=TLS_HINT,
            features=("BackendTLSPolicy",), emitted=(f"BackendTLSPolicy {pol.namespace}/{pol.name}",)))


def _port_443_without_service(tr: IngressTranslation, routes: list[PathRoute], ns: str, name: str) -> None:
    """Without the Service, Traefik's rule still shows for port 443: the backend's port number is the Service's."""
    path = next((r.path for r in routes if r.path is not None
                 and any(b.name == name and b.port == 443 for b in r.backends)), None)
    if path is None:
        return
    src = path.backend.source
    f = f"{src.field}.service.port.number"
    pol = _backend_tls(tr, (ns, name), None, src.at(field=f))
    tr.notifications.append(Notification(
        Outcome.CAVEAT, f, f"Traefik speaks HTTPS to Service port 443: BackendTLSPolicy {pol.name} verifies the "
        f"certificate for {pol.hostname} against the system CAs", src.at(field=f), hint=TLS_HINT,
        features=("BackendTLSPolicy",), emitted=(f"BackendTLSPolicy {pol.namespace}/{pol.name}",)))
