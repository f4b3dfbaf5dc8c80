"""A static HTML review page per locale, for reviewers who do not use a PO editor.

For every sheet: each string's English and translation side by side with its
status (:mod:`l10n.provenance`: reviewed / memory-exact / machine / memory /
changed / untranslated), who or what wrote it, who approved it, the QA problems
of that string next to it, and the translated sheet rendered as a patient
would read it (a draft: unreviewed text included, and marked so).

Everything that comes from a PO file or a sheet is escaped by the template
(Jinja2, autoescape on): a msgstr holding ``<script>`` shows as text.  The one
piece of HTML put in as it is, the patient view, comes from markdown-it-py with
raw HTML turned off, so a tag in a translation is text there too; and the page
forbids scripts outright (Content-Security-Policy), should anything slip past.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import jinja2
from markupsafe import Markup

from .build import build_sheet
from .checks import Problem, entry_line, entry_targets
from .document import parse_document
from .errors import L10nError
from .files import write_text_atomic
from .markdown import html_renderer
from .approval import approval
from .provenance import STATUSES, origin
from .stats import SheetState, SheetStats, entry_status

__all__ = ["Row", "SheetReview", "TEMPLATE", "sheet_review", "render_page", "patient_html", "write_page"]

TEMPLATE = "review.html.j2"
_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


@dataclass(frozen=True)
class Row:
    """One PO entry as the review page shows it."""

    line: int | None
    key: str
    source: str
    translation: str
    status: str
    origin: str  # who or what wrote the current text (l10n.provenance)
    approved: str  # "Ana Ruiz, 2026-12-02" when a clinical reviewer approved this text
    note: str  # the translator comment
    previous: str  # the English it was translated from, when that changed
    targets: tuple[tuple[str, str], ...]  # ("[1]", url): what the placeholders stand for
    problems: tuple[Problem, ...]

    @property
    def worst(self) -> str:
        severities = {p.severity for p in self.problems}
        return "error" if "error" in severities else "warning" if severities else ""


@dataclass(frozen=True)
class SheetReview:
    slug: str
    source_path: str
    catalog_path: str
    stats: SheetStats
    rows: tuple[Row, ...]
    source_problems: tuple[Problem, ...]
    other_problems: tuple[Problem, ...]  # a catalog problem with no entry to attach to
    patient_title: str
    patient_html: Markup
    patient_note: str  # why there is no patient view, or what it includes


def patient_html(body: str) -> Markup:
    """A Markdown body as HTML; raw HTML in it shows as text, unsafe links are dropped.

    >>> str(patient_html("Hi <script>x</script> [a](javascript:alert(1))"))
    '<p>Hi &lt;script&gt;x&lt;/script&gt; [a](javascript:alert(1))</p>\\n'
    """
    return Markup(html_renderer().render(body))


def _key(entry) -> str:
    first = (entry.comment or "").split("\n", 1)[0]
    return first or (entry.msgctxt or "")


def sheet_review(state: SheetState) -> SheetReview:
    """What the page shows for one sheet (no I/O)."""
    by_line: dict[int | None, list[Problem]] = defaultdict(list)
    for problem in state.problems:
        by_line[problem.line].append(problem)
    rows = []
    for entry in state.catalog:
        if entry.obsolete or not entry.msgid:
            continue
        line = entry_line(entry)
        status = entry_status(entry, state.policy)
        signed = approval(entry)
        rows.append(
            Row(
                line=line,
                key=_key(entry),
                source=entry.msgid,
                translation=entry.msgstr,
                status=status,
                origin=origin(entry),
                approved=f"{signed.reviewer}, {signed.day}" if signed else "",
                note=entry.tcomment or "",
                previous=entry.previous_msgid or "",
                targets=tuple(entry_targets(entry).items()),
                problems=tuple(by_line.pop(line, ())) if line is not None else (),
            )
        )
    try:
        built = build_sheet(state.doc, state.segments, state.catalog, state.locale, include_fuzzy=True)
        doc = parse_document(built.text, state.doc.path)
        title = str(doc.metadata.get("title", state.doc.slug))
        html = patient_html(doc.body)
        counts = built.counts
        note = "; ".join(
            [f"draft: {counts['fuzzy']} unreviewed string(s) included" if counts["fuzzy"] else "reviewed text only"]
            + ([f"{counts['untranslated']} untranslated string(s) in English"] if counts["untranslated"] else [])
            + ([f"{counts['refused']} translation(s) the build refuses, English instead"] if counts["refused"] else [])
        )
    except L10nError as err:
        title, html, note = state.doc.slug, Markup(""), f"cannot be built: {err}"
    return SheetReview(
        slug=state.doc.slug,
        source_path=state.doc.path,
        catalog_path=state.catalog_path,
        stats=state.stats,
        rows=tuple(rows),
        source_problems=state.source_problems,
        other_problems=tuple(p for problems in by_line.values() for p in problems),
        patient_title=title,
        patient_html=html,
        patient_note=note,
    )


@lru_cache(maxsize=None)
def _environment(folder: Path) -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)),
        autoescape=True,  # every value from a PO file or sheet is text, never markup
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def render_page(states: Sequence[SheetState], locale: str, templates: Path | None = None) -> str:
    """The review page of one locale, as HTML text."""
    folder = templates if templates is not None and (templates / TEMPLATE).is_file() else _TEMPLATES
    sheets = [sheet_review(state) for state in states]
    return _environment(folder).get_template(TEMPLATE).render(locale=locale, sheets=sheets, statuses=STATUSES)


def write_page(path: Path, states: Sequence[SheetState], locale: str, templates: Path | None = None) -> bool:
    """Write the page atomically; False when it was already up to date."""
    return write_text_atomic(path, render_page(states, locale, templates))
