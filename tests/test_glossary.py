"""Glossary files and the do-not-translate terms each sheet names."""

from __future__ import annotations

from pathlib import Path

import pytest

from l10n.document import read_document
from l10n.glossary import GlossaryError, parse_glossary, protection, read_glossary, sheet_terms
from l10n.segment import segment_document

ROOT = Path(__file__).resolve().parent.parent


def test_the_spanish_glossary_has_the_required_terms() -> None:
    glossary = read_glossary(ROOT / "locales" / "es" / "glossary.csv")
    assert glossary.terms["multiple myeloma"] == "mieloma múltiple"
    # NCI's Spanish dictionary settles it: "ensayo clínico"; "estudio clínico" is recorded as not to use.
    assert glossary.terms["clinical trial"] == "ensayo clínico"
    assert glossary.terms["clinical trials"] == "ensayos clínicos"
    avoided = {(e.term, e.translation) for e in glossary.entries if e.status == "deprecated"}
    assert ("clinical trial", "estudio clínico") in avoided
    assert all(e.source for e in glossary.entries), "every term says where it came from"
    assert "proteasome inhibitor" not in glossary.terms  # proposed: recorded, not enforced
    assert glossary.terms["drug"] == "medicamento"
    assert "fda label" in glossary.terms
    assert glossary.terms["fda"] is None  # do not translate


@pytest.mark.parametrize(
    "text, line, message",
    [
        ("word,translation\nx,y\n", 1, "header"),
        ("term,translation,note\ndrug,medicamento,\nDrug,fármaco,\n", 3, "twice"),
        ("term,translation,note\na,b,c,d\n", 2, "cells"),
        ("term,translation,note\n# a comment\n,nada,\n", 3, "empty"),
    ],
)
def test_bad_glossaries_name_the_line(text: str, line: int, message: str) -> None:
    with pytest.raises(GlossaryError, match=message) as caught:
        parse_glossary(text, "locales/es/glossary.csv")
    assert str(caught.value).startswith(f"locales/es/glossary.csv:{line}: ")


def test_a_missing_glossary_is_empty(tmp_path: Path) -> None:
    assert dict(read_glossary(tmp_path / "glossary.csv").terms) == {}


@pytest.mark.parametrize(
    "slug, expected",
    [
        ("carfilzomib", ("Carfilzomib", "kar-FIL-zoh-mib", "Kyprolis")),
        ("ixazomib-citrate", ("Ixazomib Citrate", "ik-SA-zoh-mib SIH-trayt", "Ninlaro")),
    ],
)
def test_each_sheet_names_its_drug_brand_and_pronunciation(slug: str, expected: tuple[str, ...]) -> None:
    doc = read_document(ROOT / "seeds" / f"{slug}.md", f"seeds/{slug}.md")
    assert sheet_terms(segment_document(doc)) == expected


def test_a_sheets_own_name_wins_over_a_glossary_translation() -> None:
    glossary = parse_glossary("term,translation,note\nkyprolis,no,\n", "g.csv")
    assert protection(glossary, ["Kyprolis"]).terms["kyprolis"] is None


def test_source_and_status_columns_and_the_old_three_column_file_reads_the_same() -> None:
    old = parse_glossary("term,translation,note\nDrug,medicamento,a note\nFDA,,\n", "g.csv")
    new = parse_glossary(
        "term,translation,note,source,status\n"
        "Drug,medicamento,a note,NCI-DICT-ES,approved\n"
        "FDA,,,team,\n"  # empty status: approved
        "drug,fármaco,,,deprecated\n"  # a second row for a term: the translation not to use
        "cell,célula,,reviewer,proposed\n",
        "g.csv",
    )
    assert dict(old.terms) == {"drug": "medicamento", "fda": None}
    assert dict(new.terms) == dict(old.terms)  # proposed and deprecated rows are not enforced
    assert [(e.term, e.translation, e.source, e.status, e.line) for e in new.entries] == [
        ("Drug", "medicamento", "NCI-DICT-ES", "approved", 2),
        ("FDA", None, "team", "approved", 3),
        ("drug", "fármaco", "", "deprecated", 4),
        ("cell", "célula", "reviewer", "proposed", 5),
    ]
    assert old.entries[0].status == "approved" and old.entries[0].note == "a note"
    # a spreadsheet's trailing empty cells are not extra columns
    assert dict(parse_glossary("term,translation\nDrug,medicamento,,\n", "g.csv").terms) == {"drug": "medicamento"}


@pytest.mark.parametrize(
    "text, line, message",
    [
        ("term,translation,note,source,status\ndrug,medicamento,,,final\n", 2, "unknown status 'final'"),
        ("term,translation,note,source,status\ndrug,,,,deprecated\n", 2, "deprecated row names the translation"),
        ("term,translation,note,source,status\ndrug,medicamento,,,\ndrug,fármaco,,,proposed\n", 3, "listed twice"),
        ("term,translation,note,source,status\ndrug,droga,,,deprecated\nDrug,Droga,,,deprecated\n", 3,
         "deprecated twice"),
        ("term,translation,status\ndrug,medicamento,approved\n", 1, "header"),  # columns out of order
        ("term,translation\ndrug,medicamento,a note\n", 2, "cells"),
    ],
)
def test_bad_term_base_rows_name_the_line(text: str, line: int, message: str) -> None:
    with pytest.raises(GlossaryError, match=message) as caught:
        parse_glossary(text, "g.csv")
    assert str(caught.value).startswith(f"g.csv:{line}: ")


def test_glossary_terms_are_matched_longest_first() -> None:
    glossary = parse_glossary(
        "term,translation\nmyeloma,mieloma\nmultiple myeloma,mieloma múltiple\n"
        "clinical trial,ensayo clínico\nclinical trials,ensayos clínicos\ncell,célula\nmantle cell lymphoma,"
        "linfoma de células del manto\n", "g.csv")
    pattern = protection(glossary).pattern()
    text = "Multiple myeloma and myeloma, clinical trials and a clinical trial, mantle cell lymphoma and a cell."
    assert [m.group() for m in pattern.finditer(text)] == [
        "Multiple myeloma", "myeloma", "clinical trials", "clinical trial", "mantle cell lymphoma", "cell"]
