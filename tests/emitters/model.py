"""Build GatewayModels directly, the way the core hands them to emitters."""

from __future__ import annotations

from typing import Any

from ing2gw.core.versions import capabilities
from ing2gw.emitter import EmitOptions
from ing2gw.model import (
    BackendRef,
    Gateway,
    GatewayModel,
    HTTPRoute,
    Listener,
    ParentRef,
    PathMatch,
    Requirement,
    RouteMatch,
    RouteRule,
    Source,
)


def ingress_source(name: str, ns: str = "shop", annotation: str | None = None) -> Source:
    src = Source(kind="Ingress", namespace=ns, name=name, file="in.yaml", line=1)
    return src.at(annotation="nginx.ingress.kubernetes.io/" + annotation) if annotation else src


def requirement(feature: str, params: dict[str, Any], ingress: str = "web", annotation: str | None = None,
                target: str = "rule", ns: str = "shop") -> Requirement:
    return Requirement(feature=feature, params=params, source=ingress_source(ingress, ns, annotation or feature),
                       target=target, id=f"{feature}-{ingress}")  # type: ignore[arg-type]


def model(*reqs: Requirement, other_rule: bool = True, ns: str = "shop") -> GatewayModel:
    """One Gateway and one HTTPRoute: rule ``web`` (Ingress web, carrying ``reqs``) and rule ``other``."""
    web = ingress_source("web", ns)
    rules = [RouteRule(matches=(RouteMatch(path=PathMatch("PathPrefix", "/app")),),
                       backends=(BackendRef("app", 8080),), sources=(web.at(field="spec.rules[0]"),),
                       requirements=tuple(q for q in reqs if q.target == "rule"), name="web")]
    if other_rule:
        other = ingress_source("other", ns)
        rules.append(RouteRule(matches=(RouteMatch(path=PathMatch("PathPrefix", "/")),),
                               backends=(BackendRef("home", 80),), sources=(other.at(field="spec.rules[0]"),),
                               name="other"))
    m = GatewayModel()
    m.gateways.append(Gateway(ns, "nginx", "nginx", (Listener("http", 80, "HTTP", None, (web,)),), (web,)))
    m.http_routes.append(HTTPRoute(ns, "shop-example-com", (ParentRef("nginx", section_name="http"),),
                                   ("shop.example.com",), tuple(rules), (web,)))
    m.requirements.extend(reqs)
    return m


def options(version: str = "v1.5", channel: str = "standard", allow_snippets: bool = False,
            **settings: str) -> EmitOptions:
    return EmitOptions(capabilities=capabilities(version, channel), tool_version="test",
                       allow_snippets=allow_snippets, settings=dict(settings))


# One of every requirement an ingress-nginx Ingress can raise (the issue's acceptance fixture, in model form).
ALL = [
    requirement("rate-limit", {"requests": 10, "unit": "Second", "burst": 50, "per": "client-ip",
                               "exempt_cidrs": ["10.0.0.0/8"]}, annotation="limit-rps"),
    requirement("connection-limit", {"connections": 5, "per": "client-ip"}, annotation="limit-connections"),
    requirement("ip-allow", {"cidrs": ["192.168.0.0/16", "2001:db8::/32"]}, annotation="whitelist-source-range"),
    requirement("ip-deny", {"cidrs": ["192.168.7.0/24"]}, annotation="denylist-source-range"),
    requirement("external-auth", {"url": "http://auth.auth.svc.cluster.local:8080/verify", "method": None,
                                  "response_headers": ["X-User"], "signin_url": None,
                                  "service": {"namespace": "auth", "name": "auth", "port": 8080}},
                annotation="auth-url"),
    requirement("basic-auth", {"secret_namespace": "shop", "secret_name": "htpasswd", "secret_type": "auth-file",
                               "realm": "Shop"}, annotation="auth-type"),
    requirement("body-size-limit", {"bytes": 8 * 1024 * 1024}, annotation="proxy-body-size"),
    requirement("session-affinity", {"cookie_name": "route", "max_age": 3600, "path": "/app", "secure": True,
                                     "samesite": "Lax", "mode": "balanced"}, annotation="affinity"),
    requirement("retry", {"conditions": ["error", "timeout", "http_502", "http_503"], "attempts": 3,
                          "timeout": None}, annotation="proxy-next-upstream"),
    requirement("backend-timeouts", {"connect": 5.0, "read": 120.0, "send": 60.0},
                annotation="proxy-read-timeout"),
    requirement("load-balancing", {"algorithm": "ewma", "hash_key": None}, annotation="load-balance"),
    requirement("cors", {"allow_origins": ["https://a.example.com"], "allow_methods": ["GET", "POST"],
                         "allow_headers": ["X-Token"], "expose_headers": [], "allow_credentials": True,
                         "max_age": 600}, annotation="enable-cors"),
    requirement("header-regex-rewrite", {"pattern": "^/app/(.*)", "substitution": "/\\1"},
                annotation="rewrite-target"),
    requirement("snippet", {"context": "location", "text": "more_set_headers \"X-A: b\";"},
                annotation="configuration-snippet"),
    requirement("waf", {"engine": "modsecurity", "rules": None, "owasp_crs": True}, annotation="enable-modsecurity"),
    requirement("response-buffering", {"enabled": False, "buffer_size": None, "buffers": None},
                annotation="proxy-buffering"),
    requirement("backend-tls", {"verify": False, "hostname": "app.internal", "client_secret": None,
                                "ciphers": None, "protocols": None, "sni": True}, annotation="proxy-ssl-verify"),
]
