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

from conftest import ROOT, SEEDS, edit_entries, fill_identity, prepare_for_release, run_l10n

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
    prepare_for_release(tmp_path)
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
    # Same permissions whatever the umask: readable by all, executable by none (the folder searchable).
    assert {oct(p.stat().st_mode & 0o777) for p in (project / "dist" / "es").iterdir()} == {"0o644"}
    assert oct((project / "dist" / "es.tar.gz").stat().st_mode & 0o777) == "0o644"
    assert oct((project / "dist" / "es").stat().st_mode & 0o777) == "0o755"
    with gzip.open(project / "dist" / "es.tar.gz") as raw:
        assert raw.read()  # a valid gzip stream


def test_changed_english_blocks_and_removes_an_earlier_release(project):
    run_l10n(project, "release", check=True)
    assert (project / "dist" / "es" / "carfilzomib.md").exists()
    sheet = project / "seeds" / "carfilzomib.md"
    new = "A new warning for patients who take this drug with other medicines."
    sheet.write_text(sheet.read_text(encoding="utf-8") + f"\n{new}\n", encoding="utf-8")
    done = run_l10n(project, "release")
    assert done.returncode == 0
    assert "the English sheet changed since this translation was made" in done.stderr
    assert "the template is older than the English sheet" in done.stderr
    assert not (project / "dist" / "es" / "carfilzomib.md").exists()
    # After extract + update the headers match again, but the new string is untranslated.
    run_l10n(project, "extract", check=True)
    run_l10n(project, "update", check=True)
    done = run_l10n(project, "release")
    # The message quotes the first 50 characters, enough to find the string.
    assert "1 string(s) untranslated, the first: 'A new warning for patients who take this drug with'" \
        in done.stderr
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


# -- problems of the English sheet: block only on the page, accepted on the record ------------

SEED_SLUGS = ("bortezomib", "carfilzomib", "ciltacabtagene-autoleucel", "ixazomib-citrate")


@pytest.fixture
def seeds(tmp_path: Path) -> Path:
    """The four seeds as they are (scaffolding line, mojibake and all), every string reviewed."""
    shutil.copytree(SEEDS, tmp_path / "seeds")
    (tmp_path / "l10n.toml").write_text(CONFIG)
    prepare_for_release(tmp_path)
    for slug in SEED_SLUGS:
        fill_identity(_po(tmp_path, slug))
    # The translator writes the mojibake'd link text correctly in the translation.
    catalog = polib.pofile(str(_po(tmp_path, "ciltacabtagene-autoleucel")))
    entry = next(e for e in catalog if "Patientsâ€™" in e.msgid)
    entry.msgstr = entry.msgid.replace("Patientsâ€™", "Patients’")
    catalog.save()
    return tmp_path


ACCEPT = """
[[release.accept]]
sheet = "{slug}"
check = "scaffolding"
line = 24
by = "M. Quinn (release manager)"
reason = "NCI template slot left in the English; reported upstream, harmless text"
"""


def test_fully_reviewed_seeds_are_blocked_by_their_english_until_accepted(seeds):
    done = run_l10n(seeds, "release", "--locale", "es", "--strict")
    assert done.returncode == 6
    manifest = _manifest(seeds)
    assert manifest["released"] == []
    for slug in SEED_SLUGS:
        assert f"seeds/{slug}.md:24: check scaffolding: leftover scaffolding text 'Placeholder slot'" in done.stderr
    # The mojibake was translated away: it does not reach the page, so it does not block.
    assert "mojibake" not in done.stderr
    cilta = {s["slug"]: s for s in manifest["sheets"]}["ciltacabtagene-autoleucel"]
    assert [(p["check"], p["line"], p["outcome"]) for p in cilta["source_problems"]] == [
        ("scaffolding", 24, "blocks"), ("mojibake", 77, "not on the page")]

    with open(seeds / "l10n.toml", "a") as config:
        config.write("".join(ACCEPT.format(slug=slug) for slug in SEED_SLUGS))
    done = run_l10n(seeds, "release", "--locale", "es", "--strict")
    assert done.returncode == 0, done.stderr
    manifest = _manifest(seeds)
    assert manifest["released"] == list(SEED_SLUGS) and manifest["blocked"] == []
    for sheet in manifest["sheets"]:
        accepted = [p for p in sheet["source_problems"] if p["outcome"] == "accepted"]
        assert accepted == [{"check": "scaffolding", "line": 24, "message": "leftover scaffolding text 'Placeholder slot'",
                             "outcome": "accepted", "accepted_by": "M. Quinn (release manager)",
                             "reason": "NCI template slot left in the English; reported upstream, harmless text"}]
    # check and stats show the accepted problem, with who accepted it, no longer as an error.
    check = run_l10n(seeds, "check", "--locale", "es", "carfilzomib")
    assert "accepted [scaffolding] leftover scaffolding text 'Placeholder slot' (accepted by M. Quinn" in (
        check.stdout + check.stderr)
    assert "error [scaffolding]" not in check.stdout + check.stderr


def test_mojibake_copied_into_the_translation_blocks_unless_accepted(seeds):
    catalog = polib.pofile(str(_po(seeds, "ciltacabtagene-autoleucel")))
    entry = next(e for e in catalog if "Patientsâ€™" in e.msgid)
    entry.msgstr = entry.msgid  # copied as it is: the page would show "Patientsâ€™"
    catalog.save()
    with open(seeds / "l10n.toml", "a") as config:
        config.write(ACCEPT.format(slug="ciltacabtagene-autoleucel"))
    done = run_l10n(seeds, "release", "--locale", "es")
    assert "seeds/ciltacabtagene-autoleucel.md:77: check mojibake:" in done.stderr
    assert "ciltacabtagene-autoleucel" in _manifest(seeds)["blocked"]


def test_an_acceptance_needs_who_and_why_and_a_stale_one_is_reported(seeds):
    with open(seeds / "l10n.toml", "a") as config:
        config.write('\n[[release.accept]]\nsheet = "carfilzomib"\ncheck = "scaffolding"\n')
    done = run_l10n(seeds, "release", "--locale", "es")
    assert done.returncode != 0 and "l10n.toml" in done.stderr and "needs by, reason" in done.stderr
    assert not (seeds / "dist").exists()
    (seeds / "l10n.toml").write_text(CONFIG + ACCEPT.replace("line = 24", "line = 25").format(slug="carfilzomib"))
    done = run_l10n(seeds, "release", "--locale", "es")
    assert "release.accept for sheet 'carfilzomib' check 'scaffolding' line 25 matches no problem" in done.stderr
    assert "carfilzomib" in _manifest(seeds)["blocked"]


# -- memory matches and approval -------------------------------------------------------------



def test_exact_memory_matches_need_confirming_unless_configured(project):
    def from_memory(entry):
        entry.tcomment = f"l10n: memory exact from seeds/x.md [{hashlib.sha1(entry.msgstr.encode()).hexdigest()[:8]}]"

    edit_entries(_po(project, "carfilzomib"), from_memory)
    done = run_l10n(project, "release", "--locale", "es")
    assert "filled from translation memory as reviewed and not confirmed" in done.stderr
    sheet = {s["slug"]: s for s in _manifest(project)["sheets"]}["carfilzomib"]
    assert sheet["status"] == "blocked" and sheet["counts"]["memory-exact"] == sheet["counts"]["strings"]
    assert sheet["provenance"] == {"memory exact": sheet["counts"]["strings"]}

    with open(project / "l10n.toml", "a") as config:
        config.write("\n[release]\nmemory-exact-counts-as-reviewed = true\n")
    run_l10n(project, "release", "--locale", "es", check=True)
    manifest = _manifest(project)
    sheet = {s["slug"]: s for s in manifest["sheets"]}["carfilzomib"]
    assert sheet["status"] == "released" and manifest["memory_exact_counts_as_reviewed"] is True
    assert sheet["provenance"] == {"memory exact": sheet["counts"]["strings"]}  # still visible as such


def test_require_approved_ships_only_approved_sheets_and_names_reviewers(project):
    from l10n.approval import approve

    with open(project / "l10n.toml", "a") as config:
        config.write('\n[release]\nrequire = "approved"\n')
    done = run_l10n(project, "release", "--locale", "es")
    assert "not approved by a clinical reviewer" in done.stderr and _manifest(project)["released"] == []
    catalog = polib.pofile(str(_po(project, "carfilzomib")))
    entries = [e for e in catalog if e.msgid and not e.obsolete]
    for number, entry in enumerate(entries):
        approve(entry, "Ana Ruiz" if number % 2 else "Luis Gómez", "2026-12-01")
    catalog.save()
    run_l10n(project, "release", "--locale", "es", check=True)
    manifest = _manifest(project)
    assert manifest["released"] == ["carfilzomib"] and manifest["require"] == "approved"
    sheet = {s["slug"]: s for s in manifest["sheets"]}["carfilzomib"]
    assert sheet["reviewers"] == {"Ana Ruiz": len(entries) // 2, "Luis Gómez": len(entries) - len(entries) // 2}
    assert sheet["counts"]["approved"] == len(entries)
    # A translator's later edit voids that string's approval: blocked again.
    catalog = polib.pofile(str(_po(project, "carfilzomib")))
    next(e for e in catalog if e.msgid and not e.obsolete).msgstr += " "
    catalog.save()
    run_l10n(project, "release", "--locale", "es")
    assert _manifest(project)["released"] == []


def test_bad_release_settings_name_the_file(project):
    with open(project / "l10n.toml", "a") as config:
        config.write('\n[release]\nrequire = "signed"\n')
    done = run_l10n(project, "release", "--locale", "es")
    assert done.returncode != 0 and "l10n.toml" in done.stderr and 'require must be "reviewed" or "approved"' in done.stderr


# -- the gate and the files on disk ---------------------------------------------------------


def test_a_po_file_without_the_source_hash_is_blocked(project):
    catalog = polib.pofile(str(_po(project, "carfilzomib")))
    del catalog.metadata["X-Source-SHA256"]
    catalog.save()
    done = run_l10n(project, "release", "--locale", "es")
    assert "carfilzomib.po: the English sheet changed since this translation was made (PO: none" in done.stderr
    assert _manifest(project)["released"] == []


def _archive_manifest(project: Path) -> bytes:
    with tarfile.open(project / "dist" / "es.tar.gz") as tar:
        return tar.extractfile("es/manifest.json").read()


def test_folder_and_archive_are_replaced_together_even_after_a_kill(project, monkeypatch):
    from l10n import release as stage
    from l10n.config import load_config

    run_l10n(project, "release", "--locale", "es", check=True)
    old = (project / "dist" / "es" / "manifest.json").read_bytes()
    assert _archive_manifest(project) == old
    fill_identity(_po(project, "bortezomib"))  # the next release differs

    real_replace = os.replace

    def killed_before_the_archive(src, dst):  # the process dies between the two renames
        if str(dst).endswith("es.tar.gz") and ".es." in str(src):
            raise KeyboardInterrupt("killed")
        return real_replace(src, dst)

    monkeypatch.setattr(stage.os, "replace", killed_before_the_archive)
    config = load_config(project)
    with pytest.raises(KeyboardInterrupt):
        stage.release(config, "es", config.sources())
    monkeypatch.setattr(stage.os, "replace", real_replace)
    # Mid-swap: the marker says what to finish.
    assert (project / "dist" / ".es.swap").exists()
    (project / "dist" / ".es.abcd1234").mkdir()  # and a staging folder from another killed run
    (project / "dist" / ".es.abcd1234" / "carfilzomib.md").write_text("half")

    stage.recover(project / "dist" / "es")
    new = (project / "dist" / "es" / "manifest.json").read_bytes()
    assert new != old and _archive_manifest(project) == new
    assert sorted(p.name for p in (project / "dist").iterdir()) == ["es", "es.tar.gz"]

    # And the command line does the same at the start of a run, even one that then releases nothing.
    (project / "dist" / ".es.ffff0000").mkdir()
    ui_po = _po(project, "ui")
    saved = ui_po.read_bytes()
    ui_po.unlink()
    assert run_l10n(project, "release", "--locale", "es").returncode == 1
    assert sorted(p.name for p in (project / "dist").iterdir()) == ["es", "es.tar.gz"]
    ui_po.write_bytes(saved)
    (project / "dist" / ".es.ffff0000").mkdir()
    run_l10n(project, "release", "--locale", "es", check=True)
    assert sorted(p.name for p in (project / "dist").iterdir()) == ["es", "es.tar.gz"]
    assert _archive_manifest(project) == (project / "dist" / "es" / "manifest.json").read_bytes()


def test_a_string_the_template_has_and_the_po_file_lacks_blocks(project):
    # The translator's PO file predates the last extract: a release would ship
    # the new English paragraph untranslated without saying why.
    sheet = project / "seeds" / "carfilzomib.md"
    sheet.write_text(sheet.read_text(encoding="utf-8") + "\nA new warning for patients.\n", encoding="utf-8")
    run_l10n(project, "extract", check=True)
    done = run_l10n(project, "release", "--locale", "es")
    assert "carfilzomib.po: 1 string(s) of the template are not in the PO file: run 'l10n update'" in done.stderr
    assert _manifest(project)["released"] == []


def test_a_sheet_without_a_template_is_blocked_with_a_reason_not_a_crash(project):
    (project / "locales" / "templates" / "carfilzomib.pot").unlink()
    done = run_l10n(project, "release", "--locale", "es")
    assert done.returncode == 0, done.stderr
    assert "seeds/carfilzomib.md: no template: run 'l10n extract'" in done.stderr
    assert "Traceback" not in done.stderr
    assert _manifest(project)["blocked"] == ["bortezomib", "carfilzomib"]


@pytest.mark.parametrize("first_line", ["", "../outside"])
def test_a_damaged_swap_marker_never_moves_or_deletes_anything(project, first_line):
    # The marker's first line names the staging folder; an empty or escaping one
    # (a truncated write, a hand edit) must not make recover() touch dist/ itself
    # or a folder outside it.
    from l10n.release import recover

    run_l10n(project, "release", "--locale", "es", check=True)
    before = _tree(project / "dist" / "es")
    outside = project / "outside"
    (outside / "es").mkdir(parents=True)
    (outside / "es" / "keep.txt").write_text("not l10n's")
    (project / "dist" / ".es.swap").write_text(f"{first_line}\nes\nes.tar.gz\n", encoding="utf-8")
    recover(project / "dist" / "es")
    assert _tree(project / "dist" / "es") == before
    assert (outside / "es" / "keep.txt").read_text() == "not l10n's"
    assert sorted(p.name for p in (project / "dist").iterdir()) == ["es", "es.tar.gz"]
