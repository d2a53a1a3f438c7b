"""A small fake Kubernetes API server on loopback, for tests and benchmarks. Independent of ing2gw.

It speaks the list API of the resources ``ing2gw export`` reads (namespaced and all-namespaces paths,
``limit``/``continue`` with ``remainingItemCount``, ``labelSelector``, ``PartialObjectMetadataList`` via the
Accept header, ``Status`` error bodies), authenticates bearer tokens and TLS client certificates, answers
SelfSubjectAccessReviews, and injects faults (any status with ``Retry-After``, 410 on continue, slow
answers, dropped connections). Every request is recorded; anything but a GET (or a SelfSubjectAccessReview
POST) and any Secret read that is not metadata-only is recorded as a violation.

    with FakeAPI(pki=make_pki(tmp)) as api:
        api.add_all(make_objects(500, 10))
        write_kubeconfig(path, api.url, api.pki, [Context("dev", token="t")])

``bench_export(n, namespaces)`` times ``ing2gw export -A`` of n Ingresses against it (imports ing2gw lazily).
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import json
import re
import socket
import ssl
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

# plural -> (group, version, kind, namespaced)
RESOURCES: dict[str, tuple[str, str, str, bool]] = {
    "ingresses": ("networking.k8s.io", "v1", "Ingress", True),
    "ingressclasses": ("networking.k8s.io", "v1", "IngressClass", False),
    "services": ("", "v1", "Service", True),
    "configmaps": ("", "v1", "ConfigMap", True),
    "secrets": ("", "v1", "Secret", True),
    "customresourcedefinitions": ("apiextensions.k8s.io", "v1", "CustomResourceDefinition", False),
    "gatewayclasses": ("gateway.networking.k8s.io", "v1", "GatewayClass", False),
    "gateways": ("gateway.networking.k8s.io", "v1", "Gateway", True),
}
KIND_TO_PLURAL = {v[2]: k for k, v in RESOURCES.items()}
SSAR = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews"
_PATH = re.compile(r"^/(?:api/(?P<cv>v1)|apis/(?P<g>[^/]+)/(?P<v>[^/]+))(?:/namespaces/(?P<ns>[^/]+))?"
                   r"/(?P<plural>[a-z]+)(?:/(?P<name>[^/]+))?$")


@dataclass
class Fault:
    """A fault to inject into the next matching request(s)."""

    status: int | None = None  # answer with this HTTP status and a Status body
    plural: str | None = None  # only requests for this resource
    times: int = 1  # how many requests it hits
    retry_after: str | None = None
    delay: float = 0.0  # sleep this long before answering
    drop: bool = False  # close the connection without an answer
    on_continue: bool = False  # only requests that carry a continue token (mid-list)
    skip: int = 0  # let this many matching requests through first
    hits: int = 0

    def matches(self, plural: str | None, has_continue: bool) -> bool:
        return (self.hits < self.times + self.skip and (self.plural is None or self.plural == plural)
                and (not self.on_continue or has_continue))

    def strikes(self) -> bool:
        """Count a matching request; True when the fault applies to it (past ``skip``)."""
        self.hits += 1
        return self.hits > self.skip


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    user: str | None


@dataclass
class PKI:
    """PEM files of a throwaway CA, a server certificate for 127.0.0.1 and a client certificate."""

    dir: Path
    ca: Path
    server_cert: Path
    server_key: Path
    client_cert: Path
    client_key: Path
    client_user: str


def make_pki(directory: Path, client_user: str = "carol") -> PKI:
    """Generate a CA, a server certificate (127.0.0.1, localhost) and a client certificate (CN=client_user)."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    directory.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC)

    def name(cn: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])

    def key() -> ec.EllipticCurvePrivateKey:
        return ec.generate_private_key(ec.SECP256R1())

    def write_key(k: ec.EllipticCurvePrivateKey, p: Path) -> Path:
        p.write_bytes(k.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption()))
        return p

    def write_cert(c: x509.Certificate, p: Path) -> Path:
        p.write_bytes(c.public_bytes(serialization.Encoding.PEM))
        return p

    ca_key = key()
    ca = (x509.CertificateBuilder().subject_name(name("ing2gw-test-ca")).issuer_name(name("ing2gw-test-ca"))
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - dt.timedelta(minutes=5)).not_valid_after(now + dt.timedelta(days=1))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                       content_commitment=False, key_encipherment=False, data_encipherment=False,
                                       key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
          .sign(ca_key, hashes.SHA256()))

    def leaf(cn: str, usage: Any, sans: list[x509.GeneralName] | None) -> tuple[x509.Certificate, Any]:
        k = key()
        b = (x509.CertificateBuilder().subject_name(name(cn)).issuer_name(ca.subject).public_key(k.public_key())
             .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(minutes=5))
             .not_valid_after(now + dt.timedelta(days=1))
             .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
             .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
             .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False))
        if sans:
            b = b.add_extension(x509.SubjectAlternativeName(sans), critical=False)
        return b.sign(ca_key, hashes.SHA256()), k

    server, server_key = leaf("127.0.0.1", ExtendedKeyUsageOID.SERVER_AUTH,
                              [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")])
    client, client_key = leaf(client_user, ExtendedKeyUsageOID.CLIENT_AUTH, None)
    return PKI(directory, write_cert(ca, directory / "ca.crt"), write_cert(server, directory / "server.crt"),
               write_key(server_key, directory / "server.key"), write_cert(client, directory / "client.crt"),
               write_key(client_key, directory / "client.key"), client_user)


# --------------------------------------------------------------------------------------------------
# Label selectors
# --------------------------------------------------------------------------------------------------

_REQ = re.compile(r"\s*(?P<neg>!)?(?P<key>[A-Za-z0-9._/-]+)\s*(?:(?P<op>==|=|!=|\s+in\s+|\s+notin\s+)\s*"
                  r"(?P<val>\([^)]*\)|[A-Za-z0-9._-]*))?\s*")


def parse_selector(text: str) -> list[tuple[str, str, set[str]]]:
    """``a=b,c!=d,e,!f,g in (x,y),h notin (z)`` -> [(key, op, values)]; op in =, !=, exists, !exists, in, notin."""
    out: list[tuple[str, str, set[str]]] = []
    parts = re.findall(r"(?:[^,()]|\([^()]*\))+", text)
    if ",".join(parts) != text:
        raise ValueError(f"unable to parse requirement: {text!r}")
    for part in parts:
        m = _REQ.fullmatch(part)
        if not m:
            raise ValueError(f"unable to parse requirement: {part!r}")
        key, op, val = m["key"], (m["op"] or "").strip(), m["val"]
        if m["neg"]:
            out.append((key, "!exists", set()))
        elif not op:
            out.append((key, "exists", set()))
        elif op in ("=", "=="):
            out.append((key, "in", {val or ""}))
        elif op == "!=":
            out.append((key, "notin", {val or ""}))
        else:
            vals = {v.strip() for v in (val or "").strip("()").split(",") if v.strip()}
            out.append((key, op, vals))
    return out


def selector_matches(reqs: list[tuple[str, str, set[str]]], labels: dict[str, str]) -> bool:
    for key, op, vals in reqs:
        has = key in labels
        if (op == "exists" and not has) or (op == "!exists" and has):
            return False
        if op == "in" and (not has or labels[key] not in vals):
            return False
        if op == "notin" and has and labels[key] in vals:
            return False
    return True


# --------------------------------------------------------------------------------------------------
# The server
# --------------------------------------------------------------------------------------------------


def status_body(code: int, reason: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                            "message": message, "reason": reason, "code": code}
    if details:
        body["details"] = details
    return body


class FakeAPI:
    """The fake API server. ``tokens`` maps bearer tokens to user names; with ``pki`` it serves TLS and
    accepts client certificates signed by its CA (the user is the certificate's CN)."""

    def __init__(self, *, pki: PKI | None = None, tokens: dict[str, str] | None = None) -> None:
        self.pki = pki
        self.tokens = dict(tokens if tokens is not None else {"test-token": "alice"})
        self.objects: dict[str, list[dict[str, Any]]] = {k: [] for k in RESOURCES}
        self.faults: list[Fault] = []
        self.requests: list[Request] = []
        self.violations: list[str] = []
        self.denied: set[tuple[str, str, str | None]] = set()  # (verb, plural, namespace or None = everywhere)
        self.allowed: set[tuple[str, str]] | None = None  # when set, (verb, plural) pairs outside it get 403
        self._sorted: set[str] = set()
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- content ------------------------------------------------------------------------------------

    def add(self, obj: dict[str, Any]) -> None:
        plural = KIND_TO_PLURAL[obj["kind"]]
        self.objects[plural].append(obj)
        self._sorted.discard(plural)

    def add_all(self, objs: Iterable[dict[str, Any]]) -> None:
        for o in objs:
            self.add(o)

    def deny(self, plural: str, namespace: str | None = None, verb: str = "list") -> None:
        """Refuse ``verb`` on ``plural`` in ``namespace`` (None: everywhere) with 403, as RBAC would."""
        self.denied.add((verb, plural, namespace))

    def is_denied(self, verb: str, plural: str, namespace: str | None) -> bool:
        if self.allowed is not None and (verb, plural) not in self.allowed:
            return True
        for v, p, ns in self.denied:
            if v == verb and p == plural and (ns is None or namespace is None or ns == namespace):
                return True
        return False

    def inject(self, fault: Fault) -> Fault:
        self.faults.append(fault)
        return fault

    def gets(self, plural: str | None = None) -> list[Request]:
        return [r for r in self.requests if r.method == "GET" and (plural is None or f"/{plural}" in r.path)]

    # -- lifecycle ----------------------------------------------------------------------------------

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"{'https' if self.pki else 'http'}://{host}:{port}"

    def start(self) -> FakeAPI:
        api = self

        class Handler(_Handler):
            fake = api

        server = _Server(("127.0.0.1", 0), Handler)
        if self.pki:
            ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            ctx.load_cert_chain(self.pki.server_cert, self.pki.server_key)
            ctx.load_verify_locations(self.pki.ca)
            ctx.verify_mode = ssl.CERT_OPTIONAL
            server.socket = ctx.wrap_socket(server.socket, server_side=True, do_handshake_on_connect=False)
        self._server = server
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeAPI:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    # -- answers ------------------------------------------------------------------------------------

    def items(self, plural: str) -> list[dict[str, Any]]:
        with self._lock:
            if plural not in self._sorted:
                self.objects[plural].sort(key=lambda o: (o["metadata"].get("namespace", ""), o["metadata"]["name"]))
                self._sorted.add(plural)
            return self.objects[plural]

    def list_page(self, plural: str, ns: str | None, query: dict[str, list[str]], metadata_only: bool
                  ) -> dict[str, Any]:
        group, version, kind, _ = RESOURCES[plural]
        items = self.items(plural)
        if ns is not None:
            items = [o for o in items if o["metadata"].get("namespace") == ns]
        if "labelSelector" in query:
            reqs = parse_selector(query["labelSelector"][0])
            items = [o for o in items if selector_matches(reqs, o["metadata"].get("labels") or {})]
        start = 0
        if "continue" in query:
            token = json.loads(base64.b64decode(query["continue"][0]))
            start = int(token["start"])
        limit = int(query.get("limit", ["0"])[0] or 0)
        end = len(items) if not limit else min(len(items), start + limit)
        meta: dict[str, Any] = {"resourceVersion": "1000"}
        if end < len(items):
            meta["continue"] = base64.b64encode(json.dumps({"start": end, "rv": 1000}).encode()).decode()
            meta["remainingItemCount"] = len(items) - end
        page = items[start:end]
        if metadata_only:
            return {"kind": "PartialObjectMetadataList", "apiVersion": "meta.k8s.io/v1", "metadata": meta,
                    "items": [{"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1",
                               "metadata": o["metadata"]} for o in page]}
        # Like the real API server, items of a typed list carry no apiVersion/kind.
        return {"kind": f"{kind}List", "apiVersion": f"{group}/{version}" if group else version, "metadata": meta,
                "items": [{k: v for k, v in o.items() if k not in ("apiVersion", "kind")} for o in page]}


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request: Any, client_address: Any) -> None:  # quiet: dropped connections are intended
        pass


class _Handler(BaseHTTPRequestHandler):
    fake: FakeAPI
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _send(self, code: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body, separators=(",", ":")).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def _user(self) -> str | None:
        scheme, _, credentials = self.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer":  # auth schemes are case-insensitive (RFC 7235)
            return self.fake.tokens.get(credentials.strip())
        if isinstance(self.connection, ssl.SSLSocket):
            cert = self.connection.getpeercert()
            if cert:
                for rdn in cert.get("subject", ()):
                    for k, v in rdn:
                        if k == "commonName":
                            return str(v)
        return None

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_PUT(self) -> None:
        self._handle("PUT")

    def do_PATCH(self) -> None:
        self._handle("PATCH")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    def _handle(self, method: str) -> None:
        fake = self.fake
        parts = urlsplit(self.path)
        query = parse_qs(parts.query)
        user = self._user()
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        with fake._lock:
            fake.requests.append(Request(method, parts.path, query, dict(self.headers.items()), user))
        m = _PATH.match(parts.path)
        plural = m["plural"] if m else None
        with fake._lock:
            fault = next((f for f in fake.faults if f.matches(plural, "continue" in query)), None)
            if fault and not fault.strikes():
                fault = None
        if fault:
            if fault.delay:
                time.sleep(fault.delay)
            if fault.drop:
                self.close_connection = True
                with contextlib.suppress(OSError):
                    self.connection.shutdown(socket.SHUT_RDWR)
                return
            if fault.status:
                headers = {"Retry-After": fault.retry_after} if fault.retry_after is not None else {}
                reason = {401: "Unauthorized", 403: "Forbidden", 410: "Expired", 429: "TooManyRequests",
                          500: "InternalError", 503: "ServiceUnavailable"}.get(fault.status, "InternalError")
                message = ("The provided continue parameter is too old to display a consistent list result. "
                           "You can start a new list without the continue parameter."
                           if fault.status == 410 else f"injected fault {fault.status}")
                return self._send(fault.status, status_body(fault.status, reason, message), headers)
        if user is None:
            return self._send(401, status_body(401, "Unauthorized", "Unauthorized"))
        if method == "POST" and parts.path == SSAR:
            return self._review(json.loads(body or b"{}"))
        if method != "GET":
            fake.violations.append(f"{method} {parts.path}")
            return self._send(405, status_body(405, "MethodNotAllowed", f"{method} is not allowed here"))
        if not m or plural not in RESOURCES:
            return self._send(404, status_body(404, "NotFound", "the server could not find the requested resource"))
        group, version, kind, namespaced = RESOURCES[plural]
        if (m["g"] or "") != group or (m["cv"] or m["v"]) != version:
            return self._send(404, status_body(404, "NotFound", "the server could not find the requested resource"))
        ns, name = m["ns"], m["name"]
        metadata_only = "as=PartialObjectMetadataList" in self.headers.get("Accept", "") or \
            "as=PartialObjectMetadata;" in self.headers.get("Accept", "")
        if plural == "secrets" and not metadata_only:
            fake.violations.append(f"Secret data requested: GET {self.path}")
            return self._send(403, status_body(403, "Forbidden", "the fake API server refuses Secret data"))
        verb = "get" if name else "list"
        if fake.is_denied(verb, plural, ns):
            res = f"{plural}.{group}" if group else plural
            scope = f'in the namespace "{ns}"' if ns else "at the cluster scope"
            return self._send(403, status_body(
                403, "Forbidden", f'{res} is forbidden: User "{user}" cannot {verb} resource "{plural}" in API '
                f'group "{group}" {scope}', {"group": group, "kind": plural}))
        if name:
            for o in fake.items(plural):
                if o["metadata"]["name"] == name and (not namespaced or o["metadata"].get("namespace") == ns):
                    return self._send(200, o)
            return self._send(404, status_body(404, "NotFound", f'{plural} "{name}" not found',
                                               {"name": name, "kind": plural}))
        try:
            page = fake.list_page(plural, ns, query, metadata_only)
        except ValueError as exc:
            return self._send(400, status_body(400, "BadRequest", str(exc)))
        return self._send(200, page)

    def _review(self, review: dict[str, Any]) -> None:
        attrs = (review.get("spec") or {}).get("resourceAttributes") or {}
        allowed = attrs.get("resource") in RESOURCES and not self.fake.is_denied(
            str(attrs.get("verb")), str(attrs.get("resource")), attrs.get("namespace"))
        review = dict(review)
        review["status"] = {"allowed": allowed, **({} if allowed else {"reason": "no RBAC rule allows it"})}
        self._send(201, review)

    def finish(self) -> None:
        with contextlib.suppress(OSError):
            super().finish()


# --------------------------------------------------------------------------------------------------
# Kubeconfig
# --------------------------------------------------------------------------------------------------


@dataclass
class Context:
    name: str
    token: str | None = None  # a token user
    client_cert: bool = False  # a client-certificate user (the PKI's client certificate)
    namespace: str | None = None
    server: str | None = None  # default: the FakeAPI's URL


def write_kubeconfig(path: Path, server: str, pki: PKI | None, contexts: list[Context],
                     current: str | None = None) -> Path:
    """A kubeconfig (JSON is valid YAML) with one cluster per distinct server and one user per context."""
    clusters, users, ctxs = [], [], []
    servers: dict[str, str] = {}
    for c in contexts:
        url = c.server or server
        if url not in servers:
            servers[url] = f"cluster-{len(servers)}"
            cluster: dict[str, Any] = {"server": url}
            if pki and url.startswith("https"):
                cluster["certificate-authority-data"] = base64.b64encode(pki.ca.read_bytes()).decode()
            clusters.append({"name": servers[url], "cluster": cluster})
        user: dict[str, Any] = {}
        if c.token:
            user["token"] = c.token
        if c.client_cert and pki:
            user["client-certificate-data"] = base64.b64encode(pki.client_cert.read_bytes()).decode()
            user["client-key-data"] = base64.b64encode(pki.client_key.read_bytes()).decode()
        users.append({"name": f"user-{c.name}", "user": user})
        ctx: dict[str, Any] = {"cluster": servers[url], "user": f"user-{c.name}"}
        if c.namespace:
            ctx["namespace"] = c.namespace
        ctxs.append({"name": c.name, "context": ctx})
    doc = {"apiVersion": "v1", "kind": "Config", "clusters": clusters, "users": users, "contexts": ctxs,
           "current-context": current or contexts[0].name, "preferences": {}}
    path.write_text(json.dumps(doc, indent=2))
    return path


# --------------------------------------------------------------------------------------------------
# Objects as a real cluster returns them
# --------------------------------------------------------------------------------------------------


def _meta(name: str, ns: str | None, i: int, **extra: Any) -> dict[str, Any]:
    m: dict[str, Any] = {"name": name}
    if ns:
        m["namespace"] = ns
    m.update({"uid": f"00000000-0000-4000-8000-{i:012d}", "resourceVersion": str(1000 + i), "generation": 1,
              "creationTimestamp": f"2025-01-{1 + i % 28:02d}T{i % 24:02d}:{i % 60:02d}:00Z",
              "managedFields": [{"manager": "kubectl-client-side-apply", "operation": "Update",
                                 "apiVersion": "v1", "time": "2025-01-01T00:00:00Z", "fieldsType": "FieldsV1",
                                 "fieldsV1": {"f:metadata": {"f:annotations": {}}}}]})
    m.update(extra)
    return m


def make_objects(n: int = 500, namespaces: int = 10, *, gateway_api: str | None = "v1.4.1",
                 channel: str = "standard") -> list[dict[str, Any]]:
    """n Ingresses spread over ``namespaces`` namespaces with their Services, an IngressClass, the
    controller's ConfigMap, Secrets, and (unless gateway_api is None) Gateway API CRDs and a GatewayClass.
    Objects carry what a real cluster adds: uid, resourceVersion, managedFields, status, last-applied."""
    out: list[dict[str, Any]] = [
        {"apiVersion": "networking.k8s.io/v1", "kind": "IngressClass",
         "metadata": _meta("nginx", None, 0, annotations={"ingressclass.kubernetes.io/is-default-class": "true"}),
         "spec": {"controller": "k8s.io/ingress-nginx"}},
        {"apiVersion": "v1", "kind": "ConfigMap", "metadata": _meta("ingress-nginx-controller", "ingress-nginx", 0),
         "data": {"use-forwarded-headers": "true", "proxy-body-size": "8m"}},
    ]
    for i in range(n):
        ns = f"team-{i % namespaces:02d}"
        name = f"app-{i:05d}"
        svc = f"svc-{i:05d}"
        host = f"{name}.{ns}.example.com"
        annotations = {"kubectl.kubernetes.io/last-applied-configuration": json.dumps({"kind": "Ingress", "i": i})}
        if i % 3 == 0:
            annotations["nginx.ingress.kubernetes.io/ssl-redirect"] = "true"
        if i % 5 == 0:
            annotations["nginx.ingress.kubernetes.io/proxy-body-size"] = "16m"
        spec: dict[str, Any] = {
            "ingressClassName": "nginx",
            "rules": [{"host": host, "http": {"paths": [
                {"path": "/", "pathType": "Prefix", "backend": {"service": {"name": svc, "port": {"name": "http"}}}},
                {"path": "/api", "pathType": "Exact",
                 "backend": {"service": {"name": svc, "port": {"number": 8080}}}},
            ]}}],
        }
        if i % 4 == 0:
            spec["tls"] = [{"hosts": [host], "secretName": f"{name}-tls"}]
            out.append({"apiVersion": "v1", "kind": "Secret", "metadata": _meta(f"{name}-tls", ns, i),
                        "type": "kubernetes.io/tls", "data": {"tls.crt": "U0VDUkVU", "tls.key": "U0VDUkVU"}})
        out.append({"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
                    "metadata": _meta(name, ns, i, labels={"app": name, "tier": ["web", "api", "admin"][i % 3]},
                                      annotations=annotations),
                    "spec": spec, "status": {"loadBalancer": {"ingress": [{"ip": "192.0.2.10"}]}}})
        ports = [{"name": "http", "port": 80, "protocol": "TCP", "targetPort": 8080},
                 {"name": "api", "port": 8080, "protocol": "TCP", "targetPort": "api"}]
        if i % 7 == 0:
            ports[1]["appProtocol"] = "kubernetes.io/h2c"
        out.append({"apiVersion": "v1", "kind": "Service", "metadata": _meta(svc, ns, i),
                    "spec": {"type": "ClusterIP", "clusterIP": f"10.0.{i // 250 % 256}.{i % 250}",
                             "clusterIPs": [f"10.0.{i // 250 % 256}.{i % 250}"], "selector": {"app": name},
                             "ports": ports, "sessionAffinity": "None"},
                    "status": {"loadBalancer": {}}})
    if gateway_api:
        for plural in ("gatewayclasses", "gateways", "httproutes", "grpcroutes", "referencegrants"):
            out.append({"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
                        "metadata": _meta(f"{plural}.gateway.networking.k8s.io", None, 0, annotations={
                            "gateway.networking.k8s.io/bundle-version": gateway_api,
                            "gateway.networking.k8s.io/channel": channel}),
                        "spec": {"group": "gateway.networking.k8s.io", "names": {"plural": plural},
                                 "scope": "Namespaced", "versions": [{"name": "v1", "served": True, "storage": True,
                                                                      "schema": {"openAPIV3Schema": {"type": "object"}}}]}})
        out.append({"apiVersion": "gateway.networking.k8s.io/v1", "kind": "GatewayClass",
                    "metadata": _meta("example", None, 0),
                    "spec": {"controllerName": "example.com/gateway-controller"},
                    "status": {"conditions": [{"type": "Accepted", "status": "True"}],
                               "supportedFeatures": [{"name": "HTTPRoute"}, {"name": "HTTPRouteHostRewrite"}]}})
    out.append({"apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
                "metadata": _meta("widgets.example.com", None, 0),
                "spec": {"group": "example.com", "names": {"plural": "widgets"}, "scope": "Namespaced",
                         "versions": []}})
    return out


# --------------------------------------------------------------------------------------------------
# Benchmark
# --------------------------------------------------------------------------------------------------


def bench_export(n: int = 10_000, namespaces: int = 40, work: Path | None = None) -> dict[str, Any]:
    """Time ``ing2gw export -A`` of ``n`` Ingresses (TLS, token user, pages of 500) against the fake server
    (``export_seconds``: reading and converting; ``read_seconds``: reading alone), and ``convert`` of the same
    objects from a file. Returns seconds, the number of GET requests and whether the outputs are identical."""
    import tempfile

    import yaml

    from ing2gw.api import ConvertOptions, convert
    from ing2gw.load.cluster import ClusterOptions, connect, export, read_cluster

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(work or tmp)
        objs = make_objects(n, namespaces)
        pki = make_pki(root / "pki")
        with FakeAPI(pki=pki) as api:
            api.add_all(objs)
            kubeconfig = write_kubeconfig(root / "kubeconfig", api.url, pki, [Context("bench", token="test-token")])
            t0 = time.perf_counter()
            exported = export(ClusterOptions(kubeconfig=str(kubeconfig), all_namespaces=True),
                              ConvertOptions(controller_config="ingress-nginx/ingress-nginx-controller"))
            t_export = time.perf_counter() - t0
            gets = len(api.gets())
            t0 = time.perf_counter()  # the reading part alone
            options = ClusterOptions(kubeconfig=str(kubeconfig), all_namespaces=True)
            client = connect(options)
            read_cluster(client, options, controller_config="ingress-nginx/ingress-nginx-controller")
            client.close()
            t_read = time.perf_counter() - t0
        files = [o for o in objs if o["kind"] in ("Ingress", "Service", "IngressClass", "ConfigMap", "GatewayClass")]
        manifest = root / "objects.yaml"
        manifest.write_text(yaml.dump_all(files, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper)))
        t0 = time.perf_counter()
        converted = convert([str(manifest)], ConvertOptions(
            controller_config="ingress-nginx/ingress-nginx-controller", gateway_api_version="v1.4"))
        t_convert = time.perf_counter() - t0
    return {"ingresses": n, "namespaces": namespaces, "export_seconds": round(t_export, 3),
            "read_seconds": round(t_read, 3), "convert_seconds": round(t_convert, 3), "requests": gets,
            "identical": exported.conversion.render("yaml") == converted.render("yaml")}


def bench_parse(n: int = 10_000, namespaces: int = 40, repeat: int = 3) -> dict[str, Any]:
    """Seconds to turn one IngressList of ``n`` Ingresses (as raw bytes) into Python objects: ``json.loads``
    (what ing2gw does) against the kubernetes client's model classes (``ApiClient.deserialize``)."""
    from kubernetes import client as k8s

    items = [{k: v for k, v in o.items() if k not in ("apiVersion", "kind")}
             for o in make_objects(n, namespaces, gateway_api=None) if o["kind"] == "Ingress"]
    raw = json.dumps({"kind": "IngressList", "apiVersion": "networking.k8s.io/v1", "metadata": {},
                      "items": items}).encode()
    api = k8s.ApiClient()

    def best(fn: Any) -> float:
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
        return round(min(times), 3)

    if hasattr(api, "param_serialize"):
        models = best(lambda: api.deserialize(raw.decode(), "V1IngressList", "application/json"))
    else:  # python-legacy clients deserialize from a response object
        resp = type("R", (), {"data": raw.decode()})()
        models = best(lambda: api.deserialize(resp, "V1IngressList"))
    return {"ingresses": n, "bytes": len(raw), "json_seconds": best(lambda: json.loads(raw)),
            "models_seconds": models}
