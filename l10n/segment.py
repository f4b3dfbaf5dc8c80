"""Split a Document into translatable Segments, and put translations back.

Segmentation rules
==================

The body is parsed by pulldown-cmark (CommonMark, plus GFM tables and
strikethrough; see :mod:`l10n.markdown`), which reports the exact source range
of every element.  These become one segment each:

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
from functools import lru_cache
from typing import Iterable, NamedTuple, Sequence

from .document import Document, FrontMatterValue, format_scalar, front_matter_values
from .errors import DocumentError, TranslationError
from .markdown import (
    EVENT_END,
    EVENT_START,
    INLINE_CONTAINERS,
    Event,
    _content_start,
    block_structure,
    inline_parts,
    parse_events,
)

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

_PLACEHOLDER_REF = re.compile(r"\[(\d+)\]")
_OPAQUE = re.compile(r"\{(\d+)\}")
# Text with none of these characters has no inline Markdown and no placeholder,
# and text that doesn't start like a block (list marker, heading, quote, indent)
# stays a paragraph: such a translation goes in as it is, without parsing.
_INLINE_SYNTAX = re.compile(r"[\\`*_\[\]{}<>!&~|\r\n]")
_BLOCK_START = re.compile(r"\s|[-+*#>=]|\d{1,9}[.)](?:\s|$)")


# The model's small records are NamedTuples, immutable like frozen
# dataclasses but four times faster to make: a large collection makes and
# reloads hundreds of thousands of them.
class Placeholder(NamedTuple):
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


class Segment(NamedTuple):
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
    yaml_style: str | None = None  # a front-matter value's quoting (see FrontMatterValue.style)


# -- building segments ---------------------------------------------------------


@lru_cache(maxsize=1024)  # headings recur from sheet to sheet
def _slug(text: str) -> str:
    if not text.isascii():  # NFKD leaves ASCII as it is; unicodedata costs 3 ms to import
        import unicodedata

        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "section"


_LETTER = re.compile(r"[^\W\d_]")


def _has_letters(text: str) -> bool:
    if "[" in text or "{" in text:
        text = _OPAQUE.sub("", _PLACEHOLDER_REF.sub("", text))
    return _LETTER.search(text) is not None


# Inline events that leave a block's text as it is: a block of only these (most
# headings and many paragraphs) becomes its source text, placeholder-free.
_PLAIN_INLINE = frozenset({"Text", "Emphasis", "Strong", "Strikethrough", "Superscript", "Subscript"})


class _Block:
    """A run of inline events being collected: a paragraph, heading, cell or tight list item."""

    __slots__ = ("kind", "key", "start", "end", "events", "plain")

    def __init__(self, kind: str, key: str, start: int, end: int):
        self.kind, self.key, self.start, self.end = kind, key, start, end
        self.events: list[Event] = []
        self.plain = True  # only _PLAIN_INLINE events so far


def _inline_segment(doc: Document, offset: int, block: _Block) -> Segment | None:
    """Make the Segment for one block's inline events, or None when there is nothing to translate.

    ``offset`` converts body offsets to offsets in the whole file.
    """
    text = doc.body
    events = block.events
    if not events:
        return None
    if block.kind == "table-cell":
        start, end = block.start, block.end
        while start < end and text[start] in " \t":
            start += 1
        while end > start and text[end - 1] in " \t":
            end -= 1
    else:
        start = _content_start(text, min(map(EVENT_START, events)), block.start)
        end = max(map(EVENT_END, events))
    if start >= end:
        return None
    line = doc.line_at(offset + start)
    if block.plain:  # no links, breaks, code or HTML: the text is the msgid
        msgid = text[start:end]
        if not _has_letters(msgid):
            return None
        return Segment(block.key, block.kind, msgid, line, offset + start, offset + end)

    # An image alone in its block (blank text around it aside): its alt text is the segment.
    visible = [e for e in events if not (e.name == "Text" and not e.info.strip())] \
        if any(e.name == "Image" for e in events) else ()
    if visible and visible[0].kind == "start" and visible[0].name == "Image" and visible[-1].kind == "end" \
            and visible[-1].name == "Image" and sum(1 for e in visible if e.name == "Image") == 2:
        image = inline_parts(text, events).objects[0]
        alt = text[image.label_start : image.label_end]
        if image.kind != "image" or not _has_letters(alt):
            return None
        return Segment(
            key=f"{block.key}/img", kind="image-alt", text=" ".join(alt.split()), line=line,
            start=offset + image.label_start, end=offset + image.label_end,
        )

    parts = inline_parts(text, events)
    edits: list[tuple[int, int, str]] = []
    placeholders = []
    for number, obj in enumerate(parts.objects, 1):
        source = text[obj.cut_from : obj.cut_to]
        label = ""
        if obj.kind != "inline" and source in ("", "[]"):
            # A shortcut or collapsed reference uses its text as the label; once
            # the text is translated the label must be written out.
            label = text[obj.label_start : obj.label_end]
        placeholder = Placeholder(number, obj.kind, source, obj.target, label)
        placeholders.append(placeholder)
        edits.append((obj.cut_from - start, obj.cut_to - start, placeholder.token))
    line_break = ""
    for begin, finish, hard in parts.breaks:
        edits.append((begin - start, finish - start, "\n" if hard else " "))
        if hard and not line_break:
            line_break = text[begin:finish]
    msgid = splice(text[start:end], edits)
    if not _has_letters(msgid):
        return None
    return Segment(block.key, block.kind, msgid, line, offset + start, offset + end, tuple(placeholders),
                   line_break)


class _Walker:
    """Walks the parser's events, keeping the section and container path for keys."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.offset = doc.body_start
        self.segments: list[Segment] = []
        self.section_names: dict[str, int] = {}
        self.section = "top"
        self.stack: list[tuple[str, dict[str, int], str]] = [("", {}, "root")]
        self.block: _Block | None = None
        self.row = 0
        self.column = 0
        self.skipping: str | None = None

    def _count(self, name: str) -> int:
        counters = self.stack[-1][1]
        number = counters[name] = counters.get(name, 0) + 1
        return number

    def _path(self, part: str = "") -> str:
        prefix = self.stack[-1][0]
        inner = f"{prefix}/{part}" if prefix and part else prefix or part
        return f"{self.section}/{inner}" if inner else self.section

    def _push(self, name: str, container: str) -> None:
        prefix = self.stack[-1][0]
        part = f"{name}[{self._count(name)}]"
        self.stack.append((f"{prefix}/{part}" if prefix else part, {}, container))

    def _container_kind(self) -> str:
        for _, _, container in reversed(self.stack):
            if container == "Item":
                return "list-item"
            if container == "BlockQuote":
                return "blockquote"
        return "paragraph"

    def _finish(self) -> None:
        block, self.block = self.block, None
        if block is not None:
            segment = _inline_segment(self.doc, self.offset, block)
            if segment is not None:
                self.segments.append(segment)

    def walk(self, events: list[Event]) -> list[Segment]:
        for event in events:
            kind, name = event.kind, event.name
            if self.skipping:
                if kind == "end" and name == self.skipping:
                    self.skipping = None
                continue
            if name in INLINE_CONTAINERS or kind == "leaf" and name != "Rule":
                if self.block is None:
                    if self.stack[-1][2] != "Item" or name == "Html":
                        continue  # nothing translatable outside a text block
                    # A tight list item: its text sits directly in the item.
                    self.block = _Block("list-item", self._item_key(), event.start, event.end)
                self.block.events.append(event)
                if name not in _PLAIN_INLINE:
                    self.block.plain = False
                continue
            if kind == "start":
                self._start(event)
            elif kind == "end":
                self._end(event)
            else:
                self._finish()
        self._finish()
        return self.segments

    def _item_key(self) -> str:
        number = self._count("p")
        return self._path() if number == 1 else self._path(f"p[{number}]")

    def _start(self, event: Event) -> None:
        if self.block is not None:
            self._finish()  # a block starting ends a tight item's text
        name = event.name
        if name == "List":
            self._push("ul" if event.info is None else "ol", name)
        elif name == "Item":
            self._push("li", name)
        elif name == "BlockQuote":
            self._push("blockquote", name)
        elif name == "Table":
            self._push("table", name)
            self.row = 0
        elif name in ("TableHead", "TableRow"):
            self.row += 1
            self.column = 0
        elif name == "TableCell":
            self.column += 1
            self.block = _Block("table-cell", self._path(f"r{self.row}c{self.column}"), event.start, event.end)
        elif name == "Paragraph":
            kind = self._container_kind()
            key = self._item_key() if self.stack[-1][2] == "Item" else self._path(f"p[{self._count('p')}]")
            self.block = _Block(kind, key, event.start, event.end)
        elif name == "Heading":
            level = event.info["level"].lower()
            self.block = _Block("heading", level, event.start, event.end)
        elif name in ("CodeBlock", "HtmlBlock", "MetadataBlock"):
            self.skipping = name

    def _end(self, event: Event) -> None:
        name = event.name
        if name == "Heading" and self.block is not None:
            self._heading(self.block)
        elif name in ("Paragraph", "TableCell"):
            self._finish()
        elif name in ("List", "Item", "BlockQuote", "Table"):
            self._finish()
            self.stack.pop()

    def _heading(self, block: _Block) -> None:
        level = block.key
        if len(self.stack) == 1:
            plain = "".join(e.info for e in block.events if e.name in ("Text", "Code") and e.info)
            base = _slug(plain)
            seen = self.section_names.get(base, 0) + 1
            self.section_names[base] = seen
            self.section = base if seen == 1 else f"{base}-{seen}"
            self.stack = [("", {}, "root")]
            block.key = self._path(level)
        else:
            block.key = self._path(f"{level}[{self._count(level)}]")
        self._finish()


def _table_cells(row: str) -> list[tuple[int, int]]:
    """Cell spans of a table row, split on unescaped pipes as GFM does."""
    bounds, last, escaped = [], 0, False
    for pos, ch in enumerate(row):
        if ch == "|" and not escaped:
            bounds.append((last, pos))
            last = pos + 1
        escaped = ch == "\\" and not escaped
    bounds.append((last, len(row)))
    if bounds and not row[bounds[0][0] : bounds[0][1]].strip():
        bounds.pop(0)
    if bounds and not row[bounds[-1][0] : bounds[-1][1]].strip():
        bounds.pop()
    return bounds


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
        seg._replace(context=seg.kind)
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
    body_segments = _Walker(doc).walk(parse_events(doc.body))
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
        return format_scalar(translation, segment.yaml_style)
    if segment.kind == "image-alt":
        if "]" in translation.replace("\\]", "") or "\n" in translation:
            raise _fail(segment, "an image description cannot contain ']' or a line break")
        return translation

    if not segment.placeholders and not _INLINE_SYNTAX.search(translation) \
            and not _BLOCK_START.match(translation):
        return translation
    by_number = {p.number: p for p in segment.placeholders}
    # Every small number is a defined reference, so a wrong [N] reads as a link
    # (and is reported as such) rather than as plain text.
    definitions = "".join(f"[{n}]: /\n" for n in range(1, len(by_number) + 10))
    events = parse_events(translation + "\n\n" + definitions)
    parts = inline_parts(translation, [e for e in events if e.end <= len(translation) or e.kind == "end"])
    edits: list[tuple[int, int, str]] = []
    used: dict[int, int] = {}

    def use(number: int, kind: str, where: str) -> Placeholder:
        placeholder = by_number.get(number)
        if placeholder is None or placeholder.kind != kind:
            raise _fail(segment, f"{where} does not match any {kind} of the source")
        used[number] = used.get(number, 0) + 1
        return placeholder

    for event in events:
        # A translation starting with a tag is an HTML block, not inline HTML:
        # refuse raw HTML in every form, whatever kind of segment it is.
        if event.name in ("Html", "InlineHtml", "HtmlBlock") and event.start < len(translation):
            raise _fail(segment, f"the translation adds markup the source does not have: "
                                 f"{translation[event.start:event.end].strip()[:60]}")
    for obj in parts.objects:
        written = translation[obj.start : obj.cut_to]
        if obj.kind == "inline":
            raise _fail(segment, f"the translation adds markup the source does not have: {written}")
        if obj.link_type != "Reference" or not obj.reference.isdigit():
            raise _fail(segment, f"the translation adds a link the source does not have: {written}")
        placeholder = use(int(obj.reference), obj.kind, written)
        source = placeholder.source
        if placeholder.label and translation[obj.label_start : obj.label_end] != placeholder.label:
            source = f"[{placeholder.label}]"
        edits.append((obj.cut_from, obj.cut_to, source))

    for begin, finish, _ in parts.breaks:
        if not segment.line_break:
            raise _fail(segment, "the translation has a line break where the source has none")
        edits.append((begin, finish, segment.line_break))

    for match in _OPAQUE.finditer(translation):
        if any(a <= match.start() < b for a, b in parts.code_spans):
            continue
        placeholder = use(int(match.group(1)), "inline", match.group())
        edits.append((match.start(), match.end(), placeholder.source))

    missing = [p.token for p in segment.placeholders if used.get(p.number, 0) == 0]
    repeated = [by_number[n].token for n, count in sorted(used.items()) if count > 1]
    if missing:
        raise _fail(segment, f"the translation leaves out {', '.join(missing)} (keep every link and tag of the source)")
    if repeated:
        raise _fail(segment, f"the translation repeats {', '.join(repeated)}")
    if segment.kind in ("table-cell", "heading") and "\n" in translation:
        raise _fail(segment, f"a {segment.kind.replace('-', ' ')} cannot contain a line break")
    if segment.kind == "table-cell" and len(_table_cells("|" + translation + "|")) != 1:
        raise _fail(segment, "a '|' would split the table cell; write '\\|'")
    if segment.kind == "table-cell" and (len(translation) - len(translation.rstrip("\\"))) % 2:
        # In '|10 mg\|daily|' the '\' hides the cell's closing '|': GFM merges
        # the two cells and pads the row, so a build's layout check cannot see it.
        raise _fail(segment, "a '\\' at the end of a table cell would join it to the next cell; write '\\\\'")
    if segment.kind in ("paragraph", "list-item", "blockquote"):
        _check_stays_inline(segment, events)
    return splice(translation, edits)


def _check_stays_inline(segment: Segment, events: Sequence[Event]) -> None:
    """Refuse text that Markdown would read as a new block (list, heading, code...)."""
    blocks = [e.name for e in events if e.kind == "start" and e.name not in INLINE_CONTAINERS]
    if blocks != ["Paragraph"]:
        found = next((b for b in blocks if b != "Paragraph"), "nothing")
        raise _fail(
            segment,
            f"the translation would change the sheet's layout (Markdown reads it as {found}); "
            "escape the character that starts it with '\\' (write '1\\.', '\\-', '\\#')",
        )

