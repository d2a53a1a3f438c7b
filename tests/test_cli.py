"""The CLI: exit codes, messages without tracebacks, output files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ing2gw.cli import main
from ing2gw.output import write_dir

GOOD = """apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  rules:
  - host: a.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
"""
BAD = GOOD.replace("Prefix", "Foo")


def invoke(args: list[str], stdin: str = "") -> tuple[int, str, str]:
    r = CliRunner().invoke(main, args, input=stdin)
    return r.exit_code, r.stdout, r.stderr


def test_stdin_yaml_and_exit_0() -> None:
    code, out, err = invoke(["convert", "-f", "-"], GOOD)
    assert code == 0
    assert "kind: HTTPRoute" in out
    assert "1 Ingress(es) in" in err


def test_bad_input_exits_2_with_file_line_object_and_field() -> None:
    code, out, err = invoke(["convert", "-f", "-"], GOOD + "---\n" + BAD.replace("name: web", "name: bad"))
    assert code == 2
    assert "kind: HTTPRoute" in out  # the good Ingress still converts
    assert '<stdin>:19: Ingress shop/bad: spec.rules[0].http.paths[0].pathType: unsupported value "Foo"' in err
    assert "Traceback" not in err
    assert "routes nothing" not in err  # a rule whose only path was bad is not also called empty


def test_strict_fails_on_unhandled_annotations() -> None:
    text = GOOD.replace("namespace: shop}", "namespace: shop, annotations: {example.com/x: y}}")
    assert invoke(["convert", "-f", "-"], text)[0] == 0
    assert invoke(["convert", "-f", "-", "--strict"], text)[0] == 1


def test_usage_errors_exit_2_without_traceback() -> None:
    code, _, err = invoke(["convert", "-f", "/does/not/exist"])
    assert code == 2 and "no such file" in err and "Traceback" not in err
    code, _, err = invoke(["convert", "-f", "-", "--gateway-mode", "shared"], GOOD)
    assert code == 2 and "--gateway NAMESPACE/NAME" in err


@pytest.mark.parametrize(("flags", "message"), [
    (["--controller-config", "infra/a", "--controller-config", "infra/b"],
     "given twice without a provider (infra/a, infra/b): name whose each is, as PROVIDER=NAMESPACE/NAME"),
    (["--controller-config", "=infra/a"], "must be [PROVIDER=]NAMESPACE/NAME, not '=infra/a'"),
    (["--controller-config", "traefik=infra/a", "--controller-config", "traefik=infra/b"],
     "names two ConfigMaps for provider 'traefik': infra/a and infra/b"),
])
def test_controller_config_flags_are_checked(flags: list[str], message: str) -> None:
    code, _, err = invoke(["convert", "-f", "-", *flags], GOOD)
    assert code == 2 and message in err and "Traceback" not in err


def test_export_reproduces_named_controller_configs() -> None:
    from ing2gw.api import ConvertOptions
    from ing2gw.commands.export import reproduce_args

    args = reproduce_args(ConvertOptions(controller_config="infra/a", controller_configs={
        "traefik": "infra/t", "ingress-nginx": "infra/n"}), "snap")
    assert args.endswith("--controller-config infra/a --controller-config ingress-nginx=infra/n "
                         "--controller-config traefik=infra/t")


def test_internal_errors_print_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    import ing2gw.core.pipeline as pipeline

    def boom(*a: object, **k: object) -> None:
        raise RuntimeError("kaboom")

    monkeypatch.setattr(pipeline, "build", boom)
    code, _, err = invoke(["convert", "-f", "-"], GOOD)
    assert code == 3
    assert "internal error while processing the merge of routes onto Gateways: RuntimeError: kaboom" in err
    assert "Traceback" not in err


def test_json_output_is_a_v1_list() -> None:
    code, out, _ = invoke(["convert", "-f", "-", "-o", "json", "-q"], GOOD)
    data = json.loads(out)
    assert code == 0 and data["kind"] == "List" and data["items"][0]["kind"] == "Gateway"


def test_report_file(tmp_path: Path) -> None:
    rep = tmp_path / "r.json"
    text = GOOD.replace("namespace: shop}", "namespace: shop, annotations: {example.com/x: y}}")
    invoke(["convert", "-f", "-", "--report", str(rep), "-q"], text)
    data = json.loads(rep.read_text())
    (n,) = [n for n in data["notifications"] if n.get("annotation")]
    assert n["outcome"] == "unhandled" and n["annotation"] == "example.com/x" and n["line"] == 3
    (p,) = [n for n in data["notifications"] if n.get("field") and not n.get("annotation")
             and n["subject"] != "spec.ingressClassName"]
    assert p["outcome"] == "translated" and p["field"] == "spec.rules[0].http.paths[0]" and p["line"] == 9
    assert p["emitted"] == ["HTTPRoute shop/a-example-com spec.rules[0]"]


def test_output_dir_per_namespace_and_per_object(tmp_path: Path) -> None:
    code, _, _ = invoke(["convert", "-f", "-", "--output-dir", str(tmp_path / "o"), "-q"], GOOD)
    assert code == 0 and sorted(p.name for p in (tmp_path / "o").iterdir()) == ["shop.yaml"]
    invoke(["convert", "-f", "-", "--output-dir", str(tmp_path / "p"), "--split", "object", "-q"], GOOD)
    files = sorted(p.name for p in (tmp_path / "p" / "shop").iterdir())
    assert files == ["gateway-default.yaml", "httproute-a-example-com.yaml"]


def test_output_dir_never_escapes(tmp_path: Path) -> None:
    objs = [{"kind": "X", "metadata": {"name": "../../etc/passwd", "namespace": "../.."}}]
    written = write_dir(objs, str(tmp_path / "out"), split="object")
    assert all(Path(w).resolve().is_relative_to((tmp_path / "out").resolve()) for w in written)
