"""The exceptions ing2gw raises to its callers. Each carries a message fit to show to a user."""

from __future__ import annotations


class Ing2gwError(Exception):
    """Base class. ``exit_code`` is what the CLI returns."""

    exit_code = 2


class UsageError(Ing2gwError):
    """Bad options or arguments."""


class InputError(Ing2gwError):
    """Input that cannot be read at all (a missing file, an unreadable directory)."""


class ClusterError(Ing2gwError):
    """The cluster could not be read (connection, authentication, permission)."""


class InternalError(Ing2gwError):
    """A bug in ing2gw. The message names the object being processed."""

    exit_code = 3
