"""The ingress-nginx policy fixture (testdata/golden/nginx-policies-all) converted with each target emitter.

Every emitted object must validate against its CRDs, and every annotation that waited on a requirement
must end with the emitter's outcome or, when the emitter cannot carry it, still be reported by name.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from ing2gw import plugins
from ing2gw.cli import main
from ing2gw.core.versions import BUNDLES

from .schema import errors, schemas

FIXTURE = Path(__file__).resolve().parents[2] / "testdata" / "golden" / "nginx-policies-all" / "input"
PREFIX = "nginx.ingress.kubernetes.io/"
# The annotations of the fixture that raise requirements, and which each emitter completes.
WAITING = {"auth-type", "auth-secret", "auth-realm", "limit-rps", "limit-whitelist", "limit-connections",
           "proxy-body-size", "whitelist-source-range", "auth-url", "auth-response-headers", "proxy-next-upstream",
           "proxy-next-upstream-tries", "configuration-snippet"}
AFFINITY = {"affinity", "session-cookie-name", "session-cookie-max-age"}  # the session-affinity requirement
CARRIED = {
    "envoy-gateway": WAITING - {"limit-connections", "configuration-snippet"} | AFFINITY,
    "kgateway": WAITING - {"limit-connections", "limit-rps", "limit-whitelist", "configuration-snippet"} | AFFINITY,
    "nginx-gateway-fabric": {"auth-type", "auth-secret", "auth-realm", "proxy-body-size", "configuration-snippet"},
    "istio": {"whitelist-source-range", "auth-url", "auth-response-headers"} | AFFINITY,
    "traefik": {"auth-type", "auth-secret", "auth-realm", "proxy-body-size", "whitelist-source-range", "auth-url",
                "auth-response-headers", "proxy-next-upstream", "proxy-next-upstream-tries"},
}


def convert(name: str, tmp_path: Path, *args: str) -> tuple[list[dict], dict[str, dict]]:
    report = tmp_path / "report.json"
    r = CliRunner().invoke(main, ["convert", "-q", "-f", str(FIXTURE), "--emitter", name, "--report", str(report),
                                  "--emitter-setting", "istio.extAuthzProvider=oauth2-proxy", *args],
                           catch_exceptions=False)
    assert r.exit_code == 0, r.output
    listed = [n for n in json.loads(report.read_text())["notifications"] if n["subject"].startswith(PREFIX)]
    notes = {n["subject"][len(PREFIX):]: n for n in listed}
    assert len(notes) == len(listed), "an annotation has more than one outcome"
    return list(yaml.safe_load_all(r.stdout)), notes


@pytest.mark.skipif(not FIXTURE.is_dir(), reason="the nginx-policies-all fixture is not here")
@pytest.mark.parametrize("name", sorted(CARRIED))
def test_policy_fixture_converts_with_each_emitter(name: str, tmp_path: Path) -> None:
    objects, notes = convert(name, tmp_path, "--allow-snippets")
    table = schemas(plugins.emitter(name).target_versions, BUNDLES["v1.5"], "standard")
    assert [e for o in objects for e in errors(o, table)] == []
    carried = {k for k, n in notes.items() if n["message"].split(" carried to ")[0] in
               {"rate-limit", "connection-limit", "ip-allow", "basic-auth", "external-auth", "body-size-limit",
                "retry", "snippet", "session-affinity"} and " carried to " in n["message"]}
    assert carried == CARRIED[name]
    for key in WAITING - CARRIED[name]:
        assert notes[key]["outcome"] in ("needs-target-emitter", "unsupported"), key
    for key in CARRIED[name]:
        assert notes[key]["outcome"] in ("translated", "translated-with-caveat")
        assert notes[key]["emitted"]


@pytest.mark.skipif(not FIXTURE.is_dir(), reason="the nginx-policies-all fixture is not here")
def test_policy_fixture_snippet_needs_opt_in(tmp_path: Path) -> None:
    objects, notes = convert("nginx-gateway-fabric", tmp_path)
    assert "SnippetsFilter" not in {o["kind"] for o in objects}
    assert notes["configuration-snippet"]["outcome"] == "unsupported"


@pytest.mark.skipif(not FIXTURE.is_dir(), reason="the nginx-policies-all fixture is not here")
@pytest.mark.parametrize("name", sorted(CARRIED))
def test_every_annotation_keeps_exactly_one_outcome(name: str, tmp_path: Path) -> None:
    """The emitter changes outcomes, never the set of things that have one."""
    _, standard = convert("standard", tmp_path)
    _, target = convert(name, tmp_path, "--allow-snippets")
    assert sorted(standard) == sorted(target)
    changed = {k for k in target if target[k]["outcome"] != standard[k]["outcome"]}
    assert changed == {k for k in CARRIED[name] if standard[k]["outcome"] != target[k]["outcome"]}
    assert changed and all(target[k]["outcome"] in ("translated", "translated-with-caveat") for k in changed)
