"""Reads manifests as they were at a Git revision, without a checkout (``git ls-tree`` and ``git show``)."""

from __future__ import annotations

import contextlib
import subprocess
from collections.abc import Iterable

from ing2gw.errors import InputError
from ing2gw.load import positions
from ing2gw.load.files import SUFFIXES, load_bytes
from ing2gw.load.raw import LoadResult


def _git(args: list[str], cwd: str | None = None) -> bytes:
    try:
        proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False, timeout=120)
    except FileNotFoundError:
        raise InputError("git is not installed") from None
    if proc.returncode != 0:
        raise InputError(f"git {' '.join(args[:2])}: {proc.stderr.decode(errors='replace').strip()}")
    return proc.stdout


def load_revision(ref: str, paths: Iterable[str], cwd: str | None = None) -> LoadResult:
    """Load the YAML/JSON files under ``paths`` as they are at ``ref``. Names read ``REF:path``."""
    result = LoadResult()
    wanted = [p for p in paths if p != "-"]
    listing = _git(["ls-tree", "-r", "-z", "--name-only", ref, "--", *wanted], cwd=cwd)
    for name in sorted(n for n in listing.decode().split("\0") if n):
        if not name.endswith(SUFFIXES):
            continue
        data = _git(["show", f"{ref}:./{name}"], cwd=cwd)
        label = f"{ref}:{name}"
        result.files += 1
        with contextlib.suppress(UnicodeDecodeError):
            positions.remember(label, data.decode("utf-8"), always=True)
        load_bytes(data, label, result)
    return result
