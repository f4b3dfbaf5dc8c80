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
        self.path = root / ".l10n" / "state" / f"{name}.json"
        try:
            self.records: dict[str, list] = json.loads(self.path.read_text())
        except (FileNotFoundError, ValueError):
            self.records = {}
        self.changed = False

    def untouched(self, slug: str, settings: str, inputs: list[Path], output: Path) -> bool:
        """True when the sheet's files are exactly as when the stage last did it."""
        record = self.records.get(slug)
        return (
            record is not None
            and len(record) == 4
            and record[3] == settings
            and record[1] == stamp(output)
            and record[2] == [stamp(path) for path in inputs]
        )

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
            write_text_atomic(self.path, json.dumps(self.records, sort_keys=True, separators=(",", ":")) + "\n")
            self.changed = False


class SegmentCache:
    """Each sheet's segments as JSON, so a stage after ``extract`` need not parse the sheet again.

    An entry is used only when its key (a fingerprint of the sheet's text, the
    settings and l10n itself) matches; anything unreadable is ignored and the
    sheet parsed afresh.  JSON, not pickle: nothing in ``.l10n/`` can run code.
    """

    def __init__(self, root: Path):
        self.folder = root / ".l10n" / "cache" / "segments"

    def load(self, slug: str, key: str):
        from .segment import Placeholder, Segment

        try:
            data = json.loads((self.folder / f"{slug}.json").read_text())
            if data.get("key") != key:
                return None
            return [
                Segment(s[0], s[1], s[2], s[3], s[4], s[5], tuple(Placeholder(*p) for p in s[6]), s[7], s[8], s[9])
                for s in data["segments"]
            ]
        except (OSError, ValueError, TypeError, KeyError, IndexError):
            return None

    def store(self, slug: str, key: str, segments) -> None:
        rows = [
            [s.key, s.kind, s.text, s.line, s.start, s.end,
             [[p.number, p.kind, p.source, p.target, p.label] for p in s.placeholders],
             s.line_break, s.context, s.yaml_style]
            for s in segments
        ]
        try:
            write_text_atomic(self.folder / f"{slug}.json",
                              json.dumps({"key": key, "segments": rows}, ensure_ascii=False, separators=(",", ":")))
        except OSError:
            pass  # a cache that cannot be written is only a slower next run
