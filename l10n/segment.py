"""Split a Document into translatable Segments, and put translations back.

Segmentation rules
==================

The body is parsed with markdown-it-py (CommonMark, plus GFM tables and
strikethrough).  These become one segment each:

* a heading (``heading``), ATX or setext;
* a paragraph (``paragraph``);
* a paragraph inside a list item (``list-item``) or a block quote
  (``blockquote``);
* a table cell (``table-cell``), header cells included;
* the alt text of an image that stands alone in a paragraph (``image-alt``);
* each configured front-matter key whose value is a string (``front-matter``).

Never segments, kept byte for byte: the rest of the front matter, code blocks
(fenced or indented), HTML blocks, thematic breaks, link reference
definitions, blank lines, list markers and indentation, and any paragraph or
cell with no letter in it (a bare number, a lone link with no text).

What a translator sees (the msgid)
----------------------------------

The msgid is the segment's Markdown source with three changes, so that a
translator never retypes a URL and never breaks the sheet:

* a link ``[text](url "title")`` (or ``[text][ref]``) becomes ``[text][N]``;
  an image ``![alt](src)`` becomes ``![alt][N]``.  The translator translates
  the text and keeps ``[N]``; the build puts the source's own destination
  back, so a changed URL in the source changes no msgid and loses no
  translation.  The PO entry's extracted comment lists ``[N]: url``.
* an autolink ``<https://...>`` or an inline HTML tag becomes ``{N}``, to be
  kept as it is.
* a soft line break (a paragraph wrapped over several source lines) becomes a
  space; a hard line break (two trailing spaces or a backslash) becomes
  ``\\n``.

Emphasis, code spans, entities and backslash escapes stay as written.

Keys
----

Every segment has a stable key: the slug of the heading whose section it is in,
then a path inside the section, e.g. ``use-in-cancer/ul[1]/li[2]``,
``more-about-carfilzomib/p[3]``, ``use-in-cancer/h2`` for the heading itself,
``dosage/table[1]/r2c1`` for a table cell, ``front-matter/title``.  Text before
the first heading is in section ``top``.

Context
-------

Identical texts of the same kind in one sheet share one PO entry.  The same
text used as different kinds (a heading and a table cell, say) gets a
``msgctxt`` naming the kind on each, so each can be translated on its own.
Front-matter values always carry the context ``front-matter:<key>``.

Putting translations back
-------------------------

:func:`render` turns a translation into source form: ``[N]`` and ``{N}`` get
the source's exact text back, ``\\n`` the source's own hard-break syntax.  It
refuses (:class:`~l10n.errors.TranslationError`) a translation that drops,
repeats or invents a link or tag, or whose text would change the sheet's block
structure (a translated paragraph that starts with ``1.`` would become a list).
A translation equal to its msgid is never rendered: the build keeps the source's
bytes, which is what makes identity round trips byte-exact.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Iterable, Sequence

from markdown_it import MarkdownIt
from markdown_it.token import Token

from .document import Document, FrontMatterValue, format_yaml_scalar, front_matter_values
from .errors import DocumentError, TranslationError

__all__ = [
    "KINDS",
    "Placeholder",
    "Segment",
    "segment_document",
    "render",
    "splice",
    "block_structure",
]

KINDS = (
    "heading",
    "paragraph",
    "list-item",
    "blockquote",
    "table-cell",
    "image-alt",
    "front-matter",
)

_META = "l10n"  # key of our position records in Token.meta
_PLACEHOLDER_REF = re.compile(r"\[(\d+)\]")
_OPAQUE = re.compile(r"\{(\d+)\}")


@dataclass(frozen=True)
class Placeholder:
    """Something in a segment the translator keeps, numbered ``N`` in the msgid.

    ``kind`` is ``link`` or ``image`` (written ``[text][N]`` / ``![alt][N]``)
    or ``inline`` (an autolink or HTML tag, written ``{N}``).  ``source`` is the
    exact source text that replaces ``[N]`` (the link's destination part) or
    ``{N}`` (the whole object) when the sheet is rebuilt.
    """

    number: int
    kind: str
    source: str
    target: str
    label: str = ""  # a shortcut/collapsed reference's own text: its label if the text changes

    @property
    def token(self) -> str:
        return f"{{{self.number}}}" if self.kind == "inline" else f"[{self.number}]"


@dataclass(frozen=True)
class Segment:
    """One translatable string of a sheet and where it lives.

    ``start``/``end`` are offsets into :attr:`Document.text` of the span a
    translation replaces; ``line`` is its 1-based source line.
    """

    key: str
    kind: str
    text: str
    line: int
    start: int
    end: int
    placeholders: tuple[Placeholder, ...] = ()
    line_break: str = ""
    context: str | None = None
    yaml_style: str | None = None


# -- the parser ---------------------------------------------------------------


def _recording(rule_name: str, original):
    """Wrap a markdown-it inline rule so the tokens it makes remember their position.

    markdown-it gives inline tokens no source offsets; without them we could
    not replace a link's destination or keep a hard break's exact bytes.
    """

    def rule(state, silent: bool) -> bool:
        start = state.pos
        first = len(state.tokens)
        if not original(state, silent):
            return False
        if silent:
            return True
        made = state.tokens[first:]
        if rule_name == "link":
            label_end = state.md.helpers.parseLinkLabel(state, start, True)
            for token in made:
                if token.type == "link_open":
                    token.meta[_META] = ("link", start, label_end, state.pos)
                    break
        elif rule_name == "image":
            label_end = state.md.helpers.parseLinkLabel(state, start + 1, False)
            for token in made:
                if token.type == "image":
                    token.meta[_META] = ("image", start, label_end, state.pos)
                    break
        elif rule_name == "autolink":
            for token in made:
                if token.type == "link_open":
                    token.meta[_META] = ("inline", start, start, state.pos)
                    break
        elif rule_name == "html_inline":
            for token in made:
                if token.type == "html_inline":
                    token.meta[_META] = ("inline", start, start, state.pos)
        elif rule_name == "backticks":
            for token in made:
                if token.type == "code_inline":
                    token.meta[_META] = ("code", start, start, state.pos)
        elif made and made[-1].type in ("softbreak", "hardbreak"):
            # newline / escape: the break runs from any trailing marker to the
            # first character of the next line.
            marker = start
            if rule_name == "newline":
                while marker > 0 and state.src[marker - 1] == " ":
                    marker -= 1
            made[-1].meta[_META] = (made[-1].type, marker, marker, state.pos)
        return True

    return rule


@lru_cache(maxsize=None)
def markdown_parser() -> MarkdownIt:
    """The one CommonMark parser every stage shares (tables, strikethrough on)."""
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    for name in ("link", "image", "autolink", "html_inline", "backticks", "newline", "escape"):
        original = md.inline.ruler.__rules__[md.inline.ruler.__find__(name)].fn
        md.inline.ruler.at(name, _recording(name, original))
    return md


# -- mapping parser content back to the file ------------------------------------


class _SourceMap:
    """Maps offsets in a token's ``content`` back to offsets in the file.

    markdown-it builds a block's content from its lines with container prefixes
    (list indentation, ``>`` markers) and outer whitespace removed; each content
    line is therefore a suffix of its source line.
    """

    def __init__(self, doc: Document, lines: "_Lines", first_line: int, content: str, strip_last: bool = True):
        self.content = content
        self.bases: list[tuple[int, int, int]] = []  # (content start, file offset, virtual)
        cursor = 0
        parts = content.split("\n")
        for i, part in enumerate(parts):
            line_no = first_line + i
            if line_no >= len(lines.starts):
                raise DocumentError("cannot locate text in the source", doc.path, lines.number(line_no))
            source = lines.text_of(line_no)
            if i == len(parts) - 1 and strip_last:
                source = source.rstrip()
            visible = part.lstrip(" \t") if not source.endswith(part) else part
            if not source.endswith(visible):
                raise DocumentError(
                    "cannot locate this text in the source line (unusual tabs?)",
                    doc.path,
                    lines.number(line_no),
                )
            file_offset = lines.starts[line_no] + len(source) - len(visible)
            self.bases.append((cursor, file_offset, len(part) - len(visible)))
            cursor += len(part) + 1

    def __call__(self, offset: int) -> int:
        index = 0
        for i, (start, _, _) in enumerate(self.bases):
            if start <= offset:
                index = i
            else:
                break
        start, file_offset, virtual = self.bases[index]
        return file_offset + max(0, offset - start - virtual)


class _Lines:
    """The body's lines with their file offsets (markdown-it's line numbering)."""

    def __init__(self, doc: Document):
        self.doc = doc
        first = doc.line_at(doc.body_start) - 1
        self.starts = doc.line_starts[first:]
        self.first_number = first + 1
        self.ends = []
        text = doc.text
        for i, start in enumerate(self.starts):
            end = self.starts[i + 1] if i + 1 < len(self.starts) else len(text)
            while end > start and text[end - 1] in "\r\n":
                end -= 1
            self.ends.append(end)

    def text_of(self, line: int) -> str:
        return self.doc.text[self.starts[line] : self.ends[line]]

    def number(self, line: int) -> int:
        return self.first_number + line


# -- building segments ---------------------------------------------------------


def _slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"


def _plain(inline: Token) -> str:
    return "".join(
        child.content for child in inline.children or () if child.type in ("text", "code_inline")
    )


def _has_letters(text: str) -> bool:
    stripped = _OPAQUE.sub("", _PLACEHOLDER_REF.sub("", text))
    return any(ch.isalpha() for ch in stripped)


def _inline_segment(doc, where, key, kind, inline: Token, content: str, line: int, strip_last=True):
    """Make the Segment for one inline token, or None when there is nothing to translate."""
    lines, first_line = where
    to_file = _SourceMap(doc, lines, first_line, content, strip_last)
    children = list(inline.children or ())
    real = [c for c in children if not (c.type == "text" and not c.content.strip())]
    if len(real) == 1 and real[0].type == "image" and _META in real[0].meta:
        _, start, label_end, _ = real[0].meta[_META]
        alt = content[start + 2 : label_end]
        if not _has_letters(alt):
            return None
        return Segment(
            key=f"{key}/img",
            kind="image-alt",
            text=" ".join(alt.split()),
            line=line,
            start=to_file(start + 2),
            end=to_file(label_end),
        )

    edits: list[tuple[int, int, str]] = []
    objects: list[tuple[int, str, int, int, str]] = []  # (start, kind, cut_from, cut_to, target)
    line_break = ""
    for child in children:  # an image's alt tokens are its own: not walked
        record = child.meta.get(_META) if child.meta else None
        if not record:
            continue
        what, start, label_end, end = record
        if what in ("link", "image"):
            target = child.attrGet("href") if what == "link" else child.attrGet("src")
            objects.append((start, what, label_end + 1, end, str(target or "")))
            if what == "image":
                # An alt text wrapped over lines is one line in the msgid.
                for nl in range(start, label_end):
                    if content[nl] == "\n":
                        edits.append((nl, nl + 1, " "))
        elif what == "inline":
            target = child.attrGet("href") if child.type == "link_open" else ""
            objects.append((start, "inline", start, end, str(target or "")))
        elif what == "softbreak":
            edits.append((start, end, " "))
        elif what == "hardbreak":
            edits.append((start, end, "\n"))
            if not line_break:
                line_break = doc.text[to_file(start) : to_file(end)]

    placeholders = []
    for number, (start, what, cut_from, cut_to, target) in enumerate(sorted(objects), 1):
        source = doc.text[to_file(cut_from) : to_file(cut_to)]
        label = ""
        if what != "inline" and source in ("", "[]"):
            # A shortcut or collapsed reference uses its text as the label; once
            # the text is translated the label must be written out.
            label = content[start + (2 if what == "image" else 1) : cut_from - 1]
        placeholder = Placeholder(number, what, source, target, label)
        placeholders.append(placeholder)
        edits.append((cut_from, cut_to, placeholder.token))

    text = splice(content, edits)
    if not _has_letters(text):
        return None
    return Segment(
        key=key,
        kind=kind,
        text=text,
        line=line,
        start=to_file(0),
        end=to_file(len(content)),
        placeholders=tuple(placeholders),
        line_break=line_break,
    )


def _table_cells(row: str) -> list[tuple[int, int]]:
    """Cell spans of a table row, split on unescaped pipes as markdown-it does."""
    bounds, last, escaped = [], 0, False
    for pos, ch in enumerate(row):
        if ch == "|" and not escaped:
            bounds.append((last, pos))
            last = pos + 1
        escaped = ch == "\\"
    bounds.append((last, len(row)))
    if bounds and not row[bounds[0][0] : bounds[0][1]].strip():
        bounds.pop(0)
    if bounds and not row[bounds[-1][0] : bounds[-1][1]].strip():
        bounds.pop()
    return bounds


class _Walker:
    """Walks the block tokens, keeping the section and container path for keys."""

    def __init__(self, doc: Document, env: dict):
        self.doc = doc
        self.env = env  # link reference definitions, for re-parsing table cells
        self.lines = _Lines(doc)
        self.segments: list[Segment] = []
        self.section_names: dict[str, int] = {}
        self.section = "top"
        self.stack: list[tuple[str, dict[str, int]]] = [("", {})]
        self.row = 0
        self.column = 0

    def _count(self, name: str) -> int:
        counters = self.stack[-1][1]
        counters[name] = counters.get(name, 0) + 1
        return counters[name]

    def _path(self, *parts: str) -> str:
        inner = "/".join(p for p in [self.stack[-1][0], *parts] if p)
        return f"{self.section}/{inner}" if inner else self.section

    def _push(self, name: str) -> None:
        self.stack.append((self._path_inner(f"{name}[{self._count(name)}]"), {}))

    def _path_inner(self, part: str) -> str:
        return "/".join(p for p in [self.stack[-1][0], part] if p)

    def _container_kind(self) -> str:
        for path, _ in reversed(self.stack):
            last = path.rsplit("/", 1)[-1]
            if last.startswith("li["):
                return "list-item"
            if last.startswith("blockquote["):
                return "blockquote"
        return "paragraph"

    def walk(self, tokens: list[Token]) -> list[Segment]:
        for index, token in enumerate(tokens):
            kind = token.type
            if kind in ("bullet_list_open", "ordered_list_open"):
                self._push("ul" if kind == "bullet_list_open" else "ol")
            elif kind == "list_item_open":
                self._push("li")
            elif kind == "blockquote_open":
                self._push("blockquote")
            elif kind == "table_open":
                self._push("table")
                self.row = 0
            elif kind == "tr_open":
                self.row += 1
                self.column = 0
            elif kind in ("th_open", "td_open"):
                self.column += 1
            elif kind in ("bullet_list_close", "ordered_list_close", "list_item_close",
                          "blockquote_close", "table_close"):
                self.stack.pop()
            elif kind == "heading_open":
                self._heading(token, tokens[index + 1])
            elif kind == "paragraph_open":
                self._paragraph(token, tokens[index + 1])
            elif kind == "inline" and tokens[index - 1].type in ("th_open", "td_open"):
                self._cell(token)
        return self.segments

    def _add(self, segment: Segment | None) -> None:
        if segment is not None:
            self.segments.append(segment)

    def _heading(self, token: Token, inline: Token) -> None:
        level = token.tag
        if len(self.stack) == 1:
            base = _slug(_plain(inline))
            seen = self.section_names.get(base, 0) + 1
            self.section_names[base] = seen
            self.section = base if seen == 1 else f"{base}-{seen}"
            self.stack = [("", {})]
            key = self._path(level)
        else:
            key = self._path(f"{level}[{self._count(level)}]")
        first_line = token.map[0]
        line = self.lines.number(first_line)
        content = inline.content
        if token.markup.startswith("#"):
            # ATX: the text sits after the opening hashes on one line.
            source = self.lines.text_of(first_line)
            after_hashes = source.index("#") + len(token.markup)
            column = source.find(content, after_hashes)
            if column < 0:
                raise DocumentError("cannot locate heading text", self.doc.path, line)
            # Treat the heading line as one content line cut to the text.
            lines = _Lines(self.doc)
            lines.starts = [self.lines.starts[first_line] + column]
            lines.ends = [lines.starts[0] + len(content)]
            lines.first_number = line
            self._add(_inline_segment(self.doc, (lines, 0), key, "heading", inline, content, line))
        else:
            self._add(_inline_segment(self.doc, (self.lines, first_line), key, "heading", inline, content, line))

    def _paragraph(self, token: Token, inline: Token) -> None:
        kind = self._container_kind()
        number = self._count("p")
        if kind == "list-item" and number == 1:
            key = self._path()
        else:
            key = self._path(f"p[{number}]")
        first_line = token.map[0]
        self._add(
            _inline_segment(
                self.doc, (self.lines, first_line), key, kind, inline, inline.content, self.lines.number(first_line)
            )
        )

    def _cell(self, inline: Token) -> None:
        line_index = inline.map[0]
        line = self.lines.number(line_index)
        row = self.lines.text_of(line_index)
        cells = _table_cells(row)
        if self.column > len(cells):
            return  # a missing cell markdown-it filled in as empty
        start, end = cells[self.column - 1]
        raw = row[start:end]
        lead = len(raw) - len(raw.lstrip())
        raw = raw.strip()
        if not raw:
            return
        # Re-parse the cell's own text so positions are relative to it (the
        # parser's content has '\|' already unescaped).
        env = dict(self.env)
        cell_inline = markdown_parser().parseInline(raw, env)[0]
        lines = _Lines(self.doc)
        lines.starts = [self.lines.starts[line_index] + start + lead]
        lines.ends = [lines.starts[0] + len(raw)]
        lines.first_number = line
        key = self._path(f"r{self.row}c{self.column}")
        self._add(_inline_segment(self.doc, (lines, 0), key, "table-cell", cell_inline, raw, line))


def _front_matter_segments(doc: Document, keys: Sequence[str]) -> list[Segment]:
    values = front_matter_values(doc)
    segments = []
    for key in keys:
        value: FrontMatterValue | None = values.get(key)
        if value is None or not isinstance(value.value, str) or not value.value.strip():
            continue
        segments.append(
            Segment(
                key=f"front-matter/{key}",
                kind="front-matter",
                text=value.value,
                line=value.line,
                start=value.start,
                end=value.end,
                context=f"front-matter:{key}",
                yaml_style=value.style,
            )
        )
    return segments


def _assign_contexts(segments: list[Segment]) -> list[Segment]:
    kinds_by_text: dict[str, set[str]] = {}
    for seg in segments:
        if seg.context is None:
            kinds_by_text.setdefault(seg.text, set()).add(seg.kind)
    return [
        replace(seg, context=seg.kind)
        if seg.context is None and len(kinds_by_text[seg.text]) > 1
        else seg
        for seg in segments
    ]


def segment_document(doc: Document, front_matter_keys: Sequence[str] = ("title",)) -> list[Segment]:
    """All translatable segments of a sheet, front matter first, in source order.

    >>> from l10n.document import parse_document
    >>> doc = parse_document("---\\ntitle: X\\n---\\n# Use\\n\\nTake [one](/a) daily.\\n", "x.md")
    >>> [(s.key, s.kind, s.text) for s in segment_document(doc)]
    [('front-matter/title', 'front-matter', 'X'), ('use/h1', 'heading', 'Use'), ('use/p[1]', 'paragraph', 'Take [one][1] daily.')]
    """
    if "\x00" in doc.body:
        raise DocumentError("the sheet contains a NUL character", doc.path, doc.line_at(doc.text.index("\x00")))
    md = markdown_parser()
    env: dict = {}
    body = doc.body
    tokens = md.parse(body, env)
    body_segments = _Walker(doc, env).walk(tokens)
    return _assign_contexts(_front_matter_segments(doc, front_matter_keys) + body_segments)


# -- putting translations back ---------------------------------------------------


def splice(text: str, edits: Iterable[tuple[int, int, str]]) -> str:
    """Replace non-overlapping ``(start, end, new)`` spans of ``text``.

    >>> splice("a b c", [(4, 5, "C"), (0, 1, "A")])
    'A b C'
    """
    out, cursor = [], 0
    for start, end, new in sorted(edits, key=lambda e: (e[0], e[1])):
        if start < cursor:
            raise ValueError("overlapping edits")
        out.append(text[cursor:start])
        out.append(new)
        cursor = end
    out.append(text[cursor:])
    return "".join(out)


def _fail(segment: Segment, message: str) -> TranslationError:
    return TranslationError(f"{segment.key}: {message}")


def render(segment: Segment, translation: str) -> str:
    """The source-form text that replaces ``segment``'s span for ``translation``.

    >>> seg = Segment("s/p[1]", "paragraph", "See [this][1].", 1, 0, 0,
    ...               (Placeholder(1, "link", "(https://example.org)", "https://example.org"),))
    >>> render(seg, "Vea [esto][1].")
    'Vea [esto](https://example.org).'
    >>> render(seg, "Vea [esto](https://evil.example).")
    Traceback (most recent call last):
    ...
    l10n.errors.TranslationError: s/p[1]: the translation adds a link the source does not have: [esto](https://evil.example)
    """
    if segment.kind == "front-matter":
        return format_yaml_scalar(translation, segment.yaml_style)
    if segment.kind == "image-alt":
        if "]" in translation.replace("\\]", "") or "\n" in translation:
            raise _fail(segment, "an image description cannot contain ']' or a line break")
        return translation

    by_number = {p.number: p for p in segment.placeholders}
    # Every small number is a known reference, so a wrong [N] reads as a link
    # (and is reported as such) rather than as plain text.
    env = {"references": {str(n): {"href": "", "title": ""} for n in range(1, len(by_number) + 10)}}
    inline = markdown_parser().parseInline(translation, env)[0]
    edits: list[tuple[int, int, str]] = []
    used: dict[int, int] = {}
    code_spans: list[tuple[int, int]] = []

    def use(number: int, kind: str, where: str) -> Placeholder:
        placeholder = by_number.get(number)
        if placeholder is None or (placeholder.kind == "inline") != (kind == "inline") or (
            kind != "inline" and placeholder.kind != kind
        ):
            raise _fail(segment, f"{where} does not match any {kind} of the source")
        used[number] = used.get(number, 0) + 1
        return placeholder

    for child in inline.children or ():
        record = child.meta.get(_META) if child.meta else None
        if not record:
            continue
        what, start, label_end, end = record
        if what in ("link", "image"):
            suffix = translation[label_end + 1 : end]
            match = _PLACEHOLDER_REF.fullmatch(suffix)
            if not match:
                raise _fail(segment, f"the translation adds a link the source does not have: {translation[start:end]}")
            placeholder = use(int(match.group(1)), what, translation[start:end])
            source = placeholder.source
            label_start = start + (2 if what == "image" else 1)
            if placeholder.label and translation[label_start:label_end] != placeholder.label:
                source = f"[{placeholder.label}]"
            edits.append((label_end + 1, end, source))
        elif what == "inline":
            raise _fail(segment, f"the translation adds markup the source does not have: {translation[start:end]}")
        elif what == "code":
            code_spans.append((start, end))
        elif what in ("softbreak", "hardbreak"):
            if not segment.line_break:
                raise _fail(segment, "the translation has a line break where the source has none")
            edits.append((start, end, segment.line_break))

    for match in _OPAQUE.finditer(translation):
        if any(a <= match.start() < b for a, b in code_spans):
            continue
        placeholder = use(int(match.group(1)), "inline", match.group())
        edits.append((match.start(), match.end(), placeholder.source))

    missing = [p.token for p in segment.placeholders if used.get(p.number, 0) == 0]
    repeated = [by_number[n].token for n, count in sorted(used.items()) if count > 1]
    if missing:
        raise _fail(segment, f"the translation leaves out {', '.join(missing)} (keep every link and tag of the source)")
    if repeated:
        raise _fail(segment, f"the translation repeats {', '.join(repeated)}")
    if segment.kind == "table-cell" and "\n" in translation:
        raise _fail(segment, "a table cell cannot contain a line break")
    if segment.kind == "table-cell" and len(_table_cells("|" + translation + "|")) != 1:
        raise _fail(segment, "a '|' would split the table cell; write '\\|'")
    if segment.kind == "heading" and "\n" in translation:
        raise _fail(segment, "a heading cannot contain a line break")

    rendered = splice(translation, edits)
    _check_stays_inline(segment, translation)
    return rendered


def _check_stays_inline(segment: Segment, translation: str) -> None:
    """Refuse text that Markdown would read as a new block (list, heading, code...)."""
    if segment.kind not in ("paragraph", "list-item", "blockquote"):
        return
    tokens = markdown_parser().parse(translation.replace("\n", "  \n"))
    types = [t.type for t in tokens]
    if types != ["paragraph_open", "inline", "paragraph_close"]:
        raise _fail(
            segment,
            "the translation would change the sheet's layout (it reads as "
            + (types[0].replace("_open", "") if types else "nothing")
            + " in Markdown); escape its first character with '\\'",
        )


def block_structure(body: str) -> list[tuple[str, str, int, str]]:
    """The block skeleton of a Markdown body, to prove a build changed no layout."""
    return [
        (t.type, t.tag, t.level, t.markup if t.type != "inline" else "")
        for t in markdown_parser().parse(body)
    ]
