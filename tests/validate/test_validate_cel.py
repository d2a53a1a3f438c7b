"""The CEL layer: every rule of every shipped CRD runs (or is a transition rule), the Kubernetes library
functions behave as in the API server, defaults are in place before rules run, nothing passes silently."""

from __future__ import annotations

import subprocess
import sys
from fractions import Fraction

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from validate_support import GATEWAY_API, TARGET_CRDS, needs_crds

from ing2gw.validate import CRDSet, Validator, read_crd_files
from ing2gw.validate import cel as celrules


def _rules(schema: object, out: set[str]) -> set[str]:
    if isinstance(schema, dict):
        for r in schema.get("x-kubernetes-validations") or ():
            out.add(r["rule"])
        for v in schema.values():
            _rules(v, out)
    elif isinstance(schema, list):
        for v in schema:
            _rules(v, out)
    return out


def all_rules(base) -> set[str]:
    out: set[str] = set()
    for crd in read_crd_files([base]):
        if crd.get("kind") == "CustomResourceDefinition":
            for v in crd["spec"]["versions"]:
                _rules(v.get("schema", {}).get("openAPIV3Schema"), out)
    return out


@needs_crds
@pytest.mark.parametrize("base", ["gateway-api", "target-crds"])
def test_every_rule_compiles_or_is_a_transition_rule(base: str) -> None:
    rules = all_rules(GATEWAY_API if base == "gateway-api" else TARGET_CRDS)
    assert len(rules) > 50
    failing = {r: celrules.compile_rule(r).reason for r in rules if celrules.compile_rule(r).program is None}
    assert all(celrules.compile_rule(r).transition for r in failing), failing


@pytest.mark.parametrize(("expr", "value", "expected"), [
    ("isIP(self)", "10.1.2.3", True),
    ("isIP(self)", "2001:db8::1", True),
    ("isIP(self)", "fe80::1%eth0", False),
    ("isIP(self)", "010.1.2.3", False),
    ("isIP(self)", "example.com", False),
    ("self.substring(2) == 'example.com'", "*.example.com", True),
    ("self.split('/')[0] == 'example.com'", "example.com/x", True),
    ("self.indexOf('*') == self.lastIndexOf('*')", "a*b", True),
    ("self.lowerAscii() != 'host'", "Host", False),
    ("quantity(self).isLessThan(quantity('4Gi'))", "1Gi", True),
    ("quantity(self).isGreaterThan(quantity('1500m'))", "1", False),
    ("isURL(self) && url(self).getScheme() == 'https' && url(self).getHostname() == 'a.example.com'",
     "https://a.example.com:8443/p", True),
    ("format.dns1123Label().validate(self) == null", "web-1", True),
    ("format.dns1123Label().validate(self) == null", "Web_1", False),
    ("size(self) == 4", "café", True),  # code points, not UTF-8 bytes
    ("self.size() <= 3", "ééé", True),
    ("duration(self) < duration('1h')", "59m59s", True),
    ("has(self.?a.b)", {"a": {"b": 1}}, True),
    ("has(self.?a.b)", {"c": 1}, False),
    ("self.?a.?b.orValue(false)", {"a": {}}, False),
    ("self.?a.?b.orValue(false)", {"a": {"b": True}}, True),
])
def test_kubernetes_functions(expr: str, value: object, expected: bool) -> None:
    compiled = celrules.compile_rule(expr)
    assert compiled.program is not None, compiled.reason
    assert celrules.evaluate(compiled, value) is expected  # the engine finds out whether value is ASCII


def test_rules_count_code_points_in_non_ascii_values() -> None:
    schema = {"type": "object", "properties": {"name": {"type": "string"}, "n": {"type": "integer"}},
              "x-kubernetes-validations": [{"rule": "size(self.name) <= 3", "message": "short"},
                                           {"rule": "!has(self.n) || self.n > 0", "message": "positive"}]}
    v = Validator(crd(schema))
    assert v.validate_one(widget({"name": "ééé", "n": 1}))[0] == []
    assert [f.message for f in v.validate_one(widget({"name": "éééé", "n": 1}))[0]] == ["short"]
    assert [f.message for f in v.validate_one(widget({"name": "abcd"}))[0]] == ["short"]


def test_quantities() -> None:
    assert celrules.parse_quantity("1Ki") == 1024
    assert celrules.parse_quantity("250m") == Fraction(1, 4)
    assert celrules.parse_quantity("1e3") == 1000
    with pytest.raises(ValueError):
        celrules.parse_quantity("1 GB")


def test_reserved_property_names_are_escaped() -> None:
    assert celrules.escape_property("namespace") == "__namespace__"
    assert celrules.escape_property("a-b.c") == "a__dash__b__dot__c"
    assert celrules.escape_property("port") == "port"


def crd(schema: dict, kind: str = "Widget") -> CRDSet:
    return CRDSet.from_dicts([{
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "metadata": {"name": "widgets.example.com"},
        "spec": {"group": "example.com", "names": {"kind": kind, "plural": "widgets"}, "scope": "Namespaced",
                 "versions": [{"name": "v1", "served": True, "storage": True,
                               "schema": {"openAPIV3Schema": {"type": "object", "properties": {"spec": schema}}}}]},
    }])


def widget(spec: dict) -> dict:
    return {"apiVersion": "example.com/v1", "kind": "Widget", "metadata": {"name": "w", "namespace": "ns"},
            "spec": spec}


def test_defaults_are_applied_before_rules() -> None:
    schema = {"type": "object", "properties": {
        "mode": {"type": "string", "default": "Strict"},
        "level": {"type": "integer"}},
        "x-kubernetes-validations": [{"rule": "self.mode != 'Strict' || has(self.level)",
                                      "message": "level is required in Strict mode"}]}
    v = Validator(crd(schema))
    findings, _ = v.validate_one(widget({}))
    assert [(f.path, f.message) for f in findings] == [("spec", "level is required in Strict mode")]
    assert v.validate_one(widget({"mode": "Loose"}))[0] == []


def test_unknown_functions_and_transition_rules_are_stated() -> None:
    schema = {"type": "object", "properties": {"a": {"type": "string"}}, "x-kubernetes-validations": [
        {"rule": "self.a.frobnicate()", "message": "a must frobnicate"},
        {"rule": "self.a == oldSelf.a", "message": "a is immutable"}]}
    findings, _ = Validator(crd(schema)).validate_one(widget({"a": "x"}))
    assert [(f.kind, f.message.split(" [")[0]) for f in findings] == [("not-evaluated", "a must frobnicate")]
    assert "frobnicate" in findings[0].message


def test_evaluation_errors_reject() -> None:
    schema = {"type": "object", "properties": {"a": {"type": "string"}},
              "x-kubernetes-validations": [{"rule": "self.a == 'x'", "message": "a must be x"}]}
    findings, _ = Validator(crd(schema)).validate_one(widget({}))
    assert [f.kind for f in findings] == ["rule"]
    assert "could not be evaluated" in findings[0].message


def test_list_set_uniqueness_and_numbers() -> None:
    schema = {"type": "object", "properties": {
        "tags": {"type": "array", "items": {"type": "string"}, "x-kubernetes-list-type": "set"},
        "ratio": {"type": "number", "maximum": 1, "x-kubernetes-validations": [{"rule": "self > 0.0",
                                                                                 "message": "ratio > 0"}]}}}
    v = Validator(crd(schema))
    findings, _ = v.validate_one(widget({"tags": ["a", "b", "a"], "ratio": 0}))
    assert sorted((f.path, f.message.split(":")[0]) for f in findings) == [
        ("spec.ratio", "ratio > 0"), ("spec.tags[2]", "Duplicate value")]
    assert v.validate_one(widget({"tags": ["a"], "ratio": 1}))[0] == []  # an int in a number field is a double


def test_objects_outside_the_crds_are_skipped_not_failed() -> None:
    report = Validator(crd({"type": "object"})).validate([
        {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "s"}}, widget({})])
    assert report.checked == 1 and report.skipped == ["Service s"] and report.ok


@needs_crds
def test_target_crds_validate_objects() -> None:
    from ing2gw.validate import validate_objects

    eg = next(p for p in (TARGET_CRDS / "envoy-gateway").iterdir() if p.is_dir())
    policy = yaml.safe_load("""
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: BackendTrafficPolicy
metadata: {name: p, namespace: ns}
spec:
  targetRefs: [{group: gateway.networking.k8s.io, kind: HTTPRoute, name: web}]
  timeout: {http: {requestTimeout: 10s}}
""")
    assert validate_objects([policy], [eg]).ok
    policy["spec"]["targetRefs"][0]["kind"] = "Service"
    policy["spec"]["targetRefs"][0]["group"] = ""
    report = validate_objects([policy], [eg])
    assert not report.ok and report.errors[0].path.startswith("spec")


_TLS = st.fixed_dictionaries({}, optional={
    "mode": st.sampled_from(["Terminate", "Passthrough", ""]), "certificateRefs": st.lists(st.just({"name": "c"}), max_size=1),
    "options": st.dictionaries(st.just("k"), st.just("v"), max_size=1)})
LISTENER = st.fixed_dictionaries({}, optional={
    "name": st.sampled_from(["a", "b", "c"]), "port": st.sampled_from([80, 443]),
    "protocol": st.sampled_from(["HTTP", "HTTPS", "TLS", "TCP", "UDP"]),
    "hostname": st.sampled_from(["x.example.com", "y.example.com", ""]), "tls": _TLS})


def _engine(rule: str, value: object) -> bool | str:
    try:
        return celrules.evaluate(celrules.compile_rule(rule), value)
    except celrules.EvalError:
        return "error"


@settings(max_examples=300, deadline=None)
@given(st.lists(LISTENER, max_size=6))
def test_listener_equivalents_agree_with_the_engine(listeners: list[dict]) -> None:
    assert len(celrules.LISTENER_RULES_ACCELERATED) == 8
    for rule, fast in celrules.LISTENER_RULES_ACCELERATED.items():
        verdict, engine = fast(listeners), _engine(rule, listeners)
        if verdict is not None:
            assert verdict == engine, (rule, listeners)
        else:  # undecided only where a field the rule reads is missing
            assert any(k not in item for item in listeners for k in ("name", "port", "protocol")) or any(
                "mode" not in item.get("tls", {"mode": ""}) for item in listeners), (rule, listeners)
    for item in listeners:
        if "tls" in item:
            verdict, engine = celrules.ACCELERATED[celrules.TLS_CONFIG_RULE](item["tls"]), _engine(
                celrules.TLS_CONFIG_RULE, item["tls"])
            assert verdict == engine if verdict is not None else engine == "error", item["tls"]


def test_listener_equivalents_decide_the_usual_cases() -> None:
    rules = celrules.LISTENER_RULES_ACCELERATED
    https = {"name": "h", "port": 443, "protocol": "HTTPS", "tls": {"mode": "Terminate", "certificateRefs": [{}]}}
    plain = {"name": "p", "port": 80, "protocol": "HTTP"}
    assert all(fast([https, plain]) is True for fast in rules.values())
    assert any(fast([{**plain, "tls": {}}]) is False for fast in rules.values())
    assert any(fast([{**https, "tls": {"mode": "Passthrough"}}]) is False for fast in rules.values())
    assert any(fast([{**plain, "protocol": "TCP", "hostname": "a.example.com"}]) is False for fast in rules.values())
    terminate = celrules.ACCELERATED[celrules.TLS_CONFIG_RULE]
    assert terminate(https["tls"]) is True and terminate({"mode": "Terminate", "certificateRefs": []}) is None
    assert terminate({"mode": "Terminate", "certificateRefs": [], "options": {}}) is False


def test_fields_read_only_when_self_is_only_selected() -> None:
    assert celrules.fields_read(("has(self.a) && self.b.exists(x, x == 'self.c')",)) == {"a", "b"}
    assert celrules.fields_read(("self.all(k, k != '')",)) is None  # iterates map keys
    assert celrules.fields_read(("size(self) < 3",)) is None
    assert celrules.fields_read(("self.size() < 3",)) is None


def test_patterns_anchor_like_go_and_nulls_are_reported() -> None:
    schema = {"type": "object", "properties": {"host": {"type": "string", "pattern": "^[a-z.]+$"},
                                               "port": {"type": "integer"}}}
    v = Validator(crd(schema))
    assert v.validate_one(widget({"host": "a.example.com"}))[0] == []
    findings, _ = v.validate_one(widget({"host": "a.example.com\n", "port": None}))
    assert sorted((f.path, f.message.split(":")[0]) for f in findings) == [
        ("spec.host", "Invalid value"), ("spec.port", "must not be null (not nullable")]


PARENT_REF = st.fixed_dictionaries(
    {"group": st.sampled_from(["gateway.networking.k8s.io", ""]), "kind": st.just("Gateway"),
     "name": st.sampled_from(["a", "b"])},
    optional={"__namespace__": st.sampled_from(["", "x", "y"]), "sectionName": st.sampled_from(["", "http", "https"]),
              "port": st.sampled_from([0, 80, 443])})
_PATH = st.fixed_dictionaries({}, optional={"type": st.sampled_from(["PathPrefix", "Exact", "ReplacePrefixMatch",
                                                                      "ReplaceFullPath"]),
                                           "replacePrefixMatch": st.just("/x")})
_FILTER = st.fixed_dictionaries({}, optional={"requestRedirect": st.fixed_dictionaries({}, optional={"path": _PATH}),
                                              "urlRewrite": st.fixed_dictionaries({}, optional={"path": _PATH})})
ROUTE_RULE = st.fixed_dictionaries({}, optional={
    "matches": st.one_of(st.lists(st.just({}), max_size=70), st.lists(st.fixed_dictionaries({}, optional={
        "path": st.fixed_dictionaries({}, optional={"type": st.sampled_from(["PathPrefix", "Exact"])})}), max_size=2)),
    "backendRefs": st.lists(st.fixed_dictionaries({"name": st.just("s")}, optional={
        "filters": st.lists(_FILTER, max_size=2)}), max_size=2), "filters": st.lists(_FILTER, max_size=3)})


@settings(max_examples=300, deadline=None)
@given(st.lists(PARENT_REF, max_size=5), st.lists(ROUTE_RULE, max_size=18))
def test_route_rule_equivalents_agree_with_the_engine(refs: list[dict], rules: list[dict]) -> None:
    assert len(celrules.ROUTE_RULES_ACCELERATED) == 13
    for rule, fast in celrules.ROUTE_RULES_ACCELERATED.items():
        values = [refs] if "p1" in rule else [rules] if rule.startswith("(self.size()") else rules
        for value in values:
            verdict = fast(value)
            try:
                engine: bool | str = celrules.evaluate(celrules.compile_rule(rule), value)
            except celrules.EvalError:
                engine = "error"
            if verdict is not None:
                assert verdict == engine, (rule, value)
            else:
                assert engine == "error" or "p1" not in rule, (rule, value)


def test_route_rule_equivalents_decide_the_usual_cases() -> None:
    refs = [{"group": "g", "kind": "Gateway", "name": "a", "sectionName": "http"},
            {"group": "g", "kind": "Gateway", "name": "a", "sectionName": "https"}]
    unique = celrules.ACCELERATED[celrules._PARENTS_UNIQUE_PORT]
    alike = celrules.ACCELERATED[celrules._PARENTS_SET_ALIKE_PORT]
    assert unique(refs) is True and alike(refs) is True
    assert unique(refs + [refs[0]]) is False
    assert alike(refs + [{"group": "g", "kind": "Gateway", "name": "a"}]) is False
    many = celrules.ACCELERATED[celrules._RULE_MATCHES_AT_MOST_128]
    assert many([{"matches": [{}] * 64}] * 2) is True and many([{"matches": [{}] * 64}] * 3) is False


def test_value_constraints_of_every_node_shape() -> None:
    schema = {"type": "object", "properties": {
        "mode": {"type": "string", "enum": ["A", "B"], "maxLength": 1},
        "name": {"type": "string", "minLength": 2, "maxLength": 3, "pattern": "^[a-z]+$"},
        "port": {"type": "integer", "minimum": 1, "maximum": 65535},
        "weight": {"type": "integer", "maximum": 10, "exclusiveMaximum": True},
        "mixed": {"enum": ["x", 1]},
        "ratio": {"type": "number", "minimum": 0.5}}}
    v = Validator(crd(schema))
    assert v.validate_one(widget({"mode": "A", "name": "ab", "port": 1, "weight": 9, "mixed": 1, "ratio": 0.5}))[0] == []
    findings, _ = v.validate_one(widget({"mode": "C", "name": "ABCD", "port": 0, "weight": 10, "mixed": "y",
                                         "ratio": 0.4}))
    assert sorted((f.path, f.message) for f in findings) == [
        ("spec.mixed", 'Unsupported value: "y": supported values: "x", 1'),
        ("spec.mode", 'Unsupported value: "C": supported values: "A", "B"'),
        ("spec.name", "Invalid value: \"ABCD\": should match '^[a-z]+$'"),
        ("spec.name", "Too long: may not be more than 3 characters"),
        ("spec.port", "Invalid value: 0: should be greater than or equal to 1"),
        ("spec.ratio", "Invalid value: 0.4: should be greater than or equal to 0.5"),
        ("spec.weight", "Invalid value: 10: should be less than 10")]
    findings, _ = v.validate_one(widget({"port": 70000, "name": "a"}))
    assert sorted(f.message for f in findings) == ["Invalid value: 70000: should be less than or equal to 65535",
                                                   "Too short: must be at least 2 characters"]
    # leaves answered at once when valid still report everything else: other types, null, a bool for a number
    findings, _ = v.validate_one(widget({"name": 12, "port": True, "mode": None, "weight": "9"}))
    assert sorted((f.path, f.message) for f in findings if f.path) == [
        ("spec.mode", "must not be null (not nullable: the API server would drop the field)"),
        ("spec.name", "must be of type string, not integer"),
        ("spec.port", "must be of type integer, not boolean"),
        ("spec.weight", "must be of type integer, not string")]


def test_a_schema_that_contains_itself_is_walked_as_deep_as_the_value() -> None:
    node: dict = {"type": "object", "properties": {"name": {"type": "string", "maxLength": 3}}}
    node["properties"]["child"] = node  # what a YAML alias can build
    v = Validator(crd(node))
    findings, _ = v.validate_one(widget({"name": "a", "child": {"name": "b", "child": {"name": "long"}}}))
    assert [(f.path, f.message) for f in findings] == [
        ("spec.child.child.name", "Too long: may not be more than 3 characters")]


def test_the_engine_s_interactive_shell_runs_only_when_used() -> None:
    # `import cel` would run cel.cli (prompt_toolkit, rich): 0.2 s of every validated conversion.
    check = ("import sys, ing2gw.validate.cel, cel; "
             "print('prompt_toolkit' in sys.modules, callable(cel.cli.main), 'prompt_toolkit' in sys.modules, "
             "sys.modules['cel.cli'] is cel.cli and type(cel.cli).__name__ == 'module')")
    out = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True", "True", "True"]
