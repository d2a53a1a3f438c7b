"""ing2gw: migrate Kubernetes Ingress objects and their controller annotations to Gateway API.

The public API lives in :mod:`ing2gw.api`; the plugin APIs in :mod:`ing2gw.provider` and
:mod:`ing2gw.emitter`; the intermediate model in :mod:`ing2gw.model`.
"""

__version__ = "0.1.0"
