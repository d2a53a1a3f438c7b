"""The F5 NGINX Ingress Controller's annotation prefixes and handler registry (filled by the family modules)."""

from __future__ import annotations

from ing2gw.provider import HandlerRegistry

PREFIX = "nginx.org/"
EXTRA_PREFIXES = ("nginx.com/", "appprotect.f5.com/", "appprotectdos.f5.com/")
REGISTRY = HandlerRegistry(PREFIX, extra_prefixes=EXTRA_PREFIXES)
