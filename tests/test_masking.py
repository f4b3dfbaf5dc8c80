"""Masking: every seed string survives mask -> engine -> restore, and damage is caught."""

from __future__ import annotations

from pathlib import Path

import polib
import pytest

from l10n.masking import TOKEN, MaskError, Protection, mask, restore, same_markup

ROOT = Path(__file__).resolve().parent.parent
TERMS = Protection({"kyprolis": None, "carfilzomib": None, "multiple myeloma": "mieloma múltiple", "drugs": "medicamentos"})


def seed_msgids() -> list[str]:
    return [e.msgid for pot in sorted((ROOT / "locales" / "templates").glob("*.pot")) for e in polib.pofile(str(pot))]


def test_every_seed_string_round_trips_through_an_engine_that_copies() -> None:
    texts = seed_msgids()
    assert len(texts) > 100
    for text in texts:
        masked = mask(text)
        assert restore(masked, list(masked.pieces)) == text


def test_markup_numbers_urls_and_terms_never_reach_the_engine() -> None:
    text = "Take **[Kyprolis][1]** 20 mg/m2 on day 3, see {2} or `x y` and www.cancer.gov/drugs.\nThen *rest*."
    masked = mask(text, TERMS)
    sent = TOKEN.sub("", " ".join(masked.engine_pieces))
    for kept in ("Kyprolis", "[1]", "{2}", "20", "mg/m2", "`", "www", "\n", "*", "3"):
        assert kept not in sent, kept
    assert "Take" in sent and "rest" in sent


def test_links_and_emphasis_are_translated_as_whole_pieces() -> None:
    masked = mask("**[Mantle cell lymphoma][1]** that has [relapsed][2] (come back).")
    assert "Mantle cell lymphoma" in masked.pieces
    assert "relapsed" in masked.pieces
    outputs = {"Mantle cell lymphoma": "Linfoma de células del manto", "relapsed": "Recaído"}
    translated = [outputs.get(p, p.replace("that has", "que ha").replace("come back", "regresado")) for p in masked.pieces]
    # the engine capitalised a mid-sentence link on its own; restore undoes that
    assert restore(masked, translated) == "**[Linfoma de células del manto][1]** que ha [recaído][2] (regresado)."


def test_required_translations_replace_the_term_with_its_case() -> None:
    masked = mask("Multiple myeloma and other drugs.", TERMS)
    assert restore(masked, ["__1__ y otros __2__."]) == "Mieloma múltiple y otros medicamentos."


@pytest.mark.parametrize(
    "output, problem",
    [
        ("Tome con __4__ al día.", "lost"),
        ("Tome __3__ __3__ con __4__ al día.", "repeated"),
        ("Tome __3__ con __4__ al día __9__.", "invented"),
    ],
)
def test_lost_repeated_or_invented_masks_are_refused(output: str, problem: str) -> None:
    masked = mask("Take **[Kyprolis][1]** with 20 mg/m2 daily.", TERMS)
    with pytest.raises(MaskError, match=problem):
        restore(masked, [output, *masked.pieces[1:]])


def test_a_text_that_looks_like_a_mask_is_not_sent() -> None:
    with pytest.raises(MaskError):
        mask("the __1__ variable")


def test_same_markup_catches_lost_emphasis_and_links() -> None:
    source = "**[Multiple myeloma][1]** that has [relapsed][2]."
    assert same_markup(source, "**[Mieloma][1]** que ha [recaído][2].")
    assert not same_markup(source, "[Mieloma][1] que ha [recaído][2].")
    assert not same_markup(source, "**[Mieloma][1]** que ha recaído.")


def test_underscore_emphasis_closes_before_a_space_not_inside_a_word() -> None:
    # CommonMark: '_' closes emphasis only where no letter follows it, so
    # snake_case_name is plain text while _only_ and __this__ are emphasis.
    masked = mask("Take _only_ one, not snake_case_name or __this__.")
    assert masked.pieces == ("Take __1__ one, not snake_case_name or __2__.", "only", "this")
    assert restore(masked, ["Tome __1__ uno, no snake_case_name ni __2__.", "solo", "esto"]) == \
        "Tome _solo_ uno, no snake_case_name ni __esto__."
    # A '_' with a letter after it does not close: the emphasis runs on, as a
    # CommonMark renderer (the oracle) reads it.
    from markdown_it import MarkdownIt

    text = "Take _dose_unit_ daily."
    assert MarkdownIt("commonmark").renderInline(text) == "Take <em>dose_unit</em> daily."
    assert mask(text).pieces == ("Take __1__ daily.", "dose_unit")


def test_a_protection_is_a_frozen_value_shared_safely_between_sheets() -> None:
    # One Protection serves every sheet of a run (and worker threads): no sheet may change it.
    import dataclasses

    with pytest.raises(dataclasses.FrozenInstanceError):
        TERMS.terms = {}


def test_a_link_with_brackets_inside_and_an_image_are_masked_whole() -> None:
    masked = mask("Read [the [boxed] warning][1] first.")
    assert masked.pieces == ("Read __1__ first.", "the [boxed] warning")
    masked = mask("See ![a chart of doses][1] here.")
    assert masked.pieces == ("See __1__ here.", "a chart of doses")  # the '!' goes with it
    assert restore(masked, ["Vea __1__ aquí.", "un gráfico de dosis"]) == "Vea ![un gráfico de dosis][1] aquí."


def test_a_backslash_that_escapes_nothing_is_left_as_text() -> None:
    # Masking it would only give the engine one more token to lose.
    assert mask("Ends with a backslash\\").pieces == ("Ends with a backslash\\",)


def test_a_lost_mask_is_named_by_the_markup_it_stood_for() -> None:
    masked = mask("Take *one* or **two** daily.")
    assert masked.pieces == ("Take __1__ or __2__ daily.", "one", "two")
    with pytest.raises(MaskError, match=r"'\*\*two\*\*'"):
        restore(masked, ["Tome __1__ o dos al día.", "una", "dos"])
