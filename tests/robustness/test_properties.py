"""Property tests: random Ingress sets, valid and mutated, within the API server's validation rules.

For every generated set: ``convert`` never raises; the output validates (schema and CEL); it is the same on a second run and whatever
the order of the input; every input annotation has exactly one stated outcome; every generated name is a
valid Kubernetes name. For valid sets (no mutation), ``verify`` finds no difference that the conversion
did not report: every probe is the same on both sides, or tied to a notification. Profiles
(``HYPOTHESIS_PROFILE``): ``ci`` (default, 2,000 examples; 150 for the slower verify property) and ``long``
(50,000 examples, 5,000 for verify; ``HYPOTHESIS_PROFILE=long pytest tests/robustness/test_properties.py``).
Seeds of failures are kept below with ``@example``.
"""

from __future__ import annotations

import copy
import json
import os
import re
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from ing2gw_providers.ingress_nginx import REGISTRY

from ing2gw.api import ConvertOptions, convert_objects

# CI runs a fixed (derandomized) set of examples, so that a green main stays green; the long run explores anew.
settings.register_profile("ci", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow],
                          derandomize=True)
settings.register_profile("long", max_examples=50_000, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=100, deadline=None)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
settings.load_profile(PROFILE)
# verify simulates both sides for every probe: a few times slower per example than convert alone
VERIFY_EXAMPLES = {"ci": 150, "long": 5000, "dev": 30}.get(PROFILE, 150)

SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")

label = st.sampled_from(["a", "web", "api", "shop-2", "x1", "a-very-long-label-name-of-forty-characters"])
hosts = st.one_of(st.builds(lambda a, b: f"{a}.{b}.com", label, label),
                  st.builds(lambda a: f"*.{a}.example.com", label))
paths = st.sampled_from(["/", "/a", "/a/", "/a/b", "/A/b.c", "/api/v1", "/a~b-c_d", "/x(/|$)(.*)", "/.well-known",
                         "/a b", "/a%2Fb", "/é", "/a?b", "/a#b", "/api", "/api/"])
ANNOTATION_KEYS = sorted(REGISTRY.keys())[:60] + [
    "nginx.ingress.kubernetes.io/not-a-real-one", "kubernetes.io/ingress.class", "cert-manager.io/cluster-issuer",
    "traefik.ingress.kubernetes.io/router.middlewares", "example.com/owner",
    "kubectl.kubernetes.io/last-applied-configuration"]
annotation_values = st.one_of(st.sampled_from(["true", "false", "0", "10", "1m", "/", "/$2", "abc", "",
                                               "GET, POST", "10.0.0.0/8", "cookie", "nginx"]),
                              st.text(max_size=12))


@st.composite
def path_entries(draw: Any) -> dict[str, Any]:
    port: dict[str, Any] = draw(st.one_of(st.builds(lambda n: {"number": n}, st.integers(1, 65535)),
                                          st.just({"name": "http"})))
    return {"path": draw(paths), "pathType": draw(st.sampled_from(["Prefix", "Exact", "ImplementationSpecific"])),
            "backend": {"service": {"name": draw(label), "port": port}}}


@st.composite
def ingresses(draw: Any, index: int) -> dict[str, Any]:
    rules = draw(st.lists(st.builds(lambda h, ps: {"host": h, "http": {"paths": ps}},
                                    hosts, st.lists(path_entries(), min_size=1, max_size=4)), max_size=3))
    spec: dict[str, Any] = {"rules": rules}
    if not rules or draw(st.booleans()):
        spec["defaultBackend"] = {"service": {"name": "default", "port": {"number": 80}}}
    if rules and draw(st.booleans()):
        spec["tls"] = [{"hosts": [r["host"] for r in rules], "secretName": "tls"}]
    cls = draw(st.sampled_from([None, "nginx", "other"]))
    if cls:
        spec["ingressClassName"] = cls
    annotations = draw(st.dictionaries(st.sampled_from(ANNOTATION_KEYS), annotation_values, max_size=5))
    if "kubernetes.io/ingress.class" in annotations and cls:
        annotations["kubernetes.io/ingress.class"] = cls
    meta = {"name": f"ing-{index}", "namespace": draw(st.sampled_from(["a", "b"])), "annotations": annotations}
    return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": meta, "spec": spec}


JUNK = st.one_of(st.none(), st.integers(-5, 70000), st.booleans(), st.text(max_size=5),
                 st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))


def _containers(obj: Any, out: list[tuple[Any, Any]]) -> None:
    if isinstance(obj, dict):
        for k, v in obj.items():
            out.append((obj, k))
            _containers(v, out)
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            out.append((obj, i))
            _containers(v, out)


SERVICES = [{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web", "namespace": "a"},
             "spec": {"ports": [{"name": "http", "port": 8080}]}}]


@st.composite
def ingress_sets(draw: Any, mutate: bool = True) -> list[dict[str, Any]]:
    n = draw(st.integers(1, 4))
    objs = [draw(ingresses(i)) for i in range(n)]
    services = copy.deepcopy(SERVICES)
    for _ in range(draw(st.integers(0, 3)) if mutate else 0):  # mutations: any field of any Ingress becomes junk
        target = draw(st.sampled_from(objs))
        spots: list[tuple[Any, Any]] = []
        _containers(target["spec"], spots)
        _containers(target["metadata"].get("annotations", {}), spots)
        if spots:
            parent, key = draw(st.sampled_from(spots))
            parent[key] = draw(JUNK)
    return objs + services


def _names_valid(objects: list[dict[str, Any]]) -> None:
    for o in objects:
        meta = o["metadata"]
        assert len(meta["name"]) <= 253 and SUBDOMAIN.match(meta["name"]), meta["name"]
        if "namespace" in meta:
            assert LABEL.match(meta["namespace"]) and len(meta["namespace"]) <= 63
        # Listener and rule names are SectionNames: DNS-1123 subdomains of at most 253 characters.
        for listener in o.get("spec", {}).get("listeners", []):
            assert SUBDOMAIN.match(listener["name"]) and len(listener["name"]) <= 253, listener["name"]
        for rule in o.get("spec", {}).get("rules", []):
            if "name" in rule:
                assert SUBDOMAIN.match(rule["name"]) and len(rule["name"]) <= 253, rule["name"]


@given(ingress_sets())
@example([{"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "x", "namespace": "a",
           "annotations": {"nginx.ingress.kubernetes.io/canary-weight": "abc"}}, "spec": {"rules": []}}])
@example([{"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "ing-0", "namespace": "a"},
           "spec": {"rules": [{"host": "*.a-very-long-label-name-of-forty-characters.example.com", "http": {"paths": [
               {"path": "/", "pathType": "Prefix", "backend": {"service": {"name": "a", "port": {"number": 1}}}}]}}]}}])
@example([{"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "ing-0", "namespace": "a",
           "annotations": {"nginx.ingress.kubernetes.io/custom-http-errors": "\u00b2"}},  # "²".isdigit() is true
           "spec": {"ingressClassName": "nginx", "defaultBackend": {"service": {"name": "d", "port": {"number": 80}}}}}])
def test_convert_never_raises_is_deterministic_and_states_every_annotation(objs: list[dict[str, Any]]) -> None:
    before = copy.deepcopy(objs)
    result = convert_objects(objs, ConvertOptions(validate=True))
    assert objs == before, "convert must not modify its input"
    # The output was checked against the Gateway API CRDs (schema and CEL): convert refuses invalid output.
    assert result.validation is not None and result.validation.ok
    out = json.dumps(result.objects)  # key order included: what the YAML writer prints
    assert json.dumps(convert_objects(copy.deepcopy(objs), ConvertOptions()).objects) == out
    assert json.dumps(convert_objects(list(reversed(copy.deepcopy(objs))), ConvertOptions()).objects) == out
    _names_valid(result.objects)
    converted = {(i.namespace, i.name) for i in result.ingresses}
    for obj in objs:
        meta = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
        ref = (meta.get("namespace"), meta.get("name"))
        annotations = meta.get("annotations")
        if obj["kind"] != "Ingress" or ref not in converted or not isinstance(annotations, dict):
            continue
        for key in annotations:
            if not isinstance(key, str):
                continue
            n = sum(1 for note in result.notifications
                    if (note.source.namespace, note.source.name) == ref and note.source.kind == "Ingress"
                    and (note.source.annotation == key or note.subject in (key, f"metadata.annotations[{key}]")))
            assert n == 1, f"annotation {key!r} of {ref} has {n} outcomes"


# --- verify: no unreported difference ------------------------------------------------------------------------


def _ing(name: str, ns: str, rules: list[dict[str, Any]] | None = None, *, db: str | None = None,
         cls: str | None = None, tls: list[str] | None = None, ann: dict[str, str] | None = None) -> dict[str, Any]:
    """A compact Ingress for the regression examples; ``db`` is the defaultBackend's Service."""
    spec: dict[str, Any] = {"rules": rules or []}
    if db:
        spec["defaultBackend"] = {"service": {"name": db, "port": {"number": 80}}}
    if tls:
        spec["tls"] = [{"hosts": tls, "secretName": "tls"}]
    if cls:
        spec["ingressClassName"] = cls
    return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
            "metadata": {"name": name, "namespace": ns, "annotations": ann or {}}, "spec": spec}


def _rule(host: str, *paths: tuple[str, str, str]) -> dict[str, Any]:
    """A rule; each path is (path, pathType, port) with port a number or a port name, Service ``a``."""
    return {"host": host, "http": {"paths": [
        {"path": p, "pathType": t, "backend": {"service": {"name": "web" if port == "http" else "a", "port":
                                                            {"name": port} if not port.isdigit() else
                                                            {"number": int(port)}}}}
        for p, t, port in paths]}}


SKIPPED = ("/", "Prefix", "missing")  # a named port no Service in the input has: the path is skipped
WILD = "*.a.example.com"


@settings(max_examples=VERIFY_EXAMPLES)
@given(ingress_sets(mutate=False))
# Two namespaces, one class, each with a defaultBackend only: one entry point (the oldest wins) became two Gateways.
@example([_ing("ing-0", "a", db="default"), _ing("ing-1", "b", db="default"), *SERVICES])
# Catch-alls of two classes in two namespaces are two controllers, not one: no split to state.
@example([_ing("ing-0", "a", db="default"), _ing("ing-1", "b", db="default", cls="nginx"), *SERVICES])
# Every path skipped: no Gateway at all answers where the controller answered 404.
@example([_ing("ing-0", "a", [_rule(WILD, SKIPPED)]), *SERVICES])
# The specification's catch-all also answers unmatched paths of hosts other Ingresses name.
@example([_ing("ing-0", "a", db="default"), _ing("ing-1", "a", [_rule(WILD, ("/", "Exact", "1"))]), *SERVICES])
# ... also in another namespace, which a per-namespace Gateway cannot do: stated on the defaultBackend.
@example([_ing("ing-0", "b", db="default"), _ing("ing-1", "a", [_rule(WILD, ("/", "Exact", "1"))]), *SERVICES])
# A defaultBackend with rules whose paths were all skipped still serves only those hosts, not every host.
@example([_ing("ing-0", "a", [_rule(WILD, SKIPPED)], db="default"), *SERVICES])
# ... and with TLS, ingress-nginx redirected it to HTTPS: stated on the defaultBackend.
@example([_ing("ing-0", "a", [_rule(WILD, ("/", "Exact", "missing"))], db="default", cls="nginx", tls=[WILD]),
          *SERVICES])
# ingress-nginx redirects the defaultBackend of a TLS host to HTTPS like the host's paths.
@example([_ing("ing-0", "a", [_rule("a.web.com", ("/x", "Exact", "80"))], db="default", cls="nginx",
               tls=["a.web.com"]), *SERVICES])
# ingress-nginx: a skipped path's HTTPS redirect answer names that path.
@example([_ing("ing-0", "a", [_rule(WILD, SKIPPED)], cls="nginx", tls=[WILD]), *SERVICES])
# ingress-nginx: a host whose paths were skipped still has a server answering 404, not the catch-all.
@example([_ing("ing-0", "a", db="default", cls="nginx"), _ing("ing-1", "a", [_rule(WILD, ("/", "Exact", "missing"))],
                                                              cls="nginx"), *SERVICES])
# ingress-nginx: app-root on an Ingress whose paths were skipped stays on its hosts.
@example([_ing("ing-0", "a", [_rule(WILD, SKIPPED)], cls="nginx", ann={"nginx.ingress.kubernetes.io/app-root": "/"}),
          *SERVICES])
# The specification's catch-all on HTTPS, for a host with TLS whose only path was skipped.
@example([_ing("ing-0", "a", db="default"), _ing("ing-1", "a", [_rule(WILD, ("/", "Exact", "missing"))], tls=[WILD]),
          *SERVICES])
# One host in two namespaces, the certificate in one of them (specification and ingress-nginx).
@example([_ing("ing-0", "b", [_rule("web.example.com", ("/", "Exact", "1"))]),
          _ing("ing-1", "a", [_rule("web.example.com", ("/", "Prefix", "missing"))], tls=["web.example.com"]), *SERVICES])
@example([_ing("ing-0", "b", [_rule("a.a.com", SKIPPED)], cls="nginx", tls=["a.a.com"]),
          _ing("ing-1", "a", [_rule("a.a.com", ("/", "Prefix", "1"))], cls="nginx"), *SERVICES])
# Prefix /a/ beat Exact /a for /a by the specification's precedence; Gateway API prefers the Exact.
@example([_ing("ing-0", "a", [_rule(WILD, ("/a/", "Prefix", "http"), ("/a", "Exact", "1"))]), *SERVICES])
# app-root on an Ingress with only a defaultBackend: the controller sets it on rule servers only.
@example([_ing("ing-0", "a", db="default", cls="nginx", ann={"nginx.ingress.kubernetes.io/app-root": "/"}),
          *SERVICES])
# app-root's redirect rule (Exact /) loses to the Ingress's own Exact / path in Gateway API: stated on the path.
@example([_ing("ing-0", "a", [_rule(WILD, ("/", "Exact", "1"))], cls="nginx",
               ann={"nginx.ingress.kubernetes.io/app-root": "/"}), *SERVICES])
# Prefix /api and /api/ of one Ingress are one PathPrefix: the specification gives the requests to the longer.
@example([_ing("ing-0", "a", [_rule(WILD, ("/api", "Prefix", "http"), ("/api/", "Prefix", "1"))]), *SERVICES])
# ingress-nginx: the same Prefix /api/ twice (the second skipped): /api's answer is tied to the first one's reading.
@example([_ing("ing-0", "a", [_rule(WILD, ("/api/", "Prefix", "1"), ("/", "Prefix", "http"), ("/api/", "Prefix",
                                                                                            "missing"))],
               cls="nginx"), *SERVICES])
# HTTPS probes exist because of a TLS entry: a statement on that entry (its certificate is on no listener) explains.
@example([_ing("ing-0", "a", db="default", cls="nginx"),
          _ing("ing-1", "a", [_rule(WILD, SKIPPED)], cls="nginx", tls=[WILD],
               ann={"nginx.ingress.kubernetes.io/canary": "true"}), *SERVICES])
def test_verify_finds_no_unreported_difference(objs: list[dict[str, Any]]) -> None:
    from ing2gw.api import verify_result

    result = convert_objects(copy.deepcopy(objs), ConvertOptions())
    report = verify_result(result)
    unexplained = [(r.probe.label(), r.ingress.show(), r.ingress.via, r.gateway.show(), r.gateway.via)
                   for r in report.differing]
    assert not unexplained, unexplained
