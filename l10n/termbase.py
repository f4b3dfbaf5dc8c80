"""The term base as TBX: export the glossaries, import a TBX file into them.

The glossary CSV files (:mod:`l10n.glossary`) stay the one copy the team
edits and reviews; TBX is how terms travel to and from other tools (CAT
tools, terminology databases, another team's term base).

Export writes TBX v3 in the TBX-Basic dialect, DCA style (ISO 30042:2019,
namespace ``urn:iso:std:iso:30042:ed:3.0``): one ``conceptEntry`` per
English term, a ``langSec`` for English and one for each locale, and per
translation a ``termSec`` with

* ``termNote type="administrativeStatus"``: ``approved`` ->
  ``preferredTerm-admn-sts``, ``proposed`` -> ``admittedTerm-admn-sts``,
  ``deprecated`` -> ``deprecatedTerm-admn-sts``;
* ``admin type="source"`` (the ``source`` column) and ``note`` (the ``note``
  column) where the row has them.

A do-not-translate row (empty translation) is exported as the English term
itself in the target language, and read back as do-not-translate.

Import reads TBX v3 (either namespace edition) and TBX v2 (``martif``,
``termEntry``/``langSet``/``tig``).  It only adds: a term the glossary lacks
is appended (with its source and status), one it has with the same
translation is left alone, and one it has with another live translation is
a conflict -- reported at the TBX line, and nothing is written, because the
CSV file is what the team reviewed.  A ``superseded`` term is read as
deprecated.

XML is parsed with expat, refusing any entity declaration (the "billion
laughs" and external-entity attacks need one); no DTD or entity is ever
fetched or expanded.
"""

from __future__ import annotations

import csv
import io
import os
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence
from xml.parsers import expat

from . import __version__
from .errors import L10nError
from .files import read_text, write_text_atomic
from .glossary import COLUMNS, Glossary, GlossaryError, Term, parse_glossary

__all__ = ["TermbaseError", "write_tbx", "read_tbx", "merge_terms", "TBX_NAMESPACE"]

TBX_NAMESPACE = "urn:iso:std:iso:30042:ed:3.0"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_STATUS_TO_TBX = {
    "approved": "preferredTerm-admn-sts",
    "proposed": "admittedTerm-admn-sts",
    "deprecated": "deprecatedTerm-admn-sts",
}
_TBX_TO_STATUS = {value: key for key, value in _STATUS_TO_TBX.items()} | {
    "supersededTerm-admn-sts": "deprecated",
    "preferredTerm": "approved", "admittedTerm": "proposed", "deprecatedTerm": "deprecated",  # TBX v2 short forms
}


class TermbaseError(L10nError):
    """A TBX file cannot be read, or cannot go into the glossary as it is."""


# -- export -------------------------------------------------------------------------------


def write_tbx(path: str | os.PathLike, glossaries: Mapping[str, Glossary], source_locale: str = "en") -> int:
    """Write the locales' glossaries as one TBX-Basic file, atomically; the number of concepts.

    >>> from l10n.glossary import parse_glossary
    >>> import tempfile, os
    >>> g = parse_glossary("term,translation,note,source,status\\ndrug,medicamento,,NCI,\\n", "g.csv")
    >>> out = os.path.join(tempfile.mkdtemp(), "es.tbx")
    >>> write_tbx(out, {"es": g})
    1
    >>> "<term>medicamento</term>" in open(out, encoding="utf-8").read()
    True
    """
    concepts: dict[str, dict[str, list[Term]]] = {}
    english: dict[str, str] = {}
    for locale in sorted(glossaries):
        for entry in glossaries[locale].entries:
            key = entry.term.lower()
            english.setdefault(key, entry.term)
            concepts.setdefault(key, {}).setdefault(locale, []).append(entry)

    ET.register_namespace("", TBX_NAMESPACE)

    def tag(name: str) -> str:
        return f"{{{TBX_NAMESPACE}}}{name}"

    root = ET.Element(tag("tbx"), {"type": "TBX-Basic", "style": "dca", _XML_LANG: source_locale})
    header = ET.SubElement(root, tag("tbxHeader"))
    source_desc = ET.SubElement(ET.SubElement(header, tag("fileDesc")), tag("sourceDesc"))
    ET.SubElement(source_desc, tag("p")).text = f"l10n {__version__} glossaries: {', '.join(sorted(glossaries))}"
    body = ET.SubElement(ET.SubElement(root, tag("text")), tag("body"))
    for number, key in enumerate(concepts, 1):
        concept = ET.SubElement(body, tag("conceptEntry"), id=f"c{number}")
        lang_sec = ET.SubElement(concept, tag("langSec"), {_XML_LANG: source_locale})
        ET.SubElement(ET.SubElement(lang_sec, tag("termSec")), tag("term")).text = english[key]
        for locale, entries in concepts[key].items():
            lang_sec = ET.SubElement(concept, tag("langSec"), {_XML_LANG: locale})
            for entry in entries:
                term_sec = ET.SubElement(lang_sec, tag("termSec"))
                ET.SubElement(term_sec, tag("term")).text = entry.translation or entry.term
                ET.SubElement(term_sec, tag("termNote"), type="administrativeStatus").text = _STATUS_TO_TBX[entry.status]
                if entry.source:
                    ET.SubElement(term_sec, tag("admin"), type="source").text = entry.source
                if entry.note:
                    ET.SubElement(term_sec, tag("note")).text = entry.note
    ET.indent(root)
    write_text_atomic(path, '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n")
    return len(concepts)


# -- import ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TbxTerm:
    """A translation read from TBX, with the line of its ``termSec`` for messages."""

    term: Term
    locale: str
    line: int


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1]


def _parse(path: str | os.PathLike, shown: str) -> tuple[ET.Element, dict[int, int]]:
    """The document's root and the line of each element (by id), refusing entity declarations."""
    try:
        data = Path(path).read_bytes()
    except OSError as err:
        raise TermbaseError(f"cannot read: {err.strerror}", shown) from None
    builder = ET.TreeBuilder()
    lines: dict[int, int] = {}
    parser = expat.ParserCreate(namespace_separator="}")

    def start(name, attributes):
        # Namespaces dropped: TBX v2, v3 and v3's older namespace read alike; xml:lang becomes "lang".
        element = builder.start(_local(name), {_local(k): v for k, v in attributes.items()})
        lines[id(element)] = parser.CurrentLineNumber

    def refuse(*_args):
        raise TermbaseError("entity declarations are not accepted in a term base file", shown, parser.CurrentLineNumber)

    parser.StartElementHandler = start
    parser.EndElementHandler = lambda name: builder.end(_local(name))
    parser.CharacterDataHandler = builder.data
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        parser.Parse(data, True)
    except expat.ExpatError as err:
        raise TermbaseError(f"not valid XML: {expat.ErrorString(err.code)}", shown, err.lineno) from None
    return builder.close(), lines


def _lang(element: ET.Element) -> str:
    return (element.get("lang") or "").replace("_", "-")


def _same_language(value: str, locale: str) -> bool:
    value, locale = value.lower().replace("_", "-"), locale.lower().replace("_", "-")
    return value == locale or value.split("-")[0] == locale.split("-")[0]


def read_tbx(path: str | os.PathLike, source_locale: str = "en", display: str | None = None) -> list[TbxTerm]:
    """Every translation of an English term in a TBX file (v2 or v3), in file order."""
    shown = display or str(path)
    root, lines = _parse(path, shown)
    if root.tag not in ("tbx", "martif") or root.find("text/body") is None:
        raise TermbaseError("not a TBX file (no <tbx> or <martif> with <text><body>)", shown, 1)
    found: list[TbxTerm] = []
    for concept in root.find("text/body"):
        if concept.tag not in ("conceptEntry", "termEntry"):
            continue
        sections = [s for s in concept if s.tag in ("langSec", "langSet")]
        sources = [s for s in sections if _same_language(_lang(s), source_locale)]
        english = [t for s in sources for t in _term_secs(s)]
        if not english:
            raise TermbaseError(f"a concept without an English ({source_locale}) term", shown, lines.get(id(concept)))
        english_term = " ".join(english[0][0].split())
        for section in sections:
            if section in sources:
                continue
            for text, fields, element in _term_secs(section):
                status = _TBX_TO_STATUS.get(fields.get("administrativeStatus", ""), "approved")
                translation = " ".join(text.split())
                keep = translation.lower() == english_term.lower()
                found.append(TbxTerm(
                    Term(english_term, None if keep else translation, fields.get("note", ""),
                         fields.get("source", ""), status),
                    _lang(section), lines.get(id(element), 0)))
    return found


def _term_secs(section: ET.Element) -> list[tuple[str, dict[str, str], ET.Element]]:
    """(term, {administrativeStatus, source, note}, element) of each termSec / tig / ntig."""
    out = []
    for term_sec in section:
        if term_sec.tag not in ("termSec", "tig", "ntig"):
            continue
        term = term_sec.find("term")
        if term is None:
            term = term_sec.find("termGrp/term")
        if term is None or not "".join(term.itertext()).strip():
            continue
        fields: dict[str, str] = {}
        for child in term_sec.iter():
            kind = child.get("type")
            text = " ".join("".join(child.itertext()).split())
            if child.tag == "termNote" and kind == "administrativeStatus":
                fields["administrativeStatus"] = text
            elif child.tag == "admin" and kind == "source":
                fields["source"] = text
            elif child.tag == "note":
                fields["note"] = text
        out.append(("".join(term.itertext()), fields, term_sec))
    return out


def merge_terms(glossary_path: str | os.PathLike, terms: Sequence[TbxTerm], tbx_display: str,
                display: str | None = None) -> tuple[int, int]:
    """Append the TBX terms the glossary lacks to its CSV file; (added, already there).

    A term the glossary has with another live translation is a conflict: a
    :class:`TermbaseError` names the first one, and nothing is written.
    """
    shown = display or str(glossary_path)
    text = read_text(glossary_path, shown) if os.path.exists(glossary_path) else ""
    glossary = parse_glossary(text, shown) if text.strip() else Glossary({}, shown)
    live = {e.term.lower(): e for e in glossary.entries if e.status != "deprecated"}
    have = {(e.term.lower(), (e.translation or "").lower(), e.status == "deprecated") for e in glossary.entries}
    new_rows: list[Term] = []
    same = 0
    for item in terms:
        term = item.term
        key = (term.term.lower(), (term.translation or "").lower(), term.status == "deprecated")
        if key in have:
            same += 1
            continue
        old = live.get(term.term.lower())
        if term.status != "deprecated" and old is not None:
            raise TermbaseError(
                f"{term.term!r} is {term.translation or '(do not translate)'!r} here but "
                f"{old.translation or '(do not translate)'!r} in {shown}:{old.line}; "
                f"settle it in the glossary (deprecate one) and import again", tbx_display, item.line)
        if term.status != "deprecated":
            live[term.term.lower()] = term
        have.add(key)
        new_rows.append(term)
    if new_rows:
        merged = _with_rows(text, new_rows)
        try:
            parse_glossary(merged, shown)  # what is written must read back
        except GlossaryError as err:
            raise TermbaseError(f"the merged glossary would not read: {err.message}", shown, err.line) from None
        write_text_atomic(glossary_path, merged)
    return len(new_rows), same


def _with_rows(text: str, rows: Sequence[Term]) -> str:
    """The CSV text with ``rows`` appended, its header widened to every column; comments kept."""
    lines = text.splitlines(keepends=True)
    header_at = next((i for i, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("#")), None)
    if header_at is None:
        lines.append(",".join(COLUMNS) + "\n")
    else:
        lines[header_at] = ",".join(COLUMNS) + "\n"  # the old header was a prefix of this one
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in rows:
        writer.writerow([row.term, row.translation or "", row.note, row.source, row.status])
    return "".join(lines) + out.getvalue()
