"""The provider plugin API as docs/writing-a-provider.md shows it: a third-party provider, end to end."""

from __future__ import annotations

import io

import pytest
from verify.verify_helpers import ingress

from ing2gw import plugins
from ing2gw.api import ConvertOptions, convert
from ing2gw.model import HeaderModifier, Outcome
from ing2gw.provider import AnnotationValueError, HandlerContext, HandlerRegistry, Provider

REGISTRY = HandlerRegistry("example.com/")


@REGISTRY.handler("add-request-header", Outcome.TRANSLATED, features=("HTTPRoute",))
def add_request_header(ctx: HandlerContext) -> None:
    """Adds one header to requests sent to the backend.

    Example: `example.com/add-request-header: "X-Team: payments"`.
    """
    name, sep, value = ctx.value.partition(":")
    if not sep or not name.strip():
        raise AnnotationValueError('expected "Name: value"')
    for route in ctx.translation.routes:
        route.filters.append(HeaderModifier(source=ctx.source, set=((name.strip(), value.strip()),)))


REGISTRY.declare("debug", Outcome.NOT_ROUTING, "Turns on the controller's debug logging.")


class MyProvider(Provider):
    name = "my-controller"
    title = "My Controller"
    controllers = ("example.com/ingress-controller",)
    class_names = ("my",)


PROVIDER = MyProvider(REGISTRY)

INPUT = """apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: mine}
spec: {controller: example.com/ingress-controller}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  annotations:
    example.com/add-request-header: "X-Team: payments"
    example.com/debug: "true"
    example.com/add-requst-header: "typo"
spec:
  ingressClassName: mine
  rules:
  - host: a.example.com
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
"""


@pytest.fixture(autouse=True)
def installed(monkeypatch: pytest.MonkeyPatch) -> None:
    real = plugins.providers()
    monkeypatch.setattr(plugins, "providers", lambda: {**real, PROVIDER.name: PROVIDER})


def test_third_party_provider_is_dispatched_and_every_annotation_has_one_outcome() -> None:
    result = convert(["-"], ConvertOptions(), stdin=io.BytesIO(INPUT.encode()))
    route = next(o for o in result.objects if o["kind"] == "HTTPRoute")
    assert route["spec"]["rules"][0]["filters"] == [
        {"type": "RequestHeaderModifier", "requestHeaderModifier": {"set": [{"name": "X-Team", "value": "payments"}]}}]
    by_key = {n.subject: n for n in result.notifications if n.source.annotation}
    assert by_key["example.com/add-request-header"].outcome is Outcome.TRANSLATED
    assert by_key["example.com/add-request-header"].emitted == ("HTTPRoute default/a-example-com spec.rules[0].filters[0]",)
    assert by_key["example.com/debug"].outcome is Outcome.NOT_ROUTING
    typo = by_key["example.com/add-requst-header"]
    assert typo.outcome is Outcome.UNHANDLED and typo.hint == "Did you mean example.com/add-request-header?"
    assert len(by_key) == 3


def test_a_bad_value_is_an_error_for_that_annotation_only() -> None:
    text = INPUT.replace('"X-Team: payments"', '"no colon"')
    result = convert(["-"], ConvertOptions(), stdin=io.BytesIO(text.encode()))
    (err,) = [n for n in result.notifications if n.outcome is Outcome.ERROR]
    assert err.subject == "example.com/add-request-header" and "expected" in err.message
    assert any(o["kind"] == "HTTPRoute" for o in result.objects)
    assert result.exit_code == 2


CONFIG_INPUT = ingress("web", "shop.example.com", [("/", "Prefix", "web:80")], namespace="shop", cls="CLASS") + """\
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: CLASS}
spec: {controller: CONTROLLER}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: controller, namespace: infra}
data: {proxy-connect-timeout: 30s, strictPrefixMatching: "true", entryPoints.admin.http.tls: "true", ssl-redirect: "false"}
"""


@pytest.mark.parametrize(("cls", "controller", "expected"), [
    ("nginx", "nginx.org/ingress-controller", {  # F5 NGINX Ingress Controller: reads no controller ConfigMap
        "proxy-connect-timeout": Outcome.UNSUPPORTED, "strictPrefixMatching": Outcome.UNSUPPORTED,
        "entryPoints.admin.http.tls": Outcome.UNSUPPORTED, "ssl-redirect": Outcome.UNSUPPORTED}),
    ("traefik", "traefik.io/ingress-controller", {
        "proxy-connect-timeout": Outcome.UNSUPPORTED, "strictPrefixMatching": Outcome.TRANSLATED,
        "entryPoints.admin.http.tls": Outcome.TRANSLATED, "ssl-redirect": Outcome.UNSUPPORTED}),
    ("nginx", "k8s.io/ingress-nginx", {  # states every key itself: nothing is added
        "proxy-connect-timeout": Outcome.NEEDS_EMITTER, "ssl-redirect": Outcome.TRANSLATED}),
])
def test_every_key_of_the_controller_config_gets_one_outcome(tmp_path, cls: str, controller: str,
                                                            expected: dict[str, Outcome]) -> None:
    path = tmp_path / "in.yaml"
    path.write_text(CONFIG_INPUT.replace("CONTROLLER", controller).replace("CLASS", cls), encoding="utf-8")
    result = convert([str(path)], ConvertOptions(controller_config="infra/controller"))
    by_key: dict[str, list[Outcome]] = {}
    for n in result.notifications:
        if n.source.kind == "ConfigMap" and n.source.field == f"data.{n.subject}":
            by_key.setdefault(n.subject, []).append(n.outcome)
    assert set(by_key) == {"proxy-connect-timeout", "strictPrefixMatching", "entryPoints.admin.http.tls", "ssl-redirect"}
    assert all(len(v) == 1 for v in by_key.values()), by_key
    assert {k: v[0] for k, v in by_key.items() if k in expected} == expected
    if controller.startswith("nginx.org"):
        note = next(n for n in result.notifications if n.subject == "ssl-redirect")
        assert "(f5-nginx) read no controller ConfigMap" in note.message


MIXED_INPUT = (ingress("web", "shop.example.com", [("/", "Prefix", "web:80")], namespace="shop", cls="nginx")
               + "---\n" + ingress("api", "api.example.com", [("/v1", "Prefix", "api:80")], namespace="shop",
                                   cls="traefik") + """\
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: nginx}
spec: {controller: k8s.io/ingress-nginx}
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: traefik}
spec: {controller: traefik.io/ingress-controller}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: controller, namespace: infra}
data: {ssl-redirect: "false", strictPrefixMatching: "true"}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: traefik, namespace: infra}
data: {strictPrefixMatching: "true", entryPoints.web.address: ":80"}
""")


def _config_outcomes(result: object) -> dict[tuple[str, str], list[tuple[Outcome, str]]]:
    out: dict[tuple[str, str], list[tuple[Outcome, str]]] = {}
    for n in result.notifications:  # type: ignore[attr-defined]
        if n.source.kind == "ConfigMap" and n.source.field == f"data.{n.subject}":
            out.setdefault((n.source.name, n.subject), []).append((n.outcome, n.message))
    return out


def _mixed(tmp_path, **options: object) -> object:
    path = tmp_path / "in.yaml"
    path.write_text(MIXED_INPUT, encoding="utf-8")
    return convert([str(path)], ConvertOptions(**options))  # type: ignore[arg-type]


def test_a_controller_config_of_several_readers_must_name_its_controller(tmp_path) -> None:
    """ingress-nginx and Traefik both read a controller ConfigMap: one given without a name would be read by
    both, and each of its keys would get two outcomes (translated by one, not read by the other)."""
    from ing2gw.errors import UsageError

    with pytest.raises(UsageError, match=r"several controllers .*\(ingress-nginx, traefik\).*"
                                         r"--controller-config ingress-nginx=infra/controller"):
        _mixed(tmp_path, controller_config="infra/controller")


def test_each_controller_reads_only_the_config_named_for_it(tmp_path) -> None:
    result = _mixed(tmp_path, controller_configs={"ingress-nginx": "infra/controller", "traefik": "infra/traefik"})
    outcomes = _config_outcomes(result)
    assert all(len(v) == 1 for v in outcomes.values()), outcomes
    assert set(outcomes) == {("controller", "ssl-redirect"), ("controller", "strictPrefixMatching"),
                             ("traefik", "strictPrefixMatching"), ("traefik", "entryPoints.web.address")}
    assert outcomes[("controller", "ssl-redirect")][0][0] is Outcome.TRANSLATED  # ingress-nginx's
    assert outcomes[("controller", "strictPrefixMatching")][0][0] is Outcome.UNSUPPORTED  # not a key of nginx
    assert outcomes[("traefik", "strictPrefixMatching")][0] == (Outcome.TRANSLATED,
                                                               "read: how Traefik matched path prefixes")


def test_a_config_named_for_one_controller_is_not_read_by_the_other(tmp_path) -> None:
    """Only ingress-nginx reads infra/controller: its ssl-redirect=false removes nginx's redirect, and its
    strictPrefixMatching does not change how Traefik's /v1 matches (Traefik reads no ConfigMap here)."""
    named = _mixed(tmp_path, controller_configs={"ingress-nginx": "infra/controller"})
    outcomes = _config_outcomes(named)
    assert all(len(v) == 1 for v in outcomes.values()) and len(outcomes) == 2, outcomes
    only_nginx = [n for n in named.notifications if n.source.name == "api"]  # type: ignore[attr-defined]
    strict = _mixed(tmp_path, controller_configs={"ingress-nginx": "infra/controller", "traefik": "infra/traefik"})
    with_traefik = [n for n in strict.notifications if n.source.name == "api"]  # type: ignore[attr-defined]
    assert [n.message for n in only_nginx] != [n.message for n in with_traefik]  # Traefik's strict mode shows


def test_a_config_named_for_a_provider_without_ingresses_is_stated_as_not_read(tmp_path) -> None:
    result = _mixed(tmp_path, controller_configs={"haproxy-ingress": "infra/traefik"}, ingress_classes=("nginx",))
    outcomes = _config_outcomes(result)
    assert {k[1] for k in outcomes if k[0] == "traefik"} == {"strictPrefixMatching", "entryPoints.web.address"}
    (outcome, message), = outcomes[("traefik", "strictPrefixMatching")]
    assert outcome is Outcome.UNSUPPORTED and "no Ingress of provider haproxy-ingress was converted" in message


@pytest.mark.parametrize(("options", "match"), [
    ({"controller_configs": {"nope": "infra/controller"}}, "unknown provider 'nope'"),
    ({"controller_configs": {"traefik": "infra/missing"}}, "traefik=infra/missing: no such ConfigMap"),
    ({"controller_config": "infra/controller", "controller_configs": {"traefik": "infra/controller"}},
     "already given; a controller ConfigMap holds the settings of one controller"),
])
def test_controller_config_mistakes_are_usage_errors(tmp_path, options: dict[str, object], match: str) -> None:
    from ing2gw.errors import UsageError

    with pytest.raises(UsageError, match=match):
        _mixed(tmp_path, **options)


def test_an_unnamed_config_left_over_names_the_providers_that_read_their_own(tmp_path) -> None:
    """ingress-nginx reads the ConfigMap named for it and Traefik is left out: the unnamed one has no reader,
    and its keys say why (not "read no controller ConfigMap", which ingress-nginx does)."""
    result = _mixed(tmp_path, controller_config="infra/traefik", controller_configs={"ingress-nginx": "infra/controller"},
                    ingress_classes=("nginx",))
    outcomes = _config_outcomes(result)
    assert all(len(v) == 1 for v in outcomes.values()), outcomes
    (outcome, message), = outcomes[("traefik", "strictPrefixMatching")]
    assert outcome is Outcome.UNSUPPORTED
    assert message.startswith("not read: ingress-nginx read the ConfigMap given for them")
