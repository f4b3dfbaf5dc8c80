"""PO catalogs: valid for GNU gettext, deterministic, and updates that never lose work."""

import subprocess
from pathlib import Path

import polib
import pytest

from l10n.catalog import (
    _guard_against_loss,
    parse_catalog,
    read_catalog,
    template_for,
    update_catalog,
)
from l10n.document import parse_document
from l10n.errors import CatalogError, DataLossError
from l10n.segment import segment_document

from conftest import CASES, ROOT, SEEDS, prepare, msgfmt_check, require_tool, run_l10n


def test_every_written_file_passes_msgfmt_check(project):
    run_l10n(project, "extract", check=True)
    run_l10n(project, "update", check=True)  # both configured locales: es and fr
    files = sorted(project.glob("locales/**/*.po*"))
    assert len(files) == 12
    for path in files:
        stderr = msgfmt_check(path)
        if path.suffix == ".po":
            assert stderr == "", stderr  # not even a warning
    fr = polib.pofile(str(project / "locales/fr/LC_MESSAGES/carfilzomib.po"))
    assert fr.metadata["Language"] == "fr"
    assert fr.metadata["Plural-Forms"] == "nplurals=2; plural=(n > 1);"
    es = polib.pofile(str(project / "locales/es/LC_MESSAGES/carfilzomib.po"))
    assert es.metadata["Plural-Forms"] == "nplurals=2; plural=(n != 1);"
    assert es.metadata["Language-Team"] == "Spanish"


def test_extracting_twice_gives_byte_identical_files(project):
    run_l10n(project, "extract", check=True)
    first = {p: p.read_bytes() for p in project.glob("locales/templates/*.pot")}
    done = run_l10n(project, "extract", check=True)
    assert "4 unchanged" in done.stdout
    assert first == {p: p.read_bytes() for p in project.glob("locales/templates/*.pot")}


def test_entries_carry_reference_key_kind_and_link_targets(project):
    run_l10n(project, "extract", check=True)
    pot = polib.pofile(str(project / "locales/templates/carfilzomib.pot"))
    entry = next(e for e in pot if e.msgid.startswith("**[Multiple myeloma][1]**"))
    assert entry.occurrences == [("seeds/carfilzomib.md", "48")]
    assert entry.comment.splitlines()[0] == "use-in-cancer/ul[1]/li[1] (list-item)"
    assert "[2]: /Common/PopUps/popDefinition.aspx?id=45866&version=Patient&language=English" in entry.comment
    title = next(e for e in pot if e.msgctxt == "front-matter:title")
    assert title.msgid == "Carfilzomib - NCI"


def _translate_all(po_path: Path, prefix="ES ") -> dict:
    catalog = polib.pofile(str(po_path))
    for entry in catalog:
        entry.msgstr = prefix + entry.msgid
        entry.tcomment = "reviewed by Ana"
    catalog.save()
    return {e.msgid: e.msgstr for e in catalog}


def test_update_after_real_edits_keeps_every_translation(project):
    sheet = project / "seeds/carfilzomib.md"
    po = project / "locales/es/LC_MESSAGES/carfilzomib.po"
    prepare(project)
    before = _translate_all(po)

    original = sheet.read_text()
    edited = (
        original.replace("possible side effects.", "possible side effects, including rare ones.")  # changed
        .replace("- warnings about this drug,\n", "")  # removed
        .replace("## Research Results", "A brand-new paragraph about storage.\n\n## Research Results")  # added
        .replace("id=348921", "id=999999")  # a link target only
    )
    sheet.write_text(edited)
    run_l10n(project, "extract", check=True)
    done = run_l10n(project, "update", "--locale", "es", check=True)
    assert "1 fuzzy (source changed), 1 new, 1 obsolete" in done.stdout
    msgfmt_check(po)

    catalog = polib.pofile(str(po))
    by_id = {e.msgid: e for e in catalog if not e.obsolete}
    changed = by_id["possible side effects, including rare ones."]
    assert changed.msgstr == "ES possible side effects." and "fuzzy" in changed.flags
    assert changed.previous_msgid == "possible side effects."
    assert changed.tcomment == "reviewed by Ana"
    assert by_id["A brand-new paragraph about storage."].msgstr == ""
    link_only = next(e for e in by_id.values() if "other [drugs][1]" in e.msgid)
    assert link_only.msgstr.startswith("ES ") and "fuzzy" not in link_only.flags
    assert "id=999999" in link_only.comment
    obsolete = [e for e in catalog if e.obsolete]
    assert [e.msgid for e in obsolete] == ["warnings about this drug,"]
    every_msgstr = {e.msgstr for e in catalog}
    assert set(before.values()) <= every_msgstr, "no translation lost"

    # The removed text returns: its translation comes back, reviewed as it was.
    sheet.write_text(original)
    run_l10n(project, "extract", check=True)
    done = run_l10n(project, "update", "--locale", "es", check=True)
    assert "1 revived" in done.stdout
    catalog = polib.pofile(str(po))
    revived = next(e for e in catalog if e.msgid == "warnings about this drug," and not e.obsolete)
    assert revived.msgstr == "ES warnings about this drug," and "fuzzy" not in revived.flags
    msgfmt_check(po)


def test_update_agrees_with_gnu_msgmerge_on_what_becomes_fuzzy_and_obsolete(tmp_path):
    msgmerge = require_tool("msgmerge")
    old_doc = parse_document("---\ntitle: T\n---\nTake one tablet daily.\n\nStore cold.\n\nKeep away.\n", "s.md")
    new_doc = parse_document("---\ntitle: T\n---\nTake one tablet twice daily.\n\nKeep away.\n", "s.md")
    old = update_catalog(None, template_for(old_doc, segment_document(old_doc)), "es")[0]
    for entry in old:
        entry.msgstr = "ES " + entry.msgid
    ours, _ = update_catalog(old, template_for(new_doc, segment_document(new_doc)), "es")
    (tmp_path / "old.po").write_text(str(old))
    (tmp_path / "new.pot").write_text(str(template_for(new_doc, segment_document(new_doc))))
    subprocess.run([msgmerge, "-q", "--previous", "-o", str(tmp_path / "gnu.po"), str(tmp_path / "old.po"),
                    str(tmp_path / "new.pot")], check=True)
    gnu = polib.pofile(str(tmp_path / "gnu.po"))

    def shape(catalog):
        return sorted((e.msgid, e.msgstr, "fuzzy" in e.flags, e.obsolete, e.previous_msgid or "") for e in catalog)

    assert shape(ours) == shape(gnu)


def test_a_translators_editor_rewrapping_the_file_loses_nothing(project, tmp_path):
    msgcat = require_tool("msgcat")
    prepare(project)
    po = project / "locales/es/LC_MESSAGES/bortezomib.po"
    before = _translate_all(po, "ES ")
    lines_before = len(po.read_text().splitlines())
    subprocess.run([msgcat, "--width=30", "-o", str(po), str(po)], check=True)
    assert len(po.read_text().splitlines()) > lines_before + 50  # really rewrapped
    run_l10n(project, "update", "--locale", "es", check=True)
    after = {e.msgid: e.msgstr for e in read_catalog(po)}
    assert after == before


@pytest.mark.parametrize(
    "text, line, words",
    [
        ('msgid "a"\nmsgstr "b\n', 2, "not PO syntax"),
        ('msgid "a"\nmsgstr "b"c"\n', 2, "not PO syntax"),
        ('msgid ""\nmsgstr ""\n"Language: es\\n"\n\nmsgid "a"\nmsgstr "b"\nthis is not PO\n', 7, "not PO syntax"),
        ('msgid "a"\nmsgid "b"\nmsgstr "c"\n', 2, "syntax error"),
        ('msgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n', 4, "appears twice"),
        ("just some text\n", 1, "not PO syntax"),
        ("# only a comment\n", 1, "no msgid"),
    ],
)
def test_broken_po_files_name_file_and_line(text, line, words):
    with pytest.raises(CatalogError) as caught:
        parse_catalog(text, "locales/es/LC_MESSAGES/x.po")
    assert str(caught.value).startswith(f"locales/es/LC_MESSAGES/x.po:{line}: "), str(caught.value)
    assert words in str(caught.value)


def test_the_loss_guard_refuses_a_catalog_with_less(tmp_path):
    old = polib.POFile()
    old.append(polib.POEntry(msgid="Dose", msgstr="Dosis"))
    with pytest.raises(DataLossError):
        _guard_against_loss(old, polib.POFile())
    _guard_against_loss(old, old)


def test_the_committed_templates_match_the_seeds(project):
    """The POTs in locales/templates are what extract makes of seeds/ now (run 'l10n extract' if not)."""

    (project / "l10n.toml").write_text('locales = ["es"]\nfront-matter-keys = ["title"]\n')
    run_l10n(project, "extract", check=True)
    for made in sorted(project.glob("locales/templates/*.pot")):
        committed = ROOT / "locales/templates" / made.name
        assert committed.read_text() == made.read_text(), f"run 'l10n extract' and commit {committed.name}"


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.md")) + sorted(CASES.glob("*.md")), ids=lambda p: p.name)
def test_a_new_catalogs_text_is_what_updating_nothing_gives(path, monkeypatch):
    from l10n.catalog import catalog_text, new_catalog_text

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    doc = parse_document(path.read_bytes().decode("utf-8"), f"seeds/{path.name}")
    template = template_for(doc, segment_document(doc, ("title",)))
    for locale in ("es", "fr", "pt_BR"):
        general = catalog_text(update_catalog(None, template, locale)[0])
        assert new_catalog_text(template, catalog_text(template), locale) == general


def test_the_locale_table_is_what_babel_says_today():
    """l10n/locale_table.py is a snapshot of Babel; after a Babel upgrade run scripts/locale_table.py."""
    import importlib.util

    from l10n import locale_table

    spec = importlib.util.spec_from_file_location("locale_table_script", ROOT / "scripts/locale_table.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    babel_says = script.babel_answers()
    table = {}
    for line in locale_table.TABLE.strip("\n").split("\n"):
        name, english, forms = line.split("\t")
        table[name] = (english, locale_table.PLURAL_FORMS[int(forms)])
    assert table == babel_says, "run: .venv/bin/python scripts/locale_table.py"
    assert script.render(babel_says) == (ROOT / "l10n/locale_table.py").read_text(encoding="utf-8")


@pytest.mark.parametrize("locale", ["es", "pt-BR", "sr_Latn", "zh_Hant_TW", "es_419", "apc"])
def test_locale_info_from_the_table_agrees_with_babel(locale):
    from babel import Locale
    from babel.messages.plurals import get_plural

    from l10n.catalog import locale_info

    parsed = Locale.parse(locale.replace("-", "_"))
    # Babel knows no English name for apc: the code stands in for it.
    assert locale_info(locale) == (parsed.english_name or locale, get_plural(parsed).plural_forms)


def test_a_locale_outside_the_table_is_left_to_babel():
    from l10n.catalog import check_locale, locale_info
    from l10n.errors import ConfigError
    from l10n.locale_table import TABLE

    # An alias Babel resolves (no data file of its own), and codes it refuses.
    assert "\nzh_TW\t" not in TABLE and locale_info("zh_TW") == locale_info("zh_Hant_TW")
    for bad in ("xx_QQ", "es_", "../es"):
        with pytest.raises(ConfigError, match="unknown locale"):
            check_locale(bad)
