"""The sheet cache gives back exactly what parsing gives, and only for the same text."""

import pytest

from l10n.document import parse_document
from l10n.segment import segment_document
from l10n.state import SegmentCache

from conftest import CASES, SEEDS

SHEETS = sorted(SEEDS.glob("*.md")) + sorted(CASES.glob("*.md"))


@pytest.mark.parametrize("path", SHEETS, ids=lambda p: p.name)
def test_a_cached_sheet_is_the_parsed_sheet(tmp_path, path):
    text = path.read_bytes().decode("utf-8")
    doc = parse_document(text, f"seeds/{path.name}")
    segments = segment_document(doc, ("title", "description"))
    cache = SegmentCache(tmp_path)
    cache.store([SegmentCache.row(path.stem, "key-1", doc, segments)])
    again, cached_segments = cache.load(path.stem, "key-1", text, doc.path)
    assert again == doc and again.keys == doc.keys and dict(again.scalars) == dict(doc.scalars)
    assert again.metadata == doc.metadata and again.body == doc.body
    assert cached_segments == segments
    assert cache.load(path.stem, "key-2", text, doc.path) is None  # another text, settings or l10n


def test_an_unreadable_cache_is_ignored(tmp_path):
    (tmp_path / ".l10n").mkdir()
    (tmp_path / ".l10n" / "cache.sqlite").write_bytes(b"not a database")
    assert SegmentCache(tmp_path).load("x", "key", "---\n---\n", "x.md") is None


def test_a_second_run_skips_every_sheet_and_a_damaged_cache_is_rebuilt(project):
    from conftest import run_l10n

    run_l10n(project, "update", "--locale", "es", check=True)
    again = run_l10n(project, "update", "--locale", "es", check=True)
    assert "update es: 4 sheets, 4 unchanged" in again.stdout
    for leftover in (project / ".l10n").glob("cache.sqlite*"):
        leftover.unlink()
    (project / ".l10n" / "cache.sqlite").write_bytes(b"not a database at all" * 100)
    rebuilt = run_l10n(project, "update", "--locale", "es", check=True)  # redone, as with no cache
    assert rebuilt.stdout.count("(unchanged)") == 4  # and the PO files were already right
    assert "4 unchanged" in run_l10n(project, "update", "--locale", "es", check=True).stdout
    import sqlite3

    with sqlite3.connect(project / ".l10n" / "cache.sqlite") as database:
        assert database.execute("SELECT count(*) FROM stages").fetchone()[0] == 4


def test_a_stage_without_records_looks_nothing_up_and_one_with_records_finds_them(tmp_path):
    from pathlib import Path

    from l10n.state import StageState

    first = StageState(tmp_path, "build-es")
    assert first.record("a") is None and not first._has_records
    first.remember("a", "print", Path(tmp_path / "out.md"), [[1, 2]], "settings")
    first.save()
    assert first.record("a") == ["print", None, [[1, 2]], "settings"]  # the same object, after saving
    assert StageState(tmp_path, "build-es").record("a") == ["print", None, [[1, 2]], "settings"]
    other = StageState(tmp_path, "build-fr")  # records of another stage do not count
    assert not other._has_records and other.record("a") is None
