"""The command line as users and CI jobs meet it: help, exit codes, bad input."""

import subprocess
import sys
import time
from pathlib import Path

import pytest

from l10n.cli import COMMANDS, make_parser

from conftest import prepare, ROOT, run_l10n


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_has_help_with_an_example(command):
    done = subprocess.run([sys.executable, "-m", "l10n", command, "--help"], capture_output=True, text=True)
    assert done.returncode == 0
    assert "example" in done.stdout and f"l10n {command}" in done.stdout


def test_top_level_help_tells_the_story():
    text = make_parser().format_help()
    for command in COMMANDS:
        assert command in text
    assert "exit codes" in text


def test_the_installed_console_script_runs():
    script = Path(sys.executable).parent / "l10n"
    done = subprocess.run([str(script), "--version"], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.startswith("l10n ")


def test_missing_configuration_is_a_usage_error(tmp_path):
    done = run_l10n(tmp_path, "extract")
    assert done.returncode == 2
    assert "no configuration" in done.stderr


def test_unknown_locale_is_a_usage_error(project):
    done = run_l10n(project, "update", "--locale", "xx_QQ")
    assert done.returncode == 2 and "unknown locale 'xx_QQ'" in done.stderr


def test_a_bad_sheet_fails_alone_and_nothing_is_executed(project):
    (project / "seeds/evil.md").write_text(
        "---\ntitle: Evil\nx: !!python/object/apply:os.system ['touch pwned']\n---\n\nHello\n"
    )
    (project / "seeds/nofm.md").write_text("# No front matter\n\nText.\n")
    done = run_l10n(project, "run", "--locale", "es")
    assert done.returncode == 1
    assert "seeds/evil.md:3: front matter is not valid YAML" in done.stderr
    assert "seeds/nofm.md:1: no front matter" in done.stderr
    assert "extract: 4 sheets" in done.stdout and "2 failed" in done.stdout
    assert len(list(project.glob("locales/templates/*.pot"))) == 4
    assert not (project / "pwned").exists() and not Path("pwned").exists()


def test_a_broken_po_file_is_reported_left_alone_and_the_rest_is_built(project):
    prepare(project)
    po = project / "locales/es/LC_MESSAGES/bortezomib.po"
    broken = po.read_text().replace('msgid "Yes"\nmsgstr ""', 'msgid "Yes"\nmsgstr "Sí')
    po.write_text(broken)
    old_build = (project / "build/es/bortezomib.md").read_bytes()
    for command in ("build", "check"):
        done = run_l10n(project, command, "--locale", "es")
        assert done.returncode == 1, command
        assert "locales/es/LC_MESSAGES/bortezomib.po:" in done.stderr and "not PO syntax" in done.stderr
    assert "3 sheets" in run_l10n(project, "build", "--locale", "es").stdout
    # update has nothing to merge while the English is unchanged, so it leaves the file be...
    done = run_l10n(project, "update", "--locale", "es")
    assert done.returncode == 0 and "4 unchanged" in done.stdout
    # ...and once the English changes, it must read the file: it reports the damage.
    sheet = project / "seeds/bortezomib.md"
    sheet.write_text(sheet.read_text().replace("possible side effects.", "possible side effects, rarely."))
    done = run_l10n(project, "update", "--locale", "es")
    assert done.returncode == 1 and "locales/es/LC_MESSAGES/bortezomib.po:" in done.stderr
    assert po.read_text() == broken  # the translator's file, untouched
    assert (project / "build/es/bortezomib.md").read_bytes() == old_build
    leftovers = [p for p in project.rglob("*") if p.name.endswith(".tmp")]
    assert leftovers == []


def test_build_before_update_says_what_to_run(project):
    run_l10n(project, "extract", check=True)
    done = run_l10n(project, "build", "--locale", "es", "carfilzomib")
    assert done.returncode == 1
    assert "run 'l10n update --locale es' first" in done.stderr


def test_readme_commands_exist():
    readme = (ROOT / "README.md").read_text()
    assert "bash scripts/seeds.sh" in readme and "bash scripts/test.sh" in readme
    ci = (ROOT / ".ci/run").read_text()
    assert "scripts/test.sh" in ci
    for command in COMMANDS:
        assert f"l10n {command}" in readme, f"README lacks the {command} command"


def test_several_worker_processes_write_and_report_exactly_what_one_does(tmp_path_factory, project):
    """Enough sheets to fork workers (and one bad sheet): the files, the report
    lines and their order are those of a one-process run."""
    import os
    import shutil

    seeds = sorted((project / "seeds").glob("*.md"))
    for copy in range(3):
        for seed in seeds:
            shutil.copy(seed, project / "seeds" / f"{seed.stem}-{copy}.md")
    (project / "seeds/zz-broken.md").write_text("---\ntitle: [unclosed\n---\n\nText.\n")
    one, two = tmp_path_factory.mktemp("one") / "p", tmp_path_factory.mktemp("two") / "p"
    shutil.copytree(project, one)
    shutil.copytree(project, two)
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    outputs = {}
    for folder, jobs in ((one, "1"), (two, "2")):
        runs = [subprocess.run([sys.executable, "-m", "l10n", "-C", str(folder), "-j", jobs, *command],
                               capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL)
                for command in (["update", "--locale", "es"], ["build", "--locale", "es"])]
        assert [run.returncode for run in runs] == [1, 1]
        files = {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*"))
                 if p.is_file() and ".l10n" not in p.parts}
        outputs[jobs] = ([(run.stdout, run.stderr.replace(str(folder), "")) for run in runs], files)
    assert outputs["1"] == outputs["2"]
    assert len(outputs["2"][1]) > 3 * 16 and "16 sheets" in outputs["2"][0][1][0]


def test_global_options_work_after_the_command_too(project):
    """Issue 11: 'l10n run --locale es -q' and 'l10n build --locale es --force' were refused."""
    quiet = run_l10n(project, "run", "--locale", "es", "--engine", "none", "-q")
    assert quiet.returncode == 0, quiet.stderr
    assert quiet.stdout.splitlines() == [line for line in quiet.stdout.splitlines() if not line.startswith("  ")]
    assert "build es: 4 sheets" in quiet.stdout
    again = run_l10n(project, "build", "--locale", "es")
    assert "4 unchanged" in again.stdout
    forced = run_l10n(project, "build", "--locale", "es", "--force", "-j", "1")
    assert forced.returncode == 0 and "unchanged" not in forced.stdout
    # -C after the command, from another folder; before it still works, and the later one wins.
    elsewhere = subprocess.run([sys.executable, "-m", "l10n", "-C", "/nonexistent", "stats", "-C", str(project),
                                "--locale", "es", "--format", "json"], capture_output=True, text=True)
    assert elsewhere.returncode == 0, elsewhere.stderr


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_commands_help_lists_the_global_options(command):
    done = subprocess.run([sys.executable, "-m", "l10n", command, "--help"], capture_output=True, text=True)
    for option in ("-C DIR", "--quiet", "--jobs N", "--force", "--wait SECONDS"):
        assert option in done.stdout, f"{command} --help lacks {option}"


HOLD = """
import sys, time
from l10n.lock import project_lock
with project_lock(sys.argv[1], "release"):
    print("held", flush=True)
    time.sleep(60)
"""

WRITING = [("extract",), ("update", "-l", "es"), ("build", "-l", "es"), ("run", "-l", "es", "--engine", "none"),
           ("pretranslate", "-l", "es", "--engine", "none"), ("memory",), ("ui", "-l", "es"), ("release", "-l", "es"),
           ("review", "-l", "es"), ("engines", "install", "missing.argosmodel")]


def test_commands_that_write_are_refused_while_another_holds_the_project(project):
    prepare(project)
    before = {p: p.read_bytes() for p in project.rglob("*") if p.is_file() and ".l10n" not in p.parts}
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(project)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        for args in WRITING:
            done = run_l10n(project, *args)
            assert done.returncode == 75, (args, done.stderr)
            assert done.stderr.startswith(f"l10n: another l10n command is running on this project "
                                          f"(pid {holder.pid}, l10n release, since "), done.stderr
        # Commands that only read go ahead.
        assert run_l10n(project, "stats", "-l", "es").returncode == 0
        assert run_l10n(project, "check", "-l", "es").returncode in (3, 4, 5)  # findings, not 75
        assert run_l10n(project, "engines", "-l", "es").returncode == 0
        started = time.monotonic()
        waited = run_l10n(project, "extract", "--wait", "1")
        assert waited.returncode == 75 and time.monotonic() - started >= 1
    finally:
        holder.kill()
        holder.wait()
    after = {p: p.read_bytes() for p in project.rglob("*") if p.is_file() and ".l10n" not in p.parts}
    assert after == before  # nothing was written by the refused commands
    assert run_l10n(project, "extract").returncode == 0  # released when its holder was killed


def test_readme_documents_the_locked_exit_code():
    text = (ROOT / "README.md").read_text()
    assert "`75`" in text and "--wait SECONDS" in text
