"""Publishing: a built sheet becomes a Markdown sheet and an HTML page for readers.

What goes in, in order:

1. the built sheet (:func:`l10n.build.build_sheet`), links localized by the
   locale's rules (:mod:`l10n.links`), English-only links marked;
2. ``templates/sheet.md.j2`` and ``templates/page.html.j2`` (Jinja2), whose own
   strings come from the ``ui`` domain (:mod:`l10n.ui`);
3. what Babel formats for the locale: the ``lastReviewed`` date ("30 de
   diciembre de 2025"), language names, text direction.

Safety: the page is made with Jinja2 autoescaping on, and the body is rendered
by markdown-it-py with raw HTML *off*, so nothing a translator types (in a
sheet's PO file or in ui.po) can put markup or script into a page; it shows
as text.  markdown-it also refuses ``javascript:`` and similar link targets.
"""

from __future__ import annotations

import datetime
import gettext
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
from babel import Locale
from babel.dates import format_date
from markupsafe import Markup, escape

from .document import Document, parse_document
from .errors import ConfigError
from .markdown import html_renderer
from .links import ENGLISH, LinkRules, Localized, localize_links
from .ui import ENGLISH_ONLY_LINK, UI_TEMPLATES

__all__ = ["Templates", "Published", "Bilingual", "ui_text", "load_templates", "publish_sheet", "markdown_to_html",
           "page_url"]

_MARKDOWN_SPECIAL = str.maketrans({"<": "&lt;", ">": "&gt;", "&": "&amp;"})


@dataclass(frozen=True)
class Templates:
    """The two page templates, bound to one locale's ui translations."""

    markdown: jinja2.Template
    html: jinja2.Template
    translations: gettext.NullTranslations

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)


class Bilingual(str):
    """A value for a ui string, in the reader's language, with its English form beside it.

    A ui string the locale has not translated is shown in English, and so are
    the values put into it: "Read the original in English", not "Read the
    original in anglais".  Never a sentence in two languages.
    """

    fallback: str

    def __new__(cls, value: str, fallback: str) -> "Bilingual":
        made = super().__new__(cls, value)
        made.fallback = fallback
        return made


def _english(values: dict) -> dict:
    return {key: getattr(value, "fallback", value) for key, value in values.items()}


def ui_text(translations: gettext.NullTranslations, message: str, values: dict) -> tuple[str, dict]:
    """The ui string to show and the values to fill in: the locale's, or all English.

    A translation whose placeholders do not fit (an unknown ``%(name)s`` in
    ui.po) falls back to English rather than stopping the build.
    """
    translated = translations.gettext(message)
    if translated != message:
        try:
            translated % values
            return translated, values
        except (KeyError, ValueError, TypeError):
            pass
    return message, _english(values)


@dataclass(frozen=True)
class Published:
    """One sheet ready to ship."""

    slug: str
    markdown: str
    html: str
    links: Localized


def _environment(folder: Path, translations: gettext.NullTranslations, html: bool,
                 fallback_lang: str | None = None) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)),
        autoescape=html,
        extensions=["jinja2.ext.i18n"],
        keep_trailing_newline=True,
        # Markdown is line-based: a line holding only a tag must leave nothing behind.
        trim_blocks=not html,
        lstrip_blocks=not html,
        undefined=jinja2.StrictUndefined,
    )
    # Old-style callables, so that ui_text sees the values and can fall back to
    # English for the message and its values together.
    if html:
        # A ui.po string is text, escaped; Markup's % escapes the values too.
        def text(message: str, **values: Any) -> str:
            chosen, filled = ui_text(translations, message, values)
            shown = escape(chosen) % filled
            if fallback_lang and chosen == message:
                # English in a French page: say so, for screen readers and hyphenation.
                return Markup('<span lang="%s">%s</span>') % (fallback_lang, shown)
            return shown
    else:
        # In Markdown, '<' could open raw HTML for a later renderer; write entities.
        def text(message: str, **values: Any) -> str:
            chosen, filled = ui_text(translations, message, values)
            return chosen.translate(_MARKDOWN_SPECIAL) % filled

    def ntext(singular: str, plural: str, n: int, **values: Any) -> str:
        return text(singular if n == 1 else plural, num=n, **values)

    env.install_gettext_callables(text, ntext, newstyle=False)
    return env


def load_templates(folder: Path, translations: gettext.NullTranslations, fallback_lang: str | None = None) -> Templates:
    """Load ``sheet.md.j2`` and ``page.html.j2`` from ``folder``.

    ``fallback_lang``: the language of the templates' own text (the source
    locale), marked on a ui string the locale has not translated, in HTML.
    """
    try:
        markdown = _environment(folder, translations, html=False).get_template(UI_TEMPLATES[0])
        html = _environment(folder, translations, html=True, fallback_lang=fallback_lang).get_template(UI_TEMPLATES[1])
    except jinja2.TemplateSyntaxError as err:
        raise ConfigError(f"template error: {err.message}", err.filename or err.name, err.lineno) from None
    except jinja2.TemplateNotFound as err:
        raise ConfigError(f"no template {err.name!r} in {folder}") from None
    return Templates(markdown, html, translations)


def markdown_to_html(body: str, english_targets: frozenset[str] = frozenset(), source_lang: str = "en") -> str:
    """HTML for a Markdown body; raw HTML shows as text; English-only links get ``hreflang``.

    >>> markdown_to_html("Hi <b>x</b> [a](/a)", frozenset({"/a"}))
    '<p>Hi &lt;b&gt;x&lt;/b&gt; <a href="/a" hreflang="en">a</a></p>\\n'
    """
    md = html_renderer()
    english = {md.normalizeLink(target) for target in english_targets}
    env: dict[str, Any] = {}
    tokens = md.parse(body, env)
    for block in tokens:
        for token in block.children or ():
            if token.type == "link_open" and token.attrGet("href") in english:
                token.attrSet("hreflang", source_lang)
    return md.renderer.render(tokens, md.options, env)


def _date(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def _http_url(value: Any) -> str:
    """Only a web address may become an href from front matter."""
    return value if isinstance(value, str) and value.startswith(("https://", "http://")) else ""


def page_url(base_url: str, locale: str, slug: str) -> str:
    """Where the page will live: under ``base_url`` if configured, else relative to itself."""
    return f"{base_url.rstrip('/')}/{locale}/{slug}.html" if base_url else f"{slug}.html"


def publish_sheet(
    built: Document,
    locale: str,
    source_locale: str,
    templates: Templates,
    rules: LinkRules,
    draft: bool = False,
    base_url: str = "",
    machine: bool = True,
) -> Published:
    """Markdown and HTML for one built sheet in ``locale``.

    ``machine``: whether a draft holds machine translation (its banner says
    so only then).
    """
    reader = Locale.parse(locale.replace("-", "_"))
    source = Locale.parse(source_locale.replace("-", "_"))
    source_language = Bilingual(source.get_display_name(reader), source.get_display_name(source))
    # The marker goes into the Markdown body: entities, so it can only ever be text.
    chosen, filled = ui_text(templates.translations, ENGLISH_ONLY_LINK, {"language": source_language})
    marker = (chosen % filled).translate(_MARKDOWN_SPECIAL)
    localized = localize_links(built, rules, marker)
    doc = parse_document(localized.text, built.path)
    meta = doc.metadata
    reviewed = _date(meta.get("lastReviewed"))
    values = dict(
        lang=locale,
        direction="rtl" if reader.character_order == "right-to-left" else "ltr",
        source_lang=source_locale,
        source_language_name=source_language,
        title=str(meta.get("title", doc.slug)),
        last_reviewed=Bilingual(format_date(reviewed, format="long", locale=reader),
                                format_date(reviewed, format="long", locale=source)) if reviewed else "",
        citation=str(meta.get("citation") or meta.get("source") or ""),
        original_url=_http_url(meta.get("url")),
        page_url=page_url(base_url, locale, doc.slug),
        draft=draft,
        draft_machine=draft and machine,
    )
    markdown = templates.markdown.render(front_matter=doc.text[: doc.body_start], body=doc.body, **values)
    body_html = Markup(markdown_to_html(doc.body, localized.targets(ENGLISH), source_locale))
    html = templates.html.render(body_html=body_html, **values)
    return Published(doc.slug, markdown, html, localized)

