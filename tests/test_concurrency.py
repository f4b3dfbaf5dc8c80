"""Commands and people at once (issue 11): nothing anyone saved is lost, and l10n says what it did.

The translator's save is made at the worst moment: after l10n read the PO
file and before it writes it back (from inside the engine call, or the
merge).  Two l10n commands run as real processes.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import polib
import pytest

from conftest import ROOT, msgfmt_check, prepare, run_l10n
from l10n import catalog as catalog_module
from l10n import cli, workflow
from l10n.config import load_config
from l10n.engines import Engine
from l10n.files import FileChangedError
from l10n.masking import TOKEN
from l10n.pretranslate import pretranslate

INTRO = ("This page contains brief information about carfilzomib and a collection of links to more information "
         "about the use of this drug, research results, and ongoing clinical trials.")
SLOT = "Placeholder slot"


def po(project: Path, slug: str = "carfilzomib") -> Path:
    return project / "locales/es/LC_MESSAGES" / f"{slug}.po"


def entries(path: Path) -> dict[str, polib.POEntry]:
    return {e.msgid: e for e in polib.pofile(str(path)) if not e.obsolete}


def translator_saves(path: Path, msgid: str, msgstr: str) -> None:
    """What a translator's editor does: the whole file rewritten with one more translation."""
    text = path.read_text(encoding="utf-8")
    old = f'msgid "{msgid}"\nmsgstr ""\n'
    assert old in text, f"{msgid!r} is not empty in {path}"
    path.write_text(text.replace(old, f'msgid "{msgid}"\nmsgstr "{msgstr}"\n'), encoding="utf-8")


class SavingEngine(Engine):
    """Upper-cases (keeping masks); on its first call, runs ``during`` (the translator's save)."""

    name, version = "upper", "1"

    def __init__(self, during):
        self.during = during

    def translate(self, texts):
        if self.during is not None:
            self.during()
            self.during = None
        return [TOKEN.sub(lambda m: m.group(), t.upper()) for t in texts]


@pytest.fixture
def es(project: Path) -> Path:
    (project / "locales/es").mkdir(parents=True)
    shutil.copy(ROOT / "locales/es/glossary.csv", project / "locales/es/glossary.csv")
    run_l10n(project, "update", "--locale", "es", check=True)
    return project


def test_a_save_during_pretranslate_is_kept_and_the_fills_made_again_around_it(es):
    target = po(es)

    def save():
        translator_saves(target, SLOT, "Espacio reservado")  # l10n read it empty and fills it
        translator_saves(target, "Kyprolis", "Kyprolis®")  # the glossary fills this one

    config = load_config(es)
    report = pretranslate(config, "es", workflow.select_sources(config), SavingEngine(save), use_memory=False)
    assert report.ok, [str(p) for p in report.problems]
    msgfmt_check(target)
    now = entries(target)
    assert now[SLOT].msgstr == "Espacio reservado" and "fuzzy" not in now[SLOT].flags
    assert now["Kyprolis"].msgstr == "Kyprolis®" and "fuzzy" not in now["Kyprolis"].flags
    # l10n's own work on the entries the translator left alone is there too.
    assert now[INTRO].msgstr.startswith("THIS PAGE CONTAINS BRIEF") and "fuzzy" in now[INTRO].flags
    assert now[INTRO].tcomment.startswith("l10n: machine upper 1")
    assert now["(kar-FIL-zoh-mib)"].msgstr == "(kar-FIL-zoh-mib)"  # a glossary fill
    # The other sheets were not touched by the translator: filled as usual.
    assert entries(po(es, "bortezomib"))["Velcade"].msgstr == "Velcade"


def test_a_save_during_update_is_kept_and_merged(es, monkeypatch):
    sheet = es / "seeds/carfilzomib.md"
    sheet.write_text(sheet.read_text().replace("research results", "study results"))
    target = po(es)
    real = catalog_module.update_catalog
    calls = []

    def merge_while_translator_saves(old, template, locale):
        if not calls:
            translator_saves(target, SLOT, "Espacio reservado")
        calls.append(1)
        return real(old, template, locale)

    monkeypatch.setattr(workflow, "update_catalog", merge_while_translator_saves)
    report = workflow.update(load_config(es), "es", [sheet])
    assert report.ok, [str(p) for p in report.problems]
    assert len(calls) == 2  # merged again, from the translator's save
    msgfmt_check(target)
    now = entries(target)
    assert now[SLOT].msgstr == "Espacio reservado"
    assert INTRO.replace("research results", "study results") in now  # and the English change is merged
    assert INTRO not in now


HOLD_PRETRANSLATE = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from l10n import cli, pretranslate

    go = Path(sys.argv[2])
    real = pretranslate.sync_memory

    def slow_sync(*args, **kwargs):  # every PO file has been read; wait before writing them
        print("reading done", flush=True)
        while not go.exists():
            time.sleep(0.05)
        return real(*args, **kwargs)

    pretranslate.sync_memory = slow_sync
    sys.exit(cli.main(["-C", sys.argv[1], "pretranslate", "--locale", "es", "--engine", "none"]))
""")


def test_update_while_pretranslate_runs_is_refused_or_waits_and_nothing_is_lost(es, tmp_path):
    go = tmp_path / "go"
    holder = subprocess.Popen([sys.executable, "-c", HOLD_PRETRANSLATE, str(es), str(go)],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "reading done"
        sheet = es / "seeds/carfilzomib.md"
        sheet.write_text(sheet.read_text().replace("research results", "study results"))

        refused = run_l10n(es, "update", "--locale", "es")
        assert refused.returncode == cli.EXIT_LOCKED == 75
        assert f"another l10n command is running on this project (pid {holder.pid}, l10n pretranslate, since" \
            in refused.stderr
        assert "--wait" in refused.stderr
        assert INTRO in entries(po(es))  # nothing done

        # Read-only commands do not need the lock.
        assert run_l10n(es, "stats", "--locale", "es").returncode == 0

        waiting = subprocess.Popen([sys.executable, "-m", "l10n", "-C", str(es), "update", "--locale", "es",
                                    "--wait", "60"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(0.5)
        assert waiting.poll() is None  # waiting for the lock
        go.touch()
        out, err = holder.communicate(timeout=60)
        assert holder.returncode == 0, err
        out, err = waiting.communicate(timeout=60)
        assert waiting.returncode == 0, err
    finally:
        holder.kill()
        holder.wait()
    now = entries(po(es))
    assert INTRO.replace("research results", "study results") in now  # update's merge was not lost
    assert now["Kyprolis"].msgstr == "Kyprolis"  # nor pretranslate's glossary fill
    header = polib.pofile(str(po(es))).metadata
    assert header["X-Source-SHA256"] == hashlib.sha256(sheet.read_bytes()).hexdigest()
    msgfmt_check(po(es))


def test_update_merges_a_po_file_older_than_its_template_whatever_the_record_says(es):
    """The lost update of issue 11: a PO file put back from before the last update is merged again."""
    target = po(es)
    before = target.read_bytes()
    sheet = es / "seeds/carfilzomib.md"
    sheet.write_text(sheet.read_text().replace("research results", "study results"))
    run_l10n(es, "update", "--locale", "es", check=True)
    assert INTRO not in entries(target)
    target.write_bytes(before)  # what a command that read the file before that update wrote at its end
    done = run_l10n(es, "update", "--locale", "es", check=True)
    assert "4 unchanged" not in done.stdout and "3 unchanged" in done.stdout
    now = entries(target)
    assert INTRO.replace("research results", "study results") in now and INTRO not in now
    template = polib.pofile(str(es / "locales/templates/carfilzomib.pot"))
    assert {e.msgid for e in template} == set(now)
    assert polib.pofile(str(target)).metadata["X-Source-SHA256"] == hashlib.sha256(sheet.read_bytes()).hexdigest()
    # And a translator's edit of a merged file is still left exactly as saved.
    translator_saves(target, SLOT, "Espacio reservado")
    edited = target.read_bytes()
    assert "4 unchanged" in run_l10n(es, "update", "--locale", "es", check=True).stdout
    assert target.read_bytes() == edited


def test_a_full_disk_names_the_file_and_the_other_sheets_are_built(project, monkeypatch, capsys):
    prepare(project)
    shutil.rmtree(project / "build")
    real_write = os.write

    def full_for_one_sheet(fd, data):
        if "carfilzomib.md" in os.readlink(f"/proc/self/fd/{fd}"):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, data)

    monkeypatch.setattr(os, "write", full_for_one_sheet)
    code = cli.main(["-C", str(project), "build", "--locale", "es", "--force"])
    out, err = capsys.readouterr()
    assert code == cli.EXIT_FAILED
    assert "build/es/carfilzomib.md: no space left on device" in err
    assert "Traceback" not in err
    assert "build es: 3 sheets" in out and "1 failed" in out
    assert sorted(p.name for p in (project / "build/es").iterdir()) == [
        "bortezomib.md", "ciltacabtagene-autoleucel.md", "ixazomib-citrate.md"]  # and no temporary file


def test_a_killed_runs_temporary_files_are_cleared_by_the_next_command(project):
    prepare(project)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    planted = [project / f"locales/es/LC_MESSAGES/.carfilzomib.po.{dead.pid}.0.tmp",
               project / f"locales/templates/.carfilzomib.pot.{dead.pid}.1.tmp",
               project / f"build/es/.carfilzomib.md.{dead.pid}.2.tmp"]
    for path in planted:
        path.write_text("half a file")
    run_l10n(project, "update", "--locale", "es", check=True)
    assert not any(path.exists() for path in planted)
    assert not list(project.rglob("*.tmp"))


def test_a_sigkilled_update_leaves_nothing_the_next_one_does_not_clear(tmp_path):
    """A real kill mid-run, many times over: the files are whole, and leftovers go with the next command."""
    subprocess.run([sys.executable, str(ROOT / "bench/corpus.py"), "--count", "120", "--out", str(tmp_path)],
                   check=True, capture_output=True)
    for delay in (0.3, 0.5, 0.7, 0.9):
        child = subprocess.Popen([sys.executable, "-m", "l10n", "-C", str(tmp_path), "--force", "update",
                                  "--locale", "es", "-j", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                 start_new_session=True)
        time.sleep(delay)
        os.killpg(child.pid, 9)  # the workers too
        child.wait()
    done = run_l10n(tmp_path, "update", "--locale", "es", "-q")
    assert done.returncode == 0, done.stderr
    assert not list(tmp_path.rglob("*.tmp"))
    for path in sorted((tmp_path / "locales/es/LC_MESSAGES").glob("*.po"))[:20]:
        msgfmt_check(path)


def test_a_file_saved_again_and_again_is_left_as_saved_and_named(es, monkeypatch):
    target = po(es)
    shown = "locales/es/LC_MESSAGES/carfilzomib.po"
    translator_saves(target, "Kyprolis", "Kyprolis 0")
    catalog = catalog_module.read_catalog(target, shown)
    next(e for e in catalog if e.msgid == INTRO).msgstr = "Borrador de l10n."
    real_fsync = os.fsync
    saves = []

    def translator_keeps_saving(fd):  # a new save lands before each of l10n's renames
        real_fsync(fd)
        saves.append(1)
        text = target.read_text()
        target.write_text(text.replace(f'msgstr "Kyprolis {len(saves) - 1}"', f'msgstr "Kyprolis {len(saves)}"'))

    monkeypatch.setattr(os, "fsync", translator_keeps_saving)
    with pytest.raises(FileChangedError) as caught:
        catalog_module.write_catalog(catalog, target)
    assert str(caught.value).startswith(f"{shown}: changed on disk since l10n read it")
    assert len(saves) == 3
    now = entries(target)
    assert now["Kyprolis"].msgstr == "Kyprolis 3" and now[INTRO].msgstr == ""  # the last save, as saved


def test_an_unreadable_sheet_is_named_and_the_others_are_done(project, monkeypatch, capsys):
    real_read = workflow.read_text

    def no_access(path, display=None):  # as a read of a file without read permission fails (tests run as root)
        if str(path).endswith("seeds/carfilzomib.md"):
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_read(path, display)

    monkeypatch.setattr(workflow, "read_text", no_access)
    code = cli.main(["-C", str(project), "extract"])
    out, err = capsys.readouterr()
    assert code == cli.EXIT_FAILED
    assert f"{project}/seeds/carfilzomib.md: permission denied" in err and "Traceback" not in err
    assert "extract: 3 sheets" in out and "1 failed" in out
