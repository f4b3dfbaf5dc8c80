"""Machine drafts: mask what must be protected, translate, restore, check.

:func:`machine_drafts` turns msgids into fuzzy-draft text with an engine, for
:mod:`l10n.pretranslate` and the quality benchmark (``bench/quality.py``):

1. **Masks only where needed.**  Links, code, ``{N}``, line breaks, URLs and
   numbers with their units are always masked.  Names (the sheet's drug and
   brand names, the glossary's do-not-translate terms) and glossary terms
   with a required translation are *not*, at first: a mask is an unknown
   word to the engine, and the grammar around it suffers ("esta
   medicamento", "pulmón cáncer").  The draft is checked instead: every name
   must come back letter for letter, every required translation must be
   there in some inflection ("cáncer" in "células cancerosas").  The terms
   the engine got wrong are masked in a second round, every term in a third;
   a draft that lost a term is never used, so protection is as strict as
   masking everything.
2. **Generic drug names in Spanish.**  A generic (INN) name the sheet keeps
   is written in its Spanish form where Spanish has one ("pomalidomide" ->
   "pomalidomida"), through :func:`spanish_name`, and as the common noun it
   is in Spanish ("El bortezomib está aprobado", "Más sobre el bortezomib")
   for the names in :attr:`Request.generic`; brand names never change.
3. **Title Case** pieces ("More About Bortezomib", a link's "Targeted
   Cancer Therapies") go to the engine as English sentences; a heading comes
   back in Spanish sentence case.
4. The engine's own post-edit rules (:meth:`Engine.post_edit`) run once more
   over the restored text, where agreement across a link shows ("otro
   [medicamentos]"); a rule may never change what a mask kept.

Engine outputs are cached by the caller's memory (keyed by the engine's
label), so a second run calls no engine.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Callable, Mapping, Sequence

from .engines import Engine, EngineError
from . import drugnames
from .errors import TranslationError
from .masking import TOKEN, Masked, MaskError, Protection, _match_case, mask, restore
from .wordchoice import unglue

__all__ = ["Request", "Draft", "Stages", "machine_drafts", "full_protection", "spanish_name",
           "sentence_case_english", "sentence_case"]


@dataclass(frozen=True)
class Stages:
    """Which drafting stages run (all, normally; the benchmark switches them off one by one)."""

    needed_masks: bool = True  # False: mask every glossary term, as before issue 14
    headings: bool = True
    names: bool = True


@dataclass
class Request:
    """One msgid to draft."""

    text: str
    protection: Protection
    heading: bool = False
    accept: Callable[[str], None] | None = None  # raises TranslationError when the text cannot go in
    generic: frozenset[str] = frozenset()  # lower-case generic drug names written as Spanish common nouns


@dataclass
class Draft:
    """The draft text, or why there is none (``problem`` is a short reason, ``detail`` the specifics)."""

    text: str | None = None
    problem: str = ""
    detail: str = ""


@dataclass
class _Plan:
    request: Request
    terms: dict[str, str | None]  # every protected term, generic names with their Spanish form
    renamed: set[str]  # terms whose value is a Spanish generic name
    found: list[str]  # the protected terms' literals in the source, in order
    attempts: list[Masked] = field(default_factory=list)
    complete: list[bool] = field(default_factory=list)  # per attempt: every term masked


def spanish_name(name: str) -> str | None:
    """The Spanish generic name for a generic drug name the sheet keeps, or None (keep it as written).

    The one place drafting asks :mod:`l10n.drugnames` for a name's Spanish form.
    """
    found = drugnames.spanish_generic(name)
    return found if found and found.lower() != name.lower() else None


def _mentioned_names(text: str) -> list[str]:
    return [name for _start, _end, name in drugnames.find_generic_names(text)]


_WORD = re.compile(r"[^\W\d_][\w'’-]*")


# Words Title Case leaves in lower case.
_MINOR = {"a", "an", "the", "and", "but", "or", "nor", "for", "of", "on", "in", "at", "to", "by", "with", "from",
          "as", "into", "than", "via", "vs"}


def _lower_word(word: str) -> str:
    """``Related`` -> ``related``, ``T-Cell`` -> ``T-cell``; acronyms (``CAR``, ``mRNA``) stay."""
    parts = word.split("-")
    return "-".join(p.lower() if len(p) > 1 and p[0].isupper() and p[1:].islower() else p for p in parts)


def sentence_case_english(text: str, keep: Sequence[str] = ()) -> str:
    """A Title Case heading as an English sentence: capitals kept only on the first word, acronyms and names.

    >>> sentence_case_english("More About __1__ and Related Resources")
    'More about __1__ and related resources'
    >>> sentence_case_english("__2__ Accepting Patients")
    '__2__ accepting patients'
    >>> sentence_case_english("Find Clinical Trials for CAR T-Cell Therapy for Ciltacabtagene Autoleucel",
    ...                       ["ciltacabtagene autoleucel"])
    'Find clinical trials for CAR T-cell therapy for Ciltacabtagene Autoleucel'
    """
    kept = {w.lower() for k in keep for w in _WORD.findall(k)}
    start = len(text) - len(text.lstrip(" *_[(\"'"))

    def word(match: re.Match) -> str:
        w = match.group()
        if match.start() == start or w.lower() in kept:
            return w
        return _lower_word(w)

    return _WORD.sub(word, text)


def _title_cased(text: str) -> bool:
    """Every word of three letters or more, but the small ones, starts with a capital; two are not acronyms."""
    words = [w for w in _WORD.findall(TOKEN.sub("", text)) if len(w) >= 3 and w.lower() not in _MINOR]
    return (len(words) >= 2 and all(w[0].isupper() for w in words)
            and sum(1 for w in words if not w.isupper()) >= 2)


def sentence_case(text: str) -> str:
    """Spanish sentence case: a capital first letter, nothing else changed."""
    found = re.search(r"[^\W\d_]", text)
    if not found or found.group().isupper():
        return text
    return text[: found.start()] + found.group().upper() + text[found.end() :]


def _terms(protection: Protection, text: str, stages: Stages) -> tuple[dict[str, str | None], set[str]]:
    """The protected terms for ``text``: the sheet's, the drug names it mentions, generic names in Spanish."""
    terms = dict(protection.terms)
    renamed: set[str] = set()
    if stages.names:
        for name in _mentioned_names(text):
            terms.setdefault(name.lower(), None)
        for term, value in list(terms.items()):
            if value is None:
                spanish = spanish_name(term)
                if spanish:
                    terms[term] = spanish
                    renamed.add(term)
    return terms, renamed


def full_protection(protection: Protection, text: str, stages: Stages = Stages()) -> Protection:
    """Every mask ``text`` may need, with generic names in Spanish: for strings made only of protected terms."""
    return Protection(_terms(protection, text, stages)[0])


def _masked(plan: _Plan, shield: Protection, stages: Stages) -> Masked:
    """``text`` masked with ``shield``; Title Case pieces as English sentences (see the module docstring)."""
    masked = mask(plan.request.text, shield)
    if not stages.headings:
        return masked
    keep = [t for t, v in plan.terms.items() if v is None or t in plan.renamed]
    pieces, slots = list(masked.pieces), dict(masked.slots)
    for index, piece in enumerate(masked.pieces):
        # Decided on the words as written: a masked term is still a word of the heading.
        literal = TOKEN.sub(lambda m: masked.slots[int(m.group(1))].literal if masked.slots[int(m.group(1))].child < 0
                            else m.group(), piece)
        if not _title_cased(literal):
            continue
        pieces[index] = sentence_case_english(piece, keep)
        # A required translation inside the sentence follows it ("Find __2__" -> "Encuentre estudios clínicos").
        for found in TOKEN.finditer(pieces[index]):
            slot = slots[int(found.group(1))]
            term = slot.literal.lower()
            if found.start() > 0 and slot.child < 0 and plan.terms.get(term) and term not in plan.renamed:
                slots[int(found.group(1))] = replace(slot, value=slot.value[:1].lower() + slot.value[1:])
    for index in range(len(pieces)):
        if masked.needs_engine(index):
            pieces[index] = _DASH_CAPITAL.sub(lambda m: m.group(1) + _lower_word(m.group(2))
                                              if m.group(2).lower() not in keep else m.group(), pieces[index])
    return replace(masked, pieces=tuple(pieces), slots=slots)


# A capital after a dash inside a line ("[Definition][1] - Detailed scientific definition"): Apertium
# treats only the start of its input and of a sentence as one, so elsewhere the capital stays on the
# word, wherever transfer moves it ("- definición científica Detallada").  The word goes to the
# engine in lower case and the capital goes back to the first letter after the dash.
_DASH_CAPITAL = re.compile(r"((?:^|\S) [-–—] )([A-Z][a-z]+)(?![\w-])")


def _dash_capitals(source: str, text: str) -> str:
    """The capital after each `` - `` of ``source`` on the first letter after the same dash of ``text``."""
    wanted = [m.group(2)[:1].isupper() for m in re.finditer(r"( [-–—] )(\W*\w)", source)]
    dashes = list(re.finditer(r"( [-–—] )([^\w]*)(\w)", text))
    if len(wanted) != len(dashes):
        return text
    out = list(text)
    for capital, found in zip(wanted, dashes):
        if capital and found.group(3).islower():
            out[found.start(3)] = found.group(3).upper()
    return "".join(out)


def _plan(request: Request, stages: Stages) -> _Plan:
    terms, renamed = _terms(request.protection, request.text, stages)
    pattern = Protection(terms).pattern()
    found = [m.group() for m in pattern.finditer(request.text)] if pattern is not None else []
    plan = _Plan(request, terms, renamed, found)
    # First attempt: mask only what is always masked (links, code, numbers); the terms are checked afterwards.
    plan.attempts.append(_masked(plan, Protection({}) if stages.needed_masks else Protection(terms), stages))
    plan.complete.append(not stages.needed_masks or not found)
    return plan


def _failed_terms(plan: _Plan, text: str) -> set[str]:
    """The protected terms the draft did not keep (a name changed, a required translation missing)."""
    failed: set[str] = set()
    plain = _plain(text)  # once a draft: it decomposes every character
    for literal, count in Counter(plan.found).items():
        key = literal.lower()
        value = plan.terms.get(key)
        if value is None or key in plan.renamed:
            # A name must come back letter for letter (a generic name may be lower-cased: a common noun).
            written = literal if key not in plan.renamed else value
            if key in plan.request.generic or key in plan.renamed:
                forms = {written, written.lower(), written[:1].upper() + written[1:].lower()}
                found = sum(1 for m in re.finditer(r"(?<![\w-])" + re.escape(written) + r"(?![\w-])", text,
                                                   re.IGNORECASE) if m.group() in forms)
            else:
                found = text.count(literal)
            if found < count:
                failed.add(key)
        else:
            # The English word left as it is does not count ("cancer" is not "cáncer").
            forms = [m for m in _inflected(value).finditer(plain) if text[m.start() : m.end()].lower() != key]
            if len(forms) < count:
                failed.add(key)
    return failed


def _plain(text: str) -> str:
    """Lower case without accents, character for character (positions stay those of ``text``)."""
    out = []
    for ch in text:
        base = [c for c in unicodedata.normalize("NFD", ch.lower()) if not unicodedata.combining(c)]
        out.append(base[0] if len(base) == 1 else ch)
    return "".join(out)


def _inflected(translation: str) -> re.Pattern:
    """The required translation as the draft may have it: a single word by its stem, a phrase exactly.

    "cáncer" is kept in "células cancerosas", "medicamento" in "medicamentos";
    a phrase ("linfoma de células del manto") must be there as it is.

    >>> bool(_inflected("cáncer").search(_plain("Destruye las células cancerosas.")))
    True
    >>> bool(_inflected("linfoma de células del manto").search(_plain("linfoma de célula del manto")))
    False
    """
    words = _plain(translation).split()
    if len(words) > 1:
        return re.compile(r"(?<!\w)" + r"\s+".join(re.escape(w) for w in words) + r"(?!\w)")
    word = words[0]
    stem = word[: max(4, len(word) - 2)] if len(word) > 4 else word
    return re.compile(r"(?<!\w)" + re.escape(stem) + r"\w*")


def _renamed(plan: _Plan, text: str) -> str:
    """Generic names that came back in English, in their Spanish form (capitalised like the English)."""
    for literal in dict.fromkeys(plan.found):
        key = literal.lower()
        if key in plan.renamed:
            text = re.sub(r"(?<![\w-])" + re.escape(literal) + r"(?![\w-])",
                          lambda m: _match_case(m.group(), plan.terms[key]), text)
    return text


def _after_names(plan: _Plan, text: str) -> str:
    """Undo the capital an engine gives the word after a name it does not know.

    Apertium capitalises the first word it translates after a name it leaves
    as it is ("Bortezomib Está aprobado", "[Daratumumab Y hialuronidasa]"),
    wherever that name stands.  A word written with a capital in the English
    (another name) keeps it.
    """
    for literal in dict.fromkeys(plan.found):
        if not re.search(re.escape(literal) + r" [a-z]", plan.request.text):
            continue

        def lower(match: re.Match) -> str:
            word = match.group(2)
            if re.search(r"(?<!\w)" + re.escape(word) + r"(?!\w)", plan.request.text):
                return match.group()
            return match.group(1) + word[:1].lower() + word[1:]

        text = re.sub(r"((?<![\w-])" + re.escape(literal) + r" )([A-ZÁÉÍÓÚÑ][a-záéíóúñü]*)(?![\w-])", lower, text)
    return text


def _after_unknown_first(source: str, output: str) -> str:
    """The same for any word the engine does not know, left as it is at the start of a sentence.

    >>> _after_unknown_first("Androgens (male sex hormones) bind.", "Androgens (Hormonas sexuales masculinas) unen.")
    'Androgens (hormonas sexuales masculinas) unen.'
    >>> _after_unknown_first("It is rare. Myelosuppression is a condition.", "Es raro. Myelosuppression Es una afección.")
    'Es raro. Myelosuppression es una afección.'
    >>> _after_unknown_first("Velcade Is Here", "Velcade Es Aquí")
    'Velcade Es Aquí'
    """
    starts = re.finditer(r"(?:^|(?<=[.!?]\s))[^\w]*([A-Z][\w'’-]*)\W+[a-z]", source)
    for word in dict.fromkeys(m.group(1) for m in starts):

        def lower(match: re.Match) -> str:
            after = match.group(2)
            if re.search(r"(?<!\w)" + re.escape(after) + r"(?!\w)", source):
                return match.group()
            return match.group(1) + after[:1].lower() + after[1:]

        output = re.sub(r"((?:^|(?<=[.!?]\s))[^\w]*" + re.escape(word)
                        + r"(?![\w-])\W+)([A-ZÁÉÍÓÚÑ][a-záéíóúñü]*)(?![\w-])", lower, output)
    return output


def _common_nouns(plan: _Plan, text: str) -> str:
    """Generic drug names as Spanish writes them: common nouns, in lower case, with an article.

    NCI's Spanish writes "El bortezomib está aprobado", "Más sobre el
    bortezomib", "para bortezomib"; brand names are not in ``generic`` and
    keep their capital.  Masculine unless the Spanish name ends in -a
    ("la pomalidomida").
    """
    for literal in dict.fromkeys(plan.found):
        key = literal.lower()
        if key not in plan.request.generic and key not in plan.renamed:
            continue
        written = plan.terms.get(key) if key in plan.renamed else literal
        lower = written.lower()
        article = "la" if lower.endswith("a") else "el"

        pattern = re.compile(r"(?<![\w-])" + re.escape(written) + r"(?![\w-])", re.IGNORECASE)
        out, last = [], 0
        for found in pattern.finditer(text):
            head = text[: found.start()]
            out.append(text[last : found.start()])
            last = found.end()
            if not head.strip(" *_[(") or re.search(r"[.!?:]\s*[*_\[(]*$", head):
                # The subject of a sentence takes the article: "El bortezomib está aprobado".
                subject = re.match(r" [a-záéíóúñ]", text[found.end() : found.end() + 2])
                out.append(f"{article.capitalize()} {lower}" if subject else found.group())
            elif head.lower().endswith("sobre "):
                out.append(f"{article} {lower}")
            else:
                out.append(lower)
        text = "".join(out) + text[last:]
    return text


def _translate(engine: Engine, pieces: list[str], cache, batch: int, totals, warnings, progress) -> dict[str, str]:
    wanted = list(dict.fromkeys(pieces))
    done = dict(cache.cached(engine.label, wanted)) if cache else {}
    todo = [p for p in wanted if p not in done]
    totals["engine cache hits"] += len(wanted) - len(todo)
    batches = [todo[i : i + batch] for i in range(0, len(todo), batch)]
    for chunk in progress(batches) if progress and batches else batches:
        totals["engine calls"] += 1
        try:
            outputs = engine.translate(chunk)
        except EngineError as err:
            warnings.append(EngineError(f"{engine.label}: {err.message}; {len(chunk)} strings left empty"))
            continue
        if len(outputs) != len(chunk):
            warnings.append(EngineError(f"{engine.label} returned {len(outputs)} strings for {len(chunk)}"))
            continue
        results = dict(zip(chunk, outputs))
        done.update(results)
        if cache:
            cache.remember(engine.label, results)  # kept at once: an interrupted run loses nothing
    return done


def _kept_values(masked: Masked) -> dict[str, bool]:
    """What the masks kept: value -> whether it is a translation (whose first letter's case may change)."""
    return {slot.value: slot.value != slot.literal for slot in masked.slots.values()
            if slot.child < 0 and slot.value.strip()}


def _kept_count(text: str, value: str, translation: bool) -> int:
    """How often ``value`` is in ``text``; a required translation also with its first letter in the other case.

    A rule may move a translated term from the start of a sentence
    ("Ficha técnica de la FDA ..." -> "La información de la ficha técnica de
    la FDA ..."); a name and everything else a mask kept must stay letter for letter.
    """
    if not translation or not value[:1].isalpha():
        return text.count(value)
    first = re.escape(value[:1].lower()) + "|" + re.escape(value[:1].upper())
    return len(re.findall(f"(?:{first}){re.escape(value[1:])}", text))


def _finish(engine: Engine, plan: _Plan, masked: Masked, outputs: Mapping[str, str]) -> Draft:
    """Restore one attempt and check it can go into the sheet."""
    pieces = []
    for index, piece in enumerate(masked.pieces):
        if not masked.needs_engine(index):
            pieces.append(piece)
        elif piece in outputs:
            pieces.append(_after_unknown_first(piece, unglue(outputs[piece])))
        else:
            return Draft(problem="engine failed")
    try:
        text = restore(masked, pieces)
    except MaskError as err:
        return Draft(problem="engine lost a mask", detail=err.message)
    text = _renamed(plan, _after_names(plan, text))
    edited = engine.post_edit(text)
    # The engine's rules see the whole sentence now; they may fix words, never what a mask kept.
    kept = _kept_values(masked)
    if edited != text and all(_kept_count(edited, v, t) >= _kept_count(text, v, t) for v, t in kept.items()):
        text = edited
    text = _common_nouns(plan, text)
    text = _dash_capitals(plan.request.text, text)
    if plan.request.heading:
        text = sentence_case(text)
    if not text.strip():
        return Draft(problem="engine returned nothing", detail=repr(plan.request.text[:40]))
    if plan.request.accept is not None:
        try:
            plan.request.accept(text)
        except TranslationError as err:
            return Draft(problem="would break the sheet", detail=err.message)
    return Draft(text)


def _scaffolding(text: str) -> bool:
    """Leftover template text ("Placeholder slot"): `l10n check` names it; no engine should translate it."""
    from .checks import SCAFFOLDING  # one definition of scaffolding; imported late (checks is a big module)

    return bool(SCAFFOLDING.fullmatch(text.strip()))


def machine_drafts(engine: Engine, requests: Sequence[Request], cache=None, batch: int = 500,
                   totals=None, warnings: list | None = None, progress=None,
                   stages: Stages = Stages()) -> list[Draft]:
    """One :class:`Draft` per request, in order (see the module docstring).

    ``cache`` has ``cached(label, texts) -> {text: output}`` and
    ``remember(label, {text: output})``; ``totals`` (a Counter) gets
    ``engine calls`` and ``engine cache hits``; ``warnings`` gets engine errors.
    """
    totals = totals if totals is not None else Counter()
    warnings = warnings if warnings is not None else []
    drafts: list[Draft | None] = [None] * len(requests)
    plans: list[tuple[int, _Plan]] = []
    for i, request in enumerate(requests):
        if _scaffolding(request.text):
            drafts[i] = Draft(request.text)  # copied, as the README asks of translators: never invented
            continue
        try:
            plans.append((i, _plan(request, stages)))
        except MaskError as err:
            drafts[i] = Draft(problem="cannot be masked", detail=err.message)
    # Up to three rounds: masks only where needed; then also the terms the draft lost; then every term.
    # A draft that lost a protected term is never used: only the round with every term masked
    # (where restore() guarantees them) is taken as it is.
    attempt = 0
    while plans:
        outputs = _translate(engine, [x for _, p in plans for x in p.attempts[attempt].engine_pieces],
                             cache, batch, totals, warnings, progress)
        retry = []
        for i, plan in plans:
            draft = _finish(engine, plan, plan.attempts[attempt], outputs)
            complete = plan.complete[attempt]
            failed = _failed_terms(plan, draft.text) if draft.text is not None and not complete else set()
            if draft.text is not None and not failed:
                drafts[i] = draft
                continue
            if drafts[i] is None or draft.text is None:
                drafts[i] = draft if draft.text is None else Draft(
                    problem="engine changed a protected term", detail=", ".join(sorted(failed)))
            if complete or attempt >= 2:
                continue
            shield = {t: plan.terms[t] for t in failed} if attempt == 0 and failed else dict(plan.terms)
            plan.attempts.append(_masked(plan, Protection(shield), stages))
            plan.complete.append(shield == plan.terms)
            retry.append((i, plan))
        plans = retry
        attempt += 1
    return [d if d is not None else Draft(problem="engine failed") for d in drafts]
