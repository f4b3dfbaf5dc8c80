"""Reading sheets: byte-exact parts, safe YAML, and errors that name file:line."""

from pathlib import Path

import pytest

from l10n.document import format_yaml_scalar, front_matter_values, parse_document, read_document
from l10n.errors import DocumentError

from conftest import CASES, SEEDS


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.md")), ids=lambda p: p.stem)
def test_seed_parts_reassemble_byte_for_byte(path: Path):
    doc = read_document(path)
    assert doc.text.encode() == path.read_bytes()
    assert doc.text[: doc.front_matter_start] == "---\n"
    assert doc.text[doc.front_matter_start : doc.front_matter_end] == doc.front_matter
    assert doc.metadata["language"] == "en"
    assert doc.metadata["lastReviewed"] == "2025-12-30"  # quoted: stays a string
    assert doc.body_line == 19


def test_front_matter_value_spans_point_at_the_written_value():
    doc = parse_document("---\na: 'x y'  # note\nb: plain\n---\nbody\n", "t.md")
    values = front_matter_values(doc)
    assert doc.text[values["a"].start : values["a"].end] == "'x y'"
    assert values["a"].style == "'" and values["a"].line == 2
    assert doc.text[values["b"].start : values["b"].end] == "plain"


@pytest.mark.parametrize(
    "text, line, words",
    [
        ("# No front matter\n", 1, "no front matter"),
        ("---\ntitle: x\n\n# never closed\n", 1, "never closed"),
        # A bracket never closed: the line where it opened, not where libyaml gave up.
        ("---\ntitle: x\nbad: [unclosed\nother: 1\n---\nbody\n", 3, "not valid YAML"),
        ("---\ntitle: x\nrun: !!python/object/apply:os.system ['touch /tmp/l10n-pwned']\n---\n", 3, "constructor"),
        ("---\ntitle: a\ntitle: b\n---\n", 3, "given twice"),
        ("---\n- a list\n---\n", 2, "mapping"),
        ("---\ntitle: x\n---\nnul \x00 here\n", 4, "NUL"),
    ],
)
def test_bad_sheets_fail_with_file_and_line(text, line, words, tmp_path):
    path = tmp_path / "bad.md"
    path.write_text(text)
    with pytest.raises(DocumentError) as caught:
        doc = read_document(path, "seeds/bad.md")
        from l10n.segment import segment_document

        segment_document(doc)
    assert caught.value.path == "seeds/bad.md"
    assert caught.value.line == line, str(caught.value)
    assert words.lower() in str(caught.value).lower()
    assert str(caught.value).startswith(f"seeds/bad.md:{line}: ")
    assert not Path("/tmp/l10n-pwned").exists()


def test_invalid_utf8_names_the_line(tmp_path):
    path = tmp_path / "latin1.md"
    path.write_bytes("---\ntitle: x\n---\n\nCaf\xe9\n".encode("latin-1"))
    with pytest.raises(Exception) as caught:
        read_document(path, "seeds/latin1.md")
    assert str(caught.value).startswith("seeds/latin1.md:5: not valid UTF-8")


@pytest.mark.parametrize(
    "value, style",
    [("Plain text", None), ("Carfilzomib: NCI", None), ("it's", "'"), ("yes", None), ("1.5", None),
     ("- dash", None), ("# hash", None), ("línea\nnueva", None), ("'quoted'", '"'), ("", None), ("tab\there", "'")],
)
def test_yaml_scalars_read_back_as_the_same_string(value, style):
    import yaml

    assert yaml.safe_load("k: " + format_yaml_scalar(value, style)) == {"k": value}


@pytest.mark.parametrize("value", [
    "Bortezomib - NCI", "yes", "No", "null", "~", "1.5", "2024-01-01", "a: b", "a #b", "#x", "- x", "[a]",
    "{a}", "*a", "&a b", "!x y", "!!str y", "'q'", '"q"', "é", "x:y", "sha256:abc", "sheets/x.md", "<<", "=",
    "? x", "%x", "@x", "`x", "|x", ">x", "0x1F", "on", "Off", "1e3", ".inf", "k: v: w", "a\tb",
])
def test_a_value_is_written_plain_exactly_when_yaml_reads_it_back_as_itself(value):
    import yaml

    from l10n.document import _reads_back_plain

    try:
        loaded = yaml.load(f"k: {value}", Loader=yaml.CSafeLoader) == {"k": value}
    except yaml.YAMLError:
        loaded = False
    assert _reads_back_plain(value) == loaded
    written = format_yaml_scalar(value)
    assert (written == value) == (loaded and value.isprintable())
    assert yaml.safe_load(f"k: {written}") == {"k": value}  # PyYAML's own reader agrees


def test_the_yaml_import_shortcut_matches_exactly_what_yaml_would_and_takes_effect():
    """l10n seeds re's cache so importing yaml skips a 30 ms regex compile."""
    import re
    import subprocess
    import sys

    from l10n.document import YAML_NON_PRINTABLE, YAML_NON_PRINTABLE_COMPLEMENT

    every_code_point = "".join(map(chr, range(0x110000)))
    # re.UNICODE changes nothing for a str pattern but keeps re's cache out of it.
    original = re.compile(YAML_NON_PRINTABLE, re.UNICODE)
    assert original.findall(every_code_point) == re.findall(YAML_NON_PRINTABLE_COMPLEMENT, every_code_point)
    program = ("import l10n.document, yaml; "
               "print(yaml.reader.Reader.NON_PRINTABLE.pattern == l10n.document.YAML_NON_PRINTABLE_COMPLEMENT)")
    shown = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    assert shown.stdout.strip() == "True"


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.md")) + sorted(CASES.glob("*.md")), ids=lambda p: p.name)
def test_the_front_matter_outline_agrees_with_the_parsed_document(path):
    from l10n.document import front_matter_outline
    from l10n.errors import L10nError

    text = path.read_bytes().decode("utf-8")
    try:
        doc = parse_document(text, path.name)
    except L10nError as err:
        with pytest.raises(L10nError) as caught:
            front_matter_outline(text, path.name)
        assert (caught.value.path, caught.value.line) == (err.path, err.line)
        return
    keys, strings, body_start = front_matter_outline(text, path.name)
    assert keys == doc.keys and body_start == doc.body_start
    assert strings == {key: value.value for key, value in doc.scalars.items()}


@pytest.mark.parametrize("front_matter", ["a: [1\n", "- a\n", "a: !!python/object:os.system x\n", "a: 1\na: 2\n"])
def test_the_front_matter_outline_refuses_what_parse_document_refuses(front_matter):
    from l10n.document import front_matter_outline
    from l10n.errors import L10nError

    text = f"---\n{front_matter}---\nBody\n"
    with pytest.raises(L10nError):
        parse_document(text, "x.md")
    with pytest.raises(L10nError):
        front_matter_outline(text, "x.md")


def _front_matter(lines: list[str]) -> str:
    return "---\n" + "\n".join(lines) + "\n---\n\n# Body\n"


def test_an_unterminated_quote_is_reported_where_it_opened():
    # Line 7 of the file opens a quote never closed; 13 more lines follow, and
    # libyaml gives up at the end of the front matter: the closing fence, line 21.
    lines = [f"key{i}: value {i}" for i in range(1, 6)] + ['note: "never closed'] + [f"more{i}: x" for i in range(13)]
    with pytest.raises(DocumentError) as caught:
        parse_document(_front_matter(lines), "seeds/q.md")
    assert caught.value.line == 7, str(caught.value)
    assert "quoted scalar" in caught.value.message and "(at line 21)" in caught.value.message


def test_the_first_python_tag_in_the_text_is_the_one_named():
    lines = ["title: x", "a: 1", "first: !!python/name:os.system ''", "b: [1, 2]",
             "second: !!python/object/apply:os.system ['touch /tmp/l10n-pwned']",
             "third: {k: !!python/tuple [1]}"]
    with pytest.raises(DocumentError) as caught:
        parse_document(_front_matter(lines), "seeds/t.md")
    assert caught.value.line == 4, str(caught.value)  # line 1 is the fence
    assert "python/name:os.system" in caught.value.message
    assert not Path("/tmp/l10n-pwned").exists()


def test_a_tag_inside_a_nested_value_is_found_in_text_order():
    lines = ["title: x", "list:", "  - plain", "  - !!python/tuple [1]", "later: !!python/object:x {}"]
    with pytest.raises(DocumentError) as caught:
        parse_document(_front_matter(lines), "seeds/t.md")
    assert caught.value.line == 5 and "python/tuple" in caught.value.message
