"""The Ingress-specification engine, and a property: for Ingresses of a controller without provider,
``convert``'s output answers every probe like the Ingress specification (or says why not)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from verify_helpers import backend_of, ingress, inputs_of

from ing2gw.api import ConvertOptions, convert_objects
from ing2gw.load.raw import RawObject
from ing2gw.verify.run import run_verify


def test_spec_paths_hosts_and_default_backend(generic):
    text = ingress("a", paths=[("/foo", "Prefix", "foo:80"), ("/foo/bar", "Exact", "bar:80"),
                               ("/x", "ImplementationSpecific", "x:80")], cls="other") + \
        ingress("w", host="*.example.com", paths=[("/", "Prefix", "wild:80")], cls="other") + \
        ingress("d", host=None, paths=None, default_backend="fallback:80", cls="other")
    ask = generic(text)
    assert backend_of(ask("http://a.example.com/foo/")) == "default/foo:80"
    assert backend_of(ask("http://a.example.com/foo/bar")) == "default/bar:80"
    assert backend_of(ask("http://a.example.com/foobar")) == "default/fallback:80"
    assert backend_of(ask("http://a.example.com/x/y")) == "default/x:80"
    assert backend_of(ask("http://b.example.com/z")) == "default/wild:80"
    assert backend_of(ask("http://b.c.example.com/z")) == "default/fallback:80"
    # an ImplementationSpecific answer names the field it depends on
    assert any(c.subject.endswith(".pathType") for c in ask("http://a.example.com/x").causes)


SEGMENTS = st.sampled_from(["a", "b", "ab", "api"])
PATHS = st.lists(SEGMENTS, min_size=0, max_size=3).map(lambda s: "/" + "/".join(s))
ENTRY = st.tuples(PATHS, st.sampled_from(["Exact", "Prefix"]), st.sampled_from(["s1:80", "s2:80", "s3:8080"]))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(["a.example.com", "b.example.com", None]),
                          st.lists(ENTRY, min_size=1, max_size=4)), min_size=1, max_size=3))
def test_converted_spec_ingresses_verify(ingresses):
    text = "".join(ingress(f"i{n}", host=host, paths=paths, cls="other", ts=f"2024-01-0{n + 1}T00:00:00Z")
                   for n, (host, paths) in enumerate(ingresses))
    inputs = inputs_of(text)
    import yaml

    raws = [RawObject(d) for d in yaml.safe_load_all(text) if d]
    result = convert_objects(raws, ConvertOptions())
    report = run_verify(inputs, result.objects, result.options, result.notifications)
    assert not report.differing, [(r.probe.label(), r.ingress.show(), r.gateway.show()) for r in report.differing]
