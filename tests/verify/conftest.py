"""Fixtures of the verify tests (helpers live in verify_helpers.py)."""

from verify_helpers import gateway, generic, nginx  # noqa: F401
