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
    ("identifiers", "It binds anti-CD38 antibodies.", "Se une a los anticuerpos anti-CD33.",
     "Se une a los anticuerpos anti-CD38."),
    ("identifiers", "For HER2-positive cancer with a 17p deletion.", "Para el cáncer HER2 positivo con deleción 17q.",
     "Para el cáncer HER2 positivo con una deleción 17p."),
    ("identifiers", "Also called MGCD0103 (code C1234).", "También llamado MGCD0103 (código C1243).",
     "También llamado MGCD0103 (código C1234)."),
    ("number-words", "Give at least four cycles.", "Dé al menos tres ciclos.", "Dé al menos cuatro ciclos."),
    ("number-words", "Give at least four cycles.", "Dé al menos 3 ciclos.", "Dé al menos 4 ciclos."),
    ("number-words", "Give at least 4 cycles.", "Dé al menos tres ciclos.", "Dé al menos cuatro ciclos."),
    ("number-words", "It is the second treatment.", "Es el tercer tratamiento.", "Es el segundo tratamiento."),
    ("number-words", "A second-line treatment.", "Un tratamiento de tercera línea.", "Un tratamiento de segunda línea."),
    ("number-words", "Take half a tablet.", "Tome dos tabletas.", "Tome media tableta."),
    ("footnotes", "Approved¹ in 2019.", "Aprobado en 2019.", "Aprobado¹ en 2019."),
    ("footnotes", "Accelerated approval†", "Aprobación acelerada", "Aprobación acelerada†"),
    ("footnotes", "Approved* for **myeloma**.", "Aprobado para el **mieloma**.", "Aprobado* para el **mieloma**."),
    ("frequency", "Take 1.5 mg once a day.", "Tome 1,5 mg dos veces al día.", "Tome 1,5 mg una vez al día."),
    ("frequency", "Take it every other day.", "Tómelo todos los días.", "Tómelo en días alternos."),
    ("frequency", "Take it twice daily.", "Tómelo una vez al día.", "Tómelo dos veces al día."),
    ("frequency", "Given weekly.", "Se administra cada dos semanas.", "Se administra una vez por semana."),
    ("frequency", "Take it every 12 hours.", "Tómelo una vez al día.", "Tómelo cada 12 horas."),
    ("control-chars", "Take 1.5 mg once a day.", "Tome 1,5 mg\u202e una vez al día.", "Tome 1,5 mg una vez al día."),
    ("control-chars", "Take 1.5 mg once a day.", "Tome 1,5 mg una vez\x00 al día.", "Tome 1,5 mg una vez al día."),
    ("control-chars", "Take 1.5 mg once a day.", "Tome 1,5 mg\x1b[2J una vez al día.", "Tome 1,5 mg una vez al día."),
    ("control-chars", "Yes", "Sí\u2066", "Sí"),
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
    # A pronunciation the English has since corrected lingers as an obsolete
    # entry (translated work is kept): it is no longer one of the sheet's names.
    catalog.append(polib.POEntry(msgid="(kar-FIL-zoe-mib)", msgstr="(kar-FIL-zoe-mib)", obsolete=True))
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
    # Two hyphens make a pronunciation guide too, and it is kept letter for letter.
    assert names(run("(SEE-toh-sin)", "(see-toh-sin)")) == {"do-not-translate"}


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


# -- the checks of issue 12, from the reviewer's side ---------------------------------------


def only(problems: list[Problem], check: str) -> list[str]:
    return [p.message for p in problems if p.check == check]


def test_a_changed_identifier_names_both_spellings():
    assert only(run("It binds anti-CD38.", "Se une a anti-CD33."), "identifiers") == [
        "the source's CD38 became CD33 in the translation"]
    assert only(run("BRCA1 and BRCA2 genes.", "Genes BRCA1."), "identifiers") == [
        "BRCA2 is not in the translation: keep it exactly as in the source"]


@pytest.mark.parametrize("source, translation", [
    ("Take it for 28 days (a 28-day cycle).", "Tómelo durante 28 días (un ciclo de 28 días)."),
    ("The 1st and 2nd doses.", "La 1.ª y la 2.ª dosis."),
    ("The dose is 20 mg/m2.", "La dosis es de 20 mg/m²."),
    ("The dose is 20mg.", "La dosis es de 20 mg."),
    ("COVID-19 vaccines.", "Vacunas contra la COVID-19."),
])
def test_ordinals_units_and_names_with_hyphens_are_not_changed_identifiers(source, translation):
    assert only(run(source, translation), "identifiers") == []


def test_number_words_messages_say_what_each_side_says():
    assert only(run("You need at least four doses.", "Necesita al menos tres dosis."), "number-words") == [
        "the source says 'four' (4), the translation 'tres' (3)"]
    assert only(run("It lasts twenty-one days.", "Dura veinte días."), "number-words") == [
        "the source says 'twenty-one' (21), the translation 'veinte' (20)"]
    assert only(run("It lasts two weeks.", "Dura unas semanas."), "number-words") == [
        "the source's 'two' (2) is not in the translation, as a word or in digits"]


# Correct Spanish for the seeds' sentences with numbers written as words: "one"
# is an article, a pronoun or "alguno" as often as a number.
SEED_SPANISH = [
    ("With other drugs in adults who have received one to three other therapies. It is used with "
     "[dexamethasone][1] with or without one of the following drugs:",
     "Con otros medicamentos en adultos que han recibido de una a tres terapias previas. Se usa con "
     "[dexametasona][1] con o sin alguno de los siguientes medicamentos:"),
    ("With other drugs in adults who have received one to three other therapies. It is used with "
     "[dexamethasone][1] with or without one of the following drugs:",
     "Con otros medicamentos en adultos que recibieron entre 1 y 3 terapias más. Se usa con "
     "[dexametasona][1] con o sin uno de los siguientes medicamentos:"),
    ("Alone in adults who have received one or more other therapies.",
     "Solo, en adultos que han recibido una o más terapias previas."),
    ("**[Multiple myeloma][1]** in patients who have already received at least one other type of treatment.",
     "**[Mieloma múltiple][1]** en pacientes que ya recibieron al menos otro tipo de tratamiento."),
    ("**[Mantle cell lymphoma][1]** in patients who have received at least one other type of treatment.",
     "**[Linfoma de células del manto][1]** en pacientes que han recibido por lo menos un tipo de tratamiento más."),
    ("**[multiple myeloma][1]** that has come back or did not respond to treatment. It is used in adults who have "
     "received at least one line of treatment that included a [proteasome inhibitor][2] and an "
     "[immunomodulating agent][3] and whose cancer did not respond to treatment with [lenalidomide][4]",
     "**[mieloma múltiple][1]** que volvió o que no respondió al tratamiento. Se usa en adultos que recibieron al "
     "menos una línea de tratamiento que incluyó un [inhibidor del proteasoma][2] y un [agente inmunomodulador][3] "
     "y cuyo cáncer no respondió al tratamiento con [lenalidomida][4]"),
    ("Drugs are often studied to find out if they can help treat or prevent conditions other than the ones they are "
     "approved for. This patient information sheet applies only to approved uses of the drug. However, much of the "
     "information may also apply to unapproved uses that are being studied.",
     "Los medicamentos a menudo se estudian para saber si pueden ayudar a tratar o prevenir afecciones distintas de "
     "aquellas para las que están aprobados. Esta hoja de información para pacientes se aplica solo a los usos "
     "aprobados del medicamento. Sin embargo, gran parte de la información también puede aplicarse a usos no "
     "aprobados que se están estudiando."),
    ("(SIL-tuh-KAB-tuh-jeen AW-toh-LOO-sel)", "(SIL-tuh-KAB-tuh-jeen AW-toh-LOO-sel)"),
    ("[Find Clinical Trials for Bortezomib][1] - Check for trials from NCI's list of cancer clinical trials now "
     "accepting patients.",
     "[Busque ensayos clínicos sobre el bortezomib][1]: consulte la lista del NCI de ensayos clínicos sobre el "
     "cáncer que aceptan pacientes en este momento."),
]
# And sentences a dosing section would have, in correct Spanish.
DOSING_SPANISH = [
    ("Take 4 mg once a week on days 1, 8 and 15 of a 28-day cycle.",
     "Tome 4 mg una vez por semana los días 1, 8 y 15 de un ciclo de 28 días."),
    ("Take 4 mg once a week.", "Tome 4 mg semanalmente."),
    ("Take one tablet twice a day, every 12 hours.", "Tome un comprimido dos veces al día, cada 12 horas."),
    ("Take one tablet twice a day, every 12 hours.", "Tome 1 comprimido 2 veces al día, cada doce horas."),
    ("Take it every other day.", "Tómelo cada dos días."),
    ("Take it every other day.", "Tómelo un día sí y otro no."),
    ("Take it every other week.", "Tómelo en semanas alternas."),
    ("Take it daily for three weeks, then stop for one week.",
     "Tómelo a diario durante tres semanas y luego descanse una semana."),
    ("Take it daily for three weeks, then stop for one week.",
     "Tómelo todos los días durante 3 semanas y después deje de tomarlo durante 1 semana."),
    ("Once you start treatment, your doctor will check your blood.",
     "Una vez que empiece el tratamiento, su médico le hará análisis de sangre."),
    ("A dozen patients took half a dose.", "Una docena de pacientes tomó media dosis."),
    ("The first dose is given in the hospital.", "La primera dosis se administra en el hospital."),
    ("At first, it may cause nausea.", "Al principio, puede causar náuseas."),
    ("It is given by means of an infusion over thirty minutes.",
     "Se administra por medio de una infusión durante treinta minutos."),
    ("Call your doctor at once if you have a fever.", "Llame a su médico de inmediato si tiene fiebre."),
    ("Take it once-weekly.", "Tómelo una vez por semana."),
    ("Take 2 tablets a day.", "Tome 2 comprimidos al día."),
    ("The next day, you may feel tired.", "Al día siguiente, puede sentirse cansado."),
    ("Approved in the 1990s.", "Aprobado en la década de 1990."),
    ("The dose is based on 1.73m2 of body area.", "La dosis se basa en 1,73 m² de superficie corporal."),
    ("Two-thirds of patients.", "Dos tercios de los pacientes."),
    ("One in five patients.", "Uno de cada cinco pacientes."),
    ("No one should take it twice.", "Nadie debe tomarlo dos veces."),
    ("Tell your doctor within a week.", "Informe a su médico en el plazo de una semana."),
    ("Wait 30 seconds.", "Espere 30 segundos."),
    ("Its half-life is long.", "Su vida media es larga."),
    ("A second-line treatment.", "Un tratamiento de segunda línea."),
]


@pytest.mark.parametrize("source, translation", SEED_SPANISH + DOSING_SPANISH)
def test_correct_spanish_has_no_error(source, translation):
    comment = "use/p[1] (paragraph)\n" + "\n".join(f"[{n}]: /x?id={n}" for n in range(1, 5))
    assert [p for p in run(source, translation, comment) if p.severity == ERROR] == []


def test_a_string_kept_in_english_says_what_the_source_says():
    # An identity translation is a warning (same-as-source), never a number or frequency error.
    assert names(run("Give it once a day for at least four cycles.", "Give it once a day for at least four cycles.")) \
        <= {"same-as-source"}


def test_footnote_markers_are_counted_per_marker_and_emphasis_is_not_one():
    assert only(run("Approved¹ ²", "Aprobado² ¹"), "footnotes") == []
    assert only(run("Approved¹ ¹", "Aprobado¹"), "footnotes") == [
        "the footnote marker ¹ appears 2 time(s) in the source, 1 in the translation"]
    assert only(run("A *new* drug.", "Un medicamento *nuevo*."), "footnotes") == []
    assert only(run("A drug\\*.", "Un medicamento."), "footnotes") == [
        "the footnote marker * appears 1 time(s) in the source, 0 in the translation"]


def test_frequency_message_quotes_both_sides():
    assert only(run("Take 1.5 mg once a day.", "Tome 1,5 mg dos veces al día."), "frequency") == [
        "the source says 'once', 'a day', the translation 'dos veces', 'al día': how often must agree"]
    # The frequency check says it better than the number-words check would.
    assert names(run("Take 1.5 mg once a day.", "Tome 1,5 mg dos veces al día.")) == {"frequency"}


def test_control_characters_are_named_and_line_breaks_are_not_ones():
    assert only(run("Take 1.5 mg.", "Tome 1,5\u202e mg."), "control-chars") == [
        "the translation contains U+202E RIGHT-TO-LEFT OVERRIDE (a bidirectional control readers do not see, "
        "which can hide or reorder text): delete it"]
    assert "U+001B ESC" in only(run("Take 1.5 mg.", "Tome 1,5 mg.\x1b"), "control-chars")[0]
    assert only(run("Line one\nline two", "Línea uno\nlínea dos"), "control-chars") == []


# -- from the translator's side: a PO edit, then `l10n check` --------------------------------

from conftest import prepare, run_l10n  # noqa: E402

DOSING_SHEET = """\
---
title: Examplumab - NCI
---

# Examplumab

Examplumab is approved¹ for adults whose myeloma makes CD38.

The usual dose is 20 mg/m2 once a day, for at least four cycles.

¹ Accelerated approval.
"""

GOOD = {
    "Examplumab - NCI": "Examplumab - NCI",
    "Examplumab": "Examplumab",
    "Examplumab is approved¹ for adults whose myeloma makes CD38.":
        "El examplumab está aprobado¹ para adultos cuyo mieloma produce CD38.",
    "The usual dose is 20 mg/m2 once a day, for at least four cycles.":
        "La dosis habitual es de 20 mg/m² una vez al día, durante al menos cuatro ciclos.",
    "¹ Accelerated approval.": "¹ Aprobación acelerada.",
}


def _translate(po_path: Path, translations: dict[str, str]) -> None:
    """What a translator does in a PO editor: type the msgstr, clear the fuzzy flag."""
    catalog = polib.pofile(str(po_path))
    for entry in catalog:
        if entry.msgid in translations:
            entry.msgstr = translations[entry.msgid]
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    catalog.save()


def msgstr_line(po_path: Path, msgid_start: str) -> int:
    """The line of the msgstr after the msgid that starts with ``msgid_start``, read from the file itself."""
    lines = po_path.read_text(encoding="utf-8").splitlines()
    first = next(i for i, line in enumerate(lines)
                 if line.startswith((f'msgid "{msgid_start}', f'"{msgid_start}')))  # wrapped: msgid "" first
    return next(i for i in range(first, len(lines)) if lines[i].startswith("msgstr")) + 1


@pytest.fixture
def dosing(project: Path) -> Path:
    """The project with a fifth sheet that has a dose, a frequency, an identifier and a footnote."""
    (project / "seeds" / "examplumab.md").write_text(DOSING_SHEET, encoding="utf-8")
    prepare(project)
    _translate(project / "locales/es/LC_MESSAGES/examplumab.po", GOOD)
    return project


def test_the_good_translation_of_the_dosing_sheet_passes(dosing):
    done = run_l10n(dosing, "check", "--locale", "es", "examplumab")
    assert done.returncode == 0, done.stderr
    assert "error" not in done.stderr


@pytest.mark.parametrize("msgid, bad, check", [
    ("Examplumab is approved¹", "El examplumab está aprobado¹ para adultos cuyo mieloma produce CD33.", "identifiers"),
    ("Examplumab is approved¹", "El examplumab está aprobado para adultos cuyo mieloma produce CD38.", "footnotes"),
    ("The usual dose", "La dosis habitual es de 20 mg/m² una vez al día, durante al menos tres ciclos.",
     "number-words"),
    ("The usual dose", "La dosis habitual es de 20 mg/m² dos veces al día, durante al menos cuatro ciclos.",
     "frequency"),
    ("The usual dose", "La dosis habitual es de 20 mg/m² una vez al día,\u202e durante al menos cuatro ciclos.",
     "control-chars"),
    ("The usual dose", "La dosis habitual es de 20 mg/m² una vez al día,\x1b durante al menos cuatro ciclos.",
     "control-chars"),
    ("The usual dose", "La dosis habitual es de 20 mg/m² una vez al día,\x00 durante al menos cuatro ciclos.",
     "control-chars"),
])
def test_a_po_edit_is_reported_at_its_line_with_exit_3(dosing, msgid, bad, check):
    po = dosing / "locales/es/LC_MESSAGES/examplumab.po"
    full = next(key for key in GOOD if key.startswith(msgid))
    _translate(po, {full: bad})
    done = run_l10n(dosing, "check", "--locale", "es", "examplumab")
    assert done.returncode == 3, done.stderr
    where = f"locales/es/LC_MESSAGES/examplumab.po:{msgstr_line(po, msgid)}: error [{check}] "
    assert where in done.stderr, done.stderr


def test_a_seed_sentence_with_a_changed_number_word_is_reported_at_its_line(project):
    prepare(project)
    po = project / "locales/es/LC_MESSAGES/carfilzomib.po"
    msgid = next(e.msgid for e in polib.pofile(str(po)) if e.msgid.startswith("With other drugs in adults"))
    _translate(po, {msgid: "Con otros medicamentos en adultos que han recibido de una a cuatro terapias previas. "
                           "Se usa con [dexametasona][1] con o sin alguno de los siguientes medicamentos:"})
    done = run_l10n(project, "check", "--locale", "es", "carfilzomib")
    assert done.returncode == 3
    assert (f"locales/es/LC_MESSAGES/carfilzomib.po:{msgstr_line(po, 'With other drugs')}: error [number-words] "
            "the source says 'three' (3), the translation 'cuatro' (4)") in done.stderr.splitlines()


@pytest.mark.parametrize("source, translation, ok", [
    ("Understanding the Risk of Second Cancers", "El riesgo de segundos cánceres", True),
    ("Understanding the Risk of Second Cancers", "El riesgo de terceros cánceres", False),
    ("Wait 30 seconds.", "Espere 30 segundos.", True),  # a measure, not an ordinal
])
def test_a_spanish_plural_ordinal_before_a_noun_is_a_number(source, translation, ok):
    from l10n.checks import _segment_for, check_entry

    entry = polib.POEntry(msgid=source, msgstr=translation)
    found = [p.check for p in check_entry(entry, "x.po", _segment_for(entry), "es")]
    assert ("number-words" not in found) == ok, found


def test_punctuation_messages_name_both_ends():
    assert only(run("Store it cold", "Consérvelo en frío."), "punctuation") == [
        "the source ends with 'no punctuation', the translation with '.'"]
    assert only(run("Store it cold.", "Consérvelo en frío"), "punctuation") == [
        "the source ends with '.', the translation with 'none'"]
    assert only(run("Store it cold.", "Consérvelo en frío."), "punctuation") == []


def test_source_problems_come_in_line_order_whatever_their_check():
    doc = parse_document("---\ntitle: Test - NCI\n---\n\nTODO: write this\n\n##\n\nStray **bold here.\n", "t.md")
    got = [(p.line, p.check) for p in check_source(doc, segment_document(doc))]
    assert got == [(5, "scaffolding"), (7, "empty-heading"), (9, "markup")]


def test_a_list_of_numbers_is_compared_number_by_number():
    assert only(run("Given on days 1,8,15.", "Se da los días 1,8,16."), "numbers") == [
        "the translation has 1,8,16 but not 1,8,15 (in es: 1)"]
    assert only(run("Given on days 1,8,15.", "Se da los días 1,8,15."), "numbers") == []


def test_a_changed_pronunciation_line_is_named_as_one():
    assert only(run("(SEE-toh-sin)", "(see-toh-sin)"), "do-not-translate") == [
        "(SEE-toh-sin) is a pronunciation line: the translation must be the same, letter for letter"]
    # a one-letter syllable at either end is still part of it
    for guide in ("(a-ZAY-sih-tih-deen)", "(DEK-suh-METH-uh-zone-a)"):
        assert only(run(guide, guide.lower()), "do-not-translate") == [
            f"{guide} is a pronunciation line: the translation must be the same, letter for letter"]
