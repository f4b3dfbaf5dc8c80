"""Behaviours a mutation run showed no test pinned down, each checked end to end.

Each test names the rule it pins; the oracle is outside the code under test:
GNU msgmerge, polib reading the files, or bytes written here by hand.
"""

from __future__ import annotations

import shutil
import subprocess

import polib
import pytest

from conftest import prepare, require_tool, run_l10n

SHEET = """\
---
title: Examplemab - NCI
language: {language}
---

# Examplemab - NCI

Take 1 tablet on day 1 and day 8.

Call your doctor.  
Now.

A line that will be removed.

An untranslated line that will be removed.
"""


def _project(tmp_path, language="en", newline="\n"):
    (tmp_path / "seeds").mkdir()
    text = SHEET.format(language=language)
    (tmp_path / "seeds/examplemab.md").write_bytes(text.replace("\n", newline).encode())
    (tmp_path / "l10n.toml").write_text('locales = ["es"]\n')
    prepare(tmp_path)
    return tmp_path, tmp_path / "locales/es/LC_MESSAGES/examplemab.po"


def _edit(po, **changes):
    """Set msgstr / flags / tcomment on entries found by the start of their msgid."""
    catalog = polib.pofile(str(po))
    for entry in catalog:
        for start, (msgstr, flags, tcomment) in changes.items():
            if entry.msgid.startswith(start.replace("_", " ")):
                entry.msgstr, entry.flags, entry.tcomment = msgstr, list(flags), tcomment
    catalog.save()


@pytest.mark.parametrize("force", [False, True])
def test_update_keeps_each_unchanged_entrys_flags(tmp_path, force):
    """A machine draft stays fuzzy through update: losing the flag would build it as reviewed."""
    project, po = _project(tmp_path)
    _edit(po, Take=("Tome 1 comprimido el día 1 y el día 8.", ["fuzzy"], "l10n: machine apertium x [00000000]"),
          Call=("Llame a su médico.\nAhora.", [], ""))
    sheet = project / "seeds/examplemab.md"
    sheet.write_text(sheet.read_text().replace("A line that will", "A line that now will"))
    run_l10n(project, *(["--force"] if force else []), "update", check=True)
    entries = {e.msgid: e for e in polib.pofile(str(po))}
    assert entries["Take 1 tablet on day 1 and day 8."].flags == ["fuzzy"]
    assert entries["Take 1 tablet on day 1 and day 8."].tcomment == "l10n: machine apertium x [00000000]"
    assert entries["Call your doctor.\nNow."].flags == []
    done = run_l10n(project, "build", check=True)
    built = (project / "build/es/examplemab.md").read_text()
    assert "Take 1 tablet" in built and "Tome 1" not in built and "Llame a su médico.  \nAhora." in built
    assert "1 fuzzy-skipped" in done.stdout


def test_removed_entries_go_obsolete_only_if_translated_as_msgmerge_does(tmp_path):
    project, po = _project(tmp_path)
    _edit(po, A_line=("Una línea que se quitará.", [], ""))
    old = tmp_path / "old.po"
    shutil.copy(po, old)
    sheet = project / "seeds/examplemab.md"
    sheet.write_text(sheet.read_text().replace("A line that will be removed.\n\n", "")
                     .replace("An untranslated line that will be removed.\n", "Something new.\n"))
    run_l10n(project, "extract", check=True)
    run_l10n(project, "update", check=True)
    gnu = tmp_path / "gnu.po"
    subprocess.run([require_tool("msgmerge"), "-q", "--no-fuzzy-matching", "-o", str(gnu), str(old),
                    str(project / "locales/templates/examplemab.pot")], check=True)

    def obsolete(path):
        return sorted((e.msgid, e.msgstr) for e in polib.pofile(str(path)) if e.obsolete)

    assert obsolete(po) == obsolete(gnu) == [("A line that will be removed.", "Una línea que se quitará.")]
    assert "An untranslated line" not in po.read_text()


def test_build_never_uses_an_obsolete_translation(tmp_path):
    project, po = _project(tmp_path)
    catalog = polib.pofile(str(po))
    # The entry is still wanted by the sheet, but only an obsolete twin has a translation.
    wanted = next(e for e in catalog if e.msgid.startswith("Call"))
    catalog.remove(wanted)
    catalog.append(polib.POEntry(msgid=wanted.msgid, msgstr="Llame a su médico.\nAhora.", obsolete=True))
    catalog.save()
    assert [(e.obsolete, e.msgstr) for e in polib.pofile(str(po)) if e.msgid.startswith("Call")] == \
        [(True, "Llame a su médico.\nAhora.")]
    run_l10n(project, "build")
    assert "Llame" not in (project / "build/es/examplemab.md").read_text()


def test_a_hard_line_break_in_a_crlf_sheet_comes_back_as_crlf(tmp_path):
    project, po = _project(tmp_path, newline="\r\n")
    assert 'msgid ""\n"Call your doctor.\\n"\n"Now."' in po.read_text()  # one line break, no \r
    _edit(po, Call=("Llame a su médico.\nAhora.", [], ""))
    run_l10n(project, "build", check=True)
    built = (project / "build/es/examplemab.md").read_bytes()
    assert b"\r\n\r\nLlame a su m\xc3\xa9dico.  \r\nAhora.\r\n\r\n" in built  # the sheet's own break syntax
    assert b"\n" not in built.replace(b"\r\n", b"")


@pytest.mark.parametrize("written, rewritten", [("en", "es"), ("'en'", "'es'"), ('"en"', '"es"')])
def test_the_language_key_keeps_its_quoting(tmp_path, written, rewritten):
    project, _ = _project(tmp_path, language=written)
    built = (project / "build/es/examplemab.md").read_text()
    assert f"\nlanguage: {rewritten}\n" in built


def test_numbers_are_compared_as_a_multiset(tmp_path):
    """'day 1 and day 8' needs both 1s: the tablet count and the day."""
    project, po = _project(tmp_path)
    _edit(po, Take=("Tome 1 comprimido el día 8.", [], ""))
    done = run_l10n(project, "check", "--locale", "es")
    assert done.returncode == 3
    assert "[numbers]" in done.stdout + done.stderr
    _edit(po, Take=("Tome 1 comprimido el día 1 y el día 8.", [], ""))
    done = run_l10n(project, "check", "--locale", "es")
    assert "[numbers]" not in done.stdout + done.stderr
