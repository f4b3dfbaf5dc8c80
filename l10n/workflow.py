"""The pipeline over a whole project: every sheet, every stage, one report.

Each function takes the project's :class:`~l10n.config.Config` and returns a
:class:`Report`; a bad sheet or PO file becomes a problem in the report and the
other sheets are still processed.  Nothing here prints.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from .build import OUTCOMES, build_sheet
from .catalog import (
    is_translated,
    read_catalog,
    template_for,
    update_catalog,
    write_catalog,
)
from .config import Config
from .document import read_document
from .errors import ConfigError, L10nError
from .files import write_text_atomic
from .segment import segment_document

__all__ = ["Report", "select_sources", "extract", "update", "build"]


@dataclass
class Report:
    """What a stage did: a line per sheet, problems, and totals."""

    lines: list[str] = field(default_factory=list)
    problems: list[L10nError] = field(default_factory=list)  # a sheet or file could not be done
    warnings: list[L10nError] = field(default_factory=list)  # done, but something was left out
    totals: Counter = field(default_factory=Counter)
    written: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def select_sources(config: Config, names: Sequence[str] = ()) -> list[Path]:
    """The sheets to work on: all of them, or those named (by path or slug)."""
    sources = config.sources()
    if not names:
        return sources
    by_slug = {p.stem: p for p in sources}
    chosen = []
    for name in names:
        path = Path(name)
        slug = path.stem if path.suffix == ".md" else name
        if slug not in by_slug:
            raise ConfigError(f"no sheet {name!r} in {config.source}/")
        chosen.append(by_slug[slug])
    return chosen


def _each(paths: Sequence[Path], progress=None) -> Iterable[Path]:
    """``progress`` wraps the sheets in a progress bar (the CLI passes tqdm)."""
    return progress(paths) if progress else paths


def extract(config: Config, sources: Sequence[Path], progress=None) -> Report:
    """Sheets -> one POT per sheet in ``locales/templates``."""
    report = Report()
    for path in _each(sources, progress):
        try:
            doc = read_document(path, config.display(path))
            segments = segment_document(doc, config.front_matter_keys)
            template = template_for(doc, segments)
            target = config.template_path(doc.slug)
            changed = write_catalog(template, target)
        except L10nError as err:
            report.problems.append(err)
            continue
        report.totals["sheets"] += 1
        report.totals["strings"] += len(template)
        if changed:
            report.written.append(target)
        report.lines.append(
            f"{config.display(target)}: {len(template)} strings"
            + ("" if changed else " (unchanged)")
        )
    return report


def update(config: Config, locale: str, sources: Sequence[Path], progress=None) -> Report:
    """POTs -> the locale's PO files, msgmerge-style, keeping every translation."""
    report = Report()
    for path in _each(sources, progress):
        slug = path.stem
        template_path = config.template_path(slug)
        target = config.catalog_path(locale, slug)
        try:
            if not template_path.exists():
                raise ConfigError(f"no template for {config.display(path)}: run 'l10n extract' first")
            template = read_catalog(template_path, config.display(template_path))
            old = read_catalog(target, config.display(target)) if target.exists() else None
            catalog, summary = update_catalog(old, template, locale)
            changed = write_catalog(catalog, target)
        except L10nError as err:
            report.problems.append(err)
            continue
        report.totals["sheets"] += 1
        for name in ("kept", "fuzzy", "added", "obsoleted", "revived"):
            report.totals[name] += getattr(summary, name)
        if changed:
            report.written.append(target)
        reviewed = sum(1 for e in catalog if is_translated(e))
        active = sum(1 for e in catalog if not e.obsolete)
        report.lines.append(
            f"{config.display(target)}: {reviewed}/{active} reviewed; {summary}"
            + ("" if changed else " (unchanged)")
        )
    return report


def build(config: Config, locale: str, sources: Sequence[Path], include_fuzzy: bool = False, progress=None) -> Report:
    """Sheets + the locale's PO files -> ``build/<locale>/<slug>.md``."""
    report = Report()
    for path in _each(sources, progress):
        slug = path.stem
        catalog_path = config.catalog_path(locale, slug)
        try:
            doc = read_document(path, config.display(path))
            segments = segment_document(doc, config.front_matter_keys)
            if not catalog_path.exists():
                raise ConfigError(
                    f"no {locale} catalog for {config.display(path)}: run 'l10n update --locale {locale}' first"
                )
            catalog = read_catalog(catalog_path, config.display(catalog_path))
            result = build_sheet(doc, segments, catalog, locale, include_fuzzy)
            target = config.build_path(locale, slug)
            changed = write_text_atomic(target, result.text)
        except L10nError as err:
            report.problems.append(err)
            continue
        report.warnings.extend(result.problems)
        report.totals["sheets"] += 1
        report.totals.update(result.counts)
        if changed:
            report.written.append(target)
        counts = ", ".join(f"{result.counts[k]} {k}" for k in OUTCOMES if result.counts[k])
        report.lines.append(f"{config.display(target)}: {result.status} ({counts})")
    return report
