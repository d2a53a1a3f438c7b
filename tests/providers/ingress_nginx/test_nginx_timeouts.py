"""proxy-*-timeout (timeouts.py) and the ConfigMap timeouts (config.py)."""

from __future__ import annotations

import pytest
from routing_helpers import configmap, convert, ingress, outcome, rules

from ing2gw.model import Outcome


@pytest.mark.parametrize("key,kind", [("proxy-connect-timeout", "connect"), ("proxy-read-timeout", "read"),
                                      ("proxy-send-timeout", "send")])
def test_timeouts_are_requirements_not_route_timeouts(key: str, kind: str) -> None:
    r = convert(ingress(ann={key: "30"}))
    n = outcome(r, key)
    assert n.outcome is Outcome.NEEDS_EMITTER and "totals" in n.message
    req = [q for q in r.model.requirements if q.id == n.requirement][0]
    assert req.feature == "backend-timeouts" and req.params[kind] == 30
    assert "timeouts" not in rules(r, "a-example-com")[0]


def test_bad_timeout_is_an_error() -> None:
    assert outcome(convert(ingress(ann={"proxy-read-timeout": "soon"})), "proxy-read-timeout").outcome is Outcome.ERROR


def test_configmap_timeouts_apply_to_the_gateway() -> None:
    cm = configmap("conf", "ingress-nginx", {"proxy-read-timeout": "120", "hsts": "false"})
    r = convert(ingress(tls=True), cm, controller_config="ingress-nginx/conf")
    reqs = [q for q in r.model.requirements if q.target == "gateway"]
    assert reqs and reqs[0].params["read"] == 120
    assert outcome(r, "proxy-read-timeout", raw=True).outcome is Outcome.NEEDS_EMITTER
    assert outcome(r, "hsts", raw=True).outcome is Outcome.TRANSLATED
    assert not [n for n in r.notifications if n.subject == "hsts (controller default)"]


def test_hsts_default_is_reported_for_tls_hosts() -> None:
    r = convert(ingress(tls=True))
    assert outcome(r, "hsts (controller default)").outcome is Outcome.CAVEAT
