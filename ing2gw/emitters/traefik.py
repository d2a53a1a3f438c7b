"""Traefik v3.7: one Middleware per setting, referenced from the route rule through an ExtensionRef filter.

ExtensionRef filters sit on the rule itself, so every Middleware applies exactly to the paths the source
annotation applied to, whatever the Gateway API version.
"""

from __future__ import annotations

from typing import Any

from ing2gw.emitters.common import (
    RETRY_STATUS,
    Carried,
    Handler,
    NotCarried,
    Site,
    TargetContext,
    TargetEmitter,
    core_retry,
    cors_fields,
    obj_ref,
    rate_limits,
    sentences,
    streaming,
)
from ing2gw.model import Requirement

API = "traefik.io/v1alpha1"
GROUP = "traefik.io"
TITLE = "Traefik"


def _middleware(ctx: TargetContext, site: Site, req: Requirement, suffix: str, spec: dict[str, Any],
                field: str) -> str:
    """One Middleware per requirement, referenced from the site's rule; returns where it went."""
    obj = ctx.policy(API, "Middleware", site.namespace, (req.id, suffix),
                     f"{req.source.name}-{suffix}", site.sources, lambda: spec)
    where = ctx.route_filter(site, GROUP, "Middleware", obj["metadata"]["name"])
    return f"{obj_ref(obj, field)} via {where}"


def rate_limit(ctx: TargetContext, site: Site, req: Requirement) -> Carried:
    p = req.params
    if p.get("exempt_cidrs"):
        raise NotCarried("Traefik's rateLimit cannot exempt client CIDRs")
    wheres = []
    for lim in rate_limits(req):
        period = {"Second": "1s", "Minute": "1m"}[lim.get("unit", "Second")]
        requests = int(lim["requests"])
        burst = int(lim.get("burst") or 0)
        rl = {"average": requests, "period": period, "burst": requests + burst,
              "sourceCriterion": {"ipStrategy": {"depth": 0}}}
        wheres.append(_middleware(ctx, site, req, f"rate-limit-{period[-1]}", {"rateLimit": rl}, "spec.rateLimit"))
    return Carried("; ".join(wheres), sentences(
        "Traefik's token bucket refills continuously at the average rate and holds up to burst requests "
        "(nginx's rate plus its burst); nginx's leaky bucket queues the burst instead of passing it at once.",
        "Limits count per Traefik replica and per client address (the remote address; set ipStrategy.depth when "
        f"Traefik sits behind a proxy). Rejected requests get 429, not nginx's {p.get('status_code') or 503}."))


def connection_limit(ctx: TargetContext, site: Site, req: Requirement) -> Carried:
    p = req.params
    if p.get("exempt_cidrs"):
        raise NotCarried("Traefik's inFlightReq cannot exempt client CIDRs")
    spec = {"inFlightReq": {"amount": int(p["connections"]), "sourceCriterion": {"ipStrategy": {"depth": 0}}}}
    where = _middleware(ctx, site, req, "in-flight", spec, "spec.inFlightReq")
    return Carried(where, "Traefik limits simultaneous requests in flight per client address, where nginx limits "
                          "open connections (an idle keep-alive connection counts for nginx, not for Traefik); "
                          f"rejected requests get 429, not nginx's {p.get('status_code') or 503}.")


def ip_allow(ctx: TargetContext, site: Site, req: Requirement) -> Carried:
    spec = {"ipAllowList": {"sourceRange": list(req.params["cidrs"])}}
    where = _middleware(ctx, site, req, "ip-allow", spec, "spec.ipAllowList")
    return Carried(where, "The client address is the remote address unless ipAllowList.ipStrategy is set for "
                          "X-Forwarded-For; other clients get 403 as in nginx.")


def external_auth(ctx: TargetContext, site: Site, req: Requirement) -> Carried:
    p = req.params
    fa: dict[str, Any] = {"address": str(p["url"])}
    if p.get("response_headers"):
        fa["authResponseHeaders"] = list(p["response_headers"])
    if p.get("signin_url"):
        fa["authSigninURL"] = str(p["signin_url"])
    where = _middleware(ctx, site, req, "forward-auth", {"forwardAuth": fa}, "spec.forwardAuth")
    return Carried(where, sentences(
        "Traefik calls the URL with the original method and headers (X-Forwarded-Method, -Uri) and no body, as "
        "nginx auth_request does; 2xx lets the request through and any other response is returned to the client "
        "(nginx turns codes other than 401/403 into 500).",
        f"auth-method {p['method']} is not carried." if p.get("method") else None,
        "On 401 Traefik redirects to authSigninURL without nginx's rd= parameter." if p.get("signin_url") else None))


def basic_auth(ctx: TargetContext, site: Site, req: Requirement) -> Carried:
    p = req.params
    if p.get("secret_type", "auth-file") != "auth-file":
        raise NotCarried("auth-map Secrets are not htpasswd files")
    if p.get("secret_namespace") and p["secret_namespace"] != site.namespace:
        raise NotCarried("cross-namespace Secret")
    ba: dict[str, Any] = {"secret": str(p["secret_name"])}
    if p.get("realm"):
        ba["realm"] = str(p["realm"])
    where = _middleware(ctx, site, req, "basic-auth", {"basicAuth": ba}, "spec.basicAuth")
    return Carried(where, f"Traefik reads htpasswd lines from key users of Secret {p['secret_name']} (nginx reads "
                          "key auth): copy the data to key users (the Secret was not read). Traefik accepts MD5 "
                          "(apr1), SHA1 and bcrypt hashes, not crypt().")


def body_size(ctx: TargetContext, site: Site, req: Requirement) -> Carried:
    n = int(req.params["bytes"])
    if n == 0:
        return Carried(f"{site.ref} (no limit: Traefik sets no request body limit by default)")
    where = _middleware(ctx, site, req, "body-size", {"buffering": {"maxRequestBodyBytes": n}},
                        "spec.buffering.maxRequestBodyBytes")
    return Carried(where, "Traefik's buffering middleware reads the whole request body before proxying (in memory "
                          "up to memRequestBodyBytes, then on disk), like nginx's request buffering; larger bodies "
                          "get 413 as in nginx.")


def cors(ctx: TargetContext, site: Site, req: Requirement) -> Carried:
    h = cors_fields(req.params, {
        "allow_origins": "accessControlAllowOriginList", "allow_methods": "accessControlAllowMethods",
        "allow_headers": "accessControlAllowHeaders", "expose_headers": "accessControlExposeHeaders",
        "allow_credentials": "accessControlAllowCredentials", "max_age": "accessControlMaxAge"})
    where = _middleware(ctx, site, req, "cors", {"headers": h}, "spec.headers")
    return Carried(where, "Traefik answers preflight requests itself, as nginx's enable-cors does.")


def regex_rewrite(ctx: TargetContext, site: Site, req: Requirement) -> Carried:
    import re

    sub = re.sub(r"\\(\d)", r"${\1}", str(req.params["substitution"]))
    spec = {"replacePathRegex": {"regex": str(req.params["pattern"]), "replacement": sub}}
    where = _middleware(ctx, site, req, "rewrite", spec, "spec.replacePathRegex")
    return Carried(where, "Traefik uses Go (RE2) regular expressions with ${1} references; PCRE-only constructs do "
                          "not compile. The original path is kept in X-Replaced-Path.")


def retry(ctx: TargetContext, site: Site, req: Requirement) -> Carried:
    p = req.params
    conds = list(p.get("conditions") or ())
    core_retry(ctx, site)
    if "off" in conds:
        return Carried(f"{site.ref} (retries off: nothing to emit)")
    status = [str(RETRY_STATUS[c]) for c in conds if c in RETRY_STATUS]
    unknown = [c for c in conds if c not in RETRY_STATUS and c not in ("error", "timeout", "non_idempotent",
                                                                         "invalid_header")]
    if unknown:
        raise NotCarried(f"conditions {unknown}")
    r: dict[str, Any] = {"attempts": int(p["attempts"]) if p.get("attempts") else 3}
    if status:
        r["status"] = status
    if "error" not in conds and "timeout" not in conds:
        r["disableRetryOnNetworkError"] = True
    if "non_idempotent" in conds:
        r["retryNonIdempotentMethod"] = True
    where = _middleware(ctx, site, req, "retry", {"retry": r}, "spec.retry")
    return Carried(where, sentences(
        "nginx's unlimited tries become 3 attempts." if not p.get("attempts") else None,
        "Traefik's network-error retries cover nginx's error and timeout conditions.",
        "The retry time budget is not carried." if p.get("timeout") else None))


def existing_middlewares(ctx: TargetContext, site: Site, req: Requirement) -> Carried:
    """Middlewares a Traefik Ingress already used: referenced from the rule as they are, in Traefik's order."""
    p = req.params
    if p.get("level") == "service":
        names = {b.name for b in site.backends}
        if names != {p.get("service")}:
            raise NotCarried("a service-level middleware on a rule with other backends")
    refs = []
    for m in p.get("middlewares") or ():
        if m.get("provider") not in (None, "kubernetescrd") or not m.get("name"):
            raise NotCarried(f"middleware {m.get('ref')} is not a Kubernetes CRD Middleware")
        if (m.get("namespace") or site.namespace) != site.namespace:
            raise NotCarried("ExtensionRef cannot reference another namespace")
        refs.append(str(m["name"]))
    if not refs:
        raise NotCarried("no middleware")
    wheres = [ctx.route_filter(site, GROUP, "Middleware", name) for name in refs]
    return Carried("; ".join(wheres), "The existing Middleware objects are referenced, not copied."
                   if p.get("level") != "service" else
                   "A service-level middleware runs for the whole rule, whose only backend is that Service.")


# In nginx's phase order, which is the order the filters run in: CORS preflight (rewrite phase), limits
# (preaccess), access lists and authentication (access), then body handling and retries.
HANDLERS: dict[str, Handler] = {
    "cors": cors,
    "rate-limit": rate_limit,
    "connection-limit": connection_limit,
    "ip-allow": ip_allow,
    "basic-auth": basic_auth,
    "external-auth": external_auth,
    "header-regex-rewrite": regex_rewrite,
    "body-size-limit": body_size,
    "retry": retry,
    "traefik-middleware": existing_middlewares,
    "response-buffering": streaming("Traefik", "responses"),
}


class TraefikEmitter(TargetEmitter):
    name = "traefik"
    title = TITLE
    gateway_controller: str | None = "traefik.io/gateway-controller"
    target_versions: tuple[str, ...] = ("traefik/v3.7.9",)
    kinds: tuple[str, ...] = ("Middleware",)
    handlers = HANDLERS
    partial = ("limit-allowlist",)
    not_carried = {
        "ip-deny": "Traefik has an allow list only",
        "rate-limit": "carried unless clients are exempted (limit-allowlist)",
        "connection-limit": "carried unless clients are exempted (limit-allowlist)",
        "session-affinity": "sticky cookies are set on the Service (TraefikService or Service annotations)",
    }


EMITTER = TraefikEmitter()
