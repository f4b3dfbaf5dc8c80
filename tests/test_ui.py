"""The ui domain: the templates' own strings, extracted, translated, compiled to MO."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import polib
import pytest

from conftest import ROOT, msgfmt_check, require_tool, run_l10n
from l10n import ui
from l10n.catalog import catalog_text
from l10n.config import load_config

EXPECTED = {
    "Last reviewed: %(date)s",
    "Source: %(source)s",
    "Read the original in %(language)s",
    "(in %(language)s)",
}


@pytest.fixture
def ui_project(tmp_path: Path) -> Path:
    """A project with its own copy of the templates and of the Spanish ui.po."""
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    (tmp_path / "seeds").mkdir()
    (tmp_path / "l10n.toml").write_text('locales = ["es"]\n')
    po = tmp_path / "locales" / "es" / "LC_MESSAGES"
    po.mkdir(parents=True)
    shutil.copy(ROOT / "locales" / "es" / "LC_MESSAGES" / "ui.po", po / "ui.po")
    return tmp_path


def test_extraction_finds_template_and_python_strings():
    template = ui.extract_ui(load_config(ROOT))
    msgids = {e.msgid for e in template}
    assert EXPECTED <= msgids
    assert any(m.startswith("Draft:") for m in msgids)
    by_id = {e.msgid: e for e in template}
    assert "python-format" in by_id["Last reviewed: %(date)s"].flags
    # Found in both templates, and a translator comment travels with it.
    assert {f for f, _ in by_id["Last reviewed: %(date)s"].occurrences} == {"templates/sheet.md.j2", "templates/page.html.j2"}
    assert "30 de diciembre" in by_id["Last reviewed: %(date)s"].comment
    assert by_id["(in %(language)s)"].occurrences[0][0] == "l10n/ui.py"


def test_committed_ui_catalogs_are_current_complete_and_valid():
    config = load_config(ROOT)
    on_disk = (ROOT / "locales" / "templates" / "ui.pot").read_text(encoding="utf-8")
    assert on_disk == catalog_text(ui.extract_ui(config)), "run 'l10n ui' and commit locales/templates/ui.pot"
    assert ui.ui_problems(config, "es") == []
    msgfmt_check(ROOT / "locales" / "templates" / "ui.pot")
    msgfmt_check(ROOT / "locales" / "es" / "LC_MESSAGES" / "ui.po")


def test_compiled_mo_serves_spanish_and_msgunfmt_reads_it(tmp_path):
    translations = ui.compile_ui(load_config(ROOT), "es", tmp_path)
    assert translations.gettext("Last reviewed: %(date)s") == "Última revisión: %(date)s"
    assert translations.gettext("(in %(language)s)") % {"language": "inglés"} == "(en inglés)"
    mo = tmp_path / "es" / "LC_MESSAGES" / "ui.mo"
    done = subprocess.run([require_tool("msgunfmt"), str(mo)], capture_output=True, text=True, check=True)
    assert 'msgstr "Fuente: %(source)s"' in done.stdout


def test_fuzzy_ui_strings_only_in_drafts(ui_project, tmp_path):
    po_path = ui_project / "locales" / "es" / "LC_MESSAGES" / "ui.po"
    catalog = polib.pofile(str(po_path))
    catalog.find("Source: %(source)s").flags.append("fuzzy")
    catalog.save()
    config = load_config(ui_project)
    assert ui.compile_ui(config, "es", tmp_path / "a").gettext("Source: %(source)s") == "Source: %(source)s"
    assert ui.compile_ui(config, "es", tmp_path / "b", use_fuzzy=True).gettext("Source: %(source)s") == "Fuente: %(source)s"
    problems = [str(p) for p in ui.ui_problems(config, "es")]
    assert len(problems) == 1 and problems[0].startswith("locales/es/LC_MESSAGES/ui.po:") and "fuzzy" in problems[0]


def test_changed_template_keeps_translations(ui_project):
    for name in ("page.html.j2", "sheet.md.j2"):
        path = ui_project / "templates" / name
        path.write_text(path.read_text().replace("Source: %(source)s", "Sources: %(source)s"))
    page = ui_project / "templates" / "page.html.j2"
    page.write_text(page.read_text().replace("</footer>", "<p>{{ _(\"Printed from the web\") }}</p>\n</footer>"))
    done = run_l10n(ui_project, "ui", "--locale", "es", check=True)
    assert "1 fuzzy (source changed), 1 new" in done.stdout
    po_path = ui_project / "locales" / "es" / "LC_MESSAGES" / "ui.po"
    msgfmt_check(po_path)
    catalog = polib.pofile(str(po_path))
    changed = catalog.find("Sources: %(source)s")
    assert changed.msgstr == "Fuente: %(source)s" and "fuzzy" in changed.flags
    assert catalog.find("Printed from the web").msgstr == ""
    assert catalog.find("Last reviewed: %(date)s").msgstr == "Última revisión: %(date)s"
    problems = ui.ui_problems(load_config(ui_project), "es")
    assert len(problems) == 2


def test_new_locale_gets_a_ui_catalog_with_its_headers(ui_project):
    run_l10n(ui_project, "ui", "--locale", "fr", check=True)
    po_path = ui_project / "locales" / "fr" / "LC_MESSAGES" / "ui.po"
    msgfmt_check(po_path)
    catalog = polib.pofile(str(po_path))
    assert catalog.metadata["Language"] == "fr"
    from l10n.catalog import locale_info

    assert catalog.metadata["Plural-Forms"] == locale_info("fr")[1]  # the same header as the sheets get
    assert "[N]" not in catalog.header  # the sheets' note does not apply to ui strings


def test_template_syntax_error_is_reported_with_its_file(ui_project):
    (ui_project / "templates" / "sheet.md.j2").write_text("{{ _('x') }\n")
    done = run_l10n(ui_project, "ui")
    assert done.returncode == 1
    assert done.stderr.startswith("templates/sheet.md.j2:1: cannot extract strings: unexpected '}'")


# -- placeholders: a translator's slip in ui.po is an error at its line, never a crash -------


def _edit_ui(project: Path, msgid: str, msgstr: str) -> int:
    """Type ``msgstr`` for ``msgid`` in ui.po, as a translator would; returns the msgstr's line."""
    po_path = project / "locales" / "es" / "LC_MESSAGES" / "ui.po"
    catalog = polib.pofile(str(po_path))
    catalog.find(msgid).msgstr = msgstr
    catalog.save()
    lines = po_path.read_text(encoding="utf-8").splitlines()
    return lines.index(f'msgid "{msgid}"') + 2


@pytest.mark.parametrize("msgstr, message", [
    ("Fuente: %(fuente)s", "the translation has %(fuente)s, which the msgid does not, and lacks %(source)s"),
    ("Fuente", "the translation lacks %(source)s"),
    ("Fuente: %(source)s %(source)s", "the translation has %(source)s, which the msgid does not"),
    ("Fuente: %(source)d", "the translation has %(source)d, which the msgid does not, and lacks %(source)s"),
    ("Fuente (100%): %(source)s", "the translation has '%)', which is not a placeholder: write a percent sign as %%"),
])
def test_a_wrong_placeholder_is_a_check_error_at_its_line(ui_project, msgstr, message):
    line = _edit_ui(ui_project, "Source: %(source)s", msgstr)
    done = run_l10n(ui_project, "check", "--locale", "es")
    assert done.returncode == 3, done.stderr
    assert f"locales/es/LC_MESSAGES/ui.po:{line}: error [placeholders] {message}" in done.stderr


def test_correct_placeholders_and_a_doubled_percent_sign_pass(ui_project):
    _edit_ui(ui_project, "Source: %(source)s", "Fuente (al 100 %%): %(source)s")
    assert ui.check_ui(load_config(ui_project), "es") == []
    assert ui.ui_problems(load_config(ui_project), "es") == []


def _release_project(ui_project: Path) -> Path:
    """ui_project with one seed sheet, reviewed (its scaffolding line removed)."""
    text = (ROOT / "seeds" / "carfilzomib.md").read_text(encoding="utf-8").replace("Placeholder slot\n\n", "")
    (ui_project / "seeds" / "carfilzomib.md").write_text(text, encoding="utf-8")
    run_l10n(ui_project, "extract", check=True)
    run_l10n(ui_project, "update", check=True)
    from conftest import fill_identity

    fill_identity(ui_project / "locales" / "es" / "LC_MESSAGES" / "carfilzomib.po")
    return ui_project


def test_release_reports_an_unknown_placeholder_instead_of_crashing(ui_project):
    project = _release_project(ui_project)
    line = _edit_ui(project, "Source: %(source)s", "Fuente: %(fuente)s")
    done = run_l10n(project, "release", "--locale", "es")
    assert "Traceback" not in done.stderr and done.returncode == 1
    assert f"locales/es/LC_MESSAGES/ui.po:{line}: error [placeholders] " in done.stderr
    assert not (project / "dist" / "es").exists()
    # A draft is for reviewers: it is built, with that one string in English.
    done = run_l10n(project, "release", "--locale", "es", "--draft")
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    page = (project / "dist" / "es-draft" / "carfilzomib.html").read_text(encoding="utf-8")
    assert "Source: NCI, 2025" in page and "%(" not in page and "Última revisión" in page


def test_compile_ui_leaves_out_a_string_it_could_not_format(ui_project, tmp_path):
    _edit_ui(ui_project, "(in %(language)s)", "(en %(idioma)s)")
    translations = ui.compile_ui(load_config(ui_project), "es", tmp_path)
    assert translations.gettext("(in %(language)s)") % {"language": "inglés"} == "(in inglés)"
    assert translations.gettext("Source: %(source)s") == "Fuente: %(source)s"


def test_plural_forms_may_leave_out_the_count_but_not_invent_a_name():
    entry = polib.POEntry(msgid="%(n)d link", msgid_plural="%(n)d links", msgstr_plural={0: "un enlace", 1: "%(n)d enlaces"})
    assert ui.placeholder_problem(entry) is None
    entry.msgstr_plural[1] = "%(num)d enlaces"
    assert ui.placeholder_problem(entry) == "the translation has %(num)d, which the msgid does not: keep every %(name)s as it is"
