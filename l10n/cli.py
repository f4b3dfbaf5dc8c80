"""The ``l10n`` command: a thin layer over :mod:`l10n.workflow`.

Every command prints a summary on stdout and one ``path:line: message`` per
problem on stderr.  Exit codes: 0 done; 1 a file could not be processed (the
others were); 2 bad usage or configuration; 75 another l10n command is
writing to the project (the commands that write hold its lock,
:mod:`l10n.lock`).
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Callable, Sequence

from . import __version__, workflow
from .config import Config, load_config
from .errors import ConfigError, L10nError
from .files import os_reason, remove_stale_temporaries
from .lock import ProjectLocked, project_lock

__all__ = ["main", "COMMANDS", "EXIT_OK", "EXIT_FAILED", "EXIT_USAGE", "EXIT_LOCKED"]

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
# Another command holds the project lock: nothing was done; try again later
# (75 is EX_TEMPFAIL in BSD's sysexits.h, which schedulers and CI retry on).
EXIT_LOCKED = 75


def _progress(args, unit: str = "sheet") -> Callable | None:
    """A progress bar on stderr for long runs in a terminal; nothing in CI logs."""
    if args.quiet or not sys.stderr.isatty():
        return None  # and no tqdm to import: that alone cost a run 60 ms
    from tqdm import tqdm

    # No monitor thread: the stages fork worker processes, and forking a
    # process that has other threads running can deadlock.
    tqdm.monitor_interval = 0

    def bar(items, total=None):
        return tqdm(items, total=total, desc=args.command, unit=unit, file=sys.stderr, disable=None,
                    leave=False, mininterval=0.5)

    return bar


def _echo(args) -> Callable[[str], None] | None:
    """Where a stage's per-sheet lines go as they come (None with --quiet)."""
    if args.quiet:
        return None
    if sys.stderr.isatty():  # a progress bar is showing there: write around it
        from tqdm import tqdm

        return lambda line: tqdm.write(f"  {line}", file=sys.stdout)
    return lambda line: print(f"  {line}")


def _report(args, report: workflow.Report, title: str) -> int:
    if not args.quiet:
        for line in report.lines:
            print(f"  {line}")
    for problem in report.warnings:
        print(f"{problem}", file=sys.stderr)
    for problem in report.problems:
        print(f"{problem}", file=sys.stderr)
    totals = ", ".join(f"{v} {k}" for k, v in report.totals.items() if v)
    failed = f"; {len(report.problems)} failed" if report.problems else ""
    print(f"{title}: {totals or 'nothing to do'}{failed}")
    return EXIT_OK if report.ok else EXIT_FAILED


def _locales(config: Config, args, starts: bool = False) -> list[str]:
    if args.locale:
        from .catalog import check_locale

        check_locale(args.locale)
        if starts:  # a command that creates the locale's PO files: only for a configured locale
            config.require_locale(args.locale)
        return [args.locale]
    return list(config.locales)


def cmd_extract(config: Config, args) -> int:
    sources = workflow.select_sources(config, args.sheets)
    report = workflow.extract(config, sources, _progress(args), args.jobs, args.force, _echo(args))
    return _report(args, report, "extract")


def cmd_update(config: Config, args) -> int:
    sources = workflow.select_sources(config, args.sheets)
    code = EXIT_OK
    for locale in _locales(config, args, starts=True):
        report = workflow.update(config, locale, sources, _progress(args), args.jobs, args.force, _echo(args))
        code = max(code, _report(args, report, f"update {locale}"))
    return code


def cmd_build(config: Config, args) -> int:
    sources = workflow.select_sources(config, args.sheets)
    code = EXIT_OK
    for locale in _locales(config, args):
        report = workflow.build(config, locale, sources, args.include_fuzzy, _progress(args), args.jobs, args.force,
                                _echo(args))
        code = max(code, _report(args, report, f"build {locale}"))
    return code


def cmd_run(config: Config, args) -> int:
    """extract -> update -> pretranslate -> build, stopping at the first stage that fails."""
    sources = workflow.select_sources(config, args.sheets)
    report = workflow.extract(config, sources, _progress(args), args.jobs, args.force, _echo(args))
    code = _report(args, report, "extract")
    for locale in _locales(config, args, starts=True):
        if code:
            break
        report = workflow.update(config, locale, sources, _progress(args), args.jobs, args.force, _echo(args))
        code = _report(args, report, f"update {locale}")
        if not code:
            from .pretranslate import pretranslate

            report = pretranslate(config, locale, sources, args.engine, progress=_progress(args, "batch"))
            code = _report(args, report, f"pretranslate {locale}")
        if not code:
            report = workflow.build(config, locale, sources, args.include_fuzzy, _progress(args), args.jobs, args.force,
                                _echo(args))
            code = _report(args, report, f"build {locale}")
    return code


def cmd_pretranslate(config: Config, args) -> int:
    from .pretranslate import pretranslate

    sources = workflow.select_sources(config, args.sheets)
    code = EXIT_OK
    for locale in _locales(config, args):
        report = pretranslate(config, locale, sources, args.engine, args.refresh, not args.no_memory,
                              _progress(args, "batch"))
        code = max(code, _report(args, report, f"pretranslate {locale}"))
    return code


def cmd_engines(config: Config, args) -> int:
    from .engines import argos, list_engines

    if args.action == "install":
        if not args.file:
            raise ConfigError("'l10n engines install' needs a FILE.argosmodel")
        print(f"installed {argos.install(args.file)}")
        return EXIT_OK
    if args.file:
        raise ConfigError("'l10n engines' takes a FILE only with 'install'")
    for locale in _locales(config, args):
        for status in list_engines(config.source_locale, locale):
            state = "available" if status.available else "unavailable"
            print(f"{status.name:10} {config.source_locale}->{locale} {state}: {status.detail}")
    return EXIT_OK


def cmd_memory(config: Config, args) -> int:
    from .memory import Memory
    from .pretranslate import memory_path, sync_memory

    path = memory_path(config)
    if args.action in ("import", "export") and not args.file:
        raise ConfigError(f"'l10n memory {args.action}' needs a FILE.tmx")
    with Memory(path, config.display(path)) as memory:
        for locale in _locales(config, args):
            if args.action == "import":
                count = memory.import_tmx(args.file, locale, config.source_locale)
                print(f"memory {locale}: imported {count} units from {args.file}")
                continue
            count = sync_memory(config, locale, memory)
            if args.action == "export":
                total = memory.export_tmx(args.file, locale, config.source_locale)
                print(f"memory {locale}: exported {total} units to {args.file}")
            else:
                print(f"memory {locale}: {count} reviewed units from the PO files, "
                      f"{len(memory.units(locale))} in all ({config.display(path)})")
    return EXIT_OK


def _engine_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--engine", metavar="NAME", default=None,
                        help="argos, apertium, auto (first available) or none (memory only); "
                             "default: [tool.l10n.pretranslate] engine, else auto")


def _sheets_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("sheets", nargs="*", metavar="SHEET", help="only these sheets (slug or path); default: all")


def _locale_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-l", "--locale", help="one locale (default: every locale in the configuration)")


# name -> (function, one-line help, example, extra arguments)
COMMANDS: dict[str, tuple[Callable, str, str, Callable[[argparse.ArgumentParser], None]]] = {
    "extract": (
        cmd_extract,
        "segment the English sheets into one POT template per sheet",
        "l10n extract                 # all sheets -> locales/templates/*.pot\n"
        "  l10n extract carfilzomib     # one sheet",
        lambda p: _sheets_argument(p),
    ),
    "update": (
        cmd_update,
        "create or update a locale's PO files from the English sheets (msgmerge semantics; refreshes the POTs too)",
        "l10n update --locale es      # locales/es/LC_MESSAGES/*.po",
        lambda p: (_locale_argument(p), _sheets_argument(p)),
    ),
    "build": (
        cmd_build,
        "write translated sheets to build/<locale>/ (English where untranslated)",
        "l10n build --locale es\n  l10n build --locale es --include-fuzzy   # a draft with unreviewed text",
        lambda p: (
            _locale_argument(p),
            p.add_argument("--include-fuzzy", action="store_true",
                           help="use fuzzy (unreviewed) translations too; default: English instead"),
            _sheets_argument(p),
        ),
    ),
    "run": (
        cmd_run,
        "the whole job: extract, update, pretranslate and build",
        "l10n run --locale es\n  l10n run --locale es --engine none   # memory only, no machine translation",
        lambda p: (
            _locale_argument(p),
            _engine_argument(p),
            p.add_argument("--include-fuzzy", action="store_true", help="build with unreviewed text too"),
            _sheets_argument(p),
        ),
    ),
    "pretranslate": (
        cmd_pretranslate,
        "fill empty strings from translation memory, the glossary and an offline engine (as fuzzy)",
        "l10n pretranslate --locale es\n"
        "  l10n pretranslate --locale es --engine apertium --refresh   # redo l10n's own unedited drafts",
        lambda p: (
            _locale_argument(p),
            _engine_argument(p),
            p.add_argument("--refresh", action="store_true",
                           help="also redo earlier pretranslations nobody has edited (never a person's text)"),
            p.add_argument("--no-memory", action="store_true", help="do not use the translation memory"),
            _sheets_argument(p),
        ),
    ),
    "engines": (
        cmd_engines,
        "list the machine translation engines and whether they can run here, or install an Argos package",
        "l10n engines\n  l10n engines install translate-en_es-1_9.argosmodel",
        lambda p: (
            _locale_argument(p),
            p.add_argument("action", nargs="?", choices=["list", "install"], default="list"),
            p.add_argument("file", nargs="?", metavar="FILE", help="the .argosmodel file to install"),
        ),
    ),
    "memory": (
        cmd_memory,
        "show, rebuild, import into or export the translation memory (TMX)",
        "l10n memory                        # rebuild from the PO files and count\n"
        "  l10n memory export es.tmx\n  l10n memory import vendor.tmx --locale es",
        lambda p: (
            _locale_argument(p),
            p.add_argument("action", nargs="?", choices=["status", "import", "export"], default="status"),
            p.add_argument("file", nargs="?", metavar="FILE", help="the TMX file to import or export"),
        ),
    ),
}


# -- publishing: the ui domain and release builds -----------------------------

EXIT_BLOCKED = 6  # release --strict: some sheet was blocked (not reviewed, stale or failing a check)


def cmd_ui(config: Config, args) -> int:
    from . import ui

    report = workflow.Report()
    for locale in _locales(config, args):
        try:
            catalog, summary, changed = ui.update_ui(config, locale)
        except L10nError as err:
            report.problems.append(err)
            continue
        reviewed = sum(1 for e in catalog if not e.obsolete and e.msgstr and "fuzzy" not in e.flags)
        active = sum(1 for e in catalog if not e.obsolete)
        report.totals["strings"] = active
        report.lines.append(f"{catalog.fpath}: {reviewed}/{active} reviewed; {summary}"
                            + ("" if changed else " (unchanged)"))
    return _report(args, report, "ui")


def cmd_release(config: Config, args) -> int:
    from . import release

    sources = workflow.select_sources(config, args.sheets)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None and not epoch.isdigit():
        raise ConfigError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, not {epoch!r}")
    code = EXIT_OK
    for locale in _locales(config, args):
        report, sheets = release.release(config, locale, sources, args.draft,
                                         int(epoch) if epoch else None, _progress(args))
        code = max(code, _report(args, report, f"{'draft' if args.draft else 'release'} {locale}"))
        if args.strict and not args.draft and any(s.status == release.BLOCKED for s in sheets) and code == EXIT_OK:
            code = EXIT_BLOCKED
    return code


COMMANDS.update({
    "ui": (
        cmd_ui,
        "extract the page templates' own strings into locales/templates/ui.pot and update each locale's ui.po",
        "l10n ui --locale es          # then translate locales/es/LC_MESSAGES/ui.po",
        lambda p: _locale_argument(p),
    ),
    "release": (
        cmd_release,
        "write dist/<locale>/ (Markdown + HTML, manifest) and dist/<locale>.tar.gz with only the reviewed sheets",
        "l10n release --locale es            # blocked sheets are listed on stderr\n"
        "  l10n release --locale es --strict   # exit 6 if any sheet is blocked (CI)\n"
        "  l10n release --locale es --draft    # dist/es-draft/: every sheet, unreviewed text bannered",
        lambda p: (
            _locale_argument(p),
            p.add_argument("--strict", action="store_true",
                           help=f"exit {EXIT_BLOCKED} when any sheet is blocked"),
            p.add_argument("--draft", action="store_true",
                           help="internal review build: every sheet, fuzzy text included, under a banner, "
                                "in dist/<locale>-draft/ (no archive)"),
            _sheets_argument(p),
        ),
    ),
})


# -- QA: check, stats, review ---------------------------------------------------------

# `l10n check` exit codes for CI gates; the most serious finding wins, and a file
# that could not be read at all (EXIT_FAILED, 1) is more serious than any of them.
EXIT_CHECK_ERRORS = 3  # an error-level QA problem: lost link, changed number or dose, broken markup...
EXIT_FUZZY_LEFT = 4  # no error, but fuzzy (unreviewed: machine, memory, changed source) strings remain
EXIT_UNTRANSLATED_LEFT = 5  # no error, nothing fuzzy, but some strings have no translation


def check_exit_code(problems, sheet_stats, failures) -> int:
    """The exit code of ``l10n check``: 1, 3, 4, 5 in that order of seriousness, else 0."""
    if failures:
        return EXIT_FAILED
    if any(p.severity == "error" for p in problems):
        return EXIT_CHECK_ERRORS
    if any(s.fuzzy for s in sheet_stats):
        return EXIT_FUZZY_LEFT
    if any(s.strings["untranslated"] for s in sheet_stats):
        return EXIT_UNTRANSLATED_LEFT
    return EXIT_OK


def _qa(config: Config, args, locale: str):
    from . import stats

    return stats.read_sheets(config, locale, workflow.select_sources(config, args.sheets), _progress(args))


def cmd_check(config: Config, args) -> int:
    import dataclasses
    import json

    problems, sheet_stats, failures, seen = [], [], [], set()
    for locale in _locales(config, args):
        states, failed = _qa(config, args, locale)
        failures += failed
        for state in states:
            if state.doc.path not in seen:  # an English sheet's problems once, not once per locale
                seen.add(state.doc.path)
                problems += state.source_problems
            problems += state.problems
            sheet_stats.append(state.stats)
        from .ui import check_ui  # the pages' own strings: a placeholder a page cannot fill is an error too

        try:
            problems += check_ui(config, locale)
        except L10nError as err:
            failures.append(err)
    code = check_exit_code(problems, sheet_stats, failures)
    if args.format == "json":
        print(json.dumps({"exit": code, "problems": [dataclasses.asdict(p) for p in problems],
                          "failures": [str(f) for f in failures], "sheets": [s.as_dict() for s in sheet_stats]},
                         ensure_ascii=False, indent=2))
        return code
    for item in problems + failures:
        print(item, file=sys.stderr)
    errors = sum(p.severity == "error" for p in problems)
    print(f"check: {errors} errors, {len(problems) - errors} warnings; "
          f"{sum(s.fuzzy for s in sheet_stats)} fuzzy, "
          f"{sum(s.strings['untranslated'] for s in sheet_stats)} untranslated in {len(sheet_stats)} sheets"
          + (f"; {len(failures)} failed" if failures else "") + f" (exit {code})")
    return code


def cmd_stats(config: Config, args) -> int:
    from . import stats

    sheet_stats, failures = [], []
    for locale in _locales(config, args):
        states, failed = _qa(config, args, locale)
        sheet_stats += [state.stats for state in states]
        failures += failed
    for failure in failures:
        print(failure, file=sys.stderr)
    print(stats.stats_json(sheet_stats) if args.format == "json" else stats.format_table(sheet_stats))
    return EXIT_FAILED if failures else EXIT_OK


def cmd_review(config: Config, args) -> int:
    from pathlib import Path

    from . import review

    if args.serve:
        return _serve_review(config, args)
    folder = Path(args.output) if args.output else config.root / config.build_dir / "review"
    report = workflow.Report()
    for locale in _locales(config, args):
        states, failed = _qa(config, args, locale)
        report.problems += failed
        target = folder / f"{locale}.html"
        changed = review.write_page(target, states, locale, config.root / "templates")
        problems = sum(len(s.problems) + len(s.source_problems) for s in states)
        report.totals["sheets"] += len(states)
        report.lines.append(f"{config.display(target)}: {len(states)} sheets, {problems} QA problems shown"
                            + ("" if changed else " (unchanged)") + f"; open file://{target.resolve()}")
    return _report(args, report, "review")


def _serve_review(config: Config, args) -> int:
    """``l10n review --serve``: the review page as a local web app, until Ctrl-C."""
    from . import serve

    sheets = tuple(path.stem for path in workflow.select_sources(config, args.sheets)) if args.sheets else ()
    server = serve.serve(config, _locales(config, args), args.host or "127.0.0.1", args.port, sheets=sheets)
    if args.host and args.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"review: warning: listening on {args.host}: anyone who can reach it and has the token "
              "can change translations", file=sys.stderr)
    print(f"review: serving at {server.url}  (Ctrl-C to stop)", flush=True)
    try:
        server.run()
    except KeyboardInterrupt:  # the way to stop it; every save is already complete on disk
        print("review: stopped")
    finally:
        server.close()
    return EXIT_OK


def _format_argument(parser: argparse.ArgumentParser, human: str) -> None:
    parser.add_argument("--format", choices=(human, "json"), default=human, help=f"output format (default: {human})")


COMMANDS.update({
    "check": (
        cmd_check,
        "QA-check the translations (links, numbers, doses, markup, names...) and the English sheets; "
        f"exit {EXIT_CHECK_ERRORS} on errors, {EXIT_FUZZY_LEFT} if fuzzy strings are left, "
        f"{EXIT_UNTRANSLATED_LEFT} if untranslated ones are",
        "l10n check --locale es                 # path:line: severity [check] message, on stderr\n"
        "  l10n check --locale es --format json   # for CI dashboards",
        lambda p: (_locale_argument(p), _format_argument(p, "text"), _sheets_argument(p)),
    ),
    "stats": (
        cmd_stats,
        "how far each sheet is: strings and words reviewed, fuzzy, untranslated; ready for release or not",
        "l10n stats --locale es\n  l10n stats --format json",
        lambda p: (_locale_argument(p), _format_argument(p, "table"), _sheets_argument(p)),
    ),
    "review": (
        cmd_review,
        "write an HTML review page per locale: English and translation side by side, status, QA problems, "
        "and the sheet as a patient would read it",
        "l10n review --locale es      # -> build/review/es.html; open it in a browser\n"
        "  l10n review --serve          # a local web app: filter, correct, approve, comment",
        lambda p: (
            _locale_argument(p),
            p.add_argument("-o", "--output", metavar="DIR", help="folder for <locale>.html (default: build/review)"),
            p.add_argument("--serve", action="store_true",
                           help="serve the review page as a local web app where reviewers correct, approve "
                                "and comment (127.0.0.1, random port, access token in the printed URL)"),
            p.add_argument("--host", help="address to listen on with --serve (default: 127.0.0.1 only)"),
            p.add_argument("--port", type=int, default=0, help="port for --serve (default: a free one)"),
            _sheets_argument(p),
        ),
    ),
})


def cmd_glossary(config: Config, args) -> int:
    """The term base: the locales' glossary.csv files, exported to or imported from TBX."""
    from .glossary import read_glossary
    from .pretranslate import glossary_path
    from .termbase import merge_terms, read_tbx, write_tbx

    locales = _locales(config, args)
    if args.action == "export":
        glossaries = {loc: read_glossary(glossary_path(config, loc), config.display(glossary_path(config, loc)))
                      for loc in locales}
        count = write_tbx(args.file, glossaries, config.source_locale)
        print(f"glossary {', '.join(locales)}: exported {count} terms to {args.file}")
        return EXIT_OK
    found = read_tbx(args.file, config.source_locale, args.file)
    for locale in locales:
        mine = [t for t in found if t.locale.lower().replace("_", "-").split("-")[0] == locale.lower().split("_")[0]]
        path = glossary_path(config, locale)
        added, same = merge_terms(path, mine, args.file, config.display(path))
        print(f"glossary {locale}: {added} terms added from {args.file}, {same} already there ({config.display(path)})")
    return EXIT_OK


COMMANDS["glossary"] = (
    cmd_glossary,
    "export the glossaries (the term base) to TBX, or add a TBX file's terms to them",
    "l10n glossary export termbase.tbx              # every locale's glossary.csv, TBX-Basic\n"
    "  l10n glossary import vendor.tbx --locale es   # adds new terms; a conflicting one stops it",
    lambda p: (
        _locale_argument(p),
        p.add_argument("action", choices=["export", "import"]),
        p.add_argument("file", metavar="FILE", help="the .tbx file to write or read"),
    ),
)


# Commands that write into the project hold its lock (see l10n.lock) while
# they run; the others only read files that are always replaced whole.
WRITES = {"extract", "update", "build", "run", "pretranslate", "memory", "ui", "release", "review"}


def _writes(args) -> bool:
    if args.command == "engines":
        return args.action == "install"
    if args.command == "glossary":
        return args.action == "import"
    if args.command == "review" and getattr(args, "serve", False):
        return False  # a review server runs for hours: it takes the lock for each save instead
    return args.command in WRITES


def _global_options(parser: argparse.ArgumentParser, default) -> None:
    """The options every command takes, before or after its name.

    The main parser gives them their defaults; each command's parser adds
    them again with ``default`` SUPPRESS, so an option given after the
    command sets the value and one not given there leaves the main parser's.
    """
    group = parser.add_argument_group("options every command takes")
    group.add_argument("-C", "--project", metavar="DIR", default=default(None),
                       help="project folder (default: search upwards from here for l10n.toml or pyproject.toml)")
    group.add_argument("-q", "--quiet", action="store_true", default=default(False),
                       help="only the summary line and problems")
    group.add_argument("-j", "--jobs", type=int, metavar="N", default=default(None),
                       help="worker processes for extract, update and build (default: one per core)")
    group.add_argument("--force", action="store_true", default=default(False),
                       help="redo every sheet, even those unchanged since the last run (see .l10n/)")
    group.add_argument("--wait", type=float, metavar="SECONDS", default=default(0.0),
                       help="if another l10n command is writing to the project, wait up to this long for it "
                            f"(default: exit {EXIT_LOCKED} at once)")


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="l10n",
        description="Offline localization of patient drug-information sheets through gettext PO files.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=(
            "typical session:\n"
            "  l10n extract                 # English sheets -> locales/templates/*.pot\n"
            "  l10n update --locale es      # -> locales/es/LC_MESSAGES/*.po (translate these)\n"
            "  l10n build --locale es       # -> build/es/*.md\n"
            "\n"
            "exit codes: 0 done, 1 some file failed (the others were processed), 2 usage or configuration,\n"
            f"  {EXIT_LOCKED} another l10n command is writing to the project (see --wait)\n"
        ),
    )
    parser.add_argument("--version", action="version", version=f"l10n {__version__}")
    _global_options(parser, lambda value: value)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, (_, summary, example, add_arguments) in COMMANDS.items():
        sub = commands.add_parser(
            name,
            help=summary,
            description=summary[0].upper() + summary[1:] + ".",
            epilog="example:\n  " + example,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        add_arguments(sub)
        _global_options(sub, lambda value: argparse.SUPPRESS)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    try:
        config = load_config(args.project)
        command = COMMANDS[args.command][0]
        if not _writes(args):
            return command(config, args)
        with project_lock(config.root, args.command, args.wait):
            # Holding the lock, no other command is writing: what a killed run left is ours to clear.
            remove_stale_temporaries([config.root / folder for folder in
                                      (config.locales_dir, config.build_dir, "dist", ".l10n")])
            return command(config, args)
    except ProjectLocked as err:
        print(f"l10n: {err.message}", file=sys.stderr)
        return EXIT_LOCKED
    except BrokenPipeError:  # the reader of our output left: see run()
        raise
    except OSError as err:  # a file outside the per-sheet work (the lock, a TMX file...)
        print(f"l10n: {err.filename or 'error'}: {os_reason(err)}", file=sys.stderr)
        return EXIT_FAILED
    except ConfigError as err:
        print(f"l10n: {err}", file=sys.stderr)
        return EXIT_USAGE
    except L10nError as err:
        print(f"{err}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("l10n: interrupted; files already written are complete", file=sys.stderr)
        return 130


def run() -> None:
    """The ``l10n`` command: :func:`main`, its result as the exit status."""
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:  # e.g. 'l10n stats | head': the reader left
        # Python flushes stdout again on exit and would complain: give it nowhere to write.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = EXIT_FAILED
    sys.exit(code)


if __name__ == "__main__":
    run()
