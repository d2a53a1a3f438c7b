"""What ``verify`` talks about: a probe (one request), the answer a router gives it, and why.

Both routing engines answer a :class:`Probe` with an :class:`Answer`. An answer carries the facts that
must agree between the Ingress controller and the Gateway (backend or weight distribution, redirect
status and Location, the path and Host the backend receives, header changes) plus :class:`Cause`
records naming the input elements that produced it; causes are not compared, they link a difference
to the conversion's notifications.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any, Literal

from ing2gw.model import compact_pickle

Scheme = Literal["http", "https", "tls"]
PORTS = {"http": 80, "https": 443, "tls": 443}


@compact_pickle  # verify's workers send answers and causes back by the ten thousand
@dataclass(frozen=True, slots=True)
class Cause:
    """An input element behind an answer: an annotation key or field of one Ingress (``ingress`` is
    ``namespace/name``), or a controller default (``default=True``: the key was not set, its default acted).
    ``gap`` marks behaviour that the engine itself cannot model; such answers are never compared.
    ``detail`` ties a Gateway-side cause (a missing listener) to notifications about Gateway objects."""

    subject: str
    ingress: str | None = None
    default: bool = False
    gap: str | None = None
    detail: str | None = None  # text a notification about a Gateway API object must mention to explain it

    def show(self) -> str:
        where = f"Ingress {self.ingress}: " if self.ingress else ""
        return f"{where}{self.subject}{' (default)' if self.default else ''}"


@dataclass(frozen=True, slots=True)
class Probe:
    """One request. ``path`` is the request URI (path and optional ``?query``). ``klass`` is the ingress
    class whose controller the probe is aimed at (None: the class-less/default controller)."""

    scheme: Scheme
    host: str
    path: str = "/"
    method: str = "GET"
    headers: tuple[tuple[str, str], ...] = ()
    klass: str | None = None
    grpc: bool = False
    why: str = ""
    origin: tuple[Cause, ...] = ()

    @property
    def port(self) -> int:
        return PORTS[self.scheme]

    @property
    def uri_path(self) -> str:
        return self.path.split("?", 1)[0]

    @property
    def query(self) -> str | None:
        return self.path.split("?", 1)[1] if "?" in self.path else None

    def header(self, name: str) -> str | None:
        low = name.lower()
        for k, v in self.headers:
            if k.lower() == low:
                return v
        return None

    def cookie(self, name: str) -> str | None:
        raw = self.header("cookie")
        if raw is None:
            return None
        for part in raw.split(";"):
            k, sep, v = part.strip().partition("=")
            if sep and k == name:
                return v
        return None

    @property
    def key(self) -> tuple[Any, ...]:
        return (self.klass or "", self.scheme, self.host, self.path, self.method, self.headers, self.grpc)

    def label(self) -> str:
        extra = "".join(f" [{k}: {v}]" for k, v in self.headers)
        cls = f" (class {self.klass})" if self.klass else ""
        verb = "" if self.method == "GET" else self.method + " "
        if self.scheme == "tls":
            return f"tls://{self.host} (SNI){cls}"
        return f"{verb}{self.scheme}://{self.host}{self.path}{extra}{'  (gRPC)' if self.grpc else ''}{cls}"

    def to_json(self) -> dict[str, Any]:
        d: dict[str, Any] = {"scheme": self.scheme, "host": self.host, "path": self.path, "method": self.method}
        if self.headers:
            d["headers"] = {k: v for k, v in self.headers}
        if self.klass:
            d["class"] = self.klass
        if self.grpc:
            d["grpc"] = True
        if self.why:
            d["why"] = self.why
        return d


@compact_pickle
@dataclass(frozen=True, slots=True, order=True)
class Backend:
    """A backend as both sides name it: ``namespace/name:port`` (port is a number, or the unresolved name)."""

    namespace: str
    name: str
    port: str
    kind: str = "Service"

    def show(self) -> str:
        kind = "" if self.kind == "Service" else f"{self.kind} "
        return f"{kind}{self.namespace}/{self.name}:{self.port}"


AnswerKind = Literal["backend", "redirect", "status", "no-listener", "passthrough"]


@compact_pickle
@dataclass(frozen=True, slots=True)
class Answer:
    """How a router answers one probe.

    ``kind``: ``backend`` (proxied; ``backends`` is the distribution, shares summing to 1),
    ``redirect`` (``status`` + ``location``), ``status`` (an error status such as 404 or 500),
    ``no-listener`` (nothing accepts the connection), ``passthrough`` (TLS forwarded untouched).
    ``request_headers``/``response_headers`` are the header changes, name (lower case) -> new value,
    or None for removed. ``mirrors`` None means the engine does not model mirroring.
    """

    kind: AnswerKind
    backends: tuple[tuple[Backend, Fraction], ...] = ()
    status: int | None = None
    location: str | None = None
    upstream_path: str | None = None
    upstream_host: str | None = None
    request_headers: tuple[tuple[str, str | None], ...] = ()
    response_headers: tuple[tuple[str, str | None], ...] = ()
    cors: tuple[tuple[str, Any], ...] | None = None
    mirrors: tuple[Backend, ...] | None = None
    causes: tuple[Cause, ...] = field(default=(), compare=False)
    via: str = field(default="", compare=False)

    def with_causes(self, *causes: Cause) -> Answer:
        return replace(self, causes=tuple(dict.fromkeys((*self.causes, *causes))))

    def facts(self) -> dict[str, Any]:
        """The compared facts, as plain JSON values."""
        d: dict[str, Any] = {"kind": self.kind}
        if self.backends:
            d["backends"] = {b.show(): _share(w) for b, w in self.backends}
        if self.status is not None:
            d["status"] = self.status
        if self.location is not None:
            d["location"] = self.location
        if self.kind in ("backend",):
            d["path"] = self.upstream_path
            d["host"] = self.upstream_host
        if self.request_headers:
            d["requestHeaders"] = dict(self.request_headers)
        if self.response_headers:
            d["responseHeaders"] = dict(self.response_headers)
        if self.cors is not None:
            d["cors"] = dict(self.cors)
        if self.mirrors:
            d["mirrors"] = [m.show() for m in self.mirrors]
        return d

    def show(self) -> str:
        """One line for tables."""
        if self.kind == "backend":
            if len(self.backends) == 1:
                target = self.backends[0][0].show()
            else:
                target = " + ".join(f"{b.show()} {_share(w)}" for b, w in self.backends)
            extra = []
            if self.upstream_path is not None:
                extra.append(f"path {self.upstream_path}")
            if self.upstream_host is not None:
                extra.append(f"Host {self.upstream_host}")
            for k, v in self.request_headers:
                extra.append(f"{k}: {v}" if v is not None else f"-{k}")
            for k, v in self.response_headers:
                extra.append(f"response {k}: {v}" if v is not None else f"response -{k}")
            if self.cors is not None:
                extra.append("CORS")
            if self.mirrors:
                extra.append("mirror " + ", ".join(m.show() for m in self.mirrors))
            return f"-> {target}" + (f" ({'; '.join(extra)})" if extra else "")
        if self.kind == "redirect":
            return f"{self.status} -> {self.location}"
        if self.kind == "status":
            return "ambiguous (see via)" if self.status is None else f"{self.status}"
        if self.kind == "passthrough":
            return "TLS passthrough -> " + " + ".join(f"{b.show()} {_share(w)}" if len(self.backends) > 1 else b.show()
                                                      for b, w in self.backends)
        return "no listener"


def _share(w: Fraction) -> str:
    if w == 1:
        return "100%"
    pct = w * 100
    return f"{pct.numerator}/{pct.denominator}%" if pct.denominator != 1 else f"{pct.numerator}%"


def single(backend: Backend) -> tuple[tuple[Backend, Fraction], ...]:
    return ((backend, Fraction(1)),)


def distribution(weights: list[tuple[Backend, int]]) -> tuple[tuple[Backend, Fraction], ...]:
    """Relative weights as shares; backends named twice are summed; zero weights are dropped."""
    total = sum(w for _, w in weights)
    acc: dict[Backend, int] = {}
    for b, w in weights:
        if w > 0:
            acc[b] = acc.get(b, 0) + w
    return tuple(sorted((b, Fraction(w, total)) for b, w in acc.items()))


def status(code: int, via: str = "", *causes: Cause) -> Answer:
    return Answer(kind="status", status=code, via=via, causes=tuple(causes))


def join_uri(path: str, query: str | None) -> str:
    return path if query is None else f"{path}?{query}"


def host_location(scheme: str, host: str, port: int | None, uri: str) -> str:
    """``scheme://host[:port]uri`` with the port left out when it is the scheme's well-known one."""
    default = {"http": 80, "https": 443}.get(scheme)
    hp = host if port is None or port == default else f"{host}:{port}"
    return f"{scheme}://{hp}{uri}"
