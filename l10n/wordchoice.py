"""Word choice: pick the medical sense of a word inside Apertium's own pipeline.

Between lexical selection and structural transfer, Apertium's stream carries
every candidate translation of each word, e.g.::

    ^cell<n><pl>/celda<n><f><pl>/célula<n><f><pl>$

and transfer takes the first.  A general-purpose pair picks "celda" (a prison
cell); patient text needs "célula".  This stage rewrites such units from a
data file, ``l10n/data/<pair>/word-choice.tsv`` (tab-separated, a ``#`` line
is a comment)::

    english     spanish          example                          expect          reason
    cell<n>     célula<n><f>     Cancer cells grow.               células         a body cell, never a prison cell

* ``english`` is a lemma and the first tags of its analysis (``cell<n>``
  matches ``cell<n><sg>`` and ``cell<n><pl>``, in any case).  ``*word<tags>``
  names a word Apertium does not know (``*relapsed<adj>``): it gets that
  analysis, so transfer can place and inflect it.
* ``spanish`` is the lemma and the tags that replace the same number of
  leading tags of the candidate; the rest (number, tense) is kept, so
  transfer still makes articles and adjectives agree.  The candidate's fixed
  gender (``<m>``, ``<f>``, ``<mf>``) goes: the entry's lemma brings its own
  (``inmunitario<adj>`` agrees, ``grave<adj><mf>`` does not change).  ``=`` keeps the English
  word untranslated (an acronym such as CAR).
* ``example`` and ``expect``: an English sentence and a piece of text its
  translation must contain (``tests/test_domain_wordchoice.py`` runs each one
  through real Apertium).  ``reason`` says why, for the reviewer.

Two general rules are built in, because they are grammar, not vocabulary.  A
comma, semicolon or colon, and a hyphen between two plain words, get blanks
in the stream, so transfer cannot glue two words it reorders around them
("un fluidogrueso,", "un tumor quecrecelento").  A word
Apertium does not know followed by the possessive ``'s`` (``NCI's list``) is
read as a proper noun, so transfer writes "la lista del NCI" instead of
dropping the possessive.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from .errors import L10nError
from .files import tsv_rows

__all__ = ["Choice", "WordChoiceError", "parse_word_choice", "choose", "unglue", "BLANK", "COLUMNS"]

COLUMNS = ("english", "spanish", "example", "expect", "reason")
_ANALYSIS = re.compile(r"^(\*?)([^<>*]+?)((?:<[^<>]+>)*)$")
_UNIT = re.compile(r"\^((?:\\.|[^$\\])*)\$")
_SLASH = re.compile(r"(?<!\\)/")
BLANK = "\u200b"  # the blank the stage adds (see choose); unglue() takes it out of the output
_HYPHEN = re.compile(r"(\^[A-Za-z][a-z]+(?:<[^<>^$]+>)+/[^$^]*\$)\^-<guio>/-<guio>\$(?=\^[a-z]{2,}<)")
_GENDERS = {"m", "f", "mf", "nt"}  # fixed genders; GD ("to be decided by transfer") stays


class WordChoiceError(L10nError):
    """A word-choice file cannot be read."""


@dataclass(frozen=True)
class Choice:
    """One entry: the English analysis it applies to and the Spanish it gives."""

    lemma: str  # lower case
    tags: tuple[str, ...]
    unknown: bool  # matches a word Apertium does not know ("*word")
    target: str  # Spanish lemma, or "" to keep the English word
    target_tags: tuple[str, ...]
    example: str = ""
    expect: str = ""
    reason: str = ""
    line: int = 0


def _tags(text: str) -> tuple[str, ...]:
    return tuple(re.findall(r"<([^<>]+)>", text))


def parse_word_choice(text: str, path: str) -> list[Choice]:
    """Parse a word-choice TSV file; problems raise :class:`WordChoiceError` at ``path:line``.

    >>> [c.target for c in parse_word_choice("english\\tspanish\\texample\\texpect\\treason\\n"
    ...                                       "cell<n>\\tcélula<n><f>\\t\\t\\tbody cell\\n", "w.tsv")]
    ['célula']
    """
    choices: list[Choice] = []
    seen: dict[tuple, int] = {}
    for number, cells in tsv_rows(text, path, COLUMNS, WordChoiceError):
        english, spanish, example, expect, reason = cells
        source = _ANALYSIS.match(english)
        if not source or not source.group(3):
            raise WordChoiceError(f"english {english!r} must be a lemma with tags, e.g. cell<n>", path, number)
        if not reason:
            raise WordChoiceError("every entry needs a reason", path, number)
        unknown = bool(source.group(1))
        if spanish == "=":
            target, target_tags = "", ()
        else:
            found = _ANALYSIS.match(spanish)
            if not found or found.group(1) or not found.group(3):
                raise WordChoiceError(f"spanish {spanish!r} must be a lemma with tags, e.g. célula<n><f>, or =", path, number)
            target, target_tags = found.group(2), _tags(found.group(3))
        key = (source.group(2).lower(), _tags(source.group(3)), unknown)
        if key in seen:
            raise WordChoiceError(f"{english!r} is listed twice (first at line {seen[key]})", path, number)
        seen[key] = number
        choices.append(Choice(key[0], key[1], unknown, target, target_tags, example, expect, reason, number))
    return choices


def _cap(model: str, word: str) -> str:
    """``word`` with the capital of ``model``'s first letter (Apertium capitalises lemmas at a sentence start)."""
    if model[:1].isupper() and word[:1].islower():
        return word[:1].upper() + word[1:]
    return word


def _unknown(word: str) -> str:
    return f"^*{word}/*{word}$"


def _rewrite(body: str, choices: Iterable[Choice]) -> str | None:
    """The new unit for one ``^...$`` body, or None to leave it."""
    parts = _SLASH.split(body)
    source, candidates = parts[0], parts[1:]
    found = _ANALYSIS.match(source)
    if not found:
        return None
    unknown, lemma, tags = bool(found.group(1)), found.group(2), _tags(found.group(3))
    for choice in choices:
        if choice.unknown != unknown or choice.lemma != lemma.lower():
            continue
        if unknown:
            # An unknown word carries no tags: the entry gives its analysis on both sides.
            if not choice.target:
                return None
            analysis = lemma + "".join(f"<{t}>" for t in choice.tags)
            return f"^{analysis}/{_cap(lemma, choice.target)}" + "".join(f"<{t}>" for t in choice.target_tags) + "$"
        if tags[: len(choice.tags)] != choice.tags:
            continue
        if not choice.target:
            return _unknown(lemma)
        first = candidates[0] if candidates else ""
        model = _ANALYSIS.match(first)
        rest = _tags(model.group(3))[len(choice.target_tags):] if model else tags[len(choice.tags):]
        rest = tuple(t for t in rest if t not in _GENDERS)  # the entry's lemma brings its own gender
        target = _cap(model.group(2) if model else lemma, choice.target)
        return f"^{source}/{target}" + "".join(f"<{t}>" for t in choice.target_tags + rest) + "$"
    return None


def unglue(text: str) -> str:
    """Engine output with the stage's blanks (:data:`BLANK`) resolved: a hyphen or comma transfer left
    in place is glued back as written, a blank between two words it moved apart becomes a space.

    >>> unglue("un tumor que\u200bcrece\u200blento, fin\u200b-\u200bcáncer, grueso\u200b, blando")
    'un tumor que crece lento, fin-cáncer, grueso, blando'
    """
    text = text.replace(BLANK + "-" + BLANK, "-")
    text = re.sub(BLANK + r"+(?=[,;:])", "", text)
    return re.sub(r"\s*" + BLANK + r"[\s" + BLANK + r"]*", " ", text)


def choose(stream: str, choices: Iterable[Choice]) -> str:
    """Rewrite an Apertium stream (after lexical selection) with ``choices``.

    >>> entries = parse_word_choice("english\\tspanish\\texample\\texpect\\treason\\n"
    ...                             "cell<n>\\tcélula<n><f>\\t\\t\\tbody cell\\n", "w.tsv")
    >>> choose("^Cell<n><pl>/Celda<n><f><pl>/Célula<n><f><pl>$ ^*NCI/*NCI$ ^'s<gen>/$", entries)
    "^Cell<n><pl>/Célula<n><f><pl>$ ^NCI<np><al><sg>/NCI<np><al><sg>$ ^'s<gen>/$"
    """
    by_lemma: dict[str, list[Choice]] = {}
    for choice in choices:
        by_lemma.setdefault(choice.lemma, []).append(choice)
    # Longer tag prefixes first, so cell<n><pl> wins over cell<n>.
    for listed in by_lemma.values():
        listed.sort(key=lambda c: -len(c.tags))

    def unit(match: re.Match) -> str:
        body = match.group(1)
        head = _ANALYSIS.match(_SLASH.split(body)[0])
        if not head:
            return match.group()
        new = _rewrite(body, by_lemma.get(head.group(2).lower(), ()))
        return new if new is not None else match.group()

    out = _UNIT.sub(unit, stream)
    # A comma glued to the word before it leaves that word no blank of its own, and transfer, when
    # it moves the noun next to it, glues the two ("a thick, slippery fluid" -> "un fluidogrueso,"):
    # a blank before the punctuation keeps them apart (post-editing takes the space away again).
    # The blank is a zero-width space, so that what transfer did not move can be glued back (unglue()).
    out = re.sub(r"\$(?=\^[,;:]<)", "$" + BLANK, out)
    # The same for a hyphen between two words ("slow-growing tumor" -> "tumor quecrecelento"); not
    # between codes, letters or names (T-cell, IL-2, non-Hodgkin): their lemmas are not plain words.
    out = _HYPHEN.sub(r"\1" + BLANK + "^-<guio>/-<guio>$" + BLANK, out)
    return re.sub(r"\^\*([^/$<>^\\]+)/\*\1\$(\s*)(?=\^'s<gen>)", r"^\1<np><al><sg>/\1<np><al><sg>$\2", out)
