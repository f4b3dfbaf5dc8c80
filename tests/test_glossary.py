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
    assert glossary.terms["clinical trial"] == "estudio clínico"
    assert glossary.terms["clinical trials"] == "estudios clínicos"
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
