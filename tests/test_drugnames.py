"""Spanish generic drug names: the expectations are NCI's Spanish usage, written by hand."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from l10n import drugnames
from l10n.drugnames import find_generic_names, is_acceptable, spanish_generic

DEV = Path(__file__).resolve().parents[1].parent.parent / "shared" / "data" / "nci-terms-dev.jsonl"


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
    ],
)
def test_spanish_generic(english, spanish):
    assert spanish_generic(english) == spanish


@pytest.mark.parametrize(
    "name",
    ["bortezomib", "carfilzomib", "ixazomib", "daratumumab", "paclitaxel", "autoleucel", "alprostadil",
     "misoprostol", "panobinostat", "Kyprolis", "Velcade", "Carvykti", "MGCD0103", "CD38", "alone", "line",
     "participate", "", "   "],
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
    text = "Zanubrutinib, olaparib, oxaliplatin, cabazitaxel, idecabtagene vicleucel."
    assert [n for _, _, n in find_generic_names(text)] == [
        "Zanubrutinib", "olaparib", "oxaliplatin", "cabazitaxel", "idecabtagene vicleucel"]


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
