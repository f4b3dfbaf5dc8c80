"""Translation memory: exact, placeable-aware and near matches; SQLite; TMX."""

from __future__ import annotations

from pathlib import Path

import pytest

from l10n.memory import Memory, MemoryFileError, MemoryIndex, Unit, read_tmx

CARFILZOMIB = (
    "This page contains brief information about carfilzomib and a collection of links to more "
    "information about the use of this drug, research results, and ongoing clinical trials."
)
CARFILZOMIB_ES = (
    "Esta página contiene información breve sobre el carfilzomib y una colección de enlaces a más "
    "información sobre el uso de este medicamento, resultados de investigaciones y estudios clínicos en curso."
)
UNITS = [
    Unit(CARFILZOMIB, CARFILZOMIB_ES, "seeds/carfilzomib.md", ("Carfilzomib", "Kyprolis")),
    Unit("Carfilzomib is approved to be used alone or with other [drugs][1] to treat:",
         "El carfilzomib está aprobado para usarse solo o con otros [medicamentos][1] para tratar:",
         "seeds/carfilzomib.md", ("Carfilzomib",)),
    Unit("Take 20 mg on day 1.", "Tome 20 mg el día 1.", "seeds/x.md"),
    Unit("Yes", "Sí", "seeds/carfilzomib.md"),
]


def test_exact_match_is_reused_as_reviewed() -> None:
    match = MemoryIndex(UNITS).lookup(CARFILZOMIB)
    assert (match.kind, match.target) == ("exact", CARFILZOMIB_ES)
    assert match.comment == "l10n: memory exact from seeds/carfilzomib.md"


def test_a_sentence_differing_only_in_the_drug_name_reuses_the_reviewed_one() -> None:
    text = CARFILZOMIB.replace("carfilzomib", "bortezomib")
    match = MemoryIndex(UNITS).lookup(text, ["Bortezomib", "Velcade"])
    assert match.kind == "placeables"
    assert match.target == CARFILZOMIB_ES.replace("carfilzomib", "bortezomib")
    # the new name as the English writes it, its first letter cased like the reviewed text's
    match = MemoryIndex(UNITS).lookup(
        "Ixazomib Citrate is approved to be used alone or with other [drugs][1] to treat:", ["Ixazomib Citrate"])
    assert match.target == "El ixazomib Citrate está aprobado para usarse solo o con otros [medicamentos][1] para tratar:"


def test_numbers_are_placeables_too() -> None:
    match = MemoryIndex(UNITS).lookup("Take 40 mg on day 8.")
    assert (match.kind, match.target) == ("placeables", "Tome 40 mg el día 8.")


def test_a_translation_without_the_name_is_not_reused_blindly() -> None:
    units = [Unit(CARFILZOMIB, "Esta página habla de este medicamento.", "a.md", ("Carfilzomib",))]
    # not as a placeable match, and not as a 97% near match naming the wrong drug either
    assert MemoryIndex(units, threshold=50).lookup(CARFILZOMIB.replace("carfilzomib", "bortezomib"), ["Bortezomib"]) is None


def test_a_near_match_about_another_drug_gets_this_drugs_name() -> None:
    text = CARFILZOMIB.replace("carfilzomib", "bortezomib").replace("ongoing", "current")
    match = MemoryIndex(UNITS, threshold=80).lookup(text, ["Bortezomib"])
    assert match.kind == "fuzzy" and "bortezomib" in match.target and "carfilzomib" not in match.target


def test_near_match_above_the_threshold_is_fuzzy_with_its_score() -> None:
    text = CARFILZOMIB.replace("ongoing", "current")
    match = MemoryIndex(UNITS, threshold=80).lookup(text)
    assert match.kind == "fuzzy" and 80 <= match.score < 100
    assert match.comment == f"l10n: memory {match.score}% from seeds/carfilzomib.md"
    assert MemoryIndex(UNITS, threshold=99).lookup(text) is None
    assert MemoryIndex(UNITS, threshold=50).lookup("Yet") is None  # too short to mean anything


def test_the_caller_can_refuse_a_candidate() -> None:
    assert MemoryIndex(UNITS).lookup(CARFILZOMIB, accept=lambda target: False) is None


def test_sqlite_sync_replaces_po_units_and_keeps_tmx_imports(tmp_path: Path) -> None:
    path = tmp_path / ".l10n" / "memory.sqlite"
    with Memory(path) as memory:
        assert memory.sync("es", UNITS) == 4
        assert memory.export_tmx(tmp_path / "es.tmx", "es") == 4
        assert memory.sync("es", UNITS[:1]) == 1
        assert [u.source for u in memory.units("es")] == [CARFILZOMIB]
        assert memory.units("es")[0].terms == ("Carfilzomib", "Kyprolis")
    with Memory(tmp_path / "other.sqlite") as other:
        assert other.import_tmx(tmp_path / "es.tmx", "es") == 4
        assert other.import_tmx(tmp_path / "es.tmx", "es") == 4  # again: replaced, not doubled
        other.sync("es", [])  # PO units gone; the import stays
        assert [(u.source, u.target, u.origin) for u in other.units("es")] == [
            (u.source, u.target, u.origin) for u in UNITS
        ]
    assert (tmp_path / "es.tmx").read_text(encoding="utf-8").startswith('<?xml version="1.0" encoding="UTF-8"?>\n<tmx')


def test_tmx_from_another_tool_with_region_codes(tmp_path: Path) -> None:
    tmx = tmp_path / "vendor.tmx"
    tmx.write_text(
        '<?xml version="1.0"?><tmx version="1.4"><header srclang="en-US"/><body>'
        '<tu><tuv xml:lang="en-US"><seg>Ask your doctor.</seg></tuv><tuv xml:lang="es-MX"><seg>Pregunte a su médico.</seg></tuv></tu>'
        '<tu><tuv xml:lang="en-US"><seg>Only English.</seg></tuv></tu></body></tmx>',
        encoding="utf-8",
    )
    assert [(u.source, u.target) for u in read_tmx(tmx, "es")] == [("Ask your doctor.", "Pregunte a su médico.")]


def test_broken_tmx_and_memory_files_name_the_problem(tmp_path: Path) -> None:
    tmx = tmp_path / "bad.tmx"
    tmx.write_text("<tmx>\n<body>\n<tu>\n</body></tmx>", encoding="utf-8")
    with pytest.raises(MemoryFileError, match=r"bad.tmx:4: not valid TMX"):
        read_tmx(tmx, "es", display=str(tmx))
    junk = tmp_path / "memory.sqlite"
    junk.write_text("not a database", encoding="utf-8")
    with pytest.raises(MemoryFileError, match="delete it, it is rebuilt"):
        Memory(junk)


def test_engine_cache(tmp_path: Path) -> None:
    with Memory(tmp_path / "m.sqlite") as memory:
        memory.remember("apertium 1", "es", {"Yes": "Sí"})
        assert memory.cached("apertium 1", "es", ["Yes", "No"]) == {"Yes": "Sí"}
        assert memory.cached("apertium 2", "es", ["Yes"]) == {}
