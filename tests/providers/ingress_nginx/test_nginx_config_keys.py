"""Every key of the controller ConfigMap ends with one stated outcome."""

from __future__ import annotations

from routing_helpers import configmap, convert, ingress

from ing2gw.model import Outcome

DATA = {
    "ssl-redirect": "false", "proxy-read-timeout": "30",
    "add-headers": "ingress-nginx/custom-headers", "proxy-set-headers": "ingress-nginx/req-headers",
    "global-auth-url": "http://auth.example.com/verify", "whitelist-source-range": "10.0.0.0/8",
    "use-gzip": "true", "enable-brotli": "false", "server-snippet": "return 403;",
    "worker-processes": "4", "log-format-upstream": "$remote_addr", "jaeger-collector-host": "jaeger",
    "allow-snippet-annotations": "false", "some-future-key": "1",
}


def test_every_controller_configmap_key_has_one_outcome() -> None:
    r = convert(configmap("ingress-nginx-controller", "ingress-nginx", DATA), ingress())
    by_key: dict[str, list] = {}
    for n in r.notifications:
        if n.source.kind == "ConfigMap" and n.subject in DATA:
            by_key.setdefault(n.subject, []).append(n)
    assert sorted(by_key) == sorted(DATA)
    assert all(len(v) == 1 for v in by_key.values()), {k: v for k, v in by_key.items() if len(v) != 1}
    outcome = {k: v[0].outcome for k, v in by_key.items()}
    assert outcome["worker-processes"] is outcome["log-format-upstream"] is outcome["jaeger-collector-host"] \
        is Outcome.NOT_ROUTING
    assert outcome["enable-brotli"] is Outcome.NOT_ROUTING  # turned off: nothing asked
    for key in ("add-headers", "proxy-set-headers", "global-auth-url", "whitelist-source-range", "use-gzip",
                "server-snippet", "some-future-key"):
        assert outcome[key] is Outcome.UNSUPPORTED, key
    assert outcome["allow-snippet-annotations"] is Outcome.TRANSLATED
    assert "ResponseHeaderModifier" in (by_key["add-headers"][0].hint or "")
    assert "extAuth" in (by_key["global-auth-url"][0].hint or "")
    assert by_key["server-snippet"][0].source.field == "data.server-snippet"


def test_no_configmap_no_statements() -> None:
    r = convert(ingress())
    assert not [n for n in r.notifications if n.source.kind == "ConfigMap"]
