"""Segments <-> gettext catalogs (polib ``POFile``): build, update, read, write.

* :func:`template_for` makes a sheet's POT from its segments.
* :func:`update_catalog` brings a locale's PO up to date with a new POT the way
  GNU ``msgmerge`` does, and never loses a translation: unchanged strings keep
  theirs; a changed string keeps the old translation, marked fuzzy, with the
  previous msgid (``#|``); a removed string becomes obsolete (``#~``) and comes
  back, translation and all, if its text returns.
* :func:`read_catalog` turns any parse failure into ``path:line: message``;
  :func:`write_catalog` writes atomically and deterministically.

Provenance a person or a later stage writes in an entry's translator comments
(``# ...``) and flags travels with the translation through every update.
"""

from __future__ import annotations

import os
from datetime import datetime, timezone
from functools import lru_cache
from typing import Sequence

import polib

from . import __version__, pofile
from .document import Document
from .errors import CatalogError, ConfigError, DataLossError
from .files import read_text, write_text_atomic
from .segment import Segment

__all__ = [
    "WRAP_WIDTH",
    "UpdateSummary",
    "template_for",
    "template_metadata",
    "update_catalog",
    "read_catalog",
    "parse_catalog",
    "write_catalog",
    "catalog_text",
    "entry_key",
    "check_locale",
    "new_catalog_text",
    "locale_info",
    "is_translated",
]

# No wrapping: one line per string, so a diff shows exactly which strings
# changed, and polib never breaks a URL in a comment at a hyphen.  Editors that
# wrap differently are read back without loss.
WRAP_WIDTH = 0
FUZZY_THRESHOLD = 60  # similarity (0-100) above which a changed string keeps its old translation

_TRANSLATOR_NOTE = (
    "Keep [N] after a link's text and {N} exactly as they are: they stand for\n"
    "link targets and markup, which l10n puts back when it builds the sheet."
)


def entry_key(entry: polib.POEntry) -> tuple[str, str]:
    """What identifies an entry in a catalog: (msgctxt, msgid)."""
    return (entry.msgctxt or "", entry.msgid)


def is_translated(entry: polib.POEntry) -> bool:
    """Reviewed: has a translation and is not fuzzy."""
    return bool(entry.msgstr) and "fuzzy" not in entry.flags and not entry.obsolete


@lru_cache(maxsize=None)
def check_locale(locale: str) -> None:
    """Raise ConfigError unless Babel knows ``locale``.

    Every command checks its locales up front, but only some need Babel
    itself, whose import costs a sixth of l10n's start-up: a locale with its
    own file in Babel's data is in :mod:`l10n.locale_table` and passes on
    that alone; any other (an alias, a script or region Babel derives) is left
    to Babel to accept or refuse.
    """
    locale_info(locale)


@lru_cache(maxsize=None)
def locale_info(locale: str) -> tuple[str, str]:
    """The English name of a locale code such as ``es``, and its Plural-Forms header.

    >>> locale_info("pt-BR")
    ('Portuguese (Brazil)', 'nplurals=2; plural=(n > 1);')
    """
    from .locale_table import PLURAL_FORMS, TABLE

    name = locale.replace("-", "_")
    found = TABLE.find(f"\n{name}\t")
    if found >= 0:
        _, english_name, forms = TABLE[found + 1 : TABLE.index("\n", found + 1)].split("\t")
        return english_name, PLURAL_FORMS[int(forms)]
    # Babel and rapidfuzz are imported where used: commands that need neither
    # (a build, an unchanged run) start a fifth of a second sooner.
    from babel import Locale, UnknownLocaleError
    from babel.messages.plurals import get_plural

    try:
        parsed = Locale.parse(name)
    except (UnknownLocaleError, ValueError) as err:
        raise ConfigError(f"unknown locale {locale!r}: {err}") from None
    return parsed.english_name or locale, get_plural(parsed).plural_forms


def _comment_for(segments: Sequence[Segment]) -> str:
    lines: list[str] = []
    for seg in segments:
        lines.append(f"{seg.key} ({seg.kind})")
        lines.extend(f"{p.token}: {p.target or p.source}" for p in seg.placeholders)
    seen: set[str] = set()
    return "\n".join(line for line in lines if not (line in seen or seen.add(line)))


def template_metadata(project: str, source: str, sha256: str) -> dict[str, str]:
    """The header of a POT: what it is for, and the hash of what it was made from."""
    return {
        "Project-Id-Version": project,
        "Report-Msgid-Bugs-To": "",
        # gettext's placeholder date: Babel's read_po cannot parse an empty one.
        # Names are left empty rather than "FULL NAME", which msgfmt -c warns
        # about; 'l10n update' fills them per locale.
        "PO-Revision-Date": "YEAR-MO-DA HO:MI+ZONE",
        "Last-Translator": "",
        "Language-Team": "",
        "Language": "",
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "X-Generator": f"l10n {__version__}",
        "X-Source": source,
        "X-Source-SHA256": sha256,
    }


def template_for(doc: Document, segments: Sequence[Segment]) -> polib.POFile:
    """The POT for one sheet: one entry per distinct (context, text), in source order."""
    template = polib.POFile(wrapwidth=WRAP_WIDTH)
    template.header = (
        f"Translation template for {doc.path}.\n"
        "Generated by l10n from the English sheet; do not edit by hand.\n" + _TRANSLATOR_NOTE
    )
    template.metadata = template_metadata(doc.slug, doc.path, doc.sha256)
    grouped: dict[tuple[str, str], list[Segment]] = {}
    for seg in segments:
        grouped.setdefault((seg.context or "", seg.text), []).append(seg)
    for (context, text), group in grouped.items():
        template.append(
            pofile.new_entry({
                "msgctxt": context or None,
                "msgid": text,
                "comment": _comment_for(group),
                "occurrences": [(doc.path, str(seg.line)) for seg in group],
            })
        )
    return template


class UpdateSummary:
    """What :func:`update_catalog` did, for the command's report."""

    def __init__(self, kept: int = 0, fuzzy: int = 0, added: int = 0, obsoleted: int = 0, revived: int = 0):
        self.kept = kept  # exact matches that kept their translation
        self.fuzzy = fuzzy  # changed strings that kept an old translation, now fuzzy
        self.added = added  # new strings with no translation
        self.obsoleted = obsoleted  # translated strings no longer in the source
        self.revived = revived  # obsolete strings whose text came back

    def __eq__(self, other: object) -> bool:
        return vars(self) == vars(other) if isinstance(other, UpdateSummary) else NotImplemented

    def __repr__(self) -> str:
        return f"UpdateSummary({', '.join(f'{k}={v}' for k, v in vars(self).items())})"

    def __str__(self) -> str:
        return (
            f"{self.kept} kept, {self.fuzzy} fuzzy (source changed), {self.added} new, "
            f"{self.obsoleted} obsolete, {self.revived} revived"
        )


def _header(template: polib.POFile, old: polib.POFile | None, locale: str) -> dict[str, str]:
    language, plural_forms = locale_info(locale)
    base = {
        "Project-Id-Version": template.metadata.get("Project-Id-Version", ""),
        "Report-Msgid-Bugs-To": "",
        "PO-Revision-Date": _now(),
        "Last-Translator": "",
        "Language-Team": language,
        "Language": locale,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
        "Plural-Forms": plural_forms,
    }
    if old is not None:
        # A translator's editor owns these; keep whatever it wrote.
        for name, value in old.metadata.items():
            if name not in ("X-Generator", "X-Source", "X-Source-SHA256", "Content-Type"):
                base[name] = value
    for name in ("X-Generator", "X-Source", "X-Source-SHA256"):
        if name in template.metadata:
            base[name] = template.metadata[name]
    base["Language"] = locale
    if not base["PO-Revision-Date"].strip() or "YEAR" in base["PO-Revision-Date"]:
        base["PO-Revision-Date"] = _now()  # as msginit does; editors update it from then on
    return base


def _now() -> str:
    """The time for a new PO file's revision date (SOURCE_DATE_EPOCH for reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = datetime.fromtimestamp(int(epoch), timezone.utc) if epoch and epoch.isdigit() else \
        datetime.now(timezone.utc)
    return moment.strftime("%Y-%m-%d %H:%M+0000")


def _copy(entry: polib.POEntry, **changes) -> polib.POEntry:
    return pofile.new_entry({
        "msgid": entry.msgid,
        "msgstr": entry.msgstr,
        "msgctxt": entry.msgctxt,
        "msgid_plural": entry.msgid_plural,
        "msgstr_plural": dict(entry.msgstr_plural),
        "comment": entry.comment,
        "tcomment": entry.tcomment,
        "occurrences": list(entry.occurrences),
        "flags": list(entry.flags),
        "previous_msgid": entry.previous_msgid,
        "previous_msgctxt": entry.previous_msgctxt,
        "obsolete": entry.obsolete,
        **changes,
    })


def _has_translation(entry: polib.POEntry) -> bool:
    return bool(entry.msgstr) or any(entry.msgstr_plural.values())


def _catalog_head(old: polib.POFile | None, template: polib.POFile, locale: str) -> polib.POFile:
    """An empty catalog for ``locale`` with the header an update gives it."""
    new = polib.POFile(wrapwidth=WRAP_WIDTH)
    if old is not None and old.header:
        new.header = old.header
    else:
        new.header = (f"{locale_info(locale)[0]} translation of {template.metadata.get('X-Source', '')}.\n"
                      + _TRANSLATOR_NOTE)
    new.metadata = _header(template, old, locale)
    return new


def new_catalog_text(template: polib.POFile, template_text: str, locale: str) -> str:
    """``catalog_text(update_catalog(None, template, locale)[0])``, without making that catalog.

    A new catalog's entries are the template's, untranslated, so its text is
    the template's text under the catalog's own header.
    """
    body = template_text[_head_length(template, template_text):]
    return pofile.serialize_head(_catalog_head(None, template, locale)) + body


def _head_length(template: polib.POFile, template_text: str) -> int:
    """Where the header ends in :func:`catalog_text`'s ``template_text``: at its first blank line.

    Neither header comments (an empty one is written "#") nor the header
    entry have blank lines, and a blank line follows them.
    """
    end = template_text.find("\n\n")
    return end + 1 if end >= 0 else len(template_text)


def update_catalog(
    old: polib.POFile | None, template: polib.POFile, locale: str, threshold: int = FUZZY_THRESHOLD
) -> tuple[polib.POFile, UpdateSummary]:
    """A new catalog for ``locale`` with ``template``'s strings and ``old``'s work.

    Raises :class:`~l10n.errors.DataLossError` rather than return a catalog
    missing any translation ``old`` had.
    """
    summary = UpdateSummary()
    new = _catalog_head(old, template, locale)
    old_entries = [e for e in old if e.msgid] if old is not None else []
    active = {entry_key(e): e for e in old_entries if not e.obsolete}
    obsolete = {entry_key(e): e for e in old_entries if e.obsolete}
    used: set[int] = set()
    unmatched: list[polib.POEntry] = []

    for entry in template:
        key = entry_key(entry)
        match = active.get(key)
        if match is None and key in obsolete:
            match = obsolete[key]
            summary.revived += 1
        if match is not None:
            used.add(id(match))
            fuzzy = "fuzzy" in match.flags
            merged = _copy(
                entry,
                msgstr=match.msgstr,
                msgstr_plural=dict(match.msgstr_plural),
                tcomment=match.tcomment,
                flags=sorted(set(entry.flags) | set(match.flags)),
                previous_msgid=match.previous_msgid if fuzzy else None,
                previous_msgctxt=match.previous_msgctxt if fuzzy else None,
                obsolete=False,
            )
            summary.kept += 1
        else:
            merged = _copy(entry, msgstr="", flags=list(entry.flags), obsolete=False)
            unmatched.append(merged)
        new.append(merged)

    candidates = [e for e in old_entries if id(e) not in used and _has_translation(e)]
    choices = [e.msgid for e in candidates]
    if unmatched and choices:
        from rapidfuzz import fuzz, process  # here: a 40 ms import most updates do not need
    for entry in unmatched:
        best = process.extractOne(entry.msgid, choices, scorer=fuzz.ratio, score_cutoff=threshold) if choices else None
        if best is None:
            summary.added += 1
            continue
        source = candidates[best[2]]
        used.add(id(source))  # msgmerge too drops the old entry once it lives on as fuzzy
        entry.msgstr = source.msgstr
        entry.tcomment = source.tcomment
        entry.flags = sorted(set(entry.flags) | set(source.flags) | {"fuzzy"})
        entry.previous_msgid = source.msgid
        entry.previous_msgctxt = source.msgctxt
        summary.fuzzy += 1

    seen = {entry_key(e) for e in new}
    for entry in old_entries:
        if id(entry) in used or not _has_translation(entry) or entry_key(entry) in seen:
            continue
        seen.add(entry_key(entry))
        if not entry.obsolete:
            summary.obsoleted += 1
        new.append(_copy(entry, occurrences=[], obsolete=True))

    if old is not None:
        _guard_against_loss(old, new)
    return new, summary


def _guard_against_loss(old: polib.POFile, new: polib.POFile) -> None:
    kept = {e.msgstr for e in new if e.msgstr}
    for entry in old:
        if entry.msgstr and entry.msgstr not in kept:
            raise DataLossError(
                f"internal error: updating would drop the translation of {entry.msgid[:60]!r}; nothing written",
                old.fpath,
                getattr(entry, "linenum", None),
            )


def parse_catalog(text: str, path: str, comments: bool = True) -> polib.POFile:
    """Parse PO text; every failure becomes a :class:`CatalogError` at ``path:line``.

    ``comments=False``: see :func:`l10n.pofile.parse`.
    """
    catalog = pofile.parse(text, path, comments)
    seen: dict[tuple, int] = {}
    for entry in catalog:
        key = entry_key(entry) + (("obsolete",) if entry.obsolete else ())
        if key in seen:
            raise CatalogError(
                f"the string {entry.msgid[:50]!r} appears twice (first at line {seen[key]})", path, entry.linenum
            )
        seen[key] = entry.linenum
    return catalog


def read_catalog(path: str | os.PathLike, display: str | None = None) -> polib.POFile:
    """Read a PO or POT file strictly as UTF-8."""
    shown = display or str(path)
    try:
        text = read_text(path, shown)
    except OSError as err:
        raise CatalogError(f"cannot read: {err.strerror}", shown) from None
    if not text.strip():
        raise CatalogError("the PO file is empty", shown, 1)
    return parse_catalog(text, shown)


def catalog_text(catalog: polib.POFile) -> str:
    return pofile.serialize(catalog)


def write_catalog(catalog: polib.POFile, path: str | os.PathLike) -> bool:
    """Write atomically; return False when the file already had this content."""
    return write_text_atomic(path, catalog_text(catalog))
