"""kgateway v2.4: TrafficPolicy per route rule, GatewayExtension for ext auth, BackendConfigPolicy per Service.

TrafficPolicy attaches to the rule (``sectionName``). BackendConfigPolicy can only target a Service, so
settings nginx applies per Ingress (affinity, load balancing, backend TLS) then apply to every route that
uses the Service; each such notification says so.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from ing2gw.emitters.common import (
    GATEWAY_CORS_NAMES,
    RETRY_STATUS,
    Carried,
    Handler,
    NotCarried,
    Site,
    TargetContext,
    TargetEmitter,
    as_affinity,
    core_retry,
    cors_fields,
    duration,
    existing,
    grant_service,
    obj_ref,
    quantity,
    sentences,
    service_backends,
    service_target,
    set_once,
    streaming,
)
from ing2gw.model import Requirement

API = "gateway.kgateway.dev/v1alpha1"
TITLE = "kgateway"


def _tp(ctx: TargetContext, site: Site) -> dict[str, Any]:
    return ctx.site_policy(API, "TrafficPolicy", site)


def _bcp(ctx: TargetContext, site: Site, req: Requirement) -> tuple[list[dict[str, Any]], str]:
    svcs = service_backends(site)
    if not svcs:
        raise NotCarried("no Service backend")
    objs = []
    for b in svcs:
        ns = b.namespace or site.namespace
        objs.append(ctx.service_policy(API, "BackendConfigPolicy", ns, b.name, site.sources, service_target(b.name)))
    names = ", ".join(sorted({b.name for b in svcs}))
    return objs, (f"BackendConfigPolicy attaches to the Service ({names}), so it applies to every route and "
                  "Ingress path that uses it, not only the paths of this Ingress.")


def body_size(ctx: TargetContext, site: Site, req: Requirement) -> Carried:
    n = int(req.params["bytes"])
    if n == 0:
        return Carried(f"{site.ref} (no limit: kgateway sets no request body limit by default)")
    obj = _tp(ctx, site)
    set_once(obj["spec"], "buffer", {"maxRequestSize": quantity(n)})
    return Carried(obj_ref(obj, "spec.buffer.maxRequestSize"), sentences(
        "Envoy buffers each whole request body in memory before proxying (nginx spills large bodies to disk); "
        "larger bodies get 413 as in nginx. Not for WebSocket or streaming gRPC routes.", ctx.wider(site, req)))


def _acl(ctx: TargetContext, site: Site) -> tuple[dict[str, Any], dict[str, Any]]:
    obj = _tp(ctx, site)
    return obj, obj["spec"].setdefault("acl", {"defaultAction": "allow", "rules": []})


_ACL_NOTE = ("The client address is the one Envoy detects (ListenerPolicy httpSettings useRemoteAddress, "
             "xffNumTrustedHops), which must match nginx's real-ip settings.")


def ip_allow(ctx: TargetContext, site: Site, req: Requirement) -> Carried:
    obj, acl = _acl(ctx, site)
    if any(r["name"] == "allow-source-ranges" for r in acl["rules"]):
        raise NotCarried("two allow lists")
    acl["defaultAction"] = "deny"
    acl["rules"].append({"name": "allow-source-ranges", "action": "allow", "cidrs": list(req.params["cidrs"])})
    both = any(r["name"] == "deny-source-ranges" for r in acl["rules"])
    return Carried(obj_ref(obj, "spec.acl"), sentences(
        _ACL_NOTE, "With both lists, kgateway picks the rule with the longest matching prefix, where nginx "
        "applies deny before allow." if both else None, ctx.wider(site, req)))


def ip_deny(ctx: TargetContext, site: Site, req: Requirement) -> Carried:
    obj, acl = _acl(ctx, site)
    if any(r["name"] == "deny-source-ranges" for r in acl["rules"]):
        raise NotCarried("two deny lists")
    acl["rules"].insert(0, {"name": "deny-source-ranges", "action": "deny", "cidrs": list(req.params["cidrs"])})
    both = any(r["name"] == "allow-source-ranges" for r in acl["rules"])
    return Carried(obj_ref(obj, "spec.acl"), sentences(
        _ACL_NOTE, "With both lists, kgateway picks the rule with the longest matching prefix, where nginx "
        "applies deny before allow." if both else None, ctx.wider(site, req)))


def basic_auth(ctx: TargetContext, site: Site, req: Requirement) -> Carried:
    p = req.params
    if p.get("secret_type", "auth-file") != "auth-file":
        raise NotCarried("auth-map Secrets are not htpasswd files")
    if p.get("secret_namespace") and p["secret_namespace"] != site.namespace:
        raise NotCarried("cross-namespace Secret")
    obj = _tp(ctx, site)
    set_once(obj["spec"], "basicAuth", {"secretRef": {"name": p["secret_name"], "key": "auth"}})
    return Carried(obj_ref(obj, "spec.basicAuth.secretRef"), sentences(
        "The htpasswd data is read from key auth of the same Secret, as nginx does; Envoy's basic auth accepts "
        "only {SHA} hashes, so bcrypt, apr1 or crypt entries must be re-issued (the Secret was not read).",
        f"The realm ({p['realm']}) cannot be set." if p.get("realm") else None, ctx.wider(site, req)))


def external_auth(ctx: TargetContext, site: Site, req: Requirement) -> Carried:
    p = req.params
    svc = p.get("service")
    if not svc:
        raise NotCarried("the auth URL names no in-cluster Service")
    ref: dict[str, Any] = {"name": svc["name"], "port": int(svc["port"])}
    if svc.get("namespace") and svc["namespace"] != site.namespace:
        ref["namespace"] = svc["namespace"]
    http: dict[str, Any] = {"backendRef": ref}
    path = urlsplit(p["url"]).path
    if path and path != "/":
        http["pathPrefix"] = path
    if p.get("response_headers"):
        http["authorizationResponse"] = {"headersToBackend": list(p["response_headers"])}
    ext = ctx.policy(API, "GatewayExtension", site.namespace, ("ext-auth", repr(sorted(http.items()))),
                     f"ext-auth-{svc['name']}", site.sources, lambda: {"extAuth": {"httpService": http}})
    obj = _tp(ctx, site)
    set_once(obj["spec"], "extAuth", {"extensionRef": {"name": ext["metadata"]["name"]}})
    return Carried(f"{obj_ref(obj, 'spec.extAuth')} -> {obj_ref(ext, 'spec.extAuth.httpService')}", sentences(
        f"Envoy appends the request path to pathPrefix {path} (nginx calls exactly {p['url']})." if "pathPrefix"
        in http else None,
        "2xx lets the request through, any other status is returned to the client (nginx passes 401/403 and turns "
        "other codes into 500).",
        f"auth-signin ({p['signin_url']}) has no equivalent: clients get the 401." if p.get("signin_url") else None,
        grant_service(ctx, site, "gateway.kgateway.dev", "GatewayExtension", ref["namespace"], ref["name"])
        if "namespace" in ref else None,
        ctx.wider(site, req)))


def cors(ctx: TargetContext, site: Site, req: Requirement) -> Carried:
    params = dict(req.params)
    if not params.get("max_age"):
        params.pop("max_age", None)  # kgateway: an unset or 0 max age is left to the default
    c = cors_fields(params, GATEWAY_CORS_NAMES)
    obj = _tp(ctx, site)
    set_once(obj["spec"], "cors", c)
    return Carried(obj_ref(obj, "spec.cors"), ctx.wider(site, req))


def retry(ctx: TargetContext, site: Site, req: Requirement) -> Carried:
    p = req.params
    conds = list(p.get("conditions") or ())
    core_retry(ctx, site)
    if "off" in conds:
        return Carried(f"{site.ref} (retries off: nothing to emit)")
    on: list[str] = []
    codes: list[int] = []
    for c in conds:
        if c == "error":
            on += ["connect-failure", "reset"]
        elif c in ("timeout", "invalid_header"):
            on.append("reset")
        elif c in RETRY_STATUS:
            codes.append(RETRY_STATUS[c])
        elif c != "non_idempotent":
            raise NotCarried(f"condition {c}")
    if codes:
        on.append("retriable-status-codes")
    if not on:
        raise NotCarried("no condition")
    rt: dict[str, Any] = {"retryOn": list(dict.fromkeys(on))}
    if codes:
        rt["statusCodes"] = sorted(set(codes))
    if p.get("attempts"):
        rt["attempts"] = max(0, int(p["attempts"]) - 1)
    obj = _tp(ctx, site)
    set_once(obj["spec"], "retry", rt)
    return Carried(obj_ref(obj, "spec.retry"), sentences(
        "nginx 'timeout' maps to retries on reset." if "timeout" in conds else None,
        "nginx's unlimited tries become Envoy's default of one retry." if not p.get("attempts") else None,
        "The retry time budget is not carried." if p.get("timeout") else None,
        "Envoy also retries non-idempotent requests." if "non_idempotent" not in conds else None,
        ctx.wider(site, req)))


def backend_timeouts(ctx: TargetContext, site: Site, req: Requirement) -> Carried:
    p = req.params
    idle = [float(v) for v in (p.get("read"), p.get("send")) if v is not None]
    done: list[str] = []
    notes: list[str | None] = []
    if p.get("connect") is not None:
        objs, wider = _bcp(ctx, site, req)
        for o in objs:
            set_once(o["spec"], "connectTimeout", duration(float(p["connect"])))
        done += [obj_ref(o, "spec.connectTimeout") for o in objs]
        notes.append(wider)
    if idle:
        obj = _tp(ctx, site)
        set_once(obj["spec"], "timeouts", {"streamIdle": duration(max(idle))})
        done.append(obj_ref(obj, "spec.timeouts.streamIdle"))
        notes.append("nginx's read and send timeouts limit the time between two reads or two writes; the stream "
                     "idle timeout limits time without activity in either direction (the larger is used).")
        notes.append(ctx.wider(site, req))
    if not done:
        raise NotCarried("no timeout")
    return Carried("; ".join(done), sentences(*notes))


def session_affinity(ctx: TargetContext, site: Site, req: Requirement) -> Carried:
    p = req.params
    cookie: dict[str, Any] = {"name": p["cookie_name"]}
    if p.get("max_age"):
        cookie["ttl"] = duration(int(p["max_age"]))
    if p.get("path"):
        cookie["path"] = str(p["path"])
    if p.get("secure") is not None:
        cookie["secure"] = bool(p["secure"])
    if p.get("samesite") in ("Strict", "Lax", "None"):
        cookie["sameSite"] = p["samesite"]
    objs, wider = _bcp(ctx, site, req)
    for o in objs:
        set_once(o["spec"], "loadBalancer", {"ringHash": {"hashPolicies": [{"cookie": cookie}]}})
    return Carried("; ".join(obj_ref(o, "spec.loadBalancer.ringHash") for o in objs), sentences(
        "Envoy hashes the cookie onto a ring of endpoints instead of remembering the chosen one: when endpoints "
        "change some sessions move.",
        "Without a ttl Envoy does not issue the cookie itself (nginx issues a session cookie)."
        if not p.get("max_age") else None, wider))


def load_balancing(ctx: TargetContext, site: Site, req: Requirement) -> Carried:
    p = req.params
    alg = p.get("algorithm")
    note = None
    if alg == "round_robin":
        lb: dict[str, Any] = {"roundRobin": {}}
    elif alg == "ewma":
        lb = {"leastRequest": {}}
        note = "nginx's peak EWMA becomes Envoy's least-request balancing."
    elif alg == "hash" and p.get("hash_key") in ("$remote_addr", "$binary_remote_addr"):
        lb = {"ringHash": {"hashPolicies": [{"sourceIP": {}}]}}
    elif alg == "hash" and str(p.get("hash_key") or "").startswith("$http_"):
        lb = {"ringHash": {"hashPolicies": [{"header": {"name": str(p["hash_key"])[6:].replace("_", "-")}}]}}
    else:
        raise NotCarried(f"algorithm {alg}")
    objs, wider = _bcp(ctx, site, req)
    for o in objs:
        set_once(o["spec"], "loadBalancer", lb)
    return Carried("; ".join(obj_ref(o, "spec.loadBalancer") for o in objs), sentences(note, wider))


def backend_tls(ctx: TargetContext, site: Site, req: Requirement) -> Carried:
    p = req.params
    if p.get("ciphers") or p.get("protocols"):
        raise NotCarried("ciphers and protocols")
    tls: dict[str, Any] = {}
    if not p.get("verify", False):
        tls["insecureSkipVerify"] = True
    else:
        tls["wellKnownCACertificates"] = "System"
    if p.get("sni") and p.get("hostname"):
        tls["sni"] = str(p["hostname"])
    if p.get("client_secret"):
        ns, _, name = str(p["client_secret"]).rpartition("/")
        if ns and ns != site.namespace:
            raise NotCarried("cross-namespace client certificate")
        tls["secretRef"] = {"name": name}
    objs, wider = _bcp(ctx, site, req)
    for o in objs:
        set_once(o["spec"], "tls", tls)
    return Carried("; ".join(obj_ref(o, "spec.tls") for o in objs), sentences(
        "Verification uses the system CAs; a CA from proxy-ssl-secret must be given as tls.secretRef or "
        "tls.files by hand." if p.get("verify") else None, wider))


def regex_rewrite(ctx: TargetContext, site: Site, req: Requirement) -> Carried:
    if site.kind != "HTTPRoute":
        raise NotCarried("TrafficPolicy urlRewrite needs an HTTPRoute")
    obj = _tp(ctx, site)
    set_once(obj["spec"], "urlRewrite", {"pathRegex": {"pattern": str(req.params["pattern"]),
                                                       "substitution": str(req.params["substitution"])}})
    return Carried(obj_ref(obj, "spec.urlRewrite.pathRegex"), sentences(
        "Envoy uses RE2 regular expressions; PCRE-only constructs do not compile.", ctx.wider(site, req)))


HANDLERS: dict[str, Handler] = {
    "body-size-limit": body_size,
    "ip-allow": ip_allow,
    "ip-deny": ip_deny,
    "basic-auth": basic_auth,
    "external-auth": external_auth,
    "cors": cors,
    "retry": retry,
    "backend-timeouts": backend_timeouts,
    "session-affinity": session_affinity,
    "session-persistence": as_affinity(session_affinity),
    "load-balancing": load_balancing,  # after session-affinity: nginx's affinity overrides load-balance
    "backend-tls": backend_tls,
    "header-regex-rewrite": regex_rewrite,
    # after body-size-limit: a request buffer on the same rule means Envoy does not stream requests there
    "request-buffering": streaming("Envoy", "request bodies", lambda ctx, site: "the rule buffers requests (body size)"
                                   if (p := existing(ctx, "TrafficPolicy", site)) and "buffer" in p["spec"] else None),
    "response-buffering": streaming("Envoy", "responses"),
}


class KgatewayEmitter(TargetEmitter):
    name = "kgateway"
    title = TITLE
    gateway_controller: str | None = "kgateway.dev/kgateway"
    target_versions: tuple[str, ...] = ("kgateway/v2.4.x-5b968c3",)
    kinds: tuple[str, ...] = ("TrafficPolicy", "GatewayExtension", "BackendConfigPolicy", "ReferenceGrant")
    handlers = HANDLERS
    not_carried = {
        "rate-limit": "the local token bucket is shared by all clients of the route; a per-client limit needs "
                      "a rate-limit service (GatewayExtension RateLimit)",
        "connection-limit": "no per-client concurrency limit",
        "snippet": "raw nginx configuration",
    }


EMITTER = KgatewayEmitter()
