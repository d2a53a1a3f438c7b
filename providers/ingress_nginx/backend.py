"""Backend protocol and TLS towards backends: backend-protocol and proxy-ssl-*."""

from __future__ import annotations

import re
from typing import Any

from ing2gw.core.merge import backend_tls_policy_name
from ing2gw.model import BackendTLSPolicy, Outcome, Requirement
from ing2gw.provider import AnnotationValueError, HandlerContext, IngressTranslation, parse_bool, parse_int

from . import REGISTRY
from ._common import GATEWAY_API, HOSTNAME, note

_TLS = "backend_tls"
_GRPC_SERVICE = re.compile(r"(?i)^\.?[a-z_][a-z_0-9]*(\.[a-z_][a-z_0-9]*)*$")
_GRPC_METHOD = re.compile(r"^[A-Za-z_][A-Za-z_0-9]*$")


def _onoff(text: str | None, default: bool) -> bool:
    if text is None:
        return default
    try:
        return parse_bool(text)
    except AnnotationValueError:
        return default


@REGISTRY.handler("backend-protocol", Outcome.TRANSLATED, gateway_api=GATEWAY_API["backend-protocol"], order=40)
def backend_protocol(hc: HandlerContext) -> None:
    """Protocol towards the backend: HTTP, HTTPS, GRPC, GRPCS (translated); AUTO_HTTP, FCGI (reported).

    What the controller does:
      Chooses proxy_pass (HTTP, HTTPS), grpc_pass (GRPC, GRPCS) or fastcgi_pass (FCGI). HTTPS and GRPCS do not
      verify the backend's certificate unless proxy-ssl-verify is "on" (CA from proxy-ssl-secret).

    Gateway API equivalent:
      GRPC: a GRPCRoute instead of an HTTPRoute (HTTP/2 cleartext to the backend; alternatively Service
      appProtocol `kubernetes.io/h2c` keeps an HTTPRoute). HTTPS: a BackendTLSPolicy for each backend Service,
      hostname from proxy-ssl-name (default `<service>.<namespace>.svc.cluster.local`). GRPCS: both.
      WebSocket backends need no annotation in nginx; in Gateway API, appProtocol `kubernetes.io/ws`.

    Caveats:
      BackendTLSPolicy always verifies the backend certificate: where nginx did not verify (the default),
      the backend needs a certificate valid for the hostname, or a target emitter's skip-verify
      (requirement `backend-tls`). AUTO_HTTP and FCGI have no equivalent.

    Example:
      backend-protocol: HTTPS -> BackendTLSPolicy targeting the Service, wellKnownCACertificates System.
    """
    v = hc.value.strip().upper()
    tr = hc.translation
    if v in ("", "HTTP"):
        hc.state(Outcome.TRANSLATED, "plain HTTP to the backend, the default", features=())
        return
    if v in ("AUTO_HTTP", "FCGI", "AJP"):
        why = {"AUTO_HTTP": "AUTO_HTTP (the client's scheme towards the backend) has no Gateway API equivalent",
               "FCGI": "FastCGI backends cannot be reached from Gateway API routes",
               "AJP": "AJP is no longer supported by ingress-nginx, nor by Gateway API"}[v]
        hc.state(Outcome.UNSUPPORTED, why + "; the routes speak plain HTTP to the backend",
                 hint="Put an HTTP front (for example php-fpm behind nginx) before FastCGI backends.", features=())
        return
    if v not in ("HTTPS", "GRPC", "GRPCS"):
        raise AnnotationValueError("expected HTTP, HTTPS, GRPC, GRPCS, AUTO_HTTP or FCGI")
    said = []
    if v in ("GRPC", "GRPCS"):
        for r in tr.routes:
            r.protocol = "GRPC"
        said.append("GRPCRoute for the Ingress's paths (gRPC matches by /package.Service/Method)")
    if v in ("HTTPS", "GRPCS"):
        said.append(_backend_tls(hc))
        tr.extra[_TLS] = True
    verify = _onoff(hc.annotation("proxy-ssl-verify"), False)
    features = ["BackendTLSPolicy"] if v != "GRPC" else []
    if v in ("HTTPS", "GRPCS") and not verify:
        req = Requirement("backend-tls", {"verify": False, "hostname": tr.extra.get("backend_tls_hostname"),
                                          "client_secret": None, "ciphers": None, "protocols": None, "sni": None},
                          hc.source, target="service", id=hc.ctx.next_id("backend-tls"))
        tr.requirements.append(req)
        hc.state(Outcome.CAVEAT, "; ".join(said) + ". nginx did not verify the backend's certificate "
                 "(proxy-ssl-verify off); BackendTLSPolicy always verifies it against the hostname and CA",
                 hint="Give the backend a certificate valid for the hostname (or set proxy-ssl-name and a CA), or use "
                 "a target emitter that can skip verification (requirement backend-tls).",
                 features=features, requirement=req)
        return
    hc.state(Outcome.TRANSLATED, "; ".join(said), features=features)


def _backend_tls(hc: HandlerContext) -> str:
    tr = hc.translation
    ns = tr.ingress.namespace
    name_ann = (hc.annotation("proxy-ssl-name") or "").strip().lower()
    verify = _onoff(hc.annotation("proxy-ssl-verify"), False)
    secret = (hc.annotation("proxy-ssl-secret") or "").strip()
    ca_refs: tuple[str, ...] = ()
    if verify and secret:
        ca_refs = (secret.rpartition("/")[2] + "-ca",)
    services = sorted({b.name for r in tr.routes for b in r.backends if b.kind == "Service" and not b.group})
    hostnames = []
    for svc in services:
        host = name_ann if name_ann and HOSTNAME.match(name_ann) else f"{svc}.{ns}.svc.cluster.local"
        hostnames.append(host)
        tr.backend_tls_policies.append(BackendTLSPolicy(
            namespace=ns, name=backend_tls_policy_name(svc), service=svc, hostname=host,
            sources=(hc.source,), ca_certificate_refs=ca_refs, well_known_ca=None if ca_refs else "System"))
    tr.extra["backend_tls_hostname"] = hostnames[0] if hostnames else None
    if ca_refs:
        note(tr, Outcome.CAVEAT, "BackendTLSPolicy CA ConfigMap", f"BackendTLSPolicy trusts the CA in ConfigMap {ns}/{ca_refs[0]} "
             f"(key ca.crt), which does not exist yet: ing2gw never reads Secret data",
             hc.source, hint=f"Create it from the ca.crt of Secret {secret}: kubectl create configmap {ca_refs[0]} "
             f"-n {ns} --from-file=ca.crt=<file>.")
    return (f"BackendTLSPolicy for Service(s) {', '.join(services) or 'none'} (hostname {', '.join(hostnames) or '-'}, "
            + ("CA from proxy-ssl-secret" if ca_refs else "system CAs") + ")")


def _tls_on(hc: HandlerContext) -> bool:
    if hc.translation.extra.get(_TLS):
        return True
    hc.state(Outcome.NOT_ROUTING, "no effect: the backend protocol is not HTTPS or GRPCS", features=())
    return False


def _require_tls(hc: HandlerContext, params: dict[str, Any], message: str, hint: str) -> None:
    base: dict[str, Any] = {"verify": _onoff(hc.annotation("proxy-ssl-verify"), False),
                            "hostname": hc.translation.extra.get("backend_tls_hostname"), "client_secret": None,
                            "ciphers": None, "protocols": None, "sni": None}
    base.update(params)
    hc.require("backend-tls", base, target="service", message=message, hint=hint)


@REGISTRY.handler("proxy-ssl-secret", Outcome.NEEDS_EMITTER, gateway_api=GATEWAY_API["proxy-ssl-secret"], order=120)
def proxy_ssl_secret(hc: HandlerContext) -> None:
    """Client certificate and CA for TLS to the backend (`namespace/secret` with tls.crt, tls.key, ca.crt).

    What the controller does:
      Presents tls.crt/tls.key to the backend and, with proxy-ssl-verify "on", verifies it against ca.crt.

    Gateway API equivalent:
      ca.crt: BackendTLSPolicy caCertificateRefs (a ConfigMap `<secret>-ca` that you create; ing2gw never
      reads Secret data). Client certificate: Gateway `spec.tls.backend.clientCertificateRef` (v1.5) is per
      Gateway, not per backend: requirement `backend-tls` for a target emitter.

    Caveats:
      Without proxy-ssl-verify "on" the CA was unused by nginx.

    Example:
      proxy-ssl-secret: shop/backend-client -> requirement backend-tls (client_secret shop/backend-client).
    """
    if not _tls_on(hc):
        return
    ref = hc.value.strip()
    if "/" not in ref:
        ref = f"{hc.ingress.namespace}/{ref}"
    _require_tls(hc, {"client_secret": ref}, f"client certificate {ref} towards the backend: Gateway API has only a "
                 "per-Gateway backend client certificate (spec.tls.backend, v1.5); kept as requirement backend-tls",
                 "Set spec.tls.backend.clientCertificateRef on the Gateway if one certificate fits all backends.")


@REGISTRY.handler("proxy-ssl-verify", Outcome.TRANSLATED, gateway_api=GATEWAY_API["proxy-ssl-verify"], features=("BackendTLSPolicy",), order=120)
def proxy_ssl_verify(hc: HandlerContext) -> None:
    """Verify the backend's certificate ("on") or not ("off", the default).

    What the controller does:
      `proxy_ssl_verify on|off`.

    Gateway API equivalent:
      "on": BackendTLSPolicy, which always verifies. "off" cannot be expressed (see backend-protocol).

    Caveats:
      "off" becomes verification: the backend must present a certificate valid for the hostname.

    Example:
      proxy-ssl-verify: "on" with proxy-ssl-secret -> caCertificateRefs to the CA ConfigMap.
    """
    if not _tls_on(hc):
        return
    if parse_bool(hc.value):
        hc.state(Outcome.TRANSLATED, "BackendTLSPolicy verifies the backend certificate, as nginx did")
    else:
        hc.state(Outcome.CAVEAT, "BackendTLSPolicy always verifies: see the backend-protocol note (requirement "
                 "backend-tls for skipping verification)", features=())


@REGISTRY.handler("proxy-ssl-verify-depth", Outcome.UNSUPPORTED, gateway_api=GATEWAY_API["proxy-ssl-verify-depth"], order=120)
def proxy_ssl_verify_depth(hc: HandlerContext) -> None:
    """Maximum certificate chain depth when verifying the backend: no equivalent.

    What the controller does:
      `proxy_ssl_verify_depth <n>` (default 1).

    Gateway API equivalent:
      None; implementations verify the whole chain.

    Caveats:
      Longer chains than nginx allowed are accepted.

    Example:
      proxy-ssl-verify-depth: "2" -> reported.
    """
    parse_int(hc.value, 0, None)
    if not _tls_on(hc):
        return
    hc.state(Outcome.UNSUPPORTED, "the chain depth cannot be limited in Gateway API")


@REGISTRY.handler("proxy-ssl-name", Outcome.TRANSLATED, gateway_api=GATEWAY_API["proxy-ssl-name"], features=("BackendTLSPolicy",), order=120)
def proxy_ssl_name(hc: HandlerContext) -> None:
    """Name used for SNI and for verifying the backend certificate.

    What the controller does:
      `proxy_ssl_name <name>`.

    Gateway API equivalent:
      BackendTLSPolicy `validation.hostname` (also sent as SNI).

    Caveats:
      Must be a plain host name.

    Example:
      proxy-ssl-name: api.internal -> validation.hostname api.internal.
    """
    if not _tls_on(hc):
        return
    v = hc.value.strip().lower()
    if not HOSTNAME.match(v):
        raise AnnotationValueError("expected a host name")
    hc.state(Outcome.TRANSLATED, f"BackendTLSPolicy validation.hostname {v}")


@REGISTRY.handler("proxy-ssl-server-name", Outcome.TRANSLATED, gateway_api=GATEWAY_API["proxy-ssl-server-name"], features=("BackendTLSPolicy",), order=120)
def proxy_ssl_server_name(hc: HandlerContext) -> None:
    """Send SNI to the backend ("on") or not ("off", the default).

    What the controller does:
      `proxy_ssl_server_name on|off`.

    Gateway API equivalent:
      BackendTLSPolicy always sends SNI (validation.hostname): "on" is exact, "off" cannot be expressed.

    Caveats:
      Backends that misbehave with SNI need a target-specific setting.

    Example:
      proxy-ssl-server-name: "on" -> nothing more to emit.
    """
    if not _tls_on(hc):
        return
    if parse_bool(hc.value):
        hc.state(Outcome.TRANSLATED, "BackendTLSPolicy sends SNI (validation.hostname)")
    else:
        hc.state(Outcome.CAVEAT, "BackendTLSPolicy always sends SNI = validation.hostname; nginx sent none",
                 features=())


@REGISTRY.handler("proxy-ssl-ciphers", Outcome.NEEDS_EMITTER, gateway_api=GATEWAY_API["proxy-ssl-ciphers"], order=120)
def proxy_ssl_ciphers(hc: HandlerContext) -> None:
    """OpenSSL cipher list for TLS to the backend: requirement `backend-tls` for a target emitter.

    What the controller does:
      `proxy_ssl_ciphers <list>`.

    Gateway API equivalent:
      None in core (BackendTLSPolicy `options` are implementation-specific).

    Caveats:
      The implementation's defaults apply otherwise.

    Example:
      proxy-ssl-ciphers: "HIGH:!aNULL" -> requirement backend-tls (ciphers).
    """
    if not _tls_on(hc):
        return
    _require_tls(hc, {"ciphers": hc.value.strip()}, "backend cipher list kept as requirement backend-tls",
                 "A target emitter can set it; otherwise the implementation's defaults apply.")


@REGISTRY.handler("proxy-ssl-protocols", Outcome.NEEDS_EMITTER, gateway_api=GATEWAY_API["proxy-ssl-protocols"], order=120)
def proxy_ssl_protocols(hc: HandlerContext) -> None:
    """TLS versions towards the backend: requirement `backend-tls` for a target emitter.

    What the controller does:
      `proxy_ssl_protocols <list>` (for example `TLSv1.2 TLSv1.3`).

    Gateway API equivalent:
      None in core.

    Caveats:
      The implementation's defaults apply otherwise.

    Example:
      proxy-ssl-protocols: "TLSv1.3" -> requirement backend-tls (protocols).
    """
    if not _tls_on(hc):
        return
    _require_tls(hc, {"protocols": hc.value.strip()}, "backend TLS versions kept as requirement backend-tls",
                 "A target emitter can set it; otherwise the implementation's defaults apply.")


def check_grpc(translations: list[IngressTranslation]) -> None:
    """GRPCRoute matches are service/method names: keep regex paths on HTTPRoute; state dropped filters."""
    for tr in translations:
        for r in tr.routes:
            if r.protocol != "GRPC" or r.path is None:
                continue
            src = r.path.source
            subject = f"{src.field}.backend (gRPC)"
            pm = r.match.path
            if pm is not None and pm.type == "RegularExpression":
                r.protocol = "HTTP"
                note(tr, Outcome.CAVEAT, subject, f"gRPC path {pm.value} is a regular expression, which a GRPCRoute "
                     "cannot match: kept on the HTTPRoute (set appProtocol kubernetes.io/h2c on the Service port so "
                     "the Gateway speaks HTTP/2 to it)", src, hint="Needs feature HTTPRouteBackendProtocolH2C.")
                continue
            parts = [x for x in (pm.value if pm else "/").split("/") if x]
            if len(parts) > 2 or (parts and not _GRPC_SERVICE.match(parts[0])) or (
                    len(parts) == 2 and not _GRPC_METHOD.match(parts[1])):
                r.protocol = "HTTP"
                note(tr, Outcome.CAVEAT, subject, f"path {pm.value if pm else '/'} is not /package.Service[/Method], "
                     "which a GRPCRoute cannot match: kept on the HTTPRoute (set appProtocol kubernetes.io/h2c on "
                     "the Service port so the Gateway speaks HTTP/2 to it)", src,
                     hint="Needs feature HTTPRouteBackendProtocolH2C.")
                continue
            said = ["only gRPC requests match a GRPCRoute: other HTTP requests, which nginx also passed to the gRPC "
                    "backend, now get 404"]
            if pm is not None and pm.value != "/" and pm.value.count("/") < 2 and "." not in pm.value:
                said.append(f"gRPC path {pm.value} became a GRPCRoute service match {pm.value.strip('/')!r}: gRPC "
                            "requests are /package.Service/Method, matched by name")
            if r.filters or r.redirect_http:
                said.append("GRPCRoute rules carry no filters here: rewrites, redirects (also the HTTP-to-HTTPS "
                            "one) and header changes of this path do not apply to gRPC; the GRPCRoute serves both "
                            "listeners")
            note(tr, Outcome.CAVEAT, subject, "; ".join(said), src)
