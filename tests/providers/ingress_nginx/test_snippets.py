"""snippets.py: snippets and ModSecurity are unsupported; requirements only when they may have been active."""

from __future__ import annotations

import pytest

from ing2gw.model import Outcome

ACTIVE = {"allow-snippet-annotations": "true", "annotations-risk-level": "Critical"}


@pytest.mark.parametrize("key,context", [("configuration-snippet", "location"), ("server-snippet", "server"),
                                         ("stream-snippet", "stream")])
def test_snippets_unsupported_with_requirement(nginx, key, context):
    text = 'more_set_headers "X-Frame-Options: DENY";\nproxy_set_header X-A b;'
    r = nginx({key: text}, config=ACTIVE)
    n = r.note(key)
    assert n.outcome is Outcome.UNSUPPORTED
    assert "more_set_headers, proxy_set_header" in n.message and "active" in n.message
    assert "DENY" not in n.message  # the text is never echoed
    assert r.linked(key).params == {"context": context, "text": text}


def test_snippet_unknown_without_config(nginx):
    r = nginx({"configuration-snippet": "return 403;"})
    assert r.outcome("configuration-snippet") is Outcome.UNSUPPORTED
    assert "unknown" in r.note("configuration-snippet").message
    assert r.req("snippet").params["context"] == "location"


@pytest.mark.parametrize("config,why", [({"allow-snippet-annotations": "false"}, "allow-snippet-annotations"),
                                        ({"allow-snippet-annotations": "true"}, "annotations-risk-level is High")])
def test_snippet_inert_in_source_cluster(nginx, config, why):
    r = nginx({"server-snippet": "return 403;"}, config=config)
    n = r.note("server-snippet")
    assert n.outcome is Outcome.UNSUPPORTED and "inert" in n.message and why in n.message
    assert n.requirement is None and r.reqs("snippet") == []


def test_strict_fails_on_snippets(nginx):
    assert nginx({"configuration-snippet": "return 403;"}, strict=True).result.exit_code == 1
    assert nginx({"configuration-snippet": "return 403;"}).result.exit_code == 0


def test_modsecurity_group(nginx):
    r = nginx({"enable-modsecurity": "true", "enable-owasp-core-rules": "true",
               "modsecurity-transaction-id": "$request_id", "modsecurity-snippet": "SecRuleEngine On"}, config=ACTIVE)
    req = r.req("waf")
    assert req.params == {"engine": "modsecurity", "rules": "SecRuleEngine On", "owasp_crs": True,
                          "transaction_id": "$request_id"}
    for key in ("enable-modsecurity", "enable-owasp-core-rules", "modsecurity-transaction-id", "modsecurity-snippet"):
        assert r.outcome(key) is Outcome.UNSUPPORTED and r.linked(key).id == req.id


def test_modsecurity_off_and_snippet_inert(nginx):
    r = nginx({"enable-modsecurity": "false", "enable-owasp-core-rules": "true"}, config={})
    assert r.outcome("enable-modsecurity") is Outcome.NOT_ROUTING
    assert r.outcome("enable-owasp-core-rules") is Outcome.NOT_ROUTING
    r = nginx({"enable-modsecurity": "false"}, config={"enable-modsecurity": "true"})
    assert r.outcome("enable-modsecurity") is Outcome.CAVEAT
    r = nginx({"enable-modsecurity": "true", "modsecurity-snippet": "SecRuleEngine On"},
              config={"allow-snippet-annotations": "false"})
    assert r.outcome("modsecurity-snippet") is Outcome.UNSUPPORTED
    assert r.note("modsecurity-snippet").requirement is None
    assert r.req("waf").params["rules"] is None


def test_modsecurity_bad_values(nginx):
    r = nginx({"enable-modsecurity": "on!", "modsecurity-transaction-id": "$request id"})
    assert r.outcome("enable-modsecurity") is Outcome.ERROR
    assert r.outcome("modsecurity-transaction-id") is Outcome.ERROR
