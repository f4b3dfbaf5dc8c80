"""Clinical approval of a translation, recorded in the PO file itself.

Two review states sit above a draft: *reviewed* (translated and not fuzzy:
what a translator signs off) and *approved* (a bilingual clinical reviewer
checked it too).  Approval is one translator comment on the entry::

    # l10n: approved by Ana Ruiz on 2026-12-02 [1a2b3c4d]

The bracketed value is a fingerprint of the approved msgstr.  A later edit
of the text (in Poedit, Lokalize, the review server or by hand) no longer
matches it, so the approval lapses by itself, without any tool having to
know about it; so does marking the entry fuzzy.  A plain translator comment
is used because every PO editor, ``msgcat`` and ``msgmerge`` keep those
(``l10n update`` too); an unknown flag is not kept by all of them.

>>> import polib
>>> entry = polib.POEntry(msgid="Take one tablet.", msgstr="Tome un comprimido.")
>>> approve(entry, "Ana Ruiz", "2026-12-02")
>>> approval(entry)
Approval(reviewer='Ana Ruiz', day='2026-12-02')
>>> entry.msgstr = "Tome dos comprimidos."
>>> approval(entry) is None
True
"""

from __future__ import annotations

import hashlib
import re
from typing import NamedTuple

import polib

__all__ = ["Approval", "approve", "approval", "withdraw", "fingerprint"]

_LINE = re.compile(r"^l10n: approved by (?P<reviewer>.+?) on (?P<day>\d{4}-\d{2}-\d{2}) \[(?P<print>[0-9a-f]{8})\]$")


class Approval(NamedTuple):
    reviewer: str
    day: str  # ISO date, YYYY-MM-DD


def fingerprint(text: str) -> str:
    """The short fingerprint l10n writes beside text it vouches for (same as pretranslation's)."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


def approval(entry: polib.POEntry) -> Approval | None:
    """Who approved the entry's current text, or None (never approved, edited since, fuzzy, empty)."""
    if not entry.msgstr or "fuzzy" in entry.flags or entry.obsolete:
        return None
    for line in (entry.tcomment or "").splitlines():
        found = _LINE.match(line)
        if found and found["print"] == fingerprint(entry.msgstr):
            return Approval(found["reviewer"], found["day"])
    return None


def approve(entry: polib.POEntry, reviewer: str, day: str) -> None:
    """Record that ``reviewer`` approved the entry's current text on ``day`` (YYYY-MM-DD).

    Only a reviewed entry (translated, not fuzzy) can be approved.
    """
    reviewer = " ".join(reviewer.split())
    if not reviewer or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
        raise ValueError("an approval needs a reviewer's name and a YYYY-MM-DD date")
    if not entry.msgstr or "fuzzy" in entry.flags:
        raise ValueError("only a reviewed translation (filled in, not fuzzy) can be approved")
    withdraw(entry)
    kept = (entry.tcomment or "").splitlines()
    entry.tcomment = "\n".join(kept + [f"l10n: approved by {reviewer} on {day} [{fingerprint(entry.msgstr)}]"])


def withdraw(entry: polib.POEntry) -> None:
    """Remove any approval line, valid or lapsed."""
    lines = [line for line in (entry.tcomment or "").splitlines() if not _LINE.match(line)]
    entry.tcomment = "\n".join(lines)
