"""The routing families of the ingress-nginx registry: docs, tests, and exactly one outcome per annotation."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from ing2gw_providers.ingress_nginx import REGISTRY
from routing_helpers import P, convert, ingress

FAMILIES = {"paths", "rewrite", "redirects", "canary", "cors", "backend", "tls", "timeouts", "affinity", "mirror"}
MINE = [h for h in REGISTRY if h.family in FAMILIES]
SECTIONS = ("What the controller does:", "Gateway API equivalent:", "Caveats:", "Example:")


def test_the_routing_families_are_registered() -> None:
    assert {h.family for h in MINE} == FAMILIES
    assert len(MINE) >= 62


@pytest.mark.parametrize("handler", MINE, ids=lambda h: h.name)
def test_handler_is_documented(handler) -> None:
    assert handler.doc and not handler.doc.endswith(":")
    for section in SECTIONS:
        assert section in handler.details, (handler.name, section)


def test_every_handler_key_appears_in_a_test() -> None:
    text = "\n".join(p.read_text() for p in Path(__file__).parent.glob("test_*.py") if p.name != Path(__file__).name)
    missing = [h.name for h in MINE if f'"{h.name}"' not in text]
    assert not missing


SAMPLE = {
    "use-regex": "true", "rewrite-target": "/$2", "x-forwarded-prefix": "/p", "upstream-vhost": "up.example.com",
    "connection-proxy-header": "close", "proxy-http-version": "1.1", "custom-headers": "default/none",
    "ssl-redirect": "true", "force-ssl-redirect": "false", "preserve-trailing-slash": "false",
    "permanent-redirect": "https://x.example.com/", "permanent-redirect-code": "301",
    "temporal-redirect": "https://y.example.com/", "temporal-redirect-code": "307", "app-root": "/app",
    "from-to-www-redirect": "true", "relative-redirects": "true", "use-port-in-redirects": "true",
    "proxy-redirect-from": "http://a/", "proxy-redirect-to": "http://b/", "canary": "false",
    "canary-by-header": "X-C", "canary-by-header-value": "v", "canary-by-header-pattern": "p",
    "canary-by-cookie": "c", "canary-weight": "5", "canary-weight-total": "100", "enable-cors": "true",
    "cors-allow-origin": "*", "cors-allow-methods": "GET", "cors-allow-headers": "X-A", "cors-expose-headers": "X-B",
    "cors-allow-credentials": "true", "cors-max-age": "5", "backend-protocol": "HTTPS", "proxy-ssl-secret": "default/s",
    "proxy-ssl-verify": "off", "proxy-ssl-verify-depth": "1", "proxy-ssl-name": "n.example.com",
    "proxy-ssl-server-name": "on", "proxy-ssl-ciphers": "HIGH", "proxy-ssl-protocols": "TLSv1.2",
    "ssl-passthrough": "false", "server-alias": "b.example.com", "proxy-connect-timeout": "5",
    "proxy-read-timeout": "60", "proxy-send-timeout": "60", "affinity": "cookie", "affinity-mode": "balanced",
    "affinity-canary-behavior": "sticky", "session-cookie-name": "n", "session-cookie-path": "/",
    "session-cookie-domain": "d", "session-cookie-expires": "5", "session-cookie-max-age": "5",
    "session-cookie-samesite": "Lax", "session-cookie-conditional-samesite-none": "true",
    "session-cookie-secure": "true", "session-cookie-change-on-failure": "true",
    "mirror-target": "http://m.default.svc$request_uri", "mirror-host": "m", "mirror-request-body": "on",
}


@pytest.mark.parametrize("canary", [False, True])
def test_every_annotation_gets_exactly_one_outcome(canary: bool) -> None:
    ann = dict(SAMPLE, canary="true" if canary else "false")
    objs = [ingress("all", ann=ann, paths=(("/x(/|$)(.*)", "ImplementationSpecific", "s", 80),), tls=True)]
    if canary:
        objs.insert(0, ingress("main", ts="2020-01-01T00:00:00Z", paths=(("/x(/|$)(.*)", "ImplementationSpecific",
                                                                          "m", 80),)))
    r = convert(*objs)
    counts = Counter(n.subject for n in r.notifications if n.source.name == "all" and n.subject.startswith(P))
    assert set(counts) == {P + k for k in SAMPLE}
    assert {k: c for k, c in counts.items() if c != 1} == {}
    assert {h.name for h in MINE} == set(SAMPLE)
