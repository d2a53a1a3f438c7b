"""Turns raw objects into the typed input model, checking each field as the API server would.

A bad field is reported with its path and skipped at the smallest level that keeps the meaning: a bad
path drops that path, a bad annotation value is left for its handler to report, a bad Ingress name
drops the Ingress. Kinds other than Ingress, Service, IngressClass and ConfigMap are counted and ignored.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from sys import intern
from typing import Any

from ing2gw.errors import working_on
from ing2gw.load.raw import RawObject, yaml_type
from ing2gw.model import (
    ConfigMap,
    Ingress,
    IngressBackend,
    IngressClass,
    IngressPath,
    IngressRule,
    IngressTLS,
    Notification,
    Outcome,
    ResourceBackend,
    Service,
    ServiceBackend,
    ServicePort,
    Source,
)

INGRESS_VERSIONS = ("networking.k8s.io/v1", "networking.k8s.io/v1beta1", "extensions/v1beta1")
DNS1123_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
DNS1123_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
DNS1035_LABEL = re.compile(r"^[a-z]([-a-z0-9]*[a-z0-9])?$")
PORT_NAME = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
IPV4 = re.compile(r"^\d{1,3}(\.\d{1,3}){3}$")
QUALIFIED_NAME = re.compile(r"^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$")


# The checks of names that every Ingress asks again (annotation keys, hosts, Service names) are remembered
# per name: one lookup instead of regular expressions each time.
_NAMES_REMEMBERED = 50_000


@lru_cache(maxsize=_NAMES_REMEMBERED)
def _qualified_name(key: str) -> bool:
    """A label or annotation key as the API server accepts it: ``[prefix/]name``."""
    prefix, sep, name = key.rpartition("/")
    if sep and (not prefix or len(prefix) > 253 or not DNS1123_SUBDOMAIN.match(prefix)):
        return False
    return 0 < len(name) <= 63 and QUALIFIED_NAME.match(name) is not None


KNOWN_INGRESS_SPEC = {"ingressClassName", "defaultBackend", "backend", "rules", "tls"}


@dataclass(slots=True)
class Inputs:
    """Everything read from the input, typed. ``ignored`` counts objects of other kinds."""

    ingresses: list[Ingress] = field(default_factory=list)
    services: dict[tuple[str, str], Service] = field(default_factory=dict)
    ingress_classes: dict[str, IngressClass] = field(default_factory=dict)
    config_maps: dict[tuple[str, str], ConfigMap] = field(default_factory=dict)
    problems: list[Notification] = field(default_factory=list)
    ignored: Counter[str] = field(default_factory=Counter)
    # Gateway API objects in the input (existing Gateways, GatewayClasses), kept raw.
    gateway_api: list[RawObject] = field(default_factory=list)


class _Bad(Exception):
    """Raised inside a parser to skip the current element; the message is already recorded."""


class _Parser:
    def __init__(self, raw: RawObject, kind: str, default_namespace: str, out: Inputs) -> None:
        self.raw = raw
        self.out = out
        meta = raw.data.get("metadata")
        self.meta: dict[str, Any] = meta if isinstance(meta, dict) else {}
        name = self.meta.get("name")
        ns = self.meta.get("namespace")
        self.namespace = ns if isinstance(ns, str) and ns else default_namespace
        self.name = name if isinstance(name, str) else ""
        self.source = Source(
            kind=kind,
            namespace=self.namespace if kind not in ("IngressClass",) else None,
            name=self.name or "<unnamed>",
            file=raw.file,
            doc=raw.doc,
            path_prefix=raw.path_prefix,
        )

    def error(self, field: str, message: str, hint: str | None = None) -> None:
        self.out.problems.append(
            Notification(outcome=Outcome.ERROR, subject=field, message=f"{field}: {message}",
                         source=self.source.at(field=field), hint=hint)
        )

    def fail(self, field: str, message: str, hint: str | None = None) -> _Bad:
        self.error(field, message, hint)
        return _Bad()

    def check_metadata(self) -> None:
        if not isinstance(self.raw.data.get("metadata"), dict):
            raise self.fail("metadata", "missing or not a map", "The object was skipped.")
        if not self.name:
            raise self.fail("metadata.name", "missing or not a string", "The object was skipped.")
        if len(self.name) > 253 or not DNS1123_SUBDOMAIN.match(self.name):
            raise self.fail("metadata.name", f"invalid name {self.name!r}: must be a lower-case RFC 1123 subdomain",
                            "The object was skipped.")
        ns = self.meta.get("namespace")
        if ns is not None and (not isinstance(ns, str) or not DNS1123_LABEL.match(ns) or len(ns) > 63):
            raise self.fail("metadata.namespace", f"invalid namespace {ns!r}", "The object was skipped.")

    def string_map(self, field: str) -> dict[str, str]:
        value = self.meta.get(field)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.error(f"metadata.{field}", f"must be a map of strings, not {yaml_type(value)}",
                       f"All {field} of this object were ignored.")
            return {}
        out: dict[str, str] = {}
        for k, v in value.items():
            if not isinstance(k, str):
                self.error(f"metadata.{field}", f"key {k!r} is not a string")
                continue
            if not _qualified_name(k):
                self.error(f"metadata.{field}", f"invalid key {k!r}: must be NAME or PREFIX/NAME (a DNS subdomain, "
                           "then up to 63 letters, digits, '-', '_' or '.'); kubectl rejects this",
                           "It was ignored.")
                continue
            if not isinstance(v, str):
                self.error(f"metadata.{field}[{k}]",
                           f"value must be a string, not {yaml_type(v)} ({v!r}); kubectl rejects this",
                           f'Quote the value: "{str(v).lower() if isinstance(v, bool) else v}". It was ignored.')
                continue
            out[k] = v
        return out


def _timestamp(value: Any) -> str | None:
    if isinstance(value, _dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(_dt.UTC).replace(tzinfo=None)
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, str) and value:
        return value
    return None


def parse_objects(raws: Sequence[RawObject], default_namespace: str = "default", out: Inputs | None = None
                  ) -> Inputs:
    """Parse every raw object (into ``out``, after what it holds, when given); never raises for bad input."""
    if out is None:
        out = Inputs()
    for raw in raws:
        working_on(raw)
        data = raw.data
        kind = data.get("kind")
        api = data.get("apiVersion")
        if not isinstance(kind, str) or not kind:
            src = Source(kind="", namespace=None, name="", file=raw.file, doc=raw.doc, path_prefix=raw.path_prefix)
            out.problems.append(Notification(Outcome.ERROR, "kind", "kind: missing or not a string",
                                             src.at(field="kind"), hint="This document was skipped."))
            continue
        if kind == "Ingress":
            if api not in INGRESS_VERSIONS:
                p = _Parser(raw, kind, default_namespace, out)
                p.error("apiVersion", f"unknown apiVersion {api!r} for Ingress (expected one of "
                        f"{', '.join(INGRESS_VERSIONS)})", "The object was skipped.")
                continue
            _parse_ingress(raw, default_namespace, out)
        elif kind == "Service" and api == "v1":
            _parse_service(raw, default_namespace, out)
        elif kind == "IngressClass" and isinstance(api, str) and api.startswith("networking.k8s.io/"):
            _parse_ingress_class(raw, out)
        elif kind == "ConfigMap" and api == "v1":
            _parse_config_map(raw, default_namespace, out)
        elif isinstance(api, str) and api.startswith("gateway.networking.k8s.io/"):
            out.gateway_api.append(raw)
        else:
            out.ignored[f"{kind} ({api})" if isinstance(api, str) else kind] += 1
    return out


# --------------------------------------------------------------------------------------------------
# Ingress
# --------------------------------------------------------------------------------------------------


def _parse_ingress(raw: RawObject, default_namespace: str, out: Inputs) -> None:
    p = _Parser(raw, "Ingress", default_namespace, out)
    try:
        p.check_metadata()
    except _Bad:
        return
    data = raw.data
    legacy = data.get("apiVersion") != "networking.k8s.io/v1"
    spec = data.get("spec")
    if spec is None:
        spec = {}
    if not isinstance(spec, dict):
        p.error("spec", f"must be a map, not {yaml_type(spec)}", "The Ingress was skipped.")
        return
    for k in spec:
        if k not in KNOWN_INGRESS_SPEC or (k == "backend" and not legacy) or (k == "defaultBackend" and legacy):
            p.error(f"spec.{k}", "unknown field for this apiVersion; it was ignored")
    annotations = p.string_map("annotations")
    labels = p.string_map("labels")

    class_name = spec.get("ingressClassName")
    if class_name is not None and (not isinstance(class_name, str) or not DNS1123_SUBDOMAIN.match(class_name)):
        p.error("spec.ingressClassName", f"invalid class name {class_name!r}", "The class was ignored.")
        class_name = None

    db_field = "spec.backend" if legacy else "spec.defaultBackend"
    default_backend = None
    db = spec.get("backend" if legacy else "defaultBackend")
    if db is not None:
        try:
            default_backend = _backend(p, db, db_field, legacy)
        except _Bad:
            default_backend = None

    rules: list[IngressRule] = []
    raw_rules = spec.get("rules")
    if raw_rules is not None and not isinstance(raw_rules, list):
        p.error("spec.rules", f"must be a list, not {yaml_type(raw_rules)}", "All rules were ignored.")
        raw_rules = []
    for i, r in enumerate(raw_rules or []):
        f = intern(f"spec.rules[{i}]")  # field paths repeat in every Ingress: one copy each
        try:
            rules.append(_rule(p, r, f, legacy))
        except _Bad:
            continue

    tls: list[IngressTLS] = []
    raw_tls = spec.get("tls")
    if raw_tls is not None and not isinstance(raw_tls, list):
        p.error("spec.tls", "must be a list", "TLS settings were ignored.")
        raw_tls = []
    for i, t in enumerate(raw_tls or []):
        f = intern(f"spec.tls[{i}]")
        if not isinstance(t, dict):
            p.error(f, "must be a map")
            continue
        hosts_raw = t.get("hosts") or []
        hosts: list[str] = []
        if not isinstance(hosts_raw, list):
            p.error(f"{f}.hosts", "must be a list of host names")
            hosts_raw = []
        for j, h in enumerate(hosts_raw):
            try:
                hosts.append(_host(p, h, f"{f}.hosts[{j}]", "This TLS host was skipped."))
            except _Bad:
                continue
        secret = t.get("secretName")
        if secret is not None and (not isinstance(secret, str) or not DNS1123_SUBDOMAIN.match(secret)):
            p.error(f"{f}.secretName", f"invalid Secret name {secret!r}", "This TLS entry was ignored.")
            continue
        tls.append(IngressTLS(hosts=tuple(hosts), secret_name=secret or None, source=p.source.at(field=f)))

    if not rules and default_backend is None and not raw_rules:
        p.error("spec", "either `defaultBackend` or `rules` must be specified", "The Ingress produces no routes.")

    out.ingresses.append(
        Ingress(
            namespace=p.namespace,
            name=p.name,
            api_version=str(data.get("apiVersion")),
            annotations=annotations,
            labels=labels,
            class_name=class_name,
            rules=tuple(rules),
            tls=tuple(tls),
            default_backend=default_backend,
            creation_timestamp=_timestamp(p.meta.get("creationTimestamp")),
            source=p.source,
        )
    )


def _host(p: _Parser, h: Any, f: str, hint: str) -> str:
    if not isinstance(h, str) or not h:
        raise p.fail(f, f"host must be a non-empty string, not {h!r}", hint)
    problem = _host_problem(h)
    if problem is not None:
        raise p.fail(f, problem, hint)
    return h


@lru_cache(maxsize=_NAMES_REMEMBERED)
def _host_problem(h: str) -> str | None:
    """What is wrong with host name ``h`` (None: nothing)."""
    if h != h.lower():
        return f"invalid host {h!r}: must be lower case (RFC 1123)"
    if IPV4.match(h) or ":" in h:
        return f"invalid host {h!r}: must be a DNS name, not an IP address or host:port"
    name = h[2:] if h.startswith("*.") else h
    if "*" in name or len(h) > 253 or not DNS1123_SUBDOMAIN.match(name):
        return f"invalid host {h!r}: must be a DNS-1123 subdomain, optionally with a leading '*.'"
    return None


def _rule(p: _Parser, r: Any, f: str, legacy: bool) -> IngressRule:
    if not isinstance(r, dict):
        raise p.fail(f, "must be a map", "This rule was skipped.")
    host = r.get("host")
    if host is not None and host != "":
        host = _host(p, host, f"{f}.host", "This rule was skipped.")
    else:
        host = None
    http = r.get("http")
    paths: list[IngressPath] = []
    if http is None:
        return IngressRule(host=host, paths=(), source=p.source.at(field=f))
    if not isinstance(http, dict):
        raise p.fail(f"{f}.http", "must be a map", "This rule was skipped.")
    raw_paths = http.get("paths")
    if not isinstance(raw_paths, list) or not raw_paths:
        raise p.fail(f"{f}.http.paths", "required: a non-empty list", "This rule was skipped.")
    for j, rp in enumerate(raw_paths):
        try:
            paths.append(_path(p, rp, _path_fields(f, j), legacy))
        except _Bad:
            continue
    if not paths:
        raise _Bad()  # every path was reported already
    return IngressRule(host=host, paths=tuple(paths), source=p.source.at(field=f))


_PATH_SKIPPED = "This path was skipped; the Ingress's other paths were converted. Review this Ingress."
BAD_SEQUENCES = ("//", "/./", "/../", "%2f", "%2F")
_BAD_SEQUENCE = re.compile("|".join(re.escape(b) for b in BAD_SEQUENCES))
_CONTROL = re.compile("[\x00-\x1f\x7f]")


@lru_cache(maxsize=_NAMES_REMEMBERED)
def _service_name(name: str) -> bool:
    return len(name) <= 63 and DNS1035_LABEL.match(name) is not None


@lru_cache(maxsize=4096)
def _path_fields(rule: str, j: int) -> tuple[str, str]:
    """The field paths of a rule's path and of its backend (``spec.rules[0].http.paths[1]``, ``...backend``):
    the same in every Ingress, made once."""
    f = intern(f"{rule}.http.paths[{j}]")
    return f, intern(f"{f}.backend")


def _path(p: _Parser, rp: Any, fields: tuple[str, str], legacy: bool) -> IngressPath:
    f = fields[0]
    if not isinstance(rp, dict):
        raise p.fail(f, "must be a map", _PATH_SKIPPED)
    path = rp.get("path", "")
    if path is None:
        path = ""
    if not isinstance(path, str):
        raise p.fail(f"{f}.path", f"must be a string, not {path!r}", _PATH_SKIPPED)
    ptype = rp.get("pathType")
    if ptype is None:
        if not legacy:
            raise p.fail(f"{f}.pathType", "required: one of Exact, Prefix, ImplementationSpecific",
                         _PATH_SKIPPED)
        ptype = "ImplementationSpecific"
    if ptype not in ("Exact", "Prefix", "ImplementationSpecific"):
        raise p.fail(f"{f}.pathType", f'unsupported value "{ptype}" (expected Exact, Prefix or '
                     "ImplementationSpecific)", _PATH_SKIPPED)
    if (ptype in ("Exact", "Prefix") or path) and not path.startswith("/"):
        raise p.fail(f"{f}.path", f"{path!r} must be an absolute path (start with '/')", _PATH_SKIPPED)
    if ptype in ("Exact", "Prefix"):
        if _BAD_SEQUENCE.search(path):
            bad = next(b for b in BAD_SEQUENCES if b in path)
            raise p.fail(f"{f}.path", f"{path!r} must not contain {bad!r}", _PATH_SKIPPED)
        if path.endswith(("/..", "/.")):
            raise p.fail(f"{f}.path", f"{path!r} must not end with '/..' or '/.'", _PATH_SKIPPED)
    if _CONTROL.search(path):
        raise p.fail(f"{f}.path", "contains control characters", _PATH_SKIPPED)
    backend = _backend(p, rp.get("backend"), fields[1], legacy)
    return IngressPath(path=path, path_type=ptype, backend=backend, source=p.source.at(field=f))


def _backend(p: _Parser, b: Any, f: str, legacy: bool) -> IngressBackend:
    if not isinstance(b, dict):
        raise p.fail(f, "required: a map with a service or resource", _PATH_SKIPPED)
    src = p.source.at(field=f)
    if legacy and "serviceName" in b:
        name = b.get("serviceName")
        port = b.get("servicePort")
        if not isinstance(name, str) or not DNS1035_LABEL.match(name):
            raise p.fail(f"{f}.serviceName", f"invalid Service name {name!r}", _PATH_SKIPPED)
        if isinstance(port, bool) or port is None:
            raise p.fail(f"{f}.servicePort", "required: a port number or name", _PATH_SKIPPED)
        if isinstance(port, int) or (isinstance(port, str) and port.isascii() and port.isdigit()):
            n = int(port)
            if not 1 <= n <= 65535:
                raise p.fail(f"{f}.servicePort", f"port {n} out of range 1-65535", _PATH_SKIPPED)
            return IngressBackend(ServiceBackend(name, port_number=n), None, src)
        if isinstance(port, str) and PORT_NAME.match(port) and len(port) <= 15:
            return IngressBackend(ServiceBackend(name, port_name=port), None, src)
        raise p.fail(f"{f}.servicePort", f"invalid port {port!r}", _PATH_SKIPPED)
    svc = b.get("service")
    res = b.get("resource")
    if svc is not None and res is not None:
        raise p.fail(f, "cannot set both resource and service backends", _PATH_SKIPPED)
    if svc is None and res is None:
        raise p.fail(f, "resource or service backend is required", _PATH_SKIPPED)
    if res is not None:
        if not isinstance(res, dict) or not isinstance(res.get("kind"), str) or not isinstance(res.get("name"), str):
            raise p.fail(f"{f}.resource", "needs kind and name", _PATH_SKIPPED)
        group = res.get("apiGroup")
        return IngressBackend(None, ResourceBackend(kind=res["kind"], name=res["name"],
                                                    api_group=group if isinstance(group, str) else None), src)
    if not isinstance(svc, dict):
        raise p.fail(f"{f}.service", "must be a map", _PATH_SKIPPED)
    name = svc.get("name")
    if not isinstance(name, str) or not _service_name(name):
        raise p.fail(f"{f}.service.name", f"invalid Service name {name!r} (a DNS-1035 label)", _PATH_SKIPPED)
    port = svc.get("port")
    if not isinstance(port, dict):
        raise p.fail(f"{f}.service.port", "required: a map with number or name", _PATH_SKIPPED)
    number = port.get("number")
    pname = port.get("name")
    if number is not None and pname is not None:
        raise p.fail(f"{f}.service.port", "cannot set both port name and port number", _PATH_SKIPPED)
    if number is not None:
        if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= 65535:
            raise p.fail(f"{f}.service.port.number", f"invalid port {number!r}: must be 1-65535",
                         _PATH_SKIPPED)
        return IngressBackend(ServiceBackend(name, port_number=number), None, src)
    if pname is not None:
        if not isinstance(pname, str) or not PORT_NAME.match(pname) or len(pname) > 15:
            raise p.fail(f"{f}.service.port.name", f"invalid port name {pname!r}", _PATH_SKIPPED)
        return IngressBackend(ServiceBackend(name, port_name=pname), None, src)
    raise p.fail(f"{f}.service.port", "port name or number is required", _PATH_SKIPPED)


# --------------------------------------------------------------------------------------------------
# Service, IngressClass, ConfigMap
# --------------------------------------------------------------------------------------------------


def _parse_service(raw: RawObject, default_namespace: str, out: Inputs) -> None:
    p = _Parser(raw, "Service", default_namespace, out)
    try:
        p.check_metadata()
    except _Bad:
        return
    spec = raw.data.get("spec") or {}
    if not isinstance(spec, dict):
        p.error("spec", "must be a map")
        return
    ports: list[ServicePort] = []
    for i, sp in enumerate(spec.get("ports") or []):
        if not isinstance(sp, dict) or isinstance(sp.get("port"), bool) or not isinstance(sp.get("port"), int):
            p.error(f"spec.ports[{i}]", "needs a numeric port; it was ignored")
            continue
        ports.append(ServicePort(port=sp["port"], name=sp.get("name") if isinstance(sp.get("name"), str) else None,
                                 protocol=str(sp.get("protocol") or "TCP"),
                                 app_protocol=sp.get("appProtocol") if isinstance(sp.get("appProtocol"), str) else None,
                                 target_port=sp.get("targetPort")))
    ext = spec.get("externalName")
    out.services[(p.namespace, p.name)] = Service(
        namespace=p.namespace, name=p.name, ports=tuple(ports), type=str(spec.get("type") or "ClusterIP"),
        external_name=ext if isinstance(ext, str) else None, source=p.source, annotations=p.string_map("annotations"),
    )


def _parse_ingress_class(raw: RawObject, out: Inputs) -> None:
    p = _Parser(raw, "IngressClass", "", out)
    try:
        p.check_metadata()
    except _Bad:
        return
    spec = raw.data.get("spec") or {}
    if not isinstance(spec, dict):
        p.error("spec", "must be a map")
        spec = {}
    controller = spec.get("controller")
    if controller is not None and not isinstance(controller, str):
        p.error("spec.controller", "must be a string")
        controller = None
    params = spec.get("parameters")
    annotations = p.string_map("annotations")
    out.ingress_classes[p.name] = IngressClass(
        name=p.name, controller=controller, parameters=params if isinstance(params, dict) else None,
        is_default=annotations.get("ingressclass.kubernetes.io/is-default-class", "").lower() == "true",
        creation_timestamp=_timestamp(p.meta.get("creationTimestamp")), source=p.source,
    )


def _parse_config_map(raw: RawObject, default_namespace: str, out: Inputs) -> None:
    p = _Parser(raw, "ConfigMap", default_namespace, out)
    try:
        p.check_metadata()
    except _Bad:
        return
    data = raw.data.get("data") or {}
    if not isinstance(data, dict):
        p.error("data", "must be a map of strings")
        return
    clean = {str(k): v if isinstance(v, str) else str(v) for k, v in data.items()}
    out.config_maps[(p.namespace, p.name)] = ConfigMap(p.namespace, p.name, clean, p.source)
