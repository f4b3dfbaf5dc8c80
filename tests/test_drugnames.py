"""Spanish generic drug names: the expectations are NCI's Spanish usage, written by hand."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from l10n import drugnames
from l10n.drugnames import find_generic_names, is_acceptable, spanish_generic

# The NCI dev set lives in shared/ beside the project (never copied into it).
_ROOT = Path(__file__).resolve().parents[1]
DEV = next((p for p in (_ROOT.parent / "shared/data/nci-terms-dev.jsonl", _ROOT.parent.parent / "shared/data/nci-terms-dev.jsonl")
            if p.exists()), _ROOT.parent / "shared/data/nci-terms-dev.jsonl")


@pytest.mark.parametrize(
    "english, spanish",
    [
        # the regular endings
        ("pomalidomide", "pomalidomida"),
        ("lenalidomide", "lenalidomida"),
        ("cyclophosphamide", "ciclofosfamida"),  # y -> i, ph -> f
        ("dexamethasone", "dexametasona"),  # th -> t
        ("prednisone", "prednisona"),
        ("vincristine", "vincristina"),
        ("methotrexate", "metotrexato"),
        ("cytarabine", "citarabina"),
        ("gemcitabine", "gemcitabina"),
        ("carboplatin", "carboplatino"),
        ("epirubicin", "epirrubicina"),  # r doubles between vowels
        ("daunorubicin", "daunorrubicina"),
        ("busulfan", "busulfán"),
        ("irinotecan", "irinotecán"),
        ("letrozole", "letrozol"),
        ("chlorambucil", "clorambucilo"),
        ("caffeine", "cafeína"),
        ("asparaginase", "asparaginasa"),
        ("mannitol", "manitol"),  # ending kept, nn -> n
        ("methyl-5-aminolevulinate", "metil-5-aminolevulinato"),
        # exceptions and multi-word names
        ("melphalan", "melfalán"),
        ("albumin", "albúmina"),
        ("ciltacabtagene autoleucel", "ciltacabtagén autoleucel"),
        ("ixazomib citrate", "citrato de ixazomib"),
        ("megestrol acetate", "acetato de megestrol"),
        ("epoetin alfa", "epoetina alfa"),
        ("copanlisib hydrochloride", "clorhidrato de copanlisib"),
        ("vincristine sulfate", "sulfato de vincristina"),
        ("palonosetron", "palonosetrón"),
        ("interferon", "interferón"),
        # a biologic's FDA suffix is kept, the name before it spelled the Spanish way
        ("hyaluronidase-fihj", "hialuronidasa-fihj"),
        ("hyaluronidase", "hialuronidasa"),
    ],
)
def test_spanish_generic(english, spanish):
    assert spanish_generic(english) == spanish


@pytest.mark.parametrize(
    "name",
    ["bortezomib", "carfilzomib", "ixazomib", "daratumumab", "paclitaxel", "autoleucel", "alprostadil",
     "misoprostol", "panobinostat", "Kyprolis", "Velcade", "Carvykti", "MGCD0103", "CD38", "alone", "line",
     "participate", "person", "depression", "Adriamycin", "Mithracin", "", "   "],
)
def test_unchanged_or_not_a_name(name):
    assert spanish_generic(name) is None


@pytest.mark.parametrize(
    "english, spanish",
    [
        ("Pomalidomide", "Pomalidomida"),
        ("POMALIDOMIDE", "POMALIDOMIDA"),
        ("Melphalan", "Melfalán"),
        ("Ciltacabtagene Autoleucel", "Ciltacabtagén autoleucel"),  # Spanish does not title-case
        ("Ixazomib Citrate", "Citrato de ixazomib"),
        ("IXAZOMIB CITRATE", "CITRATO DE IXAZOMIB"),
    ],
)
def test_case_is_kept(english, spanish):
    assert spanish_generic(english) == spanish


def test_find_generic_names_known_and_stems():
    text = ("Pomalidomide, lenalidomide and dexamethasone are given with carfilzomib; "
            "ixazomib citrate and daratumumab too. Kyprolis is a brand. One line alone.")
    found = find_generic_names(text)
    assert [name for _, _, name in found] == [
        "Pomalidomide", "lenalidomide", "dexamethasone", "carfilzomib", "ixazomib citrate", "daratumumab"]
    for start, end, name in found:
        assert text[start:end] == name


def test_find_generic_names_unknown_stem_words():
    # Not in the data, found by their INN stems alone.
    text = "Zanubrutinib, olaparib, oxaliplatin, cabazitaxel, idecabtagene vicleucel, nelarabine, minocycline."
    assert [n for _, _, n in find_generic_names(text)] == [
        "Zanubrutinib", "olaparib", "oxaliplatin", "cabazitaxel", "idecabtagene vicleucel", "nelarabine", "minocycline"]
    # a brand that looks generic is not a generic name
    assert find_generic_names("doxorubicin (Adriamycin)") == [(0, 11, "doxorubicin")]


def test_find_generic_names_enzymes_and_fda_suffixes():
    text = "Daratumumab and hyaluronidase-fihj, with rasburicase; a long-term increase in the database."
    assert [n for _, _, n in find_generic_names(text)] == ["Daratumumab", "hyaluronidase-fihj", "rasburicase"]
    # "-term" is no FDA suffix of a name: "long" is no drug
    assert spanish_generic("long-term") is None and spanish_generic("trastuzumab-dkst") is None


def test_find_generic_names_leaves_codes_and_words():
    assert find_generic_names("MGCD0103 binds anti-CD38; inside a guide, the side effects.") == []
    # A word inside a hyphenated compound or a code is not a name of its own.
    assert find_generic_names("non-bortezomib-based") == []


@pytest.mark.parametrize(
    "english, text, ok",
    [
        ("Pomalidomide", "La pomalidomida está aprobada.", True),
        ("Pomalidomide", "El Pomalidomide está aprobado.", True),
        ("Pomalidomide", "Este medicamento está aprobado.", False),
        ("Pomalidomide", "La pomalidomidas", False),  # whole words only
        ("bortezomib", "El bortezomib se usa", True),
        ("bortezomib", "El bortezomiba se usa", False),
        ("Ixazomib Citrate", "El citrato de ixazomib se usa", True),
        ("Ixazomib Citrate", "El citrato de\nixazomib se usa", True),  # a line break between words
        ("Ciltacabtagene Autoleucel", "El ciltacabtagén autoleucel", True),
        ("Kyprolis", "Kyprolis", True),
        ("Kyprolis", "Kiprolis", False),
    ],
)
def test_is_acceptable(english, text, ok):
    assert is_acceptable(english, text) is ok


def test_bad_data_row_names_file_and_line(monkeypatch):
    class Fake:
        def joinpath(self, *parts):
            return self

        def read_text(self, encoding):
            return "# comment\nname\tfoo\n"

    monkeypatch.setattr(drugnames.resources, "files", lambda package: Fake())
    drugnames._spanish.cache_clear()
    try:
        with pytest.raises(drugnames.DrugNamesError) as err:
            drugnames._spanish()
        assert str(err.value).startswith("l10n/data/drugnames-es.tsv:2: expected 4")
    finally:
        drugnames._spanish.cache_clear()


def test_every_data_row_has_a_source():
    text = (Path(drugnames.__file__).parent / "data" / "drugnames-es.tsv").read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip() and not line.startswith("#"):
            kind, _english, _spanish, source = line.split("\t")
            if kind != "not-drug":
                assert re.search(r"NCI-ES|INN-ES", source), f"line {number} says nowhere where it came from"


@pytest.mark.skipif(not DEV.exists(), reason="the NCI dev set is not beside the project")
def test_dev_set_generic_names_follow_nci():
    """NCI's own Spanish for the dev set's generic names (drug classes such as 'antibiotic' left out)."""
    rows = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines()]
    drug_class = re.compile(r"(ic|ant|al|agent|antibody|blocker|\d+|metabolite|androgen)$")
    names = [r for r in rows
             if re.match(r"(Medicamento|Sustancia)", r["es_definition"]) and r["en_term"][:1].islower()
             and not drug_class.search(r["en_term"]) and not r["en_term"].startswith("anti")]
    right = sum((spanish_generic(r["en_term"]) or r["en_term"]) == r["es_term"] for r in names)
    assert len(names) >= 40
    assert right / len(names) >= 0.95, f"{right}/{len(names)}"


# -- the do-not-translate check, from the translator's side: a PO edit -> `l10n check` -------------

DEX_MSGID = ("With other drugs in adults who have received one to three other therapies. "
             "It is used with [dexamethasone][1] with or without one of the following drugs:")
DEX_SPANISH = ("Con otros medicamentos en adultos que han recibido de uno a tres tratamientos. "
               "Se usa con [{}][1] con o sin uno de los siguientes medicamentos:")


def _translate(po_path: Path, changes: dict[str, str]) -> dict[str, int]:
    """Every entry reviewed as its own msgid, except ``changes``; the PO line of each changed msgstr."""
    import polib

    catalog = polib.pofile(str(po_path))
    for entry in catalog:
        entry.msgstr = changes.get(entry.msgid, entry.msgid)
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    catalog.save()
    lines = po_path.read_text(encoding="utf-8").splitlines()
    found = {}
    for msgid, msgstr in changes.items():
        start = next(i for i, line in enumerate(lines) if line.startswith("msgstr ") and msgstr[:30] in line
                     or line.startswith("msgstr \"\"") and msgstr[:30] in (lines[i + 1] if i + 1 < len(lines) else ""))
        found[msgid] = start + 1
    return found


def _name_errors(project: Path) -> list[str]:
    from conftest import run_l10n

    done = run_l10n(project, "check", "--locale", "es", "carfilzomib")
    return [line for line in done.stderr.splitlines() if "[do-not-translate]" in line]


def test_check_accepts_the_spanish_generic_name_and_refuses_a_changed_brand(project):
    from conftest import prepare

    prepare(project)
    po = project / "locales/es/LC_MESSAGES/carfilzomib.po"
    lines = _translate(po, {
        DEX_MSGID: DEX_SPANISH.format("dexametasona"),  # NCI's Spanish: right
        "Kyprolis": "Kiprolis",  # a brand name respelled: wrong
        "(kar-FIL-zoh-mib)": "(kar-fil-zoh-mib)",  # a pronunciation in another case: wrong
    })
    errors = _name_errors(project)
    assert errors == sorted(errors, key=lambda e: int(e.split(":")[1]))
    assert [e.split(": ", 1)[0] for e in errors] == [
        f"locales/es/LC_MESSAGES/carfilzomib.po:{lines['(kar-FIL-zoh-mib)']}",
        f"locales/es/LC_MESSAGES/carfilzomib.po:{lines['Kyprolis']}",
    ], errors
    assert "pronunciation line" in errors[0] and "'Kyprolis' is a name" in errors[1]


def test_check_refuses_a_wrong_drug_name_and_lets_the_glossary_decide(project):
    from conftest import prepare

    prepare(project)
    po = project / "locales/es/LC_MESSAGES/carfilzomib.po"
    lines = _translate(po, {DEX_MSGID: DEX_SPANISH.format("talidomida")})
    (error,) = _name_errors(project)
    assert error.startswith(f"locales/es/LC_MESSAGES/carfilzomib.po:{lines[DEX_MSGID]}: error [do-not-translate]")
    assert "'dexamethasone'" in error and "'dexametasona'" in error

    # The glossary wins over the rules: kept as is, the Spanish form is an error ...
    glossary = project / "locales/es/glossary.csv"
    glossary.write_text("term,translation,note\ndexamethasone,,keep the English name\n", encoding="utf-8")
    _translate(po, {DEX_MSGID: DEX_SPANISH.format("dexametasona")})
    (error,) = _name_errors(project)
    assert "'dexamethasone' is a name: keep it as it is" in error
    # ... and its own translation is accepted even where the rules say otherwise.
    glossary.write_text("term,translation,note\ndexamethasone,dexametasona oral,\n", encoding="utf-8")
    _translate(po, {DEX_MSGID: DEX_SPANISH.format("dexametasona oral")})
    assert _name_errors(project) == []


def _check(msgid: str, msgstr: str, terms, locale: str = "es"):
    import polib

    from l10n.checks import check_catalog

    catalog = polib.POFile()
    catalog.metadata = {"Language": locale}
    catalog.append(polib.POEntry(msgid=msgid, msgstr=msgstr, comment="use/p[1] (paragraph)"))
    return [p.message for p in check_catalog(catalog, "x.po", terms=terms) if p.check == "do-not-translate"]


def test_a_sheets_own_generic_name_may_be_spanish_its_brand_may_not():
    from l10n.checks import Terms

    terms = Terms(frozenset({"Pomalidomide", "Pomalyst"}), generic=frozenset({"Pomalidomide"}))
    assert _check("Pomalidomide is approved.", "La pomalidomida está aprobada.", terms) == []
    assert _check("Pomalidomide is approved.", "El Pomalidomide está aprobado.", terms) == []
    assert _check("Pomalidomide is approved.", "La lenalidomida está aprobada.", terms) == [
        "'Pomalidomide' is a drug name: write it as in the source or as its Spanish generic name 'Pomalidomida'"]
    assert _check("Pomalyst is a brand.", "Pomalista es una marca.", terms) == [
        "'Pomalyst' is a name: keep it as it is in the source"]
    # French has no Spanish generic names: only the English name will do.
    assert _check("Pomalidomide is approved.", "La pomalidomida est approuvée.", terms, locale="fr") != []
    # A glossary's keep-as-is row (no generic allowance) overrides the sheet's.
    glossary = Terms(frozenset({"pomalidomide"}))
    assert _check("Pomalidomide is approved.", "La pomalidomida está aprobada.", terms | glossary) != []


def test_pronunciations_keep_their_case_inside_a_sentence():
    from l10n.checks import Terms

    terms = Terms(frozenset({"I-deh-KAB-tuh-jeen"}))
    assert _check("Say it (I-deh-KAB-tuh-jeen).", "Se dice (I-deh-KAB-tuh-jeen).", terms) == []
    assert _check("Say it (I-deh-KAB-tuh-jeen).", "Se dice (i-deh-KAB-tuh-jeen).", terms) == [
        "'I-deh-KAB-tuh-jeen' is a pronunciation: keep it letter for letter, in the same case"]
    # A whole pronunciation line is never changed, whatever the terms say.
    assert _check("(SIL-tuh-KAB-tuh-jeen)", "(SIL-tuh-KAB-tuh-yin)", Terms()) != []
    assert _check("(SIL-tuh-KAB-tuh-jeen)", "(SIL-tuh-KAB-tuh-jeen)", Terms()) == []
