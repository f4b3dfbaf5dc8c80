"""QA checks: small pure functions over PO entries and English sheets.

Stable API (the release build relies on it): :class:`Problem`,
:func:`check_catalog` and :func:`check_source`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

import polib

from .document import Document

__all__ = ["ERROR", "WARNING", "Problem", "Terms", "check_catalog", "check_source"]

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
    """Terminology the checks enforce: names kept verbatim, and required translations."""

    do_not_translate: frozenset[str] = frozenset()
    required: Mapping[str, str] = field(default_factory=dict)


def check_catalog(catalog: polib.POFile, path: str, segments=None, terms: Terms | None = None) -> list[Problem]:
    """Problems in every translated or fuzzy entry of ``catalog``."""
    return []


def check_source(doc: Document, segments) -> list[Problem]:
    """Problems in an English sheet itself (mojibake, scaffolding, broken markup)."""
    return []
