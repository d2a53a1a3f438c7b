"""Reads a running cluster, read-only, into raw objects that convert exactly like files do.

The official ``kubernetes`` client loads the kubeconfig (contexts, token and client-certificate users,
exec plugins) and authenticates each request; responses are taken as raw bytes and parsed with ``json``
(deserializing into the client's model classes is several times slower, see the README). Lists are paged
(``limit``/``continue``); an expired continue token (410 Gone) restarts the list; 429, 5xx, timeouts and
dropped connections are retried a bounded number of times with exponential backoff (honouring
``Retry-After``). A 401 or 403 becomes a :class:`~ing2gw.errors.ClusterError` naming the verb, resource
and namespace and the RBAC rule that would allow it.

Only ``GET`` requests are sent, except for ``--check-access``, which creates SelfSubjectAccessReview
objects: asking the API server "may I?" stores nothing and changes no cluster state. Secret data is never
requested: the optional existence check lists Secrets as ``PartialObjectMetadataList`` (names only).
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, NamedTuple
from urllib.parse import quote

from ing2gw.errors import ClusterError, UsageError
from ing2gw.load.raw import RawObject

JSON = "application/json"
METADATA_LIST = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1"
LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration"
GATEWAY_GROUPS = ("gateway.networking.k8s.io", "gateway.networking.x-k8s.io")
BUNDLE_VERSION = "gateway.networking.k8s.io/bundle-version"
BUNDLE_CHANNEL = "gateway.networking.k8s.io/channel"
# Metadata that says nothing about routing; never copied into a snapshot or the conversion.
DROP_METADATA = ("managedFields", "uid", "resourceVersion", "generation", "selfLink", "ownerReferences",
                 "finalizers", "deletionTimestamp", "deletionGracePeriodSeconds", "generateName")

Progress = Callable[[str, int, "int | None"], None]


class Resource(NamedTuple):
    """One API resource ing2gw reads."""

    group: str  # "" for the core group
    version: str
    plural: str
    kind: str
    namespaced: bool

    @property
    def api_version(self) -> str:
        return f"{self.group}/{self.version}" if self.group else self.version

    @property
    def qualified(self) -> str:
        """``ingresses.networking.k8s.io``, ``services``: how kubectl and RBAC errors name it."""
        return f"{self.plural}.{self.group}" if self.group else self.plural

    def path(self, namespace: str | None = None, name: str | None = None) -> str:
        base = f"/apis/{self.group}/{self.version}" if self.group else f"/api/{self.version}"
        if self.namespaced and namespace:
            base += f"/namespaces/{quote(namespace, safe='')}"
        base += f"/{self.plural}"
        if name:
            base += f"/{quote(name, safe='')}"
        return base


INGRESSES = Resource("networking.k8s.io", "v1", "ingresses", "Ingress", True)
INGRESS_CLASSES = Resource("networking.k8s.io", "v1", "ingressclasses", "IngressClass", False)
SERVICES = Resource("", "v1", "services", "Service", True)
CONFIG_MAPS = Resource("", "v1", "configmaps", "ConfigMap", True)
SECRETS = Resource("", "v1", "secrets", "Secret", True)
CRDS = Resource("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", False)
GATEWAY_CLASSES = Resource("gateway.networking.k8s.io", "v1", "gatewayclasses", "GatewayClass", False)
GATEWAYS = Resource("gateway.networking.k8s.io", "v1", "gateways", "Gateway", True)
SSAR_PATH = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews"


@dataclass(slots=True)
class ClusterOptions:
    """How to reach the cluster and what to read (kubectl's flags)."""

    kubeconfig: str | None = None  # default: $KUBECONFIG, then ~/.kube/config
    context: str | None = None  # default: the kubeconfig's current context
    namespace: str | None = None  # default: the context's namespace, else "default"
    all_namespaces: bool = False
    selector: str | None = None  # label selector for Ingresses (-l)
    request_timeout: float | None = 30.0  # seconds per request; None waits forever
    page_size: int = 500
    retries: int = 5  # further attempts after a retryable failure
    backoff: float = 0.5  # first retry delay in seconds, doubled each time
    max_backoff: float = 30.0  # longest wait between attempts, Retry-After included
    check_secrets: bool = False  # list Secret names (metadata only) to warn about missing TLS Secrets
    progress: Progress | None = None
    sleep: Callable[[float], None] = time.sleep


@dataclass(slots=True)
class ClusterRead:
    """What was read: raw objects in a stable order, warnings for the user, the detected Gateway API."""

    objects: list[RawObject] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    context: str = ""
    server: str = ""
    gateway_api_version: str | None = None  # bundle version of the installed CRDs, e.g. v1.4.1
    gateway_api_channel: str | None = None
    requests: int = 0


class StatusError(Exception):
    """A non-2xx answer after retries: the HTTP status and the ``Status`` body's message."""

    def __init__(self, status: int, reason: str, message: str, body: dict[str, Any] | None) -> None:
        super().__init__(f"{status} {reason}: {message}")
        self.status = status
        self.reason = reason
        self.message = message
        self.body = body or {}


# --------------------------------------------------------------------------------------------------
# Connection
# --------------------------------------------------------------------------------------------------


class Client:
    """GET (and SelfSubjectAccessReview) requests with retries, over the kubernetes client's ApiClient."""

    def __init__(self, api_client: Any, *, context: str, namespace: str, options: ClusterOptions) -> None:
        self.api = api_client
        self.context = context
        self.default_namespace = namespace
        self.options = options
        self.server = str(api_client.configuration.host)
        self.requests = 0

    def close(self) -> None:
        self.api.close()

    # -- one request ---------------------------------------------------------------------------------

    def _send(self, method: str, path: str, query: list[tuple[str, str]], accept: str,
              body: dict[str, Any] | None) -> tuple[int, str, dict[str, str], bytes]:
        """One HTTP exchange through the kubernetes client; the body is read raw, never deserialized."""
        headers = {"Accept": accept}
        if body is not None:
            headers["Content-Type"] = JSON
        timeout = self.options.request_timeout
        api = self.api
        self.requests += 1
        if hasattr(api, "param_serialize"):  # newer, pydantic-generated clients: call_api never parses
            m, url, hdrs, b, post = api.param_serialize(method=method, resource_path=path, query_params=query,
                                                        header_params=headers, body=body,
                                                        auth_settings=["BearerToken"])
            resp = api.call_api(m, url, header_params=hdrs, body=b, post_params=post, _request_timeout=timeout)
            data = resp.read()
            return resp.status, str(resp.reason or ""), dict(resp.headers or {}), data
        # older (python-legacy) clients raise on non-2xx
        from kubernetes.client.exceptions import ApiException

        try:
            raw = api.call_api(path, method, query_params=query, header_params=headers, body=body,
                               auth_settings=["BearerToken"], _preload_content=False, _return_http_data_only=True,
                               _request_timeout=timeout)
        except ApiException as exc:
            if not exc.status:  # status 0: a TLS failure, reported by request()
                raise
            text = exc.body if isinstance(exc.body, str | bytes) else ""
            return int(exc.status or 0), str(exc.reason or ""), dict(exc.headers or {}), \
                text.encode() if isinstance(text, str) else text
        return raw.status, str(raw.reason or ""), dict(raw.headers or {}), raw.data

    def request(self, path: str, query: Iterable[tuple[str, str]] = (), *, accept: str = JSON,
                method: str = "GET", body: dict[str, Any] | None = None) -> dict[str, Any]:
        """Send one request, retrying 429, 5xx, timeouts and dropped connections; parse the JSON body."""
        import urllib3
        from kubernetes.client.exceptions import ApiException

        q = list(query)
        opts = self.options
        last = ""
        for attempt in range(opts.retries + 1):
            retry_after: float | None = None
            try:
                status, reason, headers, data = self._send(method, path, q, accept, body)
            except urllib3.exceptions.SSLError as exc:
                raise ClusterError(f"TLS error talking to {self.server} (context {self.context!r}): {exc}") from None
            except ApiException as exc:  # the client reports TLS failures as status 0
                why = " ".join(str(exc.reason or exc).split())
                raise ClusterError(f"TLS error talking to {self.server} (context {self.context!r}): {why}") from None
            except (urllib3.exceptions.HTTPError, OSError) as exc:
                last = f"{type(exc).__name__}: {exc}"
            else:
                if 200 <= status < 300:
                    try:
                        parsed = json.loads(data)
                    except ValueError as exc:
                        raise ClusterError(f"{method} {path}: the API server sent a body that is not JSON "
                                           f"({exc})") from None
                    if not isinstance(parsed, dict):
                        raise ClusterError(f"{method} {path}: the API server sent a {type(parsed).__name__}, "
                                           "not an object")
                    return parsed
                err = _status_error(status, reason, data)
                if status != 429 and status < 500:
                    raise err
                last = f"{status} {err.reason}: {err.message}"
                retry_after = _retry_after(headers)
            if attempt == opts.retries:
                break
            delay = min(opts.max_backoff, opts.backoff * (2 ** attempt) * (1 + random.random() / 4))
            if retry_after is not None:
                delay = min(opts.max_backoff, max(delay, retry_after))
            opts.sleep(delay)
        raise ClusterError(f"{method} {self.server}{path}: gave up after {opts.retries + 1} attempt(s); "
                           f"last failure: {last}")

    # -- reads ---------------------------------------------------------------------------------------

    def get(self, res: Resource, namespace: str | None, name: str) -> dict[str, Any] | None:
        """One object by name, or None when it does not exist."""
        try:
            obj = self.request(res.path(namespace, name))
        except StatusError as exc:
            if exc.status == 404 and exc.body.get("details", {}).get("name", name) == name:
                return None
            raise self.denied(exc, "get", res, namespace, name) from None
        return obj

    def list(self, res: Resource, namespace: str | None, *, selector: str | None = None,
             metadata_only: bool = False, label: str | None = None) -> list[dict[str, Any]]:
        """Every object of ``res`` in ``namespace`` (None: all namespaces or cluster-scoped), page by page.
        An expired continue token (410 Gone) restarts the list from the beginning, at most 3 times."""
        accept = METADATA_LIST if metadata_only else JSON
        progress = self.options.progress
        label = label or res.plural
        restarts = 0
        while True:
            items: list[dict[str, Any]] = []
            token = ""
            try:
                while True:
                    q = [("limit", str(self.options.page_size))]
                    if selector:
                        q.append(("labelSelector", selector))
                    if token:
                        q.append(("continue", token))
                    page = self.request(res.path(namespace), q, accept=accept)
                    page_items = page.get("items") or []
                    if not isinstance(page_items, list):
                        raise ClusterError(f"GET {res.path(namespace)}: items is not a list")
                    items.extend(page_items)
                    meta = page.get("metadata") or {}
                    token = meta.get("continue") or ""
                    if progress is not None:
                        remaining = meta.get("remainingItemCount")
                        total = len(items) + remaining if isinstance(remaining, int) else (None if token else len(items))
                        progress(label, len(items), total)
                    if not token:
                        return items
            except StatusError as exc:
                if exc.status == 410 and token and restarts < 3:
                    restarts += 1
                    continue
                raise self.denied(exc, "list", res, namespace) from None

    def denied(self, exc: StatusError, verb: str, res: Resource, namespace: str | None,
               name: str | None = None) -> ClusterError:
        """The error to show for a failed read: for 401/403, which permission is missing and how to grant it."""
        where = (f"in namespace {namespace!r}" if namespace else "in all namespaces") if res.namespaced \
            else "(cluster-scoped)"
        what = f"{verb} {res.qualified}" + (f" {name!r}" if name else "") + f" {where}"
        if exc.status == 401:
            return AccessDenied(
                f"the API server at {self.server} refused the credentials of context {self.context!r} "
                f"(401 Unauthorized) to {what}: {exc.message}. Check the user's token or client certificate "
                "(kubectl --context ... auth whoami).", 401, verb, res, namespace)
        if exc.status == 403:
            scope = (f"a Role in namespace {namespace!r} (or a ClusterRole)" if res.namespaced and namespace
                     else "a ClusterRole bound with a ClusterRoleBinding")
            return AccessDenied(
                f"forbidden: cannot {what} (context {self.context!r}). The API server said: {exc.message}\n"
                f"This RBAC rule, in {scope}, allows it:\n{rbac_rule(verb, res, name)}"
                "deploy/rbac.yaml grants every read ing2gw export needs, and nothing else.", 403, verb, res, namespace)
        return ReadError(f"cannot {what}: the API server answered {exc.status} {exc.reason}: {exc.message}",
                         exc.status)

    def access_review(self, verb: str, res: Resource, namespace: str | None, name: str | None = None) -> bool:
        """Ask the API server whether the current user may ``verb`` this resource (SelfSubjectAccessReview)."""
        attrs: dict[str, str] = {"verb": verb, "group": res.group, "resource": res.plural}
        if res.namespaced and namespace:
            attrs["namespace"] = namespace
        if name:
            attrs["name"] = name
        body = {"apiVersion": "authorization.k8s.io/v1", "kind": "SelfSubjectAccessReview",
                "spec": {"resourceAttributes": attrs}}
        try:
            review = self.request(SSAR_PATH, method="POST", body=body)
        except StatusError as exc:
            raise ClusterError(f"SelfSubjectAccessReview failed: {exc.status} {exc.reason}: {exc.message}") from None
        return bool((review.get("status") or {}).get("allowed"))


class ReadError(ClusterError):
    """A read the API server refused; ``status`` is its HTTP status."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class AccessDenied(ReadError):
    """401 or 403 on a read: the message names the verb, resource, namespace and the RBAC rule to add."""

    def __init__(self, message: str, status: int, verb: str, res: Resource, namespace: str | None) -> None:
        super().__init__(message, status)
        self.verb = verb
        self.resource = res
        self.namespace = namespace


def rbac_rule(verb: str, res: Resource, name: str | None = None) -> str:
    names = f"  resourceNames: [{json.dumps(name)}]\n" if name else ""
    return (f"- apiGroups: [{json.dumps(res.group)}]\n  resources: [{json.dumps(res.plural)}]\n"
            f"{names}  verbs: [{json.dumps(verb)}]\n")


def _status_error(status: int, reason: str, data: bytes) -> StatusError:
    body: dict[str, Any] | None = None
    message = ""
    try:
        parsed = json.loads(data) if data else None
    except ValueError:
        parsed = None
    if isinstance(parsed, dict):
        body = parsed
        message = str(parsed.get("message") or "")
        reason = str(parsed.get("reason") or reason)
    if not message:
        message = data[:200].decode("utf-8", "replace").strip() or reason or "no message"
    return StatusError(status, reason, message, body)


def _retry_after(headers: dict[str, str]) -> float | None:
    for k, v in headers.items():
        if k.lower() == "retry-after":
            try:
                return max(0.0, float(v))
            except ValueError:
                return None
    return None


def connect(options: ClusterOptions) -> Client:
    """Load the kubeconfig (file, context, user) with the kubernetes client and return a :class:`Client`."""
    from kubernetes import client as k8s_client
    from kubernetes import config as k8s_config
    from kubernetes.config.config_exception import ConfigException

    if _in_cluster(options):
        return _connect_in_cluster(options)
    try:
        contexts, active = k8s_config.list_kube_config_contexts(config_file=options.kubeconfig)
    except ConfigException as exc:
        raise ClusterError(f"cannot load kubeconfig{' ' + options.kubeconfig if options.kubeconfig else ''}: {exc}") \
            from None
    except OSError as exc:
        raise ClusterError(f"cannot read kubeconfig {options.kubeconfig or ''}: {exc.strerror or exc}") from None
    chosen = active
    if options.context:
        chosen = next((c for c in contexts if c.get("name") == options.context), None)
        if chosen is None:
            names = ", ".join(sorted(str(c.get("name")) for c in contexts)) or "none"
            raise UsageError(f"--context {options.context}: no such context in the kubeconfig (it has: {names})")
    if not chosen:
        raise UsageError("the kubeconfig has no current context; choose one with --context")
    name = str(chosen.get("name"))
    cfg = k8s_client.Configuration()
    try:
        k8s_config.load_kube_config(config_file=options.kubeconfig, context=name, client_configuration=cfg,
                                    persist_config=False)
    except ConfigException as exc:
        raise ClusterError(f"kubeconfig context {name!r}: {exc}") from None
    # ing2gw retries itself (bounded, with backoff and Retry-After); urllib3's own retries would multiply them.
    cfg.retries = False
    namespace = options.namespace or (chosen.get("context") or {}).get("namespace") or "default"
    return Client(k8s_client.ApiClient(cfg), context=name, namespace=namespace, options=options)


SERVICE_NAMESPACE_FILE = "/var/run/secrets/kubernetes.io/serviceaccount/namespace"


def _in_cluster(options: ClusterOptions) -> bool:
    """Like kubectl: with no kubeconfig anywhere, a pod uses its service account."""
    import os

    return (options.kubeconfig is None and not os.environ.get("KUBECONFIG")
            and not os.path.exists(os.path.expanduser("~/.kube/config"))
            and bool(os.environ.get("KUBERNETES_SERVICE_HOST")))


def _connect_in_cluster(options: ClusterOptions) -> Client:
    from kubernetes import client as k8s_client
    from kubernetes import config as k8s_config
    from kubernetes.config.config_exception import ConfigException

    if options.context:
        raise UsageError(f"--context {options.context}: there is no kubeconfig (running in a pod with its "
                         "service account); give one with --kubeconfig")
    cfg = k8s_client.Configuration()
    try:
        k8s_config.load_incluster_config(client_configuration=cfg)
    except ConfigException as exc:
        raise ClusterError(f"no kubeconfig, and the in-cluster service account cannot be used: {exc}") from None
    cfg.retries = False
    namespace = options.namespace
    if not namespace:
        try:
            with open(SERVICE_NAMESPACE_FILE, encoding="utf-8") as fh:
                namespace = fh.read().strip()
        except OSError:
            namespace = ""
    return Client(k8s_client.ApiClient(cfg), context="in-cluster", namespace=namespace or "default", options=options)


# --------------------------------------------------------------------------------------------------
# Cleaning: what is kept of each object
# --------------------------------------------------------------------------------------------------


def clean_object(obj: dict[str, Any], res: Resource) -> dict[str, Any]:
    """The object as ing2gw needs it: apiVersion and kind first, metadata without bookkeeping, and only the
    parts of spec and status that change the conversion."""
    meta_in = obj.get("metadata") or {}
    meta = {k: v for k, v in meta_in.items() if k not in DROP_METADATA}
    ann = meta.get("annotations")
    if isinstance(ann, dict) and LAST_APPLIED in ann:
        ann = {k: v for k, v in ann.items() if k != LAST_APPLIED}
        if ann:
            meta["annotations"] = ann
        else:
            del meta["annotations"]
    out: dict[str, Any] = {"apiVersion": res.api_version, "kind": res.kind, "metadata": meta}
    spec = obj.get("spec")
    if res is SERVICES:
        spec = spec if isinstance(spec, dict) else {}
        kept: dict[str, Any] = {}
        if "type" in spec:
            kept["type"] = spec["type"]
        if "externalName" in spec:
            kept["externalName"] = spec["externalName"]
        ports = spec.get("ports")
        if isinstance(ports, list):
            kept["ports"] = [{k: p[k] for k in ("name", "port", "protocol", "appProtocol", "targetPort") if k in p}
                             for p in ports if isinstance(p, dict)]
        out["spec"] = kept
        return out
    if res is CONFIG_MAPS:
        if "data" in obj:
            out["data"] = obj["data"]
        return out
    if spec is not None:
        out["spec"] = spec
    if res is GATEWAY_CLASSES:
        status = obj.get("status")
        if isinstance(status, dict) and "supportedFeatures" in status:
            out["status"] = {"supportedFeatures": status["supportedFeatures"]}
    return out


# --------------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------------


def read_cluster(client: Client, options: ClusterOptions, *, controller_config: str | Sequence[str] | None = None,
                 gateway: str | None = None) -> ClusterRead:
    """Read everything ``export`` converts. Required reads fail with a clear error; optional ones (Gateway API,
    IngressClasses, Secret names) become warnings when forbidden. ``gateway`` (NAMESPACE/NAME, the shared
    Gateway) adds its namespace to those whose Gateways are read."""
    read = ClusterRead(context=client.context, server=client.server)
    ns = None if options.all_namespaces else client.default_namespace
    pseudo = f"cluster:{client.context}"
    objs: list[tuple[Resource, dict[str, Any]]] = []

    ingresses = client.list(INGRESSES, ns, selector=options.selector)
    objs.extend((INGRESSES, o) for o in ingresses)
    objs.extend((SERVICES, o) for o in client.list(SERVICES, ns))
    classes = _optional(read, lambda: client.list(INGRESS_CLASSES, None),
                        "IngressClasses were not read, so classes are resolved by name only "
                        "(use --class-provider CLASS=PROVIDER)")
    objs.extend((INGRESS_CLASSES, o) for o in classes or [])
    for ref in _refs(controller_config):
        cm_ns, sep, cm_name = ref.partition("/")
        if not sep or not cm_ns or not cm_name:
            raise UsageError(f"--controller-config must be [PROVIDER=]NAMESPACE/NAME, not {ref!r}")
        cm = client.get(CONFIG_MAPS, cm_ns, cm_name)
        if cm is None:
            raise ClusterError(f"--controller-config {ref}: no such ConfigMap in the cluster "
                               f"(context {client.context!r})")
        objs.append((CONFIG_MAPS, cm))

    crds = _optional(read, lambda: read_crd_metadata(client),
                     "the Gateway API version was not detected from the installed CRDs")
    if crds is not None:
        _detect_version(crds, read)
    if crds is None or crds:
        gwcs = _optional(read, lambda: _list_if_served(client, GATEWAY_CLASSES, None),
                         "existing GatewayClasses were not read")
        objs.extend((GATEWAY_CLASSES, o) for o in gwcs or [])
        for gw_ns in gateway_namespaces(ns, gateway):
            gws = _optional(read, partial(_list_if_served, client, GATEWAYS, gw_ns), "existing Gateways were not read")
            objs.extend((GATEWAYS, o) for o in gws or [])
    if options.check_secrets:
        names = _optional(read, lambda: client.list(SECRETS, ns, metadata_only=True, label="secret names"),
                          "TLS Secrets were not checked")
        if names is not None:
            _check_secrets(ingresses, names, read)

    for res, obj in objs:
        clean = clean_object(obj, res)
        read.objects.append(RawObject(clean, pseudo))
    read.requests = client.requests
    return read


def gateway_namespaces(namespace: str | None, gateway: str | None) -> list[str | None]:
    """Where to list Gateways: the namespace read (None: all), and the shared Gateway's when it is elsewhere."""
    out: list[str | None] = [namespace]
    gw_ns = (gateway or "").partition("/")[0]
    if namespace is not None and gw_ns and gw_ns != namespace:
        out.append(gw_ns)
    return out


def _optional(read: ClusterRead, fn: Callable[[], Any], consequence: str) -> Any:
    try:
        return fn()
    except AccessDenied as exc:
        read.warnings.append(f"{exc}\nSo {consequence}.")
        return None


def _list_if_served(client: Client, res: Resource, namespace: str | None) -> list[dict[str, Any]]:
    """List a CRD-backed resource; an API that is not served (404) is an empty list."""
    try:
        return client.list(res, namespace)
    except ReadError as exc:
        if exc.status == 404:
            return []
        raise


def read_crd_metadata(client: Client) -> list[dict[str, Any]]:
    """Names, labels and annotations of the installed Gateway API CRDs (metadata only: CRD bodies are large)."""
    items = client.list(CRDS, None, metadata_only=True, label="CRDs")
    return [i for i in items if str((i.get("metadata") or {}).get("name", "")).endswith(GATEWAY_GROUPS)]


def read_crds(client: Client) -> list[dict[str, Any]]:
    """The installed Gateway API CRDs in full (schemas included), for validating against the cluster's own
    CRDs; ``managedFields`` and the last-applied annotation are dropped. Sorted by name."""
    out = []
    for meta in read_crd_metadata(client):
        name = str(meta["metadata"]["name"])
        crd = client.get(CRDS, None, name)
        if crd is not None:
            out.append(clean_object(crd, CRDS))
    return sorted(out, key=lambda c: c["metadata"]["name"])


def crds_from_cluster(options: ClusterOptions | None = None) -> list[dict[str, Any]]:
    """:func:`read_crds` with its own connection (kubeconfig and context from ``options``)."""
    options = options or ClusterOptions()
    client = connect(options)
    try:
        return read_crds(client)
    finally:
        client.close()


def _detect_version(crds: list[dict[str, Any]], read: ClusterRead) -> None:
    versions: dict[str, list[str]] = {}
    channels: dict[str, list[str]] = {}
    for crd in crds:
        meta = crd.get("metadata") or {}
        ann = meta.get("annotations") or {}
        name = str(meta.get("name"))
        if isinstance(ann.get(BUNDLE_VERSION), str):
            versions.setdefault(ann[BUNDLE_VERSION], []).append(name)
        if isinstance(ann.get(BUNDLE_CHANNEL), str):
            channels.setdefault(ann[BUNDLE_CHANNEL], []).append(name)
    if not crds:
        read.warnings.append("no Gateway API CRDs are installed in this cluster; install them before applying "
                             "the output (kubectl apply --server-side -f the release's standard-install.yaml)")
        return
    if not versions:
        read.warnings.append("the installed Gateway API CRDs carry no gateway.networking.k8s.io/bundle-version "
                             "annotation; the version was not detected")
        return
    # The bundle of the Gateway CRD decides; otherwise the one most CRDs carry.
    key = "gateways.gateway.networking.k8s.io"
    read.gateway_api_version = next((v for v, names in versions.items() if key in names),
                                    max(versions, key=lambda v: (len(versions[v]), v)))
    if channels:
        read.gateway_api_channel = next((c for c, names in channels.items() if key in names),
                                        "experimental" if "experimental" in channels else sorted(channels)[0])
    if len(versions) > 1:
        found = ", ".join(f"{v} ({len(n)} CRDs)" for v, n in sorted(versions.items()))
        read.warnings.append(f"the installed Gateway API CRDs come from several bundles: {found}; "
                             f"using {read.gateway_api_version}")


def _check_secrets(ingresses: list[dict[str, Any]], secret_list: list[dict[str, Any]], read: ClusterRead) -> None:
    existing = {(str((s.get("metadata") or {}).get("namespace")), str((s.get("metadata") or {}).get("name")))
                for s in secret_list}
    for ing in ingresses:
        meta = ing.get("metadata") or {}
        ns, name = str(meta.get("namespace")), str(meta.get("name"))
        tls = (ing.get("spec") or {}).get("tls") or []
        for i, t in enumerate(tls if isinstance(tls, list) else []):
            secret = t.get("secretName") if isinstance(t, dict) else None
            if isinstance(secret, str) and secret and (ns, secret) not in existing:
                read.warnings.append(f"Ingress {ns}/{name} spec.tls[{i}].secretName: Secret {ns}/{secret} does "
                                     "not exist in the cluster; a listener using it will not be programmed")


# --------------------------------------------------------------------------------------------------
# Access check
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AccessCheck:
    verb: str
    resource: Resource
    namespace: str | None
    name: str | None
    required: bool
    allowed: bool

    def describe(self) -> str:
        where = (f"namespace {self.namespace}" if self.namespace else "all namespaces") if self.resource.namespaced \
            else "cluster"
        what = self.resource.qualified + (f"/{self.name}" if self.name else "")
        return f"{self.verb} {what} ({where})"


def _refs(controller_config: str | Sequence[str] | None) -> list[str]:
    """The controller ConfigMaps to read (NAMESPACE/NAME): one, several or none."""
    if not controller_config:
        return []
    return [controller_config] if isinstance(controller_config, str) else list(controller_config)


def planned_reads(client: Client, options: ClusterOptions, controller_config: str | Sequence[str] | None,
                  gateway: str | None = None) -> list[tuple[str, Resource, str | None, str | None, bool]]:
    """(verb, resource, namespace, name, required) for every read ``read_cluster`` will do."""
    ns = None if options.all_namespaces else client.default_namespace
    plan: list[tuple[str, Resource, str | None, str | None, bool]] = [
        ("list", INGRESSES, ns, None, True), ("list", SERVICES, ns, None, True),
        ("list", INGRESS_CLASSES, None, None, False),
    ]
    for ref in _refs(controller_config):
        cm_ns, _, cm_name = ref.partition("/")
        plan.append(("get", CONFIG_MAPS, cm_ns, cm_name, True))
    plan += [("list", CRDS, None, None, False), ("list", GATEWAY_CLASSES, None, None, False)]
    plan += [("list", GATEWAYS, gw_ns, None, False) for gw_ns in gateway_namespaces(ns, gateway)]
    if options.check_secrets:
        plan.append(("list", SECRETS, ns, None, False))
    return plan


def check_access(client: Client, options: ClusterOptions, controller_config: str | Sequence[str] | None = None,
                 gateway: str | None = None) -> list[AccessCheck]:
    """One SelfSubjectAccessReview per planned read; nothing is read and nothing in the cluster changes."""
    return [AccessCheck(verb, res, ns, name, required, client.access_review(verb, res, ns, name))
            for verb, res, ns, name, required in planned_reads(client, options, controller_config, gateway)]


def access_report(checks: list[AccessCheck]) -> str:
    lines = [f"  {'allowed' if c.allowed else 'DENIED '}  {c.describe()}{'' if c.required else '  (optional)'}"
             for c in checks]
    missing = [c for c in checks if not c.allowed]
    if missing:
        lines.append("Missing RBAC rules (deploy/rbac.yaml has them all):")
        lines.extend(rbac_rule(c.verb, c.resource, c.name).rstrip("\n") for c in missing)
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------------
# Snapshot
# --------------------------------------------------------------------------------------------------


def check_snapshot_dir(directory: str) -> None:
    """Refuse a snapshot directory that holds files: ``convert -f DIR`` would read them too."""
    import os

    if os.path.isdir(directory) and any(not n.startswith(".") for n in os.listdir(directory)):
        raise UsageError(f"--snapshot {directory}: the directory is not empty (a snapshot must not mix with "
                         "other files, which convert -f would read too)")
    if os.path.exists(directory) and not os.path.isdir(directory):
        raise UsageError(f"--snapshot {directory}: not a directory")


def write_snapshot(read: ClusterRead, directory: str, reproduce: str) -> list[str]:
    """Write the objects read as clean YAML, one file per namespace (``_cluster.yaml`` for cluster-scoped
    objects), plus README.txt with the command that reproduces the conversion offline."""
    import os

    from ing2gw.output import write_dir

    check_snapshot_dir(directory)
    written = write_dir([r.data for r in read.objects], directory, split="namespace", fmt="yaml")
    readme = os.path.join(directory, "README.txt")
    with open(readme, "w", encoding="utf-8") as fh:
        fh.write(f"Objects read by ing2gw export from context {read.context} ({read.server}).\n"
                 "No Secret, no managedFields, no status except GatewayClass supportedFeatures.\n"
                 f"Reproduce the conversion offline with:\n\n    {reproduce}\n")
    return [*written, readme]


# --------------------------------------------------------------------------------------------------
# Export: read, then convert exactly like files
# --------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class ExportResult:
    """The conversion of what was read, and the read itself (warnings, detected Gateway API, objects)."""

    conversion: Any  # ing2gw.api.ConversionResult
    read: ClusterRead
    info: list[str] = field(default_factory=list)


def export(cluster: ClusterOptions, options: Any, *, version_from_cluster: bool = True,
           channel_from_cluster: bool = True) -> ExportResult:
    """Read the cluster and convert what was read with ``options`` (a ``ConvertOptions``). With
    ``version_from_cluster``/``channel_from_cluster`` the target follows the installed Gateway API CRDs."""
    from ing2gw.api import controller_config_refs, convert_objects
    from ing2gw.core.versions import parse_version

    client = connect(cluster)
    try:
        read = read_cluster(client, cluster, controller_config=controller_config_refs(options), gateway=options.gateway)
    finally:
        client.close()
    info: list[str] = []
    if read.gateway_api_version:
        try:
            installed: str | None = parse_version(read.gateway_api_version)
        except ValueError:
            installed = None
        if installed is None:
            read.warnings.append(f"the cluster has Gateway API {read.gateway_api_version}, which ing2gw cannot "
                                 f"target; converting for {options.gateway_api_version} (upgrade the CRDs first)")
        elif version_from_cluster:
            options.gateway_api_version = installed
            info.append(f"targeting Gateway API {installed}, the version of the cluster's CRDs "
                        f"({read.gateway_api_version}); override with --gateway-api-version")
        elif _minor(options.gateway_api_version) > _minor(installed):
            read.warnings.append(f"converting for Gateway API {options.gateway_api_version}, but the cluster has "
                                 f"{read.gateway_api_version}: objects or fields newer than that will not apply "
                                 "until the CRDs are upgraded")
    channel = read.gateway_api_channel
    if channel in ("standard", "experimental"):
        if channel_from_cluster:
            options.channel = channel
            info.append(f"targeting the {channel} channel, as installed; override with --channel")
        elif options.channel == "experimental" and channel == "standard":
            read.warnings.append("converting for the experimental channel, but the cluster has the standard "
                                 "channel's CRDs: experimental kinds and fields will not apply")
    result = convert_objects(read.objects, options)
    read.warnings.extend(clashes(result.objects, read.objects, options.gateway))
    return ExportResult(result, read, info)


def _minor(version: str) -> int:
    return int(version.lstrip("v").split(".")[1])


def clashes(emitted: list[dict[str, Any]], existing: list[RawObject], shared: str | None) -> list[str]:
    """Warnings for emitted Gateways and GatewayClasses whose name is taken in the cluster by one ing2gw did
    not generate (applying the output would replace it). The shared ``--gateway`` is attached to, not a clash."""
    taken: dict[tuple[str, str, str], dict[str, Any]] = {}
    for raw in existing:
        kind = raw.data.get("kind")
        if kind in ("Gateway", "GatewayClass"):
            meta = raw.data.get("metadata") or {}
            taken[(str(kind), str(meta.get("namespace") or ""), str(meta.get("name")))] = raw.data
    out = []
    for obj in emitted:
        meta = obj.get("metadata") or {}
        key = (str(obj.get("kind")), str(meta.get("namespace") or ""), str(meta.get("name")))
        have = taken.get(key)
        if have is None or (key[0] == "Gateway" and shared == f"{key[1]}/{key[2]}"):
            continue
        if "ing2gw.io/generated-by" in ((have.get("metadata") or {}).get("annotations") or {}):
            continue  # generated by an earlier run: replacing it is the point
        where = f"{key[1]}/{key[2]}" if key[1] else key[2]
        out.append(f"the output's {key[0]} {where} already exists in the cluster and was not generated by "
                   "ing2gw; applying the output would replace it (rename with --gateway-class, or attach to it "
                   "with --gateway NAMESPACE/NAME)")
    return out
