"""Reading and writing files safely.

Every file l10n writes goes through :func:`write_text_atomic`: the new content
goes to a temporary file in the same folder and is renamed over the old one, so
an interrupted run never leaves a half-written PO file or sheet behind.
"""

from __future__ import annotations

import itertools
import os
from pathlib import Path

__all__ = ["write_text_atomic", "read_text"]


def read_text(path: str | os.PathLike, display: str | None = None) -> str:
    """Read a UTF-8 file exactly: no newline translation, no BOM stripping.

    Undecodable bytes raise :class:`~l10n.errors.L10nError` naming the line.
    """
    from .errors import L10nError

    data = Path(path).read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise L10nError(
            f"not valid UTF-8 (byte 0x{data[err.start]:02x})", display or str(path), line
        ) from None


def write_text_atomic(path: str | os.PathLike, text: str, durable: bool = True) -> bool:
    """Write ``text`` to ``path`` atomically; return False if it was already identical.

    Skipping identical content keeps file times still, so tools that watch
    timestamps (make, editors, the release step) see no change where there is none.
    ``durable`` also forces the bytes to disk before the rename, so not even a
    power cut can leave an empty file: for a translator's PO file.  Files l10n
    can make again (templates, built sheets, caches) skip it; it costs more
    than writing them.  A replaced file keeps its permissions; a new one gets
    the usual ones (0o666 less the umask).
    """
    path = os.fspath(path)
    data = text.encode("utf-8")
    mode = None
    try:
        with open(path, "rb") as old:
            mode = os.fstat(old.fileno()).st_mode & 0o7777
            if old.read() == data:
                return False
    except FileNotFoundError:
        pass
    try:
        fd, tmp = _create_beside(path)
    except FileNotFoundError:  # a new folder: made only now, which spares every other write a check
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        fd, tmp = _create_beside(path)
    try:
        try:
            view = memoryview(data)
            while view:  # os.write, not a file object: three system calls fewer a file
                view = view[os.write(fd, view):]
            if mode is not None:
                os.fchmod(fd, mode)
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return True


_counter = itertools.count()


def _create_beside(path: str) -> tuple[int, str]:
    """A new hidden file next to ``path`` (same file system, so the rename is atomic)."""
    folder, name = os.path.split(path)
    while True:
        tmp = os.path.join(folder, f".{name}.{os.getpid()}.{next(_counter)}.tmp")
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666), tmp
        except FileExistsError:  # left by a process that was killed: pick another name
            continue
