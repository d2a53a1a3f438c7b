"""The Traefik registry: every key has one outcome, a one-line doc, the four doc sections; legacy keys."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ing2gw_providers.traefik import PROVIDER
from ing2gw_providers.traefik.legacy import ROWS as LEGACY

from ing2gw import plugins
from ing2gw.catalogue import CLASSES, gateway_class
from ing2gw.model import Outcome

HANDLERS = list(PROVIDER.registry)
SECTIONS = ("What the controller does:", "Gateway API equivalent:", "Caveats:", "Example:")


def test_provider_is_installed_and_knows_every_key_of_the_notes():
    assert plugins.providers()["traefik"] is PROVIDER
    assert len(HANDLERS) == 86 and len(LEGACY) == 58


@pytest.mark.parametrize("h", HANDLERS, ids=lambda h: h.key)
def test_every_key_is_documented(h):
    assert h.outcome is not Outcome.UNHANDLED
    assert h.doc and "\n" not in h.doc and h.doc.endswith("."), h.key
    assert all(s in h.details for s in SECTIONS), h.key
    assert gateway_class(h.gateway_api)[0] in CLASSES, h.key


def test_keys_are_case_insensitive_and_indexed():
    r = PROVIDER.registry
    assert r.get("traefik.ingress.kubernetes.io/router.pathMatcher") is r.get("traefik.ingress.kubernetes.io/router.pathmatcher")
    assert r.get("traefik.ingress.kubernetes.io/router.tls.domains.3.sans") is not None


def test_legacy_keys_are_not_routing_with_the_replacement(traefik):
    r = traefik({"rewrite-target": "/", "ingress.kubernetes.io/ssl-redirect": "true", "frontend-entry-points": "http"})
    assert r.outcome("rewrite-target") is Outcome.NOT_ROUTING
    assert "Middleware" in r.note("rewrite-target").message
    assert r.outcome("ingress.kubernetes.io/ssl-redirect") is Outcome.NOT_ROUTING
    assert "router.entrypoints" in r.note("frontend-entry-points").message
    assert r.route()["spec"]["rules"][0].get("filters") is None


def test_unknown_key_gets_a_suggestion(traefik):
    n = traefik({"router.entrypoint": "web"}).note("router.entrypoint")
    assert n.outcome is Outcome.UNHANDLED and "router.entrypoints" in (n.hint or "")


KEYS = sorted(h.key.replace("<n>", "0") for h in HANDLERS)
VALUES = st.sampled_from(["true", "false", "0", "42", "-1", "", "web,websecure", "ns-mw@kubernetescrd", "Path",
                          "PathRegexp", "https", "h2c", "lax", "detailed", "v2", "a b", "yes"])


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=6),
       st.dictionaries(st.sampled_from([k for k in KEYS if k.startswith("traefik.")]), VALUES, max_size=6),
       st.sampled_from(["standard", "experimental"]))
def test_every_annotation_gets_exactly_one_outcome(ing_ann, svc_ann, channel):
    """On the Ingress every key; on the Service the traefik.ingress.kubernetes.io/ keys (the ones Traefik reads)."""
    from ing2gw.api import ConvertOptions, convert_objects

    ing = {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
           "metadata": {"name": "w", "namespace": "shop", "annotations": ing_ann},
           "spec": {"ingressClassName": "traefik", "tls": [{"hosts": ["a.example.com"], "secretName": "s"}],
                    "rules": [{"host": "a.example.com", "http": {"paths": [
                        {"path": "/p", "pathType": "ImplementationSpecific",
                         "backend": {"service": {"name": "app", "port": {"number": 443}}}}]}}]}}
    svc = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "app", "namespace": "shop",
                                                               "annotations": svc_ann},
           "spec": {"ports": [{"port": 443, "name": "https"}]}}
    result = convert_objects([ing, svc], ConvertOptions(channel=channel))  # type: ignore[arg-type]
    for kind, anns in (("Ingress", ing_ann), ("Service", svc_ann)):
        for key in anns:
            found = [n for n in result.notifications if n.subject == key and n.source.kind == kind]
            assert len(found) == 1, (kind, key, found)
