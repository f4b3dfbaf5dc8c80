"""Localized links: per-locale rules applied to the links a built sheet puts back."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT, SEEDS
from l10n.config import load_config
from l10n.document import parse_document, read_document
from l10n.errors import ConfigError
from l10n.links import ENGLISH, KEPT, LOCALIZED, LinkRule, LinkRules, load_link_rules, localize_links
from l10n.segment import block_structure

MARK = "(en inglés)"


@pytest.fixture(scope="module")
def spanish() -> LinkRules:
    """The rules this repository ships for Spanish (pyproject.toml)."""
    config = load_config(ROOT)
    return load_link_rules(config.sections, "es", config.file)


def _links(text: str) -> list[str]:
    return re.findall(r"\]\(([^)\s]+)\)", text)


def test_seed_sheet_spanish_links(spanish):
    doc = read_document(SEEDS / "carfilzomib.md", "seeds/carfilzomib.md")
    done = localize_links(doc, spanish, MARK)
    links = _links(done.text)
    # Every NCI dictionary pop-up switched to Spanish, none left in English.
    popups = [u for u in links if "popDefinition" in u]
    assert popups and all(u.startswith("https://www.cancer.gov/Common/PopUps/") and u.endswith("language=Spanish")
                          for u in popups)
    assert "language=English" not in done.text
    # MedlinePlus drug page -> its Spanish page; the mapped cancer.gov page -> /espanol/.
    assert "https://medlineplus.gov/spanish/druginfo/meds/a612031-es.html" in links
    assert "https://medlineplus.gov/druginfo/meds/a612031.html" not in done.text
    assert "https://www.cancer.gov/espanol/cancer/tratamiento/tipos/terapia-dirigida" in links
    # No Spanish counterpart: same target, and the reader is told.
    dailymed = "https://dailymed.nlm.nih.gov/dailymed/drugInfo.cfm?setid=ea66eb30-e665-4693-99a1-a9d3b4bbe2d6&audience=consumer"
    assert f"({dailymed}) {MARK}" in done.text
    assert done.count(LOCALIZED) == len(popups) + 2
    assert done.count(ENGLISH) == done.text.count(MARK) > 0
    # The sheet's layout and front matter are the same.
    assert block_structure(parse_document(done.text, "x").body) == block_structure(doc.body)
    assert done.text.startswith(doc.text[: doc.body_start])


def test_marker_follows_the_link_inside_emphasis(spanish):
    doc = parse_document("---\nt: 1\n---\n- **[Myeloma](https://example.org/m)** that\n", "x.md")
    assert localize_links(doc, spanish, MARK).text.endswith(f"- **[Myeloma](https://example.org/m) {MARK}** that\n")


def test_nothing_to_do_keeps_every_byte():
    doc = read_document(SEEDS / "bortezomib.md")
    keep_all = LinkRules("es", {}, (), (re.compile(""),))
    done = localize_links(doc, keep_all, MARK)
    assert done.text == doc.text
    assert {c.outcome for c in done.changes} == {KEPT}


def test_reference_links_titles_autolinks_tables_and_images():
    text = (
        "---\nt: 1\n---\n"
        "See [the page][ref] and [this](/a \"A title\") or <https://x.org/a>.\n\n"
        "| Drug | Info |\n| --- | --- |\n| X | [leaflet](/a) |\n\n"
        "![A chart](/a)\n\n"
        "[ref]: /a\n"
    )
    rules = LinkRules("es", {"/a": "/es/a (1)", "https://x.org/a": "https://x.org/es/a"})
    done = localize_links(parse_document(text, "x.md"), rules, MARK)
    assert "See [the page](</es/a (1)>) and [this](</es/a (1)> \"A title\") or <https://x.org/es/a>." in done.text
    assert "| X | [leaflet](</es/a (1)>) |" in done.text
    assert "![A chart](/a)" in done.text  # images are not pages in a language
    assert "[ref]: /a" in done.text
    assert done.count(LOCALIZED) == 4
    # The rewritten destinations still parse as those links.
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark").render(done.text)
    assert html.count('href="/es/a%20(1)"') == 3


def test_anchors_and_mail_are_never_marked():
    text = "---\nt: 1\n---\nGo [up](#top), [mail](mailto:a@b.org), [away](https://elsewhere.org).\n"
    done = localize_links(parse_document(text, "x.md"), LinkRules("es", {}), MARK)
    assert done.text.endswith(f"Go [up](#top), [mail](mailto:a@b.org), [away](https://elsewhere.org) {MARK}.\n")


def test_rules_in_order_first_match_wins():
    rules = LinkRules("es", {}, (LinkRule(re.compile("^/x"), "/first"), LinkRule(re.compile("^/x"), "/second")))
    assert rules.decide("/x") == ("/first", LOCALIZED)


@pytest.mark.parametrize(
    "table, message",
    [
        ({"rewrite": [{"pattern": "(", "replace": "x"}]}, "bad regular expression"),
        ({"rewrite": [{"pattern": "^/(a)", "replace": r"\2"}]}, "bad replacement"),
        ({"rewrite": [{"pattern": "^/a"}]}, "needs exactly 'pattern' and 'replace'"),
        ({"pages": {"/a": 3}}, "'pages' must map"),
        ({"keep": "^#"}, "'keep' must be a list"),
        ({"mapping": {}}, "unknown key(s) mapping"),
    ],
)
def test_bad_rules_are_configuration_errors(table, message):
    with pytest.raises(ConfigError) as caught:
        load_link_rules({"links": {"es": table}}, "es", "l10n.toml")
    assert message in str(caught.value)
    assert str(caught.value).startswith("l10n.toml: [tool.l10n.links.es]")


def test_locale_without_rules_marks_outside_links():
    assert load_link_rules({}, "fr").decide("https://www.cancer.gov/x") == ("https://www.cancer.gov/x", ENGLISH)
