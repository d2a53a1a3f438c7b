"""Golden cases under testdata/cluster/: cluster.yaml is what the fake API server holds; export -A must write
exactly expected-snapshot/, and convert -f of that snapshot must print exactly what export printed. (What
the conversion itself emits is the providers' and emitters' golden tests' business, so it is not pinned here.)
ING2GW_UPDATE_GOLDEN=1 rewrites expected-snapshot/ (then read it)."""

from __future__ import annotations

import os
import shlex
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from fakeapi import Context, FakeAPI, write_kubeconfig

from ing2gw.cli import main

CASES_DIR = Path(__file__).resolve().parents[2] / "testdata" / "cluster"
CASES = sorted(p.name for p in CASES_DIR.iterdir() if (p / "cluster.yaml").is_file())
UPDATE = os.environ.get("ING2GW_UPDATE_GOLDEN") == "1"


@pytest.mark.parametrize("name", CASES)
def test_cluster_golden(name: str, pki: object, tmp_path: Path) -> None:
    case = CASES_DIR / name
    args_file = case / "args.txt"
    args = shlex.split(args_file.read_text()) if args_file.exists() else []
    snap = tmp_path / "snapshot"
    with FakeAPI(pki=pki, tokens={"t": "alice"}) as api:  # type: ignore[arg-type]
        api.add_all(yaml.safe_load_all((case / "cluster.yaml").read_text()))
        kc = write_kubeconfig(tmp_path / "kc", api.url, pki, [Context("golden", token="t")])  # type: ignore[arg-type]
        r = CliRunner().invoke(main, ["export", "--kubeconfig", str(kc), "-A", "--snapshot", str(snap), "-q", *args])
        assert api.violations == []
        url = api.url
    assert r.exit_code == 0, r.stderr
    readme = (snap / "README.txt").read_text().replace(str(snap), "SNAPSHOT").replace(url, "SERVER")
    (snap / "README.txt").write_text(readme)
    expected_snap = case / "expected-snapshot"
    if UPDATE:
        shutil.rmtree(expected_snap, ignore_errors=True)
        shutil.copytree(snap, expected_snap)
    got = {p.name: p.read_text() for p in sorted(snap.iterdir())}
    want = {p.name: p.read_text() for p in sorted(expected_snap.iterdir())}
    assert got == want
    assert "kind: HTTPRoute" in r.stdout
    command = shlex.split(readme.strip().splitlines()[-1].replace("SNAPSHOT", str(expected_snap)))
    c = CliRunner().invoke(main, [*command[1:], "-q"])
    assert c.exit_code == 0 and c.stdout == r.stdout
