"""One base exception for the whole package.

Every error a user can cause (a broken sheet, a broken PO file, a bad
configuration) is an :class:`L10nError` whose ``str()`` reads
``path:line: what is wrong``, so editors and CI logs can jump to it.  Library
code raises; only :mod:`l10n.cli` turns errors into messages and exit codes.
"""

from __future__ import annotations

__all__ = [
    "L10nError",
    "ConfigError",
    "DocumentError",
    "CatalogError",
    "TranslationError",
    "DataLossError",
]


class L10nError(Exception):
    """Base class: a problem with a file the user gave us.

    ``path`` and ``line`` (1-based) say where; either may be ``None`` when the
    problem has no single place.
    """

    def __init__(self, message: str, path: str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line

    def __reduce__(self):
        # Keep path and line when an error crosses from a worker process.
        return (self.__class__, (self.message, self.path, self.line))

    def __str__(self) -> str:
        where = self.path or ""
        if self.path and self.line:
            where = f"{self.path}:{self.line}"
        return f"{where}: {self.message}" if where else self.message


class ConfigError(L10nError):
    """The project configuration is missing or wrong."""


class DocumentError(L10nError):
    """A source sheet cannot be read or segmented (front matter, encoding, Markdown)."""


class CatalogError(L10nError):
    """A PO or POT file cannot be read, or would be written with less than it had."""


class TranslationError(L10nError):
    """One translation cannot be put back into its sheet (lost link, new markup, ...)."""


class DataLossError(CatalogError):
    """Writing would drop a translation a person made; nothing was written."""
