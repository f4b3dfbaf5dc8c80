"""Pretranslation benchmark: workflow throughput per engine against the engine's raw speed.

    .venv/bin/python bench/pretranslate.py --count 300 [--argos-tiny] [--out bench/.work/pretranslate]

On a corpus of COUNT sheets from bench/corpus.py (the seeds first, then
synthetic sheets in their layout), for each available engine:

1. extract + update a fresh copy of the corpus;
2. *review* the seed sheets: pretranslate them and accept the output as
   reviewed, as translators would after correcting it, so the memory has
   something to serve;
3. time ``pretranslate`` over all sheets, once with no memory at all (the
   engine does everything) and once with the memory (cold engine cache), recording every
   batch the engine got and the time it spent on it;
4. in the same run, time the bare engine on exactly those batches again.

Reported per engine: strings filled per second by the workflow, the engine's
raw strings per second on the same strings, the workflow/engine time ratio
(the overhead of masking, memory, checks and PO I/O), and the share of strings
served by memory.  ``--argos-tiny`` installs the random-weight test package
into a temporary ARGOS_PACKAGES_DIR (nonsense output; a speed floor only).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from corpus import write_corpus  # noqa: E402

from l10n import workflow  # noqa: E402
from l10n.catalog import read_catalog, write_catalog  # noqa: E402
from l10n.config import load_config  # noqa: E402
from l10n.engines import Engine, EngineUnavailable, find_engine  # noqa: E402
from l10n.pretranslate import pretranslate  # noqa: E402


class Recording(Engine):
    """Passes batches to a real engine and remembers them with the time they took."""

    def __init__(self, inner: Engine):
        self.inner, self.name, self.version = inner, inner.name, inner.version
        self.batches: list[list[str]] = []
        self.seconds = 0.0

    def translate(self, texts):
        start = time.perf_counter()
        out = self.inner.translate(texts)
        self.seconds += time.perf_counter() - start
        self.batches.append(list(texts))
        return out


def _accept_drafts(config, slugs) -> int:
    """Mark the seed sheets' drafts reviewed (what a translator does after correcting them)."""
    count = 0
    for slug in slugs:
        path = config.catalog_path("es", slug)
        catalog = read_catalog(path)
        for entry in catalog:
            if entry.msgstr and not entry.obsolete and "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
                count += 1
        write_catalog(catalog, path)
    return count


def bench_engine(name: str, corpus: Path, work: Path, use_memory: bool = True) -> dict:
    project = work / f"{name}-{'memory' if use_memory else 'engine-only'}"
    shutil.rmtree(project, ignore_errors=True)
    shutil.copytree(corpus, project)
    config = load_config(project)
    sources = workflow.select_sources(config)
    for report in (workflow.extract(config, sources), workflow.update(config, "es", sources)):
        if not report.ok:
            raise SystemExit(f"setup failed: {report.problems[0]}")
    engine = find_engine(name, "en", "es")
    reviewed = 0
    if use_memory:
        seeds = [p for p in sources if (HERE.parent / "seeds" / p.name).exists()]
        pretranslate(config, "es", seeds, engine)
        reviewed = _accept_drafts(config, [p.stem for p in seeds])
        (project / ".l10n" / "memory.sqlite").unlink()  # cold engine cache; memory rebuilt from the PO files

    recording = Recording(engine)
    start = time.perf_counter()
    report = pretranslate(config, "es", sources, recording, use_memory=use_memory)
    wall = time.perf_counter() - start
    totals = report.totals
    engine_strings = sum(len(b) for b in recording.batches)

    start = time.perf_counter()
    for batch in recording.batches:  # the same strings, the same batches, nothing else
        engine.translate(batch)
    raw = time.perf_counter() - start
    engine.close()

    memory = sum(v for k, v in totals.items() if k.startswith("memory ") and k != "memory units")
    filled = sum(v for k, v in totals.items() if k in (name, "glossary") or (k.startswith("memory ") and k != "memory units"))
    empty = sum(v for k, v in totals.items() if k.startswith("empty"))
    considered = filled + empty
    return {
        "engine": engine.label,
        "memory": use_memory,
        "sheets": len(sources),
        "strings considered": considered,
        "reviewed seeds in memory": reviewed,
        "filled": filled,
        "from memory": memory,
        "memory share": round(memory / considered, 3) if considered else 0,
        "from engine": totals.get(name, 0),
        "glossary only": totals.get("glossary", 0),
        "left empty": empty,
        "engine strings (unique masked pieces)": engine_strings,
        "engine batches": len(recording.batches),
        "workflow seconds": round(wall, 2),
        "engine seconds inside workflow": round(recording.seconds, 2),
        "raw engine seconds, same batches": round(raw, 2),
        "workflow strings/s": round(considered / wall, 1),
        "raw engine strings/s": round(engine_strings / raw, 1) if raw else None,
        "workflow/raw time ratio": round(wall / raw, 2) if raw else None,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog="example: .venv/bin/python bench/pretranslate.py --count 300")
    parser.add_argument("--count", type=int, default=300, help="sheets in the corpus (default 300)")
    parser.add_argument("--out", type=Path, default=HERE / ".work" / "pretranslate")
    parser.add_argument("--engines", default="apertium,argos", help="comma-separated (default apertium,argos)")
    parser.add_argument("--argos-tiny", action="store_true", help="use the random-weight test package for argos")
    args = parser.parse_args(argv)
    corpus = args.out / f"corpus-{args.count}"
    if not (corpus / "sheets").is_dir():
        write_corpus(args.count, corpus)
    if args.argos_tiny:
        sys.path.insert(0, str(HERE.parent / "tests"))
        from argos_tiny import build_package

        from l10n.engines import argos

        os.environ["ARGOS_PACKAGES_DIR"] = tempfile.mkdtemp(prefix="argos-bench-")
        argos.install(build_package(Path(os.environ["ARGOS_PACKAGES_DIR"]) / "tiny.argosmodel"))
    results = []
    for name in args.engines.split(","):
        try:
            for use_memory in (False, True):
                results.append(bench_engine(name.strip(), corpus, args.out, use_memory))
        except EngineUnavailable as err:
            print(f"{name}: skipped ({err.message})", file=sys.stderr)
    (args.out / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    for result in results:
        print(f"\n## {result['engine']}, {'with memory' if result['memory'] else 'engine only (no memory)'}")
        for key, value in result.items():
            print(f"  {key:40} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
