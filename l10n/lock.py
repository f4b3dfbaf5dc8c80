"""One l10n command at a time per project: the project lock.

Every command that writes (``extract``, ``update``, ``pretranslate``,
``build``, ``run``, ``memory``, ``ui``, ``release``, and each save of the
review server) holds ``.l10n/lock`` while it works.  Two commands at once
would otherwise each read the PO files, work, and write them back, the
second silently undoing the first (``pretranslate`` reads every catalog at
its start and writes them at its end).

The lock is an ``fcntl.flock`` on that file, so the kernel releases it when
the holder exits or is killed: there is never a stale lock to delete by
hand.  The file also says who holds it (pid, command, start time), for the
message the second command prints.  Forked worker processes share their
parent's lock.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .errors import L10nError

__all__ = ["ProjectLocked", "project_lock", "LOCK_NAME"]

LOCK_NAME = ".l10n/lock"


class ProjectLocked(L10nError):
    """Another l10n command holds the project lock."""


def _holder(fd: int) -> str:
    """Who holds the lock, as the holder wrote it; empty if unreadable."""
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        data = json.loads(os.read(fd, 4096).decode("utf-8") or "{}")
        since = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(float(data["since"])))
        return f"pid {int(data['pid'])}, l10n {data['command']}, since {since}"
    except (OSError, ValueError, KeyError, TypeError):
        return "holder unknown"


@contextmanager
def project_lock(root: str | os.PathLike, command: str, wait: float = 0.0) -> Iterator[None]:
    """Hold the project's lock for the ``with`` block.

    ``wait`` is how many seconds to wait for another command to finish
    before giving up with :class:`ProjectLocked` (0: give up at once).
    """
    path = Path(root) / LOCK_NAME
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
    try:
        deadline = time.monotonic() + max(wait, 0.0)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise ProjectLocked(
                        f"another l10n command is running on this project ({_holder(fd)}); "
                        "wait for it to finish, or pass --wait SECONDS", str(path)) from None
                time.sleep(0.1)
        record = json.dumps({"pid": os.getpid(), "command": command, "since": time.time()})
        os.ftruncate(fd, 0)
        os.pwrite(fd, record.encode("utf-8"), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)  # released: nobody to name any more
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
