"""l10n: an offline localization workflow for patient drug-information sheets.

The pipeline, one module per stage::

    seeds/*.md -> document -> segment -> catalog (PO) -> build -> build/<lang>/*.md

"""

__version__ = "0.1.0"

from .catalog import read_catalog, template_for, update_catalog, write_catalog  # noqa: E402
from .document import Document, parse_document, read_document  # noqa: E402
from .errors import L10nError  # noqa: E402
from .segment import Segment, render, segment_document  # noqa: E402

__all__ = [
    "__version__",
    "Document",
    "L10nError",
    "Segment",
    "parse_document",
    "read_catalog",
    "read_document",
    "render",
    "segment_document",
    "template_for",
    "update_catalog",
    "write_catalog",
]
