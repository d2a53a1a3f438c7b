"""``ing2gw emitters``, its generated docs table, and the convert options that feed target emitters."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from click.testing import CliRunner

from ing2gw.api import emitters_markdown
from ing2gw.cli import main

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs" / "emitters" / "README.md"
EXAMPLE = ROOT / "testdata" / "examples" / "shop"


def test_docs_table_is_current() -> None:
    assert DOCS.read_text() == emitters_markdown(), "run: ing2gw emitters -o markdown > docs/emitters/README.md"


def test_docs_table_names_annotations_per_emitter() -> None:
    text = DOCS.read_text()
    assert "| `body-size-limit` | `proxy-body-size` | yes | - | yes | yes | yes |" in text
    assert "### traefik\n\nCompletes: " in text and "`limit-connections`" in text.split("### traefik")[1]


def test_emitters_lists_targets_and_what_each_consumes() -> None:
    r = CliRunner().invoke(main, ["emitters"])
    assert r.exit_code == 0
    assert "envoy-gateway: Envoy Gateway" in r.output
    assert "controller:  gateway.envoyproxy.io/gatewayclass-controller" in r.output
    assert "--emitter-setting istio.extAuthzProvider=VALUE" in r.output
    data = json.loads(CliRunner().invoke(main, ["emitters", "-o", "json"]).output)
    by_name = {e["name"]: e for e in data}
    assert set(by_name) >= {"standard", "envoy-gateway", "kgateway", "nginx-gateway-fabric", "istio", "traefik"}
    assert by_name["nginx-gateway-fabric"]["target_versions"] == ["nginx-gateway-fabric/v2.6.7"]
    assert "snippet" in by_name["nginx-gateway-fabric"]["consumes"]
    assert by_name["standard"]["consumes"] == []


def test_gateway_class_takes_the_emitters_controller() -> None:
    r = CliRunner().invoke(main, ["convert", "-q", "-f", str(EXAMPLE), "--emitter", "envoy-gateway",
                                  "--gateway-class", "eg"])
    assert r.exit_code == 0, r.output
    (gc,) = [d for d in yaml.safe_load_all(r.stdout) if d["kind"] == "GatewayClass"]
    assert gc["spec"]["controllerName"] == "gateway.envoyproxy.io/gatewayclass-controller"
    r = CliRunner().invoke(main, ["convert", "-q", "-f", str(EXAMPLE), "--emitter", "envoy-gateway",
                                  "--gateway-class", "eg", "--gateway-controller", "example.com/own"])
    (gc,) = [d for d in yaml.safe_load_all(r.stdout) if d["kind"] == "GatewayClass"]
    assert gc["spec"]["controllerName"] == "example.com/own"


def test_emitter_settings_are_checked() -> None:
    r = CliRunner().invoke(main, ["convert", "-q", "-f", str(EXAMPLE), "--emitter", "istio",
                                  "--emitter-setting", "istio.extAuthzProvider=ext-authz"])
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(main, ["convert", "-q", "-f", str(EXAMPLE), "--emitter", "istio",
                                  "--emitter-setting", "istio.extAuthProvider=x"])
    assert r.exit_code == 2
    assert "istio.extAuthProvider: not a setting of emitter 'istio' (known: istio.extAuthzProvider)" in r.output
    # another emitter's setting is ignored, so one command line serves several targets
    r = CliRunner().invoke(main, ["convert", "-q", "-f", str(EXAMPLE), "--emitter", "traefik",
                                  "--emitter-setting", "istio.extAuthzProvider=x"])
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(main, ["convert", "-q", "-f", str(EXAMPLE), "--emitter", "traefik",
                                  "--emitter-setting", "traefik.nothing=x"])
    assert r.exit_code == 2 and "it takes none" in r.output
    r = CliRunner().invoke(main, ["convert", "-q", "-f", str(EXAMPLE), "--emitter-setting", "novalue"])
    assert r.exit_code == 2 and "KEY=VALUE" in r.output
