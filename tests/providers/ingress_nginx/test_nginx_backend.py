"""backend-protocol and proxy-ssl-* (backend.py)."""

from __future__ import annotations

from routing_helpers import convert, ingress, kinds, outcome

from ing2gw.model import Outcome

TLS_ALL = {"backend-protocol": "HTTPS", "proxy-ssl-verify": "on", "proxy-ssl-secret": "default/mtls",
           "proxy-ssl-name": "svc.internal", "proxy-ssl-server-name": "on", "proxy-ssl-verify-depth": "2",
           "proxy-ssl-ciphers": "HIGH", "proxy-ssl-protocols": "TLSv1.3"}


def test_https_with_verification() -> None:
    r = convert(ingress(ann=TLS_ALL))
    pol = kinds(r, "BackendTLSPolicy")
    assert len(pol) == 1
    assert pol[0]["spec"]["validation"] == {"caCertificateRefs": [{"group": "", "kind": "ConfigMap",
                                                                   "name": "mtls-ca"}], "hostname": "svc.internal"}
    assert outcome(r, "backend-protocol").outcome is Outcome.TRANSLATED
    assert outcome(r, "proxy-ssl-verify").outcome is Outcome.TRANSLATED
    assert outcome(r, "proxy-ssl-name").outcome is Outcome.TRANSLATED
    assert outcome(r, "proxy-ssl-server-name").outcome is Outcome.TRANSLATED
    assert outcome(r, "proxy-ssl-verify-depth").outcome is Outcome.UNSUPPORTED
    for key in ("proxy-ssl-secret", "proxy-ssl-ciphers", "proxy-ssl-protocols"):
        n = outcome(r, key)
        assert n.outcome is Outcome.NEEDS_EMITTER and n.requirement
    assert sorted(q.feature for q in r.model.requirements) == ["backend-tls"] * 3


def test_https_without_verification_states_the_gap() -> None:
    r = convert(ingress(ann={"backend-protocol": "https", "proxy-ssl-verify": "off", "proxy-ssl-server-name": "off"}))
    pol = kinds(r, "BackendTLSPolicy")[0]["spec"]["validation"]
    assert pol == {"wellKnownCACertificates": "System", "hostname": "web.default.svc.cluster.local"}
    n = outcome(r, "backend-protocol")
    assert n.outcome is Outcome.CAVEAT and n.requirement
    assert outcome(r, "proxy-ssl-verify").outcome is Outcome.CAVEAT
    assert outcome(r, "proxy-ssl-server-name").outcome is Outcome.CAVEAT


def test_grpc_becomes_grpcroute() -> None:
    r = convert(ingress(ann={"backend-protocol": "GRPC"}, paths=(("/pkg.Svc", "Prefix", "g", 50051),)))
    g = kinds(r, "GRPCRoute")
    assert g and g[0]["spec"]["rules"][0]["matches"] == [{"method": {"type": "Exact", "service": "pkg.Svc"}}]
    assert not kinds(r, "HTTPRoute") and not kinds(r, "BackendTLSPolicy")


def test_grpcs_is_grpcroute_plus_policy() -> None:
    r = convert(ingress(ann={"backend-protocol": "GRPCS"}))
    assert kinds(r, "GRPCRoute") and kinds(r, "BackendTLSPolicy")


def test_unsupported_protocols_and_ssl_settings_without_tls() -> None:
    r = convert(ingress(ann={"backend-protocol": "FCGI", "proxy-ssl-name": "x.internal"}))
    assert outcome(r, "backend-protocol").outcome is Outcome.UNSUPPORTED
    assert outcome(r, "proxy-ssl-name").outcome is Outcome.NOT_ROUTING
    r = convert(ingress(ann={"backend-protocol": "SPDY"}))
    assert outcome(r, "backend-protocol").outcome is Outcome.ERROR


def test_grpc_regex_path_stays_http() -> None:
    r = convert(ingress(ann={"backend-protocol": "GRPC", "use-regex": "true"},
                        paths=(("/pkg\\.Svc/.*", "ImplementationSpecific", "g", 50051),)))
    assert kinds(r, "HTTPRoute") and not kinds(r, "GRPCRoute")


def test_grpc_on_a_tls_host_states_that_the_redirect_does_not_apply() -> None:
    r = convert(ingress(ann={"backend-protocol": "GRPC"}, tls=True))
    assert kinds(r, "GRPCRoute") and not kinds(r, "HTTPRoute")
    n = outcome(r, "spec.rules[0].http.paths[0].backend (gRPC)")
    assert n.outcome is Outcome.CAVEAT and "HTTP-to-HTTPS" in n.message


def test_grpc_paths_keep_the_filters_grpcroute_has_and_state_the_others() -> None:
    r = convert(ingress(ann={"backend-protocol": "GRPC",
                             "mirror-target": "http://shadow.default.svc:8080$request_uri"}))
    [grpc] = kinds(r, "GRPCRoute")
    assert [f["type"] for f in grpc["spec"]["rules"][0]["filters"]] == ["RequestMirror"]
    assert outcome(r, "mirror-target").outcome is Outcome.TRANSLATED
    for ann, kind in (({"rewrite-target": "/x"}, "URLRewrite"), ({"enable-cors": "true"}, "CORS"),
                      ({"permanent-redirect": "https://x.example.com/"}, "RequestRedirect")):
        r = convert(ingress(ann={"backend-protocol": "GRPC", **ann}))
        n = outcome(r, next(iter(ann)))
        assert n.outcome is Outcome.UNSUPPORTED and f"GRPCRoute has no {kind} filter" in n.message, ann
        assert r.validation is not None and r.validation.ok
