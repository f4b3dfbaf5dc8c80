"""Benchmark l10n side by side with po4a, mdpo and Translate Toolkit.

    bash bench/setup.sh
    .venv/bin/python bench/run.py --sizes 100 1000          # add 10000 with --sizes ... 10000

For each corpus size N the corpus is generated once (bench/corpus.py), then
every tool runs in repeated rounds, the tools alternating (the order rotates
each round so none always runs first or last).  In each round a tool gets a
fresh working directory and runs two timed steps, each as subprocesses:

* extract: sheets -> PO/POT files;
* rebuild: every msgstr filled with its msgid (identity translation, done by
  this script with polib, untimed), then PO -> sheets.

Each step reports wall time (median over rounds) and peak resident memory (the
largest maximum RSS of its processes, as GNU ``/usr/bin/time`` reports it).  A step that runs
past ``--timeout`` (600 s) is killed with its whole process group and reported
as "> 10 min"; the tool is then not run again at that or any larger N.

Fidelity is measured on the rebuilt sheets: how many are byte-identical to
the source, how many keep the front matter byte-identical, how many keep the
body (everything after the front matter) byte-identical.  l10n's build adds
provenance keys to the front matter (``language`` set to the target locale and
keys beginning with ``translation``), so for l10n those lines are dropped from
both sides before comparing the front matter, and "byte-identical" means body
identical and front matter identical apart from those lines.

l10n is also run a second time with nothing changed (update + build) and
that time is reported as a fraction of its first run.

Results are printed as tables and written as JSON (``--json``).
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import polib

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))
import corpus  # noqa: E402  (bench/ is not a package)

TIMEOUT_LABEL = "> 10 min"
GNU_TIME = "/usr/bin/time"
LOCALE = "es"


class BenchError(Exception):
    """A problem with the benchmark set-up itself (not with a tool under test)."""


# --------------------------------------------------------------------------- running


@dataclass
class Measured:
    """What one timed step cost: summed wall time, peak RSS, and how it ended."""

    wall: float = 0.0
    max_rss_kib: int = 0
    cpu: float = 0.0  # user + system seconds of the command and the children it waited for
    status: str = "ok"  # ok | timeout | failed
    detail: str = ""


def _tail(path: Path, lines: int = 12) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return "\n".join(text.rstrip().splitlines()[-lines:])


def _kill_group(pgid: int) -> None:
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(pgid, sig)
        except ProcessLookupError:
            return
        if sig == signal.SIGTERM:
            time.sleep(2)


def run_measured(argv: list[str], cwd: Path, log: Path, budget: float, env: dict[str, str]) -> Measured:
    """Run one command in its own process group; time it and read its peak RSS.

    The command runs under GNU ``/usr/bin/time``: Linux carries a process's
    high-water RSS across fork and exec, so a child forked straight from this
    (larger) Python process would report at least our own size; forked from
    the small ``time`` it reports its own.  A timer kills the whole group
    when the budget is spent, so nothing is left running behind us.
    """
    log.parent.mkdir(parents=True, exist_ok=True)
    rss_file = log.with_suffix(".rss")
    rss_file.unlink(missing_ok=True)
    with open(log, "ab") as out:
        out.write(("$ " + " ".join(argv) + "\n").encode())
        out.flush()
        start = time.perf_counter()
        try:
            proc = subprocess.Popen(
                [GNU_TIME, "-q", "-f", "%M %U %S", "-o", str(rss_file), *argv],
                cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=out,
                start_new_session=True, env=env,
            )
        except OSError as exc:
            return Measured(status="failed", detail=f"cannot start {argv[0]}: {exc}")
        timed_out = threading.Event()

        def on_timeout() -> None:
            timed_out.set()
            _kill_group(proc.pid)

        timer = threading.Timer(max(budget, 0.001), on_timeout)
        timer.daemon = True
        timer.start()
        try:
            _, status = os.waitpid(proc.pid, 0)
        except BaseException:  # KeyboardInterrupt included: never leave the tool running
            timer.cancel()
            _kill_group(proc.pid)
            proc.wait()
            raise
        wall = time.perf_counter() - start
        timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        # Anything the tool left behind in its group goes too.
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    try:
        rss, user, system = rss_file.read_text().split()[-3:]
        rss, cpu = int(rss), float(user) + float(system)
    except (OSError, ValueError):
        rss, cpu = 0, 0.0  # killed before time could write it
    m = Measured(wall=wall, max_rss_kib=rss, cpu=cpu)
    if timed_out.is_set():
        m.status = "timeout"
    elif proc.returncode != 0:
        m.status = "failed"
        m.detail = f"{Path(argv[0]).name} exited {proc.returncode}:\n{_tail(log)}"
    return m


def run_step(commands: list[tuple[list[str], Path]], log: Path, timeout: float, env: dict[str, str]) -> Measured:
    """Run a step's commands in order within one time budget; sum wall, max RSS."""
    total = Measured()
    for argv, cwd in commands:
        m = run_measured(argv, cwd, log, timeout - total.wall, env)
        total.wall += m.wall
        total.cpu += m.cpu
        total.max_rss_kib = max(total.max_rss_kib, m.max_rss_kib)
        if m.status != "ok":
            total.status, total.detail = m.status, m.detail
            break
    return total


# --------------------------------------------------------------------------- filling


def fill_identity(paths: list[Path], out_for: Callable[[Path], Path] | None = None) -> int:
    """Set every msgstr to its msgid (plural forms too) and drop fuzzy flags.

    Reads each PO/POT with polib and saves it in place, or to ``out_for(path)``.
    Returns the number of entries filled.
    """
    filled = 0
    for path in paths:
        po = polib.pofile(str(path), wrapwidth=0)
        for entry in po:
            if entry.obsolete:
                continue
            if entry.msgid_plural:
                entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
            else:
                entry.msgstr = entry.msgid
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None
            filled += 1
        target = out_for(path) if out_for else path
        target.parent.mkdir(parents=True, exist_ok=True)
        po.save(str(target))
    return filled


# --------------------------------------------------------------------------- tools


@dataclass
class Ctx:
    """Where one tool works in one round."""

    sheets: Path  # the shared, read-only corpus sheets
    corpus_dir: Path  # holds sheets/ and l10n.toml
    work: Path  # this tool's fresh directory for this round


class Tool:
    name = ""
    label = ""
    has_rebuild = True

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args

    def missing(self) -> str | None:
        """Why the tool cannot run here, or None."""
        return None

    def prepare(self, ctx: Ctx) -> None:
        """Untimed set-up in ``ctx.work``."""

    def extract(self, ctx: Ctx) -> list[tuple[list[str], Path]]:
        raise NotImplementedError

    def fill(self, ctx: Ctx) -> None:
        raise NotImplementedError

    def rebuild(self, ctx: Ctx) -> list[tuple[list[str], Path]]:
        raise NotImplementedError

    def output(self, ctx: Ctx, slug: str) -> Path:
        raise NotImplementedError

    def provenance_lines_ignored(self) -> bool:
        return False

    def version(self) -> str:
        return ""


def _exe_missing(path: Path, hint: str) -> str | None:
    if not (path.is_file() and os.access(path, os.X_OK)):
        return f"{path} not found ({hint})"
    return None


def _version_of(argv: list[str]) -> str:
    # Also the untimed warm-up: a Python tool writes its bytecode here, as its
    # first run on a user's machine does.  The timed runs set
    # PYTHONDONTWRITEBYTECODE, so without this a tool whose __pycache__ is
    # missing or older than its sources (a checkout just updated) would
    # compile every module from source in every timed run (for l10n, about
    # 100 ms of CPU a command here).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL, env=env)
    except (OSError, subprocess.TimeoutExpired):
        return "?"
    text = (out.stdout or out.stderr).strip().splitlines()
    return text[0].strip() if text else "?"


class L10n(Tool):
    name, label = "l10n", "l10n"

    @property
    def exe(self) -> Path:
        return Path(self.args.l10n)

    def missing(self) -> str | None:
        return _exe_missing(self.exe, "pip install -e . in the main venv, or pass --l10n PATH")

    def version(self) -> str:
        return _version_of([str(self.exe), "--version"])

    def prepare(self, ctx: Ctx) -> None:
        # l10n writes locales/ and build/ into its project, so it gets a copy.
        shutil.copytree(ctx.sheets, ctx.work / "sheets")
        shutil.copy2(ctx.corpus_dir / "l10n.toml", ctx.work / "l10n.toml")

    def _cmd(self, ctx: Ctx, *args: str) -> tuple[list[str], Path]:
        return [str(self.exe), "--project", str(ctx.work), *args], ctx.work

    def extract(self, ctx: Ctx):
        # 'update' writes each sheet's POT and merges it into the locale's PO
        # file in one pass: the one command a team runs after the English changed.
        return [self._cmd(ctx, "update", "--locale", LOCALE)]

    def fill(self, ctx: Ctx) -> None:
        pos = sorted((ctx.work / "locales" / LOCALE / "LC_MESSAGES").glob("*.po"))
        if not pos:
            raise BenchError(f"l10n update wrote no PO files under {ctx.work / 'locales' / LOCALE}")
        fill_identity(pos)

    def rebuild(self, ctx: Ctx):
        return [self._cmd(ctx, "build", "--locale", LOCALE)]

    def output(self, ctx: Ctx, slug: str) -> Path:
        return ctx.work / "build" / LOCALE / f"{slug}.md"

    def provenance_lines_ignored(self) -> bool:
        return True


class L10nRef(L10n):
    """Another l10n executable (say, an older commit) timed in the same rounds,
    so a regression can be told apart from a busier machine."""

    name, label = "l10n-ref", "l10n (--l10n-ref)"

    @property
    def exe(self) -> Path:
        return Path(self.args.l10n_ref or "")

    def missing(self) -> str | None:
        if not self.args.l10n_ref:
            return "no --l10n-ref PATH given"
        return _exe_missing(self.exe, "pass --l10n-ref PATH")


class Po4a(Tool):
    name, label = "po4a", "po4a"

    def missing(self) -> str | None:
        if shutil.which("po4a") is None:
            return "po4a not on PATH (run bash bench/setup.sh)"
        return None

    def version(self) -> str:
        return _version_of(["po4a", "--version"])

    def prepare(self, ctx: Ctx) -> None:
        # One po4a.cfg for the whole batch, one POT and one PO per language:
        # the way po4a is meant to be driven.
        lines = [
            f"[po4a_langs] {LOCALE}",
            "[po4a_paths] po/sheets.pot $lang:po/$lang.po",
            '[options] opt:"-o markdown -o yfm_keys=title"',
        ]
        for src in sorted(ctx.sheets.glob("*.md")):
            lines.append(f"[type: text] {src} $lang:out/$lang/{src.name}")
        (ctx.work / "po4a.cfg").write_text("\n".join(lines) + "\n", encoding="utf-8")

    def extract(self, ctx: Ctx):
        return [(["po4a", "--no-translations", "po4a.cfg"], ctx.work)]

    def fill(self, ctx: Ctx) -> None:
        fill_identity([ctx.work / "po" / f"{LOCALE}.po"])

    def rebuild(self, ctx: Ctx):
        return [(["po4a", "--no-update", "po4a.cfg"], ctx.work)]

    def output(self, ctx: Ctx, slug: str) -> Path:
        return ctx.work / "out" / LOCALE / f"{slug}.md"


class Mdpo(Tool):
    name, label = "mdpo", "mdpo"

    @property
    def python(self) -> Path:
        return BENCH / ".venv-mdpo" / "bin" / "python"

    def missing(self) -> str | None:
        return _exe_missing(self.python, "run bash bench/setup.sh")

    def version(self) -> str:
        return "mdpo " + _version_of([str(BENCH / ".venv-mdpo" / "bin" / "md2po"), "--version"])

    def extract(self, ctx: Ctx):
        return [([str(self.python), str(BENCH / "mdpo_batch.py"), "extract", str(ctx.sheets), "po"], ctx.work)]

    def fill(self, ctx: Ctx) -> None:
        fill_identity(sorted((ctx.work / "po").glob("*.po")))

    def rebuild(self, ctx: Ctx):
        return [([str(self.python), str(BENCH / "mdpo_batch.py"), "rebuild", str(ctx.sheets), "po", "out"], ctx.work)]

    def output(self, ctx: Ctx, slug: str) -> Path:
        return ctx.work / "out" / f"{slug}.md"


class MdpoCombined(Mdpo):
    """mdpo's ``md2po`` over the whole batch into one PO: extraction only."""

    name, label = "mdpo-combined", "mdpo, one PO"
    has_rebuild = False

    def extract(self, ctx: Ctx):
        md2po = str(BENCH / ".venv-mdpo" / "bin" / "md2po")
        return [([md2po, str(ctx.sheets / "*.md"), "--save", "-p", "all.po", "-q"], ctx.work)]


class TranslateToolkit(Tool):
    name, label = "tt", "Translate Toolkit"

    @property
    def bin(self) -> Path:
        return BENCH / ".venv-tt" / "bin"

    def missing(self) -> str | None:
        return _exe_missing(self.bin / "po2md", "run bash bench/setup.sh")

    def version(self) -> str:
        return "translate-toolkit " + _version_of([str(self.bin / "md2po"), "--version"]).split()[-1]

    def extract(self, ctx: Ctx):
        return [([str(self.bin / "md2po"), "-P", "-i", str(ctx.sheets), "-o", "pot"], ctx.work)]

    def fill(self, ctx: Ctx) -> None:
        pots = sorted((ctx.work / "pot").glob("*.pot"))
        fill_identity(pots, out_for=lambda p: ctx.work / "po" / (p.stem + ".po"))

    def rebuild(self, ctx: Ctx):
        return [([str(self.bin / "po2md"), "-i", "po", "-t", str(ctx.sheets), "-o", "out", "-m", "0"], ctx.work)]

    def output(self, ctx: Ctx, slug: str) -> Path:
        return ctx.work / "out" / f"{slug}.md"


TOOLS = {t.name: t for t in (L10n, L10nRef, Po4a, Mdpo, TranslateToolkit, MdpoCombined)}
DEFAULT_TOOLS = ["l10n", "po4a", "mdpo", "tt"]


# --------------------------------------------------------------------------- fidelity


def split_front_matter(data: bytes) -> tuple[bytes | None, bytes]:
    """Return (front matter including both ``---`` lines, body); (None, data) if none."""
    if not data.startswith(b"---\n"):
        return None, data
    end = data.find(b"\n---\n", 3)
    if end < 0:
        return None, data
    cut = end + len(b"\n---\n")
    return data[:cut], data[cut:]


def _drop_provenance(front: bytes) -> bytes:
    keep = [
        line for line in front.split(b"\n")
        if not (line.startswith(b"language:") or line.startswith(b"translation"))
    ]
    return b"\n".join(keep)


def fidelity(tool: Tool, ctx: Ctx, slugs: list[str]) -> dict[str, int]:
    counts = {"sheets": len(slugs), "written": 0, "identical": 0, "front_matter_kept": 0, "body_identical": 0}
    for slug in slugs:
        out = tool.output(ctx, slug)
        if not out.is_file():
            continue
        counts["written"] += 1
        src_front, src_body = split_front_matter((ctx.sheets / f"{slug}.md").read_bytes())
        got_front, got_body = split_front_matter(out.read_bytes())
        if tool.provenance_lines_ignored() and src_front is not None and got_front is not None:
            src_front, got_front = _drop_provenance(src_front), _drop_provenance(got_front)
        front_ok = src_front is not None and src_front == got_front
        body_ok = src_body == got_body
        counts["front_matter_kept"] += front_ok
        counts["body_identical"] += body_ok
        counts["identical"] += front_ok and body_ok
    return counts


# --------------------------------------------------------------------------- the run


@dataclass
class ToolResult:
    status: dict[str, str] = field(default_factory=lambda: {"extract": "not run", "rebuild": "not run"})
    walls: dict[str, list[float]] = field(default_factory=lambda: {"extract": [], "rebuild": []})
    cpus: dict[str, list[float]] = field(default_factory=lambda: {"extract": [], "rebuild": []})
    rss_kib: dict[str, int] = field(default_factory=lambda: {"extract": 0, "rebuild": 0})
    detail: str = ""
    fidelity: dict[str, int] | None = None
    second_run: list[float] = field(default_factory=list)  # l10n only: second/first ratio per round

    def median(self, step: str) -> float | None:
        return statistics.median(self.walls[step]) if self.walls[step] else None

    def as_json(self) -> dict:
        return {
            "status": self.status,
            "wall_seconds": self.walls,
            "median_seconds": {s: self.median(s) for s in self.walls},
            "cpu_seconds": self.cpus,
            "peak_rss_mib": {s: round(v / 1024, 1) for s, v in self.rss_kib.items()},
            "detail": self.detail,
            "fidelity": self.fidelity,
            "second_run_ratio": self.second_run,
        }


def _log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def bench_size(n: int, tools: list[Tool], args: argparse.Namespace, gave_up: dict[str, str], env) -> dict[str, ToolResult]:
    base = args.work / f"n{n}"
    if base.exists():
        shutil.rmtree(base)
    _log(f"== N={n}: generating corpus in {base}")
    sheets = corpus.write_corpus(n, base / "corpus")
    slugs = [s.slug for s in sheets]
    ctx_sheets = base / "corpus" / "sheets"
    results = {t.name: ToolResult() for t in tools}
    for t in tools:
        if t.name in gave_up:
            results[t.name].status = {"extract": gave_up[t.name], "rebuild": gave_up[t.name]}
            results[t.name].detail = "skipped: gave up at a smaller N"

    rounds = args.rounds if n < args.large else args.large_rounds
    active = [t for t in tools if t.name not in gave_up]
    for r in range(rounds):
        order = active[r % len(active):] + active[: r % len(active)] if active else []
        for tool in order:
            res = results[tool.name]
            if res.status["extract"] not in ("not run", "ok"):
                continue  # failed or timed out in an earlier round
            ctx = Ctx(sheets=ctx_sheets, corpus_dir=base / "corpus", work=base / f"r{r}" / tool.name)
            prev = base / f"r{r - 1}" / tool.name
            if prev.exists() and r > 0:
                shutil.rmtree(prev)  # keep only the latest round on disk
            ctx.work.mkdir(parents=True)
            log = ctx.work / "tool.log"
            tool.prepare(ctx)
            _log(f"   round {r + 1}/{rounds} {tool.label}: extract")
            m = run_step(tool.extract(ctx), log, args.timeout, env)
            if not _record(res, "extract", m, n, tool, gave_up):
                continue
            if not tool.has_rebuild:
                res.status["rebuild"] = "n/a"
                continue
            try:
                tool.fill(ctx)
            except (OSError, BenchError) as exc:
                res.status["rebuild"] = "failed"
                res.detail = f"identity fill failed: {exc}"
                continue
            _log(f"   round {r + 1}/{rounds} {tool.label}: rebuild")
            m = run_step(tool.rebuild(ctx), log, args.timeout, env)
            first = res.walls["extract"][-1] + m.wall
            if not _record(res, "rebuild", m, n, tool, gave_up):
                continue
            res.fidelity = fidelity(tool, ctx, slugs)
            if isinstance(tool, L10n):
                _log(f"   round {r + 1}/{rounds} {tool.label}: second run, nothing changed")
                again = run_step(tool.extract(ctx) + tool.rebuild(ctx), log, args.timeout, env)
                if again.status == "ok":
                    res.second_run.append(again.wall / first)
                else:
                    res.detail = f"second run {again.status}: {again.detail}"
    return results


def _record(res: ToolResult, step: str, m: Measured, n: int, tool: Tool, gave_up: dict[str, str]) -> bool:
    res.rss_kib[step] = max(res.rss_kib[step], m.max_rss_kib)
    if m.status == "ok":
        res.status[step] = "ok"
        res.walls[step].append(m.wall)
        res.cpus[step].append(m.cpu)
        return True
    if m.status == "timeout":
        res.status[step] = TIMEOUT_LABEL
        gave_up[tool.name] = f"{TIMEOUT_LABEL} at N={n}"
        _log(f"   {tool.label} {step}: {TIMEOUT_LABEL}, not run again at N >= {n}")
    else:
        res.status[step] = "failed"
        res.detail = m.detail
        _log(f"   {tool.label} {step} failed:\n" + _indent(m.detail))
    if step == "extract" and tool.has_rebuild:
        res.status["rebuild"] = "not run"
    return False


def _indent(text: str) -> str:
    return "\n".join("      " + line for line in text.splitlines())


# --------------------------------------------------------------------------- reporting


def _cell(res: ToolResult, step: str) -> str:
    med = res.median(step)
    if med is None:
        return res.status[step]
    cpu = statistics.median(res.cpus[step])
    return f"{med:7.2f} s {cpu:6.2f} s CPU {res.rss_kib[step] / 1024:4.0f} MiB"


def report(n: int, tools: list[Tool], results: dict[str, ToolResult], rounds: int, timeout: float) -> str:
    lines = [f"N = {n:,} sheets ({rounds} round(s), median wall time, median CPU time, peak RSS)", ""]
    lines.append(f"  {'tool':<20} {'extract':>30}   {'rebuild':>30}")
    for t in tools:
        res = results[t.name]
        lines.append(f"  {t.label:<20} {_cell(res, 'extract'):>30}   {_cell(res, 'rebuild'):>30}")
    for mine_name in ("l10n", "l10n-ref"):
        ours = results.get(mine_name)
        if ours is None:
            continue
        label = next(t.label for t in tools if t.name == mine_name)
        lines += ["", f"  {label}'s ratio (peer time / {label} time; > 1 means {label} is faster):"]
        for t in tools:
            if t.name == mine_name:
                continue
            cells = []
            for step in ("extract", "rebuild"):
                mine, theirs = ours.median(step), results[t.name].median(step)
                if mine is None:
                    cells.append(f"{step} n/a ({label} {ours.status[step]})")
                elif theirs is None:
                    status = results[t.name].status[step]
                    extra = f" (> {timeout / mine:.0f}x)" if status == TIMEOUT_LABEL else ""
                    cells.append(f"{step} {status}{extra}")
                else:
                    cells.append(f"{step} {theirs / mine:6.2f}x")
            lines.append(f"    vs {t.label:<18} " + "   ".join(cells))
        if ours.second_run:
            ratio = statistics.median(ours.second_run)
            lines += ["", f"  {label} second run, nothing changed: {ratio:.3f} of the first run's time"]
    lines += ["", "  Round-trip fidelity, identity translations (sheets out of N):"]
    lines.append(f"  {'tool':<20} {'written':>8} {'identical':>10} {'front matter':>13} {'body':>8}")
    for t in tools:
        f = results[t.name].fidelity
        if f is None:
            lines.append(f"  {t.label:<20} {'-':>8}")
            continue
        lines.append(
            f"  {t.label:<20} {f['written']:>8} {f['identical']:>10} {f['front_matter_kept']:>13} {f['body_identical']:>8}"
        )
    failed = [(t.label, results[t.name].detail) for t in tools if results[t.name].detail]
    for label, detail in failed:
        first, *rest = detail.splitlines() or [""]
        lines += ["", f"  {label}: {first}"] + [_indent(line) for line in rest]
    return "\n".join(lines)


def machine() -> dict[str, str]:
    info = {"platform": platform.platform(), "python": platform.python_version(), "cpus": str(os.cpu_count())}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        mem = Path("/proc/meminfo").read_text().split()[1]
        info["memory_gib"] = f"{int(mem) / 1024 / 1024:.1f}"
    except (OSError, IndexError, ValueError):
        pass
    try:
        info["os"] = dict(
            line.split("=", 1) for line in Path("/etc/os-release").read_text().splitlines() if "=" in line
        ).get("PRETTY_NAME", "").strip('"')
    except OSError:
        pass
    return info


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Time l10n against po4a, mdpo and Translate Toolkit on one generated corpus.",
        epilog="example: .venv/bin/python bench/run.py --sizes 100 1000",
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000], help="corpus sizes N (default 100 1000)")
    parser.add_argument("--tools", nargs="+", default=DEFAULT_TOOLS, choices=sorted(TOOLS),
                        help=f"tools to run (default {' '.join(DEFAULT_TOOLS)})")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per size (default 3)")
    parser.add_argument("--large", type=int, default=10000, help="sizes from this N up use --large-rounds")
    parser.add_argument("--large-rounds", type=int, default=1, help="rounds for large sizes (default 1)")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds per step before a tool is killed")
    parser.add_argument("--l10n", default=os.environ.get("L10N_EXE", str(REPO / ".venv" / "bin" / "l10n")),
                        help="l10n executable (default .venv/bin/l10n, or $L10N_EXE)")
    parser.add_argument("--l10n-ref", default=None,
                        help="a second l10n executable (e.g. an older commit), run as tool l10n-ref "
                        "when PATH is given; its ratio to l10n is printed too")
    parser.add_argument("--work", type=Path, default=BENCH / ".work", help="scratch directory (default bench/.work)")
    parser.add_argument("--json", type=Path, default=None, help="results file (default WORK/results.json)")
    args = parser.parse_args(argv)
    if args.rounds < 1 or args.large_rounds < 1:
        parser.error("rounds must be at least 1")
    args.work = args.work.resolve()
    args.json = args.json or args.work / "results.json"

    tools: list[Tool] = []
    unavailable: dict[str, str] = {}
    names = list(args.tools) + (["l10n-ref"] if args.l10n_ref else [])
    for name in dict.fromkeys(names):
        tool = TOOLS[name](args)
        tools.append(tool)
        why = tool.missing()
        if why:
            unavailable[name] = why
            _log(f"{tool.label}: not available: {why}")

    if not os.access(GNU_TIME, os.X_OK):
        raise BenchError(f"{GNU_TIME} not found: apt-get install time (bench/setup.sh does)")
    env = dict(os.environ, LC_ALL="C.UTF-8", LANG="C.UTF-8", PYTHONDONTWRITEBYTECODE="1")
    versions = {t.name: (t.version() if t.name not in unavailable else "") for t in tools}
    gave_up: dict[str, str] = {name: "failed" for name in unavailable}
    out = {
        "date": _dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "command": "python bench/run.py " + " ".join(sys.argv[1:] if argv is None else argv),
        "machine": machine(),
        "versions": versions,
        "timeout_seconds": args.timeout,
        "sizes": {},
    }
    texts = []
    for n in args.sizes:
        results = bench_size(n, tools, args, gave_up, env)
        for name, why in unavailable.items():
            results[name].detail = why
        rounds = args.rounds if n < args.large else args.large_rounds
        text = report(n, tools, results, rounds, args.timeout)
        texts.append(text)
        print(text + "\n", flush=True)
        out["sizes"][str(n)] = {"rounds": rounds, "tools": {name: r.as_json() for name, r in results.items()}}
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(f"machine: {out['machine']}\nversions: {versions}\nresults: {args.json}")
    return 0


def _interrupt(signum: int, frame: object) -> None:
    # SIGTERM (e.g. from `timeout` or CI) takes the KeyboardInterrupt path, which
    # kills the running tool's process group instead of orphaning it.
    raise KeyboardInterrupt


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        sys.exit(main())
    except BenchError as exc:
        print(f"bench: {exc}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
