"""Terms: what is never translated, and what must be translated one way.

A locale's glossary is ``locales/<locale>/glossary.csv``, a UTF-8 CSV file
translators edit in any spreadsheet or text editor -- the team's term base::

    term,translation,note,source,status
    multiple myeloma,mieloma múltiple,,NCI Dictionary of Cancer Terms (es),approved
    clinical trials,ensayos clínicos,plural listed on its own,NCI Dictionary of Cancer Terms (es),approved
    clinical trials,estudios clínicos,,,deprecated
    cell,célula,,,proposed
    DailyMed,,do not translate: an empty translation keeps the term,,

* ``term`` is English, matched as whole words, ignoring case; the longest
  term wins where two overlap.  Write each form you need (singular, plural).
* ``translation`` is required wherever the term occurs; empty means *do not
  translate* (the English term stays, in the case it was written).
* ``note`` is for people; l10n ignores it.  ``source`` says where the choice
  comes from (a dictionary, a style guide, a reviewer's decision).
* ``status``: ``approved`` (the default when empty) is enforced by
  pretranslate and check; ``proposed`` is recorded, not enforced, until a
  reviewer approves it; ``deprecated`` records a translation *not* to use
  (a term may have several deprecated rows beside its one live row).
* Only ``term`` and ``translation`` are required: a file whose header stops
  at ``note`` (or at ``translation``) reads as before.  A row whose first cell
  starts with ``#`` is a comment.

:mod:`l10n.termbase` exports the file as TBX and imports TBX into it
(``l10n glossary export es.tbx``).

Every sheet also brings its own do-not-translate terms (:func:`sheet_terms`):
the drug's name (the title without `` - NCI``), the brand names under "US
Brand Name(s)" and the pronunciation line.
"""

from __future__ import annotations

import csv
import io
import os
import re
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

from .errors import L10nError
from .files import read_text
from .masking import Protection
from .segment import Segment

__all__ = ["Glossary", "GlossaryError", "Term", "read_glossary", "parse_glossary", "sheet_terms", "sheet_names",
           "SheetNames", "protection", "COLUMNS", "STATUSES"]

COLUMNS = ("term", "translation", "note", "source", "status")
STATUSES = ("approved", "proposed", "deprecated")


class GlossaryError(L10nError):
    """A glossary file cannot be read."""


@dataclass(frozen=True)
class Term:
    """One row of the term base: an English term, its translation (None: keep it), and its record."""

    term: str
    translation: str | None
    note: str = ""
    source: str = ""
    status: str = "approved"
    line: int | None = None


@dataclass(frozen=True)
class Glossary:
    """A locale's terms: lower-case English term -> required translation, or None (keep).

    ``terms`` holds the approved rows only, the ones l10n enforces; ``entries``
    every row as written, proposed and deprecated ones too.
    """

    terms: Mapping[str, str | None]
    path: str = ""
    entries: tuple[Term, ...] = ()

    @property
    def keep(self) -> tuple[str, ...]:
        return tuple(t for t, v in self.terms.items() if v is None)


def _header(cells: list[str], path: str, line: int) -> int:
    """How many columns the header names; it must be ``term,translation`` and then COLUMNS in order."""
    names = [c.lower() for c in cells]
    while names and not names[-1]:
        names.pop()
    if len(names) < 2 or names != list(COLUMNS[: len(names)]):
        raise GlossaryError(f"the first row must be the header '{','.join(COLUMNS)}' "
                            f"(or its first columns, at least 'term,translation')", path, line)
    return len(names)


def parse_glossary(text: str, path: str) -> Glossary:
    """Parse glossary CSV text; problems raise :class:`GlossaryError` at ``path:line``.

    >>> g = parse_glossary("term,translation,note\\nDrug,medicamento,\\nFDA,,\\n", "g.csv")
    >>> dict(g.terms)
    {'drug': 'medicamento', 'fda': None}
    """
    rows = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    terms: dict[str, str | None] = {}
    entries: list[Term] = []
    where: dict[str, int] = {}
    avoided: set[tuple[str, str]] = set()
    columns = 0
    for row in rows:
        line = rows.line_num
        if not row or not "".join(row).strip() or row[0].lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in row]
        if not columns:
            columns = _header(cells, path, line)
            continue
        while len(cells) > columns and not cells[-1]:
            cells.pop()  # a spreadsheet's trailing empty cells
        if len(cells) > columns:
            raise GlossaryError(f"{len(cells)} cells; expected at most {columns} ({', '.join(COLUMNS[:columns])})",
                                path, line)
        cells += [""] * (len(COLUMNS) - len(cells))
        term = " ".join(cells[0].split())
        translation = " ".join(cells[1].split())
        note, source, status = cells[2], " ".join(cells[3].split()), cells[4].lower() or "approved"
        if not term or not any(ch.isalnum() for ch in term):
            raise GlossaryError("the term is empty", path, line)
        if status not in STATUSES:
            raise GlossaryError(f"unknown status {cells[4]!r} (known: {', '.join(STATUSES)}; empty is approved)",
                                path, line)
        key = term.lower()
        if status == "deprecated":
            if not translation:
                raise GlossaryError("a deprecated row names the translation not to use: it is empty", path, line)
            if (key, translation.lower()) in avoided:
                raise GlossaryError(f"{term!r} -> {translation!r} is deprecated twice", path, line)
            avoided.add((key, translation.lower()))
        else:
            if key in where:
                raise GlossaryError(f"the term {term!r} is listed twice (first at line {where[key]}); "
                                    f"mark the one not to use as deprecated", path, line)
            where[key] = line
            if status == "approved":
                terms[key] = translation or None
        entries.append(Term(term, translation or None, note, source, status, line))
    return Glossary(terms, path, tuple(entries))


def read_glossary(path: str | os.PathLike, display: str | None = None) -> Glossary:
    """Read a glossary file; a missing file is an empty glossary."""
    shown = display or str(path)
    if not os.path.exists(path):
        return Glossary({}, shown)
    return parse_glossary(read_text(path, shown), shown)


_PRONUNCIATION = re.compile(r"\(([A-Za-z]+(?:[- ][A-Za-z]+)+)\)")
_SUFFIX = re.compile(r"\s+-\s+NCI\s*$")


@dataclass(frozen=True)
class SheetNames:
    """The names a sheet declares, by kind: its drug, its brands, its pronunciation lines.

    The kinds matter to the checks: a brand or a pronunciation never changes,
    the drug's generic name may take its Spanish form (:mod:`l10n.drugnames`).
    """

    drug: str | None = None
    brands: tuple[str, ...] = ()
    pronunciations: tuple[str, ...] = ()


def sheet_names(segments: Sequence[Segment]) -> SheetNames:
    """The drug (the title without `` - NCI``), brands and pronunciations a sheet names.

    >>> from l10n.document import parse_document
    >>> from l10n.segment import segment_document
    >>> doc = parse_document("---\\ntitle: Carfilzomib - NCI\\n---\\n# Carfilzomib\\n\\n(kar-FIL-zoh-mib)\\n\\n"
    ...                      "US Brand Name(s)\\n\\nKyprolis, Kyp\\n", "x.md")
    >>> sheet_names(segment_document(doc))
    SheetNames(drug='Carfilzomib', brands=('Kyprolis', 'Kyp'), pronunciations=('kar-FIL-zoh-mib',))
    """
    drug: str | None = None
    brands: list[str] = []
    sounds: list[str] = []
    for index, seg in enumerate(segments):
        if seg.key == "front-matter/title" and drug is None:
            drug = _SUFFIX.sub("", seg.text).strip() or None
        elif seg.kind == "paragraph" and _PRONUNCIATION.fullmatch(seg.text.strip()):
            sounds.append(seg.text.strip()[1:-1])
        elif seg.text.strip().lower().startswith("us brand name") and index + 1 < len(segments):
            brands.extend(b.strip() for b in re.split(r"[,;\n]", segments[index + 1].text) if b.strip())
    return SheetNames(drug, tuple(brands), tuple(sounds))


def sheet_terms(segments: Sequence[Segment]) -> tuple[str, ...]:
    """Do-not-translate terms a sheet names itself: drug, pronunciation, brand names.

    >>> from l10n.document import parse_document
    >>> from l10n.segment import segment_document
    >>> doc = parse_document("---\\ntitle: Carfilzomib - NCI\\n---\\n# Carfilzomib\\n\\n(kar-FIL-zoh-mib)\\n\\n"
    ...                      "US Brand Name(s)\\n\\nKyprolis, Kyp\\n", "x.md")
    >>> sheet_terms(segment_document(doc))
    ('Carfilzomib', 'kar-FIL-zoh-mib', 'Kyprolis', 'Kyp')
    """
    names = sheet_names(segments)
    found = ([names.drug] if names.drug else []) + list(names.pronunciations) + list(names.brands)
    seen: set[str] = set()
    return tuple(t for t in found if t and any(c.isalpha() for c in t) and not (t.lower() in seen or seen.add(t.lower())))


def protection(glossary: Glossary | None, keep: Iterable[str] = ()) -> Protection:
    """The masks for one sheet: the glossary plus the sheet's own terms (kept as they are)."""
    terms: dict[str, str | None] = dict(glossary.terms) if glossary else {}
    for term in keep:
        terms[term.lower()] = None  # a sheet's own name wins over a glossary translation
    return Protection(terms)
