"""Localized links: point a built sheet's links at the reader's language.

Translators never type URLs (``[text][N]`` in the msgid), so a built sheet
links to the English pages.  Before a sheet is published, per-locale rules
from the configuration decide, for every link and autolink, one of:

* ``localized``: a counterpart in the reader's language is known; the link now
  points there (an exact ``pages`` mapping first, then the first ``rewrite``
  rule whose pattern matches);
* ``kept``: the target has no language (a ``#section`` anchor, ``mailto:``)
  or is already in the reader's language (a ``keep`` pattern matches);
* ``english``: no counterpart is known; the link keeps its target and a
  marker such as "(en inglés)" is written right after it, so the reader knows.

Images are never changed.  Rules live in ``[tool.l10n.links.<locale>]``::

    [tool.l10n.links.es]
    keep = ['^https://www\\.cancer\\.gov/espanol/']
    [[tool.l10n.links.es.rewrite]]
    pattern = '^(/Common/PopUps/popDefinition\\.aspx\\?.*language=)English\\b'
    replace = '\\1Spanish'
    [tool.l10n.links.es.pages]
    "https://www.cancer.gov/about-cancer/treatment/types/targeted-therapies" = "https://www.cancer.gov/espanol/cancer/tratamiento/tipos/terapia-dirigida"

A pattern is a Python regular expression searched in the destination as
written in the sheet; ``replace`` may use its groups (``\\1``).

This is a stage of its own over the *built* sheet, so ``l10n build`` stays a
byte-exact identity when nothing is translated.  It re-segments the built
sheet and renders each segment that holds a changed link from its own msgid
form with new link destinations (:func:`l10n.segment.render`), so a link
is found the same way the build put it there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping

from markdown_it.helpers import parseLinkDestination

from .document import Document
from .errors import ConfigError
from .segment import Placeholder, Segment, render, segment_document, splice

__all__ = ["LinkRule", "LinkRules", "LinkChange", "Localized", "load_link_rules", "localize_links"]

LOCALIZED, KEPT, ENGLISH = "localized", "kept", "english"

# Targets that have no language whatever the locale: anchors, mail, phone.
_NEUTRAL = re.compile(r"^(#|mailto:|tel:)", re.IGNORECASE)
_NEEDS_ANGLES = re.compile(r"[\s()<>\\]")


@dataclass(frozen=True)
class LinkRule:
    """Rewrite a destination matching ``pattern`` with ``replace`` (``re.sub`` syntax, once)."""

    pattern: re.Pattern
    replace: str


@dataclass(frozen=True)
class LinkRules:
    """One locale's link rules. An empty set marks every outside link as English."""

    locale: str
    pages: Mapping[str, str] = None  # exact destination -> localized destination
    rewrite: tuple[LinkRule, ...] = ()
    keep: tuple[re.Pattern, ...] = ()

    def decide(self, destination: str) -> tuple[str, str]:
        """``(new destination, outcome)`` for one destination as written.

        >>> rules = LinkRules("es", {"/a": "/es/a"}, (LinkRule(re.compile("^/b/(.*)"), r"/es/b/\\1"),))
        >>> rules.decide("/a"), rules.decide("/b/x"), rules.decide("#top"), rules.decide("/c")
        (('/es/a', 'localized'), ('/es/b/x', 'localized'), ('#top', 'kept'), ('/c', 'english'))
        """
        pages = self.pages or {}
        if destination in pages:
            return pages[destination], LOCALIZED
        for rule in self.rewrite:
            if rule.pattern.search(destination):
                return rule.pattern.sub(rule.replace, destination, count=1), LOCALIZED
        if _NEUTRAL.search(destination) or any(p.search(destination) for p in self.keep):
            return destination, KEPT
        return destination, ENGLISH


@dataclass(frozen=True)
class LinkChange:
    """What happened to one link of a sheet."""

    line: int
    key: str
    old: str
    new: str
    outcome: str


@dataclass(frozen=True)
class Localized:
    """A sheet's text with localized links, and what was done to each link."""

    text: str
    changes: tuple[LinkChange, ...]

    def targets(self, outcome: str) -> frozenset[str]:
        return frozenset(c.new for c in self.changes if c.outcome == outcome)

    def count(self, outcome: str) -> int:
        return sum(1 for c in self.changes if c.outcome == outcome)


def _compile(pattern: Any, where: str, file: str) -> re.Pattern:
    if not isinstance(pattern, str) or not pattern:
        raise ConfigError(f"{where}: a pattern must be a non-empty string", file)
    try:
        return re.compile(pattern)
    except re.error as err:
        raise ConfigError(f"{where}: bad regular expression {pattern!r}: {err}", file) from None


def load_link_rules(sections: Mapping[str, Any], locale: str, file: str = "") -> LinkRules:
    """The rules for ``locale`` from the ``links`` table of the configuration (none if absent)."""
    table = (sections.get("links") or {}).get(locale)
    if table is None:
        return LinkRules(locale, {})
    where = f"[tool.l10n.links.{locale}]"
    unknown = set(table) - {"pages", "rewrite", "keep"}
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(sorted(unknown))} (known: keep, pages, rewrite)", file)
    pages = table.get("pages", {})
    if not isinstance(pages, dict) or not all(isinstance(k, str) and isinstance(v, str) and v for k, v in pages.items()):
        raise ConfigError(f"{where}: 'pages' must map destinations to destinations (strings)", file)
    rewrite = []
    for number, rule in enumerate(table.get("rewrite", []), 1):
        if not isinstance(rule, dict) or set(rule) != {"pattern", "replace"} or not isinstance(rule["replace"], str):
            raise ConfigError(f"{where}: rewrite rule {number} needs exactly 'pattern' and 'replace' (strings)", file)
        pattern = _compile(rule["pattern"], f"{where} rewrite rule {number}", file)
        try:  # a bad group reference (\3 with two groups) should fail now, not mid-release
            _check_template(pattern, rule["replace"])
        except re.error as err:
            raise ConfigError(f"{where}: rewrite rule {number}: bad replacement {rule['replace']!r}: {err}", file) from None
        rewrite.append(LinkRule(pattern, rule["replace"]))
    keep = table.get("keep", [])
    if not isinstance(keep, list):
        raise ConfigError(f"{where}: 'keep' must be a list of patterns", file)
    return LinkRules(
        locale,
        dict(pages),
        tuple(rewrite),
        tuple(_compile(p, f"{where} keep", file) for p in keep),
    )


def _check_template(pattern: re.Pattern, template: str) -> None:
    """Raise re.error if ``template`` refers to a group ``pattern`` does not have."""
    for match in re.finditer(r"\\(\d+)|\\g<(\w+)>", template):
        group = match.group(1) or match.group(2)
        if group.isdigit() and int(group) > pattern.groups:
            raise re.error(f"no group {group} in {pattern.pattern!r}")
        if not group.isdigit() and group not in pattern.groupindex:
            raise re.error(f"no group named {group!r} in {pattern.pattern!r}")


def _split_destination(source: str) -> tuple[str, str] | None:
    """``(destination, rest)`` of an inline link's ``(dest "title")`` part, or None for a reference."""
    if not source.startswith("("):
        return None
    found = parseLinkDestination(source, 1, len(source))
    if not found.ok:
        return None
    return found.str, source[found.pos :]


def _written(destination: str) -> str:
    return f"<{destination}>" if _NEEDS_ANGLES.search(destination) or not destination else destination


def _localize_placeholder(placeholder: Placeholder, rules: LinkRules, marker: str) -> tuple[Placeholder, str, str, str] | None:
    """The placeholder with a localized source, its old and new target, and the outcome."""
    source = placeholder.source
    if placeholder.kind == "link":
        parts = _split_destination(source)
        old = parts[0] if parts else placeholder.target  # a reference: its resolved target
        new, outcome = rules.decide(old)
        if outcome == LOCALIZED:
            # A reference link is written out inline: the shared definition
            # may serve other links that stay as they are.
            source = f"({_written(new)}{parts[1] if parts else ')'}"
    elif placeholder.kind == "inline" and source.startswith("<") and placeholder.target:
        old = source[1:-1]  # an autolink: its text is its target
        new, outcome = rules.decide(old)
        if outcome == LOCALIZED:
            source = f"<{new}>"
    else:
        return None  # an image or an HTML tag
    if outcome == ENGLISH and marker:
        source += " " + marker
    return placeholder._replace(source=source), old, new, outcome


def localize_links(doc: Document, rules: LinkRules, marker: str) -> Localized:
    """``doc`` (a built sheet) with every link localized by ``rules``; ``marker`` follows English-only links.

    >>> from l10n.document import parse_document
    >>> doc = parse_document("---\\nx: 1\\n---\\nSee [a](/a \\"t\\") and [b](/b).\\n", "x.md")
    >>> localize_links(doc, LinkRules("es", {"/a": "/es/a"}), "(en inglés)").text
    '---\\nx: 1\\n---\\nSee [a](/es/a "t") and [b](/b) (en inglés).\\n'
    """
    edits: list[tuple[int, int, str]] = []
    changes: list[LinkChange] = []
    for segment in segment_document(doc, ()):
        placeholders, touched = [], False
        for placeholder in segment.placeholders:
            done = _localize_placeholder(placeholder, rules, marker)
            if done is None:
                placeholders.append(placeholder)
                continue
            new_placeholder, old, new, outcome = done
            changes.append(LinkChange(segment.line, segment.key, old, new, outcome))
            touched = touched or new_placeholder != placeholder
            placeholders.append(new_placeholder)
        if touched:
            localized: Segment = segment._replace(placeholders=tuple(placeholders))
            edits.append((segment.start, segment.end, render(localized, segment.text)))
    return Localized(splice(doc.text, edits), tuple(changes))
