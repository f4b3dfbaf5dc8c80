"""PO catalogs: valid for GNU gettext, deterministic, and updates that never lose work."""

import gettext
import re
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
    es = polib.pofile(str(project / "locales/es/LC_MESSAGES/carfilzomib.po"))
    # CLDR: French 0 and 1 are singular, Spanish only 1; both use the last form for 2.
    # (The formulas are Babel's and differ between its releases; gettext.c2py evaluates them.)
    for catalog, singular in ((fr, {0, 1}), (es, {1})):
        nplurals, formula = re.fullmatch(r"nplurals=(\d+); plural=(.+);", catalog.metadata["Plural-Forms"]).groups()
        plural = gettext.c2py(formula)
        assert {n for n in range(0, 20) if plural(n) == 0} == singular
        assert plural(2) == int(nplurals) - 1
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


# Hand-written from CLDR: the English name; 1 takes the first plural form
# ("one") where the language has one, 5 the last ("other").
# The formulas themselves are Babel's and change between its releases (2.19
# gave Spanish a third form, for millions), so they are checked by evaluating
# them with the standard library's gettext.c2py and by msgfmt, not as text.
@pytest.mark.parametrize("locale, english", [
    ("es", "Spanish"),
    ("pt-BR", "Portuguese (Brazil)"),
    ("sr_Latn", "Serbian (Latin)"),
    ("ja", "Japanese"),
    ("apc", "apc"),  # Babel knows no English name for apc: the code stands in
])
def test_locale_info_gives_a_name_and_plural_forms_msgfmt_accepts(tmp_path, locale, english):
    import gettext
    import re

    from l10n.catalog import locale_info

    name, plural_forms = locale_info(locale)
    assert name == english
    found = re.fullmatch(r"nplurals=(\d+); plural=(.+);", plural_forms)
    assert found, plural_forms
    nplurals, plural = int(found[1]), gettext.c2py(found[2])
    assert (plural(1), plural(5)) == (0, nplurals - 1)
    assert all(0 <= plural(n) < nplurals for n in range(0, 2_000_001, 997))
    po = tmp_path / "plural.po"
    msgstrs = "".join(f'msgstr[{i}] "x{i}"\n' for i in range(nplurals))
    po.write_text(f'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
                  f'"Plural-Forms: {plural_forms}\\n"\n\nmsgid "one"\nmsgid_plural "many"\n{msgstrs}',
                  encoding="utf-8")
    msgfmt_check(po)


def test_unknown_locales_are_refused_and_aliases_resolved():
    from l10n.catalog import check_locale, locale_info
    from l10n.errors import ConfigError

    # An alias Babel resolves (no data file of its own), and codes it refuses.
    assert locale_info("zh_TW") == locale_info("zh_Hant_TW") == ("Chinese (Traditional, Taiwan)", "nplurals=1; plural=0;")
    for bad in ("xx_QQ", "es_", "../es"):
        with pytest.raises(ConfigError, match="unknown locale"):
            check_locale(bad)


def _pluralize(po: Path, msgid: str, forms: int) -> None:
    """Turn the entry for ``msgid`` into a translated plural entry, as a translator's editor can."""
    text = po.read_text()
    old = f'msgid "{msgid}"\nmsgstr ""\n'
    assert old in text
    plural = "".join(f'msgstr[{n}] "Forma {n}"\n' for n in range(forms))
    po.write_text(text.replace(old, f'msgid "{msgid}"\nmsgid_plural "{msgid}s"\n{plural}'))


def test_update_force_keeps_a_plural_entry_valid(project):
    """Issue 11: 'update --force' dropped msgid_plural and left msgstr[N] that msgfmt rejects."""
    prepare(project)
    po = project / "locales/es/LC_MESSAGES/carfilzomib.po"
    forms = int(re.search(r"nplurals=(\d+)", po.read_text()).group(1))
    _pluralize(po, "Placeholder slot", forms)
    # A plural entry the sheet no longer has, translated: it must survive as obsolete.
    po.write_text(po.read_text() + '\nmsgid "one vial"\nmsgid_plural "%d vials"\n'
                  + "".join(f'msgstr[{n}] "Vial {n}"\n' for n in range(forms)))
    msgfmt_check(po)
    run_l10n(project, "update", "--locale", "es", "--force", check=True)
    msgfmt_check(po)
    catalog = polib.pofile(str(po))  # an independent reader
    entry = catalog.find("Placeholder slot")
    assert entry.msgid_plural == "Placeholder slots"
    assert entry.msgstr_plural == {n: f"Forma {n}" for n in range(forms)}
    gone = [e for e in catalog.obsolete_entries() if e.msgid == "one vial"]
    assert len(gone) == 1 and gone[0].msgid_plural == "%d vials"
    assert gone[0].msgstr_plural == {n: f"Vial {n}" for n in range(forms)}


def test_a_plural_entry_is_not_squeezed_into_a_fuzzy_single_string(tmp_path):
    """A changed string never takes a plural entry's forms as its one msgstr: the entry stays whole."""
    template = polib.POFile()
    template.append(polib.POEntry(msgid="Take one tablet daily."))
    old = polib.POFile()
    old.append(polib.POEntry(msgid="Take one tablet a day.", msgid_plural="Take %d tablets a day.",
                             msgstr_plural={0: "Tome una tableta al día.", 1: "Tome %d tabletas al día."}))
    new, summary = update_catalog(old, template, "es")
    assert summary.fuzzy == 0 and summary.added == 1 and summary.obsoleted == 1
    kept = [e for e in new if e.obsolete]
    assert kept[0].msgid_plural == "Take %d tablets a day." and kept[0].msgstr_plural[1] == "Tome %d tabletas al día."


def test_the_loss_guard_counts_plural_forms(tmp_path):
    old = polib.POFile()
    old.append(polib.POEntry(msgid="vial", msgid_plural="vials", msgstr_plural={0: "vial", 1: "viales"}))
    new = polib.POFile()
    new.append(polib.POEntry(msgid="vial", msgid_plural="vials", msgstr_plural={0: "vial", 1: ""}))
    with pytest.raises(DataLossError):
        _guard_against_loss(old, new)
    _guard_against_loss(old, update_catalog(old, polib.POFile(), "es")[0])


def test_update_keeps_the_header_a_translators_editor_wrote(project):
    # Poedit and Lokalize own Last-Translator, Language-Team and PO-Revision-Date;
    # an update after a source edit must keep what they wrote, as msgmerge does.
    po = project / "locales/es/LC_MESSAGES/carfilzomib.po"
    prepare(project)
    catalog = polib.pofile(str(po))
    catalog.metadata["Last-Translator"] = "Ana Ruiz <ana@example.org>"
    catalog.metadata["PO-Revision-Date"] = "2024-03-05 10:20+0100"
    catalog.metadata["X-Editor-Note"] = "kept"
    catalog.save()
    sheet = project / "seeds/carfilzomib.md"
    sheet.write_text(sheet.read_text().replace("possible side effects.", "possible side effects, all of them."))
    run_l10n(project, "extract", check=True)
    run_l10n(project, "update", "--locale", "es", check=True)
    after = polib.pofile(str(po))
    assert after.metadata["Last-Translator"] == "Ana Ruiz <ana@example.org>"
    assert after.metadata["PO-Revision-Date"] == "2024-03-05 10:20+0100"
    assert after.metadata["X-Editor-Note"] == "kept"
    # ...while the source's own keys follow the new English.
    pot = polib.pofile(str(project / "locales/templates/carfilzomib.pot"))
    assert after.metadata["X-Source-SHA256"] == pot.metadata["X-Source-SHA256"]
    msgfmt_check(po)


def test_a_template_placeholder_revision_date_becomes_a_real_one(tmp_path):
    doc = parse_document("---\ntitle: T\n---\nTake one tablet daily.\n", "s.md")
    old = polib.POFile()
    old.metadata = {"PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE", "Language": "es"}
    new, _ = update_catalog(old, template_for(doc, segment_document(doc)), "es")
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d\+0000", new.metadata["PO-Revision-Date"])


def test_the_loss_guard_is_wired_into_update(monkeypatch):
    # The guard catches a merge bug before anything is written: make the merge
    # forget removed translations (instead of keeping them obsolete) and see it refuse.
    import l10n.catalog

    old_doc = parse_document("---\ntitle: T\n---\nTake one tablet daily.\n\n"
                             "Store cold, in the original carton, away from light and from children.\n", "s.md")
    new_doc = parse_document("---\ntitle: T\n---\nTake one tablet daily.\n", "s.md")
    old = update_catalog(None, template_for(old_doc, segment_document(old_doc)), "es")[0]
    for entry in old:
        entry.msgstr = "ES " + entry.msgid
    monkeypatch.setattr(l10n.catalog, "_has_translation", lambda entry: False)
    # The message quotes the string's first 60 characters, enough to find it.
    with pytest.raises(DataLossError, match="drop the translation of 'Store cold, in the original carton, "
                                            "away from light and from'; nothing written"):
        update_catalog(old, template_for(new_doc, segment_document(new_doc)), "es")


def test_an_update_summary_reads_as_its_counts():
    from l10n.catalog import UpdateSummary

    summary = UpdateSummary(kept=3, added=1)
    assert repr(summary) == "UpdateSummary(kept=3, fuzzy=0, added=1, obsoleted=0, revived=0)"
    assert str(summary) == "3 kept, 0 fuzzy (source changed), 1 new, 0 obsolete, 0 revived"
    assert summary == UpdateSummary(3, 0, 1) and summary != UpdateSummary(3)
