"""The review page: everything from PO files is text, proved in a real headless Chromium."""

from __future__ import annotations

import html.parser
import re
import subprocess
from pathlib import Path

import pytest

from l10n.config import load_config
from l10n.review import patient_html, render_page, sheet_review
from l10n.stats import read_sheets

from conftest import png_colors, require_tool, run_l10n, set_entries

SCRIPT = "<script>document.title='pwned'</script>"
IMG = "<img src=x onerror=\"document.title='img'\">"
TITLE = "Review: es translations"


def translate(po: Path, changes: dict[str, tuple[str, str]]) -> None:
    """Give entries (by msgid) a translation of a kind: reviewed, machine, memory or changed."""
    set_entries(po, changes)


@pytest.fixture
def reviewed_project(project: Path) -> Path:
    run_l10n(project, "extract", check=True)
    run_l10n(project, "update", "--locale", "es", check=True)
    translate(project / "locales/es/LC_MESSAGES/carfilzomib.po", {
        "Carfilzomib - NCI": (SCRIPT + "Carfilzomib - NCI", "reviewed"),  # the title, shown as the page heading
        "Yes": ("Sí", "reviewed"),
        "FDA Approved": (SCRIPT + "Aprobado por la FDA", "reviewed"),
        "US Brand Name(s)": ("Nombre(s) comercial(es) en EE. UU.", "machine"),
        "Kyprolis": ("Kiprolis", "memory"),  # a translated brand name: a QA error
        "(kar-FIL-zoh-mib)": (IMG, "changed"),
    })
    return project


def test_review_page_shows_statuses_problems_and_the_patient_view(reviewed_project: Path):
    config = load_config(reviewed_project)
    states, failures = read_sheets(config, "es", [config.source_dir / "carfilzomib.md"])
    assert failures == []
    review = sheet_review(states[0])
    statuses = {row.source: row.status for row in review.rows}
    assert statuses["Yes"] == "reviewed" and statuses["US Brand Name(s)"] == "machine"
    assert statuses["Kyprolis"] == "memory" and statuses["(kar-FIL-zoh-mib)"] == "changed"
    assert statuses["Placeholder slot"] == "untranslated"
    kyprolis = next(row for row in review.rows if row.source == "Kyprolis")
    assert kyprolis.worst == "error" and kyprolis.problems[0].check == "do-not-translate"
    assert [p.check for p in review.source_problems] == ["scaffolding"]
    assert "Sí" in review.patient_html and "Kiprolis" in review.patient_html  # fuzzy included in the draft view
    # Strings with HTML in them are refused by the build (the patient sees English) or,
    # where accepted, shown as text: see the Chromium test.
    assert review.patient_note.startswith("draft: 2 unreviewed string(s) included; ")
    assert "translation(s) the build refuses, English instead" in review.patient_note
    html_rows = [row for row in review.rows if "<" in row.translation]
    assert len(html_rows) == 4 and all(row.worst == "error" for row in html_rows)

    page = render_page(states, "es")
    assert SCRIPT not in page and IMG not in page
    assert "&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;Aprobado por la FDA" in page
    assert "l10n: machine apertium 3.8.3" in page and "was: FDA approved" in page


def test_patient_view_is_markdown_with_raw_html_as_text():
    assert str(patient_html("**Sí** <b>x</b>")) == "<p><strong>Sí</strong> &lt;b&gt;x&lt;/b&gt;</p>\n"
    assert "href" not in patient_html("[a](javascript:alert(1))")


class _Dom(html.parser.HTMLParser):
    """Elements and text of a DOM as Chromium serialised it."""

    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        self._in_title = False

    def handle_data(self, data):
        self.text.append(data)
        if self._in_title:
            self.title += data


def chromium(page: Path, tmp_path: Path, *mode: str) -> subprocess.CompletedProcess:
    binary = require_tool("chromium")
    return subprocess.run(
        [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run",
         f"--user-data-dir={tmp_path / 'chromium-profile'}", *mode, page.as_uri()],
        capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize("with_csp", [True, False], ids=["as-written", "without-csp"])
def test_in_chromium_no_script_runs_and_the_script_shows_as_text(reviewed_project: Path, tmp_path: Path, with_csp):
    done = run_l10n(reviewed_project, "review", "--locale", "es")
    assert done.returncode == 0, done.stderr  # QA problems are shown on the page, not a failure to write it
    page = reviewed_project / "build/review/es.html"
    if not with_csp:
        # Escaping alone must hold: take away the page's script ban and look again.
        text = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page.read_text())
        assert "Content-Security-Policy" not in text
        page = tmp_path / "no-csp.html"
        page.write_text(text)
    result = chromium(page, tmp_path, "--dump-dom")
    assert result.returncode == 0, result.stderr
    dom = _Dom()
    dom.feed(result.stdout)
    assert dom.title == TITLE  # the injected scripts would have changed it
    assert "script" not in dom.tags and "img" not in dom.tags
    text = "".join(dom.text)
    assert SCRIPT + "Aprobado por la FDA" in text  # shown to the reviewer, as text
    assert IMG in text
    assert SCRIPT + "Carfilzomib - NCI" in text  # the patient view's heading, from the front matter
    assert "table" in dom.tags and dom.tags.count("section") == 4


def test_screenshot_of_the_review_page(reviewed_project: Path, tmp_path: Path):
    run_l10n(reviewed_project, "review", "--locale", "es", "carfilzomib")
    shot = tmp_path / "review.png"
    result = chromium(reviewed_project / "build/review/es.html", tmp_path, f"--screenshot={shot}",
                      "--window-size=1400,2200", "--hide-scrollbars")
    assert result.returncode == 0, result.stderr
    colours = png_colors(shot)
    # The status pills and the highlighted QA error, in the page's own colours.
    for name, colour in {"reviewed": (0xD8, 0xF0, 0xD8), "machine": (0xFF, 0xE1, 0xB3),
                         "memory": (0xE3, 0xDC, 0xFF), "changed": (0xFF, 0xD3, 0xD3),
                         "row with a QA error": (0xFF, 0xF1, 0xF1)}.items():
        assert colours[colour] > 100, f"no {name} colour in the screenshot"
