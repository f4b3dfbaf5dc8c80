"""Release builds: what leaves the building, per locale.

``l10n release --locale es`` writes ``dist/es/`` with a Markdown sheet and an
HTML page for every sheet that may be given to patients, a ``manifest.json``,
and ``dist/es.tar.gz``.  A sheet is released only when:

* its English file is the one that was reviewed: the sheet's sha256 equals
  the ``X-Source-SHA256`` of its PO file and of its current POT;
* every string is reviewed (:mod:`l10n.provenance`: translated, not fuzzy,
  an exact memory match only once confirmed unless
  ``memory-exact-counts-as-reviewed``), or approved with ``require =
  "approved"``; and the build served every segment a reviewed translation
  (none refused, untranslated or fuzzy);
* no QA check (:mod:`l10n.checks`) reports an error in the PO file, and no
  error of the English sheet reaches the page (:func:`source_outcomes`)
  unless the release manager accepted it (``[[tool.l10n.release.accept]]``);
* the locale's ``ui.po`` is complete (otherwise nothing is released).

Every other sheet is *blocked*: listed in the manifest and on stderr with the
reasons, and absent from the folder and the archive.  The folder and the
archive are replaced together (:func:`_replace_together`), so a sheet
released earlier and blocked now is gone from both.

Output is reproducible: same inputs, same bytes.  The manifest has no
clock time; the archive has sorted entries, uid/gid 0, fixed modes, every
mtime set to ``SOURCE_DATE_EPOCH`` (or the newest ``lastReviewed`` of the
released sheets), and a gzip header with no name and no time.

``--draft`` builds every sheet with unreviewed (fuzzy) text included, under a
banner, into ``dist/<lang>-draft/``: for internal review, never mixed into a
release, and with no archive.
"""

from __future__ import annotations

import datetime
import gzip
import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Mapping, Sequence

import polib

from . import __version__
from .build import CheckRefusal, SheetBuild, build_sheet
from .catalog import entry_key, read_catalog
from .checks import ERROR, Problem, check_catalog, check_source
from .config import Acceptance, Config, release_settings
from .document import Document, parse_document, read_document
from .errors import L10nError
from .links import ENGLISH, KEPT, LOCALIZED, load_link_rules
from .approval import approval
from .provenance import FUZZY, Policy, Tally, active, policy_for, status, tally
from .publish import load_templates, publish_sheet
from .segment import Segment, segment_document
from .stats import project_terms
from .ui import compile_ui, templates_dir, ui_problems
from .ui import catalog_path as ui_catalog_path
from .workflow import Report

__all__ = ["SheetRelease", "SourceOutcome", "gate", "provenance", "release", "dist_dir", "archive_bytes",
           "source_outcomes", "recover"]

RELEASED, BLOCKED, DRAFT = "released", "blocked", "draft"
# What became of a problem of the English sheet (check_source) in a release.
ON_PAGE, ACCEPTED, NOT_ON_PAGE = "blocks", "accepted", "not on the page"
# Checks whose problem stays on the page whatever the translation says: a
# translation of leftover template text is leftover template text.
_ALWAYS_ON_PAGE = frozenset({"scaffolding"})


@dataclass(frozen=True)
class SheetRelease:
    """One sheet's line in the manifest."""

    slug: str
    status: str
    source: str
    source_sha256: str
    translation: str
    translation_sha256: str
    counts: Mapping[str, int]
    links: Mapping[str, int]
    provenance: Mapping[str, int]
    reasons: tuple[str, ...] = ()
    files: Mapping[str, str] = field(default_factory=dict)  # name -> sha256
    reviewers: Mapping[str, int] = field(default_factory=dict)  # approver -> strings approved
    source_problems: tuple["SourceOutcome", ...] = ()

    def as_json(self) -> dict:
        data = {
            "slug": self.slug,
            "status": self.status,
            "source": self.source,
            "source_sha256": self.source_sha256,
            "translation": self.translation,
            "translation_sha256": self.translation_sha256,
            "counts": dict(sorted(self.counts.items())),
            "links": dict(sorted(self.links.items())),
            "provenance": dict(sorted(self.provenance.items())),
            "reviewers": dict(sorted(self.reviewers.items())),
        }
        if self.source_problems:
            data["source_problems"] = [o.as_json() for o in self.source_problems]
        if self.reasons:
            data["reasons"] = list(self.reasons)
        if self.files:
            data["files"] = dict(sorted(self.files.items()))
        return data


def dist_dir(config: Config, locale: str, draft: bool = False) -> Path:
    """``dist/<locale>`` (or ``dist/<locale>-draft``); ``[tool.l10n.release] dist-dir`` moves ``dist``."""
    return config.root / release_settings(config).dist_dir / (f"{locale}-draft" if draft else locale)


def provenance(catalog: polib.POFile, policy: Policy = Policy()) -> Counter:
    """Who or what wrote each active translation (:func:`l10n.provenance.origin`), counted.

    >>> po = polib.POFile()
    >>> po.append(polib.POEntry(msgid="a", msgstr="b", tcomment="l10n: machine apertium 3.8.3"))
    >>> po.append(polib.POEntry(msgid="c", msgstr="d"))
    >>> po.append(polib.POEntry(msgid="e", msgstr=""))
    >>> sorted(provenance(po).items())
    [('machine apertium 3.8.3', 1), ('translator', 1)]
    """
    return tally(catalog, policy).origins


@dataclass(frozen=True)
class SourceOutcome:
    """A problem of the English sheet, and what the release made of it."""

    problem: Problem
    outcome: str  # ON_PAGE, ACCEPTED or NOT_ON_PAGE
    accepted: Acceptance | None = None

    def as_json(self) -> dict:
        data = {"check": self.problem.check, "line": self.problem.line, "message": self.problem.message,
                "outcome": self.outcome}
        if self.accepted is not None:
            data.update({"accepted_by": self.accepted.by, "reason": self.accepted.reason})
        return data


def source_outcomes(
    doc: Document,
    problems: Sequence[Problem],
    built: Document | None,
    keys: Sequence[str],
    accepted: Sequence[Acceptance],
    locale: str,
) -> list[SourceOutcome]:
    """Decide, for each error in the English sheet, whether it reaches the released page.

    A problem reaches the page when the same check finds it in the built
    (translated) sheet too, or when it is of a kind no translation removes
    (leftover scaffolding: its line is on the page in whatever words).  Mojibake
    in a sentence the translator wrote correctly does not reach the page, so it
    does not block.  A problem that reaches the page blocks the release unless
    the release manager accepted it (``[[tool.l10n.release.accept]]``).
    """
    errors = [p for p in problems if p.severity == ERROR]
    if not errors:
        return []
    if built is None:  # nothing to compare with: assume the worst
        found_in_built = {p.check for p in errors}
    else:
        found_in_built = {p.check for p in check_source(built, segment_document(built, keys)) if p.severity == ERROR}
    outcomes = []
    for problem in errors:
        if problem.check not in _ALWAYS_ON_PAGE and problem.check not in found_in_built:
            outcomes.append(SourceOutcome(problem, NOT_ON_PAGE))
            continue
        rule = next((a for a in accepted if a.covers(doc.slug, locale, problem.check, problem.line)), None)
        outcomes.append(SourceOutcome(problem, ACCEPTED if rule else ON_PAGE, rule))
    return outcomes


def gate(
    doc: Document,
    catalog: polib.POFile,
    template: polib.POFile | None,
    built: SheetBuild,
    problems: Sequence[Problem],
    policy: Policy = Policy(),
    sources: Sequence[SourceOutcome] = (),
) -> list[L10nError]:
    """Every reason ``doc``'s translation may not be released; empty means it may.

    ``problems`` are the PO file's check findings; ``sources`` the English
    sheet's, already decided by :func:`source_outcomes`.
    """
    po = getattr(catalog, "fpath", None)
    reasons: list[L10nError] = []
    reviewed_hash = catalog.metadata.get("X-Source-SHA256", "")
    if reviewed_hash != doc.sha256:
        reasons.append(L10nError(
            f"the English sheet changed since this translation was made (PO: {reviewed_hash[:12] or 'none'}, "
            f"sheet: {doc.sha256[:12]}): run 'l10n extract' and 'l10n update', then review", po))
    if template is None:
        reasons.append(L10nError("no template: run 'l10n extract'", doc.path))
    elif template.metadata.get("X-Source-SHA256", "") != doc.sha256:
        reasons.append(L10nError("the template is older than the English sheet: run 'l10n extract'", doc.path))
    for state, test in (("fuzzy (not reviewed)", lambda e: e.msgstr and "fuzzy" in e.flags),
                        ("untranslated", lambda e: not e.msgstr)):
        pending = [e for e in catalog if not e.obsolete and test(e)]
        if pending:
            reasons.append(L10nError(
                f"{len(pending)} string(s) {state}, the first: {pending[0].msgid[:50]!r}",
                po, getattr(pending[0], "linenum", None)))
    unconfirmed = [e for e in active(catalog) if status(e, policy) == "memory-exact"]
    if unconfirmed:
        reasons.append(L10nError(
            f"{len(unconfirmed)} string(s) filled from translation memory as reviewed and not confirmed for this "
            f"sheet (approve them, or edit them, or set memory-exact-counts-as-reviewed = true), the first: "
            f"{unconfirmed[0].msgid[:50]!r}", po, getattr(unconfirmed[0], "linenum", None)))
    if policy.require == "approved":
        unsigned = [e for e in active(catalog) if status(e, policy) == "reviewed" and approval(e) is None]
        if unsigned:
            reasons.append(L10nError(
                f"{len(unsigned)} reviewed string(s) not approved by a clinical reviewer (require = \"approved\"), "
                f"the first: {unsigned[0].msgid[:50]!r}", po, getattr(unsigned[0], "linenum", None)))
    if template is not None:
        have = {entry_key(e) for e in catalog if not e.obsolete}
        missing = [e for e in template if entry_key(e) not in have]
        if missing:
            reasons.append(L10nError(f"{len(missing)} string(s) of the template are not in the PO file: "
                                     "run 'l10n update'", po))
    # Refused translations, at their PO line; a refusal by a QA check is already
    # among the check problems above, so it is not listed twice.
    reasons.extend(p for p in built.problems if not isinstance(p, CheckRefusal))
    served = Counter(built.counts)
    left = {k: served[k] for k in ("fuzzy", "fuzzy-skipped", "untranslated", "refused") if served[k]}
    if left and not reasons:
        reasons.append(L10nError(
            "the build did not serve every segment a reviewed translation: "
            + ", ".join(f"{v} {k}" for k, v in left.items()), doc.path))
    for problem in problems:
        if problem.severity == ERROR:
            reasons.append(L10nError(f"check {problem.check}: {problem.message}", problem.path, problem.line))
    for decided in sources:
        if decided.outcome == ON_PAGE:
            problem = decided.problem
            reasons.append(L10nError(
                f"check {problem.check}: {problem.message} (a problem of the English sheet that would reach the "
                f"page; fix the English, or accept it: [[tool.l10n.release.accept]] sheet = {doc.slug!r} "
                f"check = {problem.check!r} line = {problem.line} by = ... reason = ...)", problem.path, problem.line))
    return reasons


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _file_hash(path: Path) -> str:
    return _sha256(path.read_bytes()) if path.exists() else ""


def _reviewed_epoch(documents: Sequence[Document]) -> int:
    """Midnight UTC of the newest ``lastReviewed`` among ``documents``; 0 if none has one."""
    dates = []
    for doc in documents:
        value = doc.metadata.get("lastReviewed")
        try:
            dates.append(value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value)))
        except ValueError:
            continue
    if not dates:
        return 0
    newest = max(d if not isinstance(d, datetime.datetime) else d.date() for d in dates)
    return int(datetime.datetime(newest.year, newest.month, newest.day, tzinfo=datetime.timezone.utc).timestamp())


def archive_bytes(prefix: str, files: Mapping[str, bytes], epoch: int) -> bytes:
    """A .tar.gz of ``files`` under ``prefix/`` that depends on nothing but its arguments."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        folder = tarfile.TarInfo(prefix)
        folder.type, folder.mode, folder.mtime = tarfile.DIRTYPE, 0o755, epoch
        tar.addfile(folder)
        for name in sorted(files):
            info = tarfile.TarInfo(f"{prefix}/{name}")
            info.size, info.mode, info.mtime = len(files[name]), 0o644, epoch
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            tar.addfile(info, io.BytesIO(files[name]))
    packed = io.BytesIO()
    # filename="" and mtime=0 keep the gzip header free of the file's name and the clock.
    with gzip.GzipFile(filename="", mode="wb", fileobj=packed, mtime=0, compresslevel=9) as gz:
        gz.write(raw.getvalue())
    return packed.getvalue()


# -- replacing the release: folder and archive together ----------------------------------
#
# dist/es/ and dist/es.tar.gz are two names, and no rename swaps two names at
# once.  So both are first written complete into a staging folder
# (dist/.es.XXXX/), then a marker (dist/.es.swap) naming that folder is
# written, then each is renamed into place, then the marker goes.  A run killed
# after the marker leaves a swap that the next run finishes (every step is
# repeatable); a run killed before it leaves only a staging folder, which the
# next run deletes.  Either way no one finds a new dist/es/ beside an old
# es.tar.gz for longer than between two renames.


def _marker(target: Path) -> Path:
    return target.with_name(f".{target.name}.swap")


def _staging_folders(target: Path) -> list[Path]:
    prefix = f".{target.name}."
    if not target.parent.is_dir():
        return []
    return [p for p in target.parent.iterdir() if p.name.startswith(prefix) and p.name != _marker(target).name]


def _finish_swap(target: Path, stage: Path, names: Sequence[str]) -> None:
    """Move each staged name into ``target.parent``, the old one aside; repeatable after a kill."""
    for name in names:
        new, current = stage / name, target.parent / name
        if not new.exists():
            continue  # moved in by the interrupted run already
        if current.exists() or current.is_symlink():
            os.replace(current, stage / f"old-{name}")
        os.replace(new, current)
    _marker(target).unlink(missing_ok=True)
    shutil.rmtree(stage, ignore_errors=True)


def recover(target: Path) -> None:
    """Finish a swap an interrupted release started, and remove its staging leftovers.

    ``target`` is ``dist/<locale>`` (or the draft folder).  The archive is
    finished with its folder, because the marker names both.
    """
    marker = _marker(target)
    if marker.exists():
        recorded = marker.read_text(encoding="utf-8").split("\n")
        stage = target.parent / recorded[0]
        if recorded[0] and "/" not in recorded[0] and stage.is_dir():
            _finish_swap(target, stage, [n for n in recorded[1:] if n and "/" not in n])
        marker.unlink(missing_ok=True)
    for leftover in _staging_folders(target):
        if leftover.is_dir() and not leftover.is_symlink():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)


def _replace_together(target: Path, files: Mapping[str, bytes], archive: bytes | None, epoch: int) -> None:
    """Make ``target`` hold exactly ``files`` and, if given, ``target``.tar.gz hold ``archive``: both or neither."""
    target.parent.mkdir(parents=True, exist_ok=True)
    recover(target)
    stage = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    names = [target.name] + ([f"{target.name}.tar.gz"] if archive is not None else [])
    try:
        folder = stage / target.name
        folder.mkdir()
        for name, data in files.items():
            path = folder / name
            path.write_bytes(data)
            os.chmod(path, 0o644)
            os.utime(path, (epoch, epoch))
        os.chmod(folder, 0o755)
        if archive is not None:
            packed = stage / names[1]
            packed.write_bytes(archive)
            os.chmod(packed, 0o644)
            os.utime(packed, (epoch, epoch))
        marker = _marker(target)
        tmp = marker.with_name(marker.name + ".tmp")
        tmp.write_text("\n".join([stage.name, *names]) + "\n", encoding="utf-8")
        os.replace(tmp, marker)  # from here on, the next run finishes what this one started
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    _finish_swap(target, stage, names)


def _manifest(locale: str, draft: bool, sheets: Sequence[SheetRelease], ui: Mapping[str, str],
              policy: Policy) -> bytes:
    data = {
        "format": 1,
        "kind": DRAFT if draft else "release",
        "locale": locale,
        "generator": f"l10n {__version__}",
        "require": policy.require,
        "memory_exact_counts_as_reviewed": policy.memory_exact_counts_as_reviewed,
        "ui": dict(ui),
        "released": sorted(s.slug for s in sheets if s.status != BLOCKED),
        "blocked": sorted(s.slug for s in sheets if s.status == BLOCKED),
        "sheets": [s.as_json() for s in sorted(sheets, key=lambda s: s.slug)],
    }
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode("utf-8")


def _counts(counted: Tally, built: SheetBuild) -> dict[str, int]:
    counts = {
        "strings": counted.total,
        "reviewed": counted.statuses["reviewed"],
        "approved": counted.approved,
        "memory-exact": counted.statuses["memory-exact"],
        "fuzzy": sum(counted.statuses[s] for s in FUZZY),
        "untranslated": counted.statuses["untranslated"],
    }
    counts.update({f"segments-{k}": v for k, v in sorted(built.counts.items()) if v})
    return counts


def release(
    config: Config,
    locale: str,
    sources: Sequence[Path],
    draft: bool = False,
    epoch: int | None = None,
    progress=None,
) -> tuple[Report, list[SheetRelease]]:
    """Build ``dist/<locale>/`` (or the draft folder) and, for a release, its archive."""
    report = Report()
    recover(dist_dir(config, locale, draft))  # what a killed run left, before anything else
    if not draft:
        not_ready = ui_problems(config, locale)
        if not_ready:
            report.problems.extend(not_ready)
            return report, []
    rules = load_link_rules(config.sections, locale, config.file)
    try:  # the same glossary 'l10n check' uses, so both agree on what is an error
        terms = project_terms(config, locale)
    except L10nError as err:
        report.problems.append(err)
        return report, []
    settings = config.sections.get("publish", {})
    base_url = settings.get("base-url", "")
    chosen = release_settings(config)
    policy = policy_for(config)
    files: dict[str, bytes] = {}
    sheets: list[SheetRelease] = []
    for outcome in (DRAFT,) if draft else (RELEASED, BLOCKED):
        report.totals[outcome] = 0  # the summary names released before blocked
    released_docs: list[Document] = []
    with tempfile.TemporaryDirectory(prefix="l10n-ui-") as mo_dir:
        translations = compile_ui(config, locale, mo_dir, use_fuzzy=draft)
        fallback = config.source_locale if locale.split("_")[0] != config.source_locale.split("_")[0] else None
        templates = load_templates(templates_dir(config), translations, fallback)
        for path in progress(sources) if progress else sources:
            try:
                doc, sheet, published, reasons = _one_sheet(config, locale, path, templates, rules, terms, draft,
                                                            base_url, policy, chosen.accept)
            except L10nError as err:
                report.problems.append(err)
                continue
            if published is not None:
                names = {f"{sheet.slug}.md": published.markdown.encode("utf-8"),
                         f"{sheet.slug}.html": published.html.encode("utf-8")}
                files.update(names)
                sheet = replace(sheet, files={n: _sha256(d) for n, d in names.items()})
                released_docs.append(doc)
            sheets.append(sheet)
            report.totals[sheet.status] += 1
            if sheet.status == BLOCKED:
                report.warnings.extend(reasons)
                report.lines.append(f"{sheet.slug}: blocked ({len(sheet.reasons)} reason(s))")
            else:
                report.lines.append(f"{sheet.slug}: {sheet.status} ({sheet.counts['reviewed']}/"
                                    f"{sheet.counts['strings']} reviewed, {sheet.links.get(LOCALIZED, 0)} links "
                                    f"localized, {sheet.links.get(ENGLISH, 0)} marked English)")
    report.warnings.extend(_unused_acceptances(config, chosen.accept, sheets, locale))
    if report.problems and not draft:
        return report, sheets  # a release with a broken file in it would be incomplete: write nothing
    stamp = epoch if epoch is not None else _reviewed_epoch(released_docs)
    ui_po = ui_catalog_path(config, locale)
    ui = {"translation": config.display(ui_po), "translation_sha256": _file_hash(ui_po)}
    files["manifest.json"] = _manifest(locale, draft, sheets, ui, policy)
    target = dist_dir(config, locale, draft)
    archive = None if draft else archive_bytes(locale, files, stamp)
    _replace_together(target, files, archive, stamp)
    report.written.append(target)
    if archive is not None:
        packed = target.with_name(f"{locale}.tar.gz")
        report.written.append(packed)
        report.lines.append(f"{config.display(packed)}: {len(files) - 1} files + manifest")
    return report, sheets


def _unused_acceptances(config: Config, accepted: Sequence[Acceptance], sheets: Sequence[SheetRelease],
                        locale: str) -> list[L10nError]:
    """An acceptance that matched nothing: the English was fixed, or the entry names the wrong line."""
    seen = {s.slug for s in sheets}
    used = {o.accepted for s in sheets for o in s.source_problems if o.accepted is not None}
    return [L10nError(f"release.accept for sheet {a.sheet!r} check {a.check!r}"
                      + (f" line {a.line}" if a.line else "") + " matches no problem of the English sheet "
                      "that reaches the page: remove it", config.file)
            for a in accepted if a.sheet in seen and a.locale in (None, locale) and a not in used]


def _one_sheet(config: Config, locale: str, path: Path, templates, rules, terms, draft: bool, base_url: str,
               policy: Policy, accepted: Sequence[Acceptance]):
    """Gate and (if it passes, or for a draft) publish one sheet: (doc, manifest line, pages, reasons)."""
    doc = read_document(path, config.display(path))
    segments: list[Segment] = segment_document(doc, config.front_matter_keys)
    po_path = config.catalog_path(locale, doc.slug)
    if not po_path.exists():
        raise L10nError(f"no {locale} catalog: run 'l10n update --locale {locale}'", doc.path)
    catalog = read_catalog(po_path, config.display(po_path))
    pot_path = config.template_path(doc.slug)
    template = read_catalog(pot_path, config.display(pot_path)) if pot_path.exists() else None
    built = build_sheet(doc, segments, catalog, locale, include_fuzzy=draft)
    try:
        built_doc: Document | None = parse_document(built.text, doc.path)
    except L10nError:
        built_doc = None
    english = check_source(doc, segments)
    decided = source_outcomes(doc, english, built_doc, config.front_matter_keys, accepted, locale)
    problems = list(check_catalog(catalog, config.display(po_path), segments, terms))
    reasons = gate(doc, catalog, template, built, problems, policy, decided)
    published = None
    counted = tally(catalog, policy)
    if draft or not reasons:
        if built_doc is None:
            built_doc = parse_document(built.text, doc.path)  # raises the parse error, at its line
        machine = any(name.startswith("machine") for name in counted.origins)  # the banner says so only then
        published = publish_sheet(built_doc, locale, config.source_locale, templates, rules, draft, base_url,
                                  machine)
    links = Counter(c.outcome for c in published.links.changes) if published else Counter()
    warnings = sum(1 for p in [*english, *problems] if p.severity != ERROR)
    sheet = SheetRelease(
        slug=doc.slug,
        status=DRAFT if draft else (BLOCKED if reasons else RELEASED),
        source=doc.path,
        source_sha256=doc.sha256,
        translation=config.display(po_path),
        translation_sha256=_file_hash(po_path),
        counts=_counts(counted, built) | {"warnings": warnings},
        links={k: links[k] for k in (LOCALIZED, ENGLISH, KEPT) if published},
        provenance=dict(counted.origins),
        reasons=tuple(str(r) for r in reasons),
        reviewers=dict(counted.reviewers),
        source_problems=tuple(decided),
    )
    return doc, sheet, published, reasons
