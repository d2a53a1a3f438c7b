"""Properties: any mix of F5 NGINX keys and values converts without a crash, with exactly one outcome per key."""

from __future__ import annotations

from collections import Counter

from f5_helpers import convert, ingress
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ing2gw import plugins

KEYS = sorted(h.key for h in plugins.providers()["f5-nginx"].registry)
VALUES = ["true", "false", "0", "3", "-1", "10s", "1m", "8 4k", "16k", "1g", "10r/s", "301", "308", "x", "",
          "serviceName=app rewrite=/", "serviceName=app id expires=1h", "app", "/app", "/v2/$1", "$http_x",
          "case_sensitive", "exact", "master", "minion", "least_conn", "hash $request_uri consistent", "404,5xx",
          "X-A: b", "X-A: $x", "gzip on;", "default/policy", "https://login.example.com", "HIGH:!aNULL", "on"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(KEYS), st.sampled_from(VALUES), max_size=8),
       st.dictionaries(st.sampled_from(KEYS), st.sampled_from(VALUES), max_size=4),
       st.dictionaries(st.sampled_from(KEYS), st.sampled_from(VALUES), max_size=4), st.booleans())
def test_every_key_gets_one_outcome(keys, master_keys, minion_keys, tls):
    objs = [ingress(keys, paths=("/a", "/b/", ("/c", "Exact")), tls=tls, created="2026-01-01T00:00:01Z"),
            ingress({**master_keys, "nginx.org/mergeable-ingress-type": "master"}, name="m", paths=(), tls=True,
                    host="m.example.com", created="2026-01-01T00:00:00Z"),
            ingress({**minion_keys, "nginx.org/mergeable-ingress-type": "minion"}, name="c", paths=("/c/",),
                    host="m.example.com")]
    run = convert(objs, channel="experimental")
    for obj in objs:
        meta = obj["metadata"]
        counts = Counter(n.subject for n in run.result.notifications
                         if n.source.name == meta["name"] and n.source.annotation is not None)
        for key in meta["annotations"]:
            assert counts[key] == 1, (meta["name"], key, counts[key])
