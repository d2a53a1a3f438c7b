"""Catalogue providers, ``ing2gw providers``, ``ing2gw explain``, and the generated provider docs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ing2gw import plugins
from ing2gw.catalogue import CLASSES, CatalogueProvider, gateway_class
from ing2gw.cli import main
from ing2gw.model import Outcome
from ing2gw.report.docs import render_docs, write_docs
from ing2gw.report.providers import availability, explain, providers_info

ROOT = Path(__file__).resolve().parent.parent
PROVIDERS = plugins.providers()
CATALOGUE = {n: p for n, p in PROVIDERS.items() if isinstance(p, CatalogueProvider)}

# Keys per controller, from the reference notes (aliases not counted; [xN] rows expanded).
EXPECTED_KEYS = {
    "agic": 26, "apisix": 39, "avi": 2, "aws-alb": 71, "cilium": 14, "f5-bigip": 19, "f5-nginx": 81,
    "fortiadc": 31, "haproxy-ingress": 145, "haproxy-tech": 53, "higress": 90, "kong": 33, "ngrok": 9, "oci": 25, "pomerium": 67,
    "skipper": 12, "traefik": 86, "tyk": 1, "voyager": 64, "wallarm": 12,
}


def invoke(*args: str) -> tuple[int, str, str]:
    r = CliRunner().invoke(main, list(args))
    return r.exit_code, r.stdout, r.stderr


def test_every_controller_of_the_kubernetes_list_has_a_provider() -> None:
    names = {"agic", "apisix", "avi", "aws-alb", "bfe", "cilium", "citrix", "contour", "easegress", "emissary",
             "enroute", "f5-bigip", "f5-nginx", "fortiadc", "gce", "gloo", "haproxy-ingress", "haproxy-tech", "higress",
             "ingress-nginx", "istio", "kong", "kusk", "ngrok", "oci", "opennjet", "pomerium", "skipper", "traefik",
             "tyk", "voyager", "wallarm"}
    assert names <= set(PROVIDERS)


@pytest.mark.parametrize(("name", "count"), sorted(EXPECTED_KEYS.items()))
def test_catalogue_knows_every_key_of_the_notes(name: str, count: int) -> None:
    assert len(PROVIDERS[name].registry) == count


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_catalogue_rows_are_complete(name: str) -> None:
    p = CATALOGUE[name]
    assert p.title and p.docs_url.startswith("https://")
    for h in p.registry:
        assert h.outcome is Outcome.UNHANDLED
        assert h.doc and h.doc.endswith(".") and len(h.doc) <= 120 and "\n" not in h.doc, h.key
        assert gateway_class(h.gateway_api)[0] in CLASSES, h.key
        assert p.registry.get(h.key) is h
        for a in h.aliases:
            assert p.registry.get(a) is h


def test_controller_strings_do_not_collide() -> None:
    seen: dict[str, str] = {}
    for p in PROVIDERS.values():
        for c in p.controllers:
            assert c not in seen, f"{c} claimed by {seen.get(c)} and {p.name}"
            seen[c] = p.name


def test_pattern_keys_and_alias_prefixes() -> None:
    kong = PROVIDERS["kong"].registry
    h = kong.get("konghq.com/headers.x-user")
    assert h is not None and h.key == "konghq.com/headers.<name>"
    assert kong.get("konghq.com/headers.a/b") is None
    tech = PROVIDERS["haproxy-tech"].registry
    assert tech.get("haproxy.com/ssl-redirect") is tech.get("ingress.kubernetes.io/ssl-redirect") is not None
    assert not PROVIDERS["fortiadc"].registry.owns("anything/at-all")
    traefik = PROVIDERS["traefik"].registry
    assert traefik.get("traefik.ingress.kubernetes.io/router.pathMatcher") is not None
    assert traefik.get("traefik.ingress.kubernetes.io/router.TLS.domains.0.Main") is not None
    assert kong.get("konghq.com/Strip-Path") is None


def test_availability_follows_the_version_capabilities() -> None:
    cors = PROVIDERS["higress"].registry
    h = cors.get("higress.io/enable-cors")
    assert h is not None
    avail = availability(h)
    assert avail == {"standard": ["v1.5", "v1.6"], "experimental": ["v1.3", "v1.4", "v1.5", "v1.6"]}
    retry = cors.get("higress.io/proxy-next-upstream-tries")
    assert retry is not None and availability(retry) == {"standard": [], "experimental": list(
        ("v1.2", "v1.3", "v1.4", "v1.5", "v1.6"))}
    impl = cors.get("higress.io/load-balance")
    assert impl is not None and availability(impl) == {"standard": [], "experimental": []}


def test_explain_finds_full_keys_patterns_and_short_names() -> None:
    matches, _ = explain("konghq.com/headers.x-canary")
    assert [m.handler.key for m in matches] == ["konghq.com/headers.<name>"]
    matches, _ = explain("strip-path")
    assert [m.provider.name for m in matches] == ["kong"]
    matches, suggestions = explain("konghq.com/strip-paths")
    assert not matches and suggestions[0] == "konghq.com/strip-path"


def test_providers_command_text_and_json() -> None:
    code, out, _ = invoke("providers")
    assert code == 0
    line = next(x for x in out.splitlines() if x.startswith("voyager "))
    assert " 64 " in line and line.rstrip().endswith("0%")
    code, out, _ = invoke("providers", "-o", "json")
    data = {p["name"]: p for p in json.loads(out)["providers"]}
    assert code == 0 and data["wallarm"]["extends"] == "ingress-nginx"
    assert data["haproxy-ingress"]["outcomes"]["unhandled"] == 145 and data["haproxy-ingress"]["aliases"] == 145
    assert data["kong"]["gatewayAPIClasses"] == {"CORE": 20, "EXPERIMENTAL": 1, "IMPL": 8, "NONE": 4}


def test_explain_command() -> None:
    code, out, _ = invoke("explain", "traefik.ingress.kubernetes.io/router.tls.domains.3.main")
    assert code == 0 and "router.tls.domains.<n>.main" in out and "outcome in ing2gw: not-routing" in out
    code, out, _ = invoke("explain", "higress.io/enable-cors")
    assert "available in: standard v1.5-v1.6; experimental v1.3-v1.6" in out
    code, out, err = invoke("explain", "traefik.ingress.kubernetes.io/router.entrypoint")
    assert code == 2 and "did you mean: traefik.ingress.kubernetes.io/router.entrypoints" in err
    code, out, _ = invoke("explain", "ngrok.com/url", "-o", "json")
    data = json.loads(out)
    assert code == 0 and data["matches"][0]["provider"] == "ngrok" and data["matches"][0]["outcome"] == "unhandled"


def test_docs_command_writes_pages_and_drops_stale_generated_ones(tmp_path: Path) -> None:
    stale = tmp_path / "providers" / "gone.md"
    stale.parent.mkdir(parents=True)
    stale.write_text(render_docs(PROVIDERS)["providers/kong.md"])
    mine = tmp_path / "providers" / "handwritten.md"
    mine.write_text("# notes\n")
    code, _, err = invoke("docs", "--output", str(tmp_path))
    assert code == 0 and "wrote" in err
    assert not stale.exists() and mine.exists()
    assert (tmp_path / "providers" / "README.md").read_text().count("](") == len(PROVIDERS)
    page = (tmp_path / "providers" / "aws-alb.md").read_text()
    assert "| `alb.ingress.kubernetes.io/actions.<name>` | unhandled |" in page


def test_committed_docs_are_current(tmp_path: Path) -> None:
    """Regenerate the provider docs and compare: run `ing2gw docs --output docs/` when this fails."""
    write_docs(tmp_path, PROVIDERS)
    fresh = {p.name: p.read_text() for p in (tmp_path / "providers").glob("*.md")}
    committed = {p.name: p.read_text() for p in (ROOT / "docs" / "providers").glob("*.md")}
    assert sorted(committed) == sorted(fresh), "docs/providers/ has missing or extra pages"
    stale = [n for n in sorted(fresh) if fresh[n] != committed[n]]
    assert not stale, f"stale generated docs: {stale}; run `ing2gw docs --output docs/`"


def test_provider_info_counts_translated_shares() -> None:
    infos = {i.name: i for i in providers_info(PROVIDERS)}
    assert infos["voyager"].translated == 0 and infos["voyager"].translated_share == 0.0
    assert infos["voyager"].outcomes["unhandled"] == 64
    assert infos["traefik"].outcomes["unhandled"] == 0 and infos["traefik"].translated_experimental == 3


def test_explain_prints_a_translating_handlers_details_and_versions() -> None:
    from ing2gw.provider import HandlerContext, HandlerRegistry, Provider

    reg = HandlerRegistry("example.com/")

    @reg.handler("session", Outcome.TRANSLATED, gateway_api="EXP sessionPersistence", features=("session-affinity",))
    def session(hc: HandlerContext) -> None:
        """Sticky sessions.

        Example: example.com/session: "on" becomes rules[].sessionPersistence.
        """

    p = Provider(reg)
    p.name = "example"
    (m,), _ = explain("example.com/session", {"example": p})
    text = m.text()
    assert "available in: standard none; experimental v1.2-v1.6" in text
    assert "target features: session-affinity" in text and "becomes rules[].sessionPersistence" in text
    assert m.to_json()["versions"]["standard"] == []
    bare = HandlerRegistry("x.io/")
    bare.declare("k", Outcome.TRANSLATED, "Does k.")
    q = Provider(bare)
    q.name = "x"
    (m,), _ = explain("x.io/k", {"x": q})
    assert "not stated by the handler" in m.text()
