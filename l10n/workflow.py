"""The pipeline over a whole project: every sheet, every stage, one report.

Each stage is a function of one sheet (``_extract_sheet``, ...) run over all
sheets, on every core when there are many (sheets are independent), and
skipping sheets whose inputs have not changed since the last run (see
:mod:`l10n.state`).  A bad sheet or PO file becomes a problem in the report and
the other sheets are still processed.  Nothing here prints.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from functools import partial
from pathlib import Path
from typing import Callable, Iterable, NamedTuple, Sequence

from .build import OUTCOMES, build_sheet
from .catalog import (SAVE_RACE_ATTEMPTS, UpdateSummary, catalog_text, is_translated, new_catalog_text, parse_catalog, source_hash,
                      template_for, update_catalog)
from .config import Config
from .document import Document, parse_document, sheet_name_problem, sheet_slug, shown_name
from .errors import ConfigError, L10nError
from .files import FileChangedError, os_reason, read_text, write_text_atomic
from .parallel import fork_map
from .segment import Segment, segment_document
from .state import SegmentCache, StageState, fingerprint, inputs_untouched, stamp, untouched

__all__ = ["Report", "SheetResult", "select_sources", "extract", "update", "build", "default_jobs"]

# Below this many sheets, starting worker processes costs more than it saves
# (a fork costs about what one sheet does).
PARALLEL_THRESHOLD = 8


class SheetResult:
    """What a stage did to one sheet (small: it travels back from a worker process)."""

    __slots__ = ("slug", "line", "problems", "warnings", "totals", "fingerprint", "output", "inputs", "cache_row")

    def __init__(self, slug: str, line: str = "", problems: list[L10nError] | None = None,
                 output: Path | None = None, inputs: list | None = None):
        self.slug = slug
        self.line = line
        self.problems: list[L10nError] = problems or []
        self.warnings: list[L10nError] = []  # done, but something was left out
        self.totals: Counter = Counter()
        self.fingerprint: str | None = None  # what to remember for next time; None: forget
        self.output = output
        self.inputs: list = inputs or []  # the input files' stamps, taken before reading them
        self.cache_row: tuple | None = None  # the sheet to cache (see l10n.state.SegmentCache)


class Report:
    """What a stage did: a line per sheet, problems, and totals.

    With ``echo``, each line goes to it as it comes rather than into ``lines``.
    """

    def __init__(self, echo: Callable[[str], None] | None = None) -> None:
        self.echo = echo
        self.lines: list[str] = []
        self.problems: list[L10nError] = []  # a sheet or file could not be done
        self.warnings: list[L10nError] = []  # done, but something was left out
        self.totals: Counter = Counter()
        self.written: list[Path] = []

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, result: SheetResult) -> None:
        if result.line:
            if self.echo is not None:
                self.echo(result.line)
            else:
                self.lines.append(result.line)
        self.problems.extend(result.problems)
        self.warnings.extend(result.warnings)
        self.totals.update(result.totals)


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def select_sources(config: Config, names: Sequence[str] = ()) -> list[Path]:
    """The sheets to work on: all of them, or those named (by path or slug).

    Refused up front, all named in one error (nothing is done): a file name
    that cannot be a slug or a PO reference, and a symlink to a file outside
    the project unless ``follow-symlinks-outside`` is set.
    """
    sources = config.sources()
    if names:
        by_slug = {sheet_slug(p): p for p in sources}
        chosen = []
        for name in names:
            path = Path(name)
            slug = sheet_slug(path) if path.suffix == ".md" else name
            if slug not in by_slug:
                raise ConfigError(f"no sheet {name!r} in {config.source}/")
            chosen.append(by_slug[slug])
        sources = chosen
    outside = _outside_project(config)
    refused = [f"{shown_name(config.display(path))}: {problem}"
               for path in sources if (problem := _source_problem(path, outside))]
    if refused:
        raise ConfigError("refused before anything was done:\n  " + "\n  ".join(refused))
    return sources


def _outside_project(config: Config) -> Callable[[Path], bool]:
    """Whether a sheet's real file is outside the project (never, with follow-symlinks-outside)."""
    if config.follow_symlinks_outside:
        return lambda path: False
    root = config.root.resolve()
    if not config.source_dir.resolve().is_relative_to(root):  # the folder itself is a link out
        return lambda path: True
    # Only a symlink can lead out of a folder inside the project: one lstat a sheet.
    return lambda path: path.is_symlink() and not path.resolve().is_relative_to(root)


def _source_problem(path: Path, outside: Callable[[Path], bool]) -> str | None:
    problem = sheet_name_problem(path.name)
    if problem is None and outside(path):
        problem = ("its file is outside the project (a symlink); set follow-symlinks-outside = true "
                   "in the configuration to allow it")
    return problem


class _Stage(NamedTuple):
    """One stage for :func:`_run`: its per-sheet task and the files it reads and writes."""

    name: str
    task: Callable[[Path, list | None], SheetResult]
    inputs: Callable[[Path], list[Path]]
    output: Callable[[Path], Path]
    settings: str  # fingerprint of the settings that change its output


def _run(config: Config, stage: _Stage, sources: Sequence[Path], jobs: int | None, progress, force: bool,
         echo: Callable[[str], None] | None = None) -> Report:
    """Run a stage over the sheets, in parallel where it pays, skipping untouched sheets.

    Nothing here grows with the collection but the list of sheet paths: each
    sheet's record is looked up (in the workers) and written back (by this
    process, in batches) one sheet at a time, and with ``echo`` the report's
    lines go out as they come instead of piling up.
    """
    state = StageState(config.root, stage.name)
    report = Report(echo)
    jobs = default_jobs() if jobs is None else max(1, jobs)
    if len(sources) < PARALLEL_THRESHOLD:
        jobs = 1

    def job(path: Path) -> SheetResult:
        record = None if force else state.record(path.stem)
        if record is not None and untouched(record, stage.settings, stage.inputs(path), stage.output(path)):
            result = SheetResult(path.stem)
            result.totals.update(sheets=1, unchanged=1)
            return result
        try:
            return stage.task(path, record)
        except OSError as err:  # a file that cannot be read (permissions, I/O error): this sheet only
            return SheetResult(path.stem, problems=[L10nError(os_reason(err), err.filename or config.display(path))])

    _collect(report, state, stage, fork_map(job, sources, jobs), progress, len(sources))
    state.save()
    return report


# Segment-cache rows (a sheet's parts and segments as JSON, some kilobytes
# each) kept before they are written.
_CACHE_BATCH = 64


def _collect(report: Report, state: StageState, stage: _Stage, results: Iterable[SheetResult], progress,
             total: int) -> None:
    cache = SegmentCache(state.root)
    rows = []
    for result in progress(results, total) if progress else results:
        report.add(result)
        if result.output is not None:
            state.remember(result.slug, result.fingerprint, result.output, result.inputs, stage.settings)
        if result.cache_row is not None:
            rows.append(result.cache_row)
            if len(rows) >= _CACHE_BATCH:
                cache.store(rows)
                rows = []
    cache.store(rows)


def _unchanged(record: list | None, print_: str, output: Path) -> bool:
    """Same inputs as last time, and the output as written then."""
    if not record or record[0] != print_:
        return False
    written = stamp(output)
    return written is not None and record[1] == written


# -- extract ---------------------------------------------------------------------


def _read_sheet(config: Config, path: Path, text: str, result: SheetResult) -> tuple[Document, list[Segment]]:
    """A sheet's Document and segments, from the cache when its text is as it was when last read.

    A cached sheet needs neither YAML nor Markdown parsing; a freshly read
    one goes back in ``result`` for the parent to cache.
    """
    display = config.display(path)
    key = fingerprint("sheet", text, config.front_matter_keys, display)
    cached = SegmentCache(config.root).load(path.stem, key, text, display)
    if cached is not None:
        return cached
    doc = parse_document(text, display)
    segments = segment_document(doc, config.front_matter_keys)
    result.cache_row = SegmentCache.row(path.stem, key, doc, segments)
    return doc, segments


def _extract_sheet(config: Config, path: Path, record: list | None) -> SheetResult:
    slug = path.stem
    target = config.template_path(slug)
    result = SheetResult(slug, output=target, inputs=[stamp(path)])
    try:
        text = read_text(path, config.display(path))
        print_ = fingerprint("extract", text, config.front_matter_keys, config.display(path))
        result.fingerprint = print_
        result.totals["sheets"] += 1
        if _unchanged(record, print_, target):
            result.totals["unchanged"] += 1
            return result
        template = template_for(*_read_sheet(config, path, text, result))
        changed = write_text_atomic(target, catalog_text(template), durable=False, display=config.display(target))
    except L10nError as err:
        return SheetResult(slug, problems=[err], output=target)
    result.totals["strings"] += len(template)
    result.line = f"{config.display(target)}: {len(template)} strings" + ("" if changed else " (unchanged)")
    return result


def extract(config: Config, sources: Sequence[Path], progress=None, jobs: int | None = None,
            force: bool = False, echo: Callable[[str], None] | None = None) -> Report:
    """Sheets -> one POT per sheet in ``locales/templates``."""
    stage = _Stage("extract", partial(_extract_sheet, config), lambda path: [path],
                   lambda path: config.template_path(path.stem), fingerprint(config.front_matter_keys))
    return _run(config, stage, sources, jobs, progress, force, echo)


# -- update ----------------------------------------------------------------------


def _update_sheet(config: Config, locale: str, settings: str, path: Path, record: list | None) -> SheetResult:
    slug = path.stem
    template_path = config.template_path(slug)
    target = config.catalog_path(locale, slug)
    shown = config.display(target)
    result = SheetResult(slug, output=target, inputs=[stamp(path)])
    try:
        text = read_text(path, config.display(path))
        if record is not None and inputs_untouched(record, settings, [path]):
            # The sheet is as at the last merge and only the PO file was saved
            # since (a translator's work, the usual case): no merge is needed
            # unless its header shows other English (an older copy put back).
            # Read from the two files, without making the template: at 1,000
            # sheets this took a second 'update' after a translation round from
            # 1.2 s to 0.2 s (CPU, one process).
            try:
                old_text = read_text(target, shown)
            except FileNotFoundError:
                old_text = None
            if old_text is not None and source_hash(old_text) == hashlib.sha256(text.encode()).hexdigest():
                result.fingerprint = record[0]
                result.totals.update(sheets=1, unchanged=1)
                return result
        # The template comes from the sheet itself (and is refreshed on disk), so
        # 'update' never works from a stale POT and needs no 'extract' first.
        template = template_for(*_read_sheet(config, path, text, result))
        template_text = catalog_text(template)
        write_text_atomic(template_path, template_text, durable=False, display=config.display(template_path))
        result.totals["sheets"] += 1
        print_ = fingerprint("update", locale, template_text)
        for attempt in range(SAVE_RACE_ATTEMPTS):
            try:
                old_text = read_text(target, shown)
            except FileNotFoundError:
                old_text = None
            # Merging the same template again changes nothing, whatever the
            # translator did to the PO file since: only a PO file not merged
            # with this template needs a merge.  The file's own header says
            # which English it was merged with, so a PO file put back from
            # before the last update (an older copy, a lost race) is merged
            # again whatever the record says.
            # (The PO file itself is the translator's: read above, it need only be there.)
            if old_text is not None and record and record[0] == print_ \
                    and source_hash(old_text) == template.metadata["X-Source-SHA256"]:
                result.fingerprint = print_
                result.totals["unchanged"] += 1
                return result
            try:
                if old_text is None:
                    # A new catalog: its entries are the template's, so is their text.
                    summary = UpdateSummary(added=len(template))
                    reviewed, active = 0, len(template)
                    new_text = new_catalog_text(template, template_text, locale)
                else:
                    catalog, summary = update_catalog(parse_catalog(old_text, shown), template, locale)
                    reviewed = sum(1 for e in catalog if is_translated(e))
                    active = sum(1 for e in catalog if not e.obsolete)
                    new_text = catalog_text(catalog)
                # Forced to disk when it replaces a file a person may have worked on;
                # never over a save made since it was read.
                changed = write_text_atomic(target, new_text, durable=old_text is not None,
                                            expected=old_text or "", display=shown)
                break
            except FileChangedError:
                if attempt == SAVE_RACE_ATTEMPTS - 1:
                    raise
    except L10nError as err:
        return SheetResult(slug, problems=[err], output=target)
    result.fingerprint = print_
    for name in ("kept", "fuzzy", "added", "obsoleted", "revived"):
        result.totals[name] += getattr(summary, name)
    result.line = (f"{shown}: {reviewed}/{active} reviewed; {summary}"
                   + ("" if changed else " (unchanged)"))
    return result


def update(config: Config, locale: str, sources: Sequence[Path], progress=None, jobs: int | None = None,
           force: bool = False, echo: Callable[[str], None] | None = None) -> Report:
    """Sheets -> their POTs and the locale's PO files, msgmerge-style, keeping every translation."""
    settings = fingerprint(locale, config.front_matter_keys)
    stage = _Stage(f"update-{locale}", partial(_update_sheet, config, locale, settings),
                   lambda path: [path],
                   lambda path: config.catalog_path(locale, path.stem),
                   settings)
    return _run(config, stage, sources, jobs, progress, force, echo)


# -- build -----------------------------------------------------------------------


def _build_sheet(config: Config, locale: str, include_fuzzy: bool, path: Path, record: list | None) -> SheetResult:
    slug = path.stem
    catalog_path = config.catalog_path(locale, slug)
    target = config.build_path(locale, slug)
    result = SheetResult(slug, output=target, inputs=[stamp(path), stamp(catalog_path)])
    try:
        text = read_text(path, config.display(path))
        if not catalog_path.exists():
            raise ConfigError(
                f"no {locale} catalog for {config.display(path)}: run 'l10n update --locale {locale}' first"
            )
        catalog_text_ = read_text(catalog_path, config.display(catalog_path))
        result.totals["sheets"] += 1
        print_ = fingerprint("build", locale, include_fuzzy, config.front_matter_keys, text, catalog_text_,
                             config.display(path))
        if _unchanged(record, print_, target):
            # Nothing was refused last time either: a refusal leaves no record.
            result.fingerprint = print_
            result.totals["unchanged"] += 1
            return result
        doc, segments = _read_sheet(config, path, text, result)
        catalog = parse_catalog(catalog_text_, config.display(catalog_path), comments=False)
        built = build_sheet(doc, segments, catalog, locale, include_fuzzy)
        write_text_atomic(target, built.text, durable=False, display=config.display(target))
    except L10nError as err:
        return SheetResult(slug, problems=[err], output=target)
    # A sheet with refused translations is rebuilt (and reported) every time.
    result.fingerprint = None if built.problems else print_
    result.warnings = list(built.problems)
    result.totals.update(built.counts)
    counts = ", ".join(f"{built.counts[k]} {k}" for k in OUTCOMES if built.counts[k])
    result.line = f"{config.display(target)}: {built.status} ({counts})"
    return result


def build(config: Config, locale: str, sources: Sequence[Path], include_fuzzy: bool = False, progress=None,
          jobs: int | None = None, force: bool = False, echo: Callable[[str], None] | None = None) -> Report:
    """Sheets + the locale's PO files -> ``build/<locale>/<slug>.md``."""
    stage = _Stage(f"build-{locale}" + ("-fuzzy" if include_fuzzy else ""),
                   partial(_build_sheet, config, locale, include_fuzzy),
                   lambda path: [path, config.catalog_path(locale, path.stem)],
                   lambda path: config.build_path(locale, path.stem),
                   fingerprint(locale, include_fuzzy, config.front_matter_keys))
    return _run(config, stage, sources, jobs, progress, force, echo)
