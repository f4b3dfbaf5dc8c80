"""Translation memory: reuse reviewed translations before any engine runs.

The memory lives in an SQLite file under the project (``.l10n/memory.sqlite``
by default; git-ignored).  It is never the only copy of anything:

* the units from the PO files are replaced by what the PO files say now each
  time :meth:`Memory.sync` runs (only *reviewed* entries: translated, not
  fuzzy), so deleting the file loses nothing;
* units imported from a TMX file keep the file's name as their origin and can
  be imported again from it;
* the engine cache (one row per engine, version and masked text) only saves
  engine calls: a second run with nothing changed makes none.

:class:`MemoryIndex` answers three kinds of match, best first:

``exact``
    the same English text was reviewed somewhere: reused as reviewed.
``placeables``
    the English differs only in placeables -- drug and brand names, numbers --
    (``... about bortezomib and ...`` against the reviewed ``... about
    carfilzomib and ...``): the reviewed translation with those parts
    substituted, as fuzzy.  Link targets never differ in a msgid (``[N]``).
``fuzzy``
    a similar English text (rapidfuzz ratio at or above the threshold): its
    translation, as fuzzy, with the score.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Mapping, Sequence

from rapidfuzz import fuzz, process

from . import __version__
from .errors import L10nError
from .files import write_text_atomic
from .masking import _terms_pattern

__all__ = ["Unit", "Match", "Memory", "MemoryIndex", "MemoryFileError", "skeleton", "FUZZY_THRESHOLD"]

FUZZY_THRESHOLD = 75  # rapidfuzz ratio (0-100) at or above which a near match is offered
_MIN_FUZZY_LENGTH = 12  # "Yes" vs "Yet" scores 67 and means nothing
_SCHEMA = 1
_NUMBER = re.compile(r"(?<![\w\[{.,])\d+(?:[.,]\d+)*(?![\w\]}])")
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


class MemoryFileError(L10nError):
    """The memory file or a TMX file cannot be read or written."""


@dataclass(frozen=True)
class Unit:
    """One reviewed translation: English ``source``, ``target``, and where it came from."""

    source: str
    target: str
    origin: str
    terms: tuple[str, ...] = ()  # the origin sheet's do-not-translate terms


@dataclass(frozen=True)
class Match:
    kind: str  # exact | placeables | fuzzy
    target: str
    origin: str
    score: int = 100

    @property
    def comment(self) -> str:
        """The translator comment that records where the translation came from."""
        how = {"exact": "exact", "placeables": "placeables"}.get(self.kind, f"{self.score}%")
        return f"l10n: memory {how} from {self.origin}"


def skeleton(text: str, terms: Sequence[str]) -> tuple[str, tuple[str, ...]]:
    """``text`` with placeables (terms, numbers) replaced by slots, and the placeables in order.

    >>> skeleton("About carfilzomib, 20 mg and [x][1].", ["Carfilzomib"])
    ('About \\x00, \\x00 mg and [x][1].', ('carfilzomib', '20'))
    """
    pattern = _terms_pattern(tuple(sorted({t.lower() for t in terms}, key=lambda t: (-len(t), t))))
    spans = [(m.start(), m.end()) for m in pattern.finditer(text)] if pattern else []
    for m in _NUMBER.finditer(text):
        if not any(a < m.end() and m.start() < b for a, b in spans):
            spans.append((m.start(), m.end()))
    spans.sort()
    out, found, cursor = [], [], 0
    for start, end in spans:
        out.append(text[cursor:start] + "\x00")
        found.append(text[start:end])
        cursor = end
    out.append(text[cursor:])
    return "".join(out), tuple(found)


def _substitute(target: str, old: Sequence[str], new: Sequence[str]) -> str | None:
    """``target`` with each old placeable replaced by the new one, or None if that is unsafe."""
    mapping: dict[str, str] = {}
    for a, b in zip(old, new):
        if mapping.setdefault(a.lower(), b) != b and mapping[a.lower()].lower() != b.lower():
            return None  # one old name would have to become two different new ones
    changes = {a: b for a, b in mapping.items() if a != b.lower()}
    if not changes:
        return target
    pattern = re.compile(
        r"(?<![\w-])(?:" + "|".join(re.escape(a) for a in sorted(changes, key=len, reverse=True)) + r")(?![\w-])",
        re.IGNORECASE,
    )
    seen: set[str] = set()

    def swap(match: re.Match) -> str:
        found = match.group()
        seen.add(found.lower())
        replacement = changes[found.lower()]
        if found[:1].isupper():
            return replacement[:1].upper() + replacement[1:]
        if found[:1].islower() and not replacement[1:2].isupper():
            return replacement[:1].lower() + replacement[1:]
        return replacement

    result = pattern.sub(swap, target)
    # Every changed placeable must have been found: a translation that says
    # "este medicamento" instead of the name cannot be reused blindly.
    return result if seen == set(changes) else None


class MemoryIndex:
    """Reviewed units of one locale, ready for matching."""

    def __init__(self, units: Iterable[Unit], glossary_terms: Sequence[str] = (), threshold: int = FUZZY_THRESHOLD):
        self.threshold = threshold
        self.glossary_terms = tuple(glossary_terms)
        self.exact: dict[str, list[Unit]] = {}
        self.shapes: dict[str, list[tuple[Unit, tuple[str, ...]]]] = {}
        for unit in units:
            self.exact.setdefault(unit.source, []).append(unit)
            shape, placeables = skeleton(unit.source, unit.terms + self.glossary_terms)
            if placeables:
                self.shapes.setdefault(shape, []).append((unit, placeables))
        self.sources = list(self.exact)

    def __len__(self) -> int:
        return sum(len(units) for units in self.exact.values())

    @staticmethod
    def _best(units: list[Unit]) -> Unit:
        """The most common translation; ties go to the first origin by name, for stable output."""
        counts = Counter(u.target for u in units)
        return min(units, key=lambda u: (-counts[u.target], u.origin, u.target))

    def lookup(self, text: str, terms: Sequence[str] = (), accept: Callable[[str], bool] = lambda _: True) -> Match | None:
        """The best match for ``text`` whose translation ``accept`` takes (e.g. it renders)."""
        if text in self.exact:
            unit = self._best(self.exact[text])
            if accept(unit.target):
                return Match("exact", unit.target, unit.origin)
        shape, placeables = skeleton(text, tuple(terms) + self.glossary_terms)
        for unit, old in sorted(self.shapes.get(shape, ()), key=lambda pair: pair[0].origin):
            target = _substitute(unit.target, old, placeables)
            if target is not None and accept(target):
                return Match("placeables", target, unit.origin, 100)
        if len(text) < _MIN_FUZZY_LENGTH or not self.sources:
            return None
        for source, score, _ in process.extract(
            text, self.sources, scorer=fuzz.ratio, score_cutoff=self.threshold, limit=5
        ):
            if source == text:
                continue
            unit = self._best(self.exact[source])
            # A near match about another drug must not bring that drug's name
            # (or dose) along: its placeables are substituted, or it is passed over.
            _, old = skeleton(unit.source, unit.terms + self.glossary_terms)
            _, new = skeleton(text, tuple(terms) + unit.terms + self.glossary_terms)
            target = unit.target
            if [p.lower() for p in old] != [p.lower() for p in new]:
                target = _substitute(unit.target, old, new) if len(old) == len(new) else None
            if target is not None and accept(target):
                return Match("fuzzy", target, unit.origin, int(score))
        return None


class Memory:
    """The SQLite file: reviewed units per locale, plus the engine cache."""

    def __init__(self, path: str | os.PathLike, display: str | None = None):
        self.path = Path(path)
        self.display = display or str(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite3.connect(self.path)
            self.db.executescript(
                """
                CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
                CREATE TABLE IF NOT EXISTS units (
                    locale TEXT NOT NULL, source TEXT NOT NULL, target TEXT NOT NULL,
                    origin TEXT NOT NULL, terms TEXT NOT NULL, imported TEXT);
                CREATE INDEX IF NOT EXISTS units_by_source ON units (locale, source);
                CREATE TABLE IF NOT EXISTS engine_cache (
                    engine TEXT NOT NULL, locale TEXT NOT NULL, source TEXT NOT NULL, target TEXT NOT NULL,
                    PRIMARY KEY (engine, locale, source));
                """
            )
            row = self.db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
            if row is None:
                with self.db:
                    self.db.execute("INSERT INTO meta VALUES ('schema', ?)", (str(_SCHEMA),))
            elif row[0] != str(_SCHEMA):
                raise MemoryFileError(f"memory schema {row[0]} is not {_SCHEMA}: delete the file, it is rebuilt", self.display)
        except sqlite3.DatabaseError as err:
            raise MemoryFileError(f"not a usable memory file ({err}): delete it, it is rebuilt", self.display) from None

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Memory":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def sync(self, locale: str, units: Iterable[Unit]) -> int:
        """Make the locale's PO-file units exactly ``units`` (TMX imports stay)."""
        rows = [(locale, u.source, u.target, u.origin, json.dumps(u.terms), None) for u in units]
        with self.db:
            self.db.execute("DELETE FROM units WHERE locale = ? AND imported IS NULL", (locale,))
            self.db.executemany("INSERT INTO units VALUES (?, ?, ?, ?, ?, ?)", rows)
        return len(rows)

    def units(self, locale: str) -> list[Unit]:
        rows = self.db.execute(
            "SELECT source, target, origin, terms FROM units WHERE locale = ? ORDER BY rowid", (locale,)
        )
        return [Unit(s, t, o, tuple(json.loads(terms))) for s, t, o, terms in rows]

    # -- the engine cache --------------------------------------------------------

    def cached(self, engine: str, locale: str, texts: Iterable[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        wanted = list(dict.fromkeys(texts))
        for i in range(0, len(wanted), 500):
            chunk = wanted[i : i + 500]
            rows = self.db.execute(
                f"SELECT source, target FROM engine_cache WHERE engine = ? AND locale = ? "
                f"AND source IN ({','.join('?' * len(chunk))})",
                (engine, locale, *chunk),
            )
            found.update(rows)
        return found

    def remember(self, engine: str, locale: str, pairs: Mapping[str, str]) -> None:
        with self.db:
            self.db.executemany(
                "INSERT OR REPLACE INTO engine_cache VALUES (?, ?, ?, ?)",
                [(engine, locale, s, t) for s, t in pairs.items()],
            )

    # -- TMX -----------------------------------------------------------------------

    def import_tmx(self, path: str | os.PathLike, locale: str, source_locale: str = "en", display: str | None = None) -> int:
        """Add a TMX file's units for ``source_locale`` -> ``locale``; importing again replaces them."""
        shown = display or str(path)
        units = read_tmx(path, locale, source_locale, shown)
        name = Path(path).name
        with self.db:
            self.db.execute("DELETE FROM units WHERE locale = ? AND imported = ?", (locale, shown))
            self.db.executemany(
                "INSERT INTO units VALUES (?, ?, ?, ?, '[]', ?)",
                [(locale, u.source, u.target, u.origin or name, shown) for u in units],
            )
        return len(units)

    def export_tmx(self, path: str | os.PathLike, locale: str, source_locale: str = "en") -> int:
        units = self.units(locale)
        write_tmx(path, units, locale, source_locale)
        return len(units)


def _lang_matches(value: str, locale: str) -> bool:
    value, locale = value.lower().replace("_", "-"), locale.lower().replace("_", "-")
    return value == locale or value.split("-")[0] == locale.split("-")[0]


def read_tmx(path: str | os.PathLike, locale: str, source_locale: str = "en", display: str | None = None) -> list[Unit]:
    """The translation units of a TMX file (any version 1.x) for one language pair."""
    shown = display or str(path)
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as err:
        raise MemoryFileError(f"not valid TMX (XML): {err.msg if hasattr(err, 'msg') else err}", shown, err.position[0]) from None
    except OSError as err:
        raise MemoryFileError(f"cannot read: {err.strerror}", shown) from None
    if root.tag != "tmx" or root.find("body") is None:
        raise MemoryFileError("not a TMX file (no <tmx><body>)", shown, 1)
    units = []
    for tu in root.find("body").iter("tu"):
        texts: dict[str, str] = {}
        for tuv in tu.findall("tuv"):
            lang = tuv.get(_XML_LANG) or tuv.get("lang") or ""
            seg = tuv.find("seg")
            if seg is not None:
                texts[lang] = "".join(seg.itertext())
        source = next((t for lang, t in texts.items() if _lang_matches(lang, source_locale)), None)
        target = next((t for lang, t in texts.items() if _lang_matches(lang, locale)), None)
        origin = next((p.text or "" for p in tu.findall("prop") if p.get("type") == "x-origin"), "")
        if source and target:
            units.append(Unit(source, target, origin))
    return units


def write_tmx(path: str | os.PathLike, units: Sequence[Unit], locale: str, source_locale: str = "en") -> bool:
    """Write units as TMX 1.4b, atomically."""
    root = ET.Element("tmx", version="1.4")
    ET.SubElement(
        root, "header", creationtool="l10n", creationtoolversion=__version__, segtype="paragraph",
        adminlang="en", srclang=source_locale, datatype="plaintext", **{"o-tmf": "gettext PO"},
    )
    body = ET.SubElement(root, "body")
    for unit in units:
        tu = ET.SubElement(body, "tu")
        if unit.origin:
            ET.SubElement(tu, "prop", type="x-origin").text = unit.origin
        for lang, text in ((source_locale, unit.source), (locale, unit.target)):
            tuv = ET.SubElement(tu, "tuv", {_XML_LANG: lang})
            ET.SubElement(tuv, "seg").text = text
    ET.indent(root)
    return write_text_atomic(path, '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n")
