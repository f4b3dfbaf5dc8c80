"""Generic drug names: find them in English text and give their Spanish (INN) form.

NCI's Spanish pages write a generic name the Spanish way where Spanish has a
form of its own -- *pomalidomida*, *dexametasona*, *melfalán* -- and keep
names such as *bortezomib* or *daratumumab* as they are.  Brand names
(Kyprolis, Velcade) never change; nothing here is meant for them.

Everything this module knows is data, read once per process:

``l10n/data/drugnames-es.tsv``
    the Spanish rules and exceptions, each row with its source: whole
    ``name`` rows (exceptions, and names confirmed against NCI's Spanish),
    ``keep`` endings (Spanish keeps -mab, -ib, -leucel names), ``ending``
    rules (-ide -> -ida, -one -> -ona, -an -> -án ...), ``spelling`` rules
    for the rest of the word (ph -> f, th -> t, y -> i), ``salt`` words
    (*ixazomib citrate* -> *citrato de ixazomib*) and ``not-drug`` words
    the endings would otherwise take for a name (*alone*, *line*), and
    ``brand`` names that look generic (*Adriamycin*).
``l10n/data/drugnames-stems.tsv``
    the WHO's INN stems (-mide, -mab, -zomib, -platin ...) that mark an
    unknown word as a generic name.

The order of the rules: a ``name`` row wins; then a salt word at the end;
then the longest of the ``keep`` and ``ending`` endings; a word no rule takes
is kept.  The case of the English is kept: ``Pomalidomide`` gives
``Pomalidomida``, ``POMALIDOMIDE`` gives ``POMALIDOMIDA``; Spanish does not
capitalize the other words of a name (``Ciltacabtagene Autoleucel`` gives
``Ciltacabtagén autoleucel``).

>>> spanish_generic("Pomalidomide"), spanish_generic("bortezomib"), spanish_generic("Kyprolis")
('Pomalidomida', None, None)
>>> spanish_generic("Ixazomib Citrate")
'Citrato de ixazomib'
>>> find_generic_names("Take pomalidomide with dexamethasone, not Kyprolis.")
[(5, 17, 'pomalidomide'), (23, 36, 'dexamethasone')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .errors import L10nError

__all__ = ["spanish_generic", "find_generic_names", "is_acceptable", "DrugNamesError"]

_KINDS = ("name", "keep", "ending", "spelling", "salt", "not-drug", "brand")
_WORD = re.compile(r"(?<![\w-])[A-Za-z][A-Za-z-]*[A-Za-z](?![\w-])")
_SUFFIX = re.compile(r"([a-z][a-z-]*[a-z])(-[a-z]{4})")  # the FDA's suffix for biologics (-fihj)
_MIN_STEM = 2  # "one" -> "ona" is a word, not a name: an ending needs a stem before it


class DrugNamesError(L10nError):
    """A drug-name data file is malformed."""


@dataclass(frozen=True)
class _Rules:
    names: dict[str, str | None]  # lower-case English -> Spanish, None = unchanged
    endings: tuple[tuple[str, str | None], ...]  # longest first; None = keep the word
    spelling: tuple[tuple[str, str], ...]
    salts: dict[str, str]  # "citrate" -> "citrato de {}"
    not_drugs: frozenset[str]


def _rows(filename: str, columns: int):
    """(line number, cells) of a package TSV file, skipping comments and blank lines."""
    text = resources.files("l10n").joinpath("data", filename).read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = line.split("\t")
        if len(cells) != columns or not all(c.strip() for c in cells):
            raise DrugNamesError(f"expected {columns} tab-separated cells, found {len(cells)}", f"l10n/data/{filename}", number)
        yield number, [c.strip() for c in cells]


@lru_cache(maxsize=None)
def _spanish() -> _Rules:
    names: dict[str, str | None] = {}
    endings: dict[str, str | None] = {}
    spelling: list[tuple[str, str]] = []
    salts: dict[str, str] = {}
    not_drugs: set[str] = set()
    where = "l10n/data/drugnames-es.tsv"
    for number, (kind, english, spanish, _source) in _rows("drugnames-es.tsv", 4):
        key = " ".join(english.lower().split())
        if kind == "name":
            if key in names:
                raise DrugNamesError(f"the name {english!r} is listed twice", where, number)
            names[key] = None if spanish == "=" else spanish
        elif kind in ("keep", "ending"):
            if key in endings:
                raise DrugNamesError(f"the ending {english!r} is listed twice", where, number)
            endings[key] = None if kind == "keep" else spanish
        elif kind == "spelling":
            spelling.append((key, spanish))
        elif kind == "salt":
            if spanish.count("{}") != 1:
                raise DrugNamesError("a salt's Spanish needs one {} for the name", where, number)
            salts[key] = spanish
        elif kind in ("not-drug", "brand"):
            not_drugs.add(key)  # neither is a generic name: never respelled, never found
        else:
            raise DrugNamesError(f"unknown kind {kind!r} (known: {', '.join(_KINDS)})", where, number)
    ordered = tuple(sorted(endings.items(), key=lambda item: (-len(item[0]), item[0])))
    return _Rules(names, ordered, tuple(spelling), salts, frozenset(not_drugs))


@lru_cache(maxsize=None)
def _stems() -> tuple[tuple[str, int], ...]:
    stems = []
    for number, (stem, length, _meaning) in _rows("drugnames-stems.tsv", 3):
        if not length.isdigit():
            raise DrugNamesError(f"min_length {length!r} is not a number", "l10n/data/drugnames-stems.tsv", number)
        stems.append((stem.lower(), int(length)))
    return tuple(sorted(stems, key=lambda s: -len(s[0])))


# -- Spanish forms ---------------------------------------------------------------------


def _respell(stem: str, rules: _Rules) -> str:
    for old, new in rules.spelling:
        stem = stem.replace(old, new)
    return stem


def _word(word: str, rules: _Rules) -> str | None:
    """The Spanish form of one lower-case word by the ending rules; None if no rule takes it."""
    if word in rules.names:
        return rules.names[word] or word
    if word in rules.not_drugs or not word.isalpha():
        return None
    for ending, spanish in rules.endings:
        if word.endswith(ending) and len(word) - len(ending) >= _MIN_STEM:
            if spanish is None:
                return word
            return _respell(word[: -len(ending)], rules) + spanish
    return None


def _fda_suffix(word: str) -> tuple[str, str]:
    """``(name, "-fihj")`` for a biologic with the FDA's four-letter suffix, else ``(word, "")``.

    The FDA gives biologics a meaningless suffix (hyaluronidase-fihj,
    trastuzumab-dkst); Spanish keeps it as it is and spells the name before it.
    """
    found = _SUFFIX.fullmatch(word)
    return (found.group(1), found.group(2)) if found else (word, "")


def _compound(word: str, rules: _Rules) -> str | None:
    """A hyphenated name (methyl-5-aminolevulinate): the last part decides, the others are respelled."""
    base, suffix = _fda_suffix(word)
    if suffix and base not in rules.not_drugs:
        spanish = _compound(base, rules)
        return spanish + suffix if spanish is not None else None
    if "-" not in word or word in rules.names:
        return _word(word, rules)
    parts = word.split("-")
    last = _word(parts[-1], rules)
    if last is None:
        return None
    return "-".join([_respell(p, rules) if p.isalpha() else p for p in parts[:-1]] + [last])


def _cased(english: list[str], spanish: str, reordered: bool = False) -> str:
    """``spanish`` in the case of the English words (see the module docstring)."""
    letters = "".join(english)
    if len(letters) > 1 and letters.isupper():
        return spanish.upper()
    out = spanish.split(" ")
    for index, word in enumerate(out):
        source = english[index] if not reordered and index < len(english) else ""
        if source[1:] and not source[1:].islower() and not source.isupper():
            out[index] = source  # an inner capital (DM4, huC242) is a code: keep it as written
        elif index == 0 and english[0][:1].isupper():
            out[index] = word[:1].upper() + word[1:]
    return " ".join(out)


def spanish_generic(name: str) -> str | None:
    """The Spanish generic (INN) form of an English generic name; None if Spanish keeps it or it is no name.

    >>> spanish_generic("dexamethasone"), spanish_generic("melphalan"), spanish_generic("alone")
    ('dexametasona', 'melfalán', None)
    """
    rules = _spanish()
    words = name.split()
    if not words:
        return None
    key = " ".join(words).lower()
    if key in rules.names:
        spanish = rules.names[key]
        return _cased(words, spanish) if spanish and spanish != key else None
    if len(words) > 1 and words[-1].lower() in rules.salts:
        base = " ".join(words[:-1]).lower()
        if not _is_generic(base, rules):
            return None
        base_es = spanish_generic(base) or base
        return _cased(words, rules.salts[words[-1].lower()].format(base_es), reordered=True)
    found = [_compound(w.lower(), rules) for w in words]
    if not any(found):
        return None
    spanish = " ".join(f or w.lower() for f, w in zip(found, words))
    return _cased(words, spanish) if spanish != key else None


def _is_generic(lower: str, rules: _Rules) -> bool:
    if lower in rules.names:
        return True
    return all(_compound(w, rules) is not None or _stem_match(w) for w in lower.split())


def _stem_match(word: str) -> bool:
    word = _fda_suffix(word)[0]
    return word not in _spanish().not_drugs and any(word.endswith(s) and len(word) >= n for s, n in _stems())


# -- finding names -----------------------------------------------------------------------------


@lru_cache(maxsize=None)
def _known_pattern() -> re.Pattern | None:
    names = sorted(_spanish().names, key=lambda n: (-len(n), n))
    if not names:
        return None
    alternatives = "|".join(r"\s+".join(re.escape(w) for w in n.split()) for n in names)
    return re.compile(r"(?<![\w-])(?:" + alternatives + r")(?![\w-])", re.IGNORECASE)


def _with_salt(text: str, end: int) -> int:
    """``end`` moved past a salt word that follows the name (ixazomib citrate)."""
    follow = re.match(r"\s+([A-Za-z]+)(?![\w-])", text[end:])
    if follow and follow.group(1).lower() in _spanish().salts:
        return end + follow.end()
    return end


def find_generic_names(text: str) -> list[tuple[int, int, str]]:
    """Spans ``(start, end, name)`` of English generic drug names in ``text``, in order.

    A name is one the data lists, or a word ending in an INN stem; a salt word
    after it (citrate) belongs to the span.

    >>> find_generic_names("Ixazomib citrate and daratumumab, one line of therapy.")
    [(0, 16, 'Ixazomib citrate'), (21, 32, 'daratumumab')]
    """
    spans: list[tuple[int, int]] = []
    pattern = _known_pattern()
    if pattern is not None:
        spans = [(m.start(), m.end()) for m in pattern.finditer(text)]
    for m in _WORD.finditer(text):
        if any(a < m.end() and m.start() < b for a, b in spans):
            continue
        if _stem_match(m.group().lower()):
            spans.append((m.start(), m.end()))
    spans.sort()
    return [(start, end2, text[start:end2]) for start, end in spans for end2 in [_with_salt(text, end)]]


def _occurs(term: str, text: str) -> bool:
    words = term.split()
    return bool(words) and re.search(
        r"(?<!\w)" + r"\s+".join(re.escape(w) for w in words) + r"(?!\w)", text, re.IGNORECASE
    ) is not None


def is_acceptable(english_name: str, translated_text: str) -> bool:
    """The name, as written in English or in its Spanish generic form, is in the translation.

    >>> is_acceptable("Pomalidomide", "Tome la pomalidomida."), is_acceptable("Pomalidomide", "Tome el medicamento.")
    (True, False)
    """
    if _occurs(english_name, translated_text):
        return True
    spanish = spanish_generic(english_name)
    return spanish is not None and _occurs(spanish, translated_text)
