"""One provenance model: stats, the review page and the release manifest agree, entry by entry.

The PO entries are written by hand, the way pretranslate writes them (a
``l10n: ...`` comment with a fingerprint of the text it wrote) and the way a
translator changes them; the expected counts are worked out by hand too.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest

from l10n.approval import approve
from l10n.provenance import MEMORY_EXACT, Policy, origin, status, tally

from conftest import ROOT, SEEDS, prepare_for_release, run_l10n


def fp(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


def made(msgstr: str, comment: str = "", fuzzy: bool = False, previous: str | None = None) -> polib.POEntry:
    return polib.POEntry(msgid="Take one tablet.", msgstr=msgstr, flags=["fuzzy"] if fuzzy else [],
                         tcomment=comment, previous_msgid=previous)


@pytest.mark.parametrize(
    "entry, expected_origin, expected_status",
    [
        (made(""), "", "untranslated"),
        (made("Tome", "l10n: machine apertium 3.8.3 eng-spa 0.8.1 [" + fp("Tome") + "]", True),
         "machine apertium 3.8.3", "machine"),
        # The translator rewrote the machine draft and cleared fuzzy: a person's text now.
        (made("Tome un comprimido.", "l10n: machine apertium 3.8.3 eng-spa 0.8.1 [" + fp("Tome") + "]"),
         "translator", "reviewed"),
        # Edited but still fuzzy: the translator's draft, not reviewed, and not the machine's.
        (made("Tome uno.", "l10n: machine apertium 3.8.3 [" + fp("Tome") + "]", True), "translator", "changed"),
        (made("Tome", "l10n: memory exact from seeds/a.md [" + fp("Tome") + "]"), MEMORY_EXACT, "memory-exact"),
        (made("Tome", "l10n: memory placeables from seeds/a.md [" + fp("Tome") + "]", True),
         "memory names swapped", "memory"),
        (made("Tome", "l10n: memory 87% from seeds/a.md [" + fp("Tome") + "]", True), "memory near", "memory"),
        (made("Kyprolis", "l10n: glossary [" + fp("Kyprolis") + "]", True), "glossary", "memory"),
        # A glossary fill accepted unchanged stays the glossary's, though reviewed.
        (made("Kyprolis", "l10n: glossary [" + fp("Kyprolis") + "]"), "glossary", "reviewed"),
        (made("Tome", "checked by Ana"), "translator", "reviewed"),
        (made("Tome", "l10n: machine apertium 3.8.3 [" + fp("Tome") + "]", True, previous="Take it."),
         "machine apertium 3.8.3", "changed"),
    ],
)
def test_origin_and_status(entry, expected_origin, expected_status):
    assert origin(entry) == expected_origin
    assert status(entry) == expected_status


def test_exact_memory_counts_as_reviewed_only_when_configured_or_confirmed():
    entry = made("Tome", "l10n: memory exact from seeds/a.md [" + fp("Tome") + "]")
    assert status(entry) == "memory-exact"
    assert status(entry, Policy(memory_exact_counts_as_reviewed=True)) == "reviewed"
    approve(entry, "Ana Ruiz", "2026-12-02")  # a clinical reviewer signed it: confirmed
    assert status(entry) == "reviewed" and origin(entry) == MEMORY_EXACT
    counted = tally([entry])
    assert (counted.approved, dict(counted.reviewers), dict(counted.origins)) == (1, {"Ana Ruiz": 1}, {MEMORY_EXACT: 1})
    assert counted.done(Policy(require="approved"))


# -- the three views of one project ---------------------------------------------------------

CONFIG = f"""\
locales = ["es"]

[publish]
templates = "{ROOT / 'templates'}"
"""


def _po(project: Path, slug: str) -> Path:
    return project / "locales" / "es" / "LC_MESSAGES" / f"{slug}.po"


@pytest.fixture
def mixed(tmp_path: Path) -> tuple[Path, dict[str, dict[str, int]]]:
    """Two sheets whose PO entries were filled every way there is; returns the expected origins."""
    (tmp_path / "seeds").mkdir()
    for slug in ("carfilzomib", "bortezomib"):
        shutil.copy(SEEDS / f"{slug}.md", tmp_path / "seeds")
    (tmp_path / "l10n.toml").write_text(CONFIG)
    prepare_for_release(tmp_path)

    def fill(slug: str, kinds: list[str]) -> None:
        catalog = polib.pofile(str(_po(tmp_path, slug)))
        entries = [e for e in catalog if not e.obsolete and e.msgid]
        assert len(entries) > len(kinds)
        for entry, kind in zip(entries, kinds):
            text = entry.msgid  # the text l10n "wrote"
            note = {"machine": "l10n: machine apertium 3.8.3 eng-spa 0.8.1", "rewritten": "l10n: machine apertium 3.8.3",
                    "exact": "l10n: memory exact from seeds/x.md", "names": "l10n: memory placeables from seeds/x.md",
                    "near": "l10n: memory 90% from seeds/x.md", "glossary": "l10n: glossary",
                    "glossary-ok": "l10n: glossary", "approved": "", "empty": ""}[kind]
            entry.msgstr = "" if kind == "empty" else text
            entry.tcomment = f"{note} [{fp(text)}]" if note else ""
            entry.flags = ["fuzzy"] if kind in ("machine", "names", "near", "glossary") else []
            if kind == "rewritten":
                entry.msgstr = text + " (revisado)"  # no longer what the engine wrote
            if kind == "approved":
                approve(entry, "Ana Ruiz", "2026-12-01")
        for entry in entries[len(kinds):]:  # the rest: a translator's, reviewed
            entry.msgstr = entry.msgid
            entry.flags = []
        catalog.save()

    fill("carfilzomib", ["machine", "machine", "rewritten", "exact", "exact", "names", "near", "glossary",
                         "glossary-ok", "approved", "empty"])
    fill("bortezomib", ["rewritten", "rewritten", "rewritten", "approved", "approved"])
    counts = {}
    for slug in ("carfilzomib", "bortezomib"):
        total = len([e for e in polib.pofile(str(_po(tmp_path, slug))) if not e.obsolete and e.msgid])
        counts[slug] = total
    expected = {
        "carfilzomib": {"machine apertium 3.8.3": 2, "memory exact": 2, "memory names swapped": 1, "memory near": 1,
                        "glossary": 2, "translator": counts["carfilzomib"] - 1 - 8},
        # Every machine draft rewritten by a person: all the translator's (the issue saw 28 "machine").
        "bortezomib": {"translator": counts["bortezomib"]},
    }
    return tmp_path, expected


class _Origins(HTMLParser):
    """The review page's summary: <ul class="origins" data-sheet=...><li data-origin data-count>."""

    def __init__(self) -> None:
        super().__init__()
        self.sheets: dict[str, dict[str, int]] = {}
        self.approved: dict[str, dict[str, int]] = {}
        self._sheet = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "ul" and attrs.get("class") == "origins":
            self._sheet = attrs["data-sheet"]
            self.sheets[self._sheet] = {}
        elif tag == "tr" and "data-approved" in attrs:
            self.approved[attrs["data-sheet"]] = {key: int(attrs[f"data-{key}"])
                                                  for key in ("reviewed", "memory-exact", "approved")}
        elif tag == "li" and "data-origin" in attrs:
            self.sheets[self._sheet][attrs["data-origin"]] = int(attrs["data-count"])


def test_stats_review_page_and_manifest_agree(mixed):
    project, expected = mixed
    stats = json.loads(run_l10n(project, "stats", "--format", "json", check=True).stdout)
    from_stats = {s["sheet"]: s["provenance"] for s in stats["locales"]["es"]["sheets"]}

    run_l10n(project, "review", "--locale", "es", check=True)
    page = _Origins()
    page.feed((project / "build" / "review" / "es.html").read_text(encoding="utf-8"))

    run_l10n(project, "release", "--locale", "es", check=True)
    manifest = json.loads((project / "dist" / "es" / "manifest.json").read_text(encoding="utf-8"))
    from_manifest = {s["slug"]: s["provenance"] for s in manifest["sheets"]}

    assert from_stats == page.sheets == from_manifest == expected
    # Statuses and approvals agree too.
    sheets = {s["sheet"]: s for s in stats["locales"]["es"]["sheets"]}
    released = {s["slug"]: s for s in manifest["sheets"]}
    assert sheets["carfilzomib"]["strings"]["memory-exact"] == released["carfilzomib"]["counts"]["memory-exact"] == 2
    assert sheets["bortezomib"]["strings"]["approved"] == released["bortezomib"]["counts"]["approved"] == 2
    assert released["bortezomib"]["reviewers"] == sheets["bortezomib"]["reviewers"] == {"Ana Ruiz": 2}
    for slug in expected:
        assert page.approved[slug] == {key: sheets[slug]["strings"][key] for key in page.approved[slug]} == {
            key: released[slug]["counts"][key] for key in page.approved[slug]}
    # bortezomib is all reviewed (its seed's scaffolding line blocks it, not its strings).
    assert not any("string(s)" in r for r in released["bortezomib"]["reasons"])
    assert any("filled from translation memory as reviewed and not confirmed" in r
               for r in released["carfilzomib"]["reasons"])
    html = (project / "build" / "review" / "es.html").read_text(encoding="utf-8")
    assert 'class="status s-memory-exact">memory-exact</span><span class="origin">by memory exact</span>' in html
    assert "approved: Ana Ruiz, 2026-12-01" in html
