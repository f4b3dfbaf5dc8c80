"""Shared fixtures: a throw-away project made from the seeds, and real gettext tools."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
CASES = Path(__file__).resolve().parent / "cases"

PROJECT_CONFIG = """\
source = "seeds"
source-locale = "en"
locales = ["es", "fr"]
front-matter-keys = ["title"]
"""


def require_tool(name: str) -> str:
    """A real external tool that scripts/bootstrap.sh installs (msgfmt, apertium, chromium).

    Missing, the test fails: the README's test command installs it, so its
    absence is a broken set-up, not a reason to pass quietly.  A developer
    without root can set L10N_ALLOW_MISSING_TOOLS=1 to skip instead.
    """
    path = shutil.which(name)
    if path is None:
        if os.environ.get("L10N_ALLOW_MISSING_TOOLS") == "1":
            pytest.skip(f"{name} is not installed (L10N_ALLOW_MISSING_TOOLS=1)")
        pytest.fail(f"{name} is not installed; run scripts/bootstrap.sh as root (or set L10N_ALLOW_MISSING_TOOLS=1)")
    return path


def msgfmt_check(path: Path) -> str:
    """Run GNU msgfmt -c on a PO/POT file; fail the test on any error. Returns its stderr."""
    msgfmt = require_tool("msgfmt")
    done = subprocess.run([msgfmt, "-c", "-o", os.devnull, str(path)], capture_output=True, text=True)
    assert done.returncode == 0, f"msgfmt -c {path}:\n{done.stderr}"
    return done.stderr


@pytest.fixture(scope="module")
def apertium():
    """The real Apertium English-Spanish engine (scripts/bootstrap.sh installs it)."""
    from l10n.engines import EngineUnavailable, find_engine

    require_tool("apertium")
    try:
        return find_engine("apertium", "en", "es")
    except EngineUnavailable as err:
        pytest.fail(f"apertium-eng-spa should be installed (scripts/bootstrap.sh): {err}")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project folder with the four seed sheets and an l10n.toml (locales es and fr)."""
    shutil.copytree(SEEDS, tmp_path / "seeds")
    (tmp_path / "l10n.toml").write_text(PROJECT_CONFIG)
    return tmp_path


def run_l10n(project: Path, *args: str, check: bool = False) -> subprocess.CompletedProcess:
    """The real command line, in a subprocess, as a user would run it."""
    done = subprocess.run(
        [sys.executable, "-m", "l10n", "-C", str(project), *args],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    if check:
        assert done.returncode == 0, f"l10n {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done


def prepare_for_release(project: Path) -> None:
    """The committed Spanish ui.po (the pages' own words) in place, then templates and PO files."""
    ui_po = project / "locales" / "es" / "LC_MESSAGES" / "ui.po"
    ui_po.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "locales" / "es" / "LC_MESSAGES" / "ui.po", ui_po)
    run_l10n(project, "extract", check=True)
    run_l10n(project, "update", check=True)


def edit_entries(po_path: Path, change) -> None:
    """Apply ``change`` to every active entry of a PO file, as a translator's editor would save it."""
    catalog = polib.pofile(str(po_path))
    for entry in catalog:
        if entry.msgid and not entry.obsolete:
            change(entry)
    catalog.save()


def prepare(project: Path, locale: str = "es") -> None:
    """Templates and empty PO files, as a translator first receives them (no pretranslation)."""
    run_l10n(project, "extract", check=True)
    run_l10n(project, "update", "--locale", locale, check=True)
    run_l10n(project, "build", "--locale", locale, check=True)


def fill_identity(po_path: Path) -> None:
    """Translate every entry with its own msgid, as a reviewed translation."""
    catalog = polib.pofile(str(po_path))
    for entry in catalog:
        if not entry.obsolete:
            entry.msgstr = entry.msgid
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
    catalog.save()


def set_entries(po_path: Path, changes: dict, previous=lambda msgid: "FDA approved", wrapwidth: int = 78) -> None:
    """Give entries (by msgid) a translation of a kind, as the workflow or a translator would leave it.

    A value is the msgstr (reviewed) or ``(msgstr, kind)`` with kind one of
    reviewed, machine, memory (fuzzy with l10n's comment) or changed (fuzzy
    with ``previous(msgid)`` as the previous English).
    """
    catalog = polib.pofile(str(po_path), wrapwidth=wrapwidth)
    for entry in catalog:
        if entry.msgid not in changes:
            continue
        value = changes[entry.msgid]
        entry.msgstr, kind = value if isinstance(value, tuple) else (value, "reviewed")
        entry.flags = [] if kind == "reviewed" else ["fuzzy"]
        if kind == "machine":
            entry.tcomment = "l10n: machine apertium 3.8.3"
        elif kind == "memory":
            entry.tcomment = "l10n: memory 92% from seeds/bortezomib.md"
        elif kind == "changed":
            entry.previous_msgid = previous(entry.msgid)
    catalog.save()


def png_colors(path: Path) -> Counter[tuple[int, int, int]]:
    """How many pixels of each RGB colour a PNG screenshot has (8-bit RGB or RGBA, as Chromium writes).

    The standard library's zlib and the PNG filters undone by hand: enough to
    compare a screenshot with an expectation (a banner's colour is there, the
    page is not blank) without an imaging library.
    """
    import struct
    import zlib

    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    width, height, depth, colour_type, _, _, interlace = header
    assert depth == 8 and colour_type in (2, 6) and interlace == 0, f"unexpected PNG format {header}"
    channels = 3 if colour_type == 2 else 4
    stride = width * channels
    raw = zlib.decompress(idat)
    previous = bytearray(stride)
    colours: Counter = Counter()
    for row in range(height):
        kind, line = raw[row * (stride + 1)], bytearray(raw[row * (stride + 1) + 1:(row + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up, up_left = previous[i], previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - up_left
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - up_left)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else up_left)) & 0xFF
        colours.update(tuple(line[i:i + 3]) for i in range(0, stride, channels))
        previous = line
    return colours
