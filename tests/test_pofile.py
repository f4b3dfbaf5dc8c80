"""The PO reader and writer: lossless, strict, and in agreement with polib and GNU gettext."""

import subprocess

import polib
import pytest

from l10n.errors import CatalogError
from l10n.pofile import parse, serialize

from conftest import CASES, msgfmt_check, prepare, require_tool


def _fields(entry):
    return (entry.msgid, entry.msgstr, entry.msgctxt, entry.msgid_plural, dict(entry.msgstr_plural),
            entry.tcomment, entry.comment, list(entry.occurrences), list(entry.flags),
            entry.previous_msgid, entry.previous_msgctxt, bool(entry.obsolete))


def test_a_rich_file_round_trips_byte_for_byte():
    text = (CASES / "rich.po").read_text()
    catalog = parse(text, "rich.po")
    assert serialize(catalog) == text
    plural = next(e for e in catalog if e.msgid_plural)
    assert plural.msgstr_plural == {0: "Una tableta", 1: "%d tabletas"}
    old = next(e for e in catalog if e.msgid == "Older text")
    assert old.obsolete and old.previous_msgid == "Old text" and old.msgctxt == "paragraph"
    first = catalog[0]
    assert first.tcomment == "l10n: machine apertium 3.8.3" and first.previous_msgid == "Take one tablet daily."
    assert first.occurrences == [("seeds/example.md", "44"), ("seeds/example.md", "50")]
    assert catalog.metadata["Last-Translator"] == "Ana García <ana@example.org>" and catalog.metadata_is_fuzzy


def test_an_editor_wrapping_lines_differently_changes_nothing(tmp_path):
    msgcat = require_tool("msgcat")
    wrapped = tmp_path / "wrapped.po"
    subprocess.run([msgcat, "--width=20", "-o", str(wrapped), str(CASES / "rich.po")], check=True)
    assert wrapped.read_text() != (CASES / "rich.po").read_text()
    original = parse((CASES / "rich.po").read_text(), "rich.po")
    again = parse(wrapped.read_text(), "wrapped.po")
    assert [_fields(e) for e in again] == [_fields(e) for e in original]
    assert again.metadata == original.metadata


def test_reading_and_writing_agree_with_polib_on_real_catalogs(project):
    prepare(project)
    files = sorted(project.glob("locales/**/*.po*"))
    catalog = polib.pofile(str(files[-1]))
    for entry in catalog[:5]:
        entry.msgstr = "ES " + entry.msgid
        entry.tcomment = "l10n: memory exact from seeds/x.md"
    catalog[0].flags.append("fuzzy")
    catalog[0].previous_msgid = "An older text"
    catalog.save()
    for path in files:
        text = path.read_text()
        ours, theirs = parse(text, str(path)), polib.pofile(text, wrapwidth=0)
        assert [_fields(e) for e in ours] == [_fields(e) for e in theirs]
        assert ours.metadata == theirs.metadata and ours.header == theirs.header
        assert serialize(ours) == str(theirs) + ("" if str(theirs).endswith("\n") else "\n")


def test_only_newline_ends_a_line():
    """U+2028 and friends may stand raw inside a string (str.splitlines would break them)."""
    text = 'msgid "a"\nmsgstr "b\u2028c\x85d\x1ce"\n'
    assert parse(text, "x.po")[0].msgstr == "b\u2028c\x85d\x1ce"


def test_obsolete_entries_wrapped_by_an_editor_read_back():
    text = '#~ msgid ""\n#~ "Store "\n#~ "cold."\n#~ msgstr ""\n#~ "Guardar "\n#~ "en frío."\n'
    entry = parse(text, "x.po")[0]
    assert entry.obsolete and (entry.msgid, entry.msgstr) == ("Store cold.", "Guardar en frío.")


def test_what_it_writes_passes_msgfmt(tmp_path):
    out = tmp_path / "out.po"
    out.write_text(serialize(parse((CASES / "rich.po").read_text(), "rich.po")))
    msgfmt_check(out)


@pytest.mark.parametrize(
    "text, line",
    [
        ('msgid "a"\nmsgstr "b\n', 2),  # unclosed quote, which polib accepts
        ('msgid "a"\nmsgstr "b" "c"\n', 2),
        ('msgid "a"\n"continued"\nmsgid "again"\nmsgstr ""\n', 3),
        ('msgstr "no msgid"\n', 1),
        ('msgid "a"\n\nmsgid "b"\nmsgstr "c"\n', 1),
        ('msgid "a"\nmsgstr "\\q"\n', 2),
        ('msgid "a"\nmsgstr[0] "x"\n', 2),
        ('#~ msgid "a"\nmsgstr "b"\n', 2),
        ('msgid "a"\nmsgstr "b"\n#, fuzzy\n', 3),
        ('"orphan"\n', 1),
    ],
)
def test_damage_is_reported_at_its_line(text, line):
    with pytest.raises(CatalogError) as caught:
        parse(text, "x.po")
    assert caught.value.line == line, str(caught.value)
    assert str(caught.value).startswith(f"x.po:{line}: broken PO file: ")
    # After well-formed entries (read by the whole-entry scanner) the damage
    # is still found, at its line.
    with pytest.raises(CatalogError) as caught:
        parse('# header\nmsgid ""\nmsgstr ""\n\n#. a\nmsgid "ok"\nmsgstr "bien"\n\n' + text, "x.po")
    assert caught.value.line == line + 8, str(caught.value)


def test_the_whole_entry_scanner_reads_what_the_line_reader_reads(project):
    """Every entry of the usual layout is read a whole entry at a time; a CRLF
    file goes through the general line reader: both must give the same catalog."""
    prepare(project)
    files = sorted(project.glob("locales/**/*.po*")) + [CASES / "rich.po"]
    for path in files:
        text = path.read_text()
        fast, general = parse(text, "x.po"), parse(text.replace("\n", "\r\n"), "x.po")
        assert [(_fields(e), e.linenum, e.msgstr_line) for e in fast] == [
            (_fields(e), e.linenum, e.msgstr_line) for e in general], path
        assert (fast.metadata, fast.header, fast.metadata_is_fuzzy) == (
            general.metadata, general.header, general.metadata_is_fuzzy)


def test_reading_without_comments_keeps_strings_flags_and_lines(project):
    """A build reads PO files without their comments: nothing it uses may differ."""
    prepare(project)
    files = sorted(project.glob("locales/**/*.po*")) + [CASES / "rich.po"]
    # Machine drafts in the usual layout (comments, references, then the flag):
    # a fuzzy flag lost here would build a draft as if it were reviewed.
    drafted = polib.pofile(str(files[0]))
    for entry in drafted[:5]:
        entry.msgstr, entry.flags = "ES " + entry.msgid, ["fuzzy"]
    drafted.save()
    for path in files:
        text = path.read_text()
        for variant in (text, text.replace("\n", "\r\n")):
            full, bare = parse(variant, "x.po"), parse(variant, "x.po", comments=False)

            def used(entry):
                return (entry.msgid, entry.msgstr, entry.msgctxt, entry.msgid_plural, dict(entry.msgstr_plural),
                        list(entry.flags), bool(entry.obsolete), entry.linenum, entry.msgstr_line)

            assert [used(e) for e in bare] == [used(e) for e in full], path
            assert bare.metadata == full.metadata
    assert any("fuzzy" in e.flags for e in parse((CASES / "rich.po").read_text(), "x.po", comments=False))
    bare = parse(files[0].read_text(), "x.po", comments=False)
    assert [e.flags for e in bare[:6]] == [["fuzzy"]] * 5 + [[]]


def test_odd_comments_and_references_are_kept_as_msgcat_keeps_them(tmp_path):
    """A hand-edited file: '#text' without a space, a reference ending in ':' or
    with a non-numeric line.  GNU msgcat (the oracle) reads and writes them back;
    polib refuses the first.  The leading '#|' entry sends every entry through
    the line-by-line reader."""
    msgcat = require_tool("msgcat")
    text = (
        '#| msgid "Old"\nmsgid "New"\nmsgstr "Nuevo"\n\n'
        "#no space after the mark\n#  two spaces\n"
        "#: seeds/a.md:12 seeds/b.md: seeds/c.md:x README\n"
        'msgid "Take one"\nmsgstr "Tome una"\n'
    )
    (tmp_path / "edge.po").write_text(text)
    gnu = subprocess.run([msgcat, str(tmp_path / "edge.po")], capture_output=True, text=True, check=True).stdout
    catalog = parse(text, "edge.po")
    assert serialize(catalog) == 'msgid ""\nmsgstr ""\n\n' + gnu
    assert catalog[1].tcomment == "no space after the mark\n two spaces"


@pytest.mark.parametrize("text", [
    # the line-by-line reader (a '#|' first): comments and references without a space,
    # and an obsolete entry whose previous msgid follows another obsolete entry
    '#|msgid "Old"\nmsgid "New"\nmsgstr "Nuevo"\n\n#.no space extracted\n#:seeds/a.md:3\n'
    'msgid "Take one"\nmsgstr "Tome una"\n\n#~ msgid "Gone"\n#~ msgstr "Ido"\n\n'
    '#~| msgid "Older"\n#~ msgid "Gone too"\n#~ msgstr "Ido también"\n',
    # the whole-entry scanner (the common layout)
    '#.no space, common layout\nmsgid "First"\nmsgstr "Primero"\n',
    # obsolete entries with no blank line between them: '#~|' begins the next one
    '#~ msgid "Gone"\n#~ msgstr "Ido"\n#~| msgid "Older"\n#~ msgid "Gone too"\n#~ msgstr "Ido también"\n',
])
def test_comments_without_a_space_read_as_msgcat_reads_them(tmp_path, text):
    msgcat = require_tool("msgcat")
    text = 'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n' + text
    (tmp_path / "in.po").write_text(text, encoding="utf-8")
    gnu = subprocess.run([msgcat, str(tmp_path / "in.po")], capture_output=True, text=True, check=True).stdout
    assert serialize(parse(text, "in.po")) == gnu
