"""Reading and writing files safely.

Every file l10n writes goes through :func:`write_text_atomic`: the new content
goes to a temporary file in the same folder and is renamed over the old one, so
an interrupted run never leaves a half-written PO file or sheet behind.  A run
killed between the two leaves its temporary file (``.NAME.PID.N.tmp``);
:func:`remove_stale_temporaries` clears those at the start of the next one.

A write can also be told what the file held when it was read
(``expected``): if someone saved it since, the write stops with
:class:`FileChangedError` instead of overwriting their work.
"""

from __future__ import annotations

import errno
import itertools
import os
import re
import time
from pathlib import Path
from typing import Iterator

from .errors import L10nError

__all__ = ["write_text_atomic", "read_text", "FileChangedError", "WriteError", "remove_stale_temporaries", "os_reason", "tsv_rows"]


class FileChangedError(L10nError):
    """The file was changed on disk since it was read; it was left as it is."""


class WriteError(L10nError):
    """The file could not be written (full disk, quota, read-only, no permission); it was left as it was."""


def read_text(path: str | os.PathLike, display: str | None = None) -> str:
    """Read a UTF-8 file exactly: no newline translation, no BOM stripping.

    Undecodable bytes raise :class:`~l10n.errors.L10nError` naming the line.
    """
    data = Path(path).read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        raise L10nError(
            f"not valid UTF-8 (byte 0x{data[err.start]:02x})", display or str(path), line
        ) from None


def write_text_atomic(path: str | os.PathLike, text: str, durable: bool = True, expected: str | None = None,
                      display: str | None = None) -> bool:
    """Write ``text`` to ``path`` atomically; return False if it was already identical.

    Skipping identical content keeps file times still, so tools that watch
    timestamps (make, editors, the release step) see no change where there is none.
    ``durable`` also forces the bytes to disk before the rename, so not even a
    power cut can leave an empty file: for a translator's PO file.  Files l10n
    can make again (templates, built sheets, caches) skip it; it costs more
    than writing them.  A replaced file keeps its permissions; a new one gets
    the usual ones (0o666 less the umask).

    ``expected``: the text the file had when the caller read it ("" for a file
    that did not exist).  It is compared again just before the rename; if the
    file differs, :class:`FileChangedError` is raised and nothing is written.
    Any other failure to write (``ENOSPC``, ``EDQUOT``, ``EROFS``, ``EACCES``...)
    raises :class:`WriteError` naming the file (``display`` or ``path``), the
    old file untouched.
    """
    path = os.fspath(path)
    shown = display or path
    data = text.encode("utf-8")
    mode = None
    try:
        with open(path, "rb") as old:
            mode = os.fstat(old.fileno()).st_mode & 0o7777
            current = old.read()
    except FileNotFoundError:
        current = None
    except OSError as err:
        raise WriteError(os_reason(err), shown) from None
    if expected is not None:
        _check_unchanged(current, expected, shown)
    if current == data:
        return False
    try:
        try:
            fd, tmp = _create_beside(path)
        except FileNotFoundError:  # a new folder: made only now, which spares every other write a check
            os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
            fd, tmp = _create_beside(path)
    except OSError as err:
        raise WriteError(os_reason(err), shown) from None
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
        if expected is not None:  # the last moment: someone may have saved while we wrote
            _check_unchanged(_read_or_none(path), expected, shown)
        os.replace(tmp, path)
    except BaseException as failure:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        if isinstance(failure, OSError):
            raise WriteError(os_reason(failure), shown) from None
        raise
    return True


def os_reason(err: OSError) -> str:
    """``no space left on device``: the system's words for an error, as a message (no path, no errno)."""
    reason = err.strerror or (os.strerror(err.errno) if err.errno else str(err) or os.strerror(errno.EIO))
    return reason[:1].lower() + reason[1:]


def _read_or_none(path: str) -> bytes | None:
    try:
        with open(path, "rb") as file:
            return file.read()
    except FileNotFoundError:
        return None


def _check_unchanged(current: bytes | None, expected: str, shown: str) -> None:
    if (current or b"") != expected.encode("utf-8"):
        raise FileChangedError("changed on disk since l10n read it (saved by someone else?); "
                               "not overwritten: run the command again", shown)


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


# Our temporary files: "." + the target's name + "." + pid + "." + counter + ".tmp".
_TEMPORARY = re.compile(r"^\..+\.(\d+)\.\d+\.tmp$")


def remove_stale_temporaries(folders: list[Path], started: float | None = None) -> list[Path]:
    """Delete the temporary files an interrupted run left in ``folders`` (recursively); return them.

    A temporary file is stale when the process that made it is gone, or
    when it is older than ``started`` (this run's start: its pid may since
    have been given to another process).  Call it holding the project lock,
    so no other l10n command is writing there.
    """
    started = time.time() if started is None else started
    removed = []
    for folder in folders:
        for dirpath, _dirs, names in os.walk(folder):
            for name in names:
                match = _TEMPORARY.match(name)
                if match is None:
                    continue
                path = Path(dirpath, name)
                try:
                    if _alive(int(match.group(1))) and path.stat().st_mtime >= started:
                        continue
                    path.unlink()
                except FileNotFoundError:
                    continue
                removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def tsv_rows(text: str, path: str, columns: tuple[str, ...], error: type) -> Iterator[tuple[int, list[str]]]:
    """``(line number, stripped cells)`` of a tab-separated data file that starts with ``columns`` as its header.

    Blank lines and ``#`` comments are skipped; a wrong header, a row with
    another number of cells or a file with no header raises ``error`` (an
    :class:`~l10n.errors.L10nError` subclass) at its line.
    """
    header = False
    for number, raw in enumerate(text.lstrip("\ufeff").splitlines(), 1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in raw.split("\t")]
        if not header:
            if tuple(c.lower() for c in cells) != columns:
                raise error(f"the first row must be the header {' | '.join(columns)} (tab-separated)", path, number)
            header = True
            continue
        if len(cells) != len(columns):
            raise error(f"{len(cells)} tab-separated cells; expected {len(columns)} ({', '.join(columns)})", path, number)
        yield number, cells
    if not header:
        raise error(f"empty file: expected the header {' | '.join(columns)}", path)
