"""The intermediate model: plain, immutable dataclasses with provenance on every element.

Three groups of records live here, in the order data flows through them:

1. *Input objects* (``Ingress``, ``Service``, ``IngressClass``, ``ConfigMap``): what the loader read,
   normalised across API versions, independent of the ``kubernetes`` client's model classes.
2. *Gateway API records* (``Gateway``, ``HTTPRoute``, ...): what the core builds from the providers'
   output and what emitters turn into manifests.
3. *Outcomes* (``Notification``, ``Requirement``): what happened to every input annotation and field,
   and the settings core Gateway API cannot express, kept for target emitters.

Every record carries a :class:`Source` naming the input object, file, field and annotation it came from.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any, Literal, TypeVar

_T = TypeVar("_T")
_FIELDS: dict[type, tuple[str, ...]] = {}


def evolve(obj: _T, **changes: Any) -> _T:
    """``dataclasses.replace`` for the model's frozen slotted dataclasses, several times faster: the
    conversion makes hundreds of thousands of such copies for large inputs. ``__post_init__`` is not run, so
    it is not for :class:`Origin` (whose hash it computes)."""
    cls = type(obj)
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(f.name for f in fields(cls))  # type: ignore[arg-type]
        unknown = set(changes) - set(names)
        if unknown:
            raise TypeError(f"{cls.__name__} has no field(s) {', '.join(sorted(unknown))}")
    elif not changes.keys() <= set(names):
        raise TypeError(f"{cls.__name__} has no field(s) {', '.join(sorted(set(changes) - set(names)))}")
    new = object.__new__(cls)
    setter = object.__setattr__
    for name in names:
        setter(new, name, changes[name] if name in changes else getattr(obj, name))
    return new

# --------------------------------------------------------------------------------------------------
# Provenance
# --------------------------------------------------------------------------------------------------


def compact_pickle(cls: type[_T]) -> type[_T]:
    """Pickle a frozen dataclass as its field values, set again without ``__init__`` when unpickled: a third
    of the time of the state a frozen dataclass sends otherwise (and what ``__post_init__`` made, interned
    texts, comes as it was). For records that processes send back by the hundred thousand. The field names
    are those :func:`evolve` keeps."""
    names = _FIELDS[cls] = tuple(f.name for f in fields(cls))  # type: ignore[arg-type]

    def __reduce__(self: _T) -> tuple[Any, tuple[Any, ...]]:
        return _rebuilt, (cls, *[getattr(self, n) for n in names])

    cls.__reduce__ = __reduce__  # type: ignore[assignment,method-assign]
    return cls


def _rebuilt(cls: type[_T], *values: Any) -> _T:
    """What :func:`compact_pickle` sends, made again (as :func:`evolve` makes a copy)."""
    new = object.__new__(cls)
    for name, value in zip(_FIELDS[cls], values, strict=True):
        object.__setattr__(new, name, value)
    return new


@dataclass(frozen=True, slots=True)
class Origin:
    """The input object a :class:`Source` points into: its kind and name, file, document and line. One per
    object, shared by the sources of all its fields and annotations."""

    kind: str
    namespace: str | None
    name: str
    file: str | None = None
    doc: int | None = None
    path_prefix: str = ""
    line: int | None = None
    # Sources are hashed by the hundred thousand (sets and dict keys while merging): computed once.
    _hash: int = field(default=0, init=False, repr=False, compare=False)
    _ref: str | None = field(default=None, init=False, repr=False, compare=False)  # made when first asked

    def __post_init__(self) -> None:
        _set(self, "_hash", hash((self.kind, self.namespace, self.name, self.file, self.doc, self.path_prefix,
                                  self.line)))

    def __hash__(self) -> int:
        return self._hash

    @property
    def ref(self) -> str:
        """``Kind namespace/name`` (``Kind name`` for cluster-scoped objects): one string per object, however
        many of its elements name it (a route records dozens of them)."""
        ref = self._ref
        if ref is None:
            ref = f"{self.kind} {self.namespace}/{self.name}" if self.namespace else f"{self.kind} {self.name}"
            _set(self, "_ref", ref)
        return ref

    def __reduce__(self) -> tuple[type[Origin], tuple[Any, ...]]:
        # Made anew where it is unpickled: string hashes differ from process to process.
        return Origin, (self.kind, self.namespace, self.name, self.file, self.doc, self.path_prefix, self.line)


_set = object.__setattr__


@dataclass(frozen=True, slots=True, init=False)
class Source:
    """Where an element came from: the input object, its file and document, a field path, an annotation.

    ``line`` is the line of the object when cheaply known; :func:`ing2gw.load.positions.resolve_line`
    finds the precise line of ``field`` or ``annotation`` lazily, only for elements that get a message.
    ``path_prefix`` is the object's own path inside its document (``items[3]`` inside a ``kind: List``).
    The object's part is one shared :class:`Origin`: a conversion holds a million sources at 50,000
    Ingresses, and three slots each instead of nine save about 50 MB there.
    """

    origin: Origin
    field: str | None
    annotation: str | None
    # Hashed a million times while merging 10,000 Ingresses (dict keys, de-duplication): computed once, when
    # first asked (0: not yet).
    _hash: int = dataclasses.field(default=0, init=False, repr=False, compare=False)

    def __hash__(self) -> int:
        h = self._hash
        if not h:
            h = hash((self.origin._hash, self.field, self.annotation)) or 1
            _set(self, "_hash", h)
        return h

    def __init__(self, kind: str, namespace: str | None, name: str, file: str | None = None,
                 doc: int | None = None, path_prefix: str = "", line: int | None = None,
                 field: str | None = None, annotation: str | None = None) -> None:
        _set(self, "origin", Origin(kind, namespace, name, file, doc, path_prefix, line))
        _set(self, "field", field)
        _set(self, "annotation", annotation)
        _set(self, "_hash", 0)

    @property
    def kind(self) -> str:
        return self.origin.kind

    @property
    def namespace(self) -> str | None:
        return self.origin.namespace

    @property
    def name(self) -> str:
        return self.origin.name

    @property
    def file(self) -> str | None:
        return self.origin.file

    @property
    def doc(self) -> int | None:
        return self.origin.doc

    @property
    def path_prefix(self) -> str:
        return self.origin.path_prefix

    @property
    def line(self) -> int | None:
        return self.origin.line

    def at(self, field: str | None = None, annotation: str | None = None) -> Source:
        """The same object, pointing at a field or an annotation."""
        if annotation is not None and field is None:
            field = sys.intern(f"metadata.annotations[{annotation}]")  # one copy per key, not per outcome
        if field == self.field and annotation == self.annotation:
            return self  # immutable: the same source serves
        new = object.__new__(Source)
        _set(new, "origin", self.origin)
        _set(new, "field", field)
        _set(new, "annotation", annotation)
        _set(new, "_hash", 0)
        return new

    @property
    def ref(self) -> str:
        """``Kind namespace/name`` (``Kind name`` for cluster-scoped objects)."""
        return self.origin.ref

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # Pickled as its three values (a large conversion split among processes sends a million back).
        return _source, (self.origin, self.field, self.annotation)


def _source(origin: Origin, field: str | None, annotation: str | None) -> Source:
    new = object.__new__(Source)
    _set(new, "origin", origin)
    _set(new, "field", field)
    _set(new, "annotation", annotation)
    _set(new, "_hash", 0)  # string hashes differ from process to process: made anew here
    return new


# --------------------------------------------------------------------------------------------------
# Input objects
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ServiceBackend:
    name: str
    port_number: int | None = None
    port_name: str | None = None


@dataclass(frozen=True, slots=True)
class ResourceBackend:
    kind: str
    name: str
    api_group: str | None = None


@dataclass(frozen=True, slots=True)
class IngressBackend:
    service: ServiceBackend | None
    resource: ResourceBackend | None
    source: Source


PathType = Literal["Exact", "Prefix", "ImplementationSpecific"]


@dataclass(frozen=True, slots=True)
class IngressPath:
    path: str
    path_type: str
    backend: IngressBackend
    source: Source


@dataclass(frozen=True, slots=True)
class IngressRule:
    host: str | None
    paths: tuple[IngressPath, ...]
    source: Source


@dataclass(frozen=True, slots=True)
class IngressTLS:
    hosts: tuple[str, ...]
    secret_name: str | None
    source: Source


@dataclass(frozen=True, slots=True)
class Ingress:
    """One Ingress, normalised from ``networking.k8s.io/v1``, ``v1beta1`` or ``extensions/v1beta1``."""

    namespace: str
    name: str
    api_version: str
    annotations: Mapping[str, str]
    labels: Mapping[str, str]
    class_name: str | None
    rules: tuple[IngressRule, ...]
    tls: tuple[IngressTLS, ...]
    default_backend: IngressBackend | None
    creation_timestamp: str | None
    source: Source

    @property
    def key(self) -> tuple[str, str, str]:
        """Ordering key that ingress controllers use: oldest first, then namespace/name."""
        # Objects without a timestamp (manifests in Git) sort after the ones with one.
        return (self.creation_timestamp or "~", self.namespace, self.name)


@dataclass(frozen=True, slots=True)
class ServicePort:
    port: int
    name: str | None = None
    protocol: str = "TCP"
    app_protocol: str | None = None
    target_port: str | int | None = None


@dataclass(frozen=True, slots=True)
class Service:
    namespace: str
    name: str
    ports: tuple[ServicePort, ...]
    type: str
    external_name: str | None
    source: Source
    # Controllers that read settings from the Service (Traefik's service.* keys) look here.
    annotations: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class IngressClass:
    name: str
    controller: str | None
    parameters: Mapping[str, Any] | None
    is_default: bool
    creation_timestamp: str | None
    source: Source


@dataclass(frozen=True, slots=True)
class ConfigMap:
    namespace: str
    name: str
    data: Mapping[str, str]
    source: Source


# --------------------------------------------------------------------------------------------------
# Outcomes
# --------------------------------------------------------------------------------------------------


class Outcome(StrEnum):
    """What became of one input annotation or field. Every one gets exactly one."""

    TRANSLATED = "translated"
    CAVEAT = "translated-with-caveat"
    NEEDS_EMITTER = "needs-target-emitter"
    UNSUPPORTED = "unsupported"
    NOT_ROUTING = "not-routing"
    UNHANDLED = "unhandled"
    ERROR = "error"

    @property
    def is_problem(self) -> bool:
        """True for outcomes that ``--strict`` turns into a failure."""
        return self in (Outcome.NEEDS_EMITTER, Outcome.UNSUPPORTED, Outcome.UNHANDLED, Outcome.ERROR)


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


OUTCOME_SEVERITY = {
    Outcome.TRANSLATED: Severity.INFO,
    Outcome.NOT_ROUTING: Severity.INFO,
    Outcome.CAVEAT: Severity.WARNING,
    Outcome.NEEDS_EMITTER: Severity.WARNING,
    Outcome.UNSUPPORTED: Severity.WARNING,
    Outcome.UNHANDLED: Severity.WARNING,
    Outcome.ERROR: Severity.ERROR,
}


@dataclass(frozen=True, slots=True)
class Requirement:
    """A setting that core Gateway API cannot express, kept for a target emitter.

    ``feature`` is a name from :data:`ing2gw.features.REQUIREMENTS` (for example ``rate-limit``);
    ``params`` holds its parsed values in the units documented there. ``target`` names what it applies
    to: ``rule`` (the route rules built from ``source``'s paths), ``route`` or ``gateway``.
    ``id`` is unique within one conversion and links the requirement to its notification.
    """

    feature: str
    params: Mapping[str, Any]
    source: Source
    target: Literal["rule", "route", "gateway", "service"] = "rule"
    id: str = ""


@compact_pickle  # a large conversion split among processes sends hundreds of thousands back
@dataclass(frozen=True, slots=True)
class Notification:
    """One stated outcome, with the provenance of what it is about.

    ``subject`` is the annotation key or the field path. ``emitted`` names the output objects and fields
    it became (``HTTPRoute default/web spec.rules[0].filters[0]``); ``features`` the Gateway API
    conformance features that output needs.
    """

    outcome: Outcome
    subject: str
    message: str
    source: Source
    hint: str | None = None
    features: tuple[str, ...] = ()
    emitted: tuple[str, ...] = ()
    requirement: str | None = None

    def __post_init__(self) -> None:
        # Messages and subjects repeat across hundreds of thousands of outcomes (one text per annotation and
        # outcome, formatted anew each time): one copy of each is kept.
        object.__setattr__(self, "message", sys.intern(self.message))
        object.__setattr__(self, "subject", sys.intern(self.subject))

    @property
    def severity(self) -> Severity:
        return OUTCOME_SEVERITY[self.outcome]


# --------------------------------------------------------------------------------------------------
# Gateway API records
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PathMatch:
    type: Literal["Exact", "PathPrefix", "RegularExpression"]
    value: str


@dataclass(frozen=True, slots=True)
class HeaderMatch:
    name: str
    value: str
    type: Literal["Exact", "RegularExpression"] = "Exact"


@dataclass(frozen=True, slots=True)
class QueryParamMatch:
    name: str
    value: str
    type: Literal["Exact", "RegularExpression"] = "Exact"


@dataclass(frozen=True, slots=True)
class RouteMatch:
    path: PathMatch | None = None
    headers: tuple[HeaderMatch, ...] = ()
    query_params: tuple[QueryParamMatch, ...] = ()
    method: str | None = None


@dataclass(frozen=True, slots=True)
class BackendRef:
    name: str
    port: int | None
    namespace: str | None = None
    weight: int | None = None
    group: str = ""
    kind: str = "Service"


@dataclass(frozen=True, slots=True)
class PathModifier:
    type: Literal["ReplaceFullPath", "ReplacePrefixMatch"]
    value: str


@dataclass(frozen=True, slots=True)
class RequestRedirect:
    source: Source
    scheme: str | None = None
    hostname: str | None = None
    port: int | None = None
    path: PathModifier | None = None
    status_code: int | None = None


@dataclass(frozen=True, slots=True)
class URLRewrite:
    source: Source
    hostname: str | None = None
    path: PathModifier | None = None


@dataclass(frozen=True, slots=True)
class HeaderModifier:
    source: Source
    direction: Literal["request", "response"] = "request"
    set: tuple[tuple[str, str], ...] = ()
    add: tuple[tuple[str, str], ...] = ()
    remove: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RequestMirror:
    source: Source
    backend: BackendRef
    percent: int | None = None


@dataclass(frozen=True, slots=True)
class CORS:
    source: Source
    allow_origins: tuple[str, ...] = ()
    allow_methods: tuple[str, ...] = ()
    allow_headers: tuple[str, ...] = ()
    expose_headers: tuple[str, ...] = ()
    allow_credentials: bool | None = None
    max_age: int | None = None


@dataclass(frozen=True, slots=True)
class ExtensionRef:
    source: Source
    group: str
    kind: str
    name: str


@dataclass(frozen=True, slots=True)
class ExternalAuth:
    source: Source
    protocol: Literal["HTTP", "GRPC"]
    backend: BackendRef
    path: str | None = None
    allowed_headers: tuple[str, ...] = ()
    allowed_response_headers: tuple[str, ...] = ()


Filter = RequestRedirect | URLRewrite | HeaderModifier | RequestMirror | CORS | ExtensionRef | ExternalAuth


@dataclass(frozen=True, slots=True)
class Timeouts:
    request: str | None = None
    backend_request: str | None = None


@dataclass(frozen=True, slots=True)
class Retry:
    attempts: int | None = None
    codes: tuple[int, ...] = ()
    backoff: str | None = None


@dataclass(frozen=True, slots=True)
class SessionPersistence:
    type: Literal["Cookie", "Header"] = "Cookie"
    session_name: str | None = None
    absolute_timeout: str | None = None
    lifetime_type: Literal["Session", "Permanent"] | None = None


@dataclass(frozen=True, slots=True)
class RouteRule:
    """One HTTPRoute rule. ``sources`` lists every Ingress path that it serves."""

    matches: tuple[RouteMatch, ...]
    backends: tuple[BackendRef, ...]
    sources: tuple[Source, ...]
    filters: tuple[Filter, ...] = ()
    timeouts: Timeouts | None = None
    retry: Retry | None = None
    session_persistence: SessionPersistence | None = None
    requirements: tuple[Requirement, ...] = ()
    name: str | None = None


@dataclass(frozen=True, slots=True)
class ParentRef:
    name: str
    namespace: str | None = None
    section_name: str | None = None
    port: int | None = None
    kind: str = "Gateway"
    group: str = "gateway.networking.k8s.io"


@dataclass(frozen=True, slots=True)
class HTTPRoute:
    namespace: str
    name: str
    parent_refs: tuple[ParentRef, ...]
    hostnames: tuple[str, ...]
    rules: tuple[RouteRule, ...]
    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class GRPCMethodMatch:
    service: str | None = None
    method: str | None = None
    type: Literal["Exact", "RegularExpression"] = "Exact"


@dataclass(frozen=True, slots=True)
class GRPCRouteRule:
    matches: tuple[GRPCMethodMatch, ...]
    backends: tuple[BackendRef, ...]
    sources: tuple[Source, ...]
    headers: tuple[HeaderMatch, ...] = ()
    filters: tuple[Filter, ...] = ()
    requirements: tuple[Requirement, ...] = ()


@dataclass(frozen=True, slots=True)
class GRPCRoute:
    namespace: str
    name: str
    parent_refs: tuple[ParentRef, ...]
    hostnames: tuple[str, ...]
    rules: tuple[GRPCRouteRule, ...]
    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class TLSRoute:
    namespace: str
    name: str
    parent_refs: tuple[ParentRef, ...]
    hostnames: tuple[str, ...]
    backends: tuple[BackendRef, ...]
    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class SecretRef:
    name: str
    namespace: str | None = None


@dataclass(frozen=True, slots=True)
class ListenerTLS:
    mode: Literal["Terminate", "Passthrough"] = "Terminate"
    certificate_refs: tuple[SecretRef, ...] = ()


@dataclass(frozen=True, slots=True)
class Listener:
    name: str
    port: int
    protocol: Literal["HTTP", "HTTPS", "TLS"]
    hostname: str | None
    sources: tuple[Source, ...]
    tls: ListenerTLS | None = None
    allowed_namespaces: Literal["Same", "All", "Selector"] = "Same"
    namespace_selector: Mapping[str, str] | None = None


@dataclass(frozen=True, slots=True)
class Gateway:
    namespace: str
    name: str
    class_name: str
    listeners: tuple[Listener, ...]
    sources: tuple[Source, ...]
    existing: bool = False  # attach to a Gateway that already exists: do not emit it


@dataclass(frozen=True, slots=True)
class ListenerSet:
    """Listeners attached to an existing Gateway (Gateway API v1.5+, or XListenerSet in experimental v1.3+)."""

    namespace: str
    name: str
    gateway: str
    listeners: tuple[Listener, ...]
    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class GatewayClass:
    name: str
    controller_name: str
    description: str | None = None


@dataclass(frozen=True, slots=True)
class ReferenceGrant:
    namespace: str
    name: str
    from_group: str
    from_kind: str
    from_namespace: str
    to_group: str
    to_kind: str
    to_name: str | None
    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class BackendTLSPolicy:
    namespace: str
    name: str
    service: str
    hostname: str
    sources: tuple[Source, ...]
    ca_certificate_refs: tuple[str, ...] = ()  # ConfigMap names
    well_known_ca: str | None = None  # "System"
    section_name: str | None = None


@dataclass(slots=True)
class GatewayModel:
    """Everything the core built: the input of every emitter."""

    gateway_classes: list[GatewayClass] = field(default_factory=list)
    gateways: list[Gateway] = field(default_factory=list)
    listener_sets: list[ListenerSet] = field(default_factory=list)
    http_routes: list[HTTPRoute] = field(default_factory=list)
    grpc_routes: list[GRPCRoute] = field(default_factory=list)
    tls_routes: list[TLSRoute] = field(default_factory=list)
    reference_grants: list[ReferenceGrant] = field(default_factory=list)
    backend_tls_policies: list[BackendTLSPolicy] = field(default_factory=list)
    requirements: list[Requirement] = field(default_factory=list)
