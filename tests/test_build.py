"""Building per-locale sheets: byte-exact where untranslated, safe where translated."""

import re
import shutil

import polib
import pytest

from l10n.build import build_sheet
from l10n.catalog import template_for, update_catalog
from l10n.document import parse_document, read_document
from l10n.errors import L10nError
from l10n.segment import segment_document

from conftest import prepare, prepare_for_release, CASES, SEEDS, fill_identity, run_l10n

CHANGED_KEYS = re.compile(r"^(language|translationSource|translationSourceHash|translationStatus): .*\r?\n", re.M)


def _without_changed_keys(text: str) -> str:
    return CHANGED_KEYS.sub("", text)


@pytest.mark.parametrize("name", ["carfilzomib", "ciltacabtagene-autoleucel", "bortezomib", "ixazomib-citrate"])
def test_identity_round_trip_on_the_seeds_is_byte_exact(project, name):
    prepare(project)
    fill_identity(project / f"locales/es/LC_MESSAGES/{name}.po")
    done = run_l10n(project, "build", "--locale", "es", name, check=True)
    assert "reviewed (" in done.stdout
    source = (project / f"seeds/{name}.md").read_bytes()
    built = (project / f"build/es/{name}.md").read_bytes()
    assert _without_changed_keys(built.decode()) == _without_changed_keys(source.decode())
    assert built.count(b"\n") == source.count(b"\n") + 3  # three provenance keys added
    assert b"language: es\n" in built and b"translationStatus: reviewed\n" in built


@pytest.mark.parametrize("case", ["torture", "torture-crlf"])
def test_identity_round_trip_on_the_torture_files_is_byte_exact(tmp_path, case):
    (tmp_path / "seeds").mkdir()
    shutil.copy(CASES / f"{case}.md", tmp_path / "seeds")
    (tmp_path / "l10n.toml").write_text('locales = ["es"]\nfront-matter-keys = ["title", "summary"]\n')
    prepare(tmp_path)
    fill_identity(tmp_path / f"locales/es/LC_MESSAGES/{case}.po")
    run_l10n(tmp_path, "build", check=True)
    source = (CASES / f"{case}.md").read_bytes().decode()
    built = (tmp_path / f"build/es/{case}.md").read_bytes().decode()
    assert _without_changed_keys(built) == _without_changed_keys(source)
    if case.endswith("crlf"):
        assert "translationStatus: reviewed\r\n" in built and "\n" not in built.replace("\r\n", "")


def _catalog_for(doc, segments, translations: dict, fuzzy=()):
    catalog, _ = update_catalog(None, template_for(doc, segments), "es")
    for entry in catalog:
        if entry.msgid in translations:
            entry.msgstr = translations[entry.msgid]
            if entry.msgid in fuzzy:
                entry.flags.append("fuzzy")
    return catalog


def test_translations_go_in_and_everything_else_stays():
    doc = read_document(SEEDS / "bortezomib.md", "seeds/bortezomib.md")
    segments = segment_document(doc)
    catalog = _catalog_for(doc, segments, {
        "Bortezomib - NCI": "Bortezomib: NCI",
        "Use in Cancer": "Uso en el cáncer",
        "**[Mantle cell lymphoma][1]** in patients who have received at least one other type of treatment.":
            "**[Linfoma de células del manto][1]** en pacientes que recibieron al menos otro tipo de tratamiento.",
        "Yes": "Sí",
    }, fuzzy={"Yes"})
    result = build_sheet(doc, segments, catalog, "es")
    assert result.counts["reviewed"] == 4 and result.counts["fuzzy-skipped"] == 1
    assert result.status == "partial"
    text = result.text
    assert "\ntitle: 'Bortezomib: NCI'\n" in text  # the YAML value quoted because of ': '
    assert "\n# Bortezomib: NCI\n" in text  # the heading shares the text, not the context
    assert "\n## Uso en el cáncer\n" in text
    assert ("- **[Linfoma de células del manto](/Common/PopUps/popDefinition.aspx?id=445048&version=Patient"
            "&language=English)** en pacientes") in text
    assert "\nYes\n" in text  # fuzzy: English kept
    drafted = build_sheet(doc, segments, catalog, "es", include_fuzzy=True)
    assert "\nSí\n" in drafted.text and drafted.status == "draft"
    assert "translationStatus: draft" in drafted.text


def test_a_refused_translation_keeps_english_and_names_the_po_line(project):
    prepare(project)
    po_path = project / "locales/es/LC_MESSAGES/carfilzomib.po"
    catalog = polib.pofile(str(po_path))
    entry = next(e for e in catalog if e.msgid == "[Lenalidomide][1]")
    entry.msgstr = "[Lenalidomida](https://example.com/phishing)"
    catalog.save()
    line = next(i for i, text in enumerate(po_path.read_text().splitlines(), 1) if text == 'msgid "[Lenalidomide][1]"')
    done = run_l10n(project, "build", "--locale", "es", "carfilzomib")
    assert done.returncode == 0
    assert "1 refused" in done.stdout
    assert f"locales/es/LC_MESSAGES/carfilzomib.po:{line + 1}: use-in-cancer/ul[1]/li[4]: " \
        "the translation adds a link the source does not have" in done.stderr
    built = (project / "build/es/carfilzomib.md").read_text()
    assert "phishing" not in built and "- [Lenalidomide](/Common/PopUps/" in built


def test_front_matter_comments_order_and_quoting_survive_a_translated_title(tmp_path):
    text = ("---\n# reviewed quarterly\ntitle: 'Aspirin - NCI'  # shown in tabs\nlanguage: en\n"
            "tags: [a, b]\n---\n# Aspirin\n")
    doc = parse_document(text, "seeds/aspirin.md")
    segments = segment_document(doc)
    catalog = _catalog_for(doc, segments, {"Aspirin - NCI": "Aspirina - NCI", "Aspirin": "Aspirina"})
    built = build_sheet(doc, segments, catalog, "es").text
    assert built.startswith(
        "---\n# reviewed quarterly\ntitle: 'Aspirina - NCI'  # shown in tabs\nlanguage: es\ntags: [a, b]\n"
        "translationSource: seeds/aspirin.md\ntranslationSourceHash: sha256:"
    )
    assert built.endswith("translationStatus: reviewed\n---\n# Aspirina\n")


def test_a_sheet_without_a_language_key_gets_one():
    doc = parse_document("---\ntitle: X\n---\nText.\n", "s.md")
    built = build_sheet(doc, segment_document(doc), _catalog_for(doc, segment_document(doc), {}), "fr").text
    assert built.startswith("---\ntitle: X\nlanguage: fr\ntranslationSource: s.md\n")


@pytest.mark.parametrize("damage, message", [
    (lambda text: text.replace("title:", "title: [", 1), "front matter broke"),
    (lambda text: text.replace("language: es", "language: en", 1), "language key is wrong"),
    (lambda text: text.replace("\ntitle:", "\nname:", 1), "lost front-matter key 'title'"),
    (lambda text: text.replace("\n## ", "\n- ", 1), "changes the sheet's layout"),
])
def test_a_built_sheet_that_no_longer_reads_as_its_source_is_never_written(damage, message):
    """The last check before writing: each way a build could go wrong is caught."""
    from l10n.build import _verify

    doc = parse_document((SEEDS / "bortezomib.md").read_text(), "seeds/bortezomib.md")
    segments = segment_document(doc, ("title",))
    good = build_sheet(doc, segments, polib.POFile(), "es").text
    _verify(doc, good, segments, "es")
    with pytest.raises(L10nError, match=message):
        _verify(doc, damage(good), segments, "es")


# -- a QA error refuses a reviewed translation, as `l10n check` reports it --------------------

DOSING_SHEET = """\
---
title: Examplumab - NCI
---

# Examplumab

The usual dose is 20 mg/m2 once a day.

It binds CD38.

Yes
"""


def _dosing(project, translations: dict, fuzzy=()):
    (project / "seeds" / "examplumab.md").write_text(DOSING_SHEET, encoding="utf-8")
    prepare(project)
    po_path = project / "locales/es/LC_MESSAGES/examplumab.po"
    catalog = polib.pofile(str(po_path))
    for entry in catalog:
        if entry.msgid in translations:
            entry.msgstr = translations[entry.msgid]
            entry.flags = ["fuzzy"] if entry.msgid in fuzzy else []
    catalog.save()
    return po_path


def _msgstr_line(po_path, msgid: str) -> int:
    lines = po_path.read_text(encoding="utf-8").splitlines()
    return lines.index(f'msgid "{msgid}"') + 2


def test_a_wrong_dose_is_refused_and_reported_as_check_reports_it(project):
    po_path = _dosing(project, {
        "The usual dose is 20 mg/m2 once a day.": "La dosis habitual es de 200 mg/m2 una vez al día.",
        "It binds CD38.": "Se une a CD38.",
    })
    done = run_l10n(project, "build", "--locale", "es", "examplumab")
    assert done.returncode == 0
    assert "examplumab.md: partial (1 reviewed, 3 untranslated, 1 refused)" in done.stdout
    line = _msgstr_line(po_path, "The usual dose is 20 mg/m2 once a day.")
    assert (f"locales/es/LC_MESSAGES/examplumab.po:{line}: error [doses] the dose 20 mg/m2 is not in the "
            "translation (the English text is kept)") in done.stderr.splitlines()
    checked = run_l10n(project, "check", "--locale", "es", "examplumab")
    assert (f"locales/es/LC_MESSAGES/examplumab.po:{line}: error [doses] the dose 20 mg/m2 is not in the "
            "translation") in checked.stderr.splitlines()
    built = (project / "build/es/examplumab.md").read_text(encoding="utf-8")
    assert "\nThe usual dose is 20 mg/m2 once a day.\n" in built and "200" not in built
    assert "\nSe une a CD38.\n" in built and "translationStatus: partial" in built


def test_a_bidi_override_never_reaches_a_sheet_not_even_a_draft(project):
    po_path = _dosing(project, {
        "It binds CD38.": "Se une a CD38.\u202e",
        "The usual dose is 20 mg/m2 once a day.": "La dosis habitual es de 20 mg/m2 una vez al día.\x1b[8m",
        "Yes": "Sí",
    }, fuzzy={"The usual dose is 20 mg/m2 once a day."})
    for args in ((), ("--include-fuzzy",)):
        done = run_l10n(project, "build", "--locale", "es", "examplumab", *args)
        assert f"examplumab.po:{_msgstr_line(po_path, 'It binds CD38.')}: error [control-chars] " in done.stderr
        built = (project / "build/es/examplumab.md").read_text(encoding="utf-8")
        assert "\u202e" not in built and "\x1b" not in built and "\nSí\n" in built
    assert "1 fuzzy" not in done.stdout and "2 refused" in done.stdout  # the draft refused the ESC too


def test_a_draft_keeps_unreviewed_text_a_check_would_call_wrong(project):
    # A fuzzy string is machine output under the draft banner: only control characters refuse it.
    _dosing(project, {"The usual dose is 20 mg/m2 once a day.": "La dosis habitual es de 200 mg/m2 una vez al día."},
            fuzzy={"The usual dose is 20 mg/m2 once a day."})
    done = run_l10n(project, "build", "--locale", "es", "examplumab", "--include-fuzzy")
    assert "refused" not in done.stdout
    assert "200 mg/m2" in (project / "build/es/examplumab.md").read_text(encoding="utf-8")


def test_names_are_left_to_check_and_release():
    # "Aspirina" for the sheet's own name "Aspirin" is the do-not-translate check's call, with the glossary.
    doc = parse_document("---\ntitle: Aspirin - NCI\n---\n# Aspirin\n\nTake 2 tablets.\n", "seeds/aspirin.md")
    segments = segment_document(doc)
    catalog = _catalog_for(doc, segments, {"Aspirin": "Aspirina", "Take 2 tablets.": "Tome 3 comprimidos."})
    result = build_sheet(doc, segments, catalog, "es")
    assert result.counts["reviewed"] == 1 and result.counts["refused"] == 1
    assert [p.message for p in result.problems] == [
        "error [numbers] the translation has 3 but not 2 (in es: 2) (the English text is kept)"]


def test_release_blocks_a_reviewed_sheet_with_a_bidi_override(tmp_path):
    """What 'build' refuses, 'release' does not ship: the sheet is blocked, the reason names the PO line."""
    from conftest import ROOT

    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    (tmp_path / "seeds").mkdir()
    text = (SEEDS / "carfilzomib.md").read_text(encoding="utf-8").replace("Placeholder slot\n\n", "")
    (tmp_path / "seeds" / "carfilzomib.md").write_text(text, encoding="utf-8")
    (tmp_path / "l10n.toml").write_text('locales = ["es"]\n')
    prepare_for_release(tmp_path)
    po_path = tmp_path / "locales/es/LC_MESSAGES/carfilzomib.po"
    fill_identity(po_path)
    assert "carfilzomib: released" in run_l10n(tmp_path, "release", "--locale", "es", check=True).stdout
    catalog = polib.pofile(str(po_path))
    catalog.find("Kyprolis").msgstr = "Kyprolis\u202e"
    catalog.save()
    done = run_l10n(tmp_path, "release", "--locale", "es")
    assert "carfilzomib: blocked" in done.stdout
    line = po_path.read_text(encoding="utf-8").splitlines().index('msgid "Kyprolis"') + 2
    assert f"locales/es/LC_MESSAGES/carfilzomib.po:{line}: check control-chars: " in done.stderr
    manifest = (tmp_path / "dist/es/manifest.json").read_text(encoding="utf-8")
    assert '"blocked": [\n    "carfilzomib"\n  ]' in manifest and "\u202e" not in manifest
    assert not (tmp_path / "dist/es/carfilzomib.html").exists()


def test_a_table_cell_ending_in_a_backslash_is_refused_not_joined_to_the_next_cell():
    # Found while killing a mutant: '|10 mg\|daily|' is one cell '10 mg|daily' and
    # an empty one (GFM pads the row), so the dose moved column and no check saw it.
    doc = parse_document("---\ntitle: T\n---\n|Dose|When|\n|---|---|\n|10 mg|daily|\n", "s.md")
    segments = segment_document(doc)
    catalog = _catalog_for(doc, segments, {"10 mg": "10 mg\\", "daily": "a diario \\\\"})
    result = build_sheet(doc, segments, catalog, "es")
    assert result.text.endswith("\n|10 mg|a diario \\\\|\n")  # an escaped backslash is fine
    assert result.counts["refused"] == 1
    assert [str(p) for p in result.problems] == [
        "top/table[1]/r2c1: a '\\' at the end of a table cell would join it to the next cell; write '\\\\'"]


def test_build_sheet_checks_the_layout_of_what_it_built(monkeypatch):
    # The last line of defence is wired in: a render that broke the layout
    # (here, a paragraph made a list item) is refused before anything is written.
    import l10n.build

    doc = parse_document("---\ntitle: T\n---\n# Dosing\n\nTake one tablet.\n", "s.md")
    segments = segment_document(doc)
    catalog = _catalog_for(doc, segments, {"Take one tablet.": "Tome una tableta."})
    monkeypatch.setattr(l10n.build, "render", lambda segment, translation: "- " + translation)
    with pytest.raises(L10nError, match="changes the sheet's layout"):
        build_sheet(doc, segments, catalog, "es")


def test_a_refusal_made_in_a_worker_process_is_reported_the_same(project):
    # With -j 2 sheets are built in forked workers and their refusals come back
    # pickled: the check name and PO line must survive the trip.
    po_path = _dosing(project, {"The usual dose is 20 mg/m2 once a day.": "La dosis habitual es de 200 mg/m2."})
    done = run_l10n(project, "build", "--locale", "es", "--force", "-j", "2")
    assert done.returncode == 0, done.stderr
    line = _msgstr_line(po_path, "The usual dose is 20 mg/m2 once a day.")
    assert (f"locales/es/LC_MESSAGES/examplumab.po:{line}: error [doses] the dose 20 mg/m2 is not in the "
            "translation (the English text is kept)") in done.stderr.splitlines()


def test_a_check_refusal_pickles_whole():
    import pickle

    from l10n.build import CheckRefusal

    refusal = pickle.loads(pickle.dumps(CheckRefusal("error [doses] x", "es/a.po", 12, "doses")))
    assert (str(refusal), refusal.check, refusal.line) == ("es/a.po:12: error [doses] x", "doses", 12)


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.md")) + sorted(CASES.glob("*.md")), ids=lambda p: p.name)
def test_putting_every_segments_own_text_back_through_render_reads_the_same(path):
    """The identity round trip through render() itself (the build skips render() for a
    translation equal to its English, so the byte-exact round trips never exercise it).

    render() writes a translation on one line (a soft break becomes a space) and
    may spell a hard break its own way, so the oracle is not the bytes but what
    a CommonMark renderer (markdown-it-py, GFM tables and strikethrough) makes
    of the sheet: the same HTML, whitespace aside.
    """
    from markdown_it import MarkdownIt

    from l10n.segment import render, splice

    doc = read_document(path, f"seeds/{path.name}")
    body = [s for s in segment_document(doc, ("title", "summary")) if s.kind != "front-matter"]
    assert body, "no segments to put back"
    rebuilt = splice(doc.text, [(s.start, s.end, render(s, s.text)) for s in body])
    html = MarkdownIt("commonmark").enable(["table", "strikethrough"])

    start = len(doc.text) - len(doc.body)
    assert rebuilt[:start] == doc.text[:start]  # the front matter is not touched
    assert " ".join(html.render(rebuilt[start:]).split()) == " ".join(html.render(doc.body).split())
    # And render() really decides the text: a changed word comes back changed, once, in place.
    first = next(s for s in body if s.kind == "paragraph" and " " in s.text)
    word = first.text.split(" ")[0]
    changed = splice(doc.text, [(first.start, first.end, render(first, first.text.replace(word, "XYZZY", 1)))])
    assert changed.count("XYZZY") == 1 and changed[:first.start] == doc.text[:first.start]
