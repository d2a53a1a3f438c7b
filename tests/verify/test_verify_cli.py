"""``ing2gw verify`` and the summary line of ``ing2gw convert``."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from ing2gw.api import ConvertOptions, VerifyOptions, verify
from ing2gw.cli import main

ROOT = Path(__file__).resolve().parents[2]
MUTATION = ROOT / "testdata" / "verify" / "mutation"
GOLDEN = ROOT / "testdata" / "golden" / "core-basic" / "input"


def run(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return r.exit_code, r.stdout, r.stderr


def test_json_output_of_a_correct_translation(tmp_path: Path) -> None:
    code, out, _ = run("verify", "-f", str(MUTATION / "ingresses.yaml"), "--gateway-api", str(MUTATION / "gateway-api.yaml"),
                       "-o", "json", "--all", "--strict")
    assert code == 0
    data = json.loads(out)
    assert data["summary"]["differs"] == 0 and data["summary"]["same"] == data["summary"]["probes"] > 0
    assert {p["verdict"] for p in data["probes"]} == {"same"}


def test_strict_fails_on_a_difference_and_the_table_shows_both_answers(tmp_path: Path) -> None:
    broken = (MUTATION / "gateway-api.yaml").read_text().replace("name: auth, port: 80", "name: api, port: 80")
    (tmp_path / "gw.yaml").write_text(broken)
    args = ["verify", "-f", str(MUTATION / "ingresses.yaml"), "--gateway-api", str(tmp_path / "gw.yaml")]
    code, out, _ = run(*args)
    assert code == 0
    assert "DIFFERS  https://shop.example.com/login" in out
    assert "Ingress:     -> shop/auth:80" in out and "Gateway API: -> shop/api:80" in out
    code, out, _ = run(*args, "--strict", "-o", "markdown")
    assert code == 1
    assert "### Probes that differ" in out and "| `https://shop.example.com/login (class nginx)` |" in out


def test_user_probes(tmp_path: Path) -> None:
    (tmp_path / "probes.yaml").write_text(
        "- https://shop.example.com/login\n"
        "- {url: 'https://shop.example.com/', headers: {X-Canary: always}}\n")
    result, report = verify([str(MUTATION / "ingresses.yaml")], ConvertOptions(),
                            VerifyOptions(gateway_api=(str(MUTATION / "gateway-api.yaml"),),
                                          probe_files=(str(tmp_path / "probes.yaml"),)))
    users = [r for r in report.results if r.probe.why == "user probe"]
    assert len(users) == 2 and all(r.verdict == "same" for r in users)
    assert users[1].ingress.backends[0][0].name == "web-canary"


def test_bad_probe_file_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text("{not: a list}\n")
    code, _, err = run("verify", "-f", str(MUTATION / "ingresses.yaml"), "--probe", str(tmp_path / "p.yaml"))
    assert code == 2 and "expected a YAML list" in err


def test_not_comparable_probes_name_the_notification() -> None:
    code, out, _ = run("verify", "-f", str(GOLDEN), "-o", "json")
    data = json.loads(out)
    deep = [p for p in data["probes"] if p["probe"]["host"] == "a.b.example.com"]
    assert deep and all(p["verdict"] == "not-comparable" for p in deep)
    notes = [b["notification"] for p in deep for b in p["because"] if "notification" in b]
    assert any(n["subject"] == "spec.rules[1].host" and n["outcome"] == "translated-with-caveat" for n in notes)
    rewrites = [p for p in data["probes"] if p["ingress"].get("path") == "/" and p["gateway"].get("kind") == "backend"
                and p["gateway"].get("path") != "/"]
    assert rewrites and all(any(b.get("notification", {}).get("subject") == "nginx.ingress.kubernetes.io/rewrite-target"
                                for b in p["because"]) for p in rewrites)


def test_convert_prints_a_verification_summary_line() -> None:
    code, _, err = run("convert", "-f", str(MUTATION / "ingresses.yaml"))
    line = [x for x in err.splitlines() if x.startswith("verify: ")]
    assert len(line) == 1 and "probes:" in line[0]
    _, _, err = run("convert", "-q", "-f", str(MUTATION / "ingresses.yaml"))
    assert "verify:" not in err
