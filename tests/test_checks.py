"""QA checks: each check fires on the mistake it is for, and stays quiet on good Spanish."""

from __future__ import annotations

import subprocess
from pathlib import Path

import polib
import pytest

from l10n.catalog import read_catalog, template_for, update_catalog, write_catalog
from l10n.checks import ERROR, WARNING, Problem, Terms, check_catalog, check_source, sheet_terms
from l10n.document import parse_document, read_document
from l10n.segment import segment_document

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"

LINK_COMMENT = "use/p[1] (paragraph)\n[1]: /Common/PopUps/popDefinition.aspx?id=348921"


def run(msgid: str, msgstr: str, comment: str = "use/p[1] (paragraph)", terms: Terms | None = None,
        locale: str = "es", fuzzy: bool = False) -> list[Problem]:
    catalog = polib.POFile()
    catalog.metadata = {"Language": locale}
    flags = ["fuzzy"] if fuzzy else []
    catalog.append(polib.POEntry(msgid=msgid, msgstr=msgstr, comment=comment, flags=flags))
    return check_catalog(catalog, "es.po", terms=terms)


def names(problems: list[Problem]) -> set[str]:
    return {p.check for p in problems}


# (check that must fire, msgid, bad msgstr, good msgstr)
CASES = [
    ("links", "Use with other [drugs][1] to treat:", "Úselo con otros medicamentos para tratar:",
     "Úselo con otros [medicamentos][1] para tratar:"),
    ("links", "Use with other [drugs][1] to treat:", "Úselo con [otros][1] [medicamentos][1]:",
     "Se usa con otros [medicamentos][1] para tratar:"),
    ("links", "See [the label][1].", "Vea [la etiqueta](https://evil.example).", "Vea [la etiqueta][1]."),
    ("links", "Visit www.cancer.gov/espanol today.", "Visite www.cancer.gov hoy.",
     "Visite www.cancer.gov/espanol hoy."),
    ("links", "Call {1} today.", "Llame hoy.", "Llame a {1} hoy."),
    ("numbers", "Take 1.5 mg twice a day.", "Tome 15 mg dos veces al día.", "Tome 1,5 mg dos veces al día."),
    ("numbers", "About 1,000 people took part.", "Participaron unas 1,000 personas.",
     "Participaron unas 1.000 personas."),
    ("numbers", "It is given on days 1, 8 and 15.", "Se administra los días 1 y 15.",
     "Se administra los días 1, 8 y 15."),
    ("doses", "The dose is 20 mg/m2 on day 1.", "La dosis es de 20 g/m2 el día 1.",
     "La dosis es de 20 mg/m² el día 1."),
    ("doses", "Up to 2.5 mg once a week.", "Hasta 25 mg una vez por semana.",
     "Hasta 2,5 mg una vez por semana."),
    ("markup", "**Multiple myeloma** that has come back.", "**Mieloma múltiple que ha regresado.",
     "**Mieloma múltiple** que ha regresado."),
    ("markup", "Use `dexamethasone` too.", "Use `dexametasona también.", "Use `dexamethasone` también."),
    ("markup", "It is *not* approved.", "No está aprobado.", "*No* está aprobado."),
    ("markup", "Use in Cancer", "<script>alert(1)</script>Uso en el cáncer", "Uso en el cáncer"),
    ("render", "Lenalidomide and more", "1. Lenalidomida y más", "Lenalidomida y más"),
    ("whitespace", "Yes, it is.", " Sí, lo es.", "Sí, lo es."),
    ("punctuation", "Carfilzomib is approved to treat:", "El carfilzomib está aprobado para tratar.",
     "El carfilzomib está aprobado para tratar:"),
    ("punctuation", "Is it approved?", "Está aprobado?", "¿Está aprobado?"),
    ("same-as-source", "FDA Approved", "FDA Approved", "Aprobado por la FDA"),
    ("length", "This page contains brief information about carfilzomib and its uses.", "Información.",
     "Esta página contiene información breve sobre el carfilzomib y sus usos."),
]


@pytest.mark.parametrize("check, msgid, bad, good", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_each_check_fires_on_its_mistake_and_not_on_good_spanish(check, msgid, bad, good):
    comment = LINK_COMMENT if "[1]" in msgid else "use/p[1] (paragraph)"
    if "{1}" in msgid:
        comment = "use/p[1] (paragraph)\n{1}: <https://www.cancer.gov>"
    assert check in names(run(msgid, bad, comment)), run(msgid, bad, comment)
    assert run(msgid, good, comment) == []


def test_problem_reads_path_line_severity_check_message():
    problems = run("Take 1.5 mg.", "Tome 15 mg.")
    assert problems[0].severity == ERROR
    assert str(problems[0]).startswith("es.po:None: error [numbers] ")


def test_a_missing_link_names_its_url_from_the_comment():
    (problem,) = run("Use other [drugs][1].", "Use otros medicamentos.", LINK_COMMENT)
    assert "[1] (/Common/PopUps/popDefinition.aspx?id=348921)" in problem.message


def test_comment_urls_wrapped_by_polib_are_still_found(tmp_path):
    url = "https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid=ea66eb30-e665-4693-99a1-a9d3b4bbe2d6&audience=consumer"
    catalog = polib.POFile(wrapwidth=79)
    catalog.metadata = {"Language": "es"}
    catalog.append(polib.POEntry(msgid="[FDA label][1]", msgstr="Etiqueta de la FDA", comment=f"p (paragraph)\n[1]: {url}"))
    path = tmp_path / "x.po"
    catalog.save(str(path))
    assert "#. [1]:\n#. https://" in path.read_text()  # the comment really is wrapped
    (problem,) = check_catalog(read_catalog(path), "x.po")
    assert url in problem.message and problem.line is not None


@pytest.mark.parametrize(
    "source, translation, severity",
    [
        ("Take 1.5 mg.", "Tome 1.5 mg.", WARNING),  # English decimal point: understood, not Spanish style
        ("Take 1.125 mg.", "Tome 1.125 mg.", ERROR),  # a Spanish reader sees 1125
        ("About 1,000 people.", "Unas 1,000 personas.", ERROR),  # a Spanish reader sees 1
        ("About 1,000 people.", "Unas 1\u00a0000 personas.", None),
        ("About 12,000 people.", "Unas 12 000 personas.", None),
        ("Given on days 1 and 15 of a 28-day cycle.", "Se da los días 1 y 15 de un ciclo de 28 días.", None),
        ("December 30, 2025", "30 de diciembre de 2025", None),
        ("COVID-19", "COVID-19", None),
        ("CD38", "CD38", None),
    ],
)
def test_numbers_are_compared_by_value_in_spanish_conventions(source, translation, severity):
    problems = [p for p in run(source, translation) if p.check in ("numbers", "number-format", "doses")]
    assert {p.severity for p in problems} == ({severity} if severity else set()), problems


def test_numbers_in_link_placeholders_and_urls_are_not_quantities():
    assert run("See [page 2][1] at https://x.org/a/3", "Vea [la página 2][1] en https://x.org/a/3", LINK_COMMENT) == []


def test_do_not_translate_names_from_terms_and_from_the_sheet():
    terms = Terms(do_not_translate=frozenset({"Kyprolis"}))
    assert names(run("Kyprolis is a brand.", "Kiprolis es una marca.", terms=terms)) == {"do-not-translate"}
    # Spanish writes drug names in lower case mid-sentence: that is the same name.
    assert run("Carfilzomib is approved.", "El carfilzomib está aprobado.",
               terms=Terms(frozenset({"Carfilzomib"}))) == []

    catalog = read_catalog(ROOT / "locales/es/LC_MESSAGES/carfilzomib.po")
    assert sheet_terms(catalog).do_not_translate == {"Carfilzomib", "Kyprolis", "kar-FIL-zoh-mib"}
    for entry in catalog:
        # Whatever the committed catalog holds (the main job pretranslates it),
        # only the two translations below are under test.
        entry.msgstr = ""
        if entry.msgid == "Kyprolis":
            entry.msgstr = "Kiprolis"
        elif entry.msgid.startswith("Carfilzomib is also being studied"):
            entry.msgstr = "El carfilsomib también se estudia en el tratamiento de otros tipos de [cáncer][1]."
    problems = check_catalog(catalog, "carfilzomib.po")
    assert [(p.check, p.message) for p in problems] == [
        ("do-not-translate", "'Kyprolis' is a name: keep it as it is in the source"),
        ("do-not-translate", "'Carfilzomib' is a name: keep it as it is in the source"),
    ]


def test_required_glossary_translations():
    terms = Terms(required={"multiple myeloma": "mieloma múltiple"})
    assert names(run("Multiple myeloma.", "Plasmocitoma múltiple.", terms=terms)) == {"glossary"}
    assert run("Multiple myeloma.", "Mieloma múltiple.", terms=terms) == []


def test_pronunciation_guides_and_names_may_stay_as_in_the_source():
    assert run("(kar-FIL-zoh-mib)", "(kar-FIL-zoh-mib)") == []
    assert run("Kyprolis", "Kyprolis", terms=Terms(frozenset({"Kyprolis"}))) == []


def test_untranslated_entries_are_not_checked_and_fuzzy_ones_are():
    assert run("Take 1.5 mg.", "") == []
    assert names(run("Take 1.5 mg.", "Tome 15 mg.", fuzzy=True)) == {"numbers", "doses"}


def test_with_the_sheets_segments_the_render_check_is_exact():
    doc = read_document(SEEDS / "carfilzomib.md", "seeds/carfilzomib.md")
    segments = segment_document(doc)
    catalog, _ = update_catalog(None, template_for(doc, segments), "es")
    for entry in catalog:
        if entry.msgid == "US Brand Name(s)":
            entry.msgstr = "# Nombres comerciales en EE. UU."  # would become a heading
    (problem,) = check_catalog(catalog, "carfilzomib.po", segments)
    assert problem.check == "render" and "layout" in problem.message


# -- source checks -----------------------------------------------------------------------


def test_the_seed_sheets_own_defects_are_found():
    found = []
    for path in sorted(SEEDS.glob("*.md")):
        doc = read_document(path, f"seeds/{path.name}")
        found += [str(p) for p in check_source(doc, segment_document(doc))]
    assert "seeds/ciltacabtagene-autoleucel.md:77: error [mojibake] mojibake: 'Patientsâ€™' (should be 'Patients’')" in found
    assert "seeds/carfilzomib.md:24: error [scaffolding] leftover scaffolding text 'Placeholder slot'" in found
    assert len(found) == 5, found  # four scaffolding lines, one mojibake; nothing invented


SHEET = """---
title: Test - NCI
---

# Test

##

Good [link](https://a.example) and *fine* text.

Broken [link] (https://b.example) here.

Unclosed [link](https://c.example and more.

Undefined [label][nowhere] here.

Empty [](https://d.example) and [no target]() links.

Stray **bold here.

TODO: write this
"""


def test_source_checks_on_a_broken_sheet():
    doc = parse_document(SHEET, "t.md")
    got = [(p.line, p.check) for p in check_source(doc, segment_document(doc))]
    assert got == [
        (7, "empty-heading"),
        (11, "link-syntax"),
        (13, "link-syntax"),
        (15, "link-syntax"),
        (17, "link-syntax"),
        (17, "link-syntax"),
        (19, "markup"),
        (21, "scaffolding"),
    ]


def test_catalog_written_by_update_has_no_problem_lines_without_translations(tmp_path):
    doc = read_document(SEEDS / "bortezomib.md", "seeds/bortezomib.md")
    catalog, _ = update_catalog(None, template_for(doc, segment_document(doc)), "es")
    write_catalog(catalog, tmp_path / "b.po")
    assert subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(tmp_path / "b.po")]).returncode == 0
    assert check_catalog(read_catalog(tmp_path / "b.po"), "b.po") == []
