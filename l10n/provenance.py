"""Who or what produced each translation, and whether it counts as reviewed or approved.

One reading of a PO entry, shared by ``l10n stats``, the review page and the
release manifest, so the three can never disagree.

*Origin* (who wrote the current text), from the translator comment that
:mod:`l10n.pretranslate` writes when it fills an entry::

    # l10n: machine apertium 3.8.3 eng-spa 0.8.1 [1a2b3c4d]   -> "machine apertium 3.8.3"
    # l10n: memory exact from seeds/x.md [..]                 -> "memory exact"
    # l10n: memory placeables from seeds/x.md [..]            -> "memory names swapped"
    # l10n: memory 87% from seeds/x.md [..]                   -> "memory near"
    # l10n: glossary [..]                                     -> "glossary"

The bracketed value is a fingerprint of the text l10n wrote.  When the msgstr
no longer matches it, a person edited the text, and the origin is
``translator``; so is every entry with no such comment.  (A comment with no
fingerprint, as older versions wrote, is taken at its word.)

*Status* (where the entry stands), one of :data:`STATUSES`: ``reviewed``;
``memory-exact`` — an exact memory match pretranslation filled in as reviewed,
which counts as reviewed only if ``[tool.l10n.release]
memory-exact-counts-as-reviewed = true`` (default false: a match from another
sheet is still a claim nobody checked here); the fuzzy ones ``machine``,
``memory`` (memory or glossary) and ``changed`` (the English changed, or
fuzzy for no recorded reason); and ``untranslated``.  A reviewer confirms an
exact match by approving it, by editing it, or by deleting its ``l10n: memory
exact`` line.

*Approved* (:mod:`l10n.approval`) is a further state of a reviewed entry: a
clinical reviewer signed the current text.

>>> import polib
>>> e = polib.POEntry(msgid="Yes", msgstr="Sí", tcomment="l10n: memory exact from a.md [" + fingerprint("Sí") + "]")
>>> origin(e), status(e), status(e, Policy(memory_exact_counts_as_reviewed=True))
('memory exact', 'memory-exact', 'reviewed')
>>> e.msgstr = "Sí."  # a person edited it
>>> origin(e), status(e)
('translator', 'reviewed')
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable

import polib

from .approval import approval, fingerprint

__all__ = [
    "STATUSES",
    "FUZZY",
    "TRANSLATOR",
    "MEMORY_EXACT",
    "MEMORY_NAMES",
    "MEMORY_NEAR",
    "GLOSSARY",
    "Policy",
    "Tally",
    "origin",
    "status",
    "tally",
    "policy_for",
    "active",
    "fingerprint",
]

STATUSES = ("reviewed", "memory-exact", "machine", "memory", "changed", "untranslated")
FUZZY = ("machine", "memory", "changed")

TRANSLATOR = "translator"
MEMORY_EXACT = "memory exact"
MEMORY_NAMES = "memory names swapped"
MEMORY_NEAR = "memory near"
GLOSSARY = "glossary"

_LINE = re.compile(r"^l10n: (?P<kind>machine|memory|glossary)\b(?P<rest>.*?)(?: \[(?P<print>[0-9a-f]{8})\])?$")
_MEMORY = {"exact": MEMORY_EXACT, "placeables": MEMORY_NAMES}


@dataclass(frozen=True)
class Policy:
    """What counts as done: ``[tool.l10n.release]`` (see :func:`l10n.config.release_settings`)."""

    memory_exact_counts_as_reviewed: bool = False
    require: str = "reviewed"  # or "approved": every string signed by a clinical reviewer


def origin(entry: polib.POEntry) -> str:
    """Who or what produced the entry's current text (see the module docstring); "" if empty."""
    if not entry.msgstr:
        return ""
    for line in (entry.tcomment or "").splitlines():
        found = _LINE.match(line.strip())
        if not found:
            continue
        if found["print"] and found["print"] != fingerprint(entry.msgstr):
            return TRANSLATOR  # l10n's text was edited since: a person's now
        kind, words = found["kind"], found["rest"].split()
        if kind == "machine":
            return " ".join(["machine", *words[:2]])  # engine and its version; pairs vary less than this
        if kind == "glossary":
            return GLOSSARY
        return _MEMORY.get(words[0] if words else "", MEMORY_NEAR)
    return TRANSLATOR


def status(entry: polib.POEntry, policy: Policy = Policy()) -> str:
    """One of :data:`STATUSES`."""
    if not entry.msgstr:
        return "untranslated"
    if "fuzzy" not in entry.flags:
        if (origin(entry) == MEMORY_EXACT and not policy.memory_exact_counts_as_reviewed
                and approval(entry) is None):
            return "memory-exact"
        return "reviewed"
    if entry.previous_msgid:
        return "changed"  # what matters first to a reviewer: the English is new
    found = origin(entry)
    if found.startswith("machine"):
        return "machine"
    if found in (MEMORY_EXACT, MEMORY_NAMES, MEMORY_NEAR, GLOSSARY):
        return "memory"
    return "changed"


@dataclass(frozen=True)
class Tally:
    """One catalog counted once: statuses, approvals, origins and reviewers."""

    statuses: Counter = field(default_factory=Counter)
    approved: int = 0
    origins: Counter = field(default_factory=Counter)  # only entries with text
    reviewers: Counter = field(default_factory=Counter)  # approver -> strings approved

    @property
    def total(self) -> int:
        return sum(self.statuses.values())

    def done(self, policy: Policy) -> bool:
        """Every string reviewed (or, with ``require = "approved"``, approved)."""
        wanted = self.approved if policy.require == "approved" else self.statuses["reviewed"]
        return wanted == self.total


def active(catalog: Iterable[polib.POEntry]) -> list[polib.POEntry]:
    """The entries that are the sheet's strings (not obsolete, not the header)."""
    return [e for e in catalog if not e.obsolete and e.msgid]


def tally(catalog: Iterable[polib.POEntry], policy: Policy = Policy()) -> Tally:
    statuses: Counter = Counter({s: 0 for s in STATUSES})
    origins: Counter = Counter()
    reviewers: Counter = Counter()
    approved = 0
    for entry in active(catalog):
        state = status(entry, policy)
        statuses[state] += 1
        if entry.msgstr:
            origins[origin(entry)] += 1
        signed = approval(entry) if state == "reviewed" else None
        if signed is not None:
            approved += 1
            reviewers[signed.reviewer] += 1
    return Tally(statuses, approved, origins, reviewers)


def policy_for(config) -> Policy:
    """The project's :class:`Policy`, from ``[tool.l10n.release]``."""
    from .config import release_settings

    settings = release_settings(config)
    return Policy(settings.memory_exact_counts_as_reviewed, settings.require)
