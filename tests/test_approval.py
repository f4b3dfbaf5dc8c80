"""Approval lives in the PO file: it survives msgcat and msgmerge, and lapses when the text changes."""

from __future__ import annotations

import subprocess

import polib
import pytest

from l10n.approval import approval, approve, withdraw

from conftest import msgfmt_check, require_tool

PO = '''msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"

# Hecho por la traductora
#: seeds/x.md:3
msgid "Take one tablet once a day."
msgstr "Tome un comprimido una vez al día."

msgid "Call your doctor."
msgstr "Llame a su médico."
'''


def _approved_file(tmp_path):
    path = tmp_path / "x.po"
    path.write_text(PO, encoding="utf-8")
    catalog = polib.pofile(str(path))
    approve(catalog[0], "Ana  Ruiz", "2026-12-02")
    catalog.save()
    return path


def test_an_approval_survives_gettext_tools_and_keeps_the_translators_comment(tmp_path):
    path = _approved_file(tmp_path)
    msgfmt_check(path)
    text = path.read_text(encoding="utf-8")
    assert "# Hecho por la traductora\n# l10n: approved by Ana Ruiz on 2026-12-02 [" in text
    rewrapped = tmp_path / "msgcat.po"
    subprocess.run([require_tool("msgcat"), "--width=20", "-o", str(rewrapped), str(path)], check=True)
    merged = tmp_path / "merged.po"
    pot = tmp_path / "x.pot"
    pot.write_text(PO.replace("Tome un comprimido una vez al día.", "").replace("Llame a su médico.", ""))
    subprocess.run([require_tool("msgmerge"), "-q", "-o", str(merged), str(path), str(pot)], check=True)
    for survivor in (rewrapped, merged):
        entries = polib.pofile(str(survivor))
        assert approval(entries[0]) == ("Ana Ruiz", "2026-12-02"), survivor.name
        assert approval(entries[1]) is None


def test_an_edit_or_a_fuzzy_mark_voids_the_approval(tmp_path):
    entry = polib.pofile(str(_approved_file(tmp_path)))[0]
    assert approval(entry)
    entry.flags.append("fuzzy")
    assert approval(entry) is None
    entry.flags.remove("fuzzy")
    entry.msgstr = "Tome un comprimido dos veces al día."
    assert approval(entry) is None
    approve(entry, "Luis Gómez", "2026-12-03")  # approving again replaces the lapsed line
    assert approval(entry) == ("Luis Gómez", "2026-12-03")
    assert entry.tcomment.count("l10n: approved") == 1
    withdraw(entry)
    assert approval(entry) is None and entry.tcomment == "Hecho por la traductora"


@pytest.mark.parametrize("msgstr, flags", [("", []), ("Tome.", ["fuzzy"])])
def test_only_a_reviewed_translation_can_be_approved(msgstr, flags):
    entry = polib.POEntry(msgid="Take.", msgstr=msgstr, flags=flags)
    with pytest.raises(ValueError, match="reviewed"):
        approve(entry, "Ana", "2026-12-02")
    with pytest.raises(ValueError, match="reviewer"):
        approve(polib.POEntry(msgid="a", msgstr="b"), " ", "2026-12-02")
