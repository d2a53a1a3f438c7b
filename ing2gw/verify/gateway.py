"""The Gateway API side: how a conformant Gateway answers a request, from the specification.

Reads Gateway API objects as plain dicts (``convert`` output or any manifests), never the translator's
model. What it follows, from the Gateway API reference (HTTPRoute godoc and GEPs):

- Listener: port and protocol by scheme (``http`` -> HTTP on 80; ``https`` -> HTTPS or TLS on 443 by
  SNI); hostname exact, or a wildcard matching any number of labels; the most specific listener wins
  (exact, then the longest wildcard, then none), and a request uses only that listener's routes
  (listener isolation). When several Gateways have an equally specific listener (DNS could point at
  any of them), their answers must agree or the answer is ``ambiguous``.
- Attachment: ``parentRefs`` (group, kind, namespace, name, ``sectionName``, ``port``), the listener's
  ``allowedRoutes`` (kinds; namespaces Same, All, or Selector over namespace labels, where every
  namespace carries ``kubernetes.io/metadata.name``), route hostnames intersecting the request host.
- Precedence across all matching rules: the route hostname (most characters in a matching exact name,
  then in any matching name), an Exact path, the longest PathPrefix, a method match, most header
  matches, most query matches, the oldest route, ``namespace/name``, rule order. RegularExpression path
  precedence is implementation-specific: verify ranks a regex with prefixes by the length of its
  pattern (the order ingress-nginx uses), after a prefix of equal length.
- Regex dialect (also implementation-specific): ``search`` (default) matches the pattern as written,
  unanchored, so ``^/api`` is a prefix match (PCRE/nginx reading; what ing2gw's nginx provider emits);
  ``full`` requires the whole path to match (RE2 full match, as Envoy-based implementations do).
- Filters in order: RequestRedirect (scheme/hostname/port/path; port derived from the scheme or the
  listener, left out of Location when it is the scheme's default; status default 302),
  URLRewrite (ReplaceFullPath, ReplacePrefixMatch), header modifiers, RequestMirror, CORS.
  ExtensionRef and ExternalAuth are implementation-specific and not simulated.
- Backends: weights (0 gets nothing), cross-namespace refs need a ReferenceGrant; an invalid ref's
  share gets 500, a rule without valid backends answers 500; no matching rule answers 404.
- GRPCRoute for gRPC probes (service/method, headers) before HTTPRoutes; TLSRoute on TLS passthrough
  listeners by SNI.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal
from urllib.parse import parse_qsl

from ing2gw.core.merge import MERGED_DETAIL, split_detail
from ing2gw.verify.model import (
    Answer,
    Backend,
    Cause,
    Probe,
    distribution,
    host_location,
    join_uri,
    status,
)
from ing2gw.verify.nginx import cors_summary

GROUP = "gateway.networking.k8s.io"
X_GROUP = "gateway.networking.x-k8s.io"  # experimental kinds (XListenerSet before v1.5)
SOURCE_ANNOTATION = "ing2gw.io/source"  # set by convert on every object it emits: the Ingresses it came from
RegexDialect = Literal["search", "full"]
INVALID = Backend("", "invalid backendRef (500)", "", kind="Error")


def wildcard_matches(pattern: str, host: str) -> bool:
    """Gateway API wildcard hostnames: ``*.example.com`` matches any number of extra labels."""
    return pattern.startswith("*.") and host.endswith(pattern[1:]) and len(host) > len(pattern) - 1


def host_rank(pattern: str | None, host: str) -> tuple[int, int] | None:
    """How specifically ``pattern`` matches ``host``: (2, len) exact, (1, len) wildcard, (0, 0) none set;
    None when it does not match."""
    if not pattern:
        return (0, 0)
    if pattern == host:
        return (2, len(pattern))
    if wildcard_matches(pattern, host):
        return (1, len(pattern))
    return None


def prefix_matches(prefix: str, path: str) -> bool:
    p = prefix.rstrip("/")
    return not p or path == p or path.startswith(p + "/")


def replace_prefix(matched: str, path: str, replacement: str) -> str:
    """ReplacePrefixMatch per the HTTPRoute godoc table (trailing slashes of both prefixes ignored)."""
    p = matched.rstrip("/")
    rest = path[len(p):]
    out = replacement.rstrip("/") + rest
    return out or "/"


def _meta(obj: dict[str, Any]) -> dict[str, Any]:
    m = obj.get("metadata")
    return m if isinstance(m, dict) else {}


def _spec(obj: dict[str, Any]) -> dict[str, Any]:
    s = obj.get("spec")
    return s if isinstance(s, dict) else {}


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


@dataclass(frozen=True, slots=True)
class _Listener:
    gateway: dict[str, Any]
    spec: dict[str, Any]
    owner: dict[str, Any] | None = None  # the ListenerSet that declares it (None: the Gateway itself)

    @property
    def owner_kind(self) -> str:
        return "ListenerSet" if self.owner is not None else "Gateway"

    @property
    def gw_ns(self) -> str:
        return str(_meta(self.owner or self.gateway).get("namespace") or "default")

    @property
    def gw_name(self) -> str:
        return str(_meta(self.owner or self.gateway).get("name") or "")

    @property
    def name(self) -> str:
        return str(self.spec.get("name") or "")

    @property
    def port(self) -> int | None:
        p = self.spec.get("port")
        return p if isinstance(p, int) else None

    @property
    def protocol(self) -> str:
        return str(self.spec.get("protocol") or "")

    @property
    def passthrough(self) -> bool:
        tls = self.spec.get("tls")
        return self.protocol == "TLS" and isinstance(tls, dict) and tls.get("mode") == "Passthrough"

    def show(self) -> str:
        return f"{self.owner_kind} {self.gw_ns}/{self.gw_name} listener {self.name}"


class GatewayEngine:
    """Gateways and routes from plain manifests; answers probes."""

    def __init__(self, objects: Iterable[dict[str, Any]], *, regex: RegexDialect = "search",
                 namespace: str = "default", class_map: dict[str | None, str] | None = None,
                 shared_classes: dict[str, tuple[str | None, str]] | None = None) -> None:
        self.regex = regex
        # shared mode with several classes: "namespace/name" of each Ingress -> (its class, the field or
        # annotation that gave it); a route of another class than the probe's answers because convert put
        # the classes on one Gateway, which it states on that field
        self.shared_classes = shared_classes or {}
        # ingress class -> the gatewayClassName convert gave its Gateways: a probe aimed at one class's
        # controller never reaches the Gateways made for another class (their own entry points).
        self.class_map = class_map or {}
        self.default_ns = namespace
        self.gateways: list[dict[str, Any]] = []
        self.routes: dict[str, list[dict[str, Any]]] = {"HTTPRoute": [], "GRPCRoute": [], "TLSRoute": []}
        self.grants: list[dict[str, Any]] = []
        self.ns_labels: dict[str, dict[str, str]] = {}
        # (kind, gateway namespace, gateway name, sectionName or None) -> routes naming that parent
        self.by_parent: dict[tuple[str, str, str, str, str | None], list[dict[str, Any]]] = {}
        self._cache: dict[tuple[str, str, str, str, str], list[dict[str, Any]]] = {}
        self.listener_sets: list[dict[str, Any]] = []
        # (owner kind, namespace, name, listener) of listeners that refuse routes naming them (allowedRoutes)
        self.refused: set[tuple[str, str, str, str | None]] = set()
        # listeners of ListenerSets their Gateway does not accept, by (port, plain HTTP?) and hostname
        self.rejected: dict[tuple[int, bool], dict[str | None, list[str]]] = {}
        self._lindex: dict[tuple[int, bool], dict[str | None, list[tuple[int, _Listener]]]] | None = None
        for o in objects:
            if not isinstance(o, dict):
                continue
            kind = o.get("kind")
            api = str(o.get("apiVersion") or "")
            if not isinstance(kind, str):
                continue
            if kind == "Namespace":
                labels = _meta(o).get("labels")
                self.ns_labels[str(_meta(o).get("name"))] = dict(labels) if isinstance(labels, dict) else {}
                continue
            if not api.startswith(GROUP + "/") and not (kind == "XListenerSet" and api.startswith(X_GROUP + "/")):
                continue
            if not _meta(o).get("namespace"):
                o = {**o, "metadata": {**_meta(o), "namespace": namespace}}
            if kind == "Gateway":
                self.gateways.append(o)
            elif kind in self.routes:
                self.routes[str(kind)].append(o)
                self._index(str(kind), o)
            elif kind == "ReferenceGrant":
                self.grants.append(o)
            elif kind in ("ListenerSet", "XListenerSet"):
                self.listener_sets.append(o)

    def _index(self, kind: str, route: dict[str, Any]) -> None:
        rns = str(_meta(route).get("namespace"))
        seen = set()
        for ref in _list(_spec(route).get("parentRefs")):
            if isinstance(ref, dict) and isinstance(ref.get("name"), str):
                sec = ref.get("sectionName") if isinstance(ref.get("sectionName"), str) else None
                pkind = "ListenerSet" if ref.get("kind") in ("ListenerSet", "XListenerSet") else str(ref.get("kind") or "Gateway")
                key = (kind, pkind, str(ref.get("namespace") or rns), ref["name"], sec)
                if key not in seen:
                    seen.add(key)
                    self.by_parent.setdefault(key, []).append(route)

    # --- listeners ---------------------------------------------------------------------------------
    def _listener_index(self) -> dict[tuple[int, bool], dict[str | None, list[tuple[int, _Listener]]]]:
        """(port, plain HTTP?) -> listener hostname (None: no hostname) -> (gateway index, listener)."""
        if self._lindex is None:
            self._lindex = {}
            where: dict[tuple[str, str], int] = {}
            entries: list[tuple[int, _Listener]] = []
            for gi, gw in enumerate(self.gateways):
                where[(str(_meta(gw).get("namespace")), str(_meta(gw).get("name")))] = gi
                entries += [(gi, _Listener(gw, ls)) for ls in _list(_spec(gw).get("listeners")) if isinstance(ls, dict)]
            for ls_obj in self.listener_sets:
                ref = _dict(_spec(ls_obj).get("parentRef"))
                lns = str(_meta(ls_obj).get("namespace"))
                gi = where.get((str(ref.get("namespace") or lns), str(ref.get("name"))), -1)
                accepted = gi >= 0 and self._accepts_listeners(self.gateways[gi], lns)
                for ls in _list(_spec(ls_obj).get("listeners")):
                    if not isinstance(ls, dict):
                        continue
                    if accepted:
                        entries.append((gi, _Listener(self.gateways[gi], ls, ls_obj)))
                    elif isinstance(ls.get("port"), int):
                        key = (ls["port"], ls.get("protocol") == "HTTP")
                        hn = ls.get("hostname") if isinstance(ls.get("hostname"), str) else None
                        self.rejected.setdefault(key, {}).setdefault(hn, []).append(str(_meta(ls_obj).get("name")))
            for gi, lst in entries:
                if lst.port is None:
                    continue
                if lst.protocol == "HTTP":
                    plain = True
                elif lst.protocol == "HTTPS" or lst.passthrough:
                    plain = False
                else:
                    continue
                hn = lst.spec.get("hostname") if isinstance(lst.spec.get("hostname"), str) and lst.spec.get("hostname") \
                    else None
                self._lindex.setdefault((lst.port, plain), {}).setdefault(hn, []).append((gi, lst))
        return self._lindex

    def _accepts_listeners(self, gw: dict[str, Any], ls_ns: str) -> bool:
        """Gateway ``spec.allowedListeners`` (default: no ListenerSet is accepted)."""
        rule = _dict(_dict(_spec(gw).get("allowedListeners")).get("namespaces"))
        frm = rule.get("from") or "None"
        if frm == "All":
            return True
        if frm == "Same":
            return ls_ns == str(_meta(gw).get("namespace"))
        if frm == "Selector":
            return _selects(rule.get("selector"), {**self.ns_labels.get(ls_ns, {}), "kubernetes.io/metadata.name": ls_ns})
        return False

    def _rejected_causes(self, probe: Probe) -> tuple[Cause, ...]:
        host = probe.host.lower().split(":", 1)[0]
        by_name = self.rejected.get((probe.port, probe.scheme == "http"), {})
        out = []
        for name, sets in by_name.items():
            if host_rank(name, host) is not None:
                out += [Cause(f"ListenerSet {n}", detail=n) for n in sets]
        return tuple(out)

    def listeners_for(self, probe: Probe) -> list[_Listener]:
        host = probe.host.lower().split(":", 1)[0]
        by_name = self._listener_index().get((probe.port, probe.scheme == "http"), {})
        names: list[str | None] = [host, None]
        labels = host.split(".")
        names += ["*." + ".".join(labels[i:]) for i in range(1, len(labels))]
        per_gateway: dict[int, tuple[tuple[int, int], _Listener]] = {}
        wanted = self.class_map.get(probe.klass, probe.klass or "default")
        foreign = {c for c in self.class_map.values() if c != wanted}
        for name in names:
            for gi, lst in by_name.get(name, ()):
                if foreign and _spec(lst.gateway).get("gatewayClassName") in foreign:
                    continue
                rank = host_rank(name, host)
                if rank is None:
                    continue
                if gi not in per_gateway or rank > per_gateway[gi][0]:
                    per_gateway[gi] = (rank, lst)
        if not per_gateway:
            return []
        best = max(r for r, _ in per_gateway.values())
        found = [lst for r, lst in per_gateway.values() if r == best]
        # The Gateways of the probe's class first (convert names the class of class-less Ingresses "default").
        same = [lst for lst in found if _spec(lst.gateway).get("gatewayClassName") == (probe.klass or "default")]
        if same:
            found = same
        return found

    def _serves_port(self, probe: Probe) -> bool:
        return bool(self._listener_index().get((probe.port, True)))

    def answer(self, probe: Probe) -> Answer:
        """How the Gateways answer ``probe``. Objects too malformed to read (the API server would have
        rejected them) answer with an error status that names the problem, never with an exception."""
        try:
            return self._answer(probe)
        except (TypeError, ValueError, AttributeError, KeyError, IndexError) as exc:
            return status(500, f"malformed Gateway API object ({type(exc).__name__}: {exc}); "
                          "validate the manifests with the CRD schemas")

    def _answer(self, probe: Probe) -> Answer:
        listeners = self.listeners_for(probe)
        if not listeners:
            self._listener_index()
            why = self._rejected_causes(probe) + (Cause("listener", detail=probe.host),)
            if probe.scheme == "http" and self._serves_port(probe):
                return status(404, f"no HTTP listener on port {probe.port} accepts host {probe.host}", *why)
            return Answer(kind="no-listener", via=f"no listener on port {probe.port} accepts {probe.host}", causes=why)
        answers = [self._answer_on(probe, lst) for lst in listeners]
        answers = [a.with_causes(*self._refused_causes(lst)) for a, lst in zip(answers, listeners, strict=True)]
        first = answers[0]
        if all(a == first for a in answers[1:]):
            rejected = self._rejected_causes(probe)
            return first.with_causes(*rejected) if rejected else first
        return Answer(kind="status", status=None, via="ambiguous: " + "; ".join(
            f"{lst.show()} answers {a.show()}" for lst, a in zip(listeners, answers, strict=True)),
            causes=_split_causes(listeners))

    # --- attachment ----------------------------------------------------------------------------------
    def _allowed(self, lst: _Listener, route: dict[str, Any]) -> bool:
        kind = route.get("kind")
        allowed = _dict(lst.spec.get("allowedRoutes"))
        kinds = _list(allowed.get("kinds"))
        if kinds:
            if not any(isinstance(k, dict) and k.get("kind") == kind and (k.get("group") or GROUP) == GROUP
                       for k in kinds):
                return False
        else:
            default = ("TLSRoute",) if lst.protocol == "TLS" else ("HTTPRoute", "GRPCRoute")
            if kind not in default:
                return False
        ns_rule = _dict(allowed.get("namespaces"))
        frm = ns_rule.get("from") or "Same"
        rns = str(_meta(route).get("namespace"))
        if frm == "All":
            return True
        if frm == "Same":
            return rns == lst.gw_ns
        if frm == "Selector":
            return _selects(ns_rule.get("selector"), {**self.ns_labels.get(rns, {}),
                                                      "kubernetes.io/metadata.name": rns})
        return False

    def _attached(self, lst: _Listener, route: dict[str, Any]) -> bool:
        rns = str(_meta(route).get("namespace"))
        for ref in _list(_spec(route).get("parentRefs")):
            if not isinstance(ref, dict):
                continue
            kind = "ListenerSet" if ref.get("kind") in ("ListenerSet", "XListenerSet") else (ref.get("kind") or "Gateway")
            if (ref.get("group") or GROUP) not in (GROUP, X_GROUP) or kind != lst.owner_kind:
                continue
            if ref.get("name") != lst.gw_name or (ref.get("namespace") or rns) != lst.gw_ns:
                continue
            if ref.get("sectionName") not in (None, lst.name):
                continue
            if ref.get("port") not in (None, lst.port):
                continue
            return self._allowed(lst, route)
        return False

    def _names(self, lst: _Listener, route: dict[str, Any]) -> bool:
        """The route names this listener (or its whole Gateway) as a parent, whether or not it is admitted."""
        rns = str(_meta(route).get("namespace"))
        return any(isinstance(ref, dict) and ref.get("name") == lst.gw_name and (ref.get("namespace") or rns) == lst.gw_ns
                   and ref.get("sectionName") in (None, lst.name) for ref in _list(_spec(route).get("parentRefs")))

    def _refused_causes(self, lst: _Listener) -> tuple[Cause, ...]:
        """Routes name this listener but its allowedRoutes does not admit them."""
        if (lst.owner_kind, lst.gw_ns, lst.gw_name, lst.name) not in self.refused:
            return ()
        return (Cause(f"listener {lst.name}", detail=f"listener {lst.name} of the existing Gateway "
                      f"{lst.gw_ns}/{lst.gw_name}"),)

    def _route_rank(self, route: dict[str, Any], host: str) -> tuple[int, int] | None:
        names = [h for h in _list(_spec(route).get("hostnames")) if isinstance(h, str)]
        if not names:
            return (0, 0)
        ranks = [r for r in (host_rank(h, host) for h in names) if r is not None]
        return max(ranks) if ranks else None

    def prepare(self) -> None:
        """Build at once what answering would build on first use: the listener index, the routes attached to
        each listener, and the listeners that refuse routes naming them. Answers then do not depend on which
        probes came first (a refusal found for one kind of route is a cause on every probe of that listener),
        and forked workers share all of it."""
        for by_name in self._listener_index().values():
            for entries in by_name.values():
                for _, lst in entries:
                    for kind in self.routes:
                        self._attached_routes(lst, kind)

    def _attached_routes(self, lst: _Listener, kind: str) -> list[dict[str, Any]]:
        ckey = (kind, lst.owner_kind, lst.gw_ns, lst.gw_name, lst.name)
        attached = self._cache.get(ckey)
        if attached is None:
            pool = _unique(self.by_parent.get(ckey, []) +
                           self.by_parent.get((kind, lst.owner_kind, lst.gw_ns, lst.gw_name, None), []))
            attached = self._cache[ckey] = [r for r in pool if self._attached(lst, r)]
            kept = {id(r) for r in attached}  # by identity: comparing route dicts by value is slow
            if len(attached) < len(pool) and any(self._names(lst, r) for r in pool if id(r) not in kept):
                self.refused.add(ckey[1:])
        return attached

    def _candidates(self, lst: _Listener, kind: str, host: str) -> list[tuple[tuple[int, int], dict[str, Any]]]:
        out = []
        for route in self._attached_routes(lst, kind):
            rank = self._route_rank(route, host)
            if rank is not None:
                out.append((rank, route))
        return out

    # --- matching ------------------------------------------------------------------------------------
    def _regex(self, pattern: str, text: str) -> bool:
        try:
            if self.regex == "full":
                return re.fullmatch(pattern, text) is not None
            return re.search(pattern, text) is not None
        except re.error:
            return False

    def _value_ok(self, typ: str | None, want: Any, got: str | None) -> bool:
        if got is None or not isinstance(want, str):
            return False
        if (typ or "Exact") == "Exact":
            return got == want
        return self._regex(want, got)

    def _answer_on(self, probe: Probe, lst: _Listener) -> Answer:
        host = probe.host.lower().split(":", 1)[0]
        if lst.passthrough:
            return self._tls(probe, lst, host)
        if probe.grpc:
            grpc = self._grpc(probe, lst, host)
            if grpc is not None:
                return grpc
        best: tuple[Any, ...] | None = None
        chosen: tuple[dict[str, Any], int, dict[str, Any], dict[str, Any]] | None = None
        query = dict(parse_qsl(probe.query or "", keep_blank_values=True))
        for rank, route in self._candidates(lst, "HTTPRoute", host):
            meta = _meta(route)
            tie = (str(meta.get("creationTimestamp") or ""), str(meta.get("namespace")), str(meta.get("name")))
            for ri, rule in enumerate(_list(_spec(route).get("rules"))):
                if not isinstance(rule, dict):
                    continue
                matches = _list(rule.get("matches")) or [{}]
                for mi, m in enumerate(matches):
                    if not isinstance(m, dict):
                        continue
                    key = self._match(probe, m, query)
                    if key is None:
                        continue
                    full = (-rank[0], -rank[1], *key, tie, ri, mi)
                    if best is None or full < best:
                        best, chosen = full, (route, ri, rule, m)
        if chosen is None:
            return status(404, f"{lst.show()}: no HTTPRoute rule matches")
        route, ri, rule, m = chosen
        via = f"{lst.show()}: HTTPRoute {_meta(route).get('namespace')}/{_meta(route).get('name')} rule {ri}"
        answer = self._apply(probe, lst, route, rule, m, via)
        extra = self._other_class_causes(probe, route)
        return answer.with_causes(*extra) if extra else answer

    def _other_class_causes(self, probe: Probe, route: dict[str, Any]) -> tuple[Cause, ...]:
        """The Ingresses of other classes than the probe's behind ``route`` (convert's source annotation)."""
        if not self.shared_classes:
            return ()
        out = []
        for name in _source_ingresses(route):
            known = self.shared_classes.get(name)
            if known is not None and known[0] != probe.klass:
                out.append(Cause(known[1], name, detail=MERGED_DETAIL))
        return tuple(out)

    def _match(self, probe: Probe, m: dict[str, Any], query: dict[str, str]) -> tuple[Any, ...] | None:
        path = _dict(m.get("path"))
        ptype = path.get("type") or "PathPrefix"
        value = str(path.get("value")) if isinstance(path.get("value"), str) else "/"
        uri = probe.uri_path
        if ptype == "Exact":
            if uri != value:
                return None
            pkey: tuple[int, int, int] = (0, 0, 0)
        elif ptype == "PathPrefix":
            if not prefix_matches(value, uri):
                return None
            pkey = (1, -len(value), 0)
        elif ptype == "RegularExpression":
            if not self._regex(value, uri):
                return None
            pkey = (1, -len(value), 1)
        else:
            return None
        method = m.get("method")
        if method and method != probe.method:
            return None
        headers = [h for h in _list(m.get("headers")) if isinstance(h, dict)]
        for h in headers:
            if not self._value_ok(h.get("type"), h.get("value"), probe.header(str(h.get("name") or ""))):
                return None
        queries = [q for q in _list(m.get("queryParams")) if isinstance(q, dict)]
        for q in queries:
            if not self._value_ok(q.get("type"), q.get("value"), query.get(str(q.get("name") or ""))):
                return None
        return (*pkey, 0 if method else 1, -len(headers), -len(queries))

    # --- filters and backends -----------------------------------------------------------------------
    def _apply(self, probe: Probe, lst: _Listener, route: dict[str, Any], rule: dict[str, Any], m: dict[str, Any],
               via: str) -> Answer:
        rns = str(_meta(route).get("namespace"))
        causes: list[Cause] = []
        upstream_path = probe.path
        upstream_host = probe.host
        req: dict[str, str | None] = {}
        resp: dict[str, str | None] = {}
        mirrors: list[Backend] = []
        cors = None
        path = _dict(m.get("path"))
        for f in _list(rule.get("filters")):
            if not isinstance(f, dict):
                continue
            t = f.get("type")
            if t == "RequestRedirect":
                rr = _dict(f.get("requestRedirect"))
                given = rr.get("scheme") if rr.get("scheme") in ("http", "https") else None
                scheme = given or ("https" if probe.scheme != "http" else "http")
                port = rr.get("port") if isinstance(rr.get("port"), int) else None
                if port is None:
                    port = {"http": 80, "https": 443}[scheme] if given else lst.port
                new_path = self._modify_path(rr.get("path"), path, probe.uri_path, causes)
                loc = host_location(scheme, rr.get("hostname") or probe.host, port, join_uri(new_path, probe.query))
                return Answer(kind="redirect", status=rr.get("statusCode") or 302, location=loc, via=via,
                              causes=tuple(causes))
            if t == "URLRewrite":
                uw = _dict(f.get("urlRewrite"))
                if uw.get("hostname"):
                    upstream_host = uw["hostname"]
                if uw.get("path"):
                    upstream_path = join_uri(self._modify_path(uw.get("path"), path, probe.uri_path, causes),
                                             probe.query)
            elif t in ("RequestHeaderModifier", "ResponseHeaderModifier"):
                key = "requestHeaderModifier" if t == "RequestHeaderModifier" else "responseHeaderModifier"
                _modify_headers(f.get(key), req if t == "RequestHeaderModifier" else resp)
            elif t == "RequestMirror":
                rm = _dict(f.get("requestMirror"))
                ref = _dict(rm.get("backendRef"))
                mirrors.append(_backend(ref, rns))
            elif t == "CORS":
                c = _dict(f.get("cors"))
                cors = cors_summary([str(x) for x in _list(c.get("allowOrigins"))],
                                    [str(x) for x in _list(c.get("allowMethods"))],
                                    [str(x) for x in _list(c.get("allowHeaders"))],
                                    [str(x) for x in _list(c.get("exposeHeaders"))],
                                    c.get("allowCredentials") in (True, "true"),
                                    c["maxAge"] if isinstance(c.get("maxAge"), int) else 5)
            else:
                causes.append(Cause(f"HTTPRoute {rns}/{_meta(route).get('name')}: filter {t}",
                                    gap=f"{t} filter is implementation-specific; verify does not simulate it"))
        dist = self._distribution(rule.get("backendRefs"), "HTTPRoute", rns)
        if any(isinstance(r, dict) and r.get("filters") for r in _list(rule.get("backendRefs"))):
            causes.append(Cause(f"HTTPRoute {rns}/{_meta(route).get('name')}: backendRefs[].filters",
                                gap="per-backend filters are not simulated"))
        if not dist or all(b == INVALID for b, _ in dist):
            return status(500, via + ": no valid backend", *causes)
        return Answer(kind="backend", backends=dist, upstream_path=upstream_path, upstream_host=upstream_host,
                      request_headers=tuple(sorted(req.items())), response_headers=tuple(sorted(resp.items())),
                      cors=cors, mirrors=tuple(mirrors), via=via, causes=tuple(causes))

    def _distribution(self, refs: Any, route_kind: str, rns: str) -> tuple[tuple[Backend, Fraction], ...]:
        """The share of each backendRef; a ref that is not permitted (other namespace without a
        ReferenceGrant) or a Service without port keeps its share as INVALID (answered with 500)."""
        weights: list[tuple[Backend, int]] = []
        for ref in _list(refs):
            if not isinstance(ref, dict):
                continue
            w = ref.get("weight", 1)
            b = _backend(ref, rns)
            ok = (b.namespace == rns or self._granted(route_kind, rns, b)) and not (b.kind == "Service" and not b.port)
            weights.append((b if ok else INVALID, w if isinstance(w, int) else 1))
        return distribution(weights) if sum(w for _, w in weights) > 0 else ()

    def _modify_path(self, modifier: Any, match_path: dict[str, Any], uri: str, causes: list[Cause]) -> str:
        if not isinstance(modifier, dict):
            return uri
        if modifier.get("type") == "ReplaceFullPath":
            return str(modifier.get("replaceFullPath") or "/")
        if modifier.get("type") == "ReplacePrefixMatch":
            if (match_path.get("type") or "PathPrefix") != "PathPrefix":
                causes.append(Cause("ReplacePrefixMatch", gap="ReplacePrefixMatch needs a PathPrefix match"))
                return uri
            return replace_prefix(str(match_path.get("value") or "/"), uri, str(modifier.get("replacePrefixMatch") or ""))
        return uri

    def _granted(self, from_kind: str, from_ns: str, b: Backend) -> bool:
        for g in self.grants:
            if _meta(g).get("namespace") != b.namespace:
                continue
            spec = _spec(g)
            frm = any(isinstance(f, dict) and f.get("group") == GROUP and f.get("kind") == from_kind
                      and f.get("namespace") == from_ns for f in _list(spec.get("from")))
            to = any(isinstance(t, dict) and (t.get("group") or "") == "" and t.get("kind") == b.kind
                     and t.get("name") in (None, b.name) for t in _list(spec.get("to")))
            if frm and to:
                return True
        return False

    # --- GRPCRoute and TLSRoute ----------------------------------------------------------------------
    def _grpc(self, probe: Probe, lst: _Listener, host: str) -> Answer | None:
        parts = [p for p in probe.uri_path.split("/") if p]
        service, method = (parts + ["", ""])[:2]
        best: tuple[Any, ...] | None = None
        chosen: tuple[dict[str, Any], int, dict[str, Any]] | None = None
        for rank, route in self._candidates(lst, "GRPCRoute", host):
            meta = _meta(route)
            tie = (str(meta.get("creationTimestamp") or ""), str(meta.get("namespace")), str(meta.get("name")))
            for ri, rule in enumerate(_list(_spec(route).get("rules"))):
                if not isinstance(rule, dict):
                    continue
                for m in _list(rule.get("matches")) or [{}]:
                    if not isinstance(m, dict):
                        continue
                    mm = _dict(m.get("method"))
                    typ = mm.get("type") or "Exact"
                    ok = True
                    for want, got in ((mm.get("service"), service), (mm.get("method"), method)):
                        if want is not None and not self._value_ok(typ, want, got):
                            ok = False
                    headers = [h for h in _list(m.get("headers")) if isinstance(h, dict)]
                    ok = ok and all(self._value_ok(h.get("type"), h.get("value"), probe.header(str(h.get("name"))))
                                    for h in headers)
                    if not ok:
                        continue
                    key = (-rank[0], -rank[1], -len(str(mm.get("service") or "")), -len(str(mm.get("method") or "")),
                           -len(headers), tie, ri)
                    if best is None or key < best:
                        best, chosen = key, (route, ri, rule)
        if chosen is None:
            return None
        route, ri, rule = chosen
        rns = str(_meta(route).get("namespace"))
        via = f"{lst.show()}: GRPCRoute {rns}/{_meta(route).get('name')} rule {ri}"
        dist = self._distribution(rule.get("backendRefs"), "GRPCRoute", rns)
        if not dist or all(b == INVALID for b, _ in dist):
            return status(500, via + ": no valid backend")
        return Answer(kind="backend", backends=dist, upstream_path=probe.path, upstream_host=probe.host,
                      mirrors=(), via=via, causes=self._other_class_causes(probe, route))

    def _tls(self, probe: Probe, lst: _Listener, host: str) -> Answer:
        cands = self._candidates(lst, "TLSRoute", host)
        if not cands:
            return Answer(kind="no-listener", via=f"{lst.show()}: no TLSRoute for {host}")
        cands.sort(key=lambda c: (-c[0][0], -c[0][1], str(_meta(c[1]).get("creationTimestamp") or ""),
                                  str(_meta(c[1]).get("namespace")), str(_meta(c[1]).get("name"))))
        route = cands[0][1]
        rns = str(_meta(route).get("namespace"))
        rules = [r for r in _list(_spec(route).get("rules")) if isinstance(r, dict)]
        dist = self._distribution(rules[0].get("backendRefs") if rules else [], "TLSRoute", rns)
        return Answer(kind="passthrough", backends=dist, via=f"{lst.show()}: TLSRoute {rns}/{_meta(route).get('name')}",
                      causes=self._other_class_causes(probe, route))


def _split_causes(listeners: Iterable[_Listener]) -> tuple[Cause, ...]:
    """Several Gateways answer the same request differently: one entry point became several. The Ingresses
    that ``convert`` made them from (its ``ing2gw.io/source`` annotation) are the cause, by their namespace:
    ``convert`` states the split on ``metadata.namespace``, naming the listener's host."""
    out: dict[Cause, None] = {}
    for lst in listeners:
        hostname = lst.spec.get("hostname") if isinstance(lst.spec.get("hostname"), str) else None
        for name in _source_ingresses(lst.gateway):
            out.setdefault(Cause("metadata.namespace", name, detail=split_detail(hostname or None)))
    return tuple(out)


def _source_ingresses(obj: dict[str, Any]) -> list[str]:
    """"namespace/name" of the Ingresses ``convert`` made ``obj`` from (its source annotation)."""
    out = []
    for ref in str(_dict(_meta(obj).get("annotations")).get(SOURCE_ANNOTATION) or "").split(", "):
        kind, _, name = ref.partition(" ")
        if kind == "Ingress" and "/" in name:
            out.append(name)
    return out


def _unique(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: set[int] = set()
    out = []
    for i in items:
        if id(i) not in seen:
            seen.add(id(i))
            out.append(i)
    return out


def _backend(ref: dict[str, Any], ns: str) -> Backend:
    kind = ref.get("kind") or "Service"
    port = ref.get("port")
    return Backend(str(ref.get("namespace") or ns), str(ref.get("name") or ""), "" if port is None else str(port),
                   kind=str(kind) if (ref.get("group") or "") == "" else f"{ref.get('group')}/{kind}")


def _modify_headers(spec: Any, out: dict[str, str | None]) -> None:
    if not isinstance(spec, dict):
        return
    for item in _list(spec.get("set")) + _list(spec.get("add")):
        if isinstance(item, dict) and item.get("name"):
            out[str(item["name"]).lower()] = str(item.get("value", ""))
    for name in _list(spec.get("remove")):
        out[str(name).lower()] = None


def _selects(selector: Any, labels: dict[str, str]) -> bool:
    if not isinstance(selector, dict):
        return False
    for k, v in (selector.get("matchLabels") or {}).items():
        if labels.get(k) != v:
            return False
    for e in _list(selector.get("matchExpressions")):
        if not isinstance(e, dict):
            return False
        key, op, values = e.get("key"), e.get("operator"), _list(e.get("values"))
        have = labels.get(str(key))
        if op == "In" and have not in values:
            return False
        if op == "NotIn" and have in values:
            return False
        if op == "Exists" and have is None:
            return False
        if op == "DoesNotExist" and have is not None:
            return False
    return True
