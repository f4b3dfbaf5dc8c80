"""Per-locale sheets: put a catalog's translations back into the English sheet.

Which text a segment gets:

* a reviewed translation (non-empty, not fuzzy) is used;
* a fuzzy one (machine output, or a changed source) only with
  ``include_fuzzy``, otherwise the English text stays;
* an untranslated segment keeps its English text, byte for byte;
* a translation that cannot be put back safely (it drops a link, adds
  markup, would turn a paragraph into a list) is refused: the English text
  stays and the problem is reported at the PO file's line;
* so is a reviewed translation with an error-level QA problem (:mod:`l10n.checks`:
  a changed dose, number, identifier or frequency, a dropped footnote marker,
  a control character...), reported in the words ``l10n check`` uses: a
  sheet never carries a wrong dose without a word.  Names are the exception
  (:data:`NOT_REFUSED`): whether "aspirina" is the drug "Aspirin" is a
  terminology decision with exceptions, which ``check`` and the release gate
  make with the project's glossary; the build does not guess it.  A fuzzy
  one in a draft is refused only for control characters.

The front matter keeps every byte but: ``language`` (set to the locale), the
translated keys, and the provenance keys ``translationSource``,
``translationSourceHash`` and ``translationStatus`` (added or updated).
"""

from __future__ import annotations

from collections import Counter
from typing import Sequence

import polib

from .catalog import entry_key, is_translated
from .document import Document, front_matter_edits, front_matter_outline
from .checks import ENTRY_CHECKS, ERROR, check_entry
from .errors import L10nError, TranslationError
from .segment import Segment, block_structure, render, splice

__all__ = ["SheetBuild", "build_sheet", "STATUS_KEYS", "NOT_REFUSED", "CheckRefusal"]

STATUS_KEYS = ("translationSource", "translationSourceHash", "translationStatus")

# How each segment was served, in the order the summary reports them.
OUTCOMES = ("reviewed", "fuzzy", "fuzzy-skipped", "untranslated", "refused")

# Error-level checks the build does not refuse for: "render" and "markup" are
# what the build's own rule (render, run first) decides for itself; names need
# the glossary (see the module docstring).
NOT_REFUSED = frozenset({"render", "markup", "do-not-translate"})
# An unreviewed (fuzzy) translation in a draft is refused only for characters
# that hide or reorder text: the draft banner already says nobody checked the rest.
DRAFT_REFUSED = frozenset({"control-chars"})
_ALL_CHECKS = frozenset(check.name for check in ENTRY_CHECKS)


class CheckRefusal(TranslationError):
    """A translation refused because a QA check (``check``, its name) reports an error in it.

    The release gate runs the same checks itself; it can tell these apart
    from the build's own refusals so as not to give one reason twice.
    """

    def __init__(self, message: str, path: str | None = None, line: int | None = None, check: str = ""):
        super().__init__(message, path, line)
        self.check = check

    def __reduce__(self):
        return (self.__class__, (self.message, self.path, self.line, self.check))


class SheetBuild:
    """A built sheet and how each of its segments was served."""

    def __init__(self, source: Document):
        self.source = source
        self.text = ""
        self.counts: Counter = Counter()
        self.problems: list[L10nError] = []

    @property
    def status(self) -> str:
        """``reviewed``: all human-reviewed; ``draft``: has unreviewed text; ``partial``: has English."""
        if self.counts["fuzzy"]:
            return "draft"
        if any(self.counts[k] for k in ("fuzzy-skipped", "untranslated", "refused")):
            return "partial"
        return "reviewed"


def _translation_for(
    segment: Segment, entry: polib.POEntry | None, include_fuzzy: bool
) -> tuple[str, str | None]:
    if entry is None or not entry.msgstr:
        return "untranslated", None
    if is_translated(entry):
        return "reviewed", entry.msgstr
    if include_fuzzy:
        return "fuzzy", entry.msgstr
    return "fuzzy-skipped", None


def build_sheet(
    doc: Document,
    segments: Sequence[Segment],
    catalog: polib.POFile,
    locale: str,
    include_fuzzy: bool = False,
) -> SheetBuild:
    """Build one sheet for ``locale``. Refused translations are reported, not fatal."""
    result = SheetBuild(source=doc)
    entries = {entry_key(e): e for e in catalog if not e.obsolete}
    edits: list[tuple[int, int, str]] = []
    po_path = getattr(catalog, "fpath", None)
    for seg in segments:
        entry = entries.get((seg.context or "", seg.text))
        outcome, translation = _translation_for(seg, entry, include_fuzzy)
        if translation is not None and translation != seg.text:
            line = getattr(entry, "msgstr_line", None)
            try:
                rendered = render(seg, translation)
            except TranslationError as err:
                outcome = "refused"
                result.problems.append(TranslationError(err.message, po_path, line))
            else:
                skip = NOT_REFUSED if outcome == "reviewed" else _ALL_CHECKS - DRAFT_REFUSED
                errors = check_entry(entry, po_path or "", seg, locale, severities=frozenset({ERROR}), skip=skip)
                if errors:
                    outcome = "refused"
                    result.problems += [CheckRefusal(f"error [{p.check}] {p.message} (the English text is kept)",
                                                     po_path, line, p.check) for p in errors]
                else:
                    edits.append((seg.start, seg.end, rendered))
        result.counts[outcome] += 1

    provenance = {
        "language": locale,
        "translationSource": doc.path,
        "translationSourceHash": f"sha256:{doc.sha256}",
        "translationStatus": result.status,
    }
    edits.extend(front_matter_edits(doc, provenance))
    result.text = splice(doc.text, edits)
    _verify(doc, result.text, segments, locale)
    return result


def _verify(doc: Document, text: str, segments: Sequence[Segment], locale: str) -> None:
    """Prove the built sheet still reads as the same sheet; never write one that doesn't."""
    try:
        keys, strings, body_start = front_matter_outline(text, doc.path)
    except L10nError as err:
        raise L10nError(f"internal error: the built sheet's front matter broke: {err.message}", doc.path) from None
    if strings.get("language") != locale:
        raise L10nError("internal error: the built sheet's language key is wrong", doc.path)
    for key in doc.keys:
        if key not in keys:
            raise L10nError(f"internal error: the built sheet lost front-matter key {key!r}", doc.path)
    body = text[body_start:]
    if body != doc.body and block_structure(body) != block_structure(doc.body):
        raise L10nError(
            "a translation changes the sheet's layout (lists, headings or tables); "
            "run 'l10n check' to find it — nothing was written",
            doc.path,
        )
