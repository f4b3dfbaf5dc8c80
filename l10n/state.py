"""What each stage last did, so a run with nothing changed does almost nothing.

For every sheet a stage records a fingerprint of its inputs' content (with the
settings and l10n's own version), the size and modification time of each input
file, and those of the file it wrote.  Next time a sheet whose files all have
the recorded sizes and times is skipped without even being read (as make
does); one whose files were touched but whose content fingerprint is unchanged
is skipped after reading.  The record lives in ``.l10n/state/`` under the
project; deleting it is always safe (the next run just does everything).
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from pathlib import Path

from . import __version__
from .files import write_text_atomic

__all__ = ["StageState", "fingerprint", "stamp"]


def _code_stamp() -> str:
    """l10n's version and its modules' times: a changed l10n redoes everything."""
    folder = Path(__file__).parent
    times = sorted((p.name, p.stat().st_mtime_ns) for p in folder.rglob("*.py"))
    return hashlib.sha256(repr((__version__, times)).encode()).hexdigest()[:16]


_CODE = _code_stamp()


def fingerprint(*parts: object) -> str:
    """One short hash of a stage's inputs and settings (and of l10n itself)."""
    digest = hashlib.sha256(_CODE.encode())
    for part in parts:
        # Texts are hashed as they are (repr of a whole sheet is slow); the
        # separator keeps ("ab", "c") and ("a", "bc") apart.
        digest.update(part.encode() if isinstance(part, str) else repr(part).encode())
        digest.update(b"\x00")
    return digest.hexdigest()[:32]


def stamp(path: Path) -> list[int] | None:
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return [stat.st_size, stat.st_mtime_ns]


class StageState:
    """The record of one stage (and locale): sheet slug -> (fingerprint, output stamp)."""

    def __init__(self, root: Path, name: str):
        self.root = root
        self.path = root / ".l10n" / "state" / f"{name}.json"
        try:
            self.records: dict[str, list] = json.loads(self.path.read_text())
        except (FileNotFoundError, ValueError):
            self.records = {}
        self.changed = False

    def untouched(self, slug: str, settings: str, inputs: list[Path], output: Path, owns_output: bool = True) -> bool:
        """True when the sheet's files are exactly as when the stage last did it.

        ``owns_output`` False: others edit the output too (a translator's PO
        file), so it only has to exist.
        """
        record = self.records.get(slug)
        if record is None or len(record) != 4 or record[3] != settings:
            return False
        if owns_output and record[1] != stamp(output):
            return False
        if not owns_output and not output.exists():
            return False
        return record[2] == [stamp(path) for path in inputs]

    def remember(self, slug: str, print_: str | None, output: Path, inputs: list, settings: str) -> None:
        if print_ is None:
            if self.records.pop(slug, None) is not None:
                self.changed = True
            return
        record = [print_, stamp(output), inputs, settings]
        if self.records.get(slug) != record:
            self.records[slug] = record
            self.changed = True

    def save(self) -> None:
        if self.changed:
            write_text_atomic(self.path, json.dumps(self.records, sort_keys=True, separators=(",", ":")) + "\n",
                              durable=False)
            self.changed = False


class SegmentCache:
    """Each sheet's parts and segments, so a stage after ``extract`` need not parse the sheet again.

    One SQLite file (``.l10n/cache.sqlite``): workers read it, and the parent
    process writes what they computed in one transaction at the end of a
    stage, which costs far less than a file per sheet.  An entry is used only
    when its key (a fingerprint of the sheet's text, the settings and l10n
    itself) matches; anything unreadable is ignored and the sheet parsed
    afresh.  Rows are JSON, not pickle: nothing in ``.l10n/`` can run code.
    """

    _connections: dict = {}  # (pid, path) -> connection: never share one across fork

    def __init__(self, root: Path):
        self.path = root / ".l10n" / "cache.sqlite"

    def _connect(self, create: bool):
        key = (os.getpid(), str(self.path))
        connection = self._connections.get(key)
        if connection is None:
            if not create and not self.path.exists():
                return None
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(self.path, timeout=30)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=OFF")  # a cache: losing it only costs time
            connection.execute("CREATE TABLE IF NOT EXISTS segments (slug TEXT PRIMARY KEY, key TEXT, data TEXT)")
            self._connections[key] = connection
        return connection

    def load(self, slug: str, key: str, text: str, path: str):
        """The (Document, segments) cached for ``text`` under ``key``, or None."""
        from .document import document_from_parts
        from .segment import Placeholder, Segment

        try:
            connection = self._connect(create=False)
            if connection is None:
                return None
            row = connection.execute("SELECT key, data FROM segments WHERE slug = ?", (slug,)).fetchone()
            if row is None or row[0] != key:
                return None
            parts, segments = json.loads(row[1])
            new = tuple.__new__  # twice as fast as calling the NamedTuples, for every segment of every sheet
            return document_from_parts(text, path, parts), [
                new(Segment, (*s[:6], tuple(new(Placeholder, p) for p in s[6]), *s[7:])) for s in segments
            ]
        except (sqlite3.Error, ValueError, TypeError, IndexError):
            return None

    @staticmethod
    def row(slug: str, key: str, doc, segments) -> tuple[str, str, str]:
        """What :meth:`store` needs for one sheet, small enough to send back from a worker."""
        from .document import document_parts

        data = [
            [s.key, s.kind, s.text, s.line, s.start, s.end,
             [[p.number, p.kind, p.source, p.target, p.label] for p in s.placeholders],
             s.line_break, s.context, s.yaml_style]
            for s in segments
        ]
        return slug, key, json.dumps([document_parts(doc), data], ensure_ascii=False, separators=(",", ":"))

    def store(self, rows: list[tuple[str, str, str]]) -> None:
        if not rows:
            return
        try:
            connection = self._connect(create=True)
            with connection:
                connection.executemany("INSERT OR REPLACE INTO segments VALUES (?, ?, ?)", rows)
        except sqlite3.Error:
            pass  # a cache that cannot be written is only a slower next run
