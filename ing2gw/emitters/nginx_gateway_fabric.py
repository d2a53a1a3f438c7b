"""NGINX Gateway Fabric v2.6: nginx itself, so limits, sizes and timeouts keep nginx's exact meaning.

Route policies (ClientSettingsPolicy, ProxySettingsPolicy, RateLimitPolicy) can only target a whole
HTTPRoute, never one rule; when the route holds rules the source annotation did not apply to, the
notification says the setting is wider. Filters (AuthenticationFilter, SnippetsFilter) go onto the rule
itself through ExtensionRef. Snippets are emitted only with ``--allow-snippets``.
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
    nginx_size,
    nginx_time,
    obj_ref,
    rate_limits,
    sentences,
    service_backends,
    service_target,
    set_once,
)
from ing2gw.model import Requirement

API = "gateway.nginx.org/v1alpha1"
GROUP = "gateway.nginx.org"
TITLE = "NGINX Gateway Fabric"


def _route_policy(ctx: TargetContext, kind: str, site: Site, *, single: bool = False) -> dict[str, Any]:
    return ctx.site_policy(API, kind, site, single_ref=single, section=False)


def body_size(ctx: TargetContext, site: Site, req: Requirement) -> Carried:
    size, exact = nginx_size(int(req.params["bytes"]))
    obj = _route_policy(ctx, "ClientSettingsPolicy", site, single=True)
    body = obj["spec"].setdefault("body", {})
    set_once(body, "maxSize", size)
    return Carried(obj_ref(obj, "spec.body.maxSize"), sentences(
        None if exact else f"rounded up to {size} (at most 4 digits per unit).",
        ctx.wider(site, req, section=False)))


def rate_limit(ctx: TargetContext, site: Site, req: Requirement) -> Carried:
    p = req.params
    if p.get("exempt_cidrs"):
        raise NotCarried("RateLimitPolicy keys cannot exempt client CIDRs")
    rules = []
    for lim in rate_limits(req):
        rule: dict[str, Any] = {"rate": f"{int(lim['requests'])}r/{'s' if lim.get('unit', 'Second') == 'Second' else 'm'}",
                                "key": "$binary_remote_addr"}
        if lim.get("burst"):
            rule["burst"] = int(lim["burst"])
            rule["noDelay"] = True
        rules.append(rule)
    obj = _route_policy(ctx, "RateLimitPolicy", site)
    rl = obj["spec"].setdefault("rateLimit", {})
    set_once(rl, "local", {"rules": rules})
    set_once(rl, "rejectCode", int(p.get("status_code") or 503))
    return Carried(obj_ref(obj, "spec.rateLimit.local"), sentences(
        "Same nginx limit_req leaky bucket, per client address and per replica, with burst and nodelay as "
        "ingress-nginx sets them.", ctx.wider(site, req, section=False)))


def backend_timeouts(ctx: TargetContext, site: Site, req: Requirement) -> Carried:
    p = req.params
    t: dict[str, Any] = {}
    for k in ("connect", "read", "send"):
        if p.get(k) is not None:
            t[k] = nginx_time(float(p[k]))
    if not t:
        raise NotCarried("no timeout")
    obj = _route_policy(ctx, "ProxySettingsPolicy", site)
    set_once(obj["spec"], "timeout", t)
    return Carried(obj_ref(obj, "spec.timeout"), ctx.wider(site, req, section=False))


def response_buffering(ctx: TargetContext, site: Site, req: Requirement) -> Carried:
    p = req.params
    b: dict[str, Any] = {}
    if not p.get("enabled", True):
        b["disable"] = True
    exact = True
    if p.get("buffer_size"):
        b["bufferSize"], exact = nginx_size(int(p["buffer_size"]))
    if p.get("buffers"):
        number = int(p["buffers"])
        if not 2 <= number <= 256 or not p.get("buffer_size"):
            raise NotCarried("buffers")
        b["buffers"] = {"number": number, "size": b["bufferSize"]}
    if not b:
        return Carried(f"{site.ref} (buffering on: nginx's default)")
    obj = _route_policy(ctx, "ProxySettingsPolicy", site)
    set_once(obj["spec"], "buffering", b)
    return Carried(obj_ref(obj, "spec.buffering"), sentences(
        None if exact else "Sizes rounded up (at most 4 digits per unit).", ctx.wider(site, req, section=False)))


def load_balancing(ctx: TargetContext, site: Site, req: Requirement) -> Carried:
    p = req.params
    alg = p.get("algorithm")
    note = None
    spec: dict[str, Any]
    if alg == "round_robin":
        spec = {"loadBalancingMethod": "round_robin"}
    elif alg == "ewma":
        spec = {"loadBalancingMethod": "random two least_conn"}
        note = "ingress-nginx's Lua peak EWMA has no nginx equivalent; 'random two least_conn' is the closest."
    elif alg == "hash" and str(p.get("hash_key") or "").startswith("$") and \
            str(p["hash_key"])[1:].replace("_", "a").isalnum() and str(p["hash_key"])[1:].islower():
        spec = {"loadBalancingMethod": "hash consistent", "hashMethodKey": str(p["hash_key"])}
    else:
        raise NotCarried(f"algorithm {alg}")
    svcs = service_backends(site)
    if not svcs:
        raise NotCarried("no Service backend")
    objs = []
    for b in svcs:
        o = ctx.service_policy(API, "UpstreamSettingsPolicy", b.namespace or site.namespace, b.name, site.sources,
                               service_target(b.name))
        for k, v in spec.items():
            set_once(o["spec"], k, v)
        objs.append(o)
    names = ", ".join(sorted({b.name for b in svcs}))
    return Carried("; ".join(obj_ref(o, "spec.loadBalancingMethod") for o in objs), sentences(
        note, f"UpstreamSettingsPolicy attaches to the Service ({names}), so it applies to every route that uses "
        "it, not only the paths of this Ingress."))


def basic_auth(ctx: TargetContext, site: Site, req: Requirement) -> Carried:
    p = req.params
    if p.get("secret_type", "auth-file") != "auth-file":
        raise NotCarried("auth-map Secrets are not htpasswd files")
    if p.get("secret_namespace") and p["secret_namespace"] != site.namespace:
        raise NotCarried("cross-namespace Secret")
    realm = str(p.get("realm") or "Authentication Required")
    obj = ctx.policy(API, "AuthenticationFilter", site.namespace, ("basic", p["secret_name"], realm),
                     f"basic-auth-{p['secret_name']}", site.sources,
                     lambda: {"type": "Basic", "basic": {"realm": realm, "secretRef": {"name": p["secret_name"]}}})
    where = ctx.route_filter(site, GROUP, "AuthenticationFilter", obj["metadata"]["name"])
    return Carried(f"{obj_ref(obj, 'spec.basic')} via {where}", sentences(
        f"nginx checks the same htpasswd formats, but NGINX Gateway Fabric may expect another Secret type or data "
        f"key than ingress-nginx's key auth: check Secret {p['secret_name']} against its basic-authentication "
        "guide (the Secret was not read).",
        None if p.get("realm") else "ingress-nginx's default realm is kept as 'Authentication Required'."))


_CONTEXTS = {"location": "http.server.location", "server": "http.server"}


def snippet(ctx: TargetContext, site: Site, req: Requirement) -> Carried:
    if not ctx.options.allow_snippets:
        raise NotCarried("snippets need --allow-snippets")
    context = _CONTEXTS.get(str(req.params.get("context")))
    if context is None:
        raise NotCarried(f"context {req.params.get('context')}")
    obj = ctx.policy(API, "SnippetsFilter", site.namespace, ("snippet", req.id),
                     f"{req.source.name}-{req.params['context']}-snippet", site.sources,
                     lambda: {"snippets": [{"context": context, "value": str(req.params["text"])}]})
    where = ctx.route_filter(site, GROUP, "SnippetsFilter", obj["metadata"]["name"])
    return Carried(f"{obj_ref(obj, 'spec.snippets')} via {where}", sentences(
        "The raw nginx configuration is copied unchanged (--allow-snippets): review it, since NGINX Gateway "
        "Fabric's generated configuration differs from ingress-nginx's (variables, Lua and module directives may "
        "be missing), and snippets must be enabled in NGINX Gateway Fabric.",
        "A server snippet in a SnippetsFilter lands in the server block of this route's host." if
        context == "http.server" else None))


HANDLERS: dict[str, Handler] = {
    "body-size-limit": body_size,
    "rate-limit": rate_limit,
    "backend-timeouts": backend_timeouts,
    "response-buffering": response_buffering,
    "load-balancing": load_balancing,
    "basic-auth": basic_auth,
    "snippet": snippet,
}


class NginxGatewayFabricEmitter(TargetEmitter):
    name = "nginx-gateway-fabric"
    title = TITLE
    gateway_controller: str | None = "gateway.nginx.org/nginx-gateway-controller"
    target_versions: tuple[str, ...] = ("nginx-gateway-fabric/v2.6.7",)
    kinds: tuple[str, ...] = ("ClientSettingsPolicy", "ProxySettingsPolicy", "RateLimitPolicy",
                              "UpstreamSettingsPolicy", "AuthenticationFilter", "SnippetsFilter")
    handlers = HANDLERS
    partial = ("limit-allowlist", "auth-snippet")
    not_carried = {
        "ip-allow": "no access-list policy (only through snippets)",
        "ip-deny": "no access-list policy (only through snippets)",
        "external-auth": "no auth_request policy",
        "session-affinity": "cookie stickiness (sticky cookie) is NGINX Plus only",
        "retry": "no proxy_next_upstream policy",
        "cors": "no CORS policy; use the core CORS filter (Gateway API v1.5)",
        "rate-limit": "carried unless clients are exempted (limit-allowlist): keys cannot exempt CIDRs",
    }


EMITTER = NginxGatewayFabricEmitter()
