"""F5 NGINX Ingress Controller (``nginx.org/ingress-controller``): ``nginx.org/*``, ``nginx.com/*`` (NGINX Plus)
and the App Protect keys, each with a handler.

The families: :mod:`.routing` (paths, rewrites, redirects, HSTS, headers, protocols, mergeable Ingresses),
:mod:`.upstream` (timeouts, retries, body and buffers, load balancing, sticky cookies, health checks) and
:mod:`.security` (auth, rate limits, TLS settings, snippets, App Protect). The provider class, with the path
semantics and the master/minion merging, is in :mod:`.provider`.
"""

from __future__ import annotations

from . import routing, security, upstream  # noqa: F401  (importing registers the handlers)
from ._registry import PREFIX, REGISTRY
from .provider import PROVIDER, F5NginxProvider

__all__ = ["PROVIDER", "F5NginxProvider", "PREFIX", "REGISTRY"]
