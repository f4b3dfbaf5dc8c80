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


# -- TOML (Hugo) and JSON front matter ------------------------------------------------


def _split_front_matter(text: str, fmt: str) -> tuple[str, str]:
    """The front matter and the body of a built sheet, cut by hand (not by l10n)."""
    if fmt == "toml":
        _, front, body = text.split("+++\n", 2)
        return front, body
    end = text.index("\n}\n") + 2
    return text[:end], text[end + 1:]


@pytest.mark.parametrize("case, fmt", [("hugo-toml", "toml"), ("json-front", "json")])
def test_toml_and_json_front_matter_round_trip_byte_exact(case, fmt, tmp_path):
    import json
    import tomllib

    import polib

    from conftest import fill_identity, msgfmt_check, run_l10n

    (tmp_path / "seeds").mkdir()
    source = (CASES / f"{case}.md").read_bytes()
    (tmp_path / "seeds" / f"{case}.md").write_bytes(source)
    (tmp_path / "l10n.toml").write_text('locales = ["es"]\n')
    for command in ("extract", "update", "build"):
        run_l10n(tmp_path, command, *(() if command == "extract" else ("--locale", "es")), check=True)
    po_path = tmp_path / "locales" / "es" / "LC_MESSAGES" / f"{case}.po"
    msgfmt_check(po_path)
    catalog = polib.pofile(str(po_path))
    title = next(e for e in catalog if e.msgctxt == "front-matter:title")
    original = {"hugo-toml": "Aspirin - NCI", "json-front": "Ibuprofen - NCI"}[case]
    assert title.msgid == original and title.occurrences == [(f"seeds/{case}.md", "2" if fmt == "json" else "3")]

    # Nothing translated: the English text, byte for byte, but for the language and the added keys.
    load = tomllib.loads if fmt == "toml" else json.loads
    built = (tmp_path / "build" / "es" / f"{case}.md").read_text()
    front, body = _split_front_matter(built, fmt)
    english_front, english_body = _split_front_matter(source.decode(), fmt)
    assert body == english_body
    meta, english = load(front), load(english_front)
    assert meta.pop("language") == "es" and english.pop("language") == "en"
    assert meta.pop("translationSource") == f"seeds/{case}.md"
    assert meta.pop("translationStatus") == "partial"
    assert meta.pop("translationSourceHash").startswith("sha256:")
    assert meta == english
    kept_lines = [line for line in front.splitlines() if not line.lstrip(' "').startswith(("translation", "language"))]
    assert kept_lines == [line for line in english_front.splitlines() if "language" not in line]

    # A translated title (with quotes and a colon) goes in its own format's quoting.
    fill_identity(po_path)
    catalog = polib.pofile(str(po_path))
    next(e for e in catalog if e.msgctxt == "front-matter:title").msgstr = 'Aspirina: "NCI" \\ ácido'
    catalog.save()
    run_l10n(tmp_path, "build", "--locale", "es", check=True)
    built = (tmp_path / "build" / "es" / f"{case}.md").read_text()
    front, body = _split_front_matter(built, fmt)
    meta = load(front)
    assert meta["title"] == 'Aspirina: "NCI" \\ ácido' and meta["translationStatus"] == "reviewed"
    assert body == english_body
    if fmt == "toml":
        assert meta["params"]["title"] == "A table's own title is not the sheet's"
        assert 'summary = """\nMulti-line strings stay as they are.\ntitle = "not a key"\n"""' in front
    # The built sheet reads back through l10n itself, with the same metadata.
    doc = parse_document(built, f"build/es/{case}.md")
    assert doc.format == fmt and doc.metadata == meta


def test_a_toml_value_keeps_literal_quoting_where_it_can():
    doc = parse_document("+++\ntitle = 'Aspirin'\n+++\n\nBody.\n", "seeds/a.md")
    from l10n.document import format_scalar, front_matter_edits
    from l10n.segment import splice

    assert doc.scalars["title"].style == "toml'"
    text = splice(doc.text, front_matter_edits(doc, {"title": "Aspirina"}))
    assert text == "+++\ntitle = 'Aspirina'\n+++\n\nBody.\n"
    assert format_scalar("it's", "toml'") == '"it\'s"'


@pytest.mark.parametrize("value", ["plain", "it's", 'say "hi"', "back\\slash", "tab\there", "line\nbreak",
                                   "del\x7fchar", "bell\x07", "ñandú 10 mg/m²", "#not a comment", ""])
def test_toml_and_json_strings_read_back_as_the_same_string(value):
    import json
    import tomllib

    from l10n.document import format_scalar

    for quote in ("toml'", 'toml"'):
        assert tomllib.loads("k = " + format_scalar(value, quote)) == {"k": value}
    assert json.loads(format_scalar(value, 'json"')) == value


@pytest.mark.parametrize(
    "text, line, words",
    [
        ("+++\ntitle = \"x\"\nbad = \n+++\n", 3, "not valid TOML"),
        ("+++\ntitle = \"x\"\n\nnever closed\n", 1, "never closed by a '+++' line"),
        ('{\n  "title": "x",\n  "a": [1,\n}\n', 4, "not valid JSON"),
        ('{\n  "title": "x",\n  "title": "y"\n}\n', 3, "given twice"),
        ("+++\ntitle = \"x\"\n+++\n\n" + "> " * 11 + "deep\n", 5, "lists or block quotes nested 11 deep"),
    ],
)
def test_bad_toml_and_json_front_matter_name_the_line(text, line, words):
    with pytest.raises(DocumentError) as caught:
        parse_document(text, "seeds/bad.md")
    assert caught.value.line == line, str(caught.value)
    assert words in caught.value.message


def test_front_matter_formats_are_recognised_by_python_frontmatter():
    from l10n.front_matter import detect_format

    assert detect_format("---\ntitle: x\n---\n") == "yaml"
    assert detect_format("+++\ntitle = 'x'\n+++\n") == "toml"
    assert detect_format('{\r\n"title": "x"\r\n}\r\n') == "json"
    assert detect_format("# just Markdown\n") is None
