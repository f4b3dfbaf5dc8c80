"""Machine translation back ends behind one narrow interface.

An engine translates a batch of strings and says what it is::

    engine = find_engine("apertium", "en", "es")
    engine.label                      # 'apertium 3.8.3 eng-spa 0.8.1'
    engine.translate(["Take one tablet.", "Ask your doctor."])

The workflow never imports an engine's library: it goes through
:func:`find_engine` / :func:`list_engines`, and each back end module imports its
own library lazily, so a missing library only makes that engine unavailable.

Engines receive masked text (:mod:`l10n.masking`): words like ``__3__`` must
come back as they went in; the caller checks that they did.
"""

from __future__ import annotations

import importlib
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Sequence

from ..errors import L10nError

__all__ = ["Engine", "EngineError", "EngineUnavailable", "EngineStatus", "ENGINES", "find_engine", "list_engines"]

# name -> module in this package; the order is the preference of "auto".
ENGINES = {"argos": "argos", "apertium": "apertium"}


class EngineError(L10nError):
    """An engine failed while translating (the batch is left untranslated)."""


class EngineUnavailable(L10nError):
    """An engine cannot run here (library, program or language data missing)."""


class Engine(ABC):
    """One engine for one language pair."""

    name: str = ""
    version: str = ""

    @property
    def label(self) -> str:
        """Name and version, as written into each entry it translated."""
        return f"{self.name} {self.version}".strip()

    @abstractmethod
    def translate(self, texts: Sequence[str]) -> list[str]:
        """Translate a batch; one output per input, in order."""

    def post_edit(self, text: str) -> str:
        """Fix a whole restored translation (links and names back in) as the engine's own rules would.

        Engines translate a string in pieces (a link's words apart from the
        sentence around it), so agreement across pieces ("otro [medicamentos]")
        can only be fixed afterwards.  The default changes nothing.
        """
        return text

    def close(self) -> None:
        """Release processes or models (optional)."""


@dataclass(frozen=True)
class EngineStatus:
    name: str
    available: bool
    detail: str  # the label when available, the reason when not


def _module(name: str):
    if name not in ENGINES:
        raise EngineUnavailable(f"unknown engine {name!r} (known: {', '.join(ENGINES)})")
    return importlib.import_module(f"{__name__}.{ENGINES[name]}")


def find_engine(name: str, source: str, target: str) -> Engine:
    """The engine ``name`` for ``source`` -> ``target``; ``auto`` picks the first that works.

    Raises :class:`EngineUnavailable` saying why when there is none.
    """
    if name != "auto":
        return _module(name).load(source, target)
    reasons = []
    for candidate in ENGINES:
        try:
            return _module(candidate).load(source, target)
        except EngineUnavailable as err:
            reasons.append(f"{candidate}: {err.message}")
    raise EngineUnavailable("no engine for " + f"{source}->{target} (" + "; ".join(reasons) + ")")


def list_engines(source: str, target: str) -> list[EngineStatus]:
    """Every known engine and whether it can translate ``source`` -> ``target`` here."""
    found = []
    for name in ENGINES:
        try:
            engine = _module(name).load(source, target)
        except EngineUnavailable as err:
            found.append(EngineStatus(name, False, err.message))
        else:
            found.append(EngineStatus(name, True, engine.label))
            engine.close()
    return found
