"""Request mirroring (mirror.py)."""

from __future__ import annotations

from routing_helpers import convert, ingress, outcome, rules

from ing2gw.model import Outcome


def test_in_cluster_mirror() -> None:
    r = convert(ingress(ann={"mirror-target": "http://shadow.default.svc.cluster.local:8080$request_uri",
                             "mirror-request-body": "on"}))
    f = rules(r, "a-example-com")[0]["filters"]
    assert f == [{"type": "RequestMirror", "requestMirror": {"backendRef": {"name": "shadow", "port": 8080}}}]
    assert outcome(r, "mirror-target").outcome is Outcome.TRANSLATED
    assert outcome(r, "mirror-request-body").outcome is Outcome.TRANSLATED


def test_cross_namespace_and_unsupported_settings() -> None:
    r = convert(ingress(ann={"mirror-target": "http://shadow.test.svc$request_uri", "mirror-host": "x",
                             "mirror-request-body": "off"}))
    assert rules(r, "a-example-com")[0]["filters"][0]["requestMirror"]["backendRef"] == {
        "name": "shadow", "namespace": "test", "port": 80}
    assert outcome(r, "mirror-target").outcome is Outcome.CAVEAT
    assert outcome(r, "mirror-host").outcome is Outcome.UNSUPPORTED
    assert outcome(r, "mirror-request-body").outcome is Outcome.UNSUPPORTED


def test_external_mirror_is_reported() -> None:
    r = convert(ingress(ann={"mirror-target": "https://collector.example.org$request_uri"}))
    assert outcome(r, "mirror-target").outcome is Outcome.UNSUPPORTED
    assert "filters" not in rules(r, "a-example-com")[0]


def test_mirror_settings_without_target() -> None:
    r = convert(ingress(ann={"mirror-host": "x", "mirror-request-body": "off"}))
    assert outcome(r, "mirror-host").outcome is Outcome.NOT_ROUTING
    assert outcome(r, "mirror-request-body").outcome is Outcome.NOT_ROUTING
