"""Protect what an engine must not touch, and put it back exactly afterwards.

A msgid (the format :mod:`l10n.segment` defines) is cut into *pieces* an
engine can translate without seeing any markup:

* things kept as they are become a *mask*, a token ``__N__`` that engines copy
  as an unknown word: ``{N}``, code spans, backslash escapes, hard breaks
  (``\\n``), URLs, every word with a digit in it (numbers, units, ids), and
  do-not-translate terms;
* a glossary term with a required translation becomes a mask too, restored as
  that translation (capitalised like the English);
* markup that wraps words -- a link ``[text][N]``, an image ``![alt][N]``,
  ``**strong**``, ``*emphasis*``, ``~~strike~~`` -- becomes a mask in its
  piece, and the words inside become a piece of their own.

Why not hand the engine HTML tags: Apertium's HTML mode moves a tag onto the
wrong word when it reorders (``The <b>red</b> car`` -> ``El <b>coche</b>
rojo``), empties links (``does not <a>respond</a>`` -> ``no responde <a></a>``)
and copies a link onto every piece of a phrase it splits.  A masked word is
never split, and a piece inside a link is translated whole.

:func:`restore` checks that every mask of every piece came back exactly once
and raises :class:`MaskError` otherwise, so a garbled engine output is never
written; :func:`same_markup` is the last check that a restored translation has
the source's markup.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Mapping, Sequence

from .errors import L10nError

__all__ = ["Masked", "MaskError", "Protection", "mask", "restore", "same_markup", "TOKEN"]

TOKEN = re.compile(r"__(\d+)__")

# Emphasis delimiters, longest first so '**' is not read as two '*'.
_DELIMITERS = ("**", "__", "~~", "*", "_")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>()\[\]{}]*[^\s<>()\[\]{}.,;:!?'\"]")
# A word with a digit: 1.3, 25%, 12/05/2024, CD38, a612031, 1,000 mg/m2.
_NUMBER = re.compile(
    r"[\w.,/%+-]*\d[\w.,/%²³µ+-]*(?:\s?(?:mg/m2|mg/m²|mg/kg|mg|mcg|µg|mL|ml|kg|g|cm|mm|L|%)(?![\w]))?"
)
_LINK_REF = re.compile(r"\]\[(\d+)\]")


class MaskError(L10nError):
    """An engine lost, repeated or invented a mask; the segment stays untranslated."""


@dataclass(frozen=True)
class Protection:
    """What must come through an engine unchanged, for one sheet.

    ``terms`` maps a lower-case term to its required translation, or to
    ``None`` for a term kept as it is (a drug or brand name).
    """

    terms: Mapping[str, str | None]

    def pattern(self) -> re.Pattern | None:
        return _terms_pattern(tuple(sorted(self.terms, key=lambda t: (-len(t), t))))


_PATTERNS: dict[tuple[str, ...], re.Pattern | None] = {}


def _terms_pattern(terms: tuple[str, ...]) -> re.Pattern | None:
    """One regex for all terms, longest first, whole words only (cached: built per sheet)."""
    if terms not in _PATTERNS:
        if len(_PATTERNS) > 256:
            _PATTERNS.clear()
        _PATTERNS[terms] = (
            re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(t) for t in terms) + r")(?![\w-])", re.IGNORECASE)
            if terms
            else None
        )
    return _PATTERNS[terms]


@dataclass(frozen=True)
class _Slot:
    literal: str  # what the mask stands for in the source
    value: str = ""  # kept text (or the required translation)
    child: int = -1  # for wrapped markup: the piece holding its words
    open: str = ""
    close: str = ""


@dataclass(frozen=True)
class Masked:
    """A msgid cut into pieces; ``pieces[0]`` is the whole string.

    ``pieces[i]`` is masked text; a piece with no letters left needs no engine.
    """

    source: str
    pieces: tuple[str, ...]
    slots: Mapping[int, _Slot]
    owners: tuple[tuple[int, ...], ...]  # the masks each piece must contain

    def needs_engine(self, index: int) -> bool:
        return any(ch.isalpha() for ch in TOKEN.sub("", self.pieces[index]))

    @property
    def engine_pieces(self) -> list[str]:
        return [p for i, p in enumerate(self.pieces) if self.needs_engine(i)]


def _match_case(found: str, replacement: str) -> str:
    if found[:1].isupper() and replacement[:1].islower():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def _scan(text: str, start: int, stop: int):
    """``(position, character, bracket depth)`` from ``start`` to ``stop``, skipping backslash escapes."""
    depth, j = 0, start
    while j < stop:
        ch = text[j]
        if ch == "\\":
            j += 2
            continue
        depth += {"[": 1, "]": -1}.get(ch, 0)
        yield j, ch, depth
        j += 1


def _closing(text: str, start: int, delimiter: str) -> int:
    """Where an emphasis opened at ``start`` closes, or -1 (then it is literal)."""
    size = len(delimiter)
    after = start + size
    if after >= len(text) or text[after].isspace():
        return -1
    if delimiter[0] == "_" and start > 0 and text[start - 1].isalnum():
        return -1
    for j, ch, depth in _scan(text, after + 1, len(text) - size + 1):
        if (
            ch not in "[]"
            and depth <= 0
            and text.startswith(delimiter, j)
            and not text[j - 1].isspace()
            and not (size == 1 and (text[j + 1 : j + 2] == delimiter or text[j - 1] == delimiter))
            and not (delimiter[0] == "_" and text[j + size : j + size + 1].isalnum())
        ):
            return j
    return -1


def _bracket_end(text: str, start: int) -> int:
    """The ``]`` matching the ``[`` at ``start`` when ``[N]`` follows it, else -1."""
    for j, ch, depth in _scan(text, start, len(text)):
        if ch == "]" and depth == 0:
            return j if _LINK_REF.match(text, j) else -1
        if ch == "`":
            return -1
    return -1


class _Masker:
    def __init__(self, pattern: re.Pattern | None, terms: Mapping[str, str | None]):
        self.pattern = pattern
        self.terms = terms
        self.pieces: list[str] = []
        self.owners: list[tuple[int, ...]] = []
        self.slots: dict[int, _Slot] = {}

    def _mask(self, slot: _Slot) -> str:
        number = len(self.slots) + 1
        self.slots[number] = slot
        return f"__{number}__"

    def piece(self, text: str) -> int:
        index = len(self.pieces)
        self.pieces.append("")
        self.owners.append(())
        out: list[str] = []
        first = len(self.slots) + 1
        i = 0
        while i < len(text):
            i = self._step(text, i, out)
        self.pieces[index] = "".join(out)
        self.owners[index] = tuple(int(n) for n in TOKEN.findall(self.pieces[index]))
        assert all(n >= first for n in self.owners[index])
        return index

    def _step(self, text: str, i: int, out: list[str]) -> int:
        ch = text[i]
        word_start = i == 0 or not (text[i - 1].isalnum() or text[i - 1] in "-_")
        if ch == "\\" and i + 1 < len(text):
            out.append(self._mask(_Slot(text[i : i + 2], text[i : i + 2])))
            return i + 2
        if ch == "\n":
            out.append(" " + self._mask(_Slot("\n", "\n")) + " ")
            return i + 1
        if ch == "`":
            run = len(text) - i - len(text[i:].lstrip("`"))
            fence = text[i : i + run]
            end = text.find(fence, i + run)
            if end >= 0:
                literal = text[i : end + run]
                out.append(self._mask(_Slot(literal, literal)))
                return end + run
        if ch == "{":
            found = re.match(r"\{\d+\}", text[i:])
            if found:
                out.append(self._mask(_Slot(found.group(), found.group())))
                return i + found.end()
        if ch == "[" or (ch == "!" and text[i + 1 : i + 2] == "["):
            opening = 2 if ch == "!" else 1
            end = _bracket_end(text, i + opening - 1)
            if end >= 0:
                ref = _LINK_REF.match(text, end)
                close = ref.group()
                inner = text[i + opening : end]
                child = self.piece(inner)
                out.append(self._mask(_Slot(text[i : ref.end()], "", child, text[i : i + opening], close)))
                return ref.end()
        if ch == "_" and 0 < i < len(text) - 1 and text[i - 1].isalnum() and text[i + 1].isalnum():
            out.append(ch)  # snake_case is a word, not emphasis
            return i + 1
        for delimiter in _DELIMITERS:
            if text.startswith(delimiter, i):
                end = _closing(text, i, delimiter)
                if end < 0:
                    run = len(delimiter)
                    out.append(self._mask(_Slot(delimiter, delimiter)))
                    return i + run
                child = self.piece(text[i + len(delimiter) : end])
                literal = text[i : end + len(delimiter)]
                out.append(self._mask(_Slot(literal, "", child, delimiter, delimiter)))
                return end + len(delimiter)
        if word_start:
            for regex in (_URL, _NUMBER):
                found = regex.match(text, i)
                if found and found.group() and (regex is _URL or any(c.isdigit() for c in found.group())):
                    # A full stop or comma after a number ends the sentence, not the number.
                    literal = found.group().rstrip(".,") if regex is _NUMBER else found.group()
                    out.append(self._mask(_Slot(literal, literal)))
                    return i + len(literal)
            if self.pattern is not None:
                found = self.pattern.match(text, i)
                if found:
                    literal = found.group()
                    required = self.terms.get(literal.lower())
                    value = literal if required is None else _match_case(literal, required)
                    out.append(self._mask(_Slot(literal, value)))
                    return found.end()
        out.append(ch)
        return i + 1


def mask(text: str, protection: Protection | None = None) -> Masked:
    """Cut ``text`` into masked pieces (see the module docstring).

    >>> m = mask("Take **[Kyprolis][1]** with 20 mg/m2 daily.", Protection({"kyprolis": None}))
    >>> m.pieces
    ('Take __3__ with __4__ daily.', '__2__', '__1__')
    >>> restore(m, ["Tome __3__ con __4__ al día."] + list(m.pieces[1:]))
    'Tome **[Kyprolis][1]** con 20 mg/m2 al día.'
    """
    if TOKEN.search(text):
        raise MaskError("the text already contains a mask-like word (__N__); not sent to an engine")
    terms = protection.terms if protection else {}
    masker = _Masker(protection.pattern() if protection else None, terms)
    masker.piece(text)
    return Masked(text, tuple(masker.pieces), dict(masker.slots), tuple(masker.owners))


def restore(masked: Masked, outputs: Sequence[str]) -> str:
    """Put the masks back into the engine's ``outputs`` (one per piece).

    Raises :class:`MaskError` when a mask is missing, repeated or unknown.
    """

    def build(index: int) -> str:
        output = outputs[index]
        found = Counter(int(n) for n in TOKEN.findall(output))
        expected = set(masked.owners[index])
        lost = sorted(expected - set(found))
        extra = sorted(n for n in found if n not in expected)
        repeated = sorted(n for n, count in found.items() if count > 1 and n in expected)
        for problem, numbers in (("lost", lost), ("invented", extra), ("repeated", repeated)):
            if numbers:
                what = ", ".join(repr(masked.slots[n].literal) if n in masked.slots else f"__{n}__" for n in numbers)
                raise MaskError(f"the engine {problem} {what}")

        output = _first_case(masked.pieces[index], output)

        def fill(match: re.Match) -> str:
            slot = masked.slots[int(match.group(1))]
            if slot.child < 0:
                return slot.value
            return slot.open + build(slot.child).strip() + slot.close

        text = TOKEN.sub(fill, output)
        # The masks of a hard break were padded with spaces for the engine.
        return re.sub(r" ?\n ?", "\n", text)

    if len(outputs) != len(masked.pieces):
        raise MaskError(f"expected {len(masked.pieces)} pieces back, got {len(outputs)}")
    return build(0).strip()


def _first_case(source: str, output: str) -> str:
    """Undo an engine's capital at the start of a piece that starts in lower case.

    Engines translate each piece as a sentence of its own, so the words of a
    link in mid-sentence (``[refractory][3]``) would come back capitalised.
    """
    first = re.search(r"[^\W\d_]", TOKEN.sub("", source))
    found = re.search(r"[^\W\d_]", output)
    if not first or not found or not first.group().islower() or not found.group().isupper():
        return output
    at = found.start()
    if output[at + 1 : at + 2].isupper():
        return output  # an acronym
    return output[:at] + output[at].lower() + output[at + 1 :]



def _markup(text: str) -> Counter:
    """The markup inventory of a msgid-format string, ignoring word order."""
    from .markdown import markdown_parser

    refs = {str(n): {"href": "", "title": ""} for n in re.findall(r"\]\[(\d+)\]", text)}
    tokens = markdown_parser().parseInline(text, {"references": refs})[0].children or []
    kinds = Counter()
    for token in tokens:
        if token.type in ("strong_open", "em_open", "s_open", "link_open", "image", "code_inline", "hardbreak"):
            kinds[(token.type, token.content if token.type == "code_inline" else "")] += 1
    return kinds


def same_markup(source: str, translation: str) -> bool:
    """True when ``translation`` has exactly the emphasis, links, code and breaks of ``source``.

    >>> same_markup("**[a][1]** b", "**[x][1]** y")
    True
    >>> same_markup("**[a][1]** b", "**[x][1]* y")
    False
    """
    return _markup(source) == _markup(translation)
