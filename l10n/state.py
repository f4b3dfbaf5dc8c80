"""What each stage last did, so a run with nothing changed does almost nothing.

For every sheet a stage records a fingerprint of its inputs' content (with the
settings and l10n's own version), the size and modification time of each input
file, and those of the file it wrote.  Next time a sheet whose files all have
the recorded sizes and times is skipped without even being read (as make
does); one whose files were touched but whose content fingerprint is unchanged
is skipped after reading.

Records, and each sheet's parsed parts (:class:`SegmentCache`), live in one
SQLite file, ``.l10n/cache.sqlite`` under the project, looked up a sheet at
a time, so memory stays flat however large the collection.  Deleting
``.l10n/`` is always safe: the next run just does everything.  Only the
parent process writes it, in batches; rows are JSON, never pickle, so
nothing in it can run code.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

from . import __version__

from hashlib import blake2b

__all__ = ["StageState", "SegmentCache", "fingerprint", "stamp", "untouched", "inputs_untouched"]


def _code_stamp() -> str:
    """l10n's version and its modules' times: a changed l10n redoes everything."""
    times = []
    folders = [os.path.dirname(os.path.abspath(__file__))]
    while folders:
        with os.scandir(folders.pop()) as entries:
            for entry in entries:
                if entry.is_dir() and entry.name != "__pycache__":
                    folders.append(entry.path)
                elif entry.name.endswith(".py"):
                    times.append((entry.name, entry.stat().st_mtime_ns))
    return blake2b(repr((__version__, sorted(times))).encode(), digest_size=8).hexdigest()


_CODE = _code_stamp()


def fingerprint(*parts: object) -> str:
    """One short hash of a stage's inputs and settings (and of l10n itself)."""
    digest = blake2b(_CODE.encode(), digest_size=16)
    for part in parts:
        # Texts are hashed as they are (repr of a whole sheet is slow); the
        # separator keeps ("ab", "c") and ("a", "bc") apart.
        digest.update(part.encode() if isinstance(part, str) else repr(part).encode())
        digest.update(b"\x00")
    return digest.hexdigest()


def stamp(path: Path) -> list[int] | None:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return [stat.st_size, stat.st_mtime_ns]


_CONNECTIONS: dict = {}  # (pid, path) -> connection: never share one across fork


def _database(root: Path, create: bool):
    """This process's connection to the project's cache, or None (no cache yet and ``create`` false).

    A cache file that is not a database (damaged, or something else) is
    replaced when ``create`` is true; otherwise the error goes to the caller.
    """
    path = root / ".l10n" / "cache.sqlite"
    key = (os.getpid(), str(path))
    connection = _CONNECTIONS.get(key)
    if connection is not None:
        return connection
    if not create and not path.exists():
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    for attempt in (1, 2):
        connection = sqlite3.connect(path, timeout=30)
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=OFF")  # a cache: losing it only costs time
            connection.execute("CREATE TABLE IF NOT EXISTS segments (slug TEXT PRIMARY KEY, key TEXT, data TEXT)")
            connection.execute("CREATE TABLE IF NOT EXISTS stages (stage TEXT, slug TEXT, record TEXT, "
                               "PRIMARY KEY (stage, slug)) WITHOUT ROWID")
            break
        except sqlite3.DatabaseError:
            connection.close()
            if not create or attempt == 2:
                raise
            for damaged in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
                damaged.unlink(missing_ok=True)
    _CONNECTIONS[key] = connection
    return connection


def untouched(record: list, settings: str, inputs: list[Path], output: Path) -> bool:
    """True when a sheet's files are exactly as when the stage recorded ``record``.

    The output counts too, even where others edit it (a translator's PO
    file): a file changed since is looked at again by the stage, which
    decides whether it needs the work (see ``l10n.workflow._update_sheet``).
    """
    return inputs_untouched(record, settings, inputs) and record[1] == stamp(output)


def inputs_untouched(record: list, settings: str, inputs: list[Path]) -> bool:
    """True when the settings and a sheet's input files are as when ``record`` was made (the output may not be)."""
    return len(record) == 4 and record[3] == settings and record[2] == [stamp(path) for path in inputs]


# Records kept in memory before they are written.
_BATCH = 512


class StageState:
    """The record of one stage (and locale): sheet slug -> (fingerprint, output stamp, input stamps, settings)."""

    def __init__(self, root: Path, name: str):
        self.root = root
        self.name = name
        self._pending: dict[str, list | None] = {}  # slug -> new record (None: forget)
        # A stage never run in this project (a first run, or after a change of
        # settings) looks nothing up, in this process or the workers it forks.
        self._has_records = self._any_record()

    def _any_record(self) -> bool:
        try:
            connection = _database(self.root, create=False)
            return connection is not None and connection.execute(
                "SELECT 1 FROM stages WHERE stage = ? LIMIT 1", (self.name,)).fetchone() is not None
        except sqlite3.Error:
            return True  # let each lookup fail (and be ignored) on its own

    def record(self, slug: str) -> list | None:
        """What the stage recorded for a sheet last run, if anything.

        Safe in a forked worker: the connection is the calling process's own.
        """
        if not self._has_records:
            return None
        try:
            connection = _database(self.root, create=False)
            if connection is None:
                return None
            row = connection.execute("SELECT record FROM stages WHERE stage = ? AND slug = ?",
                                     (self.name, slug)).fetchone()
            return json.loads(row[0]) if row is not None else None
        except (sqlite3.Error, ValueError):
            return None

    def remember(self, slug: str, print_: str | None, output: Path, inputs: list, settings: str) -> None:
        self._pending[slug] = None if print_ is None else [print_, stamp(output), inputs, settings]
        if len(self._pending) >= _BATCH:
            self.save()

    def save(self) -> None:
        if not self._pending:
            return
        pending, self._pending = self._pending, {}
        self._has_records = True
        try:
            connection = _database(self.root, create=True)
            with connection:
                connection.executemany(
                    "INSERT OR REPLACE INTO stages VALUES (?, ?, ?)",
                    [(self.name, slug, json.dumps(record, separators=(",", ":")))
                     for slug, record in pending.items() if record is not None])
                connection.executemany("DELETE FROM stages WHERE stage = ? AND slug = ?",
                                       [(self.name, slug) for slug, record in pending.items() if record is None])
        except sqlite3.Error:
            pass  # a record that cannot be written only makes the next run slower


class SegmentCache:
    """Each sheet's parts and segments, so a stage after ``extract`` need not parse the sheet again.

    One SQLite file (``.l10n/cache.sqlite``): workers read it, and the parent
    process writes what they computed in one transaction at the end of a
    stage, which costs far less than a file per sheet.  An entry is used only
    when its key (a fingerprint of the sheet's text, the settings and l10n
    itself) matches; anything unreadable is ignored and the sheet parsed
    afresh.  Rows are JSON, not pickle: nothing in ``.l10n/`` can run code.
    """

    def __init__(self, root: Path):
        self.root = root

    def load(self, slug: str, key: str, text: str, path: str):
        """The (Document, segments) cached for ``text`` under ``key``, or None."""
        from .document import document_from_parts
        from .segment import Placeholder, Segment

        try:
            connection = _database(self.root, create=False)
            if connection is None:
                return None
            row = connection.execute("SELECT key, data FROM segments WHERE slug = ?", (slug,)).fetchone()
            if row is None or row[0] != key:
                return None
            parts, segments = json.loads(row[1])
            return document_from_parts(text, path, parts), [
                Segment(*s[:6], tuple(Placeholder(*p) for p in s[6]), *s[7:]) for s in segments
            ]
        except (sqlite3.Error, ValueError, TypeError, IndexError):
            return None

    @staticmethod
    def row(slug: str, key: str, doc, segments) -> tuple[str, str, str]:
        """What :meth:`store` needs for one sheet, small enough to send back from a worker."""
        from .document import document_parts

        # Segments and placeholders are tuples: JSON writes them as arrays,
        # field by field, which :meth:`load` reads back in the same order.
        return slug, key, json.dumps([document_parts(doc), segments], ensure_ascii=False, separators=(",", ":"))

    def store(self, rows: list[tuple[str, str, str]]) -> None:
        if not rows:
            return
        try:
            connection = _database(self.root, create=True)
            with connection:
                connection.executemany("INSERT OR REPLACE INTO segments VALUES (?, ?, ?)", rows)
        except sqlite3.Error:
            pass  # a cache that cannot be written is only a slower next run
