"""QA checks: small pure functions over PO entries and English sheets.

Two runners, one per kind of input:

* :func:`check_catalog` runs the *entry checks* on every translated or fuzzy
  entry of a PO file (untranslated entries have nothing to check);
* :func:`check_source` runs the *source checks* on an English sheet.

Each check is a function registered with a name and a severity.  An
``error`` is something that must not reach a patient (a lost link, a changed
dose, a translated drug name, markup the build would refuse); a ``warning``
is something a reviewer should look at (final punctuation, a string left in
English, an odd length).  Every problem is a :class:`Problem` whose ``str()``
is ``path:line: severity [check] message``.

Entry checks read the msgid format of :mod:`l10n.segment`: a link is
``[text][N]`` with the URL in the extracted comment (``[N]: url``), kept
markup is ``{N}``.  Numbers are compared by value in the conventions of the
catalog's language (Babel's locale data): in Spanish ``1,5 mg`` is the source's
``1.5 mg`` and ``1.000`` or ``1 000`` its ``1,000``; a number a reader of the
language would read differently (``1,000`` in a Spanish sentence reads as one)
is an error.  Numbers written as words ("four", "cuatro", "twice") count too,
by value against words and digits on the other side; frequencies ("once a
day", "dos veces al día") are compared as (times, period).

The stable API the release build relies on: :class:`Problem`,
:func:`check_catalog`, :func:`check_entry` (one entry: what ``build`` refuses), :func:`check_source`.

>>> entry = polib.POEntry(msgid="Take 1.5 mg daily.", msgstr="Tome 15 mg al día.")
>>> catalog = polib.POFile(); catalog.metadata = {"Language": "es"}; catalog.append(entry)
>>> [str(p) for p in check_catalog(catalog, "x.po")]
['x.po:None: error [numbers] the translation has 15 but not 1.5 (in es: 1,5)', 'x.po:None: error [doses] the dose 1.5 mg is not in the translation']
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cached_property, lru_cache
from typing import Callable, Iterator, Mapping, Sequence

import polib

from .catalog import entry_key
from .document import Document
from .drugnames import find_generic_names, is_acceptable, spanish_generic
from .errors import TranslationError
from .markdown import markdown_parser
from .segment import Placeholder, Segment, render

__all__ = [
    "ERROR",
    "WARNING",
    "Problem",
    "Terms",
    "ENTRY_CHECKS",
    "SOURCE_CHECKS",
    "check_catalog",
    "check_entry",
    "check_source",
    "sheet_terms",
    "entry_targets",
    "entry_line",
]

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong, at ``path:line``; ``severity`` is ``error`` or ``warning``."""

    path: str
    line: int | None
    severity: str
    check: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.severity} [{self.check}] {self.message}"


@dataclass(frozen=True)
class Terms:
    """Terminology the checks enforce.

    ``do_not_translate``: names that must appear in a translation as in the
    source (drug and brand names); ``required``: source term -> the translation
    a reviewer decided on; ``generic``: the names among ``do_not_translate``
    that are generic drug names, which may take their Spanish generic form
    (:mod:`l10n.drugnames`).  In ``a | b`` a name ``b`` lists without calling
    it generic (a glossary's keep-as-is row) must stay as it is.
    """

    do_not_translate: frozenset[str] = frozenset()
    required: Mapping[str, str] = field(default_factory=dict)
    generic: frozenset[str] = frozenset()

    def __or__(self, other: "Terms") -> "Terms":
        exact = {t.lower() for t in other.do_not_translate - other.generic}
        generic = {t for t in self.generic if t.lower() not in exact} | other.generic
        return Terms(self.do_not_translate | other.do_not_translate, {**self.required, **other.required},
                     frozenset(generic))


# -- the registries -------------------------------------------------------------


@dataclass(frozen=True)
class _Check:
    name: str
    severity: str
    run: Callable


ENTRY_CHECKS: list[_Check] = []
SOURCE_CHECKS: list[_Check] = []


def _entry_check(name: str, severity: str):
    def register(function):
        ENTRY_CHECKS.append(_Check(name, severity, function))
        return function

    return register


def _source_check(name: str, severity: str):
    def register(function):
        SOURCE_CHECKS.append(_Check(name, severity, function))
        return function

    return register


# -- what an entry check sees ------------------------------------------------------

_LINK_REF = re.compile(r"\]\[(\d+)\]")
_OPAQUE = re.compile(r"\{(\d+)\}")
_COMMENT_TARGET = re.compile(r"^([\[{]\d+[\]}]):\s*(\S*)", re.M)
_COMMENT_KIND = re.compile(r"^(\S+) \(([\w-]+)\)$", re.M)  # "use-in-cancer/p[1] (paragraph)"


@dataclass(frozen=True)
class Entry:
    """One PO entry as the checks see it: source, translation, and what they need around it."""

    source: str
    translation: str
    segment: Segment
    locale: str = ""
    terms: Terms = Terms()
    targets: Mapping[str, str] = field(default_factory=dict)  # "[1]" / "{1}" -> URL or markup

    @cached_property
    def numbers(self) -> "_NumberMatch":
        return _match_numbers(self.source, self.translation, self.locale)

    @cached_property
    def balance(self) -> "_Balance | None":
        """Numbers in digits and words on both sides (see :func:`_number_balance`): read once for two checks."""
        return _number_balance(self)

    @cached_property
    def frequencies(self) -> tuple[list, list] | None:
        """(the source's, the translation's) frequencies; None where the check does not apply."""
        language = _language(self.locale)
        if language not in _FREQUENCY or self.translation == self.source:
            return None  # a string kept in English says what the source says
        return _frequencies(self.source, "en"), _frequencies(self.translation, language)


def entry_targets(entry: polib.POEntry) -> dict[str, str]:
    """What each ``[N]``/``{N}`` of an entry stands for, from its extracted comment."""
    # polib wraps long extracted comments: "[1]:\nhttps://..." is one target.
    return {m.group(1): m.group(2) for m in _COMMENT_TARGET.finditer(re.sub(r":\n", ": ", entry.comment or ""))}


def _segment_for(entry: polib.POEntry) -> Segment:
    """A Segment good enough to ask :func:`render` about, from the PO entry alone."""
    found = _COMMENT_KIND.search(entry.comment or "")
    key, kind = found.groups() if found else (entry.msgctxt or "", "paragraph")
    if (entry.msgctxt or "").startswith("front-matter:"):
        kind = "front-matter"
    placeholders = []
    for number in sorted({int(n) for n in _LINK_REF.findall(entry.msgid)}):
        image = re.search(r"!\[(?:[^\[\]\\]|\\.)*\]\[" + str(number) + r"\]", entry.msgid)
        placeholders.append(Placeholder(number, "image" if image else "link", f"[{number}]", ""))
    for number in sorted({int(n) for n in _OPAQUE.findall(entry.msgid)}):
        placeholders.append(Placeholder(number, "inline", f"{{{number}}}", ""))
    return Segment(
        key=key,
        kind=kind,
        text=entry.msgid,
        line=0,
        start=0,
        end=0,
        placeholders=tuple(placeholders),
        line_break="  \n" if "\n" in entry.msgid else "",
        context=entry.msgctxt,
    )


# -- terms a sheet brings itself -----------------------------------------------------


def sheet_terms(catalog: polib.POFile, segments: Sequence[Segment] | None = None) -> Terms:
    """The names a sheet declares itself (drug, brands, pronunciation): never translated.

    The rule is :func:`l10n.glossary.sheet_terms`; without the sheet's segments
    it reads the same strings from the PO entries, which are in source order.
    """
    from .glossary import sheet_names
    from .glossary import sheet_terms as declared

    if segments is None:
        segments = [_segment_for(e) for e in catalog if not e.obsolete and e.msgid]
    drug = sheet_names(segments).drug
    return Terms(frozenset(declared(segments)), generic=frozenset([drug] if drug else []))


# -- the runners -----------------------------------------------------------------------


def entry_line(entry: polib.POEntry) -> int | None:
    """The PO line a problem names: the msgstr a translator fixes, where the reader noted it."""
    return getattr(entry, "msgstr_line", None) or getattr(entry, "linenum", None)


def _locale(catalog: polib.POFile) -> str:
    return (catalog.metadata.get("Language") or "").strip()


def check_catalog(
    catalog: polib.POFile,
    path: str,
    segments: Sequence[Segment] | None = None,
    terms: Terms | None = None,
) -> list[Problem]:
    """Problems in every translated or fuzzy entry of ``catalog``.

    ``segments`` (the English sheet's) make the render check exact; without
    them the entry's own comment says what the build needs.  ``terms`` adds to
    the names the sheet itself declares (see :func:`sheet_terms`).
    """
    by_key = {(s.context or "", s.text): s for s in segments or ()}
    all_terms = sheet_terms(catalog, segments) | (terms or Terms())
    locale = _locale(catalog)
    problems: list[Problem] = []
    for entry in catalog:
        if entry.obsolete or not entry.msgid or not entry.msgstr:
            continue
        segment = by_key.get(entry_key(entry)) or _segment_for(entry)
        problems += check_entry(entry, path, segment, locale, all_terms)
    return problems


def check_entry(
    entry: polib.POEntry,
    path: str,
    segment: Segment,
    locale: str,
    terms: Terms = Terms(),
    severities: frozenset[str] = frozenset({ERROR, WARNING}),
    skip: frozenset[str] = frozenset(),
) -> list[Problem]:
    """The problems of one entry's ``msgstr``: the checks of these severities, but those in ``skip``.

    The build asks for the errors alone, so it refuses what ``l10n check``
    calls an error, with the same words.
    """
    seen = Entry(
        source=entry.msgid,
        translation=entry.msgstr,
        segment=segment,
        locale=locale,
        terms=terms,
        targets=entry_targets(entry),
    )
    line = entry_line(entry)
    return [
        Problem(path, line, check.severity, check.name, message)
        for check in ENTRY_CHECKS
        if check.severity in severities and check.name not in skip
        for message in check.run(seen)
    ]


def check_source(doc: Document, segments: Sequence[Segment]) -> list[Problem]:
    """Problems in an English sheet itself (mojibake, scaffolding, broken markup)."""
    problems = []
    for check in SOURCE_CHECKS:
        for line, message in check.run(doc, segments):
            problems.append(Problem(doc.path, line, check.severity, check.name, message))
    return sorted(problems, key=lambda p: (p.line or 0, p.check))


# -- links and placeholders ------------------------------------------------------------

_URL = re.compile(r"(?:https?://|www\.)[^\s<>()\[\]]*[^\s<>()\[\].,;:!?'\"]")


def _tokens(text: str) -> Counter:
    return Counter([f"[{n}]" for n in _LINK_REF.findall(text)] + [f"{{{n}}}" for n in _OPAQUE.findall(text)])


def _described(token: str, entry: Entry) -> str:
    target = entry.targets.get(token)
    return f"{token} ({target})" if target else token


@_entry_check("links", ERROR)
def check_links(entry: Entry) -> Iterator[str]:
    """Every link and kept tag of the source exactly once; no URL added, lost or changed."""
    source, target = _tokens(entry.source), _tokens(entry.translation)
    for token in sorted(source - target):
        if target[token] == 0:
            yield f"the translation leaves out {_described(token, entry)}"
    for token in sorted(target - source):
        if source[token] == 0:
            yield f"the translation has {token}, which the source does not"
        else:
            yield f"the translation repeats {token}"
    if re.search(r"\]\([^)\s]*\)", entry.translation) and not re.search(r"\]\([^)\s]*\)", entry.source):
        yield "the translation types a link '[text](url)': keep the source's [text][N] instead"
    source_urls, target_urls = Counter(_URL.findall(entry.source)), Counter(_URL.findall(entry.translation))
    for url in sorted(source_urls - target_urls):
        yield f"the address {url} is missing or changed"
    for url in sorted(target_urls - source_urls):
        if url not in source_urls:
            yield f"the translation adds the address {url}"


@_entry_check("render", ERROR)
def check_render(entry: Entry) -> Iterator[str]:
    """What the build would refuse (a block the sheet does not have, a line break in a cell...)."""
    if next(check_links(entry), None) is not None:
        return  # already reported, more precisely
    try:
        render(entry.segment, entry.translation)
    except TranslationError as err:
        message = err.message
        prefix = f"{entry.segment.key}: "
        yield "the build would refuse this: " + (message[len(prefix):] if message.startswith(prefix) else message)


# -- numbers and doses -----------------------------------------------------------------

_NUMBER = re.compile(r"(?<![\w])\d+(?:[.,]\d+)*(?:[ \u00a0\u202f\u2009]\d{3}(?:[.,]\d+)*)*(?!\d)")
_UNIT = (
    r"mg/m2|mg/m²|mg/kg|mg/ml|mcg/kg|µg/kg|μg/kg|mmol/l|mg|mcg|µg|μg|ng|kg|g|ml|dl|l|mmol|meq|iu|ui"
    r"|units?|unidad(?:es)?|%|cc"
)
_DOSE = re.compile(r"(" + _NUMBER.pattern + r")\s?(" + _UNIT + r")(?![\w/])", re.I)
_SAME_UNIT = {"µg": "mcg", "μg": "mcg", "ui": "iu", "unit": "units", "unidad": "units", "unidades": "units",
              "mg/m²": "mg/m2", "μg/kg": "mcg/kg", "µg/kg": "mcg/kg"}
_SPACES = " \u00a0\u202f\u2009"


@lru_cache(maxsize=None)
def _symbols(locale: str) -> tuple[str, str]:
    """(decimal, group) symbols of a locale; English's when Babel does not know it."""
    from babel.numbers import get_decimal_symbol, get_group_symbol

    try:
        return get_decimal_symbol(locale or "en"), get_group_symbol(locale or "en")
    except Exception:  # an unknown or empty locale: compare the English way
        return ".", ","


def _value(text: str, decimal: str, group: str) -> Decimal | None:
    """``text`` read with these symbols, or None when it is not a well-formed number so."""
    whole, _, fraction = text.partition(decimal) if decimal in text else (text, "", "")
    if decimal in fraction or (group and group in fraction):
        return None
    parts = whole.split(group) if group and group in whole else [whole]
    if len(parts) > 1 and (not 1 <= len(parts[0]) <= 3 or parts[0].startswith("0")
                           or any(len(p) != 3 for p in parts[1:])):
        return None
    digits = "".join(parts) + ("." + fraction if fraction else "")
    if not re.fullmatch(r"\d+(?:\.\d+)?", digits):
        return None
    try:
        return Decimal(digits)
    except InvalidOperation:
        return None


def _readings(token: str, locale: str) -> list[tuple[tuple[Decimal, ...], str]]:
    """Every way to read a number as written: (values, how), ``how`` being native or foreign.

    ``native`` reads it in the locale's conventions, ``foreign`` in the English
    ones a translator may have kept.  A reading of several values is a list
    ("1.2.3") or, with plain spaces, numbers side by side ("2 100" may be 2 and 100).
    The native reading, when there is one, comes first.
    """
    decimal, group = _symbols(locale)
    found: list[tuple[tuple[Decimal, ...], str]] = []

    def add(values: tuple[Decimal, ...], how: str) -> None:
        if values and values not in [f[0] for f in found]:
            found.append((values, how))

    if any(space in token for space in _SPACES):  # spaces group digits: "1 000"
        value = _value(re.sub(f"[{_SPACES}]", "", token), decimal, "")
        if value is not None:
            add((value,), "native")
        if " " in token:
            add(tuple(v for part in token.split(" ") if part for v in _readings(part, locale)[0][0]), "native")
    else:
        for dec, grp, how in ((decimal, group, "native"), (".", ",", "foreign")):
            value = _value(token, dec, grp)
            if value is not None:
                add((value,), how)
    if not found:  # a version number, a list "1,2,3": each part on its own
        add(tuple(Decimal(p) for p in re.split(f"[.,{_SPACES}]", token) if p), "native")
    return found


def _plain(text: str) -> str:
    """The text without placeholders and URLs, whose digits are not quantities."""
    text = _URL.sub(" ", text)
    return _OPAQUE.sub(" ", _LINK_REF.sub("] ", text))


@dataclass(frozen=True)
class _NumberMatch:
    ok: bool  # the translation has the source's numbers, read some way
    misleading: tuple[str, ...] = ()  # tokens a reader of the language would read as another number
    foreign: tuple[str, ...] = ()  # tokens written the English way, not misread but unusual
    missing: tuple[str, ...] = ()
    extra: tuple[str, ...] = ()


def _source_numbers(text: str) -> list[tuple[str, tuple[Decimal, ...]]]:
    return [(m.group(), _readings(m.group(), "en")[0][0]) for m in _NUMBER.finditer(_plain(text))]


def _match_numbers(source: str, translation: str, locale: str) -> _NumberMatch:
    wanted = Counter(v for _, values in _source_numbers(source) for v in values)
    tokens = [(m.group(), _readings(m.group(), locale)) for m in _NUMBER.finditer(_plain(translation))]
    best = None
    choices = [readings for _, readings in tokens]
    if len(list(itertools.islice(itertools.product(*choices), 4097))) > 4096:
        choices = [readings[:1] for readings in choices]  # too ambiguous to search: native readings only
    for combination in itertools.product(*choices):
        if Counter(v for values, _ in combination for v in values) != wanted:
            continue
        misleading = tuple(t for (t, readings), (_, how) in zip(tokens, combination)
                           if how == "foreign" and readings[0][1] == "native")
        foreign = tuple(t for (t, readings), (_, how) in zip(tokens, combination)
                        if how == "foreign" and readings[0][1] == "foreign")
        if best is None or (len(misleading), len(foreign)) < (len(best.misleading), len(best.foreign)):
            best = _NumberMatch(True, misleading, foreign)
    if best is not None:
        return best
    have = Counter(v for _, readings in tokens for v in readings[0][0])
    shown = {v: t for t, values in _source_numbers(source) for v in values}
    written = {v: t for t, readings in tokens for v in readings[0][0]}
    return _NumberMatch(
        False,
        missing=tuple(shown[v] for v in sorted(wanted - have)),
        extra=tuple(written[v] for v in sorted(have - wanted)),
    )


def _native(token: str, locale: str) -> str:
    """How ``token`` (read the English way) is written in ``locale``."""
    from babel.numbers import format_decimal

    value = _readings(token, "en")[0][0][0]
    try:
        return format_decimal(value, locale=locale or "en", decimal_quantization=False)
    except Exception:
        return token


@_entry_check("numbers", ERROR)
def check_numbers(entry: Entry) -> Iterator[str]:
    """Every number of the source, same value, in the language's way of writing it."""
    found = entry.numbers
    if not found.ok:
        balance = entry.balance
        if balance is not None and not balance.missing and not balance.extra:
            return  # "four" became "4", or "4" became "cuatro": the same numbers
        lost = ", ".join(found.missing)
        if found.extra:
            hint = "; ".join(f"{t} (in {entry.locale}: {_native(t, entry.locale)})" for t in found.missing)
            yield f"the translation has {', '.join(found.extra)} but not {hint or lost}"
        else:
            yield f"the translation leaves out {lost}"
        return
    decimal, group = _symbols(entry.locale)
    for token in found.misleading:
        yield (f"{token} reads as another number in {entry.locale or 'this language'} "
               f"(decimal '{decimal}', groups '{group}'): write {_native(token, entry.locale)}")


@_entry_check("number-format", WARNING)
def check_number_format(entry: Entry) -> Iterator[str]:
    """Numbers kept in English notation that readers will still understand."""
    for token in entry.numbers.foreign if entry.numbers.ok else ():
        yield f"{token} is written the English way; in {entry.locale}: {_native(token, entry.locale)}"


def _doses(text: str, locale: str) -> list[tuple[frozenset, str, str]]:
    found = []
    for match in _DOSE.finditer(_plain(text)):
        unit = match.group(2).lower()
        values = frozenset(v for values, _ in _readings(match.group(1), locale) if len(values) == 1 for v in values)
        found.append((values, _SAME_UNIT.get(unit, unit), match.group(0)))
    return found


@_entry_check("doses", ERROR)
def check_doses(entry: Entry) -> Iterator[str]:
    """Every number-with-unit (dose, percentage) of the source, same value and unit."""
    available = _doses(entry.translation, entry.locale)
    for values, unit, shown in _doses(entry.source, "en"):
        if not values:
            continue  # not one number ("1,5" in English is a list): the numbers check reports it
        value = next(iter(values))
        match = next((d for d in available if d[1] == unit and value in d[0]), None)
        if match is None:
            yield f"the dose {shown} is not in the translation"
        else:
            available.remove(match)


# -- identifiers, number words, footnotes, frequency ------------------------------------

# A token with letters and digits names one thing (CD38, HER2, BRCA1, MGCD0103,
# 17p, C1234); a letter-hyphen-number name (IL-6, COVID-19) too.  One digit off
# is another gene or another drug, so each must come through as it is.
_IDENTIFIER = re.compile(
    r"(?<![A-Za-z0-9])(?:[A-Z][A-Z0-9]*-\d+[A-Za-z0-9]*|[A-Za-z0-9]*(?:[A-Za-z][A-Za-z0-9]*\d|\d[A-Za-z0-9]*[A-Za-z])"
    r"[A-Za-z0-9]*)(?![\w])"
)
# Not identifiers: ordinals ("1st", "3er"), amounts with their unit ("20mg"), square units ("m2").
_NOT_IDENTIFIER = re.compile(
    r"\d+(?:st|nd|rd|th|er|ra|ro|do|da|to|ta|vo|va|no|na|mo|ma|os|as|o|a|s)"  # 1st, 3er, 2a, 1990s
    r"|\d*(?:[.,]\d+)?(?:" + _UNIT + r"|[cdkm]?m[23]|h|hr|hrs|min|am|pm|x)|x\d+|[cdkm]?m[23]",
    re.I,
)


_DIGIT = re.compile(r"\d")


def _identifiers(text: str) -> Counter:
    return Counter(m.group() for m in _IDENTIFIER.finditer(_plain(text)) if not _NOT_IDENTIFIER.fullmatch(m.group()))


@_entry_check("identifiers", ERROR)
def check_identifiers(entry: Entry) -> Iterator[str]:
    """Names with letters and digits (CD38, HER2, BRCA1, 17p, C1234) exactly as in the source."""
    if not _DIGIT.search(entry.source) and not _DIGIT.search(entry.translation):
        return  # most strings: nothing to look for
    source, target = _identifiers(entry.source), _identifiers(entry.translation)
    missing, extra = sorted((source - target).elements()), sorted((target - source).elements())
    if missing and extra:
        yield f"the source's {', '.join(missing)} became {', '.join(extra)} in the translation"
    elif missing:
        yield f"{', '.join(missing)} is not in the translation: keep it exactly as in the source"
    elif extra:
        yield f"the translation has {', '.join(extra)}, which the source does not"


# Numbers written as words, by language.  A value of 1 ("one", "un", "una",
# "first", "primer") is *soft*: it is compared when both sides have one, but a
# one without a partner is not an error, because "a"/"un"/"una" are articles,
# "one of the" becomes "alguno de los", and "first" becomes "al principio".
_ONES = {
    "en": "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
          "sixteen seventeen eighteen nineteen".split(),
    "es": "cero uno dos tres cuatro cinco seis siete ocho nueve diez once doce trece catorce quince "
          "dieciséis diecisiete dieciocho diecinueve".split(),
}
_TENS = {
    "en": dict(zip("twenty thirty forty fifty sixty seventy eighty ninety".split(), range(20, 100, 10))),
    "es": dict(zip("veinte treinta cuarenta cincuenta sesenta setenta ochenta noventa".split(), range(20, 100, 10))),
}
_NUMBER_WORDS: dict[str, dict[str, Decimal]] = {
    "en": {
        **{w: Decimal(i) for i, w in enumerate(_ONES["en"])},
        **{w: Decimal(v) for w, v in _TENS["en"].items()},
        **{f"{t}-{o}": Decimal(v + i) for t, v in _TENS["en"].items() for i, o in enumerate(_ONES["en"][1:10], 1)},
        **{w: Decimal(i) for i, w in enumerate(
            "first second third fourth fifth sixth seventh eighth ninth tenth".split(), 1)},
        "thirds": Decimal(3), "quarter": Decimal(4), "quarters": Decimal(4),
        "twice": Decimal(2), "dozen": Decimal(12), "half": Decimal("0.5"),
        "every other": Decimal(2), "alternate days": Decimal(2), "alternate weeks": Decimal(2),
    },
    "es": {
        **{w: Decimal(i) for i, w in enumerate(_ONES["es"])},
        "un": Decimal(1), "una": Decimal(1), "dieciseis": Decimal(16),
        **{w: Decimal(v) for w, v in _TENS["es"].items()},
        **{w: Decimal(21 + i) for i, w in enumerate(
            "veintiuno veintidós veintitrés veinticuatro veinticinco veintiséis veintisiete veintiocho "
            "veintinueve".split())},
        "veintiún": Decimal(21), "veintiuna": Decimal(21), "veintidos": Decimal(22), "veintitres": Decimal(23),
        "veintiseis": Decimal(26),
        **{f"{ordinal}{ending}": Decimal(i)
           for i, stems in enumerate([["primer"], ["segund"], ["tercer"], ["cuart"], ["quint"],
                                      ["sext"], ["séptim", "sétim"], ["octav"], ["noven"], ["décim"]], 1)
           for ordinal in stems for ending in ("o", "a")},
        # Plurals only where they are not also a measure: "30 segundos", "unas décimas de fiebre".
        **{f"{ordinal}{ending}": Decimal(i) for i, ordinal in ((1, "primer"), (3, "tercer")) for ending in ("os", "as")},
        "primer": Decimal(1), "tercer": Decimal(3), "tercio": Decimal(3), "tercios": Decimal(3),
        "docena": Decimal(12), "mitad": Decimal("0.5"), "días alternos": Decimal(2), "dias alternos": Decimal(2),
        "semanas alternas": Decimal(2), "un día sí y otro no": Decimal(2),
    },
}
# Spanish "medio"/"media" is a half only before a measure ("media tableta") or
# after "y" ("dos y media"); elsewhere it is "means", "middle" or "average".
_HALF_ES = re.compile(
    r"\b(?:y\s+(?:medio|media)\b|(?:medio|media)\s+(?:hora|día|dia|semana|mes|año|comprimido|tableta|pastilla|"
    r"cápsula|capsula|dosis|cucharad\w*|vial|ampolla|frasco|vaso|taza|litro|mililitro|gramo|miligramo|kilo\w*)\b)",
    re.I,
)
# Tens and units joined by "y" in Spanish: "treinta y cinco" is 35.
_TENS_Y_UNITS_ES = re.compile(
    r"\b(" + "|".join(_TENS["es"]) + r")\s+y\s+(uno|una|un|dos|tres|cuatro|cinco|seis|siete|ocho|nueve)\b", re.I
)
# A plural ordinal before a noun, not after a number: "segundos cánceres" (2),
# but "30 segundos", "tres cuartos", "unas décimas" are measures and skipped.
_PLURAL_ORDINAL_ES = re.compile(
    r"(?:\b(\w+)\s+)?\b(segund|cuart|quint|sext|séptim|octav|noven|décim)(os|as)\b(?=\s+[^\W\d_])", re.I)
# Pronunciation guides ("(kar-FIL-zoh-mib)") are sounds, not words.
_SOUNDS = re.compile(r"\((?=[^()]*-)(?=[^()]*[A-Z]{2})[A-Za-z -]+\)")
_SOFT = Decimal(1)
# Words made of number words that say no number ("half-life" is "semivida" or "vida media").
_NOT_NUMBERS = frozenset({"half-life", "half-lives", "second-hand", "one-on-one"})
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


@lru_cache(maxsize=None)
def _phrase_pattern(language: str) -> re.Pattern:
    """The number words of several words ("every other", "días alternos"), read before single words."""
    phrases = sorted((w for w in _NUMBER_WORDS[language] if " " in w), key=len, reverse=True)
    return re.compile(r"(?<!\w)(" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in phrases) + r")(?!\w)", re.I)


def _prose(text: str) -> str:
    """The text the word checks read: no placeholders, URLs or pronunciation guides (same length)."""
    return _SOUNDS.sub(lambda m: " " * len(m.group()), _plain(text))


def _number_words(text: str, language: str) -> list[tuple[Decimal, str, int]]:
    """(value, as written, offset in :func:`_prose`) of every number written as a word in ``text``."""
    text = _prose(text)
    found: list[tuple[Decimal, str, int]] = []
    blank = lambda m: " " * len(m.group())  # noqa: E731 - keep offsets
    words = _NUMBER_WORDS[language]
    if language == "es":
        for match in _TENS_Y_UNITS_ES.finditer(text):
            tens, units = match.group(1).lower(), match.group(2).lower()
            found.append((words[tens] + words[units], match.group(), match.start()))
        text = _TENS_Y_UNITS_ES.sub(blank, text)
        found += [(Decimal("0.5"), m.group(), m.start()) for m in _HALF_ES.finditer(text)]
        text = _HALF_ES.sub(blank, text)
    for match in _phrase_pattern(language).finditer(text):
        found.append((words[re.sub(r"\s+", " ", match.group().lower())], match.group(), match.start()))
    text = _phrase_pattern(language).sub(blank, text)
    if language == "es":  # "segundos cánceres" is an ordinal; "30 segundos", "dos cuartos" are measures
        for match in _PLURAL_ORDINAL_ES.finditer(text):
            before = (match.group(1) or "").lower()
            if before.isdigit() or before in words or before in ("unos", "unas"):
                continue
            ordinal = match.group(2) + match.group(3)[0]  # "segundos" reads as "segundo"
            found.append((words[ordinal.lower()], ordinal, match.start(2)))
            text = text[:match.start(2)] + " " * (match.end(3) - match.start(2)) + text[match.end(3):]
    # A dictionary look-up per word: one regular expression of every word was about four times slower.
    for match in _WORD.finditer(text):
        word = match.group().lower()
        if word in words:
            found.append((words[word], match.group(), match.start()))
        elif "-" in word and word not in _NOT_NUMBERS:  # "one-third": each part
            offset = match.start()
            for part in match.group().split("-"):
                if part.lower() in words:
                    found.append((words[part.lower()], part, offset))
                offset += len(part) + 1
    return sorted(found, key=lambda f: f[2])


def _language(locale: str) -> str:
    return re.split(r"[_-]", locale or "")[0].lower()


def _digit_values(text: str, locale: str) -> Counter:
    return Counter(v for m in _NUMBER.finditer(_plain(text)) for v in _readings(m.group(), locale)[0][0])


@dataclass(frozen=True)
class _Balance:
    """Numbers in digits and in words, compared by value; what one side says and the other does not."""

    source_words: tuple[tuple[Decimal, str, int], ...]
    target_words: tuple[tuple[Decimal, str, int], ...]
    missing: tuple[Decimal, ...] = ()
    extra: tuple[Decimal, ...] = ()


def _number_balance(entry: Entry) -> _Balance | None:
    """The balance of numbers when either side writes one as a word; None when neither does."""
    language = _language(entry.locale)
    if language not in _NUMBER_WORDS or entry.translation == entry.source:
        return None  # a string kept in English says what the source says
    source_words, target_words = _number_words(entry.source, "en"), _number_words(entry.translation, language)
    if not source_words and not target_words:
        return None
    source_digits = _digit_values(entry.source, "en")
    target_digits = source_digits if entry.numbers.ok else _digit_values(entry.translation, entry.locale)
    source = source_digits + Counter(v for v, _, _ in source_words)
    target = target_digits + Counter(v for v, _, _ in target_words)

    def hard(values: Counter, words) -> tuple[Decimal, ...]:
        # A one written as a word may stand alone: "a"/"un" is an article, "first" is "al principio".
        values[_SOFT] = max(0, values[_SOFT] - sum(1 for v, _, _ in words if v == _SOFT))
        return tuple(sorted(values.elements()))

    return _Balance(tuple(source_words), tuple(target_words),
                    hard(source - target, source_words), hard(target - source, target_words))


@_entry_check("number-words", ERROR)
def check_number_words(entry: Entry) -> Iterator[str]:
    """Numbers written as words ("four", "cuatro", "twice", "primera") say the source's numbers.

    Digits and words are compared by value: "four" may become "4", "4" may
    become "cuatro", but "at least four" may not become "al menos tres".
    """
    balance = entry.balance
    if balance is None:
        return
    source_spans, target_spans = [], []
    if next(check_frequency(entry), None) is not None:  # that check says it better for "dos veces"
        source_spans = [span for _, _, span in entry.frequencies[0]]
        target_spans = [span for _, _, span in entry.frequencies[1]]

    def shown(words, values, spans) -> list[str]:
        return [f"'{t}' ({_shown(v)})" for v, t, at in words
                if v in values and not any(start <= at < end for start, end in spans)]

    said = shown(balance.source_words, balance.missing, source_spans)
    wrote = shown(balance.target_words, balance.extra, target_spans)
    if said and wrote:
        yield f"the source says {', '.join(said)}, the translation {', '.join(wrote)}"
    elif said:
        yield f"the source's {', '.join(said)} is not in the translation, as a word or in digits"
    elif wrote:
        yield f"the translation has {', '.join(wrote)}, which the source does not"


def _shown(value: Decimal) -> str:
    return format(value.normalize(), "f")


# Footnote and superscript markers: a dropped "¹" loses the note it points to
# (an accelerated approval, a boxed warning).  A square or cubic unit ("m²") is not one.
_FOOTNOTE_MARKS = "¹²³⁴⁵⁶⁷⁸⁹⁰†‡§*"
_SQUARE_UNIT = re.compile(r"(?<![^\W\d_])[cdkm]?m[²³]")


def _footnote_marks(text: str) -> Counter:
    text = _SQUARE_UNIT.sub(" ", _plain(text))
    # An asterisk is a footnote only where Markdown reads it as a character, not as emphasis.
    literal = "".join(t.content for t in _inline(text) if t.type == "text") if "*" in text else ""
    marks = Counter(c for c in text if c in _FOOTNOTE_MARKS and c != "*")
    marks["*"] = literal.count("*")
    return +marks


@_entry_check("footnotes", ERROR)
def check_footnotes(entry: Entry) -> Iterator[str]:
    """Footnote and superscript markers (¹ ² ³ * † ‡ §) as often as in the source."""
    if all(entry.source.count(mark) == entry.translation.count(mark) for mark in _FOOTNOTE_MARKS):
        return  # the same characters: no need to tell an asterisk from emphasis
    source, target = _footnote_marks(entry.source), _footnote_marks(entry.translation)
    for mark in sorted(set(source) | set(target)):
        if source[mark] != target[mark]:
            yield f"the footnote marker {mark} appears {source[mark]} time(s) in the source, {target[mark]} in the translation"


# How often: a number of times ("once", "twice", "3 times"; "una vez", "dos
# veces") and a period ("daily", "every 8 hours", "every other day"; "al día",
# "cada 8 horas", "en días alternos").  "Once a day" is (times 1, every 1 day).
_UNITS = {"hour": "hour", "hours": "hour", "hora": "hour", "horas": "hour", "day": "day", "days": "day",
          "día": "day", "días": "day", "dia": "day", "dias": "day", "week": "week", "weeks": "week",
          "semana": "week", "semanas": "week", "month": "month", "months": "month", "mes": "month",
          "meses": "month", "year": "year", "years": "year", "año": "year", "años": "year"}
_PERIOD_WORDS = {
    "en": {"daily": "day", "weekly": "week", "monthly": "month", "yearly": "year", "annually": "year",
           "hourly": "hour", "nightly": "day"},
    "es": {"diario": "day", "diaria": "day", "diarios": "day", "diarias": "day", "diariamente": "day",
           "a diario": "day", "semanal": "week", "semanales": "week", "semanalmente": "week", "mensual": "month",
           "mensuales": "month", "mensualmente": "month", "anual": "year", "anuales": "year",
           "anualmente": "year"},
}
_UNIT_WORDS = "|".join(sorted(_UNITS, key=len, reverse=True))
_COUNT = r"(\d+|[^\W\d_]+(?:[- ]y[- ][^\W\d_]+|-[^\W\d_]+)?)"
_FREQUENCY = {
    "en": [
        (re.compile(r"(?<!\bat )\bonce(?=\s+(?:a|an|per|every|each|daily|weekly|monthly|yearly|nightly|in|on|or|and|"
                    r"only|\d)\b|-(?:daily|weekly|monthly|yearly|nightly)\b|\s*(?:[,.;:)]|$))", re.I), "times",
         lambda m: 1),
        (re.compile(r"\btwice\b", re.I), "times", lambda m: 2),
        (re.compile(r"\bthrice\b", re.I), "times", lambda m: 3),
        (re.compile(r"\b" + _COUNT + r"\s+times\b", re.I), "times", "count"),
        (re.compile(r"\bevery\s+other\s+(" + _UNIT_WORDS + r")\b", re.I), "every", lambda m: 2),
        (re.compile(r"\b(?:on\s+)?alternate\s+(days|weeks)\b", re.I), "every", lambda m: 2),
        (re.compile(r"\bevery\s+" + _COUNT + r"\s+(" + _UNIT_WORDS + r")\b", re.I), "every", "count"),
        (re.compile(r"\b(?:every|each|per)\s+(" + _UNIT_WORDS + r")\b", re.I), "every", lambda m: 1),
        # "a day" is a rate after "once", "2 tablets"...; not in "for a day", "an hour before".
        (re.compile(r"(?<!\bfor )(?<!\bwithin )(?<!\bin )(?<!\bthan )(?<!\bof )(?<!\bafter )(?<!\bbefore )"
                    r"(?<!\bover )(?<!\babout )(?<!\bjust )(?<!\bonly )(?<!\blast )(?<!\bhalf )(?<!\bwait )"
                    r"\b(?:a|an)\s+(" + _UNIT_WORDS + r")\b(?!\s+(?:before|after|later|ago|apart|earlier|long|of|from)\b)",
                    re.I), "every", lambda m: 1),
    ],
    "es": [
        (re.compile(r"\buna\s+vez(?=\s+(?:al|a|por|cada|diaria\w*|semanal\w*|mensual\w*|el|en|o|y|solo|sólo|\d)\b"
                    r"|\s*(?:[,.;:)]|$))", re.I), "times", lambda m: 1),
        (re.compile(r"\b" + _COUNT + r"\s+veces\b", re.I), "times", "count"),
        (re.compile(r"\b(?:en\s+)?(días|semanas)\s+altern[oa]s\b|\bun\s+(día)\s+sí\s+y\s+otro\s+no\b", re.I),
         "every", lambda m: 2),
        (re.compile(r"\bcada\s+" + _COUNT + r"\s+(" + _UNIT_WORDS + r")\b", re.I), "every", "count"),
        (re.compile(r"\b(?:cada|por|todos\s+los|todas\s+las)\s+(" + _UNIT_WORDS + r")\b"
                    r"(?!\s+(?:siguiente|anterior)\b)", re.I), "every", lambda m: 1),
        # "al día" is a rate, but not in "al día siguiente" (the next day) or "al día de hoy" (today).
        (re.compile(r"\b(?:al|a\s+la)\s+(" + _UNIT_WORDS + r")\b"
                    r"(?!\s+(?:siguiente|anterior|de|del)\b)", re.I), "every", lambda m: 1),
    ],
}


def _count_value(word: str, language: str) -> Decimal | None:
    word = re.sub(r"[\s-]+", " ", word.lower())
    if word.isdigit():
        return Decimal(word)
    found = _number_words(word, language)
    return sum((v for v, _, _ in found), Decimal(0)) if found else None


@lru_cache(maxsize=None)
def _period_pattern(language: str) -> re.Pattern:
    words = _PERIOD_WORDS[language]
    return re.compile(r"(?<!\w)(" + "|".join(sorted(words, key=len, reverse=True)) + r")(?![\w-])", re.I)


# Every frequency has one of these in it; a text with none (most of a sheet) is not searched.
_FREQUENCY_HINTS = {
    "en": re.compile(r"once|twice|thrice|times|every|each|per|alternate|hour|day|daily|week|month|year|annual|nightly", re.I),
    "es": re.compile(r"vez|veces|cada|altern|hora|d[íi]a|semana|mes|mensual|año|anual", re.I),
}


def _frequencies(text: str, language: str) -> list[tuple[tuple, str, tuple[int, int]]]:
    """((kind, number, unit), as written, span in :func:`_prose`) for every frequency in ``text``."""
    if not _FREQUENCY_HINTS[language].search(text):
        return []
    text = _prose(text)
    found: list[tuple[int, tuple, str]] = []
    taken: list[tuple[int, int]] = []
    for pattern, kind, how in _FREQUENCY[language]:
        for match in pattern.finditer(text):
            if any(start < match.end() and match.start() < end for start, end in taken):
                continue  # a longer phrase already read this text ("every other day" is not "a day")
            if how == "count":
                number = _count_value(match.group(1), language)
                if number is None:
                    continue  # "many times", "muchas veces": not a number
            else:
                number = Decimal(how(match))
            unit = next((_UNITS[g.lower()] for g in reversed(match.groups()) if g and g.lower() in _UNITS), None)
            found.append((match.span(), (kind, number, unit), match.group()))
            taken.append(match.span())
    words = _PERIOD_WORDS[language]
    for match in _period_pattern(language).finditer(text):
        if not any(start < match.end() and match.start() < end for start, end in taken):
            found.append((match.span(), ("every", Decimal(1), words[match.group().lower()]), match.group()))
    return [(item, shown, span) for span, item, shown in sorted(found, key=lambda f: f[0])]


def _how_often(found: list[tuple[tuple, str, tuple[int, int]]]) -> Counter:
    """What the frequencies say, compared: "once a week" is "weekly", once per period being implied."""
    items = Counter(item for item, _, _ in found)
    if any(item[0] == "every" for item in items):
        del items[("times", Decimal(1), None)]
    return items


@_entry_check("frequency", ERROR)
def check_frequency(entry: Entry) -> Iterator[str]:
    """How often (once, twice, daily, every 8 hours, every other day) as in the source."""
    if entry.frequencies is None:
        return
    source, target = entry.frequencies
    if _how_often(source) == _how_often(target):
        return
    said = ", ".join(f"'{s}'" for _, s, _ in source) or "no frequency"
    wrote = ", ".join(f"'{s}'" for _, s, _ in target) or "none"
    yield f"the source says {said}, the translation {wrote}: how often must agree"


# Characters a reader does not see but that change what is shown: C0 and C1
# controls (a line break inside a segment is "\n", so that one is allowed) and
# bidirectional controls, which reorder text ("1,5 mg" shown as "gm 5,1").
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
_CONTROL_NAMES = {"\x00": "NUL", "\x1b": "ESC", "\r": "carriage return", "\x0b": "vertical tab", "\x0c": "form feed"}


@_entry_check("control-chars", ERROR)
def check_control_chars(entry: Entry) -> Iterator[str]:
    """No control or bidirectional-control characters that the source does not have."""
    for char in sorted(set(_INVISIBLE.findall(entry.translation)) - set(entry.source)):
        name = _CONTROL_NAMES.get(char) or unicodedata.name(char, "control character")
        kind = "bidirectional control" if unicodedata.category(char) == "Cf" else "control character"
        yield (f"the translation contains U+{ord(char):04X} {name} (a {kind} readers do not see, "
               f"which can hide or reorder text): delete it")


# -- markup -------------------------------------------------------------------------------

_PAIRED = {"strong_open": "bold (**)", "em_open": "italics (*)", "s_open": "strikethrough (~~)",
           "code_inline": "code span (`)", "link_open": "link", "image": "image"}
_DELIMITERS = ("**", "__", "~~", "`", "*", "[", "]")


def _inline(text: str) -> list:
    numbers = set(_LINK_REF.findall(text))
    env = {"references": {n: {"href": "", "title": ""} for n in numbers}}
    tokens = markdown_parser().parseInline(text.replace("\n", "  \n"), env)[0].children or []
    return list(tokens)


def _structure(text: str) -> tuple[Counter, Counter]:
    """(markup spans by kind, delimiters left unmatched in the text)."""
    tokens = _inline(text)
    spans = Counter(_PAIRED[t.type] for t in tokens if t.type in _PAIRED)
    loose: Counter = Counter()
    for token in tokens:
        if token.type != "text":
            continue
        rest = token.content
        for delimiter in _DELIMITERS:
            loose[delimiter] += rest.count(delimiter)
            rest = rest.replace(delimiter, "")
    return spans, +loose


@_entry_check("markup", ERROR)
def check_markup(entry: Entry) -> Iterator[str]:
    """Bold, italics, code spans and brackets balanced as in the source; no HTML added."""
    source_spans, source_loose = _structure(entry.source)
    spans, loose = _structure(entry.translation)
    for delimiter in sorted(loose - source_loose):
        yield f"unmatched {delimiter} in the translation"
    source_html = {t.content for t in _inline(entry.source) if t.type == "html_inline"}
    for token in _inline(entry.translation):
        if token.type == "html_inline" and token.content not in source_html:
            yield f"the translation adds HTML the source does not have: {token.content}"
    for kind in sorted(set(source_spans) | set(spans)):
        if kind in ("link", "image"):
            continue  # the links check says which
        if source_spans[kind] != spans[kind]:
            yield f"the source has {source_spans[kind]} {kind}, the translation {spans[kind]}"


# -- terminology ----------------------------------------------------------------------------


def _occurs(term: str, text: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(term) + r"(?!\w)", text, re.I) is not None


_SYLLABLES = re.compile(r"[A-Za-z]+(?:[- ][A-Za-z]+){2,}")


def _is_pronunciation(term: str) -> bool:
    """A pronunciation guide: hyphenated syllables, the stressed ones in capitals (kar-FIL-zoh-mib)."""
    return bool(_SYLLABLES.fullmatch(term)) and term.count("-") >= 2 and any(
        len(p) > 1 and p.isupper() for p in re.split(r"[- ]", term))


def _name_problem(term: str, entry: Entry, generic: bool) -> str | None:
    """Why ``term`` (in the source) is not rightly in the translation, or None if it is.

    The glossary wins: its translation of the term is accepted, and a term it
    keeps as it is may not take a Spanish form.  A generic drug name may be
    written in its Spanish generic form (la pomalidomida); a brand name or a
    pronunciation never changes (a pronunciation not even in case).
    """
    wanted = {k.lower(): v for k, v in entry.terms.required.items()}.get(term.lower())
    if wanted and _occurs(wanted, entry.translation):
        return None
    if _is_pronunciation(term):
        if re.search(r"(?<![\w-])" + re.escape(term) + r"(?![\w-])", entry.translation):
            return None
        return f"'{term}' is a pronunciation: keep it letter for letter, in the same case"
    if _occurs(term, entry.translation):
        return None
    spanish = spanish_generic(term) if generic and _language(entry.locale) == "es" else None
    if spanish and is_acceptable(term, entry.translation):
        return None
    if spanish:
        return f"'{term}' is a drug name: write it as in the source or as its Spanish generic name '{spanish}'"
    return f"'{term}' is a name: keep it as it is in the source"


@_entry_check("do-not-translate", ERROR)
def check_do_not_translate(entry: Entry) -> Iterator[str]:
    """Names survive: a brand or a pronunciation as in the source, a generic name also in its Spanish form.

    A pronunciation line (``(kar-FIL-zoh-mib)``) is never changed at all.  The
    generic names the source mentions (found by :func:`l10n.drugnames.find_generic_names`)
    are held to the same rule as the sheet's own drug.
    """
    source = entry.source.strip()
    if source[:1] + source[-1:] == "()" and _is_pronunciation(source[1:-1]) and entry.translation.strip() != source:
        yield f"{source} is a pronunciation line: the translation must be the same, letter for letter"
        return
    exact = {t.lower() for t in entry.terms.do_not_translate - entry.terms.generic}
    checked: set[str] = set()
    for term in sorted(entry.terms.do_not_translate):
        if _occurs(term, entry.source):
            checked.add(term.lower())
            problem = _name_problem(term, entry, generic=term in entry.terms.generic and term.lower() not in exact)
            if problem:
                yield problem
    for _start, _end, name in find_generic_names(entry.source):
        key = " ".join(name.split()).lower()
        if key in checked or any(_occurs(t, name) for t in checked):
            continue  # the sheet's own name, or a name inside it, is checked above
        checked.add(key)
        problem = _name_problem(" ".join(name.split()), entry, generic=key not in exact)
        if problem:
            yield problem


@_entry_check("glossary", WARNING)
def check_glossary(entry: Entry) -> Iterator[str]:
    """Terms with a decided translation use it."""
    for term, wanted in sorted(entry.terms.required.items()):
        if _occurs(term, entry.source) and not _occurs(wanted, entry.translation):
            yield f"'{term}' should be translated as '{wanted}'"


# -- cosmetic -------------------------------------------------------------------------------

_PRONUNCIATION = re.compile(r"\((?:[A-Za-z]+-)*[A-Za-z]+(?:[ -](?:[A-Za-z]+-)*[A-Za-z]+)*\)")


def _words_to_translate(entry: Entry) -> list[str]:
    text = _plain(entry.source)
    for term in entry.terms.do_not_translate:
        text = re.sub(r"(?<!\w)" + re.escape(term) + r"(?!\w)", " ", text, flags=re.I)
    return re.findall(r"[^\W\d_]{2,}", text)


@_entry_check("same-as-source", WARNING)
def check_same_as_source(entry: Entry) -> Iterator[str]:
    """A translation that is the English text, where the English has words to translate."""
    if entry.translation != entry.source or _PRONUNCIATION.fullmatch(entry.source.strip()):
        return
    if _words_to_translate(entry):
        yield "the translation is the English text"


@_entry_check("whitespace", WARNING)
def check_whitespace(entry: Entry) -> Iterator[str]:
    """Leading and trailing whitespace as in the source."""
    for where, pattern in (("leading", r"^\s*"), ("trailing", r"\s*$")):
        if re.search(pattern, entry.source).group() != re.search(pattern, entry.translation).group():
            yield f"{where} whitespace differs from the source"


_CLOSERS = re.compile(r"(?:\[\d+\]|\{\d+\}|[\])*_\"'»”’\s])+$")
_FINAL = ".:;!?…"
_ABBREVIATION = re.compile(r"(?:(?<![^\W\d_])[A-ZÁÉÍÓÚÑ]{1,3}|\betc)\.$")  # "EE. UU.", "etc."


def _final(text: str) -> set[str]:
    """The final punctuation a text may be read to have: one mark, or none."""
    text = _CLOSERS.sub("", text)
    if _ABBREVIATION.search(text):
        return {"", "."}  # an abbreviation's period may or may not end the sentence too
    return {text[-1] if text and text[-1] in _FINAL else ""}


@_entry_check("punctuation", WARNING)
def check_punctuation(entry: Entry) -> Iterator[str]:
    """Final punctuation as in the source (and Spanish's opening ¿ and ¡)."""
    source, target = _final(entry.source), _final(entry.translation)
    if not source & target and source | target != {"?", "!"}:
        said, got = min(source), min(target)
        yield f"the source ends with {said or 'no punctuation'!r}, the translation with {got or 'none'!r}"
    if entry.locale.split("_")[0] in ("es", "gl", "ast"):
        for opening, closing in (("¿", "?"), ("¡", "!")):
            if entry.translation.count(closing) > entry.translation.count(opening):
                yield f"a '{closing}' without its opening '{opening}'"


LENGTH_RATIO = (0.5, 2.2)  # Spanish runs 15-30% longer than English; outside this, something is off
LENGTH_MINIMUM = 40  # characters; short strings vary too much to judge


@_entry_check("length", WARNING)
def check_length(entry: Entry) -> Iterator[str]:
    """A translation much shorter or longer than the source (a lost or doubled sentence)."""
    source, target = len(_plain(entry.source)), len(_plain(entry.translation))
    if source < LENGTH_MINIMUM:
        return
    ratio = target / source
    if not LENGTH_RATIO[0] <= ratio <= LENGTH_RATIO[1]:
        yield f"the translation is {ratio:.1f} times as long as the source (usually 1.0-1.3)"


# -- source checks ---------------------------------------------------------------------------

SCAFFOLDING = re.compile(
    r"placeholder(?: slot| text)?|lorem ipsum.*|todo\b.*|tbd|fixme\b.*|xxx+|insert .* here|\?\?\?+", re.I
)


@_source_check("mojibake", ERROR)
def source_mojibake(doc: Document, segments) -> Iterator[tuple[int, str]]:
    """Text decoded with the wrong encoding somewhere upstream ("Patientsâ€™")."""
    import ftfy

    for number, line in enumerate(doc.text.splitlines(), 1):
        fixed = ftfy.fix_encoding(line)
        if fixed != line or "\ufffd" in line:
            words = [w for w, f in zip(line.split(), fixed.split()) if w != f] or ["\ufffd"]
            shown = ", ".join(f"{w!r} (should be {ftfy.fix_encoding(w)!r})" for w in words[:3])
            yield number, f"mojibake: {shown}"


@_source_check("scaffolding", ERROR)
def source_scaffolding(doc: Document, segments) -> Iterator[tuple[int, str]]:
    """Leftover template text ("Placeholder slot", "TODO") that would reach patients."""
    for segment in segments:
        if SCAFFOLDING.fullmatch(segment.text.strip()):
            yield segment.line, f"leftover scaffolding text {segment.text.strip()!r}"


def _inline_tokens(doc: Document):
    """Every inline token of the body with its first source line."""
    for token in markdown_parser().parse(doc.body):
        if token.type == "inline" and token.map:
            yield doc.body_line + token.map[0], token


@_source_check("empty-heading", ERROR)
def source_empty_heading(doc: Document, segments) -> Iterator[tuple[int, str]]:
    """A heading with no text (a lone '#')."""
    tokens = markdown_parser().parse(doc.body)
    for opening, inline in zip(tokens, tokens[1:]):
        if opening.type == "heading_open" and not inline.content.strip():
            yield doc.body_line + opening.map[0], f"empty heading '{opening.markup}'"


_BROKEN_LINK = (
    (re.compile(r"\[[^\[\]]+\]\s+\((?:https?:|/|#)"), "a space between ']' and '(' breaks this link"),
    (re.compile(r"\[[^\[\]]*\]\([^)]*$"), "a link whose '(' is never closed"),
    (re.compile(r"\[[^\[\]]*\]\([^)]*\)"), "text that looks like a link but is not read as one"),
    (re.compile(r"\[[^\[\]]+\]\[[^\[\]]*\]"), "a reference link whose label is never defined"),
)


@_source_check("link-syntax", ERROR)
def source_link_syntax(doc: Document, segments) -> Iterator[tuple[int, str]]:
    """Link syntax that Markdown does not read as a link, and links with no text or target."""
    for line, inline in _inline_tokens(doc):
        children = inline.children or []
        text = ""
        for child in children + [None]:
            if child is not None and child.type == "text":
                text += child.content
                continue
            for pattern, message in _BROKEN_LINK:
                found = pattern.search(text)
                if found:
                    yield line, f"{message}: {found.group()[:60]}"
                    break
            text = ""
        for index, child in enumerate(children):
            if child.type == "link_open":
                following = children[index + 1] if index + 1 < len(children) else None
                if not child.attrGet("href"):
                    yield line, "a link with no target"
                if following is None or following.type == "link_close":
                    yield line, f"a link with no text ({child.attrGet('href')})"


@_source_check("markup", WARNING)
def source_markup(doc: Document, segments) -> Iterator[tuple[int, str]]:
    """Bold or code markers that never close, shown to patients as stray characters."""
    for segment in segments:
        if segment.kind in ("front-matter", "image-alt"):
            continue
        _, loose = _structure(segment.text)
        for delimiter in sorted(set(loose) - {"[", "]"}):
            yield segment.line, f"unmatched {delimiter}"
