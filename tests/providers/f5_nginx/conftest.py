"""The ``f5`` fixture: convert one Ingress of class nginx (served by the F5 NGINX provider) with these keys."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pytest
from f5_helpers import Run, convert, ingress


@pytest.fixture
def f5() -> Callable[..., Run]:
    def run(annotations: Mapping[str, str], *, channel: str = "standard", version: str = "v1.5",
            extra: Sequence[dict[str, Any]] = (), **kw: Any) -> Run:
        return convert([ingress(annotations, **kw), *extra], channel=channel, version=version)

    return run
