"""Publishing: Markdown sheets and HTML pages, Babel formatting, and no script injection."""

from __future__ import annotations

import gettext
import html as html_lib
import re
import subprocess
from pathlib import Path

import polib

from conftest import ROOT, require_tool
from l10n.build import build_sheet
from l10n.config import load_config
from l10n.document import parse_document
from l10n.links import load_link_rules
from l10n.publish import load_templates, markdown_to_html, publish_sheet
from l10n.segment import segment_document
from l10n.ui import compile_ui

SHEET = """\
---
title: Examplumab - NCI
language: en
lastReviewed: '2025-12-30'
citation: NCI, 2025
url: https://www.cancer.gov/about-cancer/treatment/drugs/examplumab
---

# Examplumab

Examplumab is used to treat [multiple myeloma](/Common/PopUps/popDefinition.aspx?id=45793&version=Patient&language=English).

Read the [label at DailyMed](https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=examplumab).

Take it once a day.
"""

SPANISH = {
    "Examplumab": "Examplumab",
    "Examplumab is used to treat [multiple myeloma][1].": "El examplumab se usa para tratar el [mieloma múltiple][1].",
    "Read the [label at DailyMed][1].": "Lea la [etiqueta en DailyMed][1].",
    "Take it once a day.": "Tómelo una vez al día.",
}
SCRIPT = '<script>document.title="pwned"</script>'
IMG = "<img src=x onerror=\"document.title='pwned'\">"


def _catalog(sheet: str, translations: dict[str, str], title: str) -> polib.POFile:
    catalog = polib.POFile()
    catalog.metadata = {"Language": "es"}
    catalog.append(polib.POEntry(msgctxt="front-matter:title", msgid="Examplumab - NCI", msgstr=title))
    for msgid, msgstr in translations.items():
        catalog.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
    return catalog


def _publish(tmp_path: Path, title: str = "Examplumab - NCI", translations=SPANISH, ui=None, draft=False):
    config = load_config(ROOT)
    doc = parse_document(SHEET, "seeds/examplumab.md")
    built = build_sheet(doc, segment_document(doc), _catalog(SHEET, translations, title), "es")
    translations_ui = ui if ui is not None else compile_ui(config, "es", tmp_path / "mo")
    templates = load_templates(ROOT / "templates", translations_ui)
    rules = load_link_rules(config.sections, "es", config.file)
    return built, publish_sheet(parse_document(built.text, doc.path), "es", "en", templates, rules, draft,
                                "https://example.org/sheets")


def chromium(target: str | Path, *flags: str, tmp: Path) -> str:
    """Load a page in headless Chromium (no network) and return the DOM after scripts ran."""
    url = target if isinstance(target, str) else target.resolve().as_uri()
    done = subprocess.run(
        [require_tool("chromium"), "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={tmp / 'chromium'}",
         "--virtual-time-budget=3000", *flags, url],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def _title(dom: str) -> str:
    return html_lib.unescape(re.search(r"<title>(.*?)</title>", dom, re.S).group(1))


def test_markdown_page_in_spanish(tmp_path):
    built, page = _publish(tmp_path)
    assert built.status == "reviewed"
    md = page.markdown
    assert md.startswith("---\ntitle: Examplumab - NCI\nlanguage: es\n")
    assert "El examplumab se usa para tratar el [mieloma múltiple](https://www.cancer.gov/Common/PopUps/popDefinition.aspx?id=45793&version=Patient&language=Spanish)." in md
    assert "Lea la [etiqueta en DailyMed](https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=examplumab) (en inglés)." in md
    assert "Última revisión: 30 de diciembre de 2025" in md
    assert "Fuente: NCI, 2025" in md
    assert "[Lea el original en inglés](https://www.cancer.gov/about-cancer/treatment/drugs/examplumab)" in md
    assert "Borrador" not in md
    # The published Markdown is itself a sheet l10n can read.
    assert parse_document(md, "x.md").metadata["translationStatus"] == "reviewed"


def test_html_page_structure(tmp_path):
    _, page = _publish(tmp_path)
    html = page.html
    assert '<html lang="es" dir="ltr">' in html
    assert '<link rel="alternate" hreflang="en" href="https://www.cancer.gov/about-cancer/treatment/drugs/examplumab">' in html
    assert '<link rel="alternate" hreflang="es" href="https://example.org/sheets/es/examplumab.html">' in html
    assert '<link rel="alternate" hreflang="x-default"' in html
    assert '<a href="https://dailymed.nlm.nih.gov/dailymed/search.cfm?query=examplumab" hreflang="en">etiqueta en DailyMed</a> (en inglés)' in html
    assert "<p>Última revisión: 30 de diciembre de 2025</p>" in html
    assert 'language=Spanish">mieloma múltiple</a>' in html


def test_draft_page_has_a_banner(tmp_path):
    _, page = _publish(tmp_path, draft=True)
    assert '<div class="draft" role="alert">Borrador:' in page.html
    assert '<meta name="robots" content="noindex">' in page.html
    assert "> **Borrador:" in page.markdown


def test_raw_html_in_markdown_is_text():
    html = markdown_to_html('Hi <script>alert(1)</script>\n\n<div onclick="x()">a</div>\n\n[x](javascript:alert(1))\n')
    assert "<script" not in html and "<div" not in html
    assert "&lt;script&gt;" in html and "&lt;div onclick=" in html
    assert 'href="javascript' not in html


def test_translated_markup_never_reaches_the_page(tmp_path):
    hostile = dict(SPANISH)
    hostile["Take it once a day."] = f"Tómelo {IMG} una vez al día."
    built, page = _publish(tmp_path, title=SCRIPT, translations=hostile)
    # The build refuses the tag in a paragraph (English kept) ...
    assert "the translation adds markup" in built.problems[0].message
    assert "Take it once a day." in page.markdown and "<img" not in page.html
    # ... and a title, which has no markup rules, is escaped wherever it shows.
    assert "<script>" not in page.html
    assert "<title>&lt;script&gt;document.title=&#34;pwned&#34;&lt;/script&gt;</title>" in page.html


class _Hostile(gettext.NullTranslations):
    """A ui.po whose translator typed markup into every string."""

    def gettext(self, message):
        return f"{IMG}{message}"


def test_ui_strings_are_escaped(tmp_path):
    _, page = _publish(tmp_path, ui=_Hostile())
    assert "<img" not in page.html
    assert "&lt;img src=x onerror=" in page.html
    assert "&lt;img" in page.markdown and "<img" not in page.markdown


def test_no_script_runs_in_chromium(tmp_path):
    hostile = dict(SPANISH)
    hostile["Take it once a day."] = f"Tómelo {IMG} una vez al día."
    _, page = _publish(tmp_path, title=SCRIPT, translations=hostile, ui=_Hostile())
    target = tmp_path / "page.html"
    target.write_text(page.html, encoding="utf-8")
    dom = chromium(target, "--dump-dom", tmp=tmp_path)
    assert _title(dom) == SCRIPT  # shown as text, not run
    assert "<script" not in dom and "<img" not in dom
    assert 'lang="es"' in dom and 'hreflang="en"' in dom

    # The same check does catch a page that runs the payload (so it can fail).
    control = tmp_path / "control.html"
    control.write_text(f"<!DOCTYPE html><html><head><title>x</title></head><body>{IMG}{SCRIPT}</body></html>")
    assert _title(chromium(control, "--dump-dom", tmp=tmp_path)) == "pwned"


def test_screenshot_of_the_spanish_page(tmp_path):
    _, page = _publish(tmp_path)
    target = tmp_path / "page.html"
    target.write_text(page.html, encoding="utf-8")
    shot = tmp_path / "page.png"
    chromium(target, f"--screenshot={shot}", "--window-size=900,900", tmp=tmp_path)
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
