"""Publishing: Markdown sheets and HTML pages, Babel formatting, and no script injection."""

from __future__ import annotations

import gettext
import html as html_lib
import re
import subprocess
from pathlib import Path

import polib

from conftest import png_colors, ROOT, require_tool
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
    colours = png_colors(shot)
    white = colours[(255, 255, 255)]
    assert white < 0.99 * sum(colours.values())  # not a blank page (text on white: about 2% ink)
    assert colours[(0x12, 0x35, 0x5B)] > 200  # the heading's colour: the sheet's title is drawn
    assert colours[(0xFD, 0xE8, 0xE8)] == 0  # and no draft banner on a released page


# -- a second locale with no engine, no ui catalog and no link rules ---------------------------

import json  # noqa: E402
import shutil  # noqa: E402

from conftest import SEEDS, run_l10n  # noqa: E402

FRENCH_CONFIG = f"""\
locales = ["es", "fr"]

[publish]
templates = "{ROOT / 'templates'}"
"""


def _french(tmp_path: Path) -> Path:
    (tmp_path / "seeds").mkdir()
    shutil.copy(SEEDS / "carfilzomib.md", tmp_path / "seeds")
    (tmp_path / "l10n.toml").write_text(FRENCH_CONFIG)
    run_l10n(tmp_path, "extract", check=True)
    run_l10n(tmp_path, "update", "--locale", "fr", check=True)
    done = run_l10n(tmp_path, "pretranslate", "--locale", "fr", check=True)
    assert "no machine translation: no engine for en->fr" in done.stdout  # the bootstrap installs eng-spa only
    return tmp_path


def test_a_locale_without_ui_catalog_or_engine_gets_clean_english_chrome(tmp_path):
    project = _french(tmp_path)
    run_l10n(project, "release", "--draft", "--locale", "fr", check=True)
    folder = project / "dist" / "fr-draft"
    for name in ("carfilzomib.md", "carfilzomib.html"):
        page = (folder / name).read_text(encoding="utf-8")
        # No English sentence with a French word in it ("in anglais", "December" in French)...
        assert "anglais" not in page and "décembre" not in page
        assert "(in English)" in page and "Read the original in English" in page
        assert "Last reviewed: December 30, 2025" in page
        # ...and no claim of machine translation where no engine ran.
        assert "machine translation" not in page
        assert "Draft: this sheet contains text that nobody has reviewed yet, or that is not yet translated." in page
    html = (folder / "carfilzomib.html").read_text(encoding="utf-8")
    assert '<html lang="fr"' in html and '<span lang="en">Last reviewed: December 30, 2025</span>' in html
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert not any(k.startswith("machine") for k in manifest["sheets"][0]["provenance"])


def test_a_partly_translated_ui_catalog_never_mixes_within_a_string(tmp_path):
    project = _french(tmp_path)
    run_l10n(project, "ui", "--locale", "fr", check=True)
    po_path = project / "locales" / "fr" / "LC_MESSAGES" / "ui.po"
    catalog = polib.pofile(str(po_path))
    catalog.find("(in %(language)s)").msgstr = "(en %(language)s)"
    # A translator's typo in a placeholder: the string falls back to English instead of crashing.
    catalog.find("Last reviewed: %(date)s").msgstr = "Dernière révision : %(jour)s"
    catalog.save()
    done = run_l10n(project, "release", "--draft", "--locale", "fr")
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    page = (project / "dist" / "fr-draft" / "carfilzomib.md").read_text(encoding="utf-8")
    assert "(en anglais)" in page and "(in English)" not in page
    assert "Last reviewed: December 30, 2025" in page and "Dernière" not in page
    assert "Read the original in English" in page


def test_update_of_an_unconfigured_locale_says_what_to_add(tmp_path):
    (tmp_path / "seeds").mkdir()
    shutil.copy(SEEDS / "carfilzomib.md", tmp_path / "seeds")
    (tmp_path / "l10n.toml").write_text('locales = ["es"]\n')
    run_l10n(tmp_path, "extract", check=True)
    done = run_l10n(tmp_path, "update", "--locale", "fr")
    assert done.returncode == 2
    assert "l10n.toml: locale 'fr' is not in the configuration: add it to 'locales'" in done.stderr
    assert 'locales = ["es", "fr"]' in done.stderr
    assert not (tmp_path / "locales" / "fr").exists()
    # In pyproject.toml the table is named too.
    (tmp_path / "l10n.toml").unlink()
    (tmp_path / "pyproject.toml").write_text('[tool.l10n]\nlocales = ["es"]\n')
    done = run_l10n(tmp_path, "run", "--locale", "fr")
    assert done.returncode == 2 and "pyproject.toml" in done.stderr and "[tool.l10n] 'locales'" in done.stderr
