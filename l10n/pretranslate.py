"""Fill empty strings before a person reviews them: memory first, then an engine.

For every empty entry of a locale's PO files, in this order:

1. **memory** (:mod:`l10n.memory`), built from every reviewed entry of the
   locale: an exact match is filled as reviewed; a match that differs only in
   drug names or numbers, or a near match, is filled as fuzzy;
2. **glossary**: a string made only of protected terms (a brand name, a
   pronunciation) is filled from the glossary, as fuzzy;
3. **engine** (:mod:`l10n.engines`): :mod:`l10n.drafting` masks what must
   be protected (:mod:`l10n.masking`), translates in batches, restores and
   checks, masking names and glossary terms only when the engine got them
   wrong; the result is fuzzy.

Every filled entry gets a translator comment saying where its text came from
(``l10n: machine apertium 3.8.3 ... [1a2b3c4d]``, ``l10n: memory 87% from
seeds/carfilzomib.md [..]``).  The bracketed value is a fingerprint of the
text l10n wrote: when it no longer matches, a person has edited the entry, and
even ``--refresh`` leaves it alone.  Nothing filled can break a build: each
result must pass :func:`l10n.segment.render` and keep the source's markup, or
the entry stays empty and is reported.

Engine outputs are cached in the memory file, so a second run with nothing
changed makes no engine calls.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

import polib

from .approval import fingerprint  # the one fingerprint approvals and provenance read too
from .catalog import entry_key, is_translated, read_catalog, write_catalog
from .config import Config
from .document import read_document
from .drafting import Request, Stages, full_protection, machine_drafts
from .engines import Engine, EngineUnavailable, find_engine
from .errors import ConfigError, L10nError, TranslationError
from .glossary import Glossary, protection, read_glossary, sheet_names, sheet_terms
from .masking import MaskError, mask, restore, same_markup
from .memory import FUZZY_THRESHOLD, Memory, MemoryIndex, Unit
from .segment import Segment, render, segment_document
from .workflow import Report

__all__ = ["Settings", "settings_for", "pretranslate", "sync_memory", "memory_path", "glossary_path", "MARK"]

MARK = "l10n: "  # translator comments l10n writes start with this; others are a person's
_OURS = ("l10n: machine ", "l10n: memory ", "l10n: glossary")


@dataclass(frozen=True)
class Settings:
    """``[tool.l10n.pretranslate]``: which engine, where the memory lives, how near is near."""

    engine: str = "auto"  # an engine name, "auto" (the first available) or "none"
    memory: str = ".l10n/memory.sqlite"
    threshold: int = FUZZY_THRESHOLD  # memory near-match cut-off, 0-100
    batch: int = 500  # strings per engine call


def settings_for(config: Config) -> Settings:
    table = dict(config.sections.get("pretranslate", {}))
    known = {"engine": str, "memory": str, "threshold": int, "batch": int}
    for key, value in table.items():
        if key not in known:
            raise ConfigError(f"unknown setting pretranslate.{key} (known: {', '.join(known)})", config.file)
        if not isinstance(value, known[key]) or isinstance(value, bool):
            raise ConfigError(f"pretranslate.{key} must be a {known[key].__name__}", config.file)
    settings = Settings(**table)
    if not 0 < settings.threshold <= 100:
        raise ConfigError("pretranslate.threshold must be between 1 and 100", config.file)
    if settings.batch < 1:
        raise ConfigError("pretranslate.batch must be at least 1", config.file)
    return settings


def memory_path(config: Config) -> Path:
    return config.root / settings_for(config).memory


def glossary_path(config: Config, locale: str) -> Path:
    return config.root / config.locales_dir / locale / "glossary.csv"


def _ours_unedited(entry: polib.POEntry) -> bool:
    """An earlier pretranslation nobody has touched since (its fingerprint still matches)."""
    for line in (entry.tcomment or "").splitlines():
        if line.startswith(_OURS) and line.endswith("]") and "[" in line:
            return line.rsplit("[", 1)[1][:-1] == fingerprint(entry.msgstr)
    return False


def _fill(entry: polib.POEntry, text: str, note: str, reviewed: bool) -> None:
    kept = [line for line in (entry.tcomment or "").splitlines() if not line.startswith(MARK)]
    entry.tcomment = "\n".join(kept + [f"{note} [{fingerprint(text)}]"])
    entry.msgstr = text
    flags = [f for f in entry.flags if f != "fuzzy"]
    entry.flags = flags if reviewed else flags + ["fuzzy"]
    entry.previous_msgid = None
    entry.previous_msgctxt = None


@dataclass
class _Sheet:
    path: Path  # the PO file
    display: str
    catalog: polib.POFile
    segments: dict[tuple[str, str], Segment]
    terms: tuple[str, ...]
    counts: Counter = field(default_factory=Counter)


@dataclass
class _Job:
    sheet: _Sheet
    entry: polib.POEntry
    request: Request


@dataclass
class _Cache:
    """The memory's engine cache for one locale, as :func:`l10n.drafting.machine_drafts` wants it."""

    memory: Memory
    locale: str

    def cached(self, label: str, texts: Sequence[str]) -> dict[str, str]:
        return self.memory.cached(label, self.locale, texts)

    def remember(self, label: str, pairs: dict[str, str]) -> None:
        self.memory.remember(label, self.locale, pairs)


def _generic_names(sheet: _Sheet, locale: str) -> frozenset[str]:
    """The sheet's own drug (its title), which Spanish writes as a common noun ("el bortezomib").

    Brand names are proper nouns in every language; other languages are left
    as they are until someone writes down their rule.
    """
    if not locale.lower().startswith("es"):
        return frozenset()
    drug = sheet_names(list(sheet.segments.values())).drug
    return frozenset({drug.lower()} if drug else ())


def _is_heading(segment: Segment | None) -> bool:
    return segment is not None and (segment.kind == "heading" or segment.key == "front-matter/title")


def _check(entry: polib.POEntry, segment: Segment | None, text: str) -> None:
    """Raise TranslationError unless ``text`` can go into the sheet as it is."""
    if not same_markup(entry.msgid, text):
        raise TranslationError("the markup (emphasis, links, code, breaks) would not match the source")
    if segment is not None and text != segment.text:
        render(segment, text)


def _accepts(entry: polib.POEntry, segment: Segment | None) -> Callable[[str], bool]:
    def accept(text: str) -> bool:
        try:
            _check(entry, segment, text)
        except TranslationError:
            return False
        return True

    return accept


def _read_sheet(config: Config, source: Path, locale: str) -> tuple[list[Segment], Path]:
    doc = read_document(source, config.display(source))
    return segment_document(doc, config.front_matter_keys), config.catalog_path(locale, source.stem)


def sync_memory(config: Config, locale: str, memory: Memory, known: dict[Path, tuple[str, ...]] | None = None) -> int:
    """Replace the memory's PO-file units for ``locale`` with every reviewed entry now in its PO files.

    ``known`` maps PO paths to their sheet's terms when the caller already has them.
    """
    known = known or {}
    units: list[Unit] = []
    folder = config.root / config.locales_dir / locale / "LC_MESSAGES"
    for path in sorted(folder.glob("*.po")):
        catalog = read_catalog(path, config.display(path))
        reviewed = [e for e in catalog if is_translated(e) and not e.msgid_plural]
        if not reviewed:
            continue
        origin = catalog.metadata.get("X-Source") or config.display(path)
        terms = known.get(path)
        if terms is None:
            source = config.root / origin
            try:
                terms = sheet_terms(segment_document(read_document(source, origin), config.front_matter_keys))
            except (L10nError, OSError):
                terms = ()  # the sheet is gone: its translations still count, its names are unknown
        units.extend(Unit(e.msgid, e.msgstr, origin, terms) for e in reviewed)
    return memory.sync(locale, units)


def _engine_for(name: str | Engine | None, config: Config, locale: str) -> tuple[Engine | None, str]:
    if isinstance(name, Engine):
        return name, ""
    if name in (None, "none"):
        return None, "no engine (engine = none)"
    try:
        return find_engine(name, config.source_locale, locale), ""
    except EngineUnavailable as err:
        if name != "auto":
            raise ConfigError(f"engine {name!r}: {err.message}", config.file) from None
        return None, err.message


def pretranslate(
    config: Config,
    locale: str,
    sources: Sequence[Path],
    engine: str | Engine | None = None,
    refresh: bool = False,
    use_memory: bool = True,
    progress=None,
    stages: Stages = Stages(),
) -> Report:
    """Fill the empty strings of ``locale``'s PO files for ``sources``; see the module docstring.

    ``engine`` is a name, ``"auto"``, ``"none"``, an :class:`Engine`, or None
    for the configured one.  ``refresh`` redoes l10n's own earlier fuzzy output
    (never a person's).  ``progress`` wraps the engine batches in a progress bar.
    ``stages`` switches drafting stages off (for the quality benchmark).
    """
    settings = settings_for(config)
    report = Report()
    glossary: Glossary = read_glossary(glossary_path(config, locale), config.display(glossary_path(config, locale)))

    sheets: list[_Sheet] = []
    for source in sources:
        try:
            segments, po_path = _read_sheet(config, source, locale)
            if not po_path.exists():
                raise ConfigError(f"no {locale} catalog for {config.display(source)}: run 'l10n update --locale {locale}' first")
            catalog = read_catalog(po_path, config.display(po_path))
        except L10nError as err:
            report.problems.append(err)
            continue
        sheets.append(_Sheet(po_path, config.display(po_path), catalog,
                             {(s.context or "", s.text): s for s in segments}, sheet_terms(segments)))

    memory = Memory(config.root / settings.memory, settings.memory) if use_memory else None
    chosen: Engine | None = None
    try:
        index = None
        if memory is not None:
            sync_memory(config, locale, memory, {s.path: s.terms for s in sheets})
            index = MemoryIndex(memory.units(locale), glossary.keep, settings.threshold,
                                locale=locale, translations=glossary.terms)
            report.totals["memory units"] = len(index)

        chosen, why_not = _engine_for(engine if engine is not None else settings.engine, config, locale)
        if chosen is None and why_not:
            report.lines.append(f"no machine translation: {why_not}")

        jobs: list[_Job] = []
        for sheet in sheets:
            shield = protection(glossary, sheet.terms)
            generic = _generic_names(sheet, locale) if stages.names else frozenset()
            for entry in sheet.catalog:
                if entry.obsolete or entry.msgid_plural or not entry.msgid or is_translated(entry):
                    continue
                if entry.msgstr and not (refresh and _ours_unedited(entry)):
                    sheet.counts["kept: earlier draft"] += 1
                    continue
                segment = sheet.segments.get(entry_key(entry))
                match = index.lookup(entry.msgid, sheet.terms, _accepts(entry, segment)) if index else None
                if match is not None:
                    _fill(entry, match.target, match.comment, reviewed=match.kind == "exact")
                    sheet.counts[f"memory {match.kind}"] += 1
                    continue
                try:
                    masked = mask(entry.msgid, full_protection(shield, entry.msgid, stages))
                except MaskError as err:
                    _leave(report, sheet, entry, "cannot be masked", err.message)
                    continue
                if not masked.engine_pieces:
                    # Nothing but protected terms: the glossary says what it is.
                    text = restore(masked, list(masked.pieces))
                    if _accepts(entry, segment)(text):
                        _fill(entry, text, "l10n: glossary", reviewed=False)
                        sheet.counts["glossary"] += 1
                        continue
                if chosen is None:
                    sheet.counts["empty: no engine"] += 1
                    continue
                jobs.append(_Job(sheet, entry, Request(entry.msgid, shield, _is_heading(segment),
                                                       lambda text, e=entry, s=segment: _check(e, s, text),
                                                       generic)))

        if chosen is not None and jobs:
            drafts = machine_drafts(chosen, [job.request for job in jobs], _Cache(memory, locale) if memory else None,
                                    settings.batch, report.totals, report.warnings, progress, stages)
            for job, draft in zip(jobs, drafts):
                if draft.text is None:
                    if draft.problem == "engine failed":
                        job.sheet.counts["empty: engine failed"] += 1
                    else:
                        _leave(report, job.sheet, job.entry, draft.problem, draft.detail)
                    continue
                _fill(job.entry, draft.text, f"l10n: machine {chosen.label}", reviewed=False)
                job.sheet.counts[chosen.name] += 1
    finally:
        if memory is not None:
            memory.close()
        if chosen is not None and not isinstance(engine, Engine):
            chosen.close()

    for sheet in sheets:
        try:
            changed = write_catalog(sheet.catalog, sheet.path)
        except (L10nError, OSError) as err:
            report.problems.append(err if isinstance(err, L10nError) else L10nError(str(err), sheet.display))
            continue
        if changed:
            report.written.append(sheet.path)
        report.totals["sheets"] += 1
        report.totals.update(sheet.counts)
        filled = sum(v for k, v in sheet.counts.items() if not k.startswith(("empty", "kept")))
        empty = sum(v for k, v in sheet.counts.items() if k.startswith("empty"))
        detail = ", ".join(f"{v} {k}" for k, v in sorted(sheet.counts.items()) if v)
        report.lines.append(f"{sheet.display}: {filled} filled, {empty} left empty" + (f" ({detail})" if detail else "")
                            + ("" if changed else " (unchanged)"))
    return report


def _leave(report: Report, sheet: _Sheet, entry: polib.POEntry, reason: str, detail: str) -> None:
    sheet.counts[f"empty: {reason}"] += 1
    report.warnings.append(
        TranslationError(f"left untranslated ({reason}): {detail}", sheet.display, getattr(entry, "linenum", None))
    )
