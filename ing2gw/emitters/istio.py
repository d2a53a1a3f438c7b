"""Istio 1.30: AuthorizationPolicy on the Gateway, narrowed to the rule's hosts and paths; DestinationRule per Service.

AuthorizationPolicy cannot target an HTTPRoute rule, so each policy targets the Gateway the route attaches
to and narrows itself with ``to.operation`` hosts and paths of that rule. Allow lists are written as
DENY policies for every client outside the list, so other routes of the Gateway stay open (an ALLOW
policy would close them). External auth uses a CUSTOM policy with the extension provider the user names
with ``--emitter-setting istio.extAuthzProvider=NAME`` (declared in the mesh config).
"""

from __future__ import annotations

from typing import Any

from ing2gw.emitters.common import (
    Carried,
    Handler,
    NotCarried,
    Site,
    TargetContext,
    TargetEmitter,
    as_affinity,
    duration,
    obj_ref,
    sentences,
    service_backends,
    set_once,
    spec_of,
    streaming,
)
from ing2gw.model import Requirement

SECURITY = "security.istio.io/v1"
NETWORKING = "networking.istio.io/v1"
TITLE = "Istio"
PROVIDER_SETTING = "istio.extAuthzProvider"


def _operation(site: Site) -> tuple[dict[str, Any], str | None]:
    """``to.operation`` for the site's hostnames and paths, and a sentence when it is wider than the rule."""
    op: dict[str, Any] = {}
    if site.hostnames:
        # the Host header may carry a port (shop.example.com:8443): match both forms
        op["hosts"] = [h for host in site.hostnames for h in (host, f"{host}:*")]
    paths: list[str] = []
    wider = None
    for m in site.matches:
        if m.path is None:
            continue
        if m.path.type == "Exact":
            paths.append(m.path.value)
        elif m.path.type == "PathPrefix":
            v = m.path.value.rstrip("/")
            if not v:
                paths = []
                break
            paths += [v, v + "/*"]
        else:
            paths = []
            wider = "A regular-expression path cannot be expressed in AuthorizationPolicy paths: the policy covers " \
                    "every path of the host."
            break
        if m.headers or m.query_params or m.method:
            wider = "Header, query and method matches of the rule are not repeated: the policy covers the path."
    if paths:
        op["paths"] = list(dict.fromkeys(paths))
    if not site.hostnames:
        wider = sentences(wider, "The route has no hostname: the policy covers every host of the Gateway.")
    return op, wider


def _gateway_policy(ctx: TargetContext, site: Site, req: Requirement, suffix: str,
                    spec: dict[str, Any]) -> tuple[list[dict[str, Any]], str | None]:
    parents = [p for p in site.parents if p.kind == "Gateway" and p.group == "gateway.networking.k8s.io"]
    if not parents:
        raise NotCarried("no parent Gateway")
    objs = []
    for p in dict.fromkeys((p.namespace or site.namespace, p.name) for p in parents):
        ns, name = p
        target = {"group": "gateway.networking.k8s.io", "kind": "Gateway", "name": name}
        obj = ctx.policy(SECURITY, "AuthorizationPolicy", ns, (req.id, site.route, site.index, name),
                         f"{site.route}-{site.rule_name or site.index}-{suffix}", site.sources,
                         spec_of({"targetRefs": [target], **spec}))
        objs.append(obj)
    cross = any(ns != site.namespace for ns, _ in dict.fromkeys((p.namespace or site.namespace, p.name)
                                                                  for p in parents))
    return objs, ("The policy lives in the Gateway's namespace, since AuthorizationPolicy can only target a "
                  "Gateway in its own namespace." if cross else None)


_IP_NOTE = ("Istio matches remoteIpBlocks against the client address taken from X-Forwarded-For according to the "
            "gateway's numTrustedProxies, which must match nginx's real-ip settings.")


def ip_allow(ctx: TargetContext, site: Site, req: Requirement) -> Carried:
    op, wider = _operation(site)
    rule: dict[str, Any] = {"from": [{"source": {"notRemoteIpBlocks": list(req.params["cidrs"])}}]}
    if op:
        rule["to"] = [{"operation": op}]
    objs, where = _gateway_policy(ctx, site, req, "allow-source-ranges", {"action": "DENY", "rules": [rule]})
    return Carried("; ".join(obj_ref(o, "spec.rules") for o in objs), sentences(
        "Written as a DENY policy for clients outside the list, limited to this rule's hosts and paths, so other "
        "routes on the Gateway stay open; denied clients get 403 as in nginx.", _IP_NOTE, wider, where))


def ip_deny(ctx: TargetContext, site: Site, req: Requirement) -> Carried:
    op, wider = _operation(site)
    rule: dict[str, Any] = {"from": [{"source": {"remoteIpBlocks": list(req.params["cidrs"])}}]}
    if op:
        rule["to"] = [{"operation": op}]
    objs, where = _gateway_policy(ctx, site, req, "deny-source-ranges", {"action": "DENY", "rules": [rule]})
    return Carried("; ".join(obj_ref(o, "spec.rules") for o in objs), sentences(_IP_NOTE, wider, where))


def external_auth(ctx: TargetContext, site: Site, req: Requirement) -> Carried:
    provider = ctx.options.settings.get(PROVIDER_SETTING)
    if not provider:
        raise NotCarried(f"needs --emitter-setting {PROVIDER_SETTING}=NAME")
    op, wider = _operation(site)
    rule: dict[str, Any] = {"to": [{"operation": op}]} if op else {}
    objs, where = _gateway_policy(ctx, site, req, "ext-authz",
                                  {"action": "CUSTOM", "provider": {"name": provider}, "rules": [rule]})
    p = req.params
    return Carried("; ".join(obj_ref(o, "spec.provider") for o in objs), sentences(
        f"The auth service ({p['url']}) must be declared as the extension provider {provider} in the mesh config "
        "(envoyExtAuthzHttp: service, port, pathPrefix"
        + (", headersToUpstreamOnAllow: " + ", ".join(p["response_headers"]) if p.get("response_headers") else "")
        + "); Istio appends the request path to pathPrefix, where nginx calls the URL exactly.",
        f"auth-signin ({p['signin_url']}) has no equivalent." if p.get("signin_url") else None, wider, where))


def _destination_rules(ctx: TargetContext, site: Site) -> tuple[list[dict[str, Any]], str]:
    svcs = service_backends(site)
    if not svcs:
        raise NotCarried("no Service backend")
    objs = []
    for b in svcs:
        ns = b.namespace or site.namespace
        host = f"{b.name}.{ns}.svc.cluster.local"
        objs.append(ctx.service_policy(NETWORKING, "DestinationRule", ns, b.name, site.sources,
                                       spec_of({"host": host, "trafficPolicy": {}})))
    names = ", ".join(sorted({b.name for b in svcs}))
    return objs, (f"A DestinationRule applies to every client of the Service ({names}) in the mesh, not only "
                  "to the paths of this Ingress.")


def session_affinity(ctx: TargetContext, site: Site, req: Requirement) -> Carried:
    p = req.params
    cookie: dict[str, Any] = {"name": p["cookie_name"], "ttl": duration(int(p["max_age"])) if p.get("max_age") else "0s"}
    if p.get("path"):
        cookie["path"] = str(p["path"])
    attrs = []
    if p.get("samesite"):
        attrs.append({"name": "SameSite", "value": str(p["samesite"])})
    if p.get("secure"):
        attrs.append({"name": "Secure"})
    if attrs:
        cookie["attributes"] = attrs
    objs, wider = _destination_rules(ctx, site)
    for o in objs:
        set_once(o["spec"]["trafficPolicy"], "loadBalancer", {"consistentHash": {"httpCookie": cookie}})
    return Carried("; ".join(obj_ref(o, "spec.trafficPolicy.loadBalancer.consistentHash.httpCookie") for o in objs),
                   sentences("Envoy hashes the cookie onto a ring of endpoints instead of remembering the chosen one: "
                         "when endpoints change some sessions move.", wider))


def load_balancing(ctx: TargetContext, site: Site, req: Requirement) -> Carried:
    p = req.params
    alg = p.get("algorithm")
    key = str(p.get("hash_key") or "")
    note = None
    if alg == "round_robin":
        lb: dict[str, Any] = {"simple": "ROUND_ROBIN"}
    elif alg == "ewma":
        lb = {"simple": "LEAST_REQUEST"}
        note = "nginx's peak EWMA becomes least-request balancing."
    elif alg == "hash" and key in ("$remote_addr", "$binary_remote_addr"):
        lb = {"consistentHash": {"useSourceIp": True}}
    elif alg == "hash" and key.startswith("$http_"):
        lb = {"consistentHash": {"httpHeaderName": key[6:].replace("_", "-")}}
    elif alg == "hash" and key.startswith("$arg_"):
        lb = {"consistentHash": {"httpQueryParameterName": key[5:]}}
    else:
        raise NotCarried(f"algorithm {alg}")
    objs, wider = _destination_rules(ctx, site)
    for o in objs:
        set_once(o["spec"]["trafficPolicy"], "loadBalancer", lb)
    return Carried("; ".join(obj_ref(o, "spec.trafficPolicy.loadBalancer") for o in objs), sentences(note, wider))


def backend_tls(ctx: TargetContext, site: Site, req: Requirement) -> Carried:
    p = req.params
    if p.get("ciphers") or p.get("protocols"):
        raise NotCarried("ciphers and protocols")
    tls: dict[str, Any] = {"mode": "SIMPLE"}
    if p.get("client_secret"):
        ns, _, name = str(p["client_secret"]).rpartition("/")
        if ns and ns != site.namespace:
            raise NotCarried("cross-namespace client certificate")
        tls = {"mode": "MUTUAL", "credentialName": name}
    if not p.get("verify", False):
        tls["insecureSkipVerify"] = True
    if p.get("hostname") and p.get("sni", True):
        tls["sni"] = str(p["hostname"])
    objs, wider = _destination_rules(ctx, site)
    for o in objs:
        set_once(o["spec"]["trafficPolicy"], "tls", tls)
    return Carried("; ".join(obj_ref(o, "spec.trafficPolicy.tls") for o in objs), sentences(
        "The client certificate Secret must hold tls.crt, tls.key and (to verify) ca.crt." if p.get("client_secret")
        else None, wider))


HANDLERS: dict[str, Handler] = {
    "ip-allow": ip_allow,
    "ip-deny": ip_deny,
    "external-auth": external_auth,
    "session-affinity": session_affinity,
    "session-persistence": as_affinity(session_affinity),
    "load-balancing": load_balancing,  # after session-affinity: nginx's affinity overrides load-balance
    "backend-tls": backend_tls,
    "request-buffering": streaming("Envoy", "request bodies"),
    "response-buffering": streaming("Envoy", "responses"),
}


class IstioEmitter(TargetEmitter):
    name = "istio"
    title = TITLE
    gateway_controller: str | None = "istio.io/gateway-controller"
    target_versions: tuple[str, ...] = ("istio/1.30.3",)
    kinds: tuple[str, ...] = ("AuthorizationPolicy", "DestinationRule")
    settings: dict[str, str] = {PROVIDER_SETTING: "extension provider (mesh config) for external-auth"}
    handlers = HANDLERS
    not_carried = {
        "rate-limit": "only through EnvoyFilter or a rate-limit service",
        "basic-auth": "no basic-auth policy",
        "body-size-limit": "only through EnvoyFilter",
        "external-auth": "carried only with --emitter-setting istio.extAuthzProvider=NAME",
    }


EMITTER = IstioEmitter()
