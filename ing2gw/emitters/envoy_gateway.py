"""Envoy Gateway v1.9: BackendTrafficPolicy, SecurityPolicy and HTTPRouteFilter for what core cannot express.

Every policy attaches by ``targetRefs`` to the one route rule (``sectionName``) the source annotation
applied to, or to the route when the chosen Gateway API version has no rule names (and then says so).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from ing2gw.emitters.common import (
    GATEWAY_CORS_NAMES,
    RETRY_STATUS,
    Carried,
    Handler,
    ListenerSite,
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
    https_listeners,
    obj_ref,
    quantity,
    rate_limits,
    sentences,
    set_once,
    spec_of,
    streaming,
)
from ing2gw.model import Requirement

API = "gateway.envoyproxy.io/v1alpha1"
GROUP = "gateway.envoyproxy.io"
TITLE = "Envoy Gateway"


def _btp(ctx: TargetContext, site: Site) -> dict[str, Any]:
    return ctx.site_policy(API, "BackendTrafficPolicy", site)


def _sp(ctx: TargetContext, site: Site) -> dict[str, Any]:
    return ctx.site_policy(API, "SecurityPolicy", site)


def rate_limit(ctx: TargetContext, site: Site, req: Requirement) -> Carried:
    p = req.params
    limits = rate_limits(req)
    exempt = list(p.get("exempt_cidrs") or ())
    if len(exempt) > 7 or len(limits) > 8:
        raise NotCarried("more than 7 exempt CIDRs or 8 limits")
    rules = []
    for lim in limits:
        for everyone in ("0.0.0.0/0", "::/0"):
            selectors: list[dict[str, Any]] = [{"sourceCIDR": {"type": "Distinct", "value": everyone}}]
            selectors += [{"sourceCIDR": {"type": "Exact", "value": c, "invert": True}} for c in exempt]
            rules.append({"clientSelectors": selectors,
                          "limit": {"requests": int(lim["requests"]), "unit": lim.get("unit", "Second")}})
    obj = _btp(ctx, site)
    rl = obj["spec"].setdefault("rateLimit", {})
    set_once(rl, "local", {"rules": rules})
    shown = "; ".join(f"{lim['requests']} per {lim.get('unit', 'Second').lower()}"
                      + (f" (nginx burst {lim['burst']})" if lim.get("burst") else "") for lim in limits)
    caveat = sentences(
        f"Envoy's local rate limit ({shown}) is a token bucket refilled once per unit: a client may send a whole "
        "unit's requests at once, where nginx's leaky bucket spreads them evenly and lets the burst wait in a "
        "queue (nodelay) instead.",
        "Limits count per Envoy replica, as nginx counts per controller replica, but each rule has its own counter "
        "where nginx shares one across all paths of the Ingress.",
        f"Rejected requests get 429, not nginx's {p.get('status_code') or 503} (limit-req-status-code).",
        "Client addresses come from Envoy's client IP detection (ClientTrafficPolicy.clientIPDetection), "
        "not nginx's real-ip settings.",
        "Exempt CIDRs are excluded with inverted sourceCIDR selectors." if exempt else None,
        ctx.wider(site, req),
    )
    return Carried(obj_ref(obj, "spec.rateLimit.local"), caveat)


def _authz(ctx: TargetContext, site: Site) -> tuple[dict[str, Any], dict[str, Any]]:
    obj = _sp(ctx, site)
    return obj, obj["spec"].setdefault("authorization", {"rules": []})


def ip_allow(ctx: TargetContext, site: Site, req: Requirement) -> Carried:
    cidrs = list(req.params["cidrs"])
    obj, az = _authz(ctx, site)
    if any(r["name"] == "allow-source-ranges" for r in az["rules"]):
        raise NotCarried("two allow lists on one target")
    az["defaultAction"] = "Deny"
    az["rules"].append({"name": "allow-source-ranges", "action": "Allow", "principal": {"clientCIDRs": cidrs}})
    return Carried(obj_ref(obj, "spec.authorization"), sentences(
        "Other clients get 403 as in nginx; the client address is the one Envoy detects "
        "(ClientTrafficPolicy.clientIPDetection), which must match nginx's real-ip settings.",
        ctx.wider(site, req)))


def ip_deny(ctx: TargetContext, site: Site, req: Requirement) -> Carried:
    cidrs = list(req.params["cidrs"])
    obj, az = _authz(ctx, site)
    if any(r["name"] == "deny-source-ranges" for r in az["rules"]):
        raise NotCarried("two deny lists on one target")
    az.setdefault("defaultAction", "Allow")
    az["rules"].insert(0, {"name": "deny-source-ranges", "action": "Deny", "principal": {"clientCIDRs": cidrs}})
    return Carried(obj_ref(obj, "spec.authorization"), sentences(
        "The client address is the one Envoy detects (ClientTrafficPolicy.clientIPDetection).",
        ctx.wider(site, req)))


def external_auth(ctx: TargetContext, site: Site, req: Requirement) -> Carried:
    p = req.params
    svc = p.get("service")
    if not svc:
        raise NotCarried("the auth URL names no in-cluster Service")
    ref: dict[str, Any] = {"group": "", "kind": "Service", "name": svc["name"], "port": int(svc["port"])}
    if svc.get("namespace") and svc["namespace"] != site.namespace:
        ref["namespace"] = svc["namespace"]
    http: dict[str, Any] = {"backendRefs": [ref]}
    path = urlsplit(p["url"]).path
    if path and path != "/":
        http["pathOverride"] = path
    if p.get("response_headers"):
        http["headersToBackend"] = list(p["response_headers"])
    obj = _sp(ctx, site)
    set_once(obj["spec"], "extAuth", {"http": http})
    caveat = sentences(
        "Envoy calls the auth service with the original method and headers and no body, as nginx "
        "auth_request does" + (f" (auth-method {p['method']} is not carried)" if p.get("method") else "") + ";",
        "2xx lets the request through, any other status is returned to the client (nginx passes 401/403 and "
        "turns other codes into 500).",
        f"auth-signin ({p['signin_url']}) has no equivalent: clients get the 401 instead of a redirect."
        if p.get("signin_url") else None,
        grant_service(ctx, site, GROUP, "SecurityPolicy", ref["namespace"], ref["name"]) if "namespace" in ref
        else None,
        ctx.wider(site, req))
    return Carried(obj_ref(obj, "spec.extAuth.http"), caveat)


def basic_auth(ctx: TargetContext, site: Site, req: Requirement) -> Carried:
    p = req.params
    if p.get("secret_type", "auth-file") != "auth-file":
        raise NotCarried("auth-map Secrets are not htpasswd files")
    users: dict[str, Any] = {"group": "", "kind": "Secret", "name": p["secret_name"]}
    if p.get("secret_namespace") and p["secret_namespace"] != site.namespace:
        raise NotCarried("cross-namespace Secret")
    obj = _sp(ctx, site)
    set_once(obj["spec"], "basicAuth", {"users": users})
    caveat = sentences(
        f"Envoy Gateway reads the htpasswd data from key .htpasswd of Secret {p['secret_name']} (nginx reads key "
        "auth) and accepts only {SHA} hashes: copy the data to key .htpasswd, and re-issue bcrypt, apr1 or crypt "
        "entries as {SHA} (the Secret was not read).",
        f"The realm ({p['realm']}) cannot be set." if p.get("realm") else None,
        ctx.wider(site, req))
    return Carried(obj_ref(obj, "spec.basicAuth"), caveat)


def cors(ctx: TargetContext, site: Site, req: Requirement) -> Carried:
    c = cors_fields(req.params, GATEWAY_CORS_NAMES, max_age=duration)
    obj = _sp(ctx, site)
    set_once(obj["spec"], "cors", c)
    return Carried(obj_ref(obj, "spec.cors"), ctx.wider(site, req))


def body_size(ctx: TargetContext, site: Site, req: Requirement) -> Carried:
    n = int(req.params["bytes"])
    if n == 0:
        return Carried(f"{site.ref} (no limit: Envoy Gateway sets no request body limit by default)",
                       ctx.wider(site, req))
    obj = _btp(ctx, site)
    set_once(obj["spec"], "requestBuffer", {"limit": quantity(n)})
    return Carried(obj_ref(obj, "spec.requestBuffer.limit"), sentences(
        "Envoy buffers each whole request body in memory before proxying (nginx spills large bodies to disk), "
        "so size the Envoy memory and connection buffers for it; request buffering cannot be used on routes with "
        "WebSocket or streaming gRPC. Larger bodies get 413 as in nginx.", ctx.wider(site, req)))


def retry(ctx: TargetContext, site: Site, req: Requirement) -> Carried:
    p = req.params
    conds = list(p.get("conditions") or ())
    core_retry(ctx, site)
    if "off" in conds:
        return Carried(f"{site.ref} (retries off: nothing to emit)")
    triggers: list[str] = []
    codes: list[int] = []
    notes: list[str] = []
    for c in conds:
        if c == "error":
            triggers += ["connect-failure", "reset"]
        elif c == "timeout":
            triggers.append("reset")
            notes.append("nginx 'timeout' (connect, send or read timeout) maps to retries on reset only.")
        elif c in RETRY_STATUS:
            codes.append(RETRY_STATUS[c])
        elif c == "invalid_header":
            triggers.append("reset")
        elif c == "non_idempotent":
            pass
        else:
            raise NotCarried(f"condition {c}")
    if codes:
        triggers.append("retriable-status-codes")
    if not triggers:
        raise NotCarried("no retry condition")
    rt: dict[str, Any] = {"retryOn": {"triggers": list(dict.fromkeys(triggers))}}
    if codes:
        rt["retryOn"]["httpStatusCodes"] = sorted(set(codes))
    attempts = p.get("attempts")
    if attempts:
        rt["numRetries"] = max(0, int(attempts) - 1)
    else:
        notes.append("nginx's unlimited tries (proxy-next-upstream-tries 0) become Envoy's default of 2 retries.")
    if p.get("timeout"):
        notes.append(f"The {p['timeout']}s retry time budget (proxy-next-upstream-timeout) is not carried; "
                     "the route's request timeout bounds all tries.")
    if "non_idempotent" not in conds:
        notes.append("Envoy also retries non-idempotent requests (POST, PATCH), which nginx does not by default.")
    obj = _btp(ctx, site)
    set_once(obj["spec"], "retry", rt)
    return Carried(obj_ref(obj, "spec.retry"), sentences(
        "Envoy retries on another endpoint as nginx does;", *notes, ctx.wider(site, req)))


def backend_timeouts(ctx: TargetContext, site: Site, req: Requirement) -> Carried:
    p = req.params
    obj = _btp(ctx, site)
    t = obj["spec"].setdefault("timeout", {})
    fields = []
    notes = []
    if p.get("connect") is not None:
        set_once(t, "tcp", {"connectTimeout": duration(float(p["connect"]))})
        fields.append("spec.timeout.tcp.connectTimeout")
    idle = [float(v) for v in (p.get("read"), p.get("send")) if v is not None]
    if idle:
        set_once(t, "http", {"streamIdleTimeout": duration(max(idle))})
        fields.append("spec.timeout.http.streamIdleTimeout")
        notes.append("nginx's read and send timeouts limit the time between two reads or two writes; Envoy's "
                     "stream idle timeout limits time without activity in either direction, so the larger of "
                     "the two is used.")
    if not fields:
        raise NotCarried("no timeout")
    return Carried(obj_ref(obj, ", ".join(fields)), sentences(*notes, ctx.wider(site, req)))


def session_affinity(ctx: TargetContext, site: Site, req: Requirement) -> Carried:
    p = req.params
    cookie: dict[str, Any] = {"name": p["cookie_name"],
                              "ttl": duration(int(p["max_age"])) if p.get("max_age") else "0s"}
    attrs: dict[str, str] = {}
    if p.get("path"):
        attrs["Path"] = str(p["path"])
    if p.get("samesite"):
        attrs["SameSite"] = str(p["samesite"])
    if attrs:
        cookie["attributes"] = attrs
    obj = _btp(ctx, site)
    set_once(obj["spec"], "loadBalancer", {"type": "ConsistentHash",
                                           "consistentHash": {"type": "Cookie", "cookie": cookie}})
    return Carried(obj_ref(obj, "spec.loadBalancer.consistentHash.cookie"), sentences(
        "Envoy hashes the cookie onto a ring of endpoints instead of remembering the chosen endpoint: when "
        "endpoints are added or removed some sessions move (nginx's affinity-mode "
        f"{p.get('mode', 'balanced')} keeps them where it can).",
        "Without a max-age the cookie is a session cookie (ttl 0s)." if not p.get("max_age") else None,
        "The cookie's Secure flag cannot be set." if p.get("secure") else None,
        ctx.wider(site, req)))


def load_balancing(ctx: TargetContext, site: Site, req: Requirement) -> Carried:
    p = req.params
    alg = p.get("algorithm")
    note = None
    lb: dict[str, Any]
    if alg == "round_robin":
        lb = {"type": "RoundRobin"}
    elif alg == "ewma":
        lb = {"type": "LeastRequest"}
        note = "nginx's peak EWMA (latency-weighted) becomes Envoy's least-request balancing."
    elif alg == "hash":
        lb = {"type": "ConsistentHash", "consistentHash": _hash_key(str(p.get("hash_key") or ""))}
        note = "Envoy hashes onto a ring (consistent hashing), like nginx's upstream-hash-by."
    else:
        raise NotCarried(f"algorithm {alg}")
    obj = _btp(ctx, site)
    set_once(obj["spec"], "loadBalancer", lb)
    return Carried(obj_ref(obj, "spec.loadBalancer"), sentences(note, ctx.wider(site, req)))


def _hash_key(key: str) -> dict[str, Any]:
    if key in ("$remote_addr", "$binary_remote_addr"):
        return {"type": "SourceIP"}
    if key.startswith("$http_") and key[6:].replace("_", "").isalnum():
        return {"type": "Header", "header": {"name": key[6:].replace("_", "-")}}
    if key.startswith("$cookie_") and len(key) > 8:
        return {"type": "Cookie", "cookie": {"name": key[8:]}}
    if key.startswith("$arg_") and len(key) > 5:
        return {"type": "QueryParams", "queryParams": [{"name": key[5:]}]}
    raise NotCarried(f"hash key {key}")


def regex_rewrite(ctx: TargetContext, site: Site, req: Requirement) -> Carried:
    if site.kind != "HTTPRoute":
        raise NotCarried("regex rewrite on a GRPCRoute")
    p = req.params
    obj = ctx.policy(API, "HTTPRouteFilter", site.namespace, ("rewrite", site.route, site.index),
                     f"{site.route}-{site.rule_name or site.index}-rewrite", site.sources,
                     lambda: {"urlRewrite": {"path": {"type": "ReplaceRegexMatch", "replaceRegexMatch": {
                         "pattern": str(p["pattern"]), "substitution": str(p["substitution"])}}}})
    where = ctx.route_filter(site, GROUP, "HTTPRouteFilter", obj["metadata"]["name"])
    return Carried(f"{obj_ref(obj, 'spec.urlRewrite.path.replaceRegexMatch')} via {where}",
                   "Envoy uses RE2 regular expressions; PCRE-only constructs (look-around, backreferences in the "
                   "pattern) in the nginx rewrite do not compile.")


def _ctp(ctx: TargetContext, site: Site, req: Requirement) -> list[tuple[dict[str, Any], ListenerSite]]:
    hosts = req.params.get("hosts")
    listeners = https_listeners(ctx, ctx.sites(req), hosts)
    if not listeners:
        raise NotCarried("no HTTPS listener")
    out = []
    for lst in listeners:
        ref = lst.target_ref()
        out.append((ctx.policy(API, "ClientTrafficPolicy", lst.namespace, tuple(sorted(ref.items())),
                               f"{lst.gateway}-{lst.listener}", site.sources, spec_of({"targetRefs": [ref]})), lst))
    return out


def _listener_scope(listeners: list[ListenerSite]) -> str | None:
    if any(lst.hostname is None for lst in listeners):
        return "The listener has no hostname, so the setting covers every host it serves."
    return None


_TLS_VERSIONS = {"TLSv1": "1.0", "TLSv1.1": "1.1", "TLSv1.2": "1.2", "TLSv1.3": "1.3"}


def tls_settings(ctx: TargetContext, site: Site, req: Requirement) -> Carried:
    p = req.params
    tls: dict[str, Any] = {}
    if p.get("protocols"):
        versions = sorted(_TLS_VERSIONS[v] for v in str(p["protocols"]).split() if v in _TLS_VERSIONS)
        if not versions or len(versions) != len(str(p["protocols"]).split()):
            raise NotCarried(f"protocols {p['protocols']}")
        tls["minVersion"], tls["maxVersion"] = versions[0], versions[-1]
    if p.get("ciphers"):
        ciphers = [c for c in str(p["ciphers"]).split(":") if c]
        if any(not c[0].isupper() or c.isupper() and "-" not in c for c in ciphers):
            raise NotCarried("cipher keywords (HIGH, !aNULL, ...) are OpenSSL-only")
        if tls.get("minVersion") == "1.3":
            raise NotCarried("ciphers with TLS 1.3 only")
        tls["ciphers"] = ciphers
    if not tls:
        raise NotCarried("nothing to set")
    placed = _ctp(ctx, site, req)
    for obj, _ in placed:
        for k, v in tls.items():
            set_once(obj["spec"].setdefault("tls", {}), k, v)
    return Carried("; ".join(obj_ref(o, "spec.tls") for o, _ in placed), sentences(
        "Envoy (BoringSSL) accepts the listed cipher names for TLS 1.0-1.2 only; TLS 1.3 suites are fixed."
        if "ciphers" in tls else None, _listener_scope([lst for _, lst in placed])))


_VERIFY = {"on": "RequireAndVerify", "optional": "VerifyIfGiven", "optional_no_ca": "Request"}


def client_certificate(ctx: TargetContext, site: Site, req: Requirement) -> Carried:
    p = req.params
    ns, _, name = str(p["ca_secret"]).rpartition("/")
    mode = _VERIFY.get(str(p.get("mode", "on")))
    if mode is None:
        raise NotCarried(f"mode {p.get('mode')}")
    placed = _ctp(ctx, site, req)
    grants = []
    for obj, lst in placed:
        ref: dict[str, Any] = {"group": "", "kind": "Secret", "name": name}
        if ns and ns != lst.namespace:
            ref["namespace"] = ns
            grants.append(ns)
        tls = obj["spec"].setdefault("tls", {})
        set_once(tls, "clientValidation", {"caCertificateRefs": [ref], "mode": mode})
        if p.get("pass_to_upstream"):
            set_once(obj["spec"].setdefault("headers", {}), "xForwardedClientCert",
                     {"mode": "SanitizeSet", "certDetailsToAdd": ["Cert", "Subject"]})
    return Carried("; ".join(obj_ref(o, "spec.tls.clientValidation") for o, _ in placed), sentences(
        "Envoy reads the CA from key ca.crt of the Secret, as ingress-nginx does; a CRL in it (ca.crl) is not used "
        "unless added as tls.clientValidation.crl.",
        f"The verify depth ({p['depth']}) cannot be set." if p.get("depth") and int(p["depth"]) != 1 else None,
        "The client certificate goes upstream in the X-Forwarded-Client-Cert header (Envoy's format), not "
        "ingress-nginx's ssl-client-cert header." if p.get("pass_to_upstream") else None,
        "A Secret in another namespace needs a ReferenceGrant from ClientTrafficPolicy." if grants else None,
        "Failed verification ends the TLS handshake, where nginx answers 400.",
        _listener_scope([lst for _, lst in placed])))


HANDLERS: dict[str, Handler] = {
    "rate-limit": rate_limit,
    "ip-allow": ip_allow,
    "ip-deny": ip_deny,
    "external-auth": external_auth,
    "basic-auth": basic_auth,
    "cors": cors,
    "body-size-limit": body_size,
    "retry": retry,
    "backend-timeouts": backend_timeouts,
    "session-affinity": session_affinity,
    "session-persistence": as_affinity(session_affinity),
    "load-balancing": load_balancing,  # after session-affinity: nginx's affinity overrides load-balance
    "header-regex-rewrite": regex_rewrite,
    "tls-settings": tls_settings,
    "client-certificate": client_certificate,
    # after body-size-limit: a request buffer on the same rule means Envoy does not stream requests there
    "request-buffering": streaming("Envoy", "request bodies", lambda ctx, site: "the rule buffers requests (body size)"
                                   if (p := existing(ctx, "BackendTrafficPolicy", site)) and "requestBuffer" in p["spec"]
                                   else None),
    "response-buffering": streaming("Envoy", "responses"),
}


class EnvoyGatewayEmitter(TargetEmitter):
    name = "envoy-gateway"
    title = TITLE
    gateway_controller: str | None = "gateway.envoyproxy.io/gatewayclass-controller"
    target_versions: tuple[str, ...] = ("envoy-gateway/v1.9.0",)
    kinds: tuple[str, ...] = ("BackendTrafficPolicy", "SecurityPolicy", "ClientTrafficPolicy", "HTTPRouteFilter",
                              "ReferenceGrant")
    handlers = HANDLERS
    not_carried = {
        "connection-limit": "no per-client concurrency limit (circuit breakers and ClientTrafficPolicy "
                            "connectionLimit count all clients together)",
        "custom-errors": "responseOverride answers with a fixed body; it cannot ask the default backend",
        "snippet": "raw nginx configuration",
        "backend-tls": "needs a Backend or BackendTLSPolicy per Service; not generated",
    }


EMITTER = EnvoyGatewayEmitter()
