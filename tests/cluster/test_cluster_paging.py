"""Paged lists return every object exactly once and in order, whatever the page size and wherever a 410
(expired continue token) strikes. Plain HTTP here, which the kubernetes client also speaks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from fakeapi import Context, FakeAPI, Fault, write_kubeconfig
from hypothesis import given, settings
from hypothesis import strategies as st

from ing2gw.load.cluster import INGRESSES, ClusterOptions, connect


def ingress(i: int) -> dict[str, Any]:
    return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
            "metadata": {"name": f"i-{i:03d}", "namespace": f"ns-{i % 3}", "labels": {"even": str(i % 2 == 0)}},
            "spec": {}}


def _even(o: dict[str, Any]) -> bool:
    return bool(o["metadata"]["labels"]["even"] == "True")


KEEP: dict[str | None, Callable[[dict[str, Any]], bool]] = {
    None: lambda o: True, "even=True": _even, "even!=True": lambda o: not _even(o), "!even": lambda o: False,
    "even in (True,False)": lambda o: True,
}


@settings(max_examples=25, deadline=None)
@given(n=st.integers(0, 40), page=st.integers(1, 15), expire_after=st.none() | st.integers(0, 5),
       selector=st.sampled_from([None, "even=True", "even!=True", "!even", "even in (True,False)"]))
def test_paged_list_is_complete_and_ordered(tmp_path_factory: object, n: int, page: int,
                                            expire_after: int | None, selector: str | None) -> None:
    objs = [ingress(i) for i in range(n)]
    with FakeAPI(tokens={"t": "alice"}) as api:
        api.add_all(objs)
        if expire_after is not None:
            api.inject(Fault(status=410, on_continue=True, skip=expire_after))
        path = Path(str(tmp_path_factory.mktemp("kc"))) / "kc"  # type: ignore[attr-defined]
        kc = write_kubeconfig(path, api.url, None, [Context("plain", token="t")])
        opts = ClusterOptions(kubeconfig=str(kc), all_namespaces=True, page_size=page, sleep=lambda s: None)
        client = connect(opts)
        try:
            got = client.list(INGRESSES, None, selector=selector)
        finally:
            client.close()
    want = sorted((o["metadata"]["namespace"], o["metadata"]["name"]) for o in objs if KEEP[selector](o))
    assert [(o["metadata"]["namespace"], o["metadata"]["name"]) for o in got] == want
    assert all("kind" not in o for o in got)  # raw list items, as the API server sends them
