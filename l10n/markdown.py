"""Markdown parsing with exact source offsets, shared by every stage.

Segmenting a sheet and putting translations back both need to know exactly
where each link, image, line break and code span sits in the source text.
pulldown-cmark (a CommonMark-compliant parser, through ``pyromark``) reports
every event with its byte range and is fast enough for collections of
thousands of sheets; :func:`parse_events` turns its events into plain tuples
with character offsets.

:func:`inline_parts` reads one run of inline events (a paragraph, a heading, a
table cell) and returns the objects in it that the segmenter turns into
placeholders, and the line breaks it normalizes.

:func:`markdown_parser` and :func:`html_renderer` are markdown-it-py,
configured the same way, for stages that want tokens or render HTML.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache
from operator import itemgetter
from typing import Any, NamedTuple, Sequence

__all__ = [
    "Event",
    "EVENT_START",
    "EVENT_END",
    "InlineObject",
    "InlineParts",
    "parse_events",
    "inline_parts",
    "block_structure",
    "markdown_parser",
    "html_renderer",
    "INLINE_CONTAINERS",
]


@lru_cache(maxsize=None)
def _pulldown_cmark():
    """pyromark and the parser options, imported on first use: a build of
    cached sheets whose layout no translation touched never parses Markdown."""
    import pyromark

    return pyromark, pyromark.Options.ENABLE_TABLES | pyromark.Options.ENABLE_STRIKETHROUGH

# Start/End pairs that live inside a paragraph rather than around blocks.
INLINE_CONTAINERS = frozenset({"Emphasis", "Strong", "Strikethrough", "Link", "Image", "Superscript", "Subscript"})


class Event(NamedTuple):
    """One parser event: ``kind`` is ``start``, ``end`` or ``leaf``; offsets are characters."""

    kind: str
    name: str  # Paragraph, Heading, Item, Link, Text, SoftBreak, ...
    info: Any  # the parser's details: heading level, link type and URL, text ...
    start: int
    end: int


# An Event's start and end, for min() and max() over many events at C speed.
EVENT_START = itemgetter(3)
EVENT_END = itemgetter(4)

_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _byte_to_char(text: str):
    """A function mapping UTF-8 byte offsets to character offsets (None if they are equal).

    Only the non-ASCII characters are visited: sheets are mostly ASCII.
    """
    if text.isascii():
        return None
    ends: list[int] = []  # byte offset just after each non-ASCII character
    extra: list[int] = []  # bytes beyond one per character, up to that point
    total = 0
    for match in _NON_ASCII.finditer(text):
        code = ord(match.group())
        width = 2 if code < 0x800 else 3 if code < 0x10000 else 4
        total += width - 1
        ends.append(match.start() + total + 1)
        extra.append(total)

    def to_char(offset: int) -> int:
        index = bisect.bisect_right(ends, offset)
        return offset - (extra[index - 1] if index else 0)

    return to_char


def parse_events(text: str) -> list[Event]:
    """All events of ``text`` (CommonMark + tables + strikethrough), in order."""
    to_char = _byte_to_char(text)
    events = []
    append = events.append
    new = tuple.__new__  # Event(...) takes twice as long, and a sheet has hundreds of events
    pyromark, options = _pulldown_cmark()
    for raw, span in pyromark.events_with_range(text, options=options):
        start = span["start"]
        end = span["end"]
        if to_char is not None:
            start = to_char(start)
            end = to_char(end)
        if raw.__class__ is str:  # a leaf with no details: SoftBreak, HardBreak, Rule
            append(new(Event, ("leaf", raw, None, start, end)))
            continue
        ((key, value),) = raw.items()
        if key == "Start" or key == "End":
            if value.__class__ is dict:
                ((name, info),) = value.items()
            else:
                name, info = value, None
            append(new(Event, ("start" if key == "Start" else "end", name, info, start, end)))
        else:
            append(new(Event, ("leaf", key, value, start, end)))
    return events


class InlineObject(NamedTuple):
    """A link, image or opaque object (autolink, inline HTML) inside an inline run.

    For links and images, ``cut_from``/``cut_to`` is the destination part
    after the text (``(url "title")``, ``[ref]``, ``[]`` or nothing) and
    ``label_start``/``label_end`` the text between the brackets; for opaque
    objects, the cut is the whole object.
    """

    kind: str  # "link", "image" or "inline"
    start: int
    label_start: int
    label_end: int
    cut_from: int
    cut_to: int
    target: str
    reference: str  # the reference label for [text][ref] links ("" for inline links)
    link_type: str


_OBJECT_START = itemgetter(1)


class InlineParts(NamedTuple):
    objects: list[InlineObject]
    breaks: list[tuple[int, int, bool]]  # (from, to, hard): marker + newline + next line's prefix
    code_spans: list[tuple[int, int]]


def _content_start(text: str, position: int, floor: int) -> int:
    """Where content really starts: an escaping backslash belongs to the text after it."""
    if position - 1 >= floor and text[position - 1] == "\\":
        return position - 1
    return position


_new = tuple.__new__  # NamedTuple(...) takes twice as long; these are made for every link of every sheet


def inline_parts(text: str, events: Sequence[Event], end: int | None = None) -> InlineParts:
    """Objects, line breaks and code spans of one run of inline ``events`` over ``text``."""
    objects: list[InlineObject] = []
    breaks: list[tuple[int, int, bool]] = []
    code_spans: list[tuple[int, int]] = []
    open_links: list[tuple[Event, int]] = []
    for index, (kind, name, _, start, stop) in enumerate(events):
        if kind == "start":
            if name == "Link" or name == "Image":
                open_links.append((events[index], index))
        elif kind == "end":
            if (name == "Link" or name == "Image") and open_links:
                opening, first = open_links.pop()
                objects.append(_link_object(text, opening, events[first + 1 : index]))
        elif name == "InlineHtml":
            objects.append(_new(InlineObject, ("inline", start, start, start, start, stop, "", "", "html")))
        elif name == "Code":
            code_spans.append((start, stop))
        elif name == "SoftBreak" or name == "HardBreak":
            begin = start
            if name == "SoftBreak":
                while begin > 0 and text[begin - 1] in " \t":
                    begin -= 1
            following = next((e.start for e in events[index + 1 :] if e.kind != "end"), None)
            finish = stop if following is None else _content_start(text, following, stop)
            breaks.append((begin, max(finish, stop), name == "HardBreak"))
    if len(objects) > 1:
        objects.sort(key=_OBJECT_START)
    return _new(InlineParts, (objects, breaks, code_spans))


def _link_object(text: str, opening: Event, inner: Sequence[Event]) -> InlineObject:
    info = opening.info or {}
    link_type = info.get("link_type", "Inline")
    kind = "image" if opening.name == "Image" else "link"
    start, end = opening.start, opening.end
    if link_type in ("Autolink", "Email"):
        return InlineObject("inline", start, start, start, start, end, info.get("dest_url", ""), "", link_type)
    label_start = start + (2 if kind == "image" else 1)
    label_end = max(map(EVENT_END, inner)) if inner else label_start
    while label_end < end and text[label_end] != "]":
        label_end += 1
    if link_type.startswith("Collapsed") and text[end : end + 2] == "[]":
        end += 2  # the parser's range stops before a collapsed reference's "[]"
    return _new(InlineObject, (kind, start, label_start, label_end, label_end + 1, end,
                               info.get("dest_url", ""), info.get("id", ""), link_type))


def block_structure(text: str) -> list[tuple[str, str, str]]:
    """The block skeleton of a Markdown text: proves a build changed no layout.

    Reads the parser's events directly (no offsets needed), since the build
    runs it on every sheet it changes.
    """
    skeleton = []
    pyromark, options = _pulldown_cmark()
    for raw in pyromark.events(text, options=options):
        if raw.__class__ is str:
            if raw == "Rule":
                skeleton.append(("leaf", "Rule", ""))
            continue
        for key, value in raw.items():
            if key != "Start" and key != "End":
                continue
            if value.__class__ is dict:
                ((name, info),) = value.items()
            else:
                name, info = value, None
            if name in INLINE_CONTAINERS:
                continue
            detail = str(info) if key == "Start" and name in ("Heading", "List", "Table") else ""
            skeleton.append((key, name, detail))
    return skeleton


# -- markdown-it-py, for tokens and HTML ----------------------------------------------


@lru_cache(maxsize=None)
def markdown_parser():
    """markdown-it-py, configured as the sheets are read, for stages that want tokens.

    Raw HTML comes out as ``html_inline``/``html_block`` tokens, so checks can
    see it; never render with this one (see :func:`html_renderer`).
    """
    from markdown_it import MarkdownIt  # imported when needed: it costs every command 50 ms

    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


@lru_cache(maxsize=None)
def html_renderer():
    """markdown-it-py for pages readers see: raw HTML disabled, so every tag shows as text."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
