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
