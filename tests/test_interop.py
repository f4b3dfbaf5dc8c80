"""The PO files the workflow writes are ordinary gettext files other tools read without loss.

After extract, update (with a translator's work and a changed English sheet) and
pretranslate: GNU ``msgfmt -c`` accepts every file; Babel's ``read_po`` and
polib read the same entries; and a file rewritten by another tool with
different line wrapping (as a PO editor saves it) reads back with nothing lost,
and checks and statistics say the same about it.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from babel.messages.pofile import read_po

from l10n.catalog import read_catalog
from l10n.checks import check_catalog
from l10n.cli import COMMANDS
from l10n.stats import entry_status, sheet_stats

from conftest import PROJECT_CONFIG, SEEDS, msgfmt_check, require_tool, run_l10n

REVIEWED = {
    "Yes": "Sí",
    "FDA Approved": "Aprobado por la FDA",
    "US Brand Name(s)": "Nombre(s) comercial(es) en EE. UU.",
    "Carfilzomib is also being studied in the treatment of other types of [cancer][1].":
        'El carfilzomib también se estudia en el tratamiento de otros tipos de [cáncer][1] ("otros").',
}


def _translate(po: Path) -> None:
    catalog = polib.pofile(str(po))
    for entry in catalog:
        if entry.msgid in REVIEWED:
            entry.msgstr = REVIEWED[entry.msgid]
        elif entry.msgid.startswith("Drugs are often studied"):  # a long string, wrapped over many lines
            entry.msgstr = ("A menudo se estudian los medicamentos para saber si ayudan a tratar o prevenir "
                            "afecciones distintas de aquellas para las que están aprobados. Esta hoja informativa "
                            "se aplica solo a los usos aprobados del medicamento.")
            entry.flags = ["fuzzy"]
            entry.tcomment = "l10n: memory 88% from seeds/bortezomib.md"
    catalog.save()


@pytest.fixture(scope="module")
def _worked(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("worked")
    shutil.copytree(SEEDS, project / "seeds")
    (project / "l10n.toml").write_text(PROJECT_CONFIG)
    run_l10n(project, "extract", check=True)
    run_l10n(project, "update", "--locale", "es", check=True)
    _translate(project / "locales/es/LC_MESSAGES/carfilzomib.po")
    sheet = project / "seeds/carfilzomib.md"  # the English changes under the translator
    sheet.write_text(sheet.read_text().replace("FDA Approved", "FDA Approved?").replace("\nYes\n", "\nNo\n"))
    run_l10n(project, "extract", check=True)
    run_l10n(project, "update", "--locale", "es", check=True)
    if "pretranslate" in COMMANDS:
        require_tool("apertium")
        run_l10n(project, "pretranslate", "--locale", "es", "--engine", "apertium", check=True)
    return project


@pytest.fixture
def worked_project(_worked: Path, tmp_path: Path) -> Path:
    """A fresh copy of the worked project for each test (pretranslating once is enough)."""
    shutil.copytree(_worked, tmp_path / "project")
    return tmp_path / "project"


def test_babel_reads_what_the_translator_did_and_what_update_changed(worked_project: Path):
    """Babel, an independent reader, sees the hand-made translations, the changed string
    fuzzy, the removed one obsolete, and the locale's header."""
    for path in sorted((worked_project / "locales").rglob("*.po*")):
        with open(path, "rb") as handle:
            read_po(handle, abort_invalid=True)  # every file parses strictly
    with open(worked_project / "locales/es/LC_MESSAGES/carfilzomib.po", "rb") as handle:
        catalog = read_po(handle, abort_invalid=True)
    assert (catalog.locale.language, catalog.language_team) == ("es", "Spanish")
    assert catalog["US Brand Name(s)"].string == "Nombre(s) comercial(es) en EE. UU."
    assert not catalog["US Brand Name(s)"].fuzzy
    changed = catalog["FDA Approved?"]  # the English changed: the old Spanish kept, fuzzy, old English shown
    assert changed.string == "Aprobado por la FDA" and changed.fuzzy
    assert '| msgid "FDA Approved"' in changed.user_comments
    assert {key: message.string for key, message in catalog.obsolete.items()} == {"Yes": "Sí"}
    new = catalog["No"]  # new English, filled by the engine: never passed off as reviewed
    assert new.string and new.fuzzy and any(c.startswith("l10n: machine apertium") for c in new.user_comments)


def _quoted(lines: list[str]) -> str:
    """The string in PO comment lines such as '| msgid "a "' '| "b"'."""
    return polib.unescape("".join(re.findall(r'"((?:[^"\\]|\\.)*)"', "\n".join(lines))))


def _shape(entry: polib.POEntry) -> tuple:
    """Everything a translator or l10n relies on, wrapping aside."""
    return (
        entry.msgctxt or "", entry.msgid, entry.msgstr, sorted(entry.flags), entry.obsolete,
        # A writer may wrap comments, even inside a word ("eng-\nspa"): compare them unwrapped.
        entry.previous_msgid or "", "".join((entry.comment or "").split()), "".join((entry.tcomment or "").split()),
        [tuple(o) for o in entry.occurrences],
    )


def test_workflow_output_passes_msgfmt_and_reads_the_same_in_babel_and_polib(worked_project: Path):
    files = sorted((worked_project / "locales").rglob("*.po*"))
    assert len(files) == 8
    statuses = set()
    for path in files:
        msgfmt_check(path)
        ours = read_catalog(path)
        babel = read_po(io.BytesIO(path.read_bytes()), abort_invalid=True)
        babel_active = {(m.context, m.id): m for m in babel if m.id}
        active = [e for e in ours if not e.obsolete and e.msgid]
        assert len(babel_active) == len(active)
        for entry in active:
            message = babel_active[(entry.msgctxt, entry.msgid)]
            assert message.string == entry.msgstr
            assert message.fuzzy == ("fuzzy" in entry.flags)
            assert " ".join(message.auto_comments) .split() == (entry.comment or "").split()
            # Babel's reader keeps '#| msgid' (the previous English) as comment lines "| msgid ...".
            previous = [c for c in message.user_comments if c.startswith("|")]
            translator = [c for c in message.user_comments if not c.startswith("|")]
            assert "\n".join(translator) == (entry.tcomment or "")
            assert _quoted(previous) == (entry.previous_msgid or "")
            assert [(f, str(n)) for f, n in message.locations] == [tuple(o) for o in entry.occurrences]
            statuses.add(entry_status(entry))
        assert len(babel.obsolete) == sum(1 for e in ours if e.obsolete)
        again = polib.pofile(str(ours))  # polib's own writer, read back
        assert [_shape(e) for e in again] == [_shape(e) for e in ours]
    expected = {"reviewed", "memory", "changed", "untranslated"}
    if "pretranslate" in COMMANDS:
        expected.add("machine")
    assert expected <= statuses


def _msgcat(path: Path, out: Path, *options: str) -> None:
    subprocess.run([require_tool("msgcat"), *options, "-o", str(out), str(path)], check=True)


def _polib_editor(path: Path, out: Path) -> None:
    """What a Python tool such as a web editor's back end writes: polib, another wrap width."""
    catalog = polib.pofile(str(path), wrapwidth=40)
    catalog.save(str(out))


@pytest.mark.parametrize(
    "rewrite",
    [
        pytest.param(lambda p, o: _msgcat(p, o, "--width=30"), id="msgcat-width-30"),
        pytest.param(lambda p, o: _msgcat(p, o, "--width=79"), id="msgcat-width-79"),  # Poedit's and msgmerge's
        pytest.param(_polib_editor, id="polib-width-40"),
    ],
)
def test_a_file_rewrapped_by_another_tool_reads_back_without_loss(worked_project: Path, tmp_path: Path, rewrite):
    po = worked_project / "locales/es/LC_MESSAGES/carfilzomib.po"
    original = read_catalog(po)
    rewrapped = tmp_path / "carfilzomib.po"
    rewrite(po, rewrapped)
    assert rewrapped.read_text() != po.read_text()  # the tool really did rewrite it
    msgfmt_check(rewrapped)
    back = read_catalog(rewrapped)

    def shapes(catalog):
        return sorted(_shape(e) for e in catalog if e.msgid)

    assert shapes(back) == shapes(original)
    assert back.metadata["Language"] == "es"

    def findings(catalog):
        return sorted((p.severity, p.check, p.message) for p in check_catalog(catalog, "x.po"))

    assert findings(back) == findings(original)
    assert sheet_stats(back, "carfilzomib", "es") == sheet_stats(original, "carfilzomib", "es")

    # The translator's editor saved it; the next update keeps every translation.
    po.write_bytes(rewrapped.read_bytes())
    run_l10n(worked_project, "update", "--locale", "es", check=True)
    kept = {e.msgid: e.msgstr for e in read_catalog(po) if e.msgstr}
    assert kept == {e.msgid: e.msgstr for e in original if e.msgstr}
