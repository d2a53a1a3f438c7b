"""Differences verify finds and ties to the conversion's statements: one entry point split into per-namespace
Gateways, Prefix ``/foo/`` over Exact ``/foo``, a reused listener that refuses routes of other namespaces.
Without the notifications (nothing excused) each of them is a difference: the statement explains it."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from verify_helpers import ingress

from ing2gw.api import ConvertOptions, convert_objects
from ing2gw.load.raw import RawObject
from ing2gw.verify.model import Probe
from ing2gw.verify.run import VerifyReport, run_verify


def check(text: str, options: ConvertOptions | None = None) -> tuple[VerifyReport, VerifyReport]:
    """(report with the conversion's notifications, report with nothing excused)."""
    docs: list[dict[str, Any]] = [d for d in yaml.safe_load_all(text) if d]
    result = convert_objects([RawObject(d) for d in docs], options or ConvertOptions())
    objects = [*(d for d in docs if d["kind"] == "Gateway"), *result.objects]
    return (run_verify(result.inputs, objects, result.options, result.notifications),
            run_verify(result.inputs, objects, result.options, None))


def linked(report: VerifyReport) -> set[tuple[str, str]]:
    assert not report.differing, [(r.probe.label(), r.ingress.show(), r.gateway.show()) for r in report.differing]
    return {(lk.notification.subject, lk.notification.source.ref) for r in report.not_comparable for lk in r.links
            if lk.notification is not None}


TWO_CATCH_ALLS = ingress("late", namespace="a", paths=None, default_backend="a-default:80", ts="2024-02-01T00:00:00Z") + \
    ingress("early", namespace="b", paths=None, default_backend="b-default:80", ts="2024-01-01T00:00:00Z")


def test_split_catch_all_is_a_difference_tied_to_the_split_statement() -> None:
    explained, bare = check(TWO_CATCH_ALLS)
    assert bare.differing  # two Gateways answer the same request differently: one entry point became two
    assert linked(explained) == {("metadata.namespace", "Ingress a/late"), ("metadata.namespace", "Ingress b/early")}
    # the controller's answer is the oldest defaultBackend
    assert {r.ingress.show().split()[1] for r in explained.not_comparable} == {"b/b-default:80"}


def test_shared_mode_routes_the_catch_all_like_the_controller() -> None:
    explained, bare = check(TWO_CATCH_ALLS, ConvertOptions(gateway_mode="shared", gateway="infra/gw"))
    assert not bare.differing and not explained.not_comparable


def test_shared_host_across_namespaces_is_tied_to_the_split_statement() -> None:
    text = ingress("shop", namespace="a", host="shop.example.com", paths=[("/cart", "Prefix", "cart:80")]) + \
        ingress("shop", namespace="b", host="shop.example.com", paths=[("/pay", "Prefix", "pay:80")])
    explained, bare = check(text)
    assert bare.differing
    assert ("metadata.namespace", "Ingress a/shop") in linked(explained)


def test_prefix_with_slash_over_exact_is_tied_to_the_prefix_path() -> None:
    text = ingress("docs", paths=[("/docs/", "Prefix", "site:80"), ("/docs", "Exact", "index:80")], cls="other")
    explained, bare = check(text)
    assert [r.probe.path for r in bare.differing] == ["/docs"]
    assert ("spec.rules[0].http.paths[0]", "Ingress default/docs") in linked(explained)


GATEWAY = """
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: {name: public, namespace: infra}
spec:
  gatewayClassName: eg
  listeners:
  - {name: web, port: 80, protocol: HTTP, hostname: a.example.com}
"""


def test_reused_listener_refusing_other_namespaces_is_tied_to_its_statement() -> None:
    text = GATEWAY + ingress("app", namespace="team-a", paths=[("/", "Prefix", "app:80")], cls="other")
    explained, bare = check(text, ConvertOptions(gateway_mode="shared", gateway="infra/public"))
    assert bare.differing
    assert {subject for subject, _ in linked(explained)} == {"gateway"}


def test_classes_merged_on_a_shared_gateway_are_differences_tied_to_the_statement() -> None:
    text = (ingress("fallback", namespace="a", paths=None, default_backend="web:80", ts="2024-01-01T00:00:00Z")
            + ingress("internal", host="api.example.com", namespace="b", paths=[("/api", "Prefix", "api:80")],
                      cls="nginx-internal"))
    explained, bare = check(text, ConvertOptions(gateway_mode="shared", gateway="infra/gw"))
    # class nginx-internal's controller answered unknown hosts itself; on the shared Gateway, nginx's catch-all does
    assert bare.differing and all(r.probe.klass == "nginx-internal" for r in bare.differing)
    assert linked(explained) == {("spec.ingressClassName", "Ingress a/fallback")}
    # one Gateway per class (per-namespace mode): nothing to tie
    assert not check(text)[1].differing


@pytest.mark.parametrize(("ann", "backend", "kind", "probe"), [
    ({"backend-protocol": "GRPC"}, "g:9000", "GRPCRoute",
     Probe("http", "api.example.com", "/pkg.Svc/Get", method="POST", grpc=True, klass="nginx-internal",
           headers=(("content-type", "application/grpc"),))),
    ({"ssl-passthrough": "true"}, "tls:443", "TLSRoute", Probe("https", "api.example.com", "/", klass="nginx-internal")),
])
def test_grpc_and_tls_routes_of_another_class_on_a_shared_gateway_are_tied_to_the_statement(
        ann: dict[str, str], backend: str, kind: str, probe: Probe) -> None:
    text = (ingress("other", host="api.example.com", namespace="a", paths=[("/pkg.Svc", "Prefix", backend)], ann=ann)
            + ingress("internal", host="api.example.com", namespace="b", paths=[("/api", "Prefix", "api:80")],
                      cls="nginx-internal"))
    docs: list[dict[str, Any]] = [d for d in yaml.safe_load_all(text) if d]
    opts = ConvertOptions(gateway_mode="shared", gateway="infra/gw", channel="experimental")
    result = convert_objects([RawObject(d) for d in docs], opts)
    assert any(o["kind"] == kind for o in result.objects)
    (explained,) = run_verify(result.inputs, result.objects, result.options, result.notifications,
                              extra_probes=[probe], generated=False).results
    (bare,) = run_verify(result.inputs, result.objects, result.options, None, extra_probes=[probe],
                         generated=False).results
    assert bare.verdict == "differs" and kind in bare.gateway.via  # nginx-internal's own controller: 404
    assert explained.verdict == "not-comparable"
    assert ("spec.ingressClassName", "Ingress a/other") in \
        {(lk.notification.subject, lk.notification.source.ref) for lk in explained.links if lk.notification}


def test_verify_reads_the_controller_configmap_convert_found_by_name() -> None:
    """The input has ingress-nginx's ConfigMap (http-redirect-code 301) under its well-known name: convert
    used it without --controller-config, and so must verify's nginx, or every redirect seems to differ."""
    from pathlib import Path

    from ing2gw.api import verify

    src = str(Path(__file__).resolve().parents[2] / "testdata" / "golden" / "nginx-redirects" / "input")
    found = verify([src], ConvertOptions())[1]
    given = verify([src], ConvertOptions(controller_config="ingress-nginx/ingress-nginx-controller"))[1]
    assert not found.differing and not given.differing
    assert [r.ingress for r in found.results] == [r.ingress for r in given.results]
    assert any(r.ingress.status == 301 for r in found.results)


@pytest.mark.parametrize(("example", "version"), [
    ("examples/shop", "v1.2"),  # HTTPS redirects with 301 where nginx answered 308: stated, so tied
    ("golden/nginx-tls/input", "v1.2"),  # no TLSRoute in v1.2: the passthrough Ingress's plain HTTP is lost, stated
])
def test_what_an_older_target_cannot_carry_is_tied_to_its_statement(example: str, version: str) -> None:
    from pathlib import Path

    from ing2gw.api import verify

    src = str(Path(__file__).resolve().parents[2] / "testdata" / example)
    explained = verify([src], ConvertOptions(gateway_api_version=version))[1]
    assert not explained.differing and explained.not_comparable
