"""Rendered YAML documents kept in temporary files instead of memory, until the whole output has been
validated and can be written (the text of 50,000 Ingresses' output is 150 MB).

Each process (the main one and its forked workers) appends to a file of its own in a private temporary
directory and answers where a document went (process, offset, length), so workers send back a few numbers
instead of the text. Once every part is done, the main process opens the files, removes them and their
directory at once (what it opened stays readable until it is closed) and reads each document when it is
written. A document that cannot be written to the spool (no space, no temporary directory) stays in memory:
the output never depends on the spool.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from array import array
from collections.abc import Iterator, Sequence
from typing import BinaryIO, overload

# Where a document is: process id, offset and length in bytes, packed in one number (a tuple of three
# numbers is four objects, and a large output has a few hundred thousand documents).
Where = int
_BITS = 40  # offsets and lengths below 1 TiB (a document that would end beyond stays in memory)
_MASK = (1 << _BITS) - 1
_LIMIT = _MASK  # the largest end of a document in a spool file


def where(pid: int, offset: int, length: int) -> Where:
    return (pid << 2 * _BITS) | (offset << _BITS) | length


def unpack(w: Where) -> tuple[int, int, int]:
    """(process id, offset, length) of :func:`where`."""
    return w >> 2 * _BITS, (w >> _BITS) & _MASK, w & _MASK


class Spool:
    def __init__(self, directory: str) -> None:
        self.directory = directory
        self._writing: dict[int, list[int]] = {}  # process id -> [fd, next offset]; a fork has its own

    @classmethod
    def create(cls) -> Spool | None:
        try:
            return cls(tempfile.mkdtemp(prefix="ing2gw-spool-"))
        except OSError:
            return None

    def put(self, text: str) -> str | Where:
        """Write ``text`` to this process's file: where it went, or ``text`` itself when it could not."""
        data = text.encode("utf-8")
        pid = os.getpid()
        try:
            state = self._writing.get(pid)
            if state is None:
                fd = os.open(os.path.join(self.directory, str(pid)), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                state = self._writing[pid] = [fd, 0]
            fd, offset = state
            if offset + len(data) > _LIMIT:
                return text
            done = 0
            while done < len(data):  # at an explicit offset: a failed write leaves nothing to skip
                n = os.pwrite(fd, data[done:], offset + done)
                if n <= 0:
                    raise OSError("the spool file takes no more")
                done += n
        except OSError:
            return text
        state[1] = offset + len(data)
        return where(pid, offset, len(data))

    def documents(self, items: Sequence[str | Where]) -> SpooledDocuments:
        """The documents ``items`` name, readable after the spool's files are gone; closes this process's
        file and removes the directory."""
        try:
            files: dict[int, BinaryIO] = {}
            for item in items:
                if isinstance(item, int) and (pid := unpack(item)[0]) not in files:
                    files[pid] = open(os.path.join(self.directory, str(pid)), "rb", buffering=0)  # noqa: SIM115
            return SpooledDocuments(items, files)
        finally:
            self.discard()

    def discard(self) -> None:
        state = self._writing.pop(os.getpid(), None)
        if state is not None:
            with contextlib.suppress(OSError):
                os.close(state[0])
        shutil.rmtree(self.directory, ignore_errors=True)


class SpooledDocuments(Sequence[str]):
    """Documents read back from spool files (or kept in memory where spooling failed), in order."""

    def __init__(self, items: Sequence[str | Where], files: dict[int, BinaryIO]) -> None:
        index = {pid: i for i, pid in enumerate(files)}
        self._files = list(files.values())
        self._file = array("i")  # file of each document; -1: in memory (in _inline)
        self._offset = array("q")
        self._length = array("q")
        self._inline: dict[int, str] = {}
        for i, item in enumerate(items):
            if isinstance(item, str):
                self._inline[i] = item
                self._file.append(-1)
                self._offset.append(0)
                self._length.append(0)
            else:
                pid, offset, length = unpack(item)
                self._file.append(index[pid])
                self._offset.append(offset)
                self._length.append(length)

    def __len__(self) -> int:
        return len(self._file)

    @overload
    def __getitem__(self, i: int) -> str: ...

    @overload
    def __getitem__(self, i: slice) -> list[str]: ...

    def __getitem__(self, i: int | slice) -> str | list[str]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if i < 0:
            i += len(self)
        f = self._file[i]
        if f < 0:
            return self._inline[i]
        fd = self._files[f].fileno()
        length, offset = self._length[i], self._offset[i]
        data = os.pread(fd, length, offset)
        while len(data) < length:  # a short read (rare on a regular file): read on
            more = os.pread(fd, length - len(data), offset + len(data))
            if not more:
                raise OSError(f"spooled document {i} is cut short")
            data += more
        return data.decode("utf-8")

    def __iter__(self) -> Iterator[str]:
        for i in range(len(self)):
            yield self[i]
