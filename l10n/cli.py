"""The ``l10n`` command: a thin layer over :mod:`l10n.workflow`.

Every command prints a summary on stdout and one ``path:line: message`` per
problem on stderr.  Exit codes: 0 done; 1 a file could not be processed (the
others were); 2 bad usage or configuration.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Callable, Sequence

from . import __version__, workflow
from .config import Config, load_config
from .errors import ConfigError, L10nError

__all__ = ["main", "COMMANDS", "EXIT_OK", "EXIT_FAILED", "EXIT_USAGE"]

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


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


def _locales(config: Config, args) -> list[str]:
    if args.locale:
        from .catalog import check_locale

        check_locale(args.locale)
        return [args.locale]
    return list(config.locales)


def cmd_extract(config: Config, args) -> int:
    sources = workflow.select_sources(config, args.sheets)
    report = workflow.extract(config, sources, _progress(args), args.jobs, args.force, _echo(args))
    return _report(args, report, "extract")


def cmd_update(config: Config, args) -> int:
    sources = workflow.select_sources(config, args.sheets)
    code = EXIT_OK
    for locale in _locales(config, args):
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
    for locale in _locales(config, args):
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
    import os

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


class _Formatter(argparse.RawDescriptionHelpFormatter):
    """argparse's formatter, told the terminal's width as shutil would tell it.

    Left to find it, argparse imports shutil (and with it bz2, lzma and
    zlib) on every run, for help text that is rarely shown.
    """

    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24,
                 width: int | None = None):
        if width is None:
            try:
                width = int(os.environ["COLUMNS"])
            except (KeyError, ValueError):
                try:
                    width = os.get_terminal_size(sys.__stdout__.fileno()).columns
                except (AttributeError, ValueError, OSError):
                    width = 80
            width -= 2
        super().__init__(prog, indent_increment, max_help_position, width)


class _CommandParser(argparse.ArgumentParser):
    """A command's parser, made only when used.

    Only the command being run needs its parser; making all of them (argparse
    looks up translations of its own messages for each) cost every run a
    tenth of its start-up.
    """

    def __init__(self, **settings):
        self.__dict__["_settings"] = settings  # ArgumentParser.__init__ waits for _complete
        self.__dict__["add_arguments"] = None

    def _complete(self) -> None:
        settings = self.__dict__.pop("_settings", None)
        if settings is not None:
            argparse.ArgumentParser.__init__(self, **settings)
            if self.add_arguments is not None:
                self.add_arguments(self)

    def __getattr__(self, name):  # anything argparse reads from an unmade parser makes it
        if "_settings" not in self.__dict__:
            raise AttributeError(name)
        self._complete()
        return getattr(self, name)

    def parse_known_args(self, *args, **kwargs):
        self._complete()
        return super().parse_known_args(*args, **kwargs)

    def format_help(self) -> str:
        self._complete()
        return super().format_help()

    def format_usage(self) -> str:
        self._complete()
        return super().format_usage()


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="l10n",
        description="Offline localization of patient drug-information sheets through gettext PO files.",
        formatter_class=_Formatter,
        epilog=(
            "typical session:\n"
            "  l10n extract                 # English sheets -> locales/templates/*.pot\n"
            "  l10n update --locale es      # -> locales/es/LC_MESSAGES/*.po (translate these)\n"
            "  l10n build --locale es       # -> build/es/*.md\n"
            "\n"
            "exit codes: 0 done, 1 some file failed (the others were processed), 2 usage or configuration\n"
        ),
    )
    parser.add_argument("--version", action="version", version=f"l10n {__version__}")
    parser.add_argument("-C", "--project", metavar="DIR",
                        help="project folder (default: search upwards from here for l10n.toml or pyproject.toml)")
    parser.add_argument("-q", "--quiet", action="store_true", help="only the summary line and problems")
    parser.add_argument("-j", "--jobs", type=int, metavar="N",
                        help="worker processes for extract, update and build (default: one per core)")
    parser.add_argument("--force", action="store_true",
                        help="redo every sheet, even those unchanged since the last run (see .l10n/)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True,
                                     parser_class=_CommandParser)
    for name, (_, summary, example, add_arguments) in COMMANDS.items():
        sub = commands.add_parser(
            name,
            help=summary,
            description=summary[0].upper() + summary[1:] + ".",
            epilog="example:\n  " + example,
            formatter_class=_Formatter,
        )
        sub.add_arguments = add_arguments
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    try:
        config = load_config(args.project)
        return COMMANDS[args.command][0](config, args)
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
    """The ``l10n`` command: :func:`main`, then leave at once.

    Once main() returns every file is written and closed and the cache
    committed; tearing the interpreter down (every module, every object)
    would only cost a small run a tenth of its time.
    """
    try:
        code = main()
    except SystemExit as done:  # --help, --version, usage errors
        code = done.code if isinstance(done.code, int) else (0 if done.code is None else EXIT_USAGE)
        if done.code is not None and not isinstance(done.code, int):
            print(done.code, file=sys.stderr)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except BrokenPipeError:  # e.g. 'l10n stats | head': the reader left
        pass
    os._exit(code)


if __name__ == "__main__":
    run()
