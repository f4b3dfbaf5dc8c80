"""Release builds: only reviewed, current, check-clean sheets leave; same inputs, same bytes."""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import polib
import pytest

from conftest import ROOT, SEEDS, fill_identity, run_l10n

CONFIG = f"""\
locales = ["es"]

[publish]
templates = "{ROOT / 'templates'}"

[links.es]
[[links.es.rewrite]]
pattern = '^(/Common/PopUps/popDefinition\\.aspx\\?.*language=)English$'
replace = '\\1Spanish'
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """Two seed sheets (without their scaffolding line), carfilzomib fully reviewed, bortezomib not."""
    (tmp_path / "seeds").mkdir()
    for slug in ("carfilzomib", "bortezomib"):
        text = (SEEDS / f"{slug}.md").read_text(encoding="utf-8").replace("Placeholder slot\n\n", "")
        (tmp_path / "seeds" / f"{slug}.md").write_text(text, encoding="utf-8")
    (tmp_path / "l10n.toml").write_text(CONFIG)
    ui_po = tmp_path / "locales" / "es" / "LC_MESSAGES" / "ui.po"
    ui_po.parent.mkdir(parents=True)
    shutil.copy(ROOT / "locales" / "es" / "LC_MESSAGES" / "ui.po", ui_po)
    run_l10n(tmp_path, "extract", check=True)
    run_l10n(tmp_path, "update", check=True)
    fill_identity(_po(tmp_path, "carfilzomib"))
    return tmp_path


def _po(project: Path, slug: str) -> Path:
    return project / "locales" / "es" / "LC_MESSAGES" / f"{slug}.po"


def _manifest(project: Path, folder: str = "es") -> dict:
    return json.loads((project / "dist" / folder / "manifest.json").read_text(encoding="utf-8"))


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_only_reviewed_sheets_are_released(project):
    done = run_l10n(project, "release", "--locale", "es")
    assert done.returncode == 0, done.stderr
    assert sorted(os.listdir(project / "dist" / "es")) == ["carfilzomib.html", "carfilzomib.md", "manifest.json"]
    assert "locales/es/LC_MESSAGES/bortezomib.po:" in done.stderr and "untranslated" in done.stderr
    assert "release es: 1 released, 1 blocked" in done.stdout
    manifest = _manifest(project)
    assert manifest["kind"] == "release" and manifest["locale"] == "es"
    assert manifest["released"] == ["carfilzomib"] and manifest["blocked"] == ["bortezomib"]
    sheet = {s["slug"]: s for s in manifest["sheets"]}
    carfilzomib = sheet["carfilzomib"]
    assert carfilzomib["status"] == "released"
    assert carfilzomib["source_sha256"] == polib.pofile(str(_po(project, "carfilzomib"))).metadata["X-Source-SHA256"]
    assert carfilzomib["counts"]["reviewed"] == carfilzomib["counts"]["strings"] > 20
    assert carfilzomib["links"]["localized"] > 0 and carfilzomib["links"]["english"] > 0
    assert carfilzomib["provenance"] == {"translator": carfilzomib["counts"]["strings"]}
    md = (project / "dist" / "es" / "carfilzomib.md").read_bytes()
    assert carfilzomib["files"]["carfilzomib.md"] == hashlib.sha256(md).hexdigest()
    assert b"language=Spanish" in md and b"(en ingl\xc3\xa9s)" in md
    assert sheet["bortezomib"]["reasons"] and "files" not in sheet["bortezomib"]
    # The archive holds exactly the folder.
    with tarfile.open(project / "dist" / "es.tar.gz") as tar:
        members = tar.getmembers()
        assert [m.name for m in members] == ["es", "es/carfilzomib.html", "es/carfilzomib.md", "es/manifest.json"]
        assert all(m.uid == 0 and m.gid == 0 and m.uname == "" for m in members)
        assert tar.extractfile("es/carfilzomib.md").read() == md

    strict = run_l10n(project, "release", "--locale", "es", "--strict")
    assert strict.returncode == 6


def test_release_is_byte_reproducible(project):
    run_l10n(project, "release", check=True)
    first = _tree(project / "dist" / "es"), (project / "dist" / "es.tar.gz").read_bytes()
    shutil.rmtree(project / "dist")
    run_l10n(project, "release", check=True)
    second = _tree(project / "dist" / "es"), (project / "dist" / "es.tar.gz").read_bytes()
    assert first == second
    archive = second[1]
    assert archive[4:8] == b"\0\0\0\0"  # gzip header: no time
    # Times come from the sheets' lastReviewed, or SOURCE_DATE_EPOCH when set.
    with tarfile.open(project / "dist" / "es.tar.gz") as tar:
        assert {m.mtime for m in tar.getmembers()} == {1767052800}  # 2025-12-30T00:00:00Z
    env_run = subprocess.run(
        [sys.executable, "-m", "l10n", "-C", str(project), "release"],
        env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}, capture_output=True, text=True)
    assert env_run.returncode == 0
    with tarfile.open(project / "dist" / "es.tar.gz") as tar:
        assert {m.mtime for m in tar.getmembers()} == {1700000000}
    assert (project / "dist" / "es" / "carfilzomib.md").stat().st_mtime == 1700000000
    with gzip.open(project / "dist" / "es.tar.gz") as raw:
        assert raw.read()  # a valid gzip stream


def test_changed_english_blocks_and_removes_an_earlier_release(project):
    run_l10n(project, "release", check=True)
    assert (project / "dist" / "es" / "carfilzomib.md").exists()
    sheet = project / "seeds" / "carfilzomib.md"
    sheet.write_text(sheet.read_text(encoding="utf-8") + "\nA new warning for patients.\n", encoding="utf-8")
    done = run_l10n(project, "release")
    assert done.returncode == 0
    assert "the English sheet changed since this translation was made" in done.stderr
    assert "the template is older than the English sheet" in done.stderr
    assert not (project / "dist" / "es" / "carfilzomib.md").exists()
    # After extract + update the headers match again, but the new string is untranslated.
    run_l10n(project, "extract", check=True)
    run_l10n(project, "update", check=True)
    done = run_l10n(project, "release")
    assert "1 string(s) untranslated, the first: 'A new warning for patients.'" in done.stderr
    assert _manifest(project)["released"] == []


def test_fuzzy_blocks_a_release_but_shows_in_a_draft(project):
    catalog = polib.pofile(str(_po(project, "carfilzomib")))
    entry = next(e for e in catalog if e.msgid.startswith("This page contains brief information"))
    entry.msgstr = "Esta página contiene información breve sobre el carfilzomib."
    entry.flags.append("fuzzy")
    entry.tcomment = "l10n: machine apertium 3.8.3"
    catalog.save()
    run_l10n(project, "release", check=True)
    assert _manifest(project)["released"] == []
    before = _tree(project / "dist" / "es")

    done = run_l10n(project, "release", "--draft", check=True)
    assert "draft es: 2 draft" in done.stdout
    draft = project / "dist" / "es-draft"
    md = (draft / "carfilzomib.md").read_text(encoding="utf-8")
    assert "> **Borrador:" in md and "Esta página contiene información breve sobre el carfilzomib." in md
    assert "Borrador:" in (draft / "bortezomib.html").read_text(encoding="utf-8")
    manifest = _manifest(project, "es-draft")
    assert manifest["kind"] == "draft" and manifest["blocked"] == []
    assert {s["slug"]: s["provenance"] for s in manifest["sheets"]}["carfilzomib"]["machine apertium 3.8.3"] == 1
    # A draft never touches the release, and has no archive.
    assert _tree(project / "dist" / "es") == before
    assert not (project / "dist" / "es-draft.tar.gz").exists()


def test_a_check_error_blocks(project):
    catalog = polib.pofile(str(_po(project, "carfilzomib")))
    entry = next(e for e in catalog if "one to three" in e.msgid)
    entry.msgstr = entry.msgid.replace("one to three", "one to 30")
    catalog.save()
    done = run_l10n(project, "release", "--strict")
    assert done.returncode == 6
    assert "check numbers" in done.stderr
    # The problem points at the line a translator must fix.
    line = int(re.search(r"carfilzomib\.po:(\d+): check numbers:", done.stderr).group(1))
    lines = _po(project, "carfilzomib").read_text(encoding="utf-8").splitlines()
    assert lines[line - 1].startswith("msgstr") and "one to 30" in " ".join(lines[line - 1 : line + 3])


def test_glossary_terms_gate_like_l10n_check(project):
    (project / "locales" / "es" / "glossary.csv").write_text("term,translation,note\nDailyMed,,a site's name\n")
    catalog = polib.pofile(str(_po(project, "carfilzomib")))
    entry = next(e for e in catalog if "DailyMed" in e.msgid)
    entry.msgstr = entry.msgid.replace("DailyMed", "MedDiario")
    catalog.save()
    done = run_l10n(project, "release", "--strict")
    assert done.returncode == 6
    assert "carfilzomib.po:" in done.stderr and "check do-not-translate: 'dailymed' is a name" in done.stderr
    check = run_l10n(project, "check", "--locale", "es", "carfilzomib")
    assert "[do-not-translate]" in check.stdout + check.stderr


def test_provenance_counts_machine_and_memory(project):
    catalog = polib.pofile(str(_po(project, "carfilzomib")))
    active = [e for e in catalog if not e.obsolete]
    active[1].tcomment = "l10n: machine apertium 3.8.3"
    active[2].tcomment = "reviewed by A.\nl10n: machine apertium 3.8.3"
    active[3].tcomment = "l10n: memory 100% seeds/bortezomib.md"
    catalog.save()
    run_l10n(project, "release", check=True)
    carfilzomib = _manifest(project)["sheets"][1]
    assert carfilzomib["slug"] == "carfilzomib"
    # No fingerprint (as l10n wrote before it had them): the comment is taken at its word.
    assert carfilzomib["provenance"] == {"machine apertium 3.8.3": 2, "memory near": 1, "translator": len(active) - 3}


def test_incomplete_ui_catalog_releases_nothing(project):
    ui_po = project / "locales" / "es" / "LC_MESSAGES" / "ui.po"
    catalog = polib.pofile(str(ui_po))
    catalog.find("Source: %(source)s").msgstr = ""
    catalog.save()
    done = run_l10n(project, "release")
    assert done.returncode == 1
    assert "ui.po:" in done.stderr and "untranslated: 'Source: %(source)s'" in done.stderr
    assert not (project / "dist").exists()
    # A draft for review still works, with the English string in place.
    run_l10n(project, "release", "--draft", check=True)
    assert "Source: NCI, 2025" in (project / "dist" / "es-draft" / "carfilzomib.md").read_text(encoding="utf-8")


def test_release_help_has_an_example():
    done = run_l10n(ROOT, "release", "--help", check=True)
    assert "example:" in done.stdout and "--strict" in done.stdout and "--draft" in done.stdout
