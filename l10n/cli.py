"""The ``l10n`` command: a thin layer over :mod:`l10n.workflow`.

Every command prints a summary on stdout and one ``path:line: message`` per
problem on stderr.  Exit codes: 0 done; 1 a file could not be processed (the
others were); 2 bad usage or configuration.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from typing import Callable, Sequence

from . import __version__, workflow
from .config import Config, load_config
from .errors import ConfigError, L10nError

__all__ = ["main", "COMMANDS", "EXIT_OK", "EXIT_FAILED", "EXIT_USAGE"]

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


def _progress(args) -> Callable | None:
    """A progress bar on stderr for long runs in a terminal; nothing in CI logs."""
    if args.quiet:
        return None
    from tqdm import tqdm

    def bar(items):
        return tqdm(items, desc=args.command, unit="sheet", file=sys.stderr, disable=None, leave=False,
                    mininterval=0.5)

    return bar


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
        from .catalog import locale_info

        locale_info(args.locale)
        return [args.locale]
    return list(config.locales)


def cmd_extract(config: Config, args) -> int:
    sources = workflow.select_sources(config, args.sheets)
    return _report(args, workflow.extract(config, sources, _progress(args)), "extract")


def cmd_update(config: Config, args) -> int:
    sources = workflow.select_sources(config, args.sheets)
    code = EXIT_OK
    for locale in _locales(config, args):
        report = workflow.update(config, locale, sources, _progress(args))
        code = max(code, _report(args, report, f"update {locale}"))
    return code


def cmd_build(config: Config, args) -> int:
    sources = workflow.select_sources(config, args.sheets)
    code = EXIT_OK
    for locale in _locales(config, args):
        report = workflow.build(config, locale, sources, args.include_fuzzy, _progress(args))
        code = max(code, _report(args, report, f"build {locale}"))
    return code


def cmd_run(config: Config, args) -> int:
    """extract -> update -> build, stopping at the first stage that fails."""
    sources = workflow.select_sources(config, args.sheets)
    code = _report(args, workflow.extract(config, sources, _progress(args)), "extract")
    for locale in _locales(config, args):
        if code:
            break
        code = _report(args, workflow.update(config, locale, sources, _progress(args)), f"update {locale}")
        if not code:
            report = workflow.build(config, locale, sources, args.include_fuzzy, _progress(args))
            code = _report(args, report, f"build {locale}")
    return code


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
        "create or update the PO files of a locale from the templates (msgmerge semantics)",
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
        "the whole job: extract, update and build",
        "l10n run --locale es",
        lambda p: (
            _locale_argument(p),
            p.add_argument("--include-fuzzy", action="store_true", help="build with unreviewed text too"),
            _sheets_argument(p),
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


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="l10n",
        description="Offline localization of patient drug-information sheets through gettext PO files.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=textwrap.dedent(
            """\
            typical session:
              l10n extract                 # English sheets -> locales/templates/*.pot
              l10n update --locale es      # -> locales/es/LC_MESSAGES/*.po (translate these)
              l10n build --locale es       # -> build/es/*.md

            exit codes: 0 done, 1 some file failed (the others were processed), 2 usage or configuration
            """
        ),
    )
    parser.add_argument("--version", action="version", version=f"l10n {__version__}")
    parser.add_argument("-C", "--project", metavar="DIR",
                        help="project folder (default: search upwards from here for l10n.toml or pyproject.toml)")
    parser.add_argument("-q", "--quiet", action="store_true", help="only the summary line and problems")
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


if __name__ == "__main__":
    sys.exit(main())
