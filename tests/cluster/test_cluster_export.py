"""``ing2gw export`` against the fake API server, through a generated kubeconfig and the real kubernetes client."""

from __future__ import annotations

import json
import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from fakeapi import Context, FakeAPI, Fault, make_objects, write_kubeconfig

from ing2gw.cli import main
from ing2gw.commands.export import parse_duration
from ing2gw.errors import ClusterError
from ing2gw.load.cluster import ClusterOptions, connect, crds_from_cluster, read_cluster, read_crds

CM = "ingress-nginx/ingress-nginx-controller"


def run(args: list[str]) -> tuple[int, str, str]:
    r = CliRunner().invoke(main, args)
    return r.exit_code, r.stdout, r.stderr


def export(kubeconfig: Path, *args: str) -> tuple[int, str, str]:
    return run(["export", "--kubeconfig", str(kubeconfig), "--retry-backoff", "0.01", *args])


def convert_file(objects: list[dict[str, Any]], path: Path, *args: str) -> tuple[int, str, str]:
    path.write_text(yaml.dump_all(objects, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), sort_keys=False))
    return run(["convert", "-f", str(path), *args])


def options(kubeconfig: Path, **kw: Any) -> tuple[ClusterOptions, list[float]]:
    """Library options whose sleeps are recorded instead of slept."""
    sleeps: list[float] = []
    kw.setdefault("backoff", 0.01)
    return ClusterOptions(kubeconfig=str(kubeconfig), sleep=sleeps.append, **kw), sleeps


def read(opts: ClusterOptions, controller_config: str | None = None) -> Any:
    client = connect(opts)
    try:
        return read_cluster(client, opts, controller_config=controller_config)
    finally:
        client.close()


def all_objects(fake: FakeAPI) -> list[dict[str, Any]]:
    return [o for objs in fake.objects.values() for o in objs]


# --------------------------------------------------------------------------------------------------
# Same output as convert
# --------------------------------------------------------------------------------------------------


def test_export_all_namespaces_equals_convert_of_the_same_objects(pki: Any, tmp_path: Path) -> None:
    objs = make_objects(500, 40)
    with FakeAPI(pki=pki, tokens={"t": "alice"}) as api:
        api.add_all(objs)
        kc = write_kubeconfig(tmp_path / "kc", api.url, pki, [Context("big", token="t")])
        code, out, err = export(kc, "-A", "--controller-config", CM, "--chunk-size", "97", "-q")
        assert api.violations == []
        ingress_lists = [r for r in api.gets("ingresses") if r.path == "/apis/networking.k8s.io/v1/ingresses"]
    assert code == 0, err
    assert len(ingress_lists) == 6  # 500 in pages of 97
    assert "targeting" not in err  # -q
    c_code, c_out, _ = convert_file(objs, tmp_path / "in.yaml", "--controller-config", CM, "-q",
                                    "--gateway-api-version", "v1.4")
    assert c_code == code
    assert out.count("kind: HTTPRoute") >= 500
    assert out == c_out


def test_snapshot_round_trips_through_convert(fake: FakeAPI, kubeconfig: Path, tmp_path: Path) -> None:
    snap = tmp_path / "snap"
    code, out, err = export(kubeconfig, "-A", "--controller-config", CM, "--snapshot", str(snap), "-o", "json")
    assert code == 0, err
    readme = (snap / "README.txt").read_text()
    command = readme.strip().splitlines()[-1].strip()
    assert command.startswith("ing2gw convert -f ")
    assert "--gateway-api-version v1.4" in command and f"--controller-config {CM}" in command
    c_code, c_out, _ = run([*shlex.split(command)[1:], "-o", "json"])
    assert (c_code, c_out) == (code, out)

    text = "".join(p.read_text() for p in sorted(snap.glob("*.yaml")))
    for gone in ("managedFields", "resourceVersion", "uid:", "last-applied-configuration", "clusterIP",
                 "loadBalancer", "kind: Secret", "CustomResourceDefinition", "U0VDUkVU"):
        assert gone not in text
    docs = [d for p in sorted(snap.glob("*.yaml")) for d in yaml.safe_load_all(p.read_text())]
    kinds = {d["kind"] for d in docs}
    assert kinds == {"Ingress", "Service", "IngressClass", "ConfigMap", "GatewayClass"}
    svc = next(d for d in docs if d["kind"] == "Service")
    assert set(svc["spec"]) <= {"type", "ports", "externalName"}
    assert all(set(p) <= {"name", "port", "protocol", "appProtocol", "targetPort"} for p in svc["spec"]["ports"])
    assert any(p.get("appProtocol") == "kubernetes.io/h2c" for d in docs if d["kind"] == "Service"
               for p in d["spec"]["ports"])
    gwc = next(d for d in docs if d["kind"] == "GatewayClass")
    assert gwc["status"] == {"supportedFeatures": [{"name": "HTTPRoute"}, {"name": "HTTPRouteHostRewrite"}]}
    ing = next(d for d in docs if d["kind"] == "Ingress")
    assert "status" not in ing and ing["metadata"]["creationTimestamp"]
    assert list(ing) == ["apiVersion", "kind", "metadata", "spec"]


def test_snapshot_refuses_a_directory_with_files(fake: FakeAPI, kubeconfig: Path, tmp_path: Path) -> None:
    (tmp_path / "old.yaml").write_text("kind: Ingress\n")
    code, out, err = export(kubeconfig, "--snapshot", str(tmp_path))
    assert code == 2 and "not empty" in err and "Traceback" not in err
    assert fake.gets() == []


# --------------------------------------------------------------------------------------------------
# Kubeconfig: contexts, users, namespaces
# --------------------------------------------------------------------------------------------------


def test_contexts_token_and_client_certificate_users(fake: FakeAPI, kubeconfig: Path) -> None:
    code, out, err = export(kubeconfig, "--context", "cert", "-A", "-q")
    assert code == 0, err
    assert {r.user for r in fake.requests} == {"carol"}  # the client certificate's CN
    assert not any("Authorization" in r.headers for r in fake.requests)
    fake.requests.clear()
    code, out2, err = export(kubeconfig, "--context", "admin", "-A", "-q")
    assert code == 0 and out2 == out
    assert {r.user for r in fake.requests} == {"alice"}


def test_namespace_comes_from_the_context_then_from_n(fake: FakeAPI, kubeconfig: Path) -> None:
    code, out, err = export(kubeconfig, "--context", "team-01", "-q")
    assert code == 0, err
    paths = {r.path for r in fake.gets("ingresses")}
    assert paths == {"/apis/networking.k8s.io/v1/namespaces/team-01/ingresses"}
    assert "namespace: team-01" in out and "namespace: team-02" not in out
    fake.requests.clear()
    code, out, err = export(kubeconfig, "--context", "team-01", "-n", "team-02", "-q")
    assert {r.path for r in fake.gets("services")} == {"/api/v1/namespaces/team-02/services"}
    fake.requests.clear()
    code, out, err = export(kubeconfig, "-q")  # admin has no namespace: default
    assert code == 0 and out == ""
    assert {r.path for r in fake.gets("ingresses")} == {"/apis/networking.k8s.io/v1/namespaces/default/ingresses"}


def test_label_selector_is_sent_and_applied(fake: FakeAPI, kubeconfig: Path) -> None:
    code, out, err = export(kubeconfig, "-A", "-l", "tier in (api),app", "-o", "json", "-q")
    assert code == 0, err
    assert {r.query.get("labelSelector", [""])[0] for r in fake.gets("ingresses")} == {"tier in (api),app"}
    routes = [o for o in json.loads(out)["items"] if o["kind"] == "HTTPRoute"]
    hosts = {h for r in routes for h in r["spec"]["hostnames"]}
    assert hosts and all(int(h.split(".")[0].split("-")[1]) % 3 == 1 for h in hosts)


def test_unknown_context_and_missing_kubeconfig_are_clear_errors(kubeconfig: Path, tmp_path: Path) -> None:
    code, _, err = export(kubeconfig, "--context", "nope")
    assert code == 2 and "no such context" in err and "admin, cert, stale, team-01" in err
    code, _, err = export(tmp_path / "missing")
    assert code == 2 and "kubeconfig" in err and "Traceback" not in err
    code, _, err = export(kubeconfig, "-n", "a", "-A")
    assert code == 2 and "not both" in err


# --------------------------------------------------------------------------------------------------
# Permissions
# --------------------------------------------------------------------------------------------------


def test_401_names_context_verb_and_resource(fake: FakeAPI, kubeconfig: Path) -> None:
    code, out, err = export(kubeconfig, "--context", "stale", "-A")
    assert code == 2 and out == ""
    assert "401 Unauthorized" in err and "context 'stale'" in err
    assert "list ingresses.networking.k8s.io in all namespaces" in err
    assert len(fake.requests) == 1  # not retried


def test_403_names_verb_resource_namespace_and_the_rule(fake: FakeAPI, kubeconfig: Path) -> None:
    fake.deny("services", "team-01")
    code, out, err = export(kubeconfig, "-n", "team-01")
    assert code == 2 and out == ""
    assert "forbidden: cannot list services in namespace 'team-01'" in err
    assert 'cannot list resource "services"' in err  # the API server's own words
    assert '- apiGroups: [""]\n  resources: ["services"]\n  verbs: ["list"]' in err
    assert "Traceback" not in err


def test_403_on_an_optional_read_is_a_warning(fake: FakeAPI, kubeconfig: Path) -> None:
    fake.deny("gatewayclasses")
    fake.deny("customresourcedefinitions")
    code, out, err = export(kubeconfig, "-A")
    assert code == 0, err
    assert "warning: forbidden: cannot list gatewayclasses.gateway.networking.k8s.io (cluster-scoped)" in err
    assert "So existing GatewayClasses were not read." in err
    assert "the Gateway API version was not detected" in err
    assert "kind: HTTPRoute" in out


def test_403_on_the_controller_configmap(fake: FakeAPI, kubeconfig: Path) -> None:
    fake.deny("configmaps", "ingress-nginx", verb="get")
    code, _, err = export(kubeconfig, "-A", "--controller-config", CM)
    assert code == 2
    assert "cannot get configmaps 'ingress-nginx-controller' in namespace 'ingress-nginx'" in err
    assert 'resourceNames: ["ingress-nginx-controller"]' in err
    fake.denied.clear()
    code, _, err = export(kubeconfig, "-A", "--controller-config", "ingress-nginx/other")
    assert code == 2 and "no such ConfigMap in the cluster" in err


def test_check_access_lists_what_is_missing_and_reads_nothing(fake: FakeAPI, kubeconfig: Path) -> None:
    fake.deny("ingresses")
    fake.deny("gateways")
    code, out, err = export(kubeconfig, "-A", "--check-access", "--controller-config", CM)
    assert code == 2 and out == ""
    assert "DENIED   list ingresses.networking.k8s.io (all namespaces)" in err
    assert "DENIED   list gateways.gateway.networking.k8s.io (all namespaces)  (optional)" in err
    assert "allowed  get configmaps/ingress-nginx-controller (namespace ingress-nginx)" in err
    assert 'resources: ["ingresses"]' in err and 'resources: ["gateways"]' in err
    assert "nothing was read" in err
    assert fake.gets() == []
    reviews = [r for r in fake.requests if r.method == "POST"]
    assert len(reviews) == 7


def test_check_access_all_allowed_then_exports(fake: FakeAPI, kubeconfig: Path) -> None:
    code, out, err = export(kubeconfig, "-A", "--check-access")
    assert code == 0, err
    assert "DENIED" not in err and "allowed  list services (all namespaces)" in err
    assert "kind: HTTPRoute" in out


# --------------------------------------------------------------------------------------------------
# Faults
# --------------------------------------------------------------------------------------------------


def test_410_mid_list_restarts_the_list(fake: FakeAPI, kubeconfig: Path) -> None:
    opts, _ = options(kubeconfig, all_namespaces=True, page_size=5)
    expected = [o.data for o in read(opts).objects]
    fake.requests.clear()
    fake.inject(Fault(status=410, plural="ingresses", on_continue=True))
    got = [o.data for o in read(opts).objects]
    assert got == expected
    lists = fake.gets("ingresses")
    starts = [i for i, r in enumerate(lists) if "continue" not in r.query]
    assert len(starts) == 2  # the first pass, and the clean restart after the 410
    assert len(lists) == 1 + 1 + 5  # first page; its continue fails; the full restart (24 in pages of 5)


def test_410_every_time_gives_up(fake: FakeAPI, kubeconfig: Path) -> None:
    opts, _ = options(kubeconfig, all_namespaces=True, page_size=5)
    fake.inject(Fault(status=410, plural="ingresses", on_continue=True, times=100))
    with pytest.raises(ClusterError, match="410 Expired"):
        read(opts)
    assert len([r for r in fake.gets("ingresses") if "continue" not in r.query]) == 4


def test_429_honours_retry_after(fake: FakeAPI, kubeconfig: Path) -> None:
    opts, sleeps = options(kubeconfig, all_namespaces=True, page_size=10)
    fake.inject(Fault(status=429, plural="ingresses", retry_after="3", times=2))
    got = read(opts)
    assert sum(o.data["kind"] == "Ingress" for o in got.objects) == 24
    assert len(sleeps) == 2 and all(s >= 3 for s in sleeps)


def test_retry_after_is_capped(fake: FakeAPI, kubeconfig: Path) -> None:
    opts, sleeps = options(kubeconfig, all_namespaces=True, max_backoff=2)
    fake.inject(Fault(status=429, retry_after="3600"))
    read(opts)
    assert sleeps == [2]


@pytest.mark.parametrize("fault", [Fault(status=500, times=2), Fault(status=503, times=1),
                                   Fault(drop=True, times=2), Fault(delay=1.0, times=1)],
                         ids=["500", "503", "dropped-connection", "slow"])
def test_transient_faults_are_retried(fault: Fault, fake: FakeAPI, kubeconfig: Path) -> None:
    opts, _ = options(kubeconfig, all_namespaces=True, request_timeout=0.3)
    expected = [o.data for o in read(opts).objects]
    fault.plural = "services"
    fake.inject(fault)
    got = read(opts)
    assert [o.data for o in got.objects] == expected
    assert fault.hits == fault.times


def test_backoff_doubles_and_is_bounded(fake: FakeAPI, kubeconfig: Path) -> None:
    opts, sleeps = options(kubeconfig, all_namespaces=True, retries=3, backoff=1.0)
    fake.inject(Fault(status=500, plural="ingresses", times=100))
    with pytest.raises(ClusterError, match=r"gave up after 4 attempt\(s\); last failure: 500 InternalError"):
        read(opts)
    assert len(fake.gets("ingresses")) == 4
    assert [int(s) for s in sleeps] == [1, 2, 4]


def test_persistent_failure_through_the_cli(fake: FakeAPI, kubeconfig: Path) -> None:
    fake.inject(Fault(drop=True, times=100))
    code, out, err = export(kubeconfig, "-A", "--retries", "2")
    assert code == 2 and out == ""
    assert "gave up after 3 attempt(s)" in err and "Traceback" not in err


def test_nothing_listening(pki: Any, tmp_path: Path) -> None:
    api = FakeAPI(pki=pki).start()
    url = api.url
    api.stop()
    kc = write_kubeconfig(tmp_path / "kc", url, pki, [Context("gone", token="test-token")])
    code, out, err = export(kc, "--retries", "1")
    assert code == 2 and "gave up after 2 attempt(s)" in err and "Connection" in err


def test_wrong_certificate_authority_is_not_retried(fake: FakeAPI, pki: Any, tmp_path: Path) -> None:
    from fakeapi import make_pki

    other = make_pki(tmp_path / "other")
    kc = write_kubeconfig(tmp_path / "kc", fake.url, other, [Context("mitm", token="good-token")])
    code, out, err = run(["--debug", "export", "--kubeconfig", str(kc)])
    assert code == 2 and "TLS error" in err and "certificate verify failed" in err


# --------------------------------------------------------------------------------------------------
# Secrets, Gateway API detection, progress
# --------------------------------------------------------------------------------------------------


def test_secrets_are_never_read_by_default(fake: FakeAPI, kubeconfig: Path) -> None:
    code, _, err = export(kubeconfig, "-A")
    assert code == 0, err
    assert fake.gets("secrets") == []


def test_check_secrets_lists_names_only_and_warns_about_missing_ones(fake: FakeAPI, kubeconfig: Path) -> None:
    fake.objects["secrets"] = [s for s in fake.objects["secrets"] if s["metadata"]["name"] != "app-00004-tls"]
    code, out, err = export(kubeconfig, "-A", "--check-secrets")
    assert code == 0, err
    gets = fake.gets("secrets")
    assert gets and all("as=PartialObjectMetadataList" in r.headers["Accept"] for r in gets)
    assert "Ingress team-01/app-00004 spec.tls[0].secretName: Secret team-01/app-00004-tls does not exist" in err
    assert err.count("does not exist") == 1
    assert "U0VDUkVU" not in out + err


def test_gateway_api_version_and_channel_follow_the_crds(pki: Any, tmp_path: Path) -> None:
    with FakeAPI(pki=pki, tokens={"t": "alice"}) as api:
        api.add_all(make_objects(3, 1, gateway_api="v1.3.0", channel="experimental"))
        kc = write_kubeconfig(tmp_path / "kc", api.url, pki, [Context("x", token="t")])
        code, _, err = export(kc, "-A")
        assert code == 0 and "targeting Gateway API v1.3" in err and "experimental channel" in err
        code, _, err = export(kc, "-A", "--gateway-api-version", "v1.3", "--channel", "standard")
        assert code == 0 and "targeting" not in err and "warning" not in err
        code, _, err = export(kc, "-A", "--gateway-api-version", "v1.5")
        assert code == 0 and "converting for Gateway API v1.5, but the cluster has v1.3.0" in err
        crd_gets = [r for r in api.gets("customresourcedefinitions")]
        assert all("PartialObjectMetadataList" in r.headers["Accept"] for r in crd_gets)
    with FakeAPI(pki=pki, tokens={"t": "alice"}) as api:
        api.add_all(make_objects(3, 1, gateway_api="v1.1.0"))
        kc = write_kubeconfig(tmp_path / "kc", api.url, pki, [Context("x", token="t")])
        code, _, err = export(kc, "-A")
        assert code == 0 and "Gateway API v1.1.0, which ing2gw cannot target" in err
        code, _, err = export(kc, "-A", "--channel", "experimental")
        assert code == 0 and "but the cluster has the standard channel's CRDs" in err
    with FakeAPI(pki=pki, tokens={"t": "alice"}) as api:
        api.add_all(make_objects(3, 1, gateway_api=None))
        kc = write_kubeconfig(tmp_path / "kc", api.url, pki, [Context("x", token="t")])
        code, _, err = export(kc, "-A")
        assert code == 0 and "no Gateway API CRDs are installed" in err
        assert api.gets("gatewayclasses") == []


def test_read_crds_returns_full_gateway_api_crds(fake: FakeAPI, kubeconfig: Path) -> None:
    opts, _ = options(kubeconfig)
    client = connect(opts)
    try:
        crds = read_crds(client)
    finally:
        client.close()
    names = [c["metadata"]["name"] for c in crds]
    assert names == sorted(names) and len(names) == 5 and all(n.endswith(".gateway.networking.k8s.io") for n in names)
    assert crds[0]["spec"]["versions"][0]["schema"] and "managedFields" not in crds[0]["metadata"]
    assert crds[0]["kind"] == "CustomResourceDefinition"


def test_progress_reports_counts_with_totals(fake: FakeAPI, kubeconfig: Path) -> None:
    calls: list[tuple[str, int, int | None]] = []
    opts, _ = options(kubeconfig, all_namespaces=True, page_size=10, progress=lambda *a: calls.append(a))
    read(opts)
    assert [c for c in calls if c[0] == "ingresses"] == [("ingresses", 10, 24), ("ingresses", 20, 24),
                                                         ("ingresses", 24, 24)]


def test_no_progress_when_not_a_terminal(fake: FakeAPI, kubeconfig: Path) -> None:
    code, _, err = export(kubeconfig, "-A")
    assert code == 0 and "\r" not in err and "reading" not in err


@pytest.mark.parametrize(("text", "seconds"), [("30", 30), ("30s", 30), ("1m", 60), ("500ms", 0.5), ("0", None)])
def test_request_timeout_durations(text: str, seconds: float | None) -> None:
    assert parse_duration(text) == seconds


def test_bad_request_timeout() -> None:
    code, _, err = run(["export", "--request-timeout", "soon"])
    assert code == 2 and "--request-timeout" in err


SHARED = next((p for p in (Path(__file__).resolve().parents[3] / "shared", Path("/work/shared")) if p.is_dir()),
              None)


@pytest.mark.skipif(SHARED is None, reason="the official Gateway API CRDs (../shared) are not available")
@pytest.mark.parametrize(("bundle", "channel"), [("v1.4.1", "experimental"), ("v1.2.1", "standard")])
def test_detects_the_official_crd_bundles(bundle: str, channel: str, pki: Any, tmp_path: Path) -> None:
    assert SHARED is not None
    crds = [d for p in sorted((SHARED / "gateway-api" / bundle / channel).glob("*.yaml"))
            for d in yaml.safe_load_all(p.read_text()) if d and d.get("kind") == "CustomResourceDefinition"]
    assert len(crds) >= 5
    with FakeAPI(pki=pki, tokens={"t": "alice"}) as api:
        api.add_all(make_objects(2, 1, gateway_api=None))
        api.add_all(crds)
        kc = write_kubeconfig(tmp_path / "kc", api.url, pki, [Context("x", token="t")])
        opts, _ = options(kc, all_namespaces=True)
        got = read(opts)
        full = crds_from_cluster(opts)
    assert (got.gateway_api_version, got.gateway_api_channel) == (bundle, channel)
    assert got.warnings == []
    assert [c["metadata"]["name"] for c in full] == sorted(c["metadata"]["name"] for c in crds)
    by_name = {c["metadata"]["name"]: c for c in crds}
    assert all(c["spec"] == by_name[c["metadata"]["name"]]["spec"] for c in full)


def test_warns_when_an_emitted_gateway_would_replace_one_in_the_cluster(fake: FakeAPI, kubeconfig: Path) -> None:
    mine = {"apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway",
            "metadata": {"name": "nginx", "namespace": "team-00"},
            "spec": {"gatewayClassName": "example", "listeners": [{"name": "http", "protocol": "HTTP", "port": 80}]}}
    ours = json.loads(json.dumps(mine))
    ours["metadata"].update(namespace="team-01", annotations={"ing2gw.io/generated-by": "ing2gw 0.1.0"})
    fake.add_all([mine, ours])
    code, out, err = export(kubeconfig, "-A")
    assert code == 0, err
    assert "the output's Gateway team-00/nginx already exists in the cluster and was not generated by ing2gw" in err
    assert "team-01/nginx" not in err and "name: nginx\n  namespace: team-00" in out
    code, out, err = export(kubeconfig, "-A", "--gateway", "team-00/nginx")
    assert code == 0 and "was not generated by ing2gw" not in err, err


def test_progress_line_overwrites_itself(capsys: pytest.CaptureFixture[str]) -> None:
    from ing2gw.commands.export import _ProgressLine

    line = _ProgressLine()
    line.clear()  # nothing shown yet: nothing written
    line("ingresses", 500, 10000)
    line("services", 20, None)
    line.clear()
    assert capsys.readouterr().err == ("\r\x1b[Kreading ingresses: 500/10000 \r\x1b[Kreading services: 20 "
                                       "\r\x1b[K")


def test_a_bad_label_selector_is_reported_not_retried(fake: FakeAPI, kubeconfig: Path) -> None:
    code, out, err = export(kubeconfig, "-A", "-l", "tier in (web")
    assert code == 2 and out == ""
    assert "cannot list ingresses.networking.k8s.io in all namespaces: the API server answered 400 BadRequest" in err
    assert len(fake.gets("ingresses")) == 1


def test_the_shared_gateway_is_read_from_its_own_namespace(fake: FakeAPI, kubeconfig: Path) -> None:
    fake.add({"apiVersion": "gateway.networking.k8s.io/v1", "kind": "Gateway",
              "metadata": {"name": "shared", "namespace": "infra"},
              "spec": {"gatewayClassName": "example",
                       "listeners": [{"name": "web", "protocol": "HTTP", "port": 80}]}})
    code, out, err = export(kubeconfig, "-n", "team-01", "--gateway", "infra/shared", "--check-access")
    assert code == 0, err
    assert "allowed  list gateways.gateway.networking.k8s.io (namespace infra)  (optional)" in err
    assert {r.path for r in fake.gets("gateways")} == {
        "/apis/gateway.networking.k8s.io/v1/namespaces/team-01/gateways",
        "/apis/gateway.networking.k8s.io/v1/namespaces/infra/gateways"}
    # attached to the existing Gateway, not replaced by a new one (which it is when none exists)
    assert "namespace: infra" in out and "kind: Gateway\nmetadata:\n  name: shared" not in out
    fake.objects["gateways"].clear()
    code, out, err = export(kubeconfig, "-n", "team-01", "--gateway", "infra/shared")
    assert code == 0 and "kind: Gateway\nmetadata:\n  name: shared" in out


def test_in_a_pod_without_kubeconfig_the_service_account_is_used(fake: FakeAPI, pki: Any, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    import kubernetes.config.incluster_config as incluster

    from ing2gw.load import cluster

    sa = tmp_path / "serviceaccount"
    sa.mkdir()
    (sa / "token").write_text("good-token")
    (sa / "namespace").write_text("team-02\n")
    (sa / "ca.crt").write_bytes(pki.ca.read_bytes())
    host, port = fake.url.removeprefix("https://").split(":")
    monkeypatch.setenv("HOME", str(tmp_path))  # no ~/.kube/config
    monkeypatch.delenv("KUBECONFIG", raising=False)
    monkeypatch.setenv("KUBERNETES_SERVICE_HOST", host)
    monkeypatch.setenv("KUBERNETES_SERVICE_PORT", port)
    # where a pod finds its service account; the client itself is the real one
    monkeypatch.setattr(incluster, "SERVICE_TOKEN_FILENAME", str(sa / "token"))
    monkeypatch.setattr(incluster, "SERVICE_CERT_FILENAME", str(sa / "ca.crt"))
    monkeypatch.setattr(cluster, "SERVICE_NAMESPACE_FILE", str(sa / "namespace"))
    r = CliRunner().invoke(main, ["export", "-q"])
    assert r.exit_code == 0, r.stderr
    assert {req.path for req in fake.gets("ingresses")} == {"/apis/networking.k8s.io/v1/namespaces/team-02/ingresses"}
    assert {req.user for req in fake.requests} == {"alice"}
    assert "namespace: team-02" in r.stdout
