"""Segmentation rules, keys, placeholders, and putting translations back."""

import os
import re
from pathlib import Path

import pytest

from l10n.catalog import catalog_text, template_for
from l10n.document import parse_document, read_document
from l10n.errors import TranslationError
from l10n.segment import render, segment_document, splice

from conftest import CASES, SEEDS

UPDATE_GOLDEN = bool(os.environ.get("L10N_UPDATE_GOLDEN"))


def golden(path: Path, actual: str) -> None:
    """Compare with a golden file; L10N_UPDATE_GOLDEN=1 rewrites it, and then fails.

    A rewritten file is whatever the code wrote, so comparing the output with
    it proves nothing: the run that rewrites it fails, asking for the diff to
    be read and the tests run again.  Under CI the variable is refused.
    """
    if UPDATE_GOLDEN:
        if os.environ.get("CI"):
            pytest.fail("L10N_UPDATE_GOLDEN is set under CI: golden files are only rewritten by hand")
        if not path.exists() or path.read_bytes() != actual.encode():
            path.write_bytes(actual.encode())
            pytest.fail(f"{path} rewritten: review 'git diff {path.name}', then run again without "
                        "L10N_UPDATE_GOLDEN")
    assert path.exists(), f"{path} missing: run with L10N_UPDATE_GOLDEN=1 and review it"
    assert actual == path.read_bytes().decode()


@pytest.mark.parametrize("case", ["torture", "torture-crlf", "hugo-toml", "json-front"])
def test_golden_template(case):
    doc = read_document(CASES / f"{case}.md", f"tests/cases/{case}.md")
    template = template_for(doc, segment_document(doc, ["title", "summary"]))
    golden(CASES / f"{case}.expect.pot", catalog_text(template))


# What tests/cases/torture.md must give a translator, written by hand from the
# sheet (not from l10n's output): (context, msgid, source line, key and kind).
# The golden POTs are read with polib and GNU msgfmt and must say exactly this,
# so a golden file rewritten by a faulty l10n cannot pass.
TORTURE_ENTRIES = [
    ("front-matter:title", "Torture: every Markdown construct", 3, "front-matter/title (front-matter)"),
    ("front-matter:summary", "A block scalar\nover two lines.\n", 8, "front-matter/summary (front-matter)"),
    (None, "Setext Heading One", 14, "setext-heading-one/h1 (heading)"),
    (None, "Intro paragraph with *emphasis*, __strong__, ~~strike~~ and `code [not a link](x)`, wrapped over\n"
           "two lines with a hard break, and a second\nhard break made with a backslash.", 17,
     "setext-heading-one/p[1] (paragraph)"),
    (None, "ATX heading with closing hashes", 22, "atx-heading-with-closing-hashes/h2 (heading)"),
    (None, "First ordered item with a [link][1].", 24, "atx-heading-with-closing-hashes/ol[1]/li[1] (list-item)"),
    (None, "Second item continued on a lazy line, with an ![inline image][1] inside.", 25,
     "atx-heading-with-closing-hashes/ol[1]/li[2] (list-item)"),
    (None, "Nested bullet one with {1} autolink.", 27,
     "atx-heading-with-closing-hashes/ol[1]/li[2]/ul[1]/li[1] (list-item)"),
    (None, "Nested bullet two with {1}inline HTML{2} in it.", 28,
     "atx-heading-with-closing-hashes/ol[1]/li[2]/ul[1]/li[2] (list-item)"),
    (None, "Third item has two paragraphs.", 29, "atx-heading-with-closing-hashes/ol[1]/li[3] (list-item)"),
    (None, "Its second paragraph, indented.", 31, "atx-heading-with-closing-hashes/ol[1]/li[3]/p[2] (list-item)"),
    (None, "Star bullet with a [reference link][1] and a [collapsed one][2] and a [shortcut][3].", 33,
     "atx-heading-with-closing-hashes/ul[1]/li[1] (list-item)"),
    (None, "A block quote that wraps over two lines, with **[bold link][1]**.", 35,
     "atx-heading-with-closing-hashes/blockquote[1]/p[1] (blockquote)"),
    (None, "A list inside the quote.", 38, "atx-heading-with-closing-hashes/blockquote[1]/ul[1]/li[1] (list-item)"),
    (None, "Drug", 40, "atx-heading-with-closing-hashes/table[1]/r1c1 (table-cell)"),
    (None, "Dose", 40, "atx-heading-with-closing-hashes/table[1]/r1c2 (table-cell)"),
    (None, "Note", 40, "atx-heading-with-closing-hashes/table[1]/r1c3 (table-cell)"),
    (None, "Aspirin", 42, "atx-heading-with-closing-hashes/table[1]/r2c1 (table-cell)"),
    (None, "81 mg", 42, "atx-heading-with-closing-hashes/table[1]/r2c2 (table-cell)"),
    (None, "take with `water \\| milk`", 42, "atx-heading-with-closing-hashes/table[1]/r2c3 (table-cell)"),
    (None, "Pipe \\| escaped", 43, "atx-heading-with-closing-hashes/table[1]/r3c1 (table-cell)"),
    (None, "2.5 mL", 43, "atx-heading-with-closing-hashes/table[1]/r3c2 (table-cell)"),
    (None, "A standalone image with alt text", 45, "atx-heading-with-closing-hashes/p[1]/img (image-alt)"),
    (None, "Entities &amp; escapes \\*not emphasis\\* and 1.5 mg &lt; 2 mg.", 58,
     "atx-heading-with-closing-hashes/p[2] (paragraph)"),
    (None, "Setext two", 62, "setext-two/h2 (heading)"),
    (None, "Last paragraph without a final newline: 10 mg/m² on days 1, 8 and 15.", 65,
     "setext-two/p[1] (paragraph)"),
]
# Where each [N] points, in the extracted comments, as the sheet writes it.
TORTURE_TARGETS = {
    "First ordered item with a [link][1].": ["[1]: https://example.org/a"],
    "Second item continued on a lazy line, with an ![inline image][1] inside.": ["[1]: img/a.png"],
    "Star bullet with a [reference link][1] and a [collapsed one][2] and a [shortcut][3].":
        ["[1]: https://example.org/ref", "[2]: https://example.org/collapsed", "[3]: https://example.org/short cut"],
}


@pytest.mark.parametrize("case", ["torture", "torture-crlf"])
def test_golden_templates_say_what_the_sheet_says(case):
    import polib

    from conftest import msgfmt_check

    path = CASES / f"{case}.expect.pot"
    msgfmt_check(path)  # GNU gettext reads it without an error
    catalog = polib.pofile(str(path))
    expected = list(TORTURE_ENTRIES)
    if case == "torture-crlf":  # the same sheet with CRLF line ends and its own title
        expected[0] = ("front-matter:title", "CRLF torture: every Markdown construct", 3, expected[0][3])
    got = [(e.msgctxt, e.msgid, [(f, int(n)) for f, n in e.occurrences], e.comment.splitlines()[0])
           for e in catalog]
    assert got == [(ctx, msgid, [(f"tests/cases/{case}.md", line)], key) for ctx, msgid, line, key in expected]
    assert all(e.msgstr == "" and not e.obsolete for e in catalog)
    assert catalog.metadata["X-Source"] == f"tests/cases/{case}.md"
    import hashlib

    assert catalog.metadata["X-Source-SHA256"] == hashlib.sha256((CASES / f"{case}.md").read_bytes()).hexdigest()
    for entry in catalog:
        if entry.msgid in TORTURE_TARGETS:
            assert entry.comment.splitlines()[1:] == TORTURE_TARGETS[entry.msgid], entry.msgid


# The TOML and JSON sheets, by hand: the title and the body, never a table's
# key or a line inside a multi-line string.
FRONT_MATTER_CASES = {
    "hugo-toml": [("front-matter:title", "Aspirin - NCI", 3, "front-matter/title (front-matter)"),
                  (None, "Aspirin", 17, "aspirin/h1 (heading)"),
                  (None, "Take [one tablet][1] a day.", 19, "aspirin/p[1] (paragraph)")],
    "json-front": [("front-matter:title", "Ibuprofen - NCI", 2, "front-matter/title (front-matter)"),
                   (None, "Ibuprofen", 8, "ibuprofen/h1 (heading)"),
                   (None, "Take it with food.", 10, "ibuprofen/p[1] (paragraph)")],
}


@pytest.mark.parametrize("case", sorted(FRONT_MATTER_CASES))
def test_golden_templates_of_toml_and_json_sheets(case):
    import polib

    from conftest import msgfmt_check

    path = CASES / f"{case}.expect.pot"
    msgfmt_check(path)
    got = [(e.msgctxt, e.msgid, [(f, int(n)) for f, n in e.occurrences], e.comment.splitlines()[0])
           for e in polib.pofile(str(path))]
    assert got == [(ctx, msgid, [(f"tests/cases/{case}.md", line)], key)
                   for ctx, msgid, line, key in FRONT_MATTER_CASES[case]]


def test_rewriting_a_golden_file_fails_the_run(tmp_path, monkeypatch):
    import sys

    module = sys.modules[__name__]
    monkeypatch.setattr(module, "UPDATE_GOLDEN", True)
    monkeypatch.delenv("CI", raising=False)
    path = tmp_path / "x.expect.pot"
    path.write_text("old")
    with pytest.raises(pytest.fail.Exception, match="rewritten"):
        golden(path, "new")
    assert path.read_text() == "new"
    golden(path, "new")  # unchanged: nothing to review, passes
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="under CI"):
        golden(path, "new")


def test_kinds_keys_and_lines_on_a_seed():
    doc = read_document(SEEDS / "carfilzomib.md", "seeds/carfilzomib.md")
    segments = segment_document(doc)
    by_key = {s.key: s for s in segments}
    assert len(by_key) == len(segments), "keys are unique"
    assert by_key["front-matter/title"].text == "Carfilzomib - NCI"
    assert by_key["use-in-cancer/h2"].kind == "heading"
    item = by_key["use-in-cancer/ul[1]/li[1]"]
    assert item.kind == "list-item" and item.line == 48
    assert item.text.startswith("**[Multiple myeloma][1]** that has [relapsed][2] (come back)")
    assert [p.target for p in item.placeholders][0].startswith("/Common/PopUps/popDefinition.aspx?id=45793")
    wrapped = by_key["use-in-cancer/p[1]"]
    assert wrapped.text == "Carfilzomib is approved to be used alone or with other [drugs][1] to treat:"
    assert wrapped.line == 44
    lines = doc.text.splitlines()
    for seg in segments:
        first_word = next(w for w in re.split(r"[\s\[\]*()]+", seg.text) if w)
        assert first_word in lines[seg.line - 1], (seg.key, seg.line)


def test_code_html_and_definitions_never_reach_a_translator():
    doc = read_document(CASES / "torture.md")
    texts = " ".join(s.text for s in segment_document(doc))
    for kept in ("print(", "indented code block", "An HTML block", "https://", "img/b.png", "example.org/ref"):
        assert kept not in texts
    # ... while the code span inside a paragraph stays, as written.
    assert "`code [not a link](x)`" in texts


def test_same_text_as_different_kinds_gets_a_context():
    doc = parse_document("---\ntitle: Dose\n---\n# Dose\n\nDose\n\n| Dose |\n|--|\n| 1 |\n", "c.md")
    contexts = {(s.kind, s.context) for s in segment_document(doc)}
    assert contexts == {("front-matter", "front-matter:title"), ("heading", "heading"),
                        ("paragraph", "paragraph"), ("table-cell", "table-cell")}


def test_same_text_same_kind_shares_one_entry():
    doc = parse_document("---\ntitle: T\n---\n- Yes\n- No\n\nYes\n\n- Yes\n", "d.md")
    segments = segment_document(doc)
    template = template_for(doc, segments)
    yes = [e for e in template if e.msgid == "Yes"]
    assert len(yes) == 2  # one list-item entry (two places) and one paragraph entry, with contexts
    shared = next(e for e in yes if e.msgctxt == "list-item")
    assert [line for _, line in shared.occurrences] == ["4", "9"]


def test_a_changed_url_changes_no_msgid():
    before = parse_document("---\ntitle: T\n---\nSee [the label](https://a.example/1).\n", "u.md")
    after = parse_document("---\ntitle: T\n---\nSee [the label](https://a.example/2).\n", "u.md")
    assert [s.text for s in segment_document(before)] == [s.text for s in segment_document(after)]


def _segment(text, key_fragment):
    doc = parse_document("---\ntitle: T\n---\n" + text, "r.md")
    return doc, next(s for s in segment_document(doc) if key_fragment in s.key)


def test_render_puts_exact_link_destinations_back_in_any_order():
    doc, seg = _segment("Use [a](/x \"t\") with [b][ref].\n\n[ref]: /y\n", "p[1]")
    assert seg.text == "Use [a][1] with [b][2]."
    assert render(seg, "Con [b-es][2] use [a-es][1].") == 'Con [b-es][ref] use [a-es](/x "t").'


def test_render_rewrites_a_shortcut_reference_whose_text_changes():
    doc, seg = _segment("A [term].\n\n[term]: /t\n", "p[1]")
    assert render(seg, "Un [término][1].") == "Un [término][term]."


@pytest.mark.parametrize(
    "translation, words",
    [
        ("Vea [esto][1] y [esto][1].", "repeats [1]"),
        ("Vea esto.", "leaves out [1]"),
        ("Vea [esto](https://evil.example).", "adds a link"),
        ("Vea [esto][2].", "does not match"),
        ("Vea [esto][1] <script>x</script>.", "adds markup"),
        ("1. Vea [esto][1].", "layout"),
        ("- Vea [esto][1].", "layout"),
        ("# Vea [esto][1].", "layout"),
        ("Vea\n[esto][1].", "line break"),
    ],
)
def test_render_refuses_translations_that_would_break_the_sheet(translation, words):
    _, seg = _segment("See [this](https://example.org/x).\n", "p[1]")
    with pytest.raises(TranslationError) as caught:
        render(seg, translation)
    assert words in str(caught.value)


@pytest.mark.parametrize(
    "source, key, translation",
    [
        ("# Use\n", "use/h1", "<script>alert(1)</script> Uso"),
        ("# Use\n", "use/h1", "Uso <img src=x onerror=alert(1)>"),
        ("| A |\n|---|\n| one |\n", "r2c1", "<b onmouseover=alert(1)>uno</b>"),
        ("Plain text.\n", "p[1]", "<div>Texto</div>"),
        ("Plain text.\n", "p[1]", "Texto <!-- comentario -->"),
    ],
)
def test_render_refuses_raw_html_in_every_kind_of_segment(source, key, translation):
    _, seg = _segment(source, key)
    with pytest.raises(TranslationError) as caught:
        render(seg, translation)
    assert "adds markup" in str(caught.value)


def test_render_keeps_inline_placeholders_and_hard_breaks():
    doc, seg = _segment("Call <https://a.example/> now,  \n  or <b>later</b>.\n", "p[1]")
    assert seg.text == "Call {1} now,\nor {2}later{3}."
    out = render(seg, "Llame a {1} ahora,\no {2}después{3}.")
    assert out == "Llame a <https://a.example/> ahora,  \n  o <b>después</b>."


def test_table_cells_refuse_a_bare_pipe():
    _, seg = _segment("| A | B |\n|---|---|\n| one | two |\n", "r2c1")
    assert render(seg, "uno \\| dos") == "uno \\| dos"
    with pytest.raises(TranslationError):
        render(seg, "uno | dos")


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.md")) + [CASES / "torture.md", CASES / "torture-crlf.md"],
                         ids=lambda p: p.stem)
def test_rendering_a_segment_as_itself_reproduces_its_single_line_source(path):
    """The render path (not only the identity shortcut) keeps links and markup exact."""
    doc = read_document(path)
    for seg in segment_document(doc, ["title"]):
        source = doc.text[seg.start : seg.end]
        if seg.kind == "front-matter" or "\n" in source or "\r" in source:
            continue
        assert render(seg, seg.text) == source, seg.key
    assert splice("abc", []) == "abc"


@pytest.mark.parametrize("translation, block", [
    ("- Tome una tableta.", "List"), ("# Tome una tableta.", "Heading"), ("> Tome una tableta.", "BlockQuote"),
])
def test_a_layout_refusal_names_the_block_markdown_would_read(translation, block):
    doc = parse_document("---\ntitle: T\n---\nTake one tablet.\n", "x.md")
    paragraph = segment_document(doc)[-1]
    with pytest.raises(TranslationError, match=rf"\(Markdown reads it as {block}\); escape the character"):
        render(paragraph, translation)
