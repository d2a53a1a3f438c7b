"""Fixtures for the cluster tests: a throwaway PKI, the fake API server on loopback, and a kubeconfig with
several contexts (token users, a client-certificate user) pointing at it."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fakeapi import PKI, Context, FakeAPI, make_objects, make_pki, write_kubeconfig  # noqa: E402

N_INGRESSES = 24
N_NAMESPACES = 3


@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> PKI:
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def fake(pki: PKI) -> Iterator[FakeAPI]:
    """A running fake API server with a few Ingresses. After the test: only GETs (and access reviews) arrived,
    and no Secret was ever read beyond its metadata."""
    api = FakeAPI(pki=pki, tokens={"good-token": "alice", "other-token": "bob"})
    api.add_all(make_objects(N_INGRESSES, N_NAMESPACES))
    with api:
        yield api
    assert api.violations == []
    assert all(r.method == "GET" or r.path.endswith("/selfsubjectaccessreviews") for r in api.requests)


@pytest.fixture
def kubeconfig(fake: FakeAPI, pki: PKI, tmp_path: Path) -> Path:
    return write_kubeconfig(tmp_path / "kubeconfig", fake.url, pki, [
        Context("admin", token="good-token"),
        Context("team-01", token="other-token", namespace="team-01"),
        Context("cert", client_cert=True),
        Context("stale", token="expired-token"),
    ], current="admin")
