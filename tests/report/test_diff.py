"""`ing2gw diff`: object and outcome changes between two states, from paths, Git and committed output."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt

from ing2gw.api import ConvertOptions, convert, diff
from ing2gw.cli import main
from ing2gw.report.diff import MARKER, render_markdown

DIFF = Path(__file__).resolve().parents[2] / "testdata" / "diff"


def test_diff_shows_exactly_the_changes_and_the_new_problem() -> None:
    d = diff([str(DIFF / "head")], ConvertOptions(), base_paths=[str(DIFF / "base")])
    changes = {(c.change, c.ref) for c in d.changes}
    assert changes == {
        ("added", "HTTPRoute shop/api-example-com"),
        ("removed", "HTTPRoute shop/old-example-com"),
        ("changed", "HTTPRoute shop/shop-example-com"),
        ("changed", "Gateway shop/nginx"),
    }
    route = next(c for c in d.changes if c.ref == "HTTPRoute shop/shop-example-com")
    assert route.fields == ["spec.rules[web].matches[0].path.value"]
    assert [(e.name, e.subject, e.outcome) for e in d.new_problems] == [
        ("api", "nginx.ingress.kubernetes.io/configuration-snippet", "unsupported")]
    assert d.new_blockers == d.new_problems
    assert not d.fixed_problems


def test_markdown_comment_renders_and_carries_the_marker() -> None:
    d = diff([str(DIFF / "head")], ConvertOptions(), base_paths=[str(DIFF / "base")], reproduce="ing2gw diff a b")
    md = render_markdown(d)
    assert md.startswith(MARKER)
    html = MarkdownIt("commonmark").enable("table").render(md)
    assert html.count("<details>") == 4 and "<table>" in html
    assert "configuration-snippet" in html and "ing2gw diff a b" in html
    assert d.verification is not None and d.verification.startswith("verify: ") and "verify: " in html


def test_comment_is_truncated_under_the_limit() -> None:
    d = diff([str(DIFF / "head")], ConvertOptions(), base_paths=[str(DIFF / "base")])
    md = render_markdown(d, limit=1500)
    assert len(md) <= 1500
    assert "left out to stay under GitHub's comment limit" in md or "Truncated" in md


def test_fail_on_and_formats() -> None:
    runner = CliRunner()
    base, head = str(DIFF / "base"), str(DIFF / "head")
    assert runner.invoke(main, ["diff", base, head]).exit_code == 0
    assert runner.invoke(main, ["diff", base, head, "--fail-on", "changes"]).exit_code == 1
    assert runner.invoke(main, ["diff", base, base, "--fail-on", "changes"]).exit_code == 0
    out = runner.invoke(main, ["diff", base, head, "--format", "json"]).stdout
    assert '"added": 1' in out
    assert runner.invoke(main, ["diff", base]).exit_code == 2


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_git_base_reads_the_old_files_without_a_checkout(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "k8s").mkdir(parents=True)
    shutil.copy(DIFF / "base" / "apps.yaml", repo / "k8s" / "apps.yaml")

    def git(*args: str) -> None:
        subprocess.run(["git", "-c", "user.email=t@example.com", "-c", "user.name=t", *args], cwd=repo, check=True,
                       capture_output=True)

    git("init", "-q")
    git("add", ".")
    git("commit", "-qm", "base")
    shutil.copy(DIFF / "head" / "apps.yaml", repo / "k8s" / "apps.yaml")
    import os

    cwd = os.getcwd()
    os.chdir(repo)
    try:
        d = diff(["k8s"], ConvertOptions(), git_base="HEAD")
    finally:
        os.chdir(cwd)
    assert {c.change for c in d.changes} == {"added", "removed", "changed"}
    assert d.base_label == "HEAD"


def test_against_committed_output_detects_drift(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "gw.yaml").write_text(convert([str(DIFF / "base")], ConvertOptions()).render())
    same = diff([str(DIFF / "base")], ConvertOptions(), against=str(out))
    assert not same.changes
    drift = diff([str(DIFF / "head")], ConvertOptions(), against=str(out))
    assert {c.change for c in drift.changes} == {"added", "removed", "changed"}
