"""Document: one source sheet, front matter plus Markdown body, kept byte-exact.

The front matter is YAML (``---``), TOML (``+++``, as Hugo writes it) or JSON
(``{ ... }``); :mod:`l10n.front_matter` recognises which, with python-frontmatter.

A :class:`Document` holds the file's text exactly as read (line endings,
quoting, comments and all) and the offsets of its parts, so that later stages
can replace a few spans and leave every other byte alone.  Reading and parsing
are free functions; the model does no I/O.

>>> doc = parse_document("---\\ntitle: Aspirin\\n---\\n\\n# Aspirin\\n", "a.md")
>>> doc.metadata["title"], doc.body_line, doc.body
('Aspirin', 4, '\\n# Aspirin\\n')
"""

from __future__ import annotations

import bisect
import hashlib
import json
import os
import re
import sys
import tomllib
from functools import cached_property, lru_cache
from itertools import accumulate
from typing import Any, Mapping, NamedTuple

# PyYAML's pure-Python reader compiles, when yaml is imported, a character
# class of every printable code point; Python's regex compiler takes about
# 30 ms over it, a third of l10n's start-up, for a reader l10n never uses
# (libyaml reads the front matter).  Its complement matches exactly the same
# characters and compiles in a fraction of a millisecond; left in re's cache
# under the original pattern, it is what yaml gets.  Should re's cache work
# differently some day, yaml just compiles its own (a test checks both the
# equivalence and that the shortcut still takes effect).
YAML_NON_PRINTABLE = "[^\x09\x0A\x0D\x20-\x7E\x85\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010ffff]"
YAML_NON_PRINTABLE_COMPLEMENT = "[\x00-\x08\x0B\x0C\x0E-\x1F\x7F-\x84\x86-\x9F\uD800-\uDFFF\uFFFE\uFFFF]"
if "yaml" not in sys.modules and isinstance(getattr(re, "_cache", None), dict):
    re._cache.setdefault((str, YAML_NON_PRINTABLE, 0), re.compile(YAML_NON_PRINTABLE_COMPLEMENT))

import yaml  # noqa: E402

from .errors import DocumentError
from .front_matter import detect_format, format_key, format_toml_string, json_members, load_metadata, toml_members

from .files import read_text

__all__ = [
    "MAX_SHEET_SIZE",
    "MAX_NESTING",
    "Document",
    "sheet_slug",
    "sheet_name_problem",
    "FrontMatterValue",
    "parse_document",
    "read_document",
    "front_matter_values",
    "format_yaml_scalar",
    "format_scalar",
    "front_matter_edits",
]

# Limits for hostile input.  A real sheet is 5-40 KB with lists three deep; a
# 50 MB sheet cost 2.65 GB in 'release --draft', so anything over 2 MiB is
# refused before it is parsed.
MAX_SHEET_SIZE = 2 * 1024 * 1024  # bytes of UTF-8
# Nested list items and block quotes.  At ten nested lists markdown-it (which
# renders the pages) stops nesting and drops the text (its commonmark preset
# nests 20 levels, two per list), and l10n's segment keys grow with the
# depth: 10,000 nested list markers in a 20 KB sheet took 1.2 GB.
MAX_NESTING = 9

# Line terminators as CommonMark (and markdown-it) count them.
_NEWLINE = re.compile(r"\r\n?|\n")
_FENCE_OPEN = re.compile(r"---[ \t]*(?:\r\n?|\n)")
_FENCE_CLOSE = re.compile(r"(?:---|\.\.\.)[ \t]*(?:\r\n?|\n|\Z)")
_TOML_OPEN = re.compile(r"\+\+\+[ \t]*(?:\r\n?|\n)")
_TOML_CLOSE = re.compile(r"\+\+\+[ \t]*(?:\r\n?|\n|\Z)")
_LINE_END = re.compile(r"[ \t]*(?:\r\n?|\n|\Z)")


class FrontMatterValue(NamedTuple):
    """Where a top-level front-matter scalar sits in the document text."""

    key: str
    value: Any
    start: int  # offsets into Document.text of the value as written
    end: int
    style: str | None  # YAML: None (plain), "'" or '"', "|" / ">" for block scalars; 'toml"', "toml'", 'json"'
    line: int


class Document:
    """A sheet as read: the whole text, and where its front matter and body are.

    Immutable once made.  (A plain class rather than a frozen dataclass: the
    dataclasses module costs every l10n command 20 ms to import.)
    """

    __slots__ = ("path", "text", "front_matter", "front_matter_start", "front_matter_end", "body_start",
                 "scalars", "keys", "format", "__dict__")  # __dict__ holds the cached properties

    path: str
    text: str
    front_matter: str  # YAML/TOML: the text between the fences; JSON: the object, braces included
    front_matter_start: int  # offset of that text in ``text``
    front_matter_end: int  # offset just after it (YAML/TOML: the closing fence line)
    body_start: int  # offset of the first body character
    scalars: Mapping[str, FrontMatterValue]  # top-level string values and where they are written
    keys: tuple[str, ...]  # top-level keys, in order
    format: str  # "yaml", "toml" or "json"

    def __init__(self, path: str, text: str, front_matter: str, front_matter_start: int, front_matter_end: int,
                 body_start: int, scalars: Mapping[str, FrontMatterValue] | None = None,
                 keys: tuple[str, ...] = (), format: str = "yaml"):
        for name, value in (("path", path), ("text", text), ("front_matter", front_matter),
                            ("front_matter_start", front_matter_start), ("front_matter_end", front_matter_end),
                            ("body_start", body_start), ("scalars", {} if scalars is None else scalars),
                            ("keys", keys), ("format", format)):
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"a Document cannot be changed ({name!r})")

    def _identity(self) -> tuple:
        return (self.path, self.text, self.front_matter, self.front_matter_start, self.front_matter_end,
                self.body_start)

    def __eq__(self, other: object) -> bool:
        return self._identity() == other._identity() if isinstance(other, Document) else NotImplemented

    def __hash__(self) -> int:
        return hash(self._identity())

    def __repr__(self) -> str:
        return f"Document(path={self.path!r}, {len(self.text)} characters, keys={self.keys!r})"

    @cached_property
    def metadata(self) -> Mapping[str, Any]:
        """The front matter as data (built on first use: most stages need only ``scalars``)."""
        if not self.keys:
            return {}
        if self.format != "yaml":  # read (and checked) when parsed: cannot fail now
            return load_metadata(self.format, self.front_matter)
        loader = _SafeLoader(self.front_matter)
        try:
            return loader.get_single_data()
        except (yaml.YAMLError, ValueError) as err:  # ValueError: e.g. a date like 2025-02-30
            raise DocumentError(f"front matter value cannot be read: {err}", self.path, self.front_matter_line) from None
        finally:
            loader.dispose()

    @cached_property
    def body(self) -> str:
        return self.text[self.body_start :]

    @property
    def body_line(self) -> int:
        return self.line_at(self.body_start)

    @property
    def front_matter_line(self) -> int:
        # Only the opening fence (and a BOM) come before it: no need to
        # number every line of the sheet.
        return len(_NEWLINE.findall(self.text, 0, self.front_matter_start)) + 1

    @cached_property
    def line_starts(self) -> list[int]:
        text = self.text
        if "\r" in text:
            return [0] + [m.end() for m in _NEWLINE.finditer(text)]
        # The common case, several times faster than a regex per line.
        return [0, *accumulate(len(line) + 1 for line in text.split("\n")[:-1])]

    def line_at(self, offset: int) -> int:
        """1-based line number of a character offset."""
        return bisect.bisect_right(self.line_starts, offset)

    @cached_property
    def newline(self) -> str:
        """The line ending the file mostly uses, for lines we add."""
        text = self.text
        crlf = text.count("\r\n")
        counts = {"\n": text.count("\n") - crlf, "\r\n": crlf, "\r": text.count("\r") - crlf}
        if not any(counts.values()):
            return "\n"
        return max(("\n", "\r\n", "\r"), key=counts.__getitem__)

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def slug(self) -> str:
        return sheet_slug(self.path)


def sheet_slug(path: str | os.PathLike) -> str:
    """The name a sheet's POT, PO and built files take: its file name without ``.md``.

    The one rule every command uses (it is ``Path(path).stem`` for a sheet):
    ``os.path.splitext`` would keep ``..md`` whole where ``stem`` gives ``.``.

    >>> sheet_slug("seeds/carfilzomib.md"), sheet_slug("seeds/a.b.md")
    ('carfilzomib', 'a.b')
    """
    name = os.path.basename(os.fspath(path))
    return name[:-3] if name.endswith(".md") else os.path.splitext(name)[0]


def sheet_name_problem(name: str) -> str | None:
    """Why a file name cannot be a sheet's (None if it can).

    Its slug names the PO files and its path is written into every PO
    reference (``#: seeds/name.md:12``), where a space separates references
    and a line break ends the comment: a name with either made a PO file l10n
    itself rejects.  Hidden names (``.x.md``, ``..md``) are refused too:
    their slugs make hidden or odd files (``..po``) that tools skip.

    >>> sheet_name_problem("carfilzomib.md") is None
    True
    >>> sheet_name_problem("my sheet.md")
    'a file name with a space or a control character cannot be written in a PO reference'
    """
    if name.startswith("."):
        return "a file name starting with '.' is hidden and would make a hidden PO file"
    if not name.endswith(".md") or len(name) == 3:
        return "a sheet's file name is a name followed by '.md'"
    if not name.isprintable() or any(char.isspace() for char in name):
        return "a file name with a space or a control character cannot be written in a PO reference"
    return None


def shown_name(text: str) -> str:
    """A file name as messages show it: one line, control characters escaped."""
    return text if text.isprintable() else repr(text)[1:-1]


def read_document(path: str | os.PathLike, display_path: str | None = None) -> Document:
    """Read and parse a sheet; ``display_path`` is how errors and PO references name it."""
    shown = display_path or str(path)
    try:
        text = read_text(path, shown)
    except OSError as err:
        raise DocumentError(f"cannot read: {err.strerror}", shown) from None
    return parse_document(text, shown)


def parse_document(text: str, path: str, max_size: int = MAX_SHEET_SIZE) -> Document:
    """Split ``text`` into front matter (YAML, TOML or JSON) and body; read the front matter safely.

    Only plain data is accepted: a YAML tag that would build an object is an
    error, never executed, and so is a YAML alias (``*name``: 500 bytes of
    them can stand for billions of values).  A sheet over ``max_size`` bytes,
    or with lists or quotes nested deeper than :data:`MAX_NESTING`, is
    refused before any parsing.
    """
    _check_size(text, path, max_size)
    doc = _split(text, path)
    _check_nesting(text, path, doc.body_start)
    if doc.format == "yaml":
        keys, scalars = _read_yaml(doc)
    else:
        keys, scalars = _read_other(doc)
    object.__setattr__(doc, "keys", keys)
    object.__setattr__(doc, "scalars", scalars)
    return doc


def _split(text: str, path: str) -> Document:
    """A Document with its parts found but its front matter not yet read."""
    start = 1 if text.startswith("\ufeff") else 0
    fmt = detect_format(text[start:] if start else text)
    if fmt == "json":
        front_matter_end, body_start = _json_bounds(text, path, start)
        front_matter_start = start
    elif fmt == "toml":
        front_matter_start, closing = _front_matter_bounds(text, path, _TOML_OPEN, _TOML_CLOSE, "+++")
        front_matter_end, body_start = closing.start(), closing.end()
    else:
        front_matter_start, closing = _front_matter_bounds(text, path)
        front_matter_end, body_start = closing.start(), closing.end()
    return Document(path=path, text=text, front_matter=text[front_matter_start:front_matter_end],
                    front_matter_start=front_matter_start, front_matter_end=front_matter_end,
                    body_start=body_start, format=fmt or "yaml")


def _json_bounds(text: str, path: str, start: int) -> tuple[int, int]:
    """Where a JSON front matter's object ends, and the body starts (the rest of that line is blank)."""
    try:
        _, end = json.JSONDecoder().raw_decode(text, start)
    except json.JSONDecodeError as err:
        raise DocumentError(f"front matter is not valid JSON: {err.msg}", path, err.lineno) from None
    except RecursionError:
        raise DocumentError("front matter is nested too deeply", path, 1) from None
    after = _LINE_END.match(text, end)
    if after is None:
        raise DocumentError("the JSON front matter's closing '}' must end its line", path,
                            len(_NEWLINE.findall(text, 0, end)) + 1)
    return end, after.end()


def _read_other(doc: Document) -> tuple[tuple[str, ...], dict[str, FrontMatterValue]]:
    """TOML or JSON front matter: checked by reading it, and each top-level string's span."""
    first_line = doc.front_matter_line
    try:
        metadata = load_metadata(doc.format, doc.front_matter)
    except tomllib.TOMLDecodeError as err:
        message = str(err)
        line = re.search(r"\(at line (\d+)", message)
        raise DocumentError(f"front matter is not valid TOML: {message.split(' (at line')[0]}", doc.path,
                            first_line + int(line.group(1)) - 1 if line else first_line) from None
    except json.JSONDecodeError as err:
        raise DocumentError(f"front matter is not valid JSON: {err.msg}", doc.path,
                            first_line + err.lineno - 1) from None
    except RecursionError:
        raise DocumentError("front matter is nested too deeply", doc.path, first_line) from None
    except ValueError as err:
        raise DocumentError(f"front matter cannot be read: {err}", doc.path, first_line) from None
    if not isinstance(metadata, dict):
        raise DocumentError("front matter must be a mapping of keys to values", doc.path, first_line)
    if doc.format == "json":
        keys, members = json_members(doc.front_matter, doc.path, first_line)
    else:
        keys, members = tuple(metadata), toml_members(doc.front_matter, metadata)
    scalars = {}
    for member in members:
        start, end = doc.front_matter_start + member.start, doc.front_matter_start + member.end
        scalars[member.key] = FrontMatterValue(member.key, member.value, start, end, member.style,
                                               doc.line_at(start))
    return keys, scalars


def _check_size(text: str, path: str, max_size: int) -> None:
    # len() counts characters, at most the bytes: encode only when it could matter.
    if len(text) > max_size or (len(text) * 4 > max_size and len(text.encode("utf-8")) > max_size):
        raise DocumentError(f"the sheet is larger than {max_size:,} bytes, the limit for one sheet; "
                            "split it", path)


# Nesting is counted on each line, before any parsing: every list marker or
# '>' opening the line counts one, and so do every two columns of indentation
# (a nested item sits under its parent's text).  Only lines with three markers
# or six columns of indentation are looked at closely.
_MARKER = r"(?:>|[-+*](?=[ \t\r\n]|$)|\d{1,9}[.)](?=[ \t\r\n]|$))"
_SUSPECT = re.compile(rf"^(?:[ \t]{{6,}}|[ \t]*+(?:{_MARKER}[ \t]*+){{3,}})", re.MULTILINE)
_PREFIX = re.compile(rf"([ \t]*+)((?:{_MARKER}[ \t]*+)*+)(.*)")
_THEMATIC_BREAK = re.compile(r"[ \t]*([-*_])(?:[ \t]*\1){2,}[ \t]*\r?")


def _check_nesting(text: str, path: str, body_start: int) -> None:
    """Refuse lists or block quotes nested deeper than :data:`MAX_NESTING` (one regex pass)."""
    for suspect in _SUSPECT.finditer(text, body_start):
        prefix = _PREFIX.match(text, suspect.start())
        indent, markers = prefix.group(1), prefix.group(2)
        depth = len(indent.expandtabs(4)) // 2 + len(re.findall(_MARKER, markers))
        if depth <= MAX_NESTING or _THEMATIC_BREAK.fullmatch(prefix.group()):  # "- - - -" is a rule
            continue
        line = len(_NEWLINE.findall(text, 0, suspect.start())) + 1
        raise DocumentError(f"lists or block quotes nested {depth} deep (counting markers and every two "
                            f"columns of indentation); the limit is {MAX_NESTING}", path, line)


def _front_matter_bounds(text: str, path: str, opening_fence: re.Pattern = _FENCE_OPEN,
                         closing_fence: re.Pattern = _FENCE_CLOSE, fence: str = "---") -> tuple[int, re.Match]:
    """Where the front matter starts, and the closing fence's match."""
    opening = opening_fence.match(text, 1 if text.startswith("\ufeff") else 0)
    if not opening:
        raise DocumentError("no front matter: a sheet must begin with a '---' (YAML), '+++' (TOML) "
                            "or '{' (JSON) line", path, 1)
    start = opening.end()
    for line_start in _line_starts_from(text, start):
        closing = closing_fence.match(text, line_start)
        if closing:
            return start, closing
    raise DocumentError(f"front matter is never closed by a '{fence}' line", path, 1)


def front_matter_outline(text: str, path: str) -> tuple[tuple[str, ...], dict[str, str], int]:
    """A sheet's top-level front-matter keys, its string values, and where its body starts.

    The front matter is checked as :func:`parse_document` checks it, but
    nothing is kept of where each value is written: in half the time, for
    proving that a built sheet still reads as it should.
    """
    doc = _split(text, path)
    if doc.format != "yaml":
        keys, scalars = _read_other(doc)
        return keys, {key: value.value for key, value in scalars.items()}, doc.body_start
    root = _yaml_root(doc)
    if root is None:
        return (), {}, doc.body_start
    keys: list[str] = []
    strings: dict[str, str] = {}
    for key_node, value_node in root.value:
        if not isinstance(key_node, yaml.ScalarNode) or key_node.value in keys:
            raise DocumentError("front-matter keys must be plain, distinct names", path,
                                doc.front_matter_line + key_node.start_mark.line)
        keys.append(key_node.value)
        if isinstance(value_node, yaml.ScalarNode) and value_node.tag == _STR_TAG:
            strings[key_node.value] = value_node.value
    return tuple(keys), strings, doc.body_start


def document_parts(doc: Document) -> list:
    """What :func:`document_from_parts` needs besides the text: plain data, for a cache."""
    return [doc.front_matter_start, doc.front_matter_end, doc.body_start, list(doc.keys),
            [list(value) for value in doc.scalars.values()], doc.format]


def document_from_parts(text: str, path: str, parts: list) -> Document:
    """The Document :func:`parse_document` made of ``text``, from its :func:`document_parts`."""
    start, end, body_start, keys, scalars, fmt = parts
    return Document(path=path, text=text, front_matter=text[start:end], front_matter_start=start,
                    front_matter_end=end, body_start=body_start, keys=tuple(keys),
                    scalars={value[0]: FrontMatterValue(*value) for value in scalars}, format=fmt)


def _line_starts_from(text: str, offset: int):
    yield offset
    for match in _NEWLINE.finditer(text, offset):
        yield match.end()


def _yaml_error(doc: Document, err: yaml.YAMLError) -> DocumentError:
    """Our error for a YAML one, at the line where the trouble begins.

    libyaml's ``problem_mark`` is where it gave up.  For a quote or bracket
    never closed that is the end of the front matter, lines below the cause;
    the ``context_mark`` is where the quote or bracket opened, the line to fix.
    """
    problem_mark = getattr(err, "problem_mark", None)
    context_mark = getattr(err, "context_mark", None)
    problem = getattr(err, "problem", None) or str(err)
    context = getattr(err, "context", None) or ""
    unclosed = "end of stream" in problem or context.startswith("while parsing a flow")
    mark = context_mark if (unclosed and context_mark is not None) else (problem_mark or context_mark)
    line = doc.front_matter_line + mark.line if mark is not None else doc.front_matter_line
    if context and (unclosed or "constructor" in context + problem):
        problem = f"{context}: {problem}"
        if unclosed and problem_mark is not None and mark is context_mark:
            problem += f" (at line {doc.front_matter_line + problem_mark.line})"
    return DocumentError(f"front matter is not valid YAML: {problem}", doc.path, line)


# libyaml when PyYAML was built with it (it is, in the wheels): ten times faster.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


# Tags the safe loader builds plain data from; anything else (!!python/object,
# a custom !tag) would build an object, so a sheet using one is refused.
_STR_TAG = "tag:yaml.org,2002:str"
_PLAIN_TAGS = frozenset(
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "timestamp", "binary", "seq", "map", "set",
                 "omap", "pairs", "merge", "value")
)


def _check_nodes(doc: Document, node: yaml.Node) -> None:
    """Refuse tags that would build objects, and aliases; report the first in the text.

    The walk visits nodes in document order and each node once: an alias is
    the same node met again (an alias bomb is a few nodes met billions of
    times, and a naive walk took a minute over 500 bytes).
    """
    stack = [node]
    seen: set[int] = set()
    while stack:
        current = stack.pop()
        if id(current) in seen:
            raise DocumentError("front matter uses a YAML alias (*name); aliases are not allowed, "
                                "write the value out", doc.path, doc.front_matter_line + _first_alias_line(doc))
        seen.add(id(current))
        if current.tag not in _PLAIN_TAGS:
            raise DocumentError(
                f"front matter is not valid YAML: the tag {current.tag!r} would build an object; "
                "only plain data is allowed (could not determine a constructor)",
                doc.path,
                doc.front_matter_line + current.start_mark.line,
            )
        # Pushed last to first, so the first in the text comes off the stack first.
        if isinstance(current, yaml.MappingNode):
            for key, value in reversed(current.value):
                stack.extend((value, key))
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(reversed(current.value))


def _first_alias_line(doc: Document) -> int:
    """0-based line of the first alias in the front matter (only when there is one)."""
    loader = _SafeLoader(doc.front_matter)
    try:
        while (event := loader.get_event()) is not None:
            if isinstance(event, yaml.AliasEvent):
                return event.start_mark.line
    finally:
        loader.dispose()
    return 0


def _compose(text: str) -> yaml.Node | None:
    """libyaml's node graph of one YAML document: tags resolved, no Python objects built."""
    loader = _SafeLoader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def _yaml_root(doc: Document) -> yaml.MappingNode | None:
    """The front matter's top-level mapping as libyaml reads it (None if empty), tags checked."""
    if not doc.front_matter.strip():
        return None
    try:
        root = _compose(doc.front_matter)
    except yaml.YAMLError as err:
        raise _yaml_error(doc, err) from None
    if root is None:
        return None
    if not isinstance(root, yaml.MappingNode):
        raise DocumentError(
            "front matter must be a mapping of keys to values", doc.path, doc.front_matter_line
        )
    _check_nodes(doc, root)
    return root


def _read_yaml(doc: Document) -> tuple[tuple[str, ...], dict[str, FrontMatterValue]]:
    """Check the front matter and find where each top-level string value is written.

    Only parsing happens here (in C); turning it into data waits for
    :attr:`Document.metadata`.
    """
    root = _yaml_root(doc)
    if root is None:
        return (), {}
    first_line = doc.front_matter_line
    seen: dict[str, int] = {}
    scalars: dict[str, FrontMatterValue] = {}
    for key_node, value_node in root.value:
        line = first_line + key_node.start_mark.line
        if not isinstance(key_node, yaml.ScalarNode):
            raise DocumentError("front-matter keys must be plain names", doc.path, line)
        if key_node.value in seen:
            raise DocumentError(
                f"front-matter key {key_node.value!r} is given twice (first on line {seen[key_node.value]})",
                doc.path,
                line,
            )
        seen[key_node.value] = line
        if isinstance(value_node, yaml.ScalarNode) and value_node.tag == _STR_TAG:
            start = doc.front_matter_start + value_node.start_mark.index
            end = doc.front_matter_start + value_node.end_mark.index
            # Block scalars (| and >) end after their final line break; keep it.
            if value_node.style in ("|", ">"):
                while end > start and doc.text[end - 1] in "\r\n":
                    end -= 1
            scalars[key_node.value] = FrontMatterValue(
                key=key_node.value,
                value=value_node.value,
                start=start,
                end=end,
                style=value_node.style or None,  # libyaml says "" for plain
                line=first_line + value_node.start_mark.line,
            )
    return tuple(seen), scalars


def front_matter_values(doc: Document) -> Mapping[str, FrontMatterValue]:
    """Top-level front-matter keys whose values are strings, with their exact spans."""
    return doc.scalars


def _reads_back_plain(value: str) -> bool:
    """Whether ``k: value`` is a mapping of k to the string ``value``, as YAML reads it.

    The node graph says so without building Python objects, in half the time.
    """
    try:
        root = _compose(f"k: {value}")
    except yaml.YAMLError:
        return False
    if not isinstance(root, yaml.MappingNode) or len(root.value) != 1:
        return False
    key, node = root.value[0]
    return (isinstance(key, yaml.ScalarNode) and key.tag == _STR_TAG and key.value == "k"
            and isinstance(node, yaml.ScalarNode) and node.tag == _STR_TAG and node.value == value)



@lru_cache(maxsize=4096)  # the same values ("es", "reviewed", a title) recur on every sheet
def format_yaml_scalar(value: str, style: str | None = None) -> str:
    """Write ``value`` as a one-line YAML scalar, in ``style`` where that is safe.

    >>> format_yaml_scalar("Bortezomib - NCI")
    'Bortezomib - NCI'
    >>> format_yaml_scalar("Sí: 2 mg")
    "'Sí: 2 mg'"
    >>> format_yaml_scalar("línea\\ndos", "'")
    '"línea\\\\ndos"'
    """
    one_line = "\n" not in value and "\r" not in value
    # Plain only when libyaml reads it back as itself, and printable: a tab is
    # plain to libyaml but not to PyYAML's own reader, nor to every other tool.
    if style is None and one_line and value == value.strip() and value.isprintable() and value \
            and _reads_back_plain(value):
        return value
    if style in (None, "'") and one_line and value.isprintable():
        return "'" + value.replace("'", "''") + "'"
    # JSON strings are valid YAML double-quoted scalars.
    return json.dumps(value, ensure_ascii=False)


def format_scalar(value: str, style: str | None = None) -> str:
    """Write ``value`` as a one-line front-matter string in the format and ``style`` it replaces.

    >>> format_scalar("Sí: 2 mg"), format_scalar("Sí: 2 mg", "toml'"), format_scalar("Sí", 'json"')
    ("'Sí: 2 mg'", "'Sí: 2 mg'", '"Sí"')
    """
    if style is not None and style.startswith("toml"):
        return format_toml_string(value, style[4:])
    if style is not None and style.startswith("json"):
        return json.dumps(value, ensure_ascii=False)
    return format_yaml_scalar(value, style)


def front_matter_edits(doc: Document, values: Mapping[str, str]) -> list[tuple[int, int, str]]:
    """The ``(start, end, text)`` edits that set top-level string ``values``, every other byte kept.

    A key already there has its value replaced where it is written, in its
    own quoting; a new key is added as the format wants it: at the end of a
    YAML front matter, at the start of a TOML one (before any ``[table]``
    could claim it) and of a JSON object.
    """
    spans = doc.scalars
    edits, added = [], []
    for key, value in values.items():
        if key in spans:
            span = spans[key]
            if span.value != value:
                edits.append((span.start, span.end, format_scalar(value, span.style)))
        elif key in doc.keys:
            raise DocumentError(f"front-matter key {key!r} must be a plain string written on one line", doc.path,
                                doc.front_matter_line)
        else:
            added.append((key, value))
    if not added:
        return edits
    newline = doc.newline
    if doc.format == "toml":
        lines = "".join(f"{format_key('toml', key)} = {format_toml_string(value)}{newline}" for key, value in added)
        edits.append((doc.front_matter_start, doc.front_matter_start, lines))
    elif doc.format == "json":
        first = _JSON_FIRST_MEMBER.match(doc.front_matter)
        indent = first.group(1) if first else "  "
        members = [f"{newline}{indent}{format_key('json', key)}: {json.dumps(value, ensure_ascii=False)}"
                   for key, value in added]
        tail = "," if doc.keys else ""
        edits.append((doc.front_matter_start + 1, doc.front_matter_start + 1, ",".join(members) + tail))
    else:
        closing = doc.front_matter_end
        # A front matter whose last line has no line ending needs one first.
        lead = "" if closing == doc.front_matter_start or doc.text[closing - 1] in "\r\n" else newline
        lines = "".join(f"{key}: {format_yaml_scalar(value)}{newline}" for key, value in added)
        edits.append((closing, closing, lead + lines))
    return edits


_JSON_FIRST_MEMBER = re.compile(r"\{[ \t]*(?:\r\n?|\n)([ \t]*)\"")
