"""The migration report: verdicts, formats, schema, SARIF locations, and safety of rendered input text."""

from __future__ import annotations

import io
import json
from pathlib import Path

import jsonschema
from markdown_it import MarkdownIt

from ing2gw.api import ConvertOptions, convert, report
from ing2gw.report.render import render_github, render_json, render_markdown, render_sarif, render_text
from ing2gw.report.safety import REDACTED, clean, escape_md

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "testdata" / "golden" / "core-realistic" / "input"

HOSTILE = """apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: evil
  namespace: ns
  annotations:
    example.com/x: "<script>alert(1)</script> [click](https://evil.example) @octocat \\u001b[31mred"
    example.com/api-token: "s3cr3t-value"
spec:
  rules:
  - host: a.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
"""


def realistic() -> object:
    return report(convert([str(EXAMPLE)], ConvertOptions()))


def test_verdicts_per_ingress() -> None:
    rep = realistic()
    verdicts = {f"{i.namespace}/{i.name}": i.verdict for i in rep.ingresses}  # type: ignore[attr-defined]
    assert verdicts == {"blog/broken": "blocked", "blog/fallback": "ready", "blog/legacy-blog": "ready",
                        "shop/shop-api": "review", "shop/storefront": "review"}
    storefront = next(i for i in rep.ingresses if i.name == "storefront")  # type: ignore[attr-defined]
    assert "HTTPRoute shop/shop-example-com" in storefront.objects


def test_json_report_matches_its_schema() -> None:
    schema = json.loads((ROOT / "docs" / "report-schema.json").read_text())
    data = json.loads(render_json(realistic()))  # type: ignore[arg-type]
    jsonschema.Draft202012Validator(schema).validate(data)
    assert data["totals"]["verdict"] == {"blocked": 1, "ready": 2, "review": 2}


def test_sarif_points_at_the_input_lines() -> None:
    schema = json.loads((Path(__file__).parent / "sarif-2.1.0-subset.schema.json").read_text())
    sarif = json.loads(render_sarif(realistic()))  # type: ignore[arg-type]
    jsonschema.Draft7Validator(schema).validate(sarif)
    locs = {(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].rsplit("/", 1)[-1],
             r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in sarif["runs"][0]["results"]}
    assert locs == {("broken.yaml", 9), ("shop.yaml", 2), ("shop.yaml", 14), ("shop.yaml", 25), ("shop.yaml", 32),
                    ("shop.yaml", 40), ("shop.yaml", 57)}
    text = (EXAMPLE / "shop.yaml").read_text().splitlines()
    assert text[56].strip().startswith("- path: /healthz")


def test_markdown_renders_without_injected_html_links_or_mentions() -> None:
    result = convert(["-"], ConvertOptions(), stdin=io.BytesIO(HOSTILE.encode()))
    md = render_markdown(report(result))
    html = MarkdownIt("commonmark").enable("table").render(md)
    assert "<script>" not in html and "<a " not in html and "@octocat" not in html
    assert "\x1b" not in md
    assert "<table>" in html  # the table still renders


def test_secret_looking_values_are_redacted() -> None:
    result = convert(["-"], ConvertOptions(), stdin=io.BytesIO(HOSTILE.encode()))
    data = json.loads(render_json(report(result)))
    values = {o["annotation"]: o.get("value") for o in data["ingresses"][0]["outcomes"] if "annotation" in o}
    assert values["example.com/api-token"] == REDACTED
    assert "s3cr3t" not in json.dumps(data)


def test_text_and_github_formats() -> None:
    rep = realistic()
    text = render_text(rep)  # type: ignore[arg-type]
    assert "5 Ingress(es): 2 ready, 2 review, 1 blocked" in text
    gh = render_github(rep)  # type: ignore[arg-type]
    assert gh.splitlines()[0].startswith("::error file=") and ",line=9," in gh.splitlines()[0]


def test_safety_helpers() -> None:
    assert clean("a\x1b[2Jb\x07c") == "a?b?c"
    assert escape_md("| x |") == "\\| x \\|"
