"""Huge and hostile inputs finish quickly with a clear result; internal errors are one line; output stays
inside --output-dir. No timing assertions: a hang or a blow-up shows as a test that never ends."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from ing2gw.api import ConvertOptions, convert, convert_objects
from ing2gw.cli import main
from ing2gw.load import files
from ing2gw.load.raw import LoadResult


def _ingress(name: str, rules: list[dict], ns: str = "shop") -> dict:
    return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": name, "namespace": ns},
            "spec": {"ingressClassName": "nginx", "rules": rules}}


def _path(p: str) -> dict:
    return {"path": p, "pathType": "Prefix", "backend": {"service": {"name": "web", "port": {"number": 80}}}}


def test_one_ingress_with_10000_paths() -> None:
    ing = _ingress("many", [{"host": "a.example.com", "http": {"paths": [_path(f"/p{i}") for i in range(10_000)]}}])
    result = convert_objects([ing])
    routes = [o for o in result.objects if o["kind"] == "HTTPRoute"]
    assert sum(len(rule["matches"]) for r in routes for rule in r["spec"]["rules"]) == 10_000
    assert all(len(r["spec"]["rules"]) <= 16 for r in routes)  # split at the HTTPRoute limits
    assert all(len(rule["matches"]) <= 64 for r in routes for rule in r["spec"]["rules"])
    assert result.exit_code == 0


@pytest.mark.parametrize("version", ["v1.2", "v1.5"])
def test_1000_hosts_on_one_gateway_are_split(version: str) -> None:
    rules = [{"host": f"h{i}.example.com", "http": {"paths": [_path("/")]}} for i in range(1000)]
    tls = [{"hosts": [f"h{i}.example.com" for i in range(1000)], "secretName": "wild"}]
    ing = _ingress("hosts", rules)
    ing["spec"]["tls"] = tls
    result = convert_objects([ing], ConvertOptions(gateway_api_version=version))
    holders = [o for o in result.objects if o["kind"] in ("Gateway", "ListenerSet", "XListenerSet")]
    assert holders and all(len(o["spec"]["listeners"]) <= 64 for o in holders)
    assert sum(len(o["spec"]["listeners"]) for o in holders) >= 2000  # HTTP and HTTPS per host
    assert any("more than 64 listeners" in n.message for n in result.notifications)  # and it says so
    names = [(o["kind"], o["metadata"]["name"]) for o in result.objects]
    assert len(names) == len(set(names))


def test_alias_bomb_is_refused_not_expanded() -> None:
    text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(12))
    out = LoadResult()
    files.load_bytes(text.encode(), "bomb.yaml", out)
    assert not out.objects
    assert "alias bomb" in out.problems[0].message


def test_anchors_within_the_limit_load() -> None:
    out = LoadResult()
    files.load_bytes(b"kind: ConfigMap\nmetadata: &m {name: x}\nother: *m\n", "ok.yaml", out)
    assert out.objects and out.objects[0].data["other"] == {"name": "x"}


def test_deeply_nested_json_is_refused() -> None:
    out = LoadResult()
    files.load_bytes(b'{"kind": "ConfigMap", "data": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "d.json", out)
    assert not out.objects and "deeper" in out.problems[0].message


def test_stdin_is_read_only_up_to_the_limit() -> None:
    class Endless(io.RawIOBase):
        asked = 0

        def read(self, n: int = -1) -> bytes:
            assert n > 0, "the loader must never read without a bound"
            Endless.asked += n
            return b"#" * n

    result = convert(["-"], ConvertOptions(max_input_bytes=1024), stdin=Endless())  # type: ignore[arg-type]
    assert Endless.asked <= 1025
    assert "over the limit" in result.errors[0].message


def test_output_dir_never_escapes(tmp_path: Path) -> None:
    ing = _ingress("web", [{"host": "a.example.com", "http": {"paths": [_path("/")]}}], ns="..")
    ing2 = _ingress("..", [{"host": "b.example.com", "http": {"paths": [_path("/")]}}], ns="ok")
    src = tmp_path / "in.yaml"
    ok = _ingress("fine", [{"host": "c.example.com", "http": {"paths": [_path("/")]}}])
    src.write_text(yaml.safe_dump_all([ing, ing2, ok]))
    out = tmp_path / "deep" / "out"
    for split in ("namespace", "object"):
        res = CliRunner().invoke(main, ["convert", "-f", str(src), "--output-dir", str(out), "--split", split])
        assert res.exit_code == 2, res.output
    written = [p for p in tmp_path.rglob("*") if p.is_file() and p != src]
    assert written and all(out in p.parents for p in written)


@pytest.mark.parametrize("split", ["namespace", "object"])
def test_write_dir_contains_hostile_names(tmp_path: Path, split: str) -> None:
    from ing2gw.output import write_dir

    objs = [{"kind": k, "metadata": {"namespace": ns, "name": n}} for k, ns, n in [
        ("../../x", "..", "../../etc/passwd"), ("/abs", "/", "/"), ("Gateway", ".", "\x00"), ("A", "a/b", "..")]]
    out = tmp_path / "out"
    paths = write_dir(objs, str(out), split=split)  # type: ignore[arg-type]
    assert paths and all(out.resolve() in Path(p).parents for p in paths)
    assert [p for p in tmp_path.rglob("*") if p.is_file() and out not in p.parents] == []


def test_internal_error_is_one_line_naming_the_object(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ing2gw.core import pipeline

    def boom(*args: object, **kw: object) -> None:
        raise KeyError("surprise")

    monkeypatch.setattr(pipeline, "state_unclaimed", boom)
    src = tmp_path / "in.yaml"
    src.write_text(yaml.safe_dump(_ingress("web", [{"host": "a.example.com", "http": {"paths": [_path("/")]}}])))
    res = CliRunner().invoke(main, ["convert", "-f", str(src)])
    assert res.exit_code == 3
    assert res.stderr.count("\n") == 1 and "Traceback" not in res.stderr
    assert f"while processing Ingress shop/web ({src}:1)" in res.stderr and "KeyError" in res.stderr
    res = CliRunner().invoke(main, ["--debug", "convert", "-f", str(src)])
    assert res.exit_code == 3 and "Traceback" in res.stderr
