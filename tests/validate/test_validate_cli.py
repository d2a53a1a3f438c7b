"""``ing2gw validate`` on example manifests, invalid ones, broken input and convert output; ``convert``
validating its own output; conformance features and GatewayClass supportedFeatures."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from validate_support import GATEWAY_API, VALIDATE_DATA, needs_crds

from ing2gw.api import ConvertOptions
from ing2gw.cli import main
from ing2gw.errors import InternalError
from ing2gw.validate import crds as crd_sources
from ing2gw.validate.convert import check_output
from ing2gw.validate.features import feature_gaps, required_features

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = VALIDATE_DATA / "examples"


def run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(main, list(args), input=stdin, catch_exceptions=False)


@needs_crds
def test_examples_are_valid() -> None:
    r = run("validate", "-f", str(EXAMPLES))
    assert r.exit_code == 0, r.output
    assert "7 object(s) checked against Gateway API v1.5.1 standard: 0 problem(s)" in r.stderr


@needs_crds
def test_examples_need_v13_for_mirror_percent() -> None:
    r = run("validate", "-f", str(EXAMPLES / "http-routing.yaml"), "--gateway-api-version", "v1.2")
    assert r.exit_code == 1
    assert r.stdout.splitlines() == [  # file:line of the field itself
        f"{EXAMPLES / 'http-routing.yaml'}:93: HTTPRoute store/store: spec.rules[1].filters[1].requestMirror.percent: "
        "invalid: unknown field (the API server would drop it)"]


@needs_crds
def test_invalid_corpus_exits_1_and_names_object_path_and_rule() -> None:
    r = run("validate", "-f", str(VALIDATE_DATA / "invalid"), "-o", "json")
    assert r.exit_code == 1
    data = json.loads(r.stdout)
    assert data["exit_code"] == 1
    f = next(f for f in data["findings"] if f["object"] == "HTTPRoute invalid/redirect-with-backends")
    assert f == {"object": "HTTPRoute invalid/redirect-with-backends", "path": "spec.rules[0]", "kind": "rule",
                 "message": "RequestRedirect filter must not be used together with backendRefs",
                 "rule": f["rule"], "location": f"{VALIDATE_DATA / 'invalid' / 'objects.yaml'}:52"}
    assert "backendRefs" in f["rule"]


@needs_crds
def test_broken_input_exits_2() -> None:
    r = run("validate", "-f", str(VALIDATE_DATA / "broken"))
    assert r.exit_code == 2
    assert "broken.yaml:4" in r.stderr and "YAML syntax error" in r.stderr


@needs_crds
def test_stdin_and_explicit_crds_file(tmp_path: Path) -> None:
    bundle = tmp_path / "standard-install.yaml"  # one multi-document file, as upstream ships it
    bundle.write_text("".join("---\n" + p.read_text() for p in sorted((GATEWAY_API / "v1.4.1/standard").glob("*.yaml"))))
    text = (EXAMPLES / "tls-and-grants.yaml").read_text()
    r = run("validate", "-f", "-", "--crds", str(bundle), stdin=text)
    assert r.exit_code == 0, r.output
    assert "Gateway API v1.4.1 standard" in r.stderr
    r = run("validate", "-f", "-", "--gateway-api-version", "v1.3", stdin=text)  # no BackendTLSPolicy in v1.3
    assert r.exit_code == 1
    assert "kind BackendTLSPolicy does not exist in group gateway.networking.k8s.io" in r.stdout


@needs_crds
def test_validates_convert_output() -> None:
    conv = run("convert", "-q", "-f", str(ROOT / "testdata" / "examples" / "shop"))
    assert conv.exit_code == 0
    r = run("validate", "-f", "-", stdin=conv.stdout)
    assert r.exit_code == 0, r.output
    assert "0 problem(s)" in r.stderr


@needs_crds
def test_convert_fails_loudly_on_invalid_output(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stands for an emitter bug: a redirect beside backendRefs (what ingress2gateway has emitted)."""
    from ing2gw.emitters import standard

    real = standard._Emitter.http_route

    def buggy(self, r):  # type: ignore[no-untyped-def]
        route = real(self, r)
        route["spec"]["rules"][0]["filters"] = [{"type": "RequestRedirect", "requestRedirect": {"scheme": "https"}}]
        return route

    monkeypatch.setattr(standard._Emitter, "http_route", buggy)
    shop = str(ROOT / "testdata" / "examples" / "shop")
    # -q: objects emitted, checked and written one by one; without: all emitted first (for the verify line)
    for quiet in (("-q",), ()):
        r = run("convert", *quiet, "-f", shop)
        assert r.exit_code == 3
        assert r.stdout == ""  # nothing invalid is printed
        assert "that the API server would refuse" in r.stderr and "This is a bug" in r.stderr
        assert "spec.rules[0]: invalid: RequestRedirect filter must not be used together with backendRefs" in r.stderr
    ok = run("convert", "-q", "-f", shop, "--no-validate")
    assert ok.exit_code == 0 and "RequestRedirect" in ok.stdout


@needs_crds
def test_convert_with_crds_of_another_version_is_a_usage_error() -> None:
    r = run("convert", "-q", "-f", str(ROOT / "testdata" / "examples" / "shop"),
            "--crds", str(GATEWAY_API / "v1.2.1" / "standard"))
    assert r.exit_code == 2
    assert "are Gateway API v1.2.1 standard, but the target is v1.5 standard: pass --gateway-api-version v1.2" \
        in r.stderr
    r = run("convert", "-q", "-f", str(ROOT / "testdata" / "examples" / "shop"), "--gateway-api-version", "v1.2",
            "--crds", str(GATEWAY_API / "v1.2.1" / "standard"))
    assert r.exit_code == 0, r.stderr


@needs_crds
def test_convert_reports_features_a_gateway_class_lacks() -> None:
    from ing2gw.api import convert_objects

    gc = {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "GatewayClass", "metadata": {"name": "nginx"},
          "spec": {"controllerName": "example.com/gw"},
          "status": {"supportedFeatures": [{"name": "Gateway"}, {"name": "HTTPRoute"}]}}
    ing = {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "web", "namespace": "a"},
           "spec": {"ingressClassName": "nginx", "rules": [{"host": "a.example.com", "http": {"paths": [
               {"path": "/", "pathType": "Prefix", "backend": {"service": {"name": "s", "port": {"number": 80}}}}]}}]}}
    result = convert_objects([gc, ing], ConvertOptions(gateway_api_version="v1.5"))
    gaps = [n for n in result.notifications if n.subject == "status.supportedFeatures"]
    assert [(n.outcome.value, n.source.kind, n.source.name, n.features) for n in gaps] == [
        ("unsupported", "GatewayClass", "nginx", ("HTTPRouteNamedRouteRule",))]
    gc["status"]["supportedFeatures"].append({"name": "HTTPRouteNamedRouteRule"})
    result = convert_objects([gc, ing], ConvertOptions(gateway_api_version="v1.5"))
    assert not [n for n in result.notifications if n.subject == "status.supportedFeatures"]


@needs_crds
def test_check_output_names_object_and_rule() -> None:
    bad = yaml.safe_load("""
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {name: web, namespace: shop}
spec:
  rules:
  - filters: [{type: RequestRedirect, requestRedirect: {scheme: https}}]
    backendRefs: [{name: web, port: 80}]
""")
    with pytest.raises(InternalError) as exc:
        check_output([bad], ConvertOptions())
    assert "HTTPRoute shop/web: spec.rules[0]: invalid: RequestRedirect filter must not be used together with " \
           "backendRefs" in str(exc.value)


def test_validate_required_without_crds(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(crd_sources, "shared_dirs", lambda: [tmp_path / "none"])
    monkeypatch.setenv("ING2GW_CACHE_DIR", str(tmp_path))
    r = run("convert", "-q", "-f", str(ROOT / "testdata" / "examples" / "shop"), "--validate")
    assert r.exit_code == 2 and "no CRDs found" in r.stderr
    r = run("convert", "-q", "-f", str(ROOT / "testdata" / "examples" / "shop"))  # auto: no CRDs, no check
    assert r.exit_code == 0


@needs_crds
def test_user_cache_dir_is_used(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    cached = tmp_path / "crds" / "v1.5.1" / "standard"
    shutil.copytree(GATEWAY_API / "v1.5.1" / "standard", cached)
    monkeypatch.setenv("ING2GW_CACHE_DIR", str(tmp_path))
    assert crd_sources.gateway_api_dir("v1.5", "standard") == cached
    assert crd_sources.gateway_api_dir("v1.4", "standard") != cached  # others still come from shared/


def test_required_features() -> None:
    route = yaml.safe_load((EXAMPLES / "http-routing.yaml").read_text().split("---")[3])
    assert required_features(route) == [
        "HTTPRoute", "HTTPRouteBackendTimeout", "HTTPRouteMethodMatching", "HTTPRoutePathRewrite",
        "HTTPRouteQueryParamMatching", "HTTPRouteRequestMirror", "HTTPRouteRequestPercentageMirror",
        "HTTPRouteRequestTimeout"]
    redirect = {"kind": "HTTPRoute", "spec": {"parentRefs": [{"name": "gw", "port": 80}], "rules": [{"filters": [
        {"type": "RequestRedirect", "requestRedirect": {"statusCode": 308, "port": 443}},
        {"type": "CORS", "cors": {}}]}]}}
    assert required_features(redirect) == ["HTTPRoute", "HTTPRoute308RedirectStatusCode", "HTTPRouteCORS",
                                            "HTTPRouteParentRefPort", "HTTPRoutePortRedirect"]
    gw = {"kind": "Gateway", "spec": {"listeners": [
        {"name": "a", "port": 8080, "protocol": "HTTP"},
        {"name": "b", "port": 8080, "protocol": "HTTP", "hostname": "a.example.com"}]}}
    assert required_features(gw) == ["Gateway", "GatewayHTTPListenerIsolation", "GatewayPort8080"]


def test_feature_gaps_object_by_object() -> None:
    objs = list(yaml.safe_load_all((VALIDATE_DATA / "features" / "supported.yaml").read_text()))
    gaps = feature_gaps(objs)
    assert [str(g) for g in gaps] == [
        "HTTPRoute apps/rewrite: GatewayClass limited does not list supported feature(s) "
        "HTTPRouteNamedRouteRule, HTTPRoutePathRewrite, HTTPRouteRequestTimeout"]
    # Without status.supportedFeatures nothing can be compared, and nothing is claimed.
    del objs[0]["status"]
    assert feature_gaps(objs) == []


@needs_crds
def test_cli_reports_unsupported_features() -> None:
    r = run("validate", "-f", str(VALIDATE_DATA / "features"))
    assert r.exit_code == 1
    assert r.stdout.startswith("unsupported: HTTPRoute apps/rewrite: GatewayClass limited")


@needs_crds
def test_target_objects_are_checked_against_shared_target_crds() -> None:
    good = yaml.safe_load("""
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: BackendTrafficPolicy
metadata: {name: p, namespace: ns}
spec:
  targetRefs: [{group: gateway.networking.k8s.io, kind: HTTPRoute, name: web}]
""")
    report = check_output([good], ConvertOptions())
    assert report is not None and report.checked == 1 and not report.skipped
    bad = {**good, "spec": {"targetRefs": [{"group": "", "kind": "Service", "name": "web"}]}}
    with pytest.raises(InternalError) as exc:
        check_output([bad], ConvertOptions())
    assert "BackendTrafficPolicy ns/p: spec" in str(exc.value)
