"""Machine drafts: mask what must be protected, translate, restore, check.

:func:`machine_drafts` turns msgids into fuzzy-draft text with an engine, for
:mod:`l10n.pretranslate` and the quality benchmark (``bench/quality.py``):

1. **Masks only where needed.**  Links, code, numbers with their units and
   the names that must stay (the sheet's drug and brand names, the glossary's
   do-not-translate terms) are always masked.  A glossary term with a
   required translation is *not* masked on the first attempt: a mask is an
   unknown word to the engine, and the grammar around it suffers ("esta
   medicamento", "pulmón cáncer").  Only when the engine's output lacks a
   required translation is the string translated again with those terms
   masked too.
2. **Generic drug names in Spanish.**  A generic (INN) name the sheet keeps
   is restored in its Spanish form where Spanish has one ("pomalidomide" ->
   "pomalidomida"), through :func:`spanish_name`; brand names never change.
3. **Headings** in English Title Case go to the engine as a sentence
   ("More about __1__") and come back in Spanish sentence case.

Engine outputs are cached by the caller's memory (keyed by the engine's
label), so a second run calls no engine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Callable, Mapping, Sequence

from .engines import Engine, EngineError
from .errors import TranslationError
from .masking import TOKEN, Masked, MaskError, Protection, mask, restore

try:  # Spanish generic names (l10n/drugnames.py); drafts work without it
    from . import drugnames
except ImportError:  # pragma: no cover - depends on what is installed
    drugnames = None

__all__ = ["Request", "Draft", "full_protection", "Stages", "machine_drafts", "spanish_name", "sentence_case_english", "sentence_case"]


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


@dataclass
class Draft:
    """The draft text, or why there is none (``problem`` is a short reason, ``detail`` the specifics)."""

    text: str | None = None
    problem: str = ""
    detail: str = ""


@dataclass
class _Plan:
    request: Request
    attempts: list[Masked] = field(default_factory=list)
    forced: dict[str, str] = field(default_factory=dict)  # English term found -> required translation


def spanish_name(name: str) -> str | None:
    """The Spanish generic name for a generic drug name the sheet keeps, or None (keep it as written).

    The one place l10n asks :mod:`l10n.drugnames`; without that module every
    name stays as it is.
    """
    if drugnames is None:
        return None
    try:
        found = drugnames.spanish_generic(name)
    except Exception:  # noqa: BLE001 - a naming helper must never stop a draft
        return None
    return found if found and found.lower() != name.lower() else None


def _mentioned_names(text: str) -> list[str]:
    if drugnames is None or not hasattr(drugnames, "find_generic_names"):
        return []
    try:
        return [name for _start, _end, name in drugnames.find_generic_names(text)]
    except Exception:  # noqa: BLE001
        return []


_WORD = re.compile(r"[^\W\d_][\w'’-]*")


def sentence_case_english(text: str, keep: Sequence[str] = ()) -> str:
    """A Title Case heading as an English sentence: capitals kept only on the first word, acronyms and names.

    >>> sentence_case_english("More About __1__ and Related Resources")
    'More about __1__ and related resources'
    >>> sentence_case_english("Find Clinical Trials for CAR T-Cell Therapy", ["T-Cell"])
    'Find clinical trials for CAR T-Cell therapy'
    """
    kept = {k.lower() for k in keep}
    first = True

    def word(match: re.Match) -> str:
        nonlocal first
        w = match.group()
        was_first, first = first, False
        if was_first or w.lower() in kept or not w[:1].isupper() or any(c.isupper() for c in w[1:]):
            return w
        return w.lower()

    return _WORD.sub(word, text)


def _title_cased(text: str) -> bool:
    """Most words of three letters or more start with a capital: a Title Case heading."""
    words = [w for w in _WORD.findall(TOKEN.sub("", text)) if len(w) > 3]
    return len(words) >= 2 and sum(w[0].isupper() for w in words) >= 0.6 * len(words)


def sentence_case(text: str) -> str:
    """Spanish sentence case: a capital first letter, nothing else changed."""
    found = re.search(r"[^\W\d_]", text)
    if not found or found.group().isupper():
        return text
    return text[: found.start()] + found.group().upper() + text[found.end() :]


def _shields(protection: Protection, text: str, stages: Stages) -> tuple[Protection, Protection, dict[str, str]]:
    """(the first attempt's protection, the full one, the forced terms found in ``text``)."""
    terms = dict(protection.terms)
    if stages.names:
        for name in _mentioned_names(text):
            terms.setdefault(name.lower(), None)
        for term, value in list(terms.items()):
            if value is None:
                spanish = spanish_name(term)
                if spanish:
                    terms[term] = spanish
    renamed = {t for t, v in terms.items() if v is not None and v != protection.terms.get(t)}
    full = Protection(terms)
    pattern = full.pattern()
    forced: dict[str, str] = {}
    if pattern is not None:
        for found in pattern.finditer(text):
            key = found.group().lower()
            if terms.get(key) is not None and key not in renamed:
                forced[key] = terms[key]
    light = Protection({t: v for t, v in terms.items() if v is None or t in renamed})
    return (light if stages.needed_masks else full), full, forced


def full_protection(protection: Protection, text: str, stages: Stages = Stages()) -> Protection:
    """Every mask ``text`` may need, with generic names in Spanish: for strings made only of protected terms."""
    return _shields(protection, text, stages)[1]


def _plan(request: Request, stages: Stages) -> _Plan:
    plan = _Plan(request)
    light, full, plan.forced = _shields(request.protection, request.text, stages)
    for shield in (light, full) if light is not full else (full,):
        masked = mask(request.text, shield)
        if request.heading and stages.headings and _title_cased(masked.pieces[0]):
            keep = [k for k, v in shield.terms.items() if v is None]
            masked = replace(masked, pieces=tuple(sentence_case_english(p, keep) for p in masked.pieces))
        if not plan.attempts or masked.pieces != plan.attempts[-1].pieces:
            plan.attempts.append(masked)
    return plan


def _missing(text: str, forced: Mapping[str, str]) -> list[str]:
    low = text.lower()
    return [term for term, translation in forced.items() if translation.lower() not in low]


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


def _finish(plan: _Plan, masked: Masked, outputs: Mapping[str, str]) -> Draft:
    pieces = []
    for index, piece in enumerate(masked.pieces):
        if not masked.needs_engine(index):
            pieces.append(piece)
        elif piece in outputs:
            pieces.append(outputs[piece])
        else:
            return Draft(problem="engine failed")
    try:
        text = restore(masked, pieces)
    except MaskError as err:
        return Draft(problem="engine lost a mask", detail=err.message)
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


def machine_drafts(engine: Engine, requests: Sequence[Request], cache=None, batch: int = 500,
                   totals=None, warnings: list | None = None, progress=None,
                   stages: Stages = Stages()) -> list[Draft]:
    """One :class:`Draft` per request, in order (see the module docstring).

    ``cache`` has ``cached(label, texts) -> {text: output}`` and
    ``remember(label, {text: output})``; ``totals`` (a Counter) gets
    ``engine calls`` and ``engine cache hits``; ``warnings`` gets engine errors.
    """
    from collections import Counter

    totals = totals if totals is not None else Counter()
    warnings = warnings if warnings is not None else []
    drafts: list[Draft | None] = [None] * len(requests)
    plans: list[tuple[int, _Plan]] = []
    for i, request in enumerate(requests):
        try:
            plans.append((i, _plan(request, stages)))
        except MaskError as err:
            drafts[i] = Draft(problem="cannot be masked", detail=err.message)
    attempt = 0
    while plans:
        live = [(i, p) for i, p in plans if attempt < len(p.attempts)]
        if not live:
            break
        outputs = _translate(engine, [x for _, p in live for x in p.attempts[attempt].engine_pieces],
                             cache, batch, totals, warnings, progress)
        retry = []
        for i, plan in live:
            draft = _finish(plan, plan.attempts[attempt], outputs)
            earlier = drafts[i]
            if draft.text is not None and not _missing(draft.text, plan.forced):
                drafts[i] = draft
                continue
            if draft.text is not None or earlier is None:
                drafts[i] = draft  # the best so far; a later attempt may do better
            if attempt + 1 < len(plan.attempts):
                retry.append((i, plan))
        plans = retry
        attempt += 1
    return [d if d is not None else Draft(problem="engine failed") for d in drafts]
