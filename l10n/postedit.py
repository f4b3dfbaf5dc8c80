"""Post-editing: fix what an engine's transfer systematically gets wrong.

Rules live in ``l10n/data/<pair>/post-edit.tsv`` (tab-separated, ``#`` lines
are comments), applied in file order to each engine output::

    pattern                 replacement          example                   expect                    reason
    \\bcélulas de cáncer\\b   células cancerosas   las células de cáncer     las células cancerosas    NCI's wording

* ``pattern`` is a Python regular expression (``\\b`` for a word boundary,
  ``(?i)`` to ignore case); ``replacement`` may use ``\\1``.  A plain phrase
  is a valid pattern.  Masks (``__3__``) are words like any other: a rule may
  match around them, never inside them, since they contain no letters.
* ``example`` is engine output and ``expect`` what this one rule must make of
  it (``tests/test_domain_postedit.py`` checks every row).
* ``reason`` says why, for the reviewer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from .errors import L10nError
from .files import tsv_rows
from .wordchoice import unglue

__all__ = ["Rule", "PostEditError", "parse_post_edit", "post_edit", "COLUMNS"]

COLUMNS = ("pattern", "replacement", "example", "expect", "reason")


class PostEditError(L10nError):
    """A post-edit file cannot be read."""


@dataclass(frozen=True)
class Rule:
    pattern: re.Pattern
    replacement: str
    example: str = ""
    expect: str = ""
    reason: str = ""
    line: int = 0

    def apply(self, text: str) -> str:
        return self.pattern.sub(self.replacement, text)


def parse_post_edit(text: str, path: str) -> list[Rule]:
    """Parse a post-edit TSV file; problems raise :class:`PostEditError` at ``path:line``.

    >>> rules = parse_post_edit("pattern\\treplacement\\texample\\texpect\\treason\\n"
    ...                         "de cáncer\\tcancerosas\\t\\t\\tNCI\\n", "p.tsv")
    >>> post_edit("células de cáncer", rules)
    'células cancerosas'
    """
    rules: list[Rule] = []
    for number, cells in tsv_rows(text, path, COLUMNS, PostEditError):
        pattern, replacement, example, expect, reason = cells
        if not pattern:
            raise PostEditError("the pattern is empty", path, number)
        if not reason:
            raise PostEditError("every rule needs a reason", path, number)
        try:
            compiled = re.compile(pattern)
            compiled.sub(replacement, "")  # a bad \\N in the replacement fails here, not mid-run
        except (re.error, IndexError) as err:
            raise PostEditError(f"bad pattern or replacement: {err}", path, number) from None
        rules.append(Rule(compiled, replacement, example, expect, reason, number))
    return rules


def post_edit(text: str, rules: Iterable[Rule]) -> str:
    """Apply every rule in order, then tidy the spaces a deletion may leave.

    The blanks the word-choice stage put into the engine's stream are resolved
    first (:func:`l10n.wordchoice.unglue`).

    A text that started with a capital still does, and so does every sentence
    in it (a rule's replacement is written in lower case).
    """
    edited = unglue(text)  # the word-choice stage's own blanks first: rules see plain words
    for rule in rules:
        edited = rule.apply(edited)
    edited = re.sub(r" {2,}", " ", edited).strip()
    if text[:1].isupper() and edited[:1].islower():
        edited = edited[:1].upper() + edited[1:]
    # A sentence a rule now starts in lower case ("... tratamiento. se usa") gets its capital back.
    return re.sub(r"(?<=[.!?] )[a-záéíóúñ]", lambda m: m.group().upper(), edited)
