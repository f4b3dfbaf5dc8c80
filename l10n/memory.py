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
    the English differs only in placeables -- the sheet's names, generic drug
    names, codes with digits (CD38), numbers -- (``... about bortezomib and
    ...`` against the reviewed ``... about carfilzomib and ...``): the
    reviewed translation with those parts substituted, as fuzzy.  Link
    targets never differ in a msgid (``[N]``).
``fuzzy``
    a similar English text (rapidfuzz ratio at or above the threshold): its
    translation, as fuzzy, with the score.

Where several reviewed translations match, the most used wins.  A match never
brings in another entry's facts: its placeables are swapped for this text's
own (in Spanish a generic name in its Spanish form, and only with the same
grammatical gender), or the match is not used; a near match that says
another number word, frequency, negation or disease (:func:`facts`) is not
used unless the disease is swapped through the glossary.  A pronunciation
line is reused only exactly, and a pronunciation or code goes into a swap
letter for letter.
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
from .drugnames import find_generic_names, spanish_generic
from .masking import _terms_pattern

__all__ = ["Unit", "Match", "Memory", "MemoryIndex", "MemoryFileError", "skeleton", "facts", "FUZZY_THRESHOLD"]

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


_CODE = re.compile(r"(?<!\w)(?=\w*\d)(?=\w*[^\W\d_])\w+(?!\w)")  # CD38, MGCD0103, 17p, BRCA1
_PRONUNCIATION = re.compile(r"[A-Za-z]+(?:[- ][A-Za-z]+)*-[A-Za-z]+(?:[- ][A-Za-z]+)*")

# Words that carry a fact no swap can fix: a near match that differs in one
# of them says something else ("at least four" is not "at least three").
_FACT_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty thirty forty fifty hundred thousand million first second third "
    "fourth fifth sixth seventh eighth ninth tenth once twice thrice dozen half single double triple "
    "daily weekly monthly not no never without cannot nor".split()
)
_DISEASE_HEAD = re.compile(
    r"(?i)(?<![\w-])(?:cancers?|tumou?rs?|neoplasms?|diseases?|syndromes?|disorders?|leuka?emias?|"
    r"[a-z]+omas?)(?![\w-])"
)
# Words that end the description of a disease when reading back from its head word.
_STOP = frozenset(
    "a an the of to for in on at by with and or but who that which is are was were be been has have had "
    "treat treats treated treating used use uses help helps other some any this these those its their "
    "your his her patients people adults children may might can could will kill kills stop stops block "
    "blocks prevent prevents against from into about after before being studied called type types form "
    "forms certain such as also".split()
)


def _is_pronunciation(text: str) -> bool:
    """A pronunciation guide (kar-FIL-zoh-mib): hyphenated syllables, a stressed one in capitals."""
    inner = text.strip()
    inner = inner[1:-1] if inner[:1] + inner[-1:] == "()" else inner
    return bool(_PRONUNCIATION.fullmatch(inner)) and any(
        len(p) > 1 and p.isupper() for p in re.split(r"[- ]", inner))


def _spans(text: str, pattern: re.Pattern | None, taken: list[tuple[int, int]]) -> None:
    for m in pattern.finditer(text) if pattern else ():
        if not any(a < m.end() and m.start() < b for a, b in taken):
            taken.append((m.start(), m.end()))


def skeleton(text: str, terms: Sequence[str]) -> tuple[str, tuple[str, ...]]:
    """``text`` with placeables replaced by slots, and the placeables in order.

    Placeables are what a swap may change: the sheet's names (``terms``),
    generic drug names (:func:`l10n.drugnames.find_generic_names`), codes with
    digits (CD38, MGCD0103) and numbers.

    >>> skeleton("About carfilzomib with dexamethasone, 20 mg and [x][1] for CD38.", ["Carfilzomib"])
    ('About \\x00 with \\x00, \\x00 mg and [x][1] for \\x00.', ('carfilzomib', 'dexamethasone', '20', 'CD38'))
    """
    spans: list[tuple[int, int]] = []
    _spans(text, _terms_pattern(tuple(sorted({t.lower() for t in terms}, key=lambda t: (-len(t), t)))), spans)
    for start, end, _name in find_generic_names(text):
        if not any(a < end and start < b for a, b in spans):
            spans.append((start, end))
    _spans(text, _CODE, spans)
    _spans(text, _NUMBER, spans)
    spans.sort()
    out, found, cursor = [], [], 0
    for start, end in spans:
        out.append(text[cursor:start] + "\x00")
        found.append(text[start:end])
        cursor = end
    out.append(text[cursor:])
    return "".join(out), tuple(found)


def facts(text: str, known: Sequence[str] = ()) -> tuple[str, ...]:
    """What a text says that no swap can change: number and negation words, and diseases.

    A disease is its head word (myeloma, lymphoma, cancer) with the words
    before it that say which one, or the longest of ``known`` (glossary terms)
    ending at it.

    >>> facts("Used with two other drugs to treat non-small cell lung cancer, not breast cancer.")
    ('breast cancer', 'non-small cell lung cancer', 'not', 'two')
    """
    words = [w.lower() for w in re.findall(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", text)]
    found = [w for w in words if w in _FACT_WORDS or w.endswith(("n't", "n’t"))]
    found += ["every other"] * len(re.findall(r"(?i)\bevery other\b", text))
    lowered = text.lower()
    for head in _DISEASE_HEAD.finditer(text):
        upto = lowered[: head.end()]
        known_here = [k for k in known if upto.endswith(k.lower()) and not upto[: len(upto) - len(k)][-1:].isalnum()]
        if known_here:
            found.append(max(known_here, key=len).lower())
            continue
        before = re.split(r"[,.;:()\[\]]", lowered[: head.start()])[-1]  # this clause only
        kept: list[str] = []
        for word in reversed(re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*", before)[-3:]):
            if word.lower() in _STOP or word.lower() in _FACT_WORDS:
                break
            kept.insert(0, word.lower())
        found.append(" ".join(kept + [head.group().lower()]))
    return tuple(sorted(found))


def _recase(found: str, replacement: str, verbatim: bool) -> str:
    """``replacement`` in the case the reviewed text wrote ``found``; a code or pronunciation as it is.

    Title Case is English: a name the reviewed text writes in lower case comes
    in lower case (``el ciltacabtagén autoleucel``), and one it capitalizes
    gets only its first letter capitalized.
    """
    if verbatim:
        return replacement
    if len(found) > 1 and found.isupper():
        return replacement.upper()
    words = replacement.split(" ")
    plain = [w[1:] == w[1:].lower() for w in words]  # no capital after the first letter: not a code
    words = [w.lower() if ok else w for w, ok in zip(words, plain)]
    if found[:1].isupper() and plain[0]:
        words[0] = words[0][:1].upper() + words[0][1:]
    return " ".join(words)


def _feminine(name: str) -> bool:
    # Spanish generic names ending in -a are feminine (la pomalidomida); the rest
    # masculine (el bortezomib, el citrato de ixazomib).
    return name.split(" ")[0].lower().endswith("a")


def _spanish_form(name: str) -> str | None:
    """The Spanish generic form of a name that is all one generic drug name; brands are never respelled."""
    spans = find_generic_names(name)
    if len(spans) == 1 and spans[0][:2] == (0, len(name)):
        return spanish_generic(name)
    return None


def _substitute(target: str, old: Sequence[str], new: Sequence[str], locale: str = "",
                verbatim: Sequence[str] = ()) -> str | None:
    """``target`` with each old placeable replaced by the new one, or None if that is unsafe.

    In Spanish a generic name may be written in its Spanish form in the
    target (``lenalidomida``); the new name goes in in its Spanish form too,
    and only if it has the same grammatical gender (``la pomalidomida`` for
    ``la lenalidomida``, never ``la bortezomib``).
    """
    spanish = locale.lower().replace("_", "-").split("-")[0] == "es"
    mapping: dict[str, str] = {}
    for a, b in zip(old, new):
        if mapping.setdefault(a.lower(), b) != b and mapping[a.lower()].lower() != b.lower():
            return None  # one old name would have to become two different new ones
    changes: dict[str, str] = {}  # what to look for in the target (lower case) -> what to write
    for a, b in mapping.items():
        if a == b.lower():
            continue
        a_es = _spanish_form(a) if spanish else None
        b_es = (_spanish_form(b) or b) if spanish else b
        if spanish and (a_es or b_es != b) and _feminine(a_es or a) != _feminine(b_es):
            return None  # the article and adjectives around the name would be wrong
        changes[a] = b_es
        if a_es:
            changes[a_es.lower()] = b_es
    if not changes:
        return target
    keep_case = {v.lower() for v in verbatim}
    pattern = re.compile(
        r"(?<![\w-])(?:" + "|".join(re.escape(a) for a in sorted(changes, key=len, reverse=True)) + r")(?![\w-])",
        re.IGNORECASE,
    )
    seen: set[str] = set()
    wanted = {a for a in mapping if a != mapping[a].lower()}

    def swap(match: re.Match) -> str:
        found = match.group()
        replacement = changes[found.lower()]
        seen.add(next(a for a in wanted if found.lower() in (a, (_spanish_form(a) or "").lower() if spanish else a)))
        return _recase(found, replacement, replacement.lower() in keep_case or _is_pronunciation(replacement)
                       or bool(_CODE.fullmatch(replacement)))

    result = pattern.sub(swap, target)
    # Every changed placeable must have been found: a translation that says
    # "este medicamento" instead of the name cannot be reused blindly.
    return result if seen == wanted else None


class MemoryIndex:
    """Reviewed units of one locale, ready for matching.

    ``translations`` are the glossary's (English term -> required translation):
    a near match about another disease is used only when both diseases are
    glossary terms and the target has the old one's translation, swapped.
    """

    def __init__(self, units: Iterable[Unit], glossary_terms: Sequence[str] = (), threshold: int = FUZZY_THRESHOLD,
                 locale: str = "", translations: Mapping[str, str | None] | None = None):
        self.threshold = threshold
        self.locale = locale
        self.glossary_terms = tuple(glossary_terms)
        self.translations = {k.lower(): v for k, v in (translations or {}).items() if v}
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
        """The most used translation; ties go to the first origin by name, for stable output."""
        counts = Counter(u.target for u in units)
        return min(units, key=lambda u: (-counts[u.target], u.origin, u.target))

    def _swap_diseases(self, target: str, old: tuple[str, ...], new: tuple[str, ...]) -> str | None:
        """``target`` with the old text's diseases replaced by the new one's, through the glossary; or None."""
        gone = list((Counter(old) - Counter(new)).elements())
        come = list((Counter(new) - Counter(old)).elements())
        if len(gone) != len(come) or not gone:
            return None
        for a, b in zip(gone, come):
            a_es, b_es = self.translations.get(a), self.translations.get(b)
            if not a_es or not b_es:
                return None  # a number word, a negation, or a disease the glossary does not translate
            pattern = re.compile(r"(?<![\w-])" + re.escape(a_es) + r"(?![\w-])", re.IGNORECASE)
            if not pattern.search(target):
                return None
            target = pattern.sub(lambda m: _recase(m.group(), b_es, False), target, count=1)
        return target

    def lookup(self, text: str, terms: Sequence[str] = (), accept: Callable[[str], bool] = lambda _: True) -> Match | None:
        """The best match for ``text`` whose translation ``accept`` takes (e.g. it renders).

        A pronunciation line is only ever reused exactly: a swap would respell it.
        """
        if text in self.exact:
            unit = self._best(self.exact[text])
            if accept(unit.target):
                return Match("exact", unit.target, unit.origin)
        if _is_pronunciation(text):
            return None
        verbatim = tuple(t for t in terms if _is_pronunciation(t))
        shape, placeables = skeleton(text, tuple(terms) + self.glossary_terms)
        # The most used translation wins here too: counted after the swap, when
        # the reviewed sheets' different names no longer tell their texts apart.
        swapped = [(unit, _substitute(unit.target, old, placeables, self.locale, verbatim))
                   for unit, old in self.shapes.get(shape, [])]
        counts = Counter(target for _, target in swapped if target is not None)
        for unit, target in sorted(swapped, key=lambda pair: (-counts[pair[1]], pair[0].origin)):
            if target is not None and accept(target):
                return Match("placeables", target, unit.origin, 100)
        if len(text) < _MIN_FUZZY_LENGTH or not self.sources:
            return None
        known = tuple(self.translations)
        text_facts = facts(text, known)
        for source, score, _ in process.extract(
            text, self.sources, scorer=fuzz.ratio, score_cutoff=self.threshold, limit=5
        ):
            if source == text:
                continue
            unit = self._best(self.exact[source])
            # A near match about another drug must not bring that drug's name,
            # code, dose or disease along: those are swapped, or it is passed over.
            _, old = skeleton(unit.source, unit.terms + self.glossary_terms)
            _, new = skeleton(text, tuple(terms) + unit.terms + self.glossary_terms)
            target: str | None = unit.target
            if [p.lower() for p in old] != [p.lower() for p in new]:
                target = _substitute(unit.target, old, new, self.locale, verbatim) if len(old) == len(new) else None
            unit_facts = facts(unit.source, known)
            if target is not None and unit_facts != text_facts:
                target = self._swap_diseases(target, unit_facts, text_facts)
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
