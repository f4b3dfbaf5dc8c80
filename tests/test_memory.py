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
    # the new name cased like the reviewed text's name, never half and half ("el ixazomib Citrate")
    text = "Ixazomib Citrate is approved to be used alone or with other [drugs][1] to treat:"
    match = MemoryIndex(UNITS).lookup(text, ["Ixazomib Citrate"])
    assert match.target == "El ixazomib citrate está aprobado para usarse solo o con otros [medicamentos][1] para tratar:"
    # in Spanish, in its Spanish generic form
    match = MemoryIndex(UNITS, locale="es").lookup(text, ["Ixazomib Citrate"])
    assert match.target == "El citrato de ixazomib está aprobado para usarse solo o con otros [medicamentos][1] para tratar:"


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
        # Read back, a unit is the value that went in: equal, and frozen (an
        # index shares units between lookups; none may change another's).
        (unit,) = memory.units("es")
        assert unit == UNITS[0] and hash(unit) == hash(UNITS[0])
        with pytest.raises(AttributeError):
            unit.target = "otra cosa"
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


# -- which translation wins, and what a near match may never bring along ----------------------


def test_the_most_used_translation_wins_whatever_the_origin_order() -> None:
    units = [
        Unit("Yes", "Si", "seeds/a.md"),  # alphabetically first, used once
        Unit("Yes", "Sí", "seeds/b.md"),
        Unit("Yes", "Sí", "seeds/c.md"),
    ]
    match = MemoryIndex(units).lookup("Yes")
    assert (match.target, match.origin) == ("Sí", "seeds/b.md")
    # the same for a swap: two reviewed sheets agree, one differs
    swaps = [Unit(f"Take {d} with food.", t, f"seeds/{o}.md", (d,)) for d, t, o in [
        ("Aaa", "Tome Aaa con alimentos.", "a"),
        ("Bbb", "Tome Bbb con comida.", "b"),
        ("Ccc", "Tome Ccc con comida.", "c"),
    ]]
    assert MemoryIndex(swaps).lookup("Take Ddd with food.", ["Ddd"]).target == "Tome Ddd con comida."


def test_codes_with_digits_are_swapped_never_carried() -> None:
    units = [Unit("It binds to CD38 on myeloma cells.", "Se une al CD38 de las células de mieloma.", "a.md")]
    match = MemoryIndex(units).lookup("It binds to CD33 on myeloma cells.")
    assert match.target == "Se une al CD33 de las células de mieloma."
    near = MemoryIndex([Unit("MGCD0103 is a substance being studied in the treatment of cancer.",
                             "El MGCD0103 es una sustancia en estudio para el tratamiento del cáncer.", "a.md")], threshold=70)
    match = near.lookup("SNDX-275 is a substance that is being studied in the treatment of cancer.")
    assert match is None or "MGCD0103" not in match.target


@pytest.mark.parametrize(
    "reviewed_en, reviewed_es, text",
    [
        ("Adults who have received at least four lines of treatment before.",
         "Adultos que recibieron al menos cuatro líneas de tratamiento antes.",
         "Adults who have received at least three lines of treatment before."),
        ("Take one capsule once a day, with a full glass of water.",
         "Tome una cápsula una vez al día, con un vaso lleno de agua.",
         "Take one capsule twice a day, with a full glass of water."),
        ("This drug is approved to treat adults with breast cancer.",
         "Este medicamento está aprobado para tratar a adultos con cáncer de mama.",
         "This drug is approved to treat adults with lung cancer."),
        ("It is approved for use in adults with multiple myeloma.",
         "Está aprobado para usarse en adultos con mieloma múltiple.",
         "It is not approved for use in adults with multiple myeloma."),
    ],
)
def test_a_near_match_that_says_another_fact_is_not_used(reviewed_en, reviewed_es, text) -> None:
    index = MemoryIndex([Unit(reviewed_en, reviewed_es, "a.md")], threshold=60)
    assert fuzz_score(reviewed_en, text) >= 75  # near enough that the old code reused it
    assert index.lookup(text) is None


def fuzz_score(a: str, b: str) -> float:
    from rapidfuzz import fuzz

    return fuzz.ratio(a, b)


def test_a_disease_is_swapped_only_through_the_glossary() -> None:
    unit = Unit("It is used to treat adults with multiple myeloma that has come back.",
                "Se usa para tratar a adultos con mieloma múltiple que ha regresado.", "a.md")
    text = "It is used to treat adults with mantle cell lymphoma that has come back."
    assert MemoryIndex([unit], threshold=60).lookup(text) is None
    glossary = {"multiple myeloma": "mieloma múltiple", "mantle cell lymphoma": "linfoma de células del manto"}
    match = MemoryIndex([unit], threshold=60, translations=glossary).lookup(text)
    assert match.kind == "fuzzy"
    assert match.target == "Se usa para tratar a adultos con linfoma de células del manto que ha regresado."


def test_spanish_generic_names_are_swapped_in_their_spanish_form_and_gender() -> None:
    unit = Unit("It is used with lenalidomide and dexamethasone.",
                "Se usa con la lenalidomida y la dexametasona.", "a.md")
    index = MemoryIndex([unit], locale="es")
    assert index.lookup("It is used with pomalidomide and dexamethasone.").target == (
        "Se usa con la pomalidomida y la dexametasona.")
    # "la bortezomib" would be wrong Spanish: not used
    assert index.lookup("It is used with bortezomib and dexamethasone.") is None
    masculine = MemoryIndex([Unit("Bortezomib is approved.", "El bortezomib está aprobado.", "a.md", ("Bortezomib",))],
                            locale="es")
    assert masculine.lookup("Carfilzomib is approved.", ["Carfilzomib"]).target == "El carfilzomib está aprobado."
    assert masculine.lookup("Pomalidomide is approved.", ["Pomalidomide"]) is None


def test_pronunciations_are_never_rewritten_by_a_swap() -> None:
    units = [Unit("(SIL-tuh-KAB-tuh-jeen AW-toh-LOO-sel)", "(SIL-tuh-KAB-tuh-jeen AW-toh-LOO-sel)", "a.md",
                  ("Ciltacabtagene Autoleucel", "SIL-tuh-KAB-tuh-jeen AW-toh-LOO-sel")),
             Unit("(bor-TEH-zoh-mib)", "(bor-TEH-zoh-mib)", "b.md", ("Bortezomib", "bor-TEH-zoh-mib"))]
    index = MemoryIndex(units, locale="es")
    assert index.lookup("(I-deh-KAB-tuh-jeen vy-KLOO-sel)", ["Idecabtagene Vicleucel", "I-deh-KAB-tuh-jeen vy-KLOO-sel"]) is None
    assert index.lookup("(SIL-tuh-KAB-tuh-jeen AW-toh-LOO-sel)").kind == "exact"
    # inside a sentence the new pronunciation goes in letter for letter
    said = MemoryIndex([Unit("Say it (bor-TEH-zoh-mib) slowly.", "Dígalo (bor-TEH-zoh-mib) despacio.", "b.md",
                             ("bor-TEH-zoh-mib",))])
    match = said.lookup("Say it (I-deh-KAB-tuh-jeen) slowly.", ["I-deh-KAB-tuh-jeen"])
    assert match.target == "Dígalo (I-deh-KAB-tuh-jeen) despacio."


def test_a_protected_name_keeps_its_own_casing_in_a_swap() -> None:
    unit = Unit("Carfilzomib is approved to treat:", "El carfilzomib está aprobado para tratar:", "a.md", ("Carfilzomib",))
    match = MemoryIndex([unit], locale="es").lookup("Ciltacabtagene Autoleucel is approved to treat:",
                                                     ["Ciltacabtagene Autoleucel"])
    assert match.target == "El ciltacabtagén autoleucel está aprobado para tratar:"
    match = MemoryIndex([unit]).lookup("Ciltacabtagene Autoleucel is approved to treat:", ["Ciltacabtagene Autoleucel"])
    assert match.target == "El ciltacabtagene autoleucel está aprobado para tratar:"  # not "ciltacabtagene Autoleucel"


# -- from the translator's side: reviewed PO entries in one sheet -> pretranslate another ------------

CILTA_REVIEWED = {
    "(SIL-tuh-KAB-tuh-jeen AW-toh-LOO-sel)": "(SIL-tuh-KAB-tuh-jeen AW-toh-LOO-sel)",
    "This page contains brief information about ciltacabtagene autoleucel and a collection of links to more "
    "information about the use of this drug, research results, and ongoing clinical trials.":
        "Esta página contiene información breve sobre el ciltacabtagén autoleucel y una colección de enlaces a más "
        "información sobre el uso de este medicamento, los resultados de investigaciones y los estudios clínicos en curso.",
    "More About Ciltacabtagene Autoleucel": "Más sobre el ciltacabtagén autoleucel",
    "Ciltacabtagene autoleucel is only available as part of a special program called Carvykti REMS "
    "([Risk Evaluation and Mitigation Strategies][1]).":
        "El ciltacabtagén autoleucel solo está disponible mediante un programa especial llamado Carvykti REMS "
        "([Estrategias de Evaluación y Mitigación de Riesgos][1]).",
    "**[multiple myeloma][1]** that has come back or did not respond to treatment. It is used in adults who have "
    "received at least one line of treatment that included a [proteasome inhibitor][2] and an [immunomodulating "
    "agent][3] and whose cancer did not respond to treatment with [lenalidomide][4]":
        "**[Mieloma múltiple][1]** que regresó o no respondió al tratamiento. Se usa en adultos que recibieron al "
        "menos una línea de tratamiento que incluyó un [inhibidor del proteasoma][2] y un [agente "
        "inmunomodulador][3] y cuyo cáncer no respondió al tratamiento con [lenalidomida][4]",
}


def test_pretranslate_swaps_names_from_another_sheets_reviewed_entries_and_never_wrong_facts(project: Path) -> None:
    import polib

    from conftest import run_l10n

    cilta = (project / "seeds" / "ciltacabtagene-autoleucel.md").read_text(encoding="utf-8")
    ide = (cilta.replace("Ciltacabtagene Autoleucel", "Idecabtagene Vicleucel")
           .replace("Ciltacabtagene autoleucel", "Idecabtagene vicleucel")
           .replace("ciltacabtagene autoleucel", "idecabtagene vicleucel")
           .replace("(SIL-tuh-KAB-tuh-jeen AW-toh-LOO-sel)", "(I-deh-KAB-tuh-jeen vy-KLOO-sel)")
           .replace("Carvykti", "Abecma")
           .replace("at least one line of treatment", "at least four lines of treatment"))
    (project / "seeds" / "idecabtagene-vicleucel.md").write_text(ide, encoding="utf-8")
    run_l10n(project, "extract", check=True)
    run_l10n(project, "update", "--locale", "es", check=True)
    po_dir = project / "locales" / "es" / "LC_MESSAGES"
    catalog = polib.pofile(str(po_dir / "ciltacabtagene-autoleucel.po"))
    for entry in catalog:
        if entry.msgid in CILTA_REVIEWED:
            entry.msgstr = CILTA_REVIEWED[entry.msgid]
    assert sum(bool(e.msgstr) for e in catalog) == len(CILTA_REVIEWED)
    catalog.save()
    # Other reviewed sheets: a pronunciation in lower case first (a swap used to recase the new one
    # from it), and "Yes" reviewed twice as "Sí" and once, in the sheet first by name, as "Si".
    for slug, reviewed in (("bortezomib", {"Yes": "Si"}), ("carfilzomib", {"Yes": "Sí", "(kar-FIL-zoh-mib)": "(kar-FIL-zoh-mib)"}),
                           ("ciltacabtagene-autoleucel", {"Yes": "Sí"})):
        other = polib.pofile(str(po_dir / f"{slug}.po"))
        for entry in other:
            if entry.msgid in reviewed:
                entry.msgstr = reviewed[entry.msgid]
        other.save()

    run_l10n(project, "pretranslate", "--locale", "es", "--engine", "none", "idecabtagene-vicleucel", check=True)
    drafts = {e.msgid: e for e in polib.pofile(str(po_dir / "idecabtagene-vicleucel.po"))}

    intro = drafts["This page contains brief information about idecabtagene vicleucel and a collection of links to "
                   "more information about the use of this drug, research results, and ongoing clinical trials."]
    assert intro.msgstr == CILTA_REVIEWED[next(k for k in CILTA_REVIEWED if k.startswith("This page"))].replace(
        "ciltacabtagén autoleucel", "idecabtagén vicleucel")
    assert "fuzzy" in intro.flags and "l10n: memory placeables from seeds/ciltacabtagene-autoleucel.md" in intro.tcomment
    assert drafts["More About Idecabtagene Vicleucel"].msgstr == "Más sobre el idecabtagén vicleucel"
    rems = next(e for k, e in drafts.items() if k.startswith("Idecabtagene vicleucel is only available"))
    assert rems.msgstr.startswith("El idecabtagén vicleucel solo está disponible mediante un programa especial "
                                  "llamado Abecma REMS")
    # the pronunciation is this sheet's own, letter for letter (or left for the translator)
    assert drafts["(I-deh-KAB-tuh-jeen vy-KLOO-sel)"].msgstr in ("", "(I-deh-KAB-tuh-jeen vy-KLOO-sel)")
    assert drafts["Yes"].msgstr == "Sí" and "fuzzy" not in drafts["Yes"].flags  # the most used translation
    # "at least four lines" is not "al menos una línea": that near match is not used
    four = next(e for k, e in drafts.items() if "at least four lines" in k)
    assert four.msgstr == ""
    # nothing anywhere still names the other drug, its brand or its pronunciation
    for entry in drafts.values():
        for wrong in ("ciltacabtag", "Carvykti", "SIL-tuh", "autoleucel", "kar-FIL", "i-deh"):
            assert wrong not in entry.msgstr, entry


def test_one_number_never_becomes_two_different_ones_in_a_swap() -> None:
    # "20 ... 20" -> "10 ... 30": swapping 20 -> 10 everywhere would write a wrong
    # day ("el día 10"); the memory must give nothing rather than that.
    index = MemoryIndex([Unit("Take 20 mg on day 20.", "Tome 20 mg el día 20.", "seeds/x.md")])
    assert index.lookup("Take 10 mg on day 30.") is None
    match = index.lookup("Take 10 mg on day 10.")  # a consistent swap is still made
    assert (match.kind, match.target) == ("placeables", "Tome 10 mg el día 10.")


def test_a_disease_is_its_head_word_and_at_most_three_words_before_it() -> None:
    # The words that say which disease stop at a stop word, or after three: a
    # verb the stop list lacks ("targets") is not part of "relapsed mantle cell lymphoma".
    from l10n.memory import facts

    assert facts("Ibrutinib targets relapsed mantle cell lymphoma.") == ("relapsed mantle cell lymphoma",)
    assert facts("It treats mantle cell lymphoma.") == ("mantle cell lymphoma",)


def test_a_memory_file_reopens_and_one_of_another_schema_is_named(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "memory.sqlite"
    with Memory(path) as memory:
        memory.sync("es", UNITS)
    with Memory(path) as again:  # the next command's run
        assert len(again.units("es")) == 4
    with sqlite3.connect(path) as db:
        db.execute("UPDATE meta SET value = '0' WHERE key = 'schema'")
    db.close()
    with pytest.raises(MemoryFileError, match="memory schema 0 is not 1: delete the file, it is rebuilt"):
        Memory(path)
