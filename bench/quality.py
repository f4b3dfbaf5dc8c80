"""Quality benchmark: how good are the machine drafts, stage by stage?

    .venv/bin/python bench/quality.py [--split held-out|dev|all] [--data DIR] [--dump FILE]
    .venv/bin/python bench/quality.py --seeds

Scores pretranslation of NCI Dictionary of Cancer Terms definitions against
NCI's own Spanish (``nci-terms-dev.jsonl``, read from ``../shared/data/``
beside the repository, or ``--data``; never copied into the repository) with
sacrebleu's corpus-level chrF2 and BLEU.  The set is split by ``termId``:
even ids are for development (look at them, tune rules on them), odd ids are
held out and reported.  Rows:

* raw Apertium (``apertium -u eng-spa``, no l10n at all);
* l10n as it was before issue 14 (every glossary term masked, no domain data);
* that plus each stage on its own: word choice, post-edit, masks only where
  needed; then everything (what ``l10n pretranslate`` does).

The glossary is the project's ``locales/es/glossary.csv``.

``--seeds`` instead pretranslates the four seed sheets (a temporary copy, with
the project's glossary) the old way and the new way, and counts the error
kinds issue 14 lists in the drafts.  ``--dump`` writes
source, reference and every row's output as JSON lines (outside the
repository, please: it holds NCI's text).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from l10n.drafting import Request, Stages, machine_drafts  # noqa: E402
from l10n.engines import apertium  # noqa: E402
from l10n.glossary import protection, read_glossary  # noqa: E402


def find_data(given: str | None) -> Path:
    candidates = [Path(given)] if given else [ROOT.parent / "shared" / "data", ROOT.parent.parent / "shared" / "data"]
    for folder in candidates:
        if (folder / "nci-terms-dev.jsonl").is_file():
            return folder / "nci-terms-dev.jsonl"
    sys.exit(f"nci-terms-dev.jsonl not found in {', '.join(map(str, candidates))} (use --data DIR)")


def load(path: Path, split: str) -> list[dict]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = [r for r in rows if r.get("en_definition") and r.get("es_definition")]
    if split == "dev":
        return [r for r in rows if r["termId"] % 2 == 0]
    if split == "held-out":
        return [r for r in rows if r["termId"] % 2 == 1]
    return rows


def configurations():
    """(row name, engine options, drafting stages or None for the bare engine)."""
    old = Stages(needed_masks=False, headings=False, names=False)
    return [
        ("raw Apertium (`apertium -u eng-spa`)", dict(word_choice=False, post_edit=False), None),
        ("l10n before issue 14 (all glossary terms masked, no domain data)", dict(word_choice=False, post_edit=False), old),
        ("+ word choice only", dict(word_choice=True, post_edit=False), old),
        ("+ post-edit only", dict(word_choice=False, post_edit=True), old),
        ("+ masks only where needed only", dict(word_choice=False, post_edit=False), Stages()),
        ("bare engine with word choice + post-edit (no masking)", dict(word_choice=True, post_edit=True), None),
        ("**l10n now: all stages**", dict(word_choice=True, post_edit=True), Stages()),
    ]


# Error kinds of issue 14, as they show in drafts: (kind, regex).
ERRORS = [
    ("wrong sense", r"aproximadamente|búsqueda|\bceldas?\b|\bcapas?\b|\btacha|\bpruebas?\b|AUTOMOVIL|[Nn]arr[óa]"),
    ("grammar around masks", r"\besta medicamento|\botro medicamentos|\baquello\b|pulmón cáncer|FDA está|NCI lista"
                             r"|\b[A-Z]\w+ Está\b"),
    ("Title Case heading", r"^(?:\S+ )+?(?:Aproximadamente|Apuntado|Aceptando|Relacionó|Narró|Recursos|Cáncer)\b"),
    ("tú / vosotros", r"\b(?:tendrías|vuestr[oa]s?|tienes|puedes|Toma|Pedir su|Decir su)\b"),
    ("English left in", r"\b(?:[Rr]elapsed|proteasome|inhibitor|immunomodulating)\b"),
    # The second pass on issue 14 (what a reader of the drafts still saw after the first).
    ("ser/estar, sólo, stranded preposition, el siguiente",
     r"\b(?:[Ee]s|[Ss]on) (?:sólo |solo )?disponibles?\b|\b[Ss]ólo\b|\bel siguiente:|\bqué [^,.]* se usan? para\b"
     r"|aprobad[oa]s para\.|\botro que\b"),
    ("agreement (que puede after a plural, uno o más otras, cuyo ... -ieron)",
     r"\b\w+s que puede interac|\buno (?:o más|a \w+) otras\b|\b[Cc]uyo \w+ no \w+ieron\b|especial que se llaman"),
    ("capital inside a sentence (científica Detallada, Daratumumab Y)",
     r"científica Detallada|\b[A-Z]\w+ Y \w|(?<=[a-z] )(?:Es|Está|Las|Los)\b"),
    ("word for word (impedir, interaccionar, unapproved, hyaluronidase, mucho de la, como la parte, Placeholder Hueco)",
     r"\bimpedir\b|\binteraccionar\b|\bunapproved\b|\bhyaluronidase\b|\b[Mm]ucho de la\b|\bcomo la parte de\b"
     r"|Placeholder Hueco"),
]


def seed_errors() -> None:
    import re
    import tempfile

    from l10n.config import load_config
    from l10n.pretranslate import pretranslate
    from l10n.workflow import select_sources

    program = apertium.shutil.which("apertium")
    domain = apertium.load_domain("eng-spa")
    ways = [("before (all terms masked, no domain data)", dict(word_choice=False, post_edit=False),
             Stages(needed_masks=False, headings=False, names=False)),
            ("now (all stages)", dict(), Stages())]
    print("| error kind | " + " | ".join(name for name, _, _ in ways) + " |")
    print("| --- |" + " ---: |" * len(ways))
    counts = {}
    for name, options, stages in ways:
        with tempfile.TemporaryDirectory() as folder:
            project = Path(folder)
            shutil.copytree(ROOT / "seeds", project / "seeds")
            (project / "locales" / "es").mkdir(parents=True)
            shutil.copy(ROOT / "locales" / "es" / "glossary.csv", project / "locales" / "es" / "glossary.csv")
            (project / "l10n.toml").write_text('source = "seeds"\nsource-locale = "en"\nlocales = ["es"]\n'
                                               'front-matter-keys = ["title"]\n')
            for command in (["extract"], ["update", "--locale", "es"]):
                subprocess.run([sys.executable, "-m", "l10n", "-C", str(project), *command], check=True,
                               capture_output=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
            config = load_config(project)
            engine = apertium.ApertiumEngine(program, "eng-spa", domain, **options)
            pretranslate(config, "es", select_sources(config), engine, use_memory=False, stages=stages)
            import polib

            drafts = [e.msgstr for path in sorted((project / "locales" / "es" / "LC_MESSAGES").glob("*.po"))
                      for e in polib.pofile(str(path)) if e.msgstr]
        counts[name] = {kind: sum(len(re.findall(rx, d, re.MULTILINE)) for d in drafts) for kind, rx in ERRORS}
    for kind, _ in ERRORS:
        print(f"| {kind} | " + " | ".join(str(counts[name][kind]) for name, _, _ in ways) + " |")


def main(argv=None) -> int:
    import sacrebleu

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=("held-out", "dev", "all"), default="held-out")
    parser.add_argument("--data", help="folder holding nci-terms-dev.jsonl (default ../shared/data)")
    parser.add_argument("--dump", help="write every output as JSON lines here (keep it out of the repository)")
    parser.add_argument("--seeds", action="store_true", help="count issue 14's error kinds in the seeds' drafts instead")
    args = parser.parse_args(argv)
    if args.seeds:
        seed_errors()
        return 0

    rows = load(find_data(args.data), args.split)
    sources = [r["en_definition"] for r in rows]
    references = [r["es_definition"] for r in rows]
    glossary = read_glossary(ROOT / "locales" / "es" / "glossary.csv")
    shield = protection(glossary, ())
    domain = apertium.load_domain("eng-spa")
    program = apertium.shutil.which("apertium")
    if program is None:
        sys.exit("apertium is not installed (scripts/bootstrap.sh)")

    print(f"{len(rows)} definitions ({args.split} split), glossary {len(glossary.terms)} terms,"
          f" domain data {domain.fingerprint if domain else 'none'}\n")
    print("| pipeline | chrF2 | BLEU | empty |")
    print("| --- | ---: | ---: | ---: |")
    dumped = [{"termId": r["termId"], "en": s, "ref": t} for r, s, t in zip(rows, sources, references)]
    for name, options, stages in configurations():
        engine = apertium.ApertiumEngine(program, "eng-spa", domain, **options)
        if stages is None:
            outputs = engine.translate(sources)
        else:
            drafts = machine_drafts(engine, [Request(s, shield) for s in sources], totals=Counter(), stages=stages)
            outputs = [d.text or "" for d in drafts]
        chrf = sacrebleu.corpus_chrf(outputs, [references]).score
        bleu = sacrebleu.corpus_bleu(outputs, [references]).score
        empty = sum(1 for o in outputs if not o.strip())
        print(f"| {name} | {chrf:.1f} | {bleu:.1f} | {empty} |", flush=True)
        for item, output in zip(dumped, outputs):
            item[name] = output
    if args.dump:
        with open(args.dump, "w", encoding="utf-8") as out:
            for item in dumped:
                out.write(json.dumps(item, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
