"""Providers, one package per ingress controller (installed as ``ing2gw_providers``).

Each package exposes ``PROVIDER`` and registers it under the entry-point group ``ing2gw.providers``
in pyproject.toml; see :mod:`ing2gw.provider` for the API.
"""
