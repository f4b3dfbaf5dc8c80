"""How far each sheet's translation is: strings and words by status, and whether it can ship.

An entry's status, from what the workflow writes into the PO file:

* ``reviewed`` — a translation, not fuzzy: a person has checked it;
* ``machine`` — fuzzy, with a translator comment ``l10n: machine <engine> <version>``;
* ``memory`` — fuzzy, with a translator comment ``l10n: memory ...`` or
  ``l10n: glossary ...`` (filled from reviewed text or the glossary);
* ``changed`` — fuzzy because the English changed since it was translated
  (``#| msgid`` holds the previous English), or fuzzy for any other reason;
* ``untranslated`` — no translation.

The first is done; the three fuzzy ones need a reviewer; the last a translator.
A sheet is *ready* for release when every string is reviewed and the QA checks
found no error.

>>> entry = polib.POEntry(msgid="Yes", msgstr="Sí", flags=["fuzzy"], tcomment="l10n: machine apertium 3.8")
>>> entry_status(entry)
'machine'
>>> entry_status(polib.POEntry(msgid="Yes", msgstr="Sí", flags=["fuzzy"], tcomment="l10n: glossary [1a2b]"))
'memory'
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

import polib

from .catalog import read_catalog
from .checks import ERROR, Problem, Terms, check_catalog, check_source
from .config import Config
from .document import Document, read_document
from .errors import ConfigError, L10nError
from .segment import Segment, segment_document

__all__ = [
    "STATUSES",
    "FUZZY",
    "entry_status",
    "entry_words",
    "SheetStats",
    "SheetState",
    "sheet_stats",
    "read_sheets",
    "format_table",
    "stats_json",
]

STATUSES = ("reviewed", "machine", "memory", "changed", "untranslated")
FUZZY = ("machine", "memory", "changed")

_ORIGIN = re.compile(r"^l10n: (machine|memory|glossary)\b", re.M)


def entry_status(entry: polib.POEntry) -> str:
    """One of :data:`STATUSES` for a PO entry (see the module docstring)."""
    if not entry.msgstr:
        return "untranslated"
    if "fuzzy" not in entry.flags:
        return "reviewed"
    if entry.previous_msgid:
        return "changed"  # what matters first to a reviewer: the English is new
    found = _ORIGIN.search(entry.tcomment or "")
    if not found:
        return "changed"
    return "memory" if found.group(1) == "glossary" else found.group(1)


def entry_words(entry: polib.POEntry) -> int:
    """Words of the English text, not counting ``[N]``/``{N}`` placeholders or URLs."""
    text = re.sub(r"\]\[\d+\]|\{\d+\}|https?://\S+", " ", entry.msgid)
    return len(re.findall(r"[^\W_]+(?:[-'’][^\W_]+)*", text))


@dataclass(frozen=True)
class SheetStats:
    """One sheet in one locale: strings and words by status, and QA problem counts."""

    sheet: str
    locale: str
    strings: Counter = field(default_factory=Counter)
    words: Counter = field(default_factory=Counter)
    errors: int = 0
    warnings: int = 0

    @property
    def total_strings(self) -> int:
        return sum(self.strings.values())

    @property
    def total_words(self) -> int:
        return sum(self.words.values())

    @property
    def fuzzy(self) -> int:
        return sum(self.strings[s] for s in FUZZY)

    @property
    def ready(self) -> bool:
        """Every string reviewed, and no error-level problem: fit to publish."""
        return self.strings["reviewed"] == self.total_strings and not self.errors

    def as_dict(self) -> dict:
        return {
            "sheet": self.sheet,
            "locale": self.locale,
            "strings": {"total": self.total_strings, **{s: self.strings[s] for s in STATUSES}},
            "words": {"total": self.total_words, **{s: self.words[s] for s in STATUSES}},
            "errors": self.errors,
            "warnings": self.warnings,
            "ready": self.ready,
        }


def sheet_stats(catalog: polib.POFile, sheet: str, locale: str, problems: Iterable[Problem] = ()) -> SheetStats:
    """Count a catalog's active entries by status; ``problems`` are the sheet's QA findings."""
    strings: Counter = Counter({s: 0 for s in STATUSES})
    words: Counter = Counter({s: 0 for s in STATUSES})
    for entry in catalog:
        if entry.obsolete or not entry.msgid:
            continue
        status = entry_status(entry)
        strings[status] += 1
        words[status] += entry_words(entry)
    severities = Counter(p.severity for p in problems)
    return SheetStats(sheet, locale, strings, words, severities[ERROR], sum(severities.values()) - severities[ERROR])


# -- a whole project ------------------------------------------------------------------


@dataclass(frozen=True)
class SheetState:
    """Everything known about one sheet in one locale: what check, stats and review show."""

    doc: Document
    segments: tuple[Segment, ...]
    catalog: polib.POFile
    catalog_path: str  # as messages name it
    locale: str
    source_problems: tuple[Problem, ...]
    problems: tuple[Problem, ...]  # the catalog's

    @property
    def stats(self) -> SheetStats:
        return sheet_stats(self.catalog, self.doc.slug, self.locale, self.source_problems + self.problems)


def project_terms(config: Config, locale: str) -> Terms | None:
    """The locale's glossary as :class:`~l10n.checks.Terms`, if the project has one."""
    path = config.root / config.locales_dir / locale / "glossary.csv"
    if not path.is_file():
        return None
    from .glossary import read_glossary

    glossary = read_glossary(path, config.display(path))
    return Terms(
        do_not_translate=frozenset(glossary.keep),
        required={term: wanted for term, wanted in glossary.terms.items() if wanted is not None},
    )


def read_sheets(
    config: Config, locale: str, sources: Sequence[Path], progress: Callable | None = None
) -> tuple[list[SheetState], list[L10nError]]:
    """Read and check every sheet and its PO file; a file that cannot be read is a failure, not the end."""
    states: list[SheetState] = []
    failures: list[L10nError] = []
    try:
        terms = project_terms(config, locale)
    except L10nError as err:  # check the rest without the glossary, and say so
        failures.append(err)
        terms = None
    for path in progress(sources) if progress else sources:
        catalog_path = config.catalog_path(locale, path.stem)
        try:
            doc = read_document(path, config.display(path))
            segments = tuple(segment_document(doc, config.front_matter_keys))
            if not catalog_path.exists():
                raise ConfigError(
                    f"no {locale} catalog for {config.display(path)}: run 'l10n update --locale {locale}' first"
                )
            shown = config.display(catalog_path)
            catalog = read_catalog(catalog_path, shown)
        except L10nError as err:
            failures.append(err)
            continue
        states.append(
            SheetState(
                doc=doc,
                segments=segments,
                catalog=catalog,
                catalog_path=shown,
                locale=locale,
                source_problems=tuple(check_source(doc, segments)),
                problems=tuple(check_catalog(catalog, shown, segments, terms)),
            )
        )
    return states, failures


# -- showing them ------------------------------------------------------------------------

_COLUMNS = ("sheet", "strings", "words", "reviewed", "machine", "memory", "changed", "untranslated", "errors", "ready")


def _row(stats: SheetStats, name: str) -> list[str]:
    def part(status: str) -> str:
        count = stats.strings[status]
        return f"{count} ({stats.words[status]}w)" if count else "-"

    return [
        name,
        str(stats.total_strings),
        str(stats.total_words),
        *(part(s) for s in STATUSES),
        str(stats.errors) if stats.errors else "-",
        "yes" if stats.ready else "no",
    ]


def _total(stats: Sequence[SheetStats], locale: str) -> SheetStats:
    strings, words = Counter(), Counter()
    for one in stats:
        strings.update(one.strings)
        words.update(one.words)
    return SheetStats("total", locale, strings, words, sum(s.errors for s in stats), sum(s.warnings for s in stats))


def format_table(stats: Sequence[SheetStats]) -> str:
    """A plain-text table, one block per locale, with a total row: for terminals and CI logs.

    Fuzzy columns (machine, memory, changed) and untranslated show strings and,
    in brackets, English words: the words are what a reviewer's time goes on.
    """
    lines: list[str] = []
    for locale in dict.fromkeys(s.locale for s in stats):
        mine = [s for s in stats if s.locale == locale]
        rows = [list(_COLUMNS)] + [_row(s, s.sheet) for s in mine]
        if len(mine) > 1:
            rows.append(_row(_total(mine, locale), "total"))
        widths = [max(len(row[i]) for row in rows) for i in range(len(_COLUMNS))]
        if lines:
            lines.append("")
        lines.append(f"locale {locale}")
        for number, row in enumerate(rows):
            cells = [row[0].ljust(widths[0])] + [cell.rjust(width) for cell, width in zip(row[1:], widths[1:])]
            lines.append("  ".join(cells).rstrip())
            if number == 0 or (len(mine) > 1 and number == len(rows) - 2):
                lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def stats_json(stats: Sequence[SheetStats]) -> str:
    """The same figures as JSON: ``{"locales": {L: {"sheets": [...], "total": {...}}}}``."""
    locales = {}
    for locale in dict.fromkeys(s.locale for s in stats):
        mine = [s for s in stats if s.locale == locale]
        total = _total(mine, locale).as_dict()
        total.pop("sheet")
        locales[locale] = {"sheets": [s.as_dict() for s in mine], "total": total}
    return json.dumps({"locales": locales}, ensure_ascii=False, indent=2)
