"""The Ingress side for ingress-nginx: how one controller answers a request, from its documented rules.

Written from /work/shared/reference/ingress-nginx-routing-semantics.md and the ingress-nginx annotation
table, independently of the translator. It reads the typed input model only.

- Servers: one per host (every Ingress on a host merges into it); rules without host belong to the
  default server ``_``, which also answers unknown hosts. Wildcard hosts match exactly one label.
- Locations: Exact ``= /p``; Prefix ``/p/`` plus an exact ``= /p`` (unless an Exact ``/p`` exists);
  ImplementationSpecific ``/p`` as a plain string prefix. nginx picks the exact match, else the longest
  string prefix. When any location of the host uses ``use-regex`` or a ``rewrite-target`` other than its
  path, every location of the host is ``~* "^<path>"`` and the first match in the controller's order
  (longest path first) wins.
- Oldest Ingress first: a host and path declared twice belongs to the oldest Ingress.
- Redirects in the order nginx runs them: ``temporal-redirect``/``permanent-redirect`` (``return``),
  ``app-root`` (``if ($uri = /)``), then the HTTPS redirect (``ssl-redirect`` default on for hosts with a
  certificate, ``force-ssl-redirect``; code from ``http-redirect-code``, default 308; one trailing slash
  stripped unless ``preserve-trailing-slash``); ``from-to-www-redirect`` adds a redirecting server.
- Proxying: canary selection (header, value, pattern, cookie, weight), ``rewrite-target`` (the whole URI
  is replaced, ``$n`` are the captures of the case-insensitive path regex), ``upstream-vhost``,
  ``x-forwarded-prefix``, ``custom-headers``, CORS settings, ``mirror-target``, ``ssl-passthrough`` (SNI to the backend of
  the host's ``/`` location).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from urllib.parse import urlsplit

from ing2gw.core.merge import split_detail
from ing2gw.model import ConfigMap, Ingress, IngressBackend, IngressPath, Service
from ing2gw.verify.model import (
    Answer,
    Backend,
    Cause,
    Probe,
    distribution,
    join_uri,
    single,
    status,
)

PREFIX = "nginx.ingress.kubernetes.io/"
DEFAULT_SERVER = "_"
CORS_DEFAULT_METHODS = "GET, PUT, POST, DELETE, PATCH, OPTIONS"
CORS_DEFAULT_HEADERS = ("DNT,Keep-Alive,User-Agent,X-Requested-With,If-Modified-Since,Cache-Control,Content-Type,"
                        "Range,Authorization")
# Annotations whose nginx directives verify cannot simulate: answers they touch are not compared.
OPAQUE = ("configuration-snippet", "server-snippet")


def ann(ing: Ingress, name: str) -> str | None:
    return ing.annotations.get(PREFIX + name)


def truthy(value: str | None) -> bool:
    return value is not None and value.strip().lower() in ("true", "on", "yes", "1")


def cause(ing: Ingress, name: str, *, default: bool = False) -> Cause:
    return Cause(PREFIX + name, f"{ing.namespace}/{ing.name}", default=default)


def resolve_backend(b: IngressBackend, namespace: str, services: Mapping[tuple[str, str], Service]) -> Backend:
    """The backend as namespace/name:port, a named port resolved through the Service when it is known."""
    if b.resource is not None:
        r = b.resource
        return Backend(namespace, r.name, "", kind=f"{r.api_group}/{r.kind}" if r.api_group else r.kind)
    svc = b.service
    assert svc is not None
    if svc.port_number is not None:
        return Backend(namespace, svc.name, str(svc.port_number))
    found = services.get((namespace, svc.name))
    for sp in found.ports if found else ():
        if sp.name == svc.port_name:
            return Backend(namespace, svc.name, str(sp.port))
    return Backend(namespace, svc.name, svc.port_name or "")


def one_label_wildcard(pattern: str, host: str) -> bool:
    """Ingress (and ingress-nginx) wildcard hosts: ``*.example.com`` matches exactly one more label."""
    if not pattern.startswith("*."):
        return False
    suffix = pattern[1:]
    if not host.endswith(suffix):
        return False
    label = host[: -len(suffix)]
    return bool(label) and "." not in label


@dataclass(slots=True)
class Canary:
    ingress: Ingress
    backend: Backend


@dataclass(slots=True)
class Location:
    """One Ingress path as ingress-nginx configures it."""

    path: str  # as declared ("" read as "/")
    path_type: str  # Exact | Prefix | ImplementationSpecific | default
    ingress: Ingress
    backend: Backend
    field: str
    canary: Canary | None = None

    @property
    def ref(self) -> str:
        return f"{self.ingress.namespace}/{self.ingress.name}"


@dataclass(slots=True)
class Server:
    host: str
    ingresses: list[Ingress] = field(default_factory=list)
    locations: list[Location] = field(default_factory=list)
    default_root: Location | None = None  # from an Ingress defaultBackend
    cert: Cause | None = None  # why the server has a certificate
    keys: set[tuple[str, str]] = field(default_factory=set)

    def regex_causes(self) -> list[Cause]:
        out = []
        for loc in self.locations:
            if truthy(ann(loc.ingress, "use-regex")):
                out.append(cause(loc.ingress, "use-regex"))
            target = ann(loc.ingress, "rewrite-target")
            if target and target != loc.path:
                out.append(cause(loc.ingress, "rewrite-target"))
        return list(dict.fromkeys(out))


@dataclass(frozen=True, slots=True)
class _NginxLoc:
    modifier: str  # "=", "prefix" or "regex"
    path: str
    loc: Location


class NginxController:
    """One ingress-nginx controller (one ingress class) built from its Ingresses."""

    def __init__(self, ingresses: Iterable[Ingress], services: Mapping[tuple[str, str], Service],
                 config: Mapping[str, str] | None = None,
                 config_maps: Mapping[tuple[str, str], ConfigMap] | None = None) -> None:
        self.services = services
        self.config = dict(config or {})
        self.config_maps = config_maps or {}
        self.servers: dict[str, Server] = {}
        self.www: dict[str, tuple[str, Ingress]] = {}  # counterpart host -> (target host, Ingress)
        self.passthrough: dict[str, tuple[Location | None, Ingress]] = {}
        self.catch_all: Location | None = None
        ordered = sorted(ingresses, key=lambda i: i.key)
        canaries = [i for i in ordered if truthy(ann(i, "canary"))]
        for ing in ordered:
            if ing not in canaries:
                self._add(ing)
        for ing in canaries:
            self._add_canary(ing)
        for host, srv in list(self.servers.items()):
            self._finish(host, srv)
        self._tables: dict[str, list[_NginxLoc]] = {}

    # --- building -----------------------------------------------------------------------------------
    def _server(self, host: str) -> Server:
        srv = self.servers.get(host)
        if srv is None:
            srv = self.servers[host] = Server(host)
        return srv

    def _add(self, ing: Ingress) -> None:
        if not ing.rules and ing.default_backend is not None:
            if self.catch_all is None:
                self.catch_all = Location("/", "default", ing, self._backend(ing, ing.default_backend),
                                          ing.default_backend.source.field or "spec.defaultBackend")
            return
        hosts: list[str] = []
        for rule in ing.rules:
            host = rule.host or DEFAULT_SERVER
            srv = self._server(host)
            if ing not in srv.ingresses:
                srv.ingresses.append(ing)
            hosts.append(host)
            for p in rule.paths:
                self._add_path(srv, ing, p)
        for alias in (ann(ing, "server-alias") or "").split(","):
            alias = alias.strip()
            if alias and alias not in self.servers:
                for host in hosts:
                    if host != DEFAULT_SERVER:
                        self.servers[alias] = self.servers[host]
                        break
        if ing.default_backend is not None:
            for host in hosts:
                srv = self.servers[host]
                if srv.default_root is None:
                    srv.default_root = Location("/", "default", ing, self._backend(ing, ing.default_backend),
                                                ing.default_backend.source.field or "spec.defaultBackend")
        if truthy(ann(ing, "ssl-passthrough")):
            for host in hosts:
                if host != DEFAULT_SERVER and host not in self.passthrough:
                    self.passthrough[host] = (None, ing)

    def _backend(self, ing: Ingress, b: IngressBackend) -> Backend:
        return resolve_backend(b, ing.namespace, self.services)

    def _add_path(self, srv: Server, ing: Ingress, p: IngressPath) -> None:
        path = p.path or "/"
        key = (path, p.path_type)
        if key in srv.keys:
            return  # an older Ingress declared it
        srv.keys.add(key)
        srv.locations.append(Location(path, p.path_type, ing, self._backend(ing, p.backend), p.source.field or ""))

    def _add_canary(self, ing: Ingress) -> None:
        for rule in ing.rules:
            srv = self.servers.get(rule.host or DEFAULT_SERVER)
            if srv is None:
                continue
            for p in rule.paths:
                path = p.path or "/"
                for loc in srv.locations:
                    if loc.path == path and loc.canary is None and loc.ingress is not ing:
                        loc.canary = Canary(ing, self._backend(ing, p.backend))

    def _finish(self, host: str, srv: Server) -> None:
        for ing in srv.ingresses:
            if srv.cert is None and host != DEFAULT_SERVER:
                for t in ing.tls:
                    covered = host in t.hosts or any(one_label_wildcard(h, host) for h in t.hosts) or not t.hosts
                    if covered:
                        srv.cert = Cause(t.source.field or "spec.tls", f"{ing.namespace}/{ing.name}")
                        break
            if truthy(ann(ing, "from-to-www-redirect")) and host != DEFAULT_SERVER and not host.startswith("*."):
                other = host[4:] if host.startswith("www.") else "www." + host
                if other not in self.servers and other not in self.www:
                    self.www[other] = (host, ing)
        if host in self.passthrough:
            _, ing = self.passthrough[host]
            root = next((loc for loc in srv.locations if loc.path == "/" and loc.path_type != "Exact"), None)
            self.passthrough[host] = (root or srv.default_root, ing)

    def _table(self, host: str, srv: Server) -> list[_NginxLoc]:
        table = self._tables.get(host)
        if table is not None:
            return table
        exact_paths = {loc.path for loc in srv.locations if loc.path_type == "Exact"}
        out: list[_NginxLoc] = []
        regex = bool(srv.regex_causes())
        has_root = False
        for loc in srv.locations:
            if loc.path_type == "Exact":
                out.append(_NginxLoc("=", loc.path, loc))
            elif loc.path_type == "Prefix" and loc.path != "/":
                norm = loc.path if loc.path.endswith("/") else loc.path + "/"
                out.append(_NginxLoc("prefix", norm, loc))
                if loc.path not in exact_paths:
                    out.append(_NginxLoc("=", loc.path, loc))
            else:
                out.append(_NginxLoc("prefix", loc.path, loc))
                has_root = has_root or loc.path == "/"
        if not has_root:
            root = srv.default_root or self._controller_default(srv)
            if root is not None:
                out.append(_NginxLoc("prefix", "/", root))
        if regex:
            out = [_NginxLoc("regex", n.path, n.loc) for n in out]
            out.sort(key=lambda n: n.path, reverse=True)
            out.sort(key=lambda n: len(n.path), reverse=True)
        self._tables[host] = out
        return out

    def _controller_default(self, srv: Server) -> Location | None:
        if srv.host == DEFAULT_SERVER and self.catch_all is not None:
            return self.catch_all
        return None

    # --- answering ----------------------------------------------------------------------------------
    def server_for(self, host: str) -> tuple[str, Server | None]:
        if host in self.servers:
            return host, self.servers[host]
        if "." in host:
            name = "*." + host.split(".", 1)[1]
            if name in self.servers:
                return name, self.servers[name]
        return DEFAULT_SERVER, self.servers.get(DEFAULT_SERVER)

    def answer(self, probe: Probe) -> Answer:
        a = self._answer(probe)
        host = probe.host.lower().split(":", 1)[0]
        if probe.scheme == "http" and host in self.passthrough:
            # plain HTTP to an ssl-passthrough host is still served from its paths: what the conversion says of
            # ssl-passthrough (a TLSRoute, or nothing on an older target) concerns these answers too
            a = a.with_causes(cause(self.passthrough[host][1], "ssl-passthrough"))
        _, srv = self.server_for(host)
        if srv is None:
            return a
        # Ingresses of several namespaces on one server: convert states the per-namespace split on each
        detail = split_detail(None if srv.host == DEFAULT_SERVER else srv.host)
        return a.with_causes(*(Cause("metadata.namespace", f"{i.namespace}/{i.name}", detail=detail)
                               for i in srv.ingresses))

    def _answer(self, probe: Probe) -> Answer:
        host = probe.host.lower().split(":", 1)[0]
        if probe.scheme != "http" and host in self.passthrough:
            return self._passthrough(host)
        if host in self.www and host not in self.servers:
            target, ing = self.www[host]
            code = self._int_config("http-redirect-code", 308)
            return Answer(kind="redirect", status=code,
                          location=f"{'https' if probe.scheme == 'https' else 'http'}://{target}{probe.path}",
                          via=f"from-to-www-redirect server for {host}", causes=(cause(ing, "from-to-www-redirect"),))
        name, srv = self.server_for(host)
        if srv is None:
            if self.catch_all is not None:
                return self._proxy(probe, self.catch_all, None, [], host_name=probe.host,
                                   via=f"default server: defaultBackend of Ingress {self.catch_all.ref}")
            return status(404, "default server: controller default backend")
        table = self._table(name, srv)
        regex_causes = srv.regex_causes()
        uri = probe.uri_path
        chosen: _NginxLoc | None = None
        if regex_causes:
            for n in table:
                try:
                    if re.search("^" + n.path, uri, re.IGNORECASE):
                        chosen = n
                        break
                except re.error:
                    return status(500, f"invalid regex {n.path!r}", Cause(
                        n.loc.field + ".path", n.loc.ref, gap=f"path {n.path!r} is not a valid regular expression: "
                        "nginx would refuse this configuration"))
        else:
            for n in table:
                if n.modifier == "=" and n.path == uri:
                    chosen = n
                    break
            if chosen is None:
                best = [n for n in table if n.modifier == "prefix" and uri.startswith(n.path)]
                if best:
                    chosen = max(best, key=lambda n: len(n.path))
        if chosen is None:
            # the rules that made this server: a path the conversion skipped there explains the 404
            rules = [Cause(rule.source.field or "spec.rules", f"{ing.namespace}/{ing.name}") for ing in srv.ingresses
                     for rule in ing.rules if (rule.host or DEFAULT_SERVER) == srv.host]
            return status(404, f"server {name}: no location matches", *regex_causes, *dict.fromkeys(rules))
        return self._location(probe, chosen, srv, regex_causes)

    def _passthrough(self, host: str) -> Answer:
        entry = self.passthrough.get(host)
        if entry is None:
            return Answer(kind="no-listener", via="no SSL passthrough for this SNI name")
        loc, ing = entry
        if loc is None:
            return status(404, "ssl-passthrough host without a / path", cause(ing, "ssl-passthrough"))
        return Answer(kind="passthrough", backends=single(loc.backend), via="ssl-passthrough",
                      causes=(cause(ing, "ssl-passthrough"),))

    def _int_config(self, key: str, default: int) -> int:
        try:
            return int(self.config.get(key, default))
        except ValueError:
            return default

    def _location(self, probe: Probe, n: _NginxLoc, srv: Server, regex_causes: list[Cause]) -> Answer:
        loc = n.loc
        ing = loc.ingress
        # a problem the conversion reported on this very path explains any answer given here, redirects included
        causes: list[Cause] = [*regex_causes, Cause(loc.field, loc.ref)]
        via = f"server {srv.host} location {'~* ^' if n.modifier == 'regex' else ('= ' if n.modifier == '=' else '')}" \
              f"{n.path} ({loc.path_type} path of Ingress {loc.ref})"
        for key in OPAQUE:
            if ann(ing, key):
                causes.append(Cause(PREFIX + key, loc.ref, gap=f"{key}: arbitrary nginx directives are not simulated"))
        host_header = probe.host
        default_loc = loc.path_type == "default"
        if not default_loc:
            # 1. return (temporal wins over permanent)
            for name, code_key, default_code, hi in (("temporal-redirect", "temporal-redirect-code", 302, 307),
                                                      ("permanent-redirect", "permanent-redirect-code", 301, 308)):
                url = ann(ing, name)
                if url:
                    code = _code(ann(ing, code_key), default_code, hi)
                    target = _nginx_vars(url, probe, host_header)
                    causes.append(cause(ing, name))
                    if target is None:
                        causes.append(Cause(PREFIX + name, loc.ref, gap="nginx variables in the URL are not simulated"))
                        target = url
                    return Answer(kind="redirect", status=code, location=target, via=via, causes=tuple(causes))
            # 2. app-root
            root = ann(ing, "app-root")
            if root and probe.uri_path == "/":
                causes.append(cause(ing, "app-root"))
                return Answer(kind="redirect", status=302, location=f"{probe.scheme}://{host_header}{root}", via=via,
                              causes=tuple(causes))
        # 3. HTTPS redirect
        redirect = self._https_redirect(probe, loc, srv, causes)
        if redirect is not None:
            return Answer(kind="redirect", status=redirect[0], location=redirect[1], via=via, causes=tuple(causes))
        return self._proxy(probe, loc, n, causes, host_name=host_header, via=via)

    def _https_redirect(self, probe: Probe, loc: Location, srv: Server, causes: list[Cause]) -> tuple[int, str] | None:
        if probe.scheme != "http":
            return None
        ing = loc.ingress
        no_tls = [x.strip() for x in self.config.get("no-tls-redirect-locations", "/.well-known/acme-challenge").split(",")]
        if any(x and loc.path.startswith(x) for x in no_tls):
            return None
        force = ann(ing, "force-ssl-redirect")
        force_on = truthy(force) if force is not None else truthy(self.config.get("force-ssl-redirect", "false"))
        ssl = ann(ing, "ssl-redirect")
        ssl_on = truthy(ssl) if ssl is not None else truthy(self.config.get("ssl-redirect", "true"))
        if force_on:
            causes.append(cause(ing, "force-ssl-redirect", default=force is None))
        elif ssl_on and srv.cert is not None:
            causes.append(cause(ing, "ssl-redirect", default=ssl is None))
            causes.append(srv.cert)
        else:
            if srv.cert is not None and ssl is not None:
                causes.append(cause(ing, "ssl-redirect"))
            return None
        uri = probe.path
        preserve = ann(ing, "preserve-trailing-slash")
        if not truthy(preserve) and uri.endswith("/"):
            uri = uri[:-1]
            causes.append(cause(ing, "preserve-trailing-slash", default=preserve is None))
        code = self._int_config("http-redirect-code", 308)
        return code, f"https://{probe.host}{uri}"

    def _proxy(self, probe: Probe, loc: Location, n: _NginxLoc | None, causes: list[Cause], *, host_name: str,
               via: str = "") -> Answer:
        ing = loc.ingress
        default_loc = loc.path_type == "default"
        if Cause(loc.field, loc.ref) not in causes:
            causes.append(Cause(loc.field, loc.ref))  # a problem the conversion reported on this very path
        backends = single(loc.backend)
        if loc.canary is not None:
            backends = self._canary(probe, loc, causes)
        upstream_path = probe.path
        upstream_host = host_name
        request_headers: dict[str, str | None] = {}
        response_headers: dict[str, str | None] = {}
        cors = None
        mirrors: tuple[Backend, ...] = ()
        if not default_loc:
            target = ann(ing, "rewrite-target")
            if target and target != loc.path:
                causes.append(cause(ing, "rewrite-target"))
                m = _search_ci(loc.path, probe.uri_path)
                if m is None:
                    rewritten = probe.uri_path
                else:
                    rewritten = re.sub(r"\$(\d)", lambda g: (m.group(int(g.group(1))) or "")
                                       if int(g.group(1)) <= (m.re.groups or 0) else "", target)
                upstream_path = join_uri(rewritten, probe.query)
            vhost = ann(ing, "upstream-vhost")
            if vhost:
                causes.append(cause(ing, "upstream-vhost"))
                upstream_host = vhost
            prefix = ann(ing, "x-forwarded-prefix")
            if prefix:
                causes.append(cause(ing, "x-forwarded-prefix"))
                request_headers["x-forwarded-prefix"] = prefix
            custom = ann(ing, "custom-headers")
            if custom:
                causes.append(cause(ing, "custom-headers"))
                ns, _, name = custom.rpartition("/")
                cm = self.config_maps.get((ns or ing.namespace, name))
                for k, v in sorted((cm.data if cm else {}).items()):
                    response_headers[k.lower()] = v
            if truthy(ann(ing, "enable-cors")):
                causes.append(cause(ing, "enable-cors"))
                cors = _nginx_cors(ing)
            target = ann(ing, "mirror-target")
            if target:
                causes.append(cause(ing, "mirror-target"))
                mirrors = (mirror_backend(target, ing.namespace),)
        return Answer(kind="backend", backends=backends, upstream_path=upstream_path, upstream_host=upstream_host,
                      request_headers=tuple(sorted(request_headers.items())),
                      response_headers=tuple(sorted(response_headers.items())), cors=cors, mirrors=mirrors, via=via,
                      causes=tuple(dict.fromkeys(causes)))

    def _canary(self, probe: Probe, loc: Location, causes: list[Cause]) -> tuple[tuple[Backend, Fraction], ...]:
        c = loc.canary
        assert c is not None
        ing = c.ingress
        primary, canary = loc.backend, c.backend
        header = ann(ing, "canary-by-header")
        if header:
            got = probe.header(header)
            value = ann(ing, "canary-by-header-value")
            pattern = ann(ing, "canary-by-header-pattern")
            if got is not None:
                if value:
                    causes.extend((cause(ing, "canary-by-header"), cause(ing, "canary-by-header-value")))
                    if got == value:
                        return single(canary)
                elif pattern:
                    causes.extend((cause(ing, "canary-by-header"), cause(ing, "canary-by-header-pattern")))
                    try:
                        if re.search(pattern, got):
                            return single(canary)
                    except re.error:
                        pass
                else:
                    causes.append(cause(ing, "canary-by-header"))
                    if got == "always":
                        return single(canary)
                    if got == "never":
                        return single(primary)
        cookie = ann(ing, "canary-by-cookie")
        if cookie:
            got = probe.cookie(cookie)
            if got in ("always", "never"):
                causes.append(cause(ing, "canary-by-cookie"))
                return single(canary if got == "always" else primary)
        weight_s = ann(ing, "canary-weight")
        total_s = ann(ing, "canary-weight-total")
        try:
            total = int(total_s) if total_s else 100
            weight = int(weight_s) if weight_s else 0
        except ValueError:
            total, weight = 100, 0
        if weight_s:
            causes.append(cause(ing, "canary-weight"))
            if total_s:
                causes.append(cause(ing, "canary-weight-total"))
        weight = max(0, min(weight, total))
        if weight == 0 or total <= 0:
            return single(primary)
        return distribution([(primary, total - weight), (canary, weight)])


def mirror_backend(url: str, namespace: str) -> Backend:
    """Where ``mirror-target`` sends copies: an in-cluster Service (``svc[.ns[.svc[.cluster.local]]]``) or an
    external host (kind ``External``)."""
    u = urlsplit(_VAR.sub("", url))
    host = u.hostname or ""
    try:
        port = str(u.port or (443 if u.scheme == "https" else 80))
    except ValueError:
        port = ""
    labels = host.split(".")
    if len(labels) == 1 or labels[2:] in (["svc"], ["svc", "cluster", "local"]) or len(labels) == 2:
        return Backend(labels[1] if len(labels) > 1 else namespace, labels[0], port)
    return Backend("", host, port, kind="External")


def _code(value: str | None, default: int, hi: int) -> int:
    try:
        n = int(value) if value else default
    except ValueError:
        return default
    return n if 300 <= n <= hi else default


def _search_ci(pattern: str, text: str) -> re.Match[str] | None:
    try:
        return re.search(pattern, text, re.IGNORECASE)
    except re.error:
        return None


_VAR = re.compile(r"\$(\w+)")


def _nginx_vars(url: str, probe: Probe, host: str) -> str | None:
    known = {"request_uri": probe.path, "uri": probe.uri_path, "scheme": probe.scheme, "host": host,
             "http_host": host, "server_name": host, "args": probe.query or "", "is_args": "?" if probe.query else ""}
    unknown = [m.group(1) for m in _VAR.finditer(url) if m.group(1) not in known]
    if unknown:
        return None
    return _VAR.sub(lambda m: known[m.group(1)], url)


def _split(value: str) -> list[str]:
    return [x.strip() for x in value.split(",") if x.strip()]


def _nginx_cors(ing: Ingress) -> tuple[tuple[str, object], ...]:
    origins = _split(ann(ing, "cors-allow-origin") or "*")
    methods = _split(ann(ing, "cors-allow-methods") or CORS_DEFAULT_METHODS)
    headers = _split(ann(ing, "cors-allow-headers") or CORS_DEFAULT_HEADERS)
    expose = _split(ann(ing, "cors-expose-headers") or "")
    creds = ann(ing, "cors-allow-credentials")
    max_age = ann(ing, "cors-max-age")
    return cors_summary(origins, methods, headers, expose, creds is None or truthy(creds),
                        int(max_age) if max_age and max_age.strip().isascii() and max_age.strip().isdigit() else 1728000)


def cors_summary(origins: list[str], methods: list[str], headers: list[str], expose: list[str], credentials: bool,
                 max_age: int) -> tuple[tuple[str, object], ...]:
    """CORS settings in one comparable form (case-insensitive lists sorted)."""
    return (("allowCredentials", credentials), ("allowHeaders", sorted({h.lower() for h in headers})),
            ("allowMethods", sorted({m.upper() for m in methods})), ("allowOrigins", sorted(set(origins))),
            ("exposeHeaders", sorted({h.lower() for h in expose})), ("maxAge", max_age))
