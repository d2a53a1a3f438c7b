"""Property: any valid set of Ingresses converts to output that the Gateway API CRDs of the chosen version
and channel accept (convert validates its own output and raises InternalError otherwise)."""

from __future__ import annotations

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from validate_support import needs_crds

from ing2gw.api import ConvertOptions, convert_objects
from ing2gw.core.versions import VERSIONS

LABEL = st.text(string.ascii_lowercase + string.digits, min_size=1, max_size=8).filter(lambda s: s[0].isalpha())
HOST = st.one_of(
    st.builds(lambda a, b: f"{a}.{b}.example.com", LABEL, LABEL),
    st.builds(lambda a: f"*.{a}.example.com", LABEL),
    st.just("example.com"),
)
# Ingress accepts much more in a path than HTTPRoute does: the converter must encode or report it.
SEGMENT = st.text(string.ascii_letters + string.digits + "-._~%!$&'()*+,;=:@ {}|^[]\"<>\\#é", min_size=0, max_size=6)
SAFE_SEGMENT = st.text(string.ascii_letters + string.digits + "-._~", min_size=1, max_size=8)
PATH = st.lists(st.one_of(SAFE_SEGMENT, SAFE_SEGMENT, SAFE_SEGMENT, SEGMENT), min_size=0, max_size=3).map(
    lambda segs: "/" + "/".join(segs))
BACKEND = st.fixed_dictionaries({"service": st.fixed_dictionaries({
    "name": LABEL, "port": st.one_of(st.fixed_dictionaries({"number": st.integers(1, 65535)}),
                                     st.fixed_dictionaries({"name": st.sampled_from(["http", "https", "grpc"])}))})})
HTTP_PATH = st.fixed_dictionaries({
    "path": PATH, "pathType": st.sampled_from(["Prefix", "Exact", "ImplementationSpecific"]), "backend": BACKEND})
RULE = st.fixed_dictionaries({"http": st.fixed_dictionaries({"paths": st.lists(HTTP_PATH, min_size=1, max_size=4)})},
                             optional={"host": HOST})
ANNOTATIONS = st.dictionaries(
    st.sampled_from(["nginx.ingress.kubernetes.io/rewrite-target", "nginx.ingress.kubernetes.io/ssl-redirect",
                     "nginx.ingress.kubernetes.io/permanent-redirect", "nginx.ingress.kubernetes.io/use-regex",
                     "nginx.ingress.kubernetes.io/backend-protocol", "nginx.ingress.kubernetes.io/enable-cors"]),
    st.sampled_from(["true", "false", "/", "/$1", "https://example.com/", "HTTPS", "GRPC"]), max_size=3)


@st.composite
def ingress_sets(draw: st.DrawFn) -> list[dict]:
    out = []
    for i in range(draw(st.integers(1, 4))):
        spec: dict = {"ingressClassName": "nginx", "rules": draw(st.lists(RULE, min_size=1, max_size=3))}
        if draw(st.booleans()):
            spec["defaultBackend"] = draw(BACKEND)
        hosts = sorted({r["host"] for r in spec["rules"] if "host" in r})
        if hosts and draw(st.booleans()):
            spec["tls"] = [{"hosts": hosts, "secretName": draw(LABEL)}]
        out.append({"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
                    "metadata": {"name": f"ing-{i}", "namespace": draw(st.sampled_from(["a", "b"])),
                                 "annotations": draw(ANNOTATIONS)},
                    "spec": spec})
    return out


@needs_crds
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ingress_sets(), st.sampled_from(VERSIONS), st.sampled_from(["standard", "experimental"]),
       st.sampled_from(["per-namespace", "shared"]))
def test_valid_ingresses_convert_to_valid_output(ingresses: list[dict], version: str, channel: str, mode: str) -> None:
    options = ConvertOptions(gateway_api_version=version, channel=channel, validate=True,  # type: ignore[arg-type]
                             gateway_mode=mode, gateway="infra/shared" if mode == "shared" else None)  # type: ignore[arg-type]
    result = convert_objects(ingresses, options)  # raises InternalError on any invalid emitted object
    assert result.validation is not None
    assert result.validation.errors == []
    assert result.validation.not_evaluated == []
    assert result.validation.checked == len([o for o in result.objects
                                             if str(o.get("apiVersion")).startswith("gateway.networking")])
