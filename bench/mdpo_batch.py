"""Run mdpo's own ``md2po`` / ``po2md -w 0`` command lines over many sheets in one process.

Run with the mdpo virtual environment's Python (bench/.venv-mdpo), by bench/run.py:

    python bench/mdpo_batch.py extract SHEETS_DIR PO_DIR
    python bench/mdpo_batch.py rebuild SHEETS_DIR PO_DIR OUT_DIR

Each sheet gets its own PO file, exactly as if one ran, per sheet,

    md2po SHEET --save -p PO_DIR/<slug>.po -q
    po2md SHEET -p PO_DIR/<slug>.po -s OUT_DIR/<slug>.md -w 0 -q

but through mdpo's command-line entry points (``mdpo.md2po.__main__.run``,
``mdpo.po2md.__main__.run``) in one interpreter, so the figures measure mdpo's
work rather than N interpreter start-ups.  One combined PO for the whole batch
(``md2po 'SHEETS/*.md' --save -p all.po``) is the other way to drive mdpo; it
grows quadratically with N (run.py's ``mdpo-combined`` tool measures it).
"""

from __future__ import annotations

import sys
from pathlib import Path


def _extract(sheets: Path, po_dir: Path) -> int:
    from mdpo.md2po.__main__ import run

    po_dir.mkdir(parents=True, exist_ok=True)
    worst = 0
    for src in sorted(sheets.glob("*.md")):
        _, code = run([str(src), "--save", "-p", str(po_dir / f"{src.stem}.po"), "-q"])
        worst = max(worst, code)
    return worst


def _rebuild(sheets: Path, po_dir: Path, out_dir: Path) -> int:
    from mdpo.po2md.__main__ import run

    out_dir.mkdir(parents=True, exist_ok=True)
    worst = 0
    for src in sorted(sheets.glob("*.md")):
        args = [str(src), "-p", str(po_dir / f"{src.stem}.po"),
                "-s", str(out_dir / src.name), "-w", "0", "-q"]
        _, code = run(args)
        worst = max(worst, code)
    return worst


def main(argv: list[str]) -> int:
    if len(argv) == 3 and argv[0] == "extract":
        return _extract(Path(argv[1]), Path(argv[2]))
    if len(argv) == 4 and argv[0] == "rebuild":
        return _rebuild(Path(argv[1]), Path(argv[2]), Path(argv[3]))
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
