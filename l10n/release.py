"""Release builds: what leaves the building, per locale.

``l10n release --locale es`` writes ``dist/es/`` with a Markdown sheet and an
HTML page for every sheet that may be given to patients, a ``manifest.json``,
and ``dist/es.tar.gz``.  A sheet is released only when:

* its English file is the one that was reviewed: the sheet's sha256 equals
  the ``X-Source-SHA256`` of its PO file and of its current POT;
* every string is reviewed: each PO entry is translated and not fuzzy, and
  the build served every segment a reviewed translation (none refused,
  untranslated or fuzzy);
* no QA check (:mod:`l10n.checks`) reports an error, in the PO file or in the
  English sheet;
* the locale's ``ui.po`` is complete (otherwise nothing is released).

Every other sheet is *blocked*: listed in the manifest and on stderr with the
reasons, and absent from the folder and the archive.  The folder is replaced
whole, so a sheet released earlier and blocked now is gone.

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
import re
import shutil
import tarfile
import tempfile
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Mapping, Sequence

import polib

from . import __version__
from .build import SheetBuild, build_sheet
from .catalog import entry_key, is_translated, read_catalog
from .checks import ERROR, Problem, check_catalog, check_source
from .config import Config
from .document import Document, parse_document, read_document
from .errors import L10nError
from .links import ENGLISH, KEPT, LOCALIZED, load_link_rules
from .publish import load_templates, publish_sheet
from .segment import Segment, segment_document
from .stats import project_terms
from .ui import compile_ui, templates_dir, ui_problems
from .ui import catalog_path as ui_catalog_path
from .workflow import Report

__all__ = ["SheetRelease", "gate", "provenance", "release", "dist_dir", "archive_bytes"]

RELEASED, BLOCKED, DRAFT = "released", "blocked", "draft"
_PROVENANCE = re.compile(r"^l10n: (machine|memory)\b\s*(.*)$")


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
        }
        if self.reasons:
            data["reasons"] = list(self.reasons)
        if self.files:
            data["files"] = dict(sorted(self.files.items()))
        return data


def dist_dir(config: Config, locale: str, draft: bool = False) -> Path:
    """``dist/<locale>`` (or ``dist/<locale>-draft``); ``[tool.l10n.release] dist-dir`` moves ``dist``."""
    base = config.sections.get("release", {}).get("dist-dir", "dist")
    return config.root / base / (f"{locale}-draft" if draft else locale)


def provenance(catalog: polib.POFile) -> Counter:
    """Where each active translation came from, from its ``l10n: machine|memory`` comment.

    >>> po = polib.POFile()
    >>> po.append(polib.POEntry(msgid="a", msgstr="b", tcomment="l10n: machine apertium 3.8.3"))
    >>> po.append(polib.POEntry(msgid="c", msgstr="d"))
    >>> po.append(polib.POEntry(msgid="e", msgstr=""))
    >>> sorted(provenance(po).items())
    [('machine apertium 3.8.3', 1), ('translator', 1)]
    """
    found: Counter = Counter()
    for entry in catalog:
        if entry.obsolete or not entry.msgstr:
            continue
        origin = "translator"
        for line in (entry.tcomment or "").splitlines():
            match = _PROVENANCE.match(line.strip())
            if match:
                kind, rest = match.groups()
                # "machine <engine> <version>"; memory details vary per match, so count them together
                origin = f"machine {' '.join(rest.split()[:2])}".strip() if kind == "machine" else "memory"
                break
        found[origin] += 1
    return found


def gate(
    doc: Document,
    catalog: polib.POFile,
    template: polib.POFile | None,
    built: SheetBuild,
    problems: Sequence[Problem],
) -> list[L10nError]:
    """Every reason ``doc``'s translation may not be released; empty means it may."""
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
    if template is not None:
        have = {entry_key(e) for e in catalog if not e.obsolete}
        missing = [e for e in template if entry_key(e) not in have]
        if missing:
            reasons.append(L10nError(f"{len(missing)} string(s) of the template are not in the PO file: "
                                     "run 'l10n update'", po))
    reasons.extend(built.problems)  # refused translations, at their PO line
    served = Counter(built.counts)
    left = {k: served[k] for k in ("fuzzy", "fuzzy-skipped", "untranslated", "refused") if served[k]}
    if left and not reasons:
        reasons.append(L10nError(
            "the build did not serve every segment a reviewed translation: "
            + ", ".join(f"{v} {k}" for k, v in left.items()), doc.path))
    for problem in problems:
        if problem.severity == ERROR:
            reasons.append(L10nError(f"check {problem.check}: {problem.message}", problem.path, problem.line))
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


def _replace_folder(target: Path, files: Mapping[str, bytes], epoch: int) -> None:
    """Make ``target`` hold exactly ``files``: written beside it, then swapped in."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        for name, data in files.items():
            path = staging / name
            path.write_bytes(data)
            os.chmod(path, 0o644)
            os.utime(path, (epoch, epoch))
        os.chmod(staging, 0o755)
        old = None
        if target.exists():
            old = target.with_name(f".{target.name}.old")
            if old.exists():
                shutil.rmtree(old)
            os.replace(target, old)
        os.replace(staging, target)
        if old is not None:
            shutil.rmtree(old)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _write_atomic_bytes(path: Path, data: bytes, epoch: int) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.utime(tmp, (epoch, epoch))
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _manifest(locale: str, draft: bool, sheets: Sequence[SheetRelease], ui: Mapping[str, str]) -> bytes:
    data = {
        "format": 1,
        "kind": DRAFT if draft else "release",
        "locale": locale,
        "generator": f"l10n {__version__}",
        "ui": dict(ui),
        "released": sorted(s.slug for s in sheets if s.status != BLOCKED),
        "blocked": sorted(s.slug for s in sheets if s.status == BLOCKED),
        "sheets": [s.as_json() for s in sorted(sheets, key=lambda s: s.slug)],
    }
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode("utf-8")


def _counts(catalog: polib.POFile, built: SheetBuild) -> dict[str, int]:
    active = [e for e in catalog if not e.obsolete]
    counts = {
        "strings": len(active),
        "reviewed": sum(1 for e in active if is_translated(e)),
        "fuzzy": sum(1 for e in active if e.msgstr and "fuzzy" in e.flags),
        "untranslated": sum(1 for e in active if not e.msgstr),
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
    files: dict[str, bytes] = {}
    sheets: list[SheetRelease] = []
    for status in (DRAFT,) if draft else (RELEASED, BLOCKED):
        report.totals[status] = 0  # the summary names released before blocked
    released_docs: list[Document] = []
    with tempfile.TemporaryDirectory(prefix="l10n-ui-") as mo_dir:
        translations = compile_ui(config, locale, mo_dir, use_fuzzy=draft)
        templates = load_templates(templates_dir(config), translations)
        for path in progress(sources) if progress else sources:
            try:
                doc, sheet, published, reasons = _one_sheet(config, locale, path, templates, rules, terms, draft, base_url)
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
    if report.problems and not draft:
        return report, sheets  # a release with a broken file in it would be incomplete: write nothing
    stamp = epoch if epoch is not None else _reviewed_epoch(released_docs)
    ui_po = ui_catalog_path(config, locale)
    ui = {"translation": config.display(ui_po), "translation_sha256": _file_hash(ui_po)}
    files["manifest.json"] = _manifest(locale, draft, sheets, ui)
    target = dist_dir(config, locale, draft)
    _replace_folder(target, files, stamp)
    report.written.append(target)
    if not draft:
        archive = target.with_name(f"{locale}.tar.gz")
        _write_atomic_bytes(archive, archive_bytes(locale, files, stamp), stamp)
        report.written.append(archive)
        report.lines.append(f"{config.display(archive)}: {len(files) - 1} files + manifest")
    return report, sheets


def _one_sheet(config: Config, locale: str, path: Path, templates, rules, terms, draft: bool, base_url: str):
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
    problems = list(check_source(doc, segments)) + list(
        check_catalog(catalog, config.display(po_path), segments, terms))
    reasons = gate(doc, catalog, template, built, problems)
    published = None
    if draft or not reasons:
        built_doc = parse_document(built.text, doc.path)
        published = publish_sheet(built_doc, locale, config.source_locale, templates, rules, draft, base_url)
    links = Counter(c.outcome for c in published.links.changes) if published else Counter()
    sheet = SheetRelease(
        slug=doc.slug,
        status=DRAFT if draft else (BLOCKED if reasons else RELEASED),
        source=doc.path,
        source_sha256=doc.sha256,
        translation=config.display(po_path),
        translation_sha256=_file_hash(po_path),
        counts=_counts(catalog, built) | {"warnings": sum(1 for p in problems if p.severity != ERROR)},
        links={k: links[k] for k in (LOCALIZED, ENGLISH, KEPT) if published},
        provenance=dict(provenance(catalog)),
        reasons=tuple(str(r) for r in reasons),
    )
    return doc, sheet, published, reasons
