"""Statuses, counts, the stats table, and the exit codes `l10n check` gives a CI gate."""

from __future__ import annotations

import json
from pathlib import Path

import polib
import pytest

from l10n.checks import Problem
from l10n.cli import EXIT_CHECK_ERRORS, EXIT_FAILED, EXIT_FUZZY_LEFT, EXIT_OK, EXIT_UNTRANSLATED_LEFT
from l10n.stats import entry_status, entry_words, format_table, sheet_stats, stats_json

from conftest import edit_entries, run_l10n


def entry(msgstr="", fuzzy=False, tcomment="", previous=None, msgid="Take [one][1] daily, see {1}."):
    return polib.POEntry(msgid=msgid, msgstr=msgstr, flags=["fuzzy"] if fuzzy else [], tcomment=tcomment,
                         previous_msgid=previous)


@pytest.mark.parametrize(
    "made, status",
    [
        (entry(), "untranslated"),
        (entry("x", fuzzy=True), "changed"),  # fuzzy for no recorded reason: someone must look
        (entry("x"), "reviewed"),
        (entry("x", tcomment="l10n: machine apertium 3.8.3"), "reviewed"),  # fuzzy cleared: a person checked it
        (entry("x", fuzzy=True, tcomment="l10n: machine apertium 3.8.3"), "machine"),
        (entry("x", fuzzy=True, tcomment="checked by Ana\nl10n: memory 95% bortezomib"), "memory"),
        (entry("x", fuzzy=True, tcomment="l10n: machine apertium 3.8.3", previous="Take one."), "changed"),
        (entry("", fuzzy=True, tcomment="l10n: machine apertium 3.8.3"), "untranslated"),
    ],
)
def test_entry_status(made, status):
    assert entry_status(made) == status


def test_words_leave_out_placeholders_and_urls():
    assert entry_words(entry(msgid="Take [one][1] daily at https://x.org/a-b, see {1}.")) == 5
    assert entry_words(entry(msgid="Daratumumab and hyaluronidase-fihj")) == 3


def sample_catalog() -> polib.POFile:
    catalog = polib.POFile()
    catalog.append(entry("Tome", msgid="Take it."))
    catalog.append(entry("Tome una", fuzzy=True, tcomment="l10n: machine apertium 3.8.3", msgid="Take one now."))
    catalog.append(entry(msgid="Three more words"))
    obsolete = entry("Viejo", msgid="Old text here")
    obsolete.obsolete = True
    catalog.append(obsolete)
    return catalog


def test_sheet_stats_counts_strings_words_and_readiness():
    problems = [Problem("x.po", 3, "warning", "length", "m")]
    stats = sheet_stats(sample_catalog(), "carfilzomib", "es", problems)
    assert (stats.total_strings, stats.total_words) == (3, 8)  # the obsolete entry is not counted
    assert stats.strings["reviewed"] == 1 and stats.fuzzy == 1 and stats.strings["untranslated"] == 1
    assert stats.words["machine"] == 3 and (stats.errors, stats.warnings) == (0, 1)
    assert not stats.ready

    done = polib.POFile()
    done.append(entry("Tome", msgid="Take it."))
    assert sheet_stats(done, "s", "es").ready
    assert not sheet_stats(done, "s", "es", [Problem("x.po", 1, "error", "numbers", "m")]).ready


def test_table_and_json_show_the_same_figures():
    rows = [sheet_stats(sample_catalog(), "carfilzomib", "es"), sheet_stats(sample_catalog(), "bortezomib", "es")]
    table = format_table(rows).splitlines()
    assert table[0] == "locale es"
    assert table[1].split() == ["sheet", "strings", "words", "reviewed", "memory-exact", "machine", "memory",
                                "changed", "untranslated", "approved", "errors", "ready"]
    assert table[3].split() == ["carfilzomib", "3", "8", "1", "(2w)", "-", "1", "(3w)", "-", "-", "1", "(3w)",
                                "-", "-", "no"]
    assert table[6].split()[:3] == ["total", "6", "16"]
    assert table[7:] == ["written by:", "  carfilzomib: machine apertium 3.8.3 1, translator 1",
                         "  bortezomib: machine apertium 3.8.3 1, translator 1"]
    data = json.loads(stats_json(rows))["locales"]["es"]
    assert data["total"]["strings"] == {"total": 6, "reviewed": 2, "memory-exact": 0, "machine": 2, "memory": 0,
                                        "changed": 0, "untranslated": 2, "approved": 0}
    assert data["total"]["provenance"] == {"machine apertium 3.8.3": 2, "translator": 2}
    assert data["sheets"][0]["words"]["machine"] == 3 and data["sheets"][1]["ready"] is False


# -- the CLI as a CI gate ----------------------------------------------------------------


def clean_sheets(project: Path) -> None:
    """Take the seeds' own defects out, so the gate is about the translations."""
    for sheet in (project / "seeds").glob("*.md"):
        text = sheet.read_text().replace("Placeholder slot\n\n", "").replace("Patientsâ€™", "Patients’")
        sheet.write_text(text)



def gate(project: Path) -> tuple[int, dict]:
    done = run_l10n(project, "check", "--locale", "es", "--format", "json")
    report = json.loads(done.stdout)
    assert report["exit"] == done.returncode
    return done.returncode, report


def test_check_exit_codes_the_most_serious_wins(project: Path):
    clean_sheets(project)
    run_l10n(project, "extract", check=True)
    run_l10n(project, "update", "--locale", "es", check=True)
    po = project / "locales/es/LC_MESSAGES/carfilzomib.po"

    code, report = gate(project)
    assert code == EXIT_UNTRANSLATED_LEFT and report["problems"] == []
    assert sum(s["strings"]["untranslated"] for s in report["sheets"]) == sum(s["strings"]["total"] for s in report["sheets"])

    for po_file in (project / "locales/es/LC_MESSAGES").glob("*.po"):  # every string "reviewed" (English kept)
        edit_entries(po_file, lambda e: setattr(e, "msgstr", e.msgid))
    code, report = gate(project)
    assert code == EXIT_OK and {p["severity"] for p in report["problems"]} == {"warning"}

    def machine(e):
        if e.msgid == "Yes":
            e.msgstr, e.flags, e.tcomment = "Sí", ["fuzzy"], "l10n: machine apertium 3.8.3"
    edit_entries(po, machine)
    code, report = gate(project)
    assert code == EXIT_FUZZY_LEFT
    assert next(s for s in report["sheets"] if s["sheet"] == "carfilzomib")["strings"]["machine"] == 1

    def lose_link(e):
        if e.msgid.startswith("Carfilzomib is also being studied"):
            e.msgstr = "El carfilzomib también se estudia en otros tipos de cáncer."
    edit_entries(po, lose_link)
    done = run_l10n(project, "check", "--locale", "es")
    assert done.returncode == EXIT_CHECK_ERRORS
    (error,) = [line for line in done.stderr.splitlines() if ": error [" in line]
    assert error.startswith("locales/es/LC_MESSAGES/carfilzomib.po:") and "[links]" in error and "[1] (/Common/PopUps" in error
    line = int(error.split(":")[1])
    assert po.read_text().splitlines()[line - 1].startswith("msgstr")  # where the translator fixes it
    assert "(exit 3)" in done.stdout

    po.write_text(po.read_text().replace('msgstr "Sí"', 'msgstr "Sí'))  # a broken PO file
    code, report = gate(project)
    assert code == EXIT_FAILED and "carfilzomib.po" in report["failures"][0]
    assert len(report["sheets"]) == 3  # the other sheets were still checked


def test_source_problems_are_reported_once_however_many_locales(project: Path):
    run_l10n(project, "extract", check=True)
    run_l10n(project, "update", check=True)  # es and fr
    done = run_l10n(project, "check")
    assert done.returncode == EXIT_CHECK_ERRORS
    assert done.stderr.count("[mojibake]") == 1 and done.stderr.count("[scaffolding]") == 4


def test_stats_command(project: Path):
    run_l10n(project, "extract", check=True)
    run_l10n(project, "update", "--locale", "es", check=True)
    done = run_l10n(project, "stats", "--locale", "es", check=True)
    assert done.stdout.splitlines()[0] == "locale es" and "carfilzomib" in done.stdout
    data = json.loads(run_l10n(project, "stats", "--format", "json", "--locale", "es", check=True).stdout)
    assert [s["sheet"] for s in data["locales"]["es"]["sheets"]] == [
        "bortezomib", "carfilzomib", "ciltacabtagene-autoleucel", "ixazomib-citrate"]
    missing = run_l10n(project, "stats", "--locale", "fr")  # never updated: no PO files
    assert missing.returncode == EXIT_FAILED and "run 'l10n update --locale fr' first" in missing.stderr
