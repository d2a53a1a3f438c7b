"""Probe generation: requests that sit on every boundary of the input's hosts and paths.

For each host and path: the path itself, with and without a trailing slash, one segment deeper, a string
sibling (``/foobar`` for ``/foo``), an upper-case variant where ingress-nginx matches case-insensitively,
a query string, the root; HTTP always and HTTPS where a TLS entry covers the host (without one,
ingress-nginx answers only with its self-signed default certificate, which clients reject); for wildcard
hosts a one-label name, a deeper name and the bare domain; an unknown host; canary headers and cookies
(matching and not); gRPC requests for gRPC backends; ``www.`` counterparts of ``from-to-www-redirect``.
User probes come from a YAML list (``--probe FILE``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from ing2gw.errors import UsageError
from ing2gw.model import Ingress
from ing2gw.verify.ingress import NGINX, ClassGroup
from ing2gw.verify.model import Cause, Probe
from ing2gw.verify.nginx import PREFIX, ann, truthy

UNKNOWN_HOST = "unknown-host.invalid"
_META = re.compile(r"[\\^$.|?*+()\[\]{}]")


def literal_prefix(path: str) -> str:
    """The part of a path before its first regex metacharacter (``/api(/|$)(.*)`` -> ``/api``)."""
    m = _META.search(path)
    return path if m is None else path[: m.start()]


def path_variants(path: str) -> list[tuple[str, str]]:
    """(request path, why) around one Ingress path."""
    p = path or "/"
    lit = literal_prefix(p) or "/"
    base = lit.rstrip("/") or ""
    out = [(lit, "the path"), (base + "/", "with a trailing slash"), (base + "/deeper", "one segment deeper")]
    if base:
        out.append((base, "without a trailing slash"))
        out.append((base + "bar", "string-prefix sibling"))
        out.append((base + "/deeper?q=1", "with a query string"))
    return out


def _tls_hosts(ings: Iterable[Ingress]) -> set[str]:
    return {h for ing in ings for t in ing.tls for h in t.hosts}


def _covered(host: str, tls_hosts: set[str]) -> bool:
    return host in tls_hosts or ("." in host and "*." + host.split(".", 1)[1] in tls_hosts)


def _tls_causes(ings: Iterable[Ingress]) -> dict[str, tuple[Cause, ...]]:
    """TLS host -> the TLS entries naming it: why a host is probed on HTTPS (a statement on one explains)."""
    out: dict[str, list[Cause]] = {}
    for ing in ings:
        for t in ing.tls:
            for h in t.hosts:
                out.setdefault(h, []).append(Cause(t.source.field or "spec.tls", f"{ing.namespace}/{ing.name}"))
    return {h: tuple(c) for h, c in out.items()}


def _covering(host: str, causes: dict[str, tuple[Cause, ...]]) -> tuple[Cause, ...]:
    wild = "*." + host.split(".", 1)[1] if "." in host else None
    return (*causes.get(host, ()), *(causes.get(wild, ()) if wild else ()))


def _host_variants(host: str, field: str, ref: str) -> list[tuple[str, str, tuple[Cause, ...]]]:
    if not host.startswith("*."):
        return [(host, "", ())]
    domain = host[2:]
    deep = (Cause(field, ref),)
    return [("probe." + domain, "one label under the wildcard", ()),
            ("a.b." + domain, "two labels under the wildcard", deep),
            (domain, "the bare wildcard domain", ())]


def generate(groups: dict[str | None, ClassGroup]) -> list[Probe]:
    """Every boundary probe for every class, deduplicated, in a stable order."""
    found: dict[tuple[Any, ...], Probe] = {}

    def add(p: Probe) -> None:
        old = found.get(p.key)
        if old is None:
            found[p.key] = p
        elif p.origin and not set(p.origin) <= set(old.origin):
            found[p.key] = replace(old, origin=tuple(dict.fromkeys((*old.origin, *p.origin))))

    for klass in sorted(groups, key=lambda k: k or ""):
        g = groups[klass]
        tls_hosts = _tls_hosts(g.ingresses)
        tls_causes = _tls_causes(g.ingresses)
        regex_hosts: set[str | None] = set()
        if g.provider == NGINX:
            for ing in g.ingresses:
                if truthy(ann(ing, "use-regex")) or ann(ing, "rewrite-target"):
                    regex_hosts.update(r.host for r in ing.rules)
        add(Probe("http", UNKNOWN_HOST, "/", klass=klass, why="unknown host"))
        add(Probe("http", UNKNOWN_HOST, "/deeper", klass=klass, why="unknown host"))
        for ing in g.ingresses:
            ref = f"{ing.namespace}/{ing.name}"
            grpc = g.provider == NGINX and (ann(ing, "backend-protocol") or "").upper() in ("GRPC", "GRPCS")
            canary = _canary_variants(ing) if g.provider == NGINX and truthy(ann(ing, "canary")) else [((), "")]
            passthrough = g.provider == NGINX and truthy(ann(ing, "ssl-passthrough"))
            for rule in ing.rules:
                field = f"{rule.source.field}.host"
                hosts = _host_variants(rule.host, field, ref) if rule.host else [(UNKNOWN_HOST, "no host", ())]
                if rule.host and g.provider == NGINX and truthy(ann(ing, "from-to-www-redirect")) \
                        and not rule.host.startswith("*."):
                    other = rule.host[4:] if rule.host.startswith("www.") else "www." + rule.host
                    hosts.append((other, "from-to-www counterpart", ()))
                paths = [p.path or "/" for p in rule.paths] + ["/"]
                reading: dict[str, tuple[Cause, ...]] = {}
                if g.provider == NGINX:
                    for p in rule.paths:
                        odd = (p.path_type == "ImplementationSpecific" and (p.path or "/") != "/") or \
                            (p.path_type == "Prefix" and p.path != "/" and p.path.endswith("/"))
                        if odd:
                            # every path of that text (the same path twice: each may have its statement)
                            reading[p.path or "/"] = (*reading.get(p.path or "/", ()),
                                                      Cause(f"{p.source.field}.pathType", ref, default=True))
                for host, host_why, origin in hosts:
                    schemes = ["http"]
                    if _covered(host, tls_hosts) or passthrough:
                        schemes.append("https")
                    for path in paths:
                        variants = path_variants(path)
                        if rule.host in regex_hosts:
                            variants += [(v.upper(), why + ", upper case") for v, why in variants if v.upper() != v]
                        for scheme in schemes:
                            for req, why in variants:
                                for headers, cwhy in canary:
                                    label = ", ".join(x for x in (f"{path}: {why}", host_why, cwhy) if x)
                                    why_origin = origin + reading.get(path, ())
                                    if scheme == "https":
                                        why_origin += _covering(host, tls_causes)
                                    add(Probe(scheme, host, req, headers=headers, klass=klass, why=label,  # type: ignore[arg-type]
                                              origin=why_origin, grpc=False))
                                    if grpc:
                                        add(Probe(scheme, host, req, headers=headers, klass=klass,  # type: ignore[arg-type]
                                                  why=label + ", gRPC", origin=why_origin, grpc=True))
    return list(found.values())


def _canary_variants(ing: Ingress) -> list[tuple[tuple[tuple[str, str], ...], str]]:
    out: list[tuple[tuple[tuple[str, str], ...], str]] = [((), "")]
    header = ann(ing, "canary-by-header")
    if header:
        value = ann(ing, "canary-by-header-value")
        pattern = ann(ing, "canary-by-header-pattern")
        vals = ["always", "never", "other"]
        if value:
            vals.insert(0, value)
        elif pattern:
            vals.insert(0, literal_prefix(pattern.lstrip("^")) or "x")
        for v in vals:
            out.append((((header, v),), f"canary header {header}: {v}"))
    cookie = ann(ing, "canary-by-cookie")
    if cookie:
        for v in ("always", "never"):
            out.append(((("Cookie", f"{cookie}={v}"),), f"canary cookie {cookie}={v}"))
    return out


def load_probes(path: str) -> list[Probe]:
    """User probes: a YAML list of ``{url, method, headers, class, grpc}`` or ``{scheme, host, path, ...}``."""
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"--probe {path}: cannot read: {exc.strerror or exc}") from None
    except yaml.YAMLError as exc:
        raise UsageError(f"--probe {path}: not valid YAML: {exc}") from None
    if not isinstance(data, list):
        raise UsageError(f"--probe {path}: expected a YAML list of requests")
    out = []
    for i, item in enumerate(data):
        where = f"--probe {path}: item {i}"
        if isinstance(item, str):
            item = {"url": item}
        if not isinstance(item, dict):
            raise UsageError(f"{where}: expected a map or a URL")
        if "url" in item:
            u = urlsplit(str(item["url"]))
            scheme, host = u.scheme or "http", u.hostname or ""
            req = (u.path or "/") + (f"?{u.query}" if u.query else "")
        else:
            scheme, host, req = str(item.get("scheme", "http")), str(item.get("host", "")), str(item.get("path", "/"))
        if scheme not in ("http", "https", "tls") or not host or not req.startswith("/"):
            raise UsageError(f"{where}: needs an http(s) URL, or scheme, host and a path starting with /")
        headers = item.get("headers") or {}
        if not isinstance(headers, dict):
            raise UsageError(f"{where}: headers must be a map")
        out.append(Probe(scheme, host.lower(), req, method=str(item.get("method", "GET")).upper(),  # type: ignore[arg-type]
                         headers=tuple((str(k), str(v)) for k, v in headers.items()),
                         klass=item.get("class"), grpc=bool(item.get("grpc")), why="user probe"))
    return out


__all__ = ["PREFIX", "generate", "load_probes"]
