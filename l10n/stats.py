"""How far each sheet's translation is: strings and words by status, and whether it can ship.

An entry's status and origin come from :mod:`l10n.provenance` (the same
reading the review page and the release manifest use):

* ``reviewed`` — a translation, not fuzzy: a person has checked it;
* ``memory-exact`` — an exact memory match filled in as reviewed, not yet
  confirmed here (counted as reviewed only with ``[tool.l10n.release]
  memory-exact-counts-as-reviewed = true``);
* ``machine`` — fuzzy, with a translator comment ``l10n: machine <engine> <version>``;
* ``memory`` — fuzzy, with a translator comment ``l10n: memory ...`` or
  ``l10n: glossary ...`` (filled from reviewed text or the glossary);
* ``changed`` — fuzzy because the English changed since it was translated
  (``#| msgid`` holds the previous English), or fuzzy for any other reason;
* ``untranslated`` — no translation.

Beside the status: how many reviewed strings a clinical reviewer *approved*
(:mod:`l10n.approval`), and each string's origin (translator, memory exact,
memory names swapped, memory near, glossary, machine + engine).  A sheet is
*ready* for release when every string is reviewed (or approved, with
``require = "approved"``) and the QA checks found no error.

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
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable, Sequence

import polib

from .catalog import read_catalog
from .checks import ERROR, Problem, Terms, check_catalog, check_source
from .config import Acceptance, Config, release_settings
from .document import Document, read_document
from .errors import ConfigError, L10nError
from .provenance import FUZZY, STATUSES, Policy, active, policy_for, status, tally
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


ACCEPTED = "accepted"  # the severity of a source problem a release manager accepted


def entry_status(entry: polib.POEntry, policy: Policy = Policy()) -> str:
    """One of :data:`STATUSES` for a PO entry (see the module docstring)."""
    return status(entry, policy)


def entry_words(entry: polib.POEntry) -> int:
    """Words of the English text, not counting ``[N]``/``{N}`` placeholders or URLs."""
    text = re.sub(r"\]\[\d+\]|\{\d+\}|https?://\S+", " ", entry.msgid)
    return len(re.findall(r"[^\W_]+(?:[-'’][^\W_]+)*", text))


@dataclass(frozen=True)
class SheetStats:
    """One sheet in one locale: strings and words by status, approvals, origins, QA problem counts."""

    sheet: str
    locale: str
    strings: Counter = field(default_factory=Counter)
    words: Counter = field(default_factory=Counter)
    errors: int = 0
    warnings: int = 0
    approved: int = 0
    provenance: Counter = field(default_factory=Counter)  # origin -> strings with text
    reviewers: Counter = field(default_factory=Counter)  # approver -> strings approved
    policy: Policy = Policy()

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
        """Every string reviewed (approved, if the project requires it), and no error: fit to publish."""
        done = self.approved if self.policy.require == "approved" else self.strings["reviewed"]
        return done == self.total_strings and not self.errors

    def as_dict(self) -> dict:
        return {
            "sheet": self.sheet,
            "locale": self.locale,
            "strings": {"total": self.total_strings, **{s: self.strings[s] for s in STATUSES},
                        "approved": self.approved},
            "words": {"total": self.total_words, **{s: self.words[s] for s in STATUSES}},
            "provenance": dict(sorted(self.provenance.items())),
            "reviewers": dict(sorted(self.reviewers.items())),
            "errors": self.errors,
            "warnings": self.warnings,
            "ready": self.ready,
        }


def sheet_stats(catalog: polib.POFile, sheet: str, locale: str, problems: Iterable[Problem] = (),
                policy: Policy = Policy()) -> SheetStats:
    """Count a catalog's active entries by status; ``problems`` are the sheet's QA findings."""
    counted = tally(catalog, policy)
    words: Counter = Counter({s: 0 for s in STATUSES})
    for entry in active(catalog):
        words[status(entry, policy)] += entry_words(entry)
    severities = Counter(p.severity for p in problems)
    return SheetStats(sheet, locale, counted.statuses, words, severities[ERROR],
                      sum(severities.values()) - severities[ERROR] - severities[ACCEPTED],
                      counted.approved, counted.origins, counted.reviewers, policy)


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
    policy: Policy = Policy()

    @property
    def stats(self) -> SheetStats:
        return sheet_stats(self.catalog, self.doc.slug, self.locale, self.source_problems + self.problems,
                           self.policy)


def mark_accepted(problems: Iterable[Problem], accepted: Sequence[Acceptance], slug: str, locale: str) -> list[Problem]:
    """Source problems a release manager accepted for this sheet (``[[release.accept]]``), marked so.

    An accepted problem is still shown, with who accepted it and why, but is
    no longer an error: the decision is on the record in the configuration.
    """
    marked = []
    for problem in problems:
        rule = next((a for a in accepted if a.covers(slug, locale, problem.check, problem.line)), None)
        if rule is not None and problem.severity == ERROR:
            problem = replace(problem, severity=ACCEPTED,
                              message=f"{problem.message} (accepted by {rule.by}: {rule.reason})")
        marked.append(problem)
    return marked


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
    policy = policy_for(config)
    accepted = release_settings(config).accept
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
                source_problems=tuple(mark_accepted(check_source(doc, segments), accepted, doc.slug, locale)),
                problems=tuple(check_catalog(catalog, shown, segments, terms)),
                policy=policy,
            )
        )
    return states, failures


# -- showing them ------------------------------------------------------------------------

_COLUMNS = ("sheet", "strings", "words", *STATUSES, "approved", "errors", "ready")


def _row(stats: SheetStats, name: str) -> list[str]:
    def part(status: str) -> str:
        count = stats.strings[status]
        return f"{count} ({stats.words[status]}w)" if count else "-"

    return [
        name,
        str(stats.total_strings),
        str(stats.total_words),
        *(part(s) for s in STATUSES),
        str(stats.approved) if stats.approved else "-",
        str(stats.errors) if stats.errors else "-",
        "yes" if stats.ready else "no",
    ]


def _total(stats: Sequence[SheetStats], locale: str) -> SheetStats:
    strings, words, origins, reviewers = Counter(), Counter(), Counter(), Counter()
    for one in stats:
        strings.update(one.strings)
        words.update(one.words)
        origins.update(one.provenance)
        reviewers.update(one.reviewers)
    return SheetStats("total", locale, strings, words, sum(s.errors for s in stats), sum(s.warnings for s in stats),
                      sum(s.approved for s in stats), origins, reviewers, stats[0].policy if stats else Policy())


def origins_line(counts: Counter) -> str:
    """"translator 20, machine apertium 3.8.3 5, memory exact 3": who wrote the text, most first."""
    return ", ".join(f"{name} {count}" for name, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def format_table(stats: Sequence[SheetStats]) -> str:
    """A plain-text table, one block per locale, with a total row: for terminals and CI logs.

    Status columns show strings and, in brackets, English words: the words
    are what a reviewer's time goes on.  ``memory-exact`` are exact memory
    matches filled in as reviewed and not yet confirmed here.  Below the
    table, who or what wrote each sheet's current text.
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
        lines.append("written by:")
        lines.extend(f"  {s.sheet}: {origins_line(s.provenance) or '-'}" for s in mine)
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
