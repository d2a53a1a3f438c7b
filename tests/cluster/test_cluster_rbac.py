"""deploy/rbac*.yaml grant exactly the reads export does: checked against the code's plan and end to end
against the fake API server enforcing only those rules."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import yaml
from click.testing import CliRunner
from fakeapi import FakeAPI

from ing2gw.cli import main
from ing2gw.load.cluster import CRDS, ClusterOptions, planned_reads

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
CM = "ingress-nginx/ingress-nginx-controller"


def rules(path: Path, kinds: tuple[str, ...]) -> set[tuple[str, str, str]]:
    out = set()
    for doc in yaml.safe_load_all(path.read_text()):
        if doc["kind"] in kinds:
            for r in doc["rules"]:
                out |= {(g, res, v) for g in r["apiGroups"] for res in r["resources"] for v in r["verbs"]}
    return out


def planned(**kw: Any) -> set[tuple[str, str, str]]:
    client: Any = SimpleNamespace(default_namespace="my-app")
    plan = planned_reads(client, ClusterOptions(**kw), CM)
    return {(res.group, res.plural, verb) for verb, res, _, _, _ in plan} | {(CRDS.group, CRDS.plural, "get")}


def test_cluster_role_grants_exactly_the_planned_reads() -> None:
    granted = rules(DEPLOY / "rbac.yaml", ("ClusterRole",))
    assert granted == planned(all_namespaces=True)
    assert {v for _, _, v in granted} == {"get", "list"}


def test_namespaced_variant_grants_exactly_the_planned_reads() -> None:
    granted = rules(DEPLOY / "rbac-namespaced.yaml", ("Role", "ClusterRole"))
    assert granted == planned(namespace="my-app")
    cluster_scoped = rules(DEPLOY / "rbac-namespaced.yaml", ("ClusterRole",))
    assert {r for _, r, _ in cluster_scoped} == {"ingressclasses", "customresourcedefinitions", "gatewayclasses"}


def test_rbac_yaml_is_enough_for_export(fake: FakeAPI, kubeconfig: Path) -> None:
    fake.allowed = {(v, r) for _, r, v in rules(DEPLOY / "rbac.yaml", ("ClusterRole",))}
    r = CliRunner().invoke(main, ["export", "--kubeconfig", str(kubeconfig), "-A", "--controller-config", CM,
                                  "--check-access"])
    assert r.exit_code == 0, r.stderr
    assert "warning" not in r.stderr and "DENIED" not in r.stderr
    fake.allowed.discard(("list", "services"))
    r = CliRunner().invoke(main, ["export", "--kubeconfig", str(kubeconfig), "-A"])
    assert r.exit_code == 2 and "cannot list services in all namespaces" in r.stderr


def test_every_named_controller_config_is_a_planned_read() -> None:
    client: Any = SimpleNamespace(default_namespace="my-app")
    plan = planned_reads(client, ClusterOptions(all_namespaces=True), [CM, "traefik/traefik-config"])
    gets = [(ns, name) for verb, res, ns, name, _ in plan if res.plural == "configmaps" and verb == "get"]
    assert gets == [("ingress-nginx", "ingress-nginx-controller"), ("traefik", "traefik-config")]
