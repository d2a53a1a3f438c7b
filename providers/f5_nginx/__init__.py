"""F5 NGINX Ingress Controller (``nginx.org/ingress-controller``): ``nginx.org/*``, ``nginx.com/*`` (NGINX Plus)
and the App Protect keys, each with a handler.

The families: :mod:`.routing` (paths, rewrites, redirects, HSTS, headers, protocols, mergeable Ingresses),
:mod:`.upstream` (timeouts, retries, body and buffers, load balancing, sticky cookies, health checks) and
:mod:`.security` (auth, rate limits, TLS settings, snippets, App Protect). The provider class, with the path
semantics and the master/minion merging, is in :mod:`.provider`.
"""

from __future__ import annotations

from ing2gw.provider import HandlerRegistry

PREFIX = "nginx.org/"
EXTRA_PREFIXES = ("nginx.com/", "appprotect.f5.com/", "appprotectdos.f5.com/")
REGISTRY = HandlerRegistry(PREFIX, extra_prefixes=EXTRA_PREFIXES)

from . import routing, security, upstream  # noqa: E402,F401  (importing registers the handlers)
from .provider import PROVIDER, F5NginxProvider  # noqa: E402

__all__ = ["PROVIDER", "F5NginxProvider", "PREFIX", "REGISTRY"]
