"""Request mirroring: mirror-target, mirror-host, mirror-request-body."""

from __future__ import annotations

from ing2gw.model import BackendRef, Outcome, RequestMirror
from ing2gw.provider import HandlerContext, parse_bool

from . import REGISTRY
from ._common import GATEWAY_API, parse_url


def _service_of(host: str) -> tuple[str, str] | None:
    """``name.namespace[.svc[.cluster.local]]`` -> (namespace, name); other names are not in-cluster Services."""
    parts = host.split(".")
    if len(parts) == 2 or (len(parts) == 3 and parts[2] == "svc") or (
            len(parts) == 5 and parts[2:] == ["svc", "cluster", "local"]):
        return parts[1], parts[0]
    return None


@REGISTRY.handler("mirror-target", Outcome.TRANSLATED, gateway_api=GATEWAY_API["mirror-target"], features=("HTTPRouteRequestMirror",), order=80)
def mirror_target(hc: HandlerContext) -> None:
    """Send a copy of every request to another URL (RequestMirror for in-cluster Services).

    What the controller does:
      `mirror /_mirror-<id>` in every location of the Ingress, proxying a copy of each request to the URL
      (usually `http://<service>.<namespace>.svc.cluster.local$request_uri`); responses are discarded.

    Gateway API equivalent:
      RequestMirror filter with a backendRef to that Service and port (original path kept) on every rule
      of the Ingress.

    Caveats:
      Only in-cluster Services named `<name>.<namespace>[.svc[.cluster.local]]`; external hosts need an
      ExternalName Service or a target-specific backend. A mirror in another namespace needs a ReferenceGrant.

    Example:
      mirror-target: http://shadow.test.svc.cluster.local:8080$request_uri -> RequestMirror backendRef
      {name: shadow, namespace: test, port: 8080}.
    """
    u = parse_url(hc.value)
    if u.problem:
        hc.state(Outcome.UNSUPPORTED, f"mirror target {hc.value!r}: {u.problem}", features=(),
                 hint="Write the RequestMirror by hand.")
        return
    svc = _service_of(u.host)
    if svc is None:
        hc.state(Outcome.UNSUPPORTED, f"mirror target host {u.host} is not an in-cluster Service name "
                 "(<name>.<namespace>.svc): Gateway API mirrors only to backendRefs", features=(),
                 hint="Create an ExternalName Service for it (implementation-specific support) and mirror to that.")
        return
    ns, name = svc
    port = u.port or (443 if u.scheme == "https" else 80)
    ing_ns = hc.ingress.namespace
    ref = BackendRef(name=name, port=port, namespace=ns if ns != ing_ns else None)
    f = RequestMirror(source=hc.source, backend=ref)
    for r in hc.translation.routes:
        if r.backends:
            r.filters.append(f)
    caveats = []
    if u.path and u.path != "/":
        caveats.append(f"the URL path {u.path} is not used: the mirror receives the original path")
    elif not u.keeps_request_uri:
        caveats.append("without $request_uri nginx sent the mirror its internal /_mirror-... path; the mirror now "
                       "receives the original path")
    if u.scheme == "https":
        caveats.append("the mirror is reached over TLS only with a BackendTLSPolicy for that Service")
    if ns != ing_ns:
        caveats.append(f"the mirror Service is in namespace {ns}: add a ReferenceGrant there allowing HTTPRoutes "
                       f"from {ing_ns}")
    known = hc.ctx.service(ns, name)
    if hc.ctx.services_known and known is None:
        caveats.append(f"Service {ns}/{name} is not in the input")
    msg = f"RequestMirror to Service {ns}/{name} port {port} on every rule of the Ingress"
    if caveats:
        hc.state(Outcome.CAVEAT, msg + "; " + "; ".join(caveats))
    else:
        hc.state(Outcome.TRANSLATED, msg)


@REGISTRY.handler("mirror-host", Outcome.UNSUPPORTED, gateway_api=GATEWAY_API["mirror-host"], order=90)
def mirror_host(hc: HandlerContext) -> None:
    """Host header of the mirrored requests: no equivalent.

    What the controller does:
      `proxy_set_header Host <value>` in the mirror location.

    Gateway API equivalent:
      None: RequestMirror sends the original Host header.

    Caveats:
      Mirrors that route by Host see the original host name.

    Example:
      mirror-host: shadow.example.com -> reported.
    """
    if not hc.annotation("mirror-target"):
        hc.state(Outcome.NOT_ROUTING, "no effect without mirror-target")
        return
    hc.state(Outcome.UNSUPPORTED, "RequestMirror sends the original Host header; it cannot be changed")


@REGISTRY.handler("mirror-request-body", Outcome.TRANSLATED, gateway_api=GATEWAY_API["mirror-request-body"], order=90)
def mirror_request_body(hc: HandlerContext) -> None:
    """Whether mirrored requests carry the body ("on", the default) or not ("off").

    What the controller does:
      `mirror_request_body on|off`.

    Gateway API equivalent:
      RequestMirror always mirrors the body: "on" is exact, "off" cannot be expressed.

    Caveats:
      With "off", the mirror now receives request bodies.

    Example:
      mirror-request-body: "off" -> reported.
    """
    on = parse_bool(hc.value)
    if not hc.annotation("mirror-target"):
        hc.state(Outcome.NOT_ROUTING, "no effect without mirror-target")
    elif on:
        hc.state(Outcome.TRANSLATED, "mirrored requests carry the body, as with RequestMirror")
    else:
        hc.state(Outcome.UNSUPPORTED, "RequestMirror always sends the body; it cannot be left out")
