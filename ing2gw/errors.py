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


_CURRENT: list[object] = [None]


def working_on(what: object) -> None:
    """Record what the pipeline is processing (a :class:`~ing2gw.model.Source` or a short text), so that an
    internal error can name it. Cheap: it only keeps a reference; the text is made when an error happens."""
    _CURRENT[0] = what


def current_object() -> str:
    """``Ingress ns/name (file:line)``, or the text last given to :func:`working_on`, or ``""``."""
    what = _CURRENT[0]
    if what is None:
        return ""
    data = getattr(what, "data", None)
    if isinstance(data, dict):  # a RawObject
        meta = data.get("metadata")
        meta = meta if isinstance(meta, dict) else {}
        file, doc = getattr(what, "file", None), getattr(what, "doc", None)
        where = f" ({file}, document {doc + 1})" if file and isinstance(doc, int) else ""
        return f"{data.get('kind')} {meta.get('namespace') or ''}/{meta.get('name')}{where}"[:300]
    ref = getattr(what, "ref", None)
    if ref is None:
        return str(what)
    file = getattr(what, "file", None)
    if not file:
        return str(ref)
    try:
        from ing2gw.load.positions import resolve_line

        line = resolve_line(what)  # type: ignore[arg-type]
    except Exception:  # noqa: BLE001 - naming the object must never fail
        line = None
    return f"{ref} ({file}:{line})" if line else f"{ref} ({file})"
