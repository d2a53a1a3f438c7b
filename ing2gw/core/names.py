"""Deterministic, DNS-1123-valid, collision-free names for generated objects and listeners."""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

_BAD = re.compile(r"[^a-z0-9-]+")
_DASHES = re.compile("-{2,}")


@lru_cache(maxsize=1 << 16)  # hosts and Ingress names repeat once per path, rule and listener
def slug(text: str) -> str:
    """``*.shop.example.com`` -> ``wildcard-shop-example-com``; always a valid DNS label body."""
    t = text.lower()
    if t.startswith("*."):
        t = "wildcard." + t[2:]
    t = _BAD.sub("-", t.replace(".", "-")).strip("-")
    t = _DASHES.sub("-", t)
    return t or "x"


def fit(name: str, limit: int = 253) -> str:
    """Cut a name to ``limit`` characters, keeping it unique with a short hash of the full name."""
    name = name.strip("-.") or "x"
    if len(name) <= limit:
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:8]
    return name[: limit - 9].rstrip("-.") + "-" + digest


class NameSet:
    """Hands out unique names in one scope (a namespace and kind, or one Gateway's listeners)."""

    def __init__(self, limit: int = 253) -> None:
        self.limit = limit
        self.used: set[str] = set()
        self._next: dict[str, int] = {}

    def take(self, wanted: str) -> str:
        name = fit(wanted, self.limit)
        if name not in self.used:
            self.used.add(name)
            return name
        n = self._next.get(wanted, 2)
        while True:
            suffix = f"-{n}"
            cand = fit(wanted, self.limit - len(suffix)) + suffix
            if cand not in self.used:
                self.used.add(cand)
                self._next[wanted] = n + 1
                return cand
            n += 1
