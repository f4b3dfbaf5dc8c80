"""Front matter in the three formats Markdown sites use: YAML, TOML (Hugo) and JSON.

::

    ---            +++                {
    title: X       title = "X"          "title": "X"
    ---            +++                }

python-frontmatter recognises the format (its handlers' ``detect``) and reads
the metadata (``handler.load``; a TOML handler on Python's own ``tomllib``
here, since the library's needs the old ``toml`` package).  It is not used to
split or write: ``frontmatter.dumps`` re-serialises the whole front matter
(key order, quoting and comments lost), and its split drops the fences' exact
bytes.  l10n finds the exact span of each top-level string value instead, and
replaces only the values it translates or sets, so every other byte stays.

YAML is read by :mod:`l10n.document` (libyaml gives each value's span).  This
module does TOML and JSON:

* TOML: a top-level key written on one line as ``key = "basic"`` or
  ``key = 'literal'`` (before the first ``[table]``) is a string l10n can
  translate or set; its value is checked against ``tomllib``'s reading.
  Multi-line strings, dotted keys and values inside tables are left alone.
* JSON: every top-level string member of the object, found with the json
  module's own scanner.
"""

from __future__ import annotations

import json
import re
import tomllib
from functools import lru_cache
from json.decoder import scanstring
from typing import Any, NamedTuple

import frontmatter
from frontmatter.default_handlers import BaseHandler, JSONHandler, YAMLHandler

from .errors import DocumentError

__all__ = ["detect_format", "load_metadata", "Member", "toml_members", "json_members",
           "format_toml_string", "format_key"]


class TOMLHandler(BaseHandler):
    """python-frontmatter's handler for ``+++`` TOML, reading with the standard library's tomllib."""

    FM_BOUNDARY = re.compile(r"^\+{3,}\s*$", re.MULTILINE)
    START_DELIMITER = END_DELIMITER = "+++"

    def load(self, fm: str, **kwargs: object) -> Any:
        return tomllib.loads(fm)


@lru_cache(maxsize=None)
def _handlers() -> dict[str, BaseHandler]:
    # The library's JSON boundary is "{" alone on the first line; "\r?" lets a
    # CRLF sheet be recognised too.
    return {"yaml": YAMLHandler(), "toml": TOMLHandler(),
            "json": JSONHandler(fm_boundary=re.compile(r"^(?:\{|\})\r?$", re.MULTILINE))}


def detect_format(text: str) -> str | None:
    """``yaml``, ``toml`` or ``json``: the front matter ``text`` starts with (None: none)."""
    handlers = _handlers()
    found = frontmatter.detect_format(text, handlers.values())
    return next((name for name, handler in handlers.items() if handler is found), None)


def load_metadata(fmt: str, text: str) -> Any:
    """The front matter ``text`` as data, by python-frontmatter's handler for ``fmt``."""
    return _handlers()[fmt].load(text)


class Member(NamedTuple):
    """A top-level key whose value is a string, and where that value is written (offsets in the front matter)."""

    key: str
    value: str
    start: int
    end: int
    style: str  # how it is quoted: "toml\"", "toml'", "json\""


# -- TOML --------------------------------------------------------------------------------

_TOML_KEY = r"""[A-Za-z0-9_-]+|"(?:[^"\\\r\n]|\\.)*"|'[^'\r\n]*'"""
# A one-line basic or literal string; (?!["']) keeps """ and ''' (multi-line) out.
_TOML_STRING = r"""(?P<value>"(?:[^"\\\r\n]|\\.)*"(?!")|'[^'\r\n]*'(?!'))"""
_TOML_LINE = re.compile(rf"^[ \t]*(?:{_TOML_KEY})[ \t]*=[ \t]*{_TOML_STRING}[ \t]*(?:#[^\r\n]*)?$", re.MULTILINE)
_TOML_TABLE = re.compile(rf"^[ \t]*\[\[?[ \t]*(?:{_TOML_KEY})(?:[ \t]*\.[ \t]*(?:{_TOML_KEY}))*[ \t]*\]\]?[ \t]*"
                         r"(?:#[^\r\n]*)?$", re.MULTILINE)


def toml_members(text: str, metadata: dict) -> list[Member]:
    """Top-level one-line string values of TOML ``text``, checked against its reading ``metadata``.

    A line is taken only if, read alone, it gives exactly the key and value
    tomllib found for the whole text, and only one line does so: a line
    inside a multi-line string that merely looks like ``key = "..."`` can
    never be edited by mistake.

    >>> text = 'title = "Aspirin" # name\\n[params]\\ntitle = "x"\\n'
    >>> toml_members(text, tomllib.loads(text))
    [Member(key='title', value='Aspirin', start=8, end=17, style='toml"')]
    """
    table = _TOML_TABLE.search(text)
    stop = table.start() if table else len(text)
    found: dict[str, list[Member]] = {}
    for match in _TOML_LINE.finditer(text, 0, stop):
        try:
            ((key, value),) = tomllib.loads(match.group()).items()
        except (tomllib.TOMLDecodeError, ValueError):
            continue
        if isinstance(value, str) and metadata.get(key) == value:
            token = match.group("value")
            found.setdefault(key, []).append(
                Member(key, value, match.start("value"), match.end("value"), "toml" + token[0]))
    return [spans[0] for spans in found.values() if len(spans) == 1]


def format_toml_string(value: str, quote: str = '"') -> str:
    """``value`` as a one-line TOML string: literal (``'...'``) where it was and can be, else basic.

    >>> format_toml_string("Sí: 2 mg"), format_toml_string("it's", "'"), format_toml_string("a\\nb")
    ('"Sí: 2 mg"', '"it\\'s"', '"a\\\\nb"')
    """
    if quote == "'" and "'" not in value and value.isprintable():
        return f"'{value}'"
    # A JSON string is a TOML basic string, but for DEL, which TOML wants escaped.
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def format_key(fmt: str, key: str) -> str:
    """A key as TOML or JSON writes it."""
    if fmt == "toml" and re.fullmatch(r"[A-Za-z0-9_-]+", key):
        return key
    return json.dumps(key, ensure_ascii=False)


# -- JSON --------------------------------------------------------------------------------

_JSON_SPACE = re.compile(r"[ \t\n\r]*")


def json_members(text: str, path: str, first_line: int) -> tuple[tuple[str, ...], list[Member]]:
    """The keys of the JSON object ``text``, in order, and its string members with their spans.

    ``text`` has been read by :func:`json.loads` already; this walk only finds
    where each value is written, with the json module's own scanner.

    >>> json_members('{"title": "A", "n": 1}', "x.md", 1)
    (('title', 'n'), [Member(key='title', value='A', start=10, end=13, style='json"')])
    """
    decoder = json.JSONDecoder()
    keys: list[str] = []
    members: list[Member] = []
    index = _JSON_SPACE.match(text, 1).end()
    if text[index] == "}":
        return (), []
    while True:
        key, index = scanstring(text, index + 1)
        if key in keys:
            raise DocumentError(f"front-matter key {key!r} is given twice", path,
                                first_line + text.count("\n", 0, index))
        keys.append(key)
        index = _JSON_SPACE.match(text, index).end() + 1  # past the ':'
        start = _JSON_SPACE.match(text, index).end()
        value, index = decoder.raw_decode(text, start)
        if isinstance(value, str):
            members.append(Member(key, value, start, index, 'json"'))
        index = _JSON_SPACE.match(text, index).end()
        if text[index] == "}":
            return tuple(keys), members
        index = _JSON_SPACE.match(text, index + 1).end()  # past the ','
