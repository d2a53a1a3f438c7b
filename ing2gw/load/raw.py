"""Raw Kubernetes objects as read from files, stdin or a cluster, with where each came from."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from ing2gw.model import Notification


@dataclass(frozen=True, slots=True)
class RawObject:
    """One object as a plain dict. ``file``/``doc`` locate its document; ``path_prefix`` is its path
    inside that document (``items[2]`` for an item of a ``kind: List``)."""

    data: dict[str, Any]
    file: str | None = None
    doc: int | None = None
    path_prefix: str = ""


@dataclass(slots=True)
class LoadResult:
    objects: list[RawObject] = field(default_factory=list)
    problems: list[Notification] = field(default_factory=list)
    files: int = 0
    # Told of the objects as they are read, in order, each once (``load_paths(listener=...)``): a caller can
    # go on with them while the rest of a large file is still being read by another process.
    listener: Callable[[Sequence[RawObject]], object] | None = None
    told: int = 0
    keep: bool = True  # False: ``objects`` lets go of the objects the listener was told of

    def tell(self) -> None:
        """Tell the listener of the objects read since it was last told."""
        if self.listener is not None and self.told < len(self.objects):
            new = self.objects[self.told:]
            self.told = len(self.objects)
            self.listener(new)
            if not self.keep:
                self.objects.clear()
                self.told = 0


_YAML_TYPES = {bool: "a boolean", int: "a number", float: "a number", str: "a string", list: "a list",
               dict: "a map", type(None): "null"}


def yaml_type(value: Any) -> str:
    """``a number``, ``a map``...: the name of a value's type as a YAML author knows it."""
    return _YAML_TYPES.get(type(value), f"a {type(value).__name__}")
