"""``l10n review --serve``: the review page as a small local web app.

A bilingual clinical reviewer (a nurse, a pharmacist) filters the strings of
the project's sheets, corrects a translation, approves it or leaves a comment
for the translator, without a PO editor.  Everything is stored in the PO files
themselves (approval: :mod:`l10n.approval`; a comment: one more translator
comment line), so Poedit, ``msgcat`` and ``l10n update`` keep it.

Saves never lose anybody's work:

* each save holds the project lock (:mod:`l10n.lock`) while it reads, edits
  and writes the PO file, and writes it atomically and durably;
* the page carries a fingerprint of each entry as it was shown; if the entry
  on disk no longer matches (a translator saved it in Poedit meanwhile), the
  save is refused and the reviewer sees both texts (:class:`Conflict`);
* only that entry's lines are replaced (:func:`replace_entry`); the rest of
  the file stays byte for byte as it was, including other entries a translator
  changed since the page loaded.

Security, for a server that edits medical text:

* it listens on 127.0.0.1 unless another address is asked for by name;
* every request needs the random token printed with the URL (then a cookie
  named after the port holds it); the Host header must be the server's own
  (a DNS-rebinding page is refused); a POST must come from the page itself
  (``Origin`` / ``Sec-Fetch-Site``);
* sheets and locales in URLs are looked up in the project's own lists, never
  used as paths;
* pages are Jinja2 templates with autoescape on, and a Content-Security-Policy
  allows no script at all: the app needs none (forms and POST-redirect-GET).
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import ipaddress
import re
import secrets
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Callable
from urllib.parse import quote, unquote

import jinja2
import polib

from . import pofile
from .approval import Approval, approval, approve, withdraw
from .catalog import parse_catalog
from .config import Config
from .errors import CatalogError, L10nError
from .files import read_text, write_text_atomic
from .lock import ProjectLocked, project_lock
from .provenance import active
from .review import Row, SheetReview, sheet_review
from .stats import FUZZY, STATUSES, read_sheets, entry_status

__all__ = [
    "STATES",
    "LOCK_WAIT",
    "Item",
    "Sheet",
    "Conflict",
    "Saved",
    "Server",
    "state_of",
    "comments_of",
    "entry_id",
    "entry_print",
    "replace_entry",
    "edit_entry",
    "save_entry",
    "make_app",
    "serve",
]

STATES = ("approved",) + STATUSES  # approved above reviewed; the rest as stats counts them
_FILTERS = STATES + ("fuzzy",)
_TEMPLATES = Path(__file__).resolve().parent.parent / "templates" / "serve"
_COMMENT = "l10n: comment by {reviewer} on {day}: {text}"
_COMMENT_LINE = re.compile(r"^l10n: comment by (?P<reviewer>.+?) on (?P<day>\d{4}-\d{2}-\d{2}): (?P<text>.*)$")
LOCK_WAIT = 10.0  # seconds a save waits for another l10n command (a build, an update) to finish
CSP = ("default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
       "frame-ancestors 'none'; base-uri 'none'")


# -- one entry in a PO file ---------------------------------------------------------------


def entry_id(entry: polib.POEntry) -> str:
    """A short stable name for an entry in URLs and forms: its context and English."""
    key = f"{entry.msgctxt or ''}\x04{entry.msgid}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def _entry_text(entry: polib.POEntry) -> str:
    """The entry's PO lines as l10n writes them (polib's layout, no wrapping)."""
    single = polib.POFile(wrapwidth=0)
    single.append(entry)
    return pofile.serialize(single)[len(pofile.serialize_head(single)) + 1:]


def entry_print(entry: polib.POEntry) -> str:
    """A fingerprint of everything a person can change in an entry (text, flags, comments)."""
    return hashlib.sha1(_entry_text(entry).encode("utf-8")).hexdigest()[:16]


def _find(catalog: polib.POFile, wanted: str) -> polib.POEntry | None:
    return next((e for e in active(catalog) if entry_id(e) == wanted), None)


def replace_entry(text: str, path: str, wanted: str, new: polib.POEntry) -> str:
    """``text`` (a PO file) with the lines of entry ``wanted`` replaced by ``new``; all else as it was.

    The entry runs from its first comment line to the line before the next
    entry; the blank lines after it stay.  The result is read back and must
    hold the same entries with only that one changed, or CatalogError.
    """
    catalog = parse_catalog(text, path)
    old = _find(catalog, wanted)
    if old is None:
        raise CatalogError("the string is no longer in this PO file", path)
    starts = sorted(e.linenum for e in catalog if e.linenum)
    later = [line for line in starts if line > old.linenum]
    lines = [0] + [m.end() for m in re.finditer("\n", text)]  # offset of each line's start
    begin = lines[old.linenum - 1]
    end = lines[later[0] - 1] if later else len(text)
    block = text[begin:end]
    tail = re.search(r"(?:(?<=\n)(?:[ \t\r]*\n)*)?\Z", block)
    lines_of_new = _entry_text(new)
    if "\r\n" in block:  # a file saved with Windows line ends keeps them
        lines_of_new = lines_of_new.replace("\n", "\r\n")
    result = text[:begin] + lines_of_new + block[tail.start():] + text[end:]
    _verify(catalog, parse_catalog(result, path), wanted, new, path)
    return result


def _verify(before: polib.POFile, after: polib.POFile, wanted: str, new: polib.POEntry, path: str) -> None:
    """Refuse a splice that changed anything but the one entry (a safety net, never expected to fire)."""
    def shape(catalog: polib.POFile) -> list[tuple]:
        return [(entry_id(e), e.obsolete, entry_print(e)) for e in catalog]

    old_shape, new_shape = shape(before), shape(after)
    if before.metadata != after.metadata or len(old_shape) != len(new_shape):
        raise CatalogError("internal error: saving one string would change others; nothing written", path)
    for (key, obsolete, old_print), (new_key, new_obsolete, new_print) in zip(old_shape, new_shape):
        same = key == new_key and obsolete == new_obsolete
        if not same or (key != wanted and old_print != new_print) or (key == wanted and new_print != entry_print(new)):
            raise CatalogError("internal error: saving one string would change others; nothing written", path)


def _clean_name(name: str) -> str:
    """A reviewer's name on one line, printable, at most 80 characters."""
    name = " ".join("".join(c if c.isprintable() else " " for c in name).split())
    return name[:80]


def edit_entry(entry: polib.POEntry, action: str, translation: str, comment: str, reviewer: str,
               day: str) -> None:
    """Apply one reviewer action to ``entry``: ``save``, ``approve`` or ``comment``.

    A saved or approved translation is a person's: no longer fuzzy, and the
    previous English goes (as a PO editor does when a translator accepts a
    string).  Changed text drops any approval of the old text.  Raises
    ValueError with a message for the reviewer.
    """
    if action in ("save", "approve"):
        if entry.msgid_plural:
            raise ValueError("plural strings are edited in a PO editor")
        translation = translation.replace("\r\n", "\n").replace("\r", "\n")  # what browsers send
        if action == "approve" and not translation.strip():
            raise ValueError("an empty translation cannot be approved")
        if translation != entry.msgstr:
            entry.msgstr = translation
            withdraw(entry)
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = entry.previous_msgctxt = entry.previous_msgid_plural = None
        if action == "approve":
            if not _clean_name(reviewer):
                raise ValueError("enter your name (top of the page) before approving")
            approve(entry, _clean_name(reviewer), day)
    elif action == "comment":
        text = " ".join(comment.split())
        if not text:
            raise ValueError("the comment is empty")
        line = _COMMENT.format(reviewer=_clean_name(reviewer) or "a reviewer", day=day, text=text)
        entry.tcomment = "\n".join(((entry.tcomment or "").splitlines()) + [line])
    else:
        raise ValueError(f"unknown action {action!r}")


@dataclass(frozen=True)
class Conflict:
    """The entry on disk is not the one the reviewer saw: nothing was written."""

    disk: polib.POEntry | None  # None: the string is gone (the English changed, 'l10n update' ran)


@dataclass(frozen=True)
class Saved:
    entry: polib.POEntry
    changed: bool


def save_entry(config: Config, locale: str, slug: str, wanted: str, base: str,
               edit: Callable[[polib.POEntry], None], wait: float = LOCK_WAIT) -> Saved | Conflict:
    """Apply ``edit`` to one entry of a sheet's PO file, if it is still as the page showed it (``base``).

    Waits up to ``wait`` seconds for another l10n command to release the
    project lock, then raises :class:`~l10n.lock.ProjectLocked`.
    """
    path = config.catalog_path(locale, slug)
    shown = config.display(path)
    with project_lock(config.root, "review --serve", wait=wait):
        text = read_text(path, shown)
        catalog = parse_catalog(text, shown)
        disk = _find(catalog, wanted)
        if disk is None or not hmac.compare_digest(entry_print(disk), base):
            return Conflict(disk)
        new = copy.deepcopy(disk)
        edit(new)
        if entry_print(new) == entry_print(disk):
            return Saved(disk, False)
        write_text_atomic(path, replace_entry(text, shown, wanted, new), durable=True)
        return Saved(new, True)


# -- what a page shows ------------------------------------------------------------------


def state_of(entry: polib.POEntry) -> str:
    """``approved``, or the entry's status as :func:`l10n.stats.entry_status` gives it."""
    return "approved" if approval(entry) else entry_status(entry)


def comments_of(entry: polib.POEntry) -> list[tuple[str, str, str]]:
    """Reviewers' comments on an entry: (reviewer, day, text)."""
    found = (_COMMENT_LINE.match(line) for line in (entry.tcomment or "").splitlines())
    return [(m["reviewer"], m["day"], m["text"]) for m in found if m]


@dataclass(frozen=True)
class Item:
    """One string on the page: the static page's Row plus what the forms need."""

    id: str
    base: str  # entry_print as loaded: the save's conflict check
    row: Row
    state: str
    approval: Approval | None
    comments: tuple[tuple[str, str, str], ...]
    editable: bool


@dataclass(frozen=True)
class Sheet:
    review: SheetReview
    items: tuple[Item, ...]
    counts: dict

    @property
    def slug(self) -> str:
        return self.review.slug


def _sheet(state) -> Sheet:
    review = sheet_review(state)
    entries = active(state.catalog)
    assert len(entries) == len(review.rows), "review rows follow the catalog's active entries"
    items = []
    for entry, row in zip(entries, review.rows):
        items.append(Item(
            id=entry_id(entry), base=entry_print(entry), row=row, state=state_of(entry),
            approval=approval(entry), comments=tuple(comments_of(entry)), editable=not entry.msgid_plural,
        ))
    counts = {s: sum(1 for i in items if i.state == s) for s in STATES}
    counts["errors"] = sum(1 for p in review.source_problems + review.other_problems if p.severity == "error") + \
        sum(1 for i in items for p in i.row.problems if p.severity == "error")
    return Sheet(review, tuple(items), counts)


def _matches(item: Item, status: str, problem: str) -> bool:
    if status == "fuzzy" and item.state not in FUZZY:
        return False
    if status and status != "fuzzy" and item.state != status:
        return False
    if problem == "any":
        return bool(item.row.problems)
    if problem == "error":
        return any(p.severity == "error" for p in item.row.problems)
    if problem:
        return any(p.check == problem for p in item.row.problems)
    return True


# -- the web app ---------------------------------------------------------------------------


@lru_cache(maxsize=None)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(_TEMPLATES)),
        autoescape=True,  # every value from a PO file or a sheet is text, never markup
        undefined=jinja2.StrictUndefined,
    )


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def make_app(config: Config, locales: list[str], token: str, port_of: Callable[[], int],
             allowed_hosts: tuple[str, ...] | None = ("127.0.0.1", "localhost"), only: tuple[str, ...] = ()):
    """The Flask app over the project; ``port_of`` gives the port it is served on (known after binding).

    ``allowed_hosts``: the names a request's Host header may give (None: any,
    for a server told to listen on every address).  ``only``: the sheets
    (slugs) to show; default all.
    """
    import flask
    from werkzeug.exceptions import HTTPException

    app = flask.Flask(__name__, static_folder=None)
    app.config["MAX_CONTENT_LENGTH"] = 1 << 20  # a form with one string and a comment; nothing near this
    env = _environment()
    def sources() -> list[Path]:  # read per request: sheets come and go while it runs
        return [p for p in config.sources() if not only or p.stem in only]

    def slugs() -> dict[str, Path]:
        return {p.stem: p for p in sources()}

    def cookie_name() -> str:
        return f"l10n_review_token_{port_of()}"  # cookies ignore ports: two servers must not share one

    def page(name: str, status: int = 200, **values):
        html = env.get_template(name).render(locales=locales, reviewer=reviewer(), **values)
        return flask.Response(html, status=status, mimetype="text/html")

    def reviewer() -> str:
        return _clean_name(unquote(flask.request.cookies.get("l10n_reviewer", "")))

    def refuse(status: int, message: str, text: str = ""):
        return page("refused.html.j2", status, message=message, text=text)

    @app.before_request
    def guard():
        request = flask.request
        host = request.host.rsplit(":", 1)[0].strip("[]") if request.host else ""
        if allowed_hosts is not None and host not in allowed_hosts:
            return refuse(403, "This server answers only at its own address.")
        given = request.args.get("token", "")
        cookie = request.cookies.get(cookie_name(), "")
        if given and hmac.compare_digest(given, token):
            if request.method == "GET":  # keep the token out of the address bar and history from now on
                response = flask.redirect(request.path, 303)
                response.set_cookie(cookie_name(), token, httponly=True, samesite="Strict")
                return response
        elif not (cookie and hmac.compare_digest(cookie, token)):
            return refuse(403, "Open the address l10n printed when it started (it holds the access token).")
        if request.method not in ("GET", "HEAD"):
            origin = request.headers.get("Origin")
            site = request.headers.get("Sec-Fetch-Site")
            own = f"{request.scheme}://{request.host}"
            if (origin is None and site is None) or (origin is not None and origin != own) or \
                    (site is not None and site not in ("same-origin", "none")):
                return refuse(403, "A change must come from this review page itself.")
        return None

    @app.after_request
    def headers(response):
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"  # "no-referrer" would make Origin "null" on our own POSTs
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.errorhandler(HTTPException)
    def http_error(error):
        return refuse(error.code or 500, error.description or "")

    def check_locale(locale: str) -> None:
        if locale not in locales:
            flask.abort(404, f"no locale {locale!r} in this review")

    def source(slug: str) -> Path:
        found = slugs().get(slug)
        if found is None:
            flask.abort(404, f"no sheet {slug!r} in {config.source}/")
        return found

    def filters(values) -> dict:
        """The list page's filters, each checked against what it may be."""
        sheet = values.get("sheet", "")
        status = values.get("status", "")
        problem = values.get("problem", "")
        return {
            "sheet": sheet if sheet in slugs() else "",
            "status": status if status in _FILTERS else "",
            "problem": problem if re.fullmatch(r"[a-z][a-z0-9-]{0,40}", problem) else "",
        }

    def read(locale: str, sources: list[Path]):
        states, failures = read_sheets(config, locale, sources)
        return [_sheet(s) for s in states], failures

    @app.get("/")
    def index():
        return flask.redirect(flask.url_for("strings", locale=locales[0]), 303)

    @app.get("/static/serve.css")
    def stylesheet():
        return flask.send_from_directory(_TEMPLATES, "serve.css", mimetype="text/css")

    @app.get("/review/<locale>/")
    def strings(locale: str):
        check_locale(locale)
        chosen = filters(flask.request.args)
        done = flask.request.args.get("done", "")
        message = flask.request.args.get("msg", "")
        everything = sources()
        sheets, failures = read(locale, [p for p in everything if not chosen["sheet"] or p.stem == chosen["sheet"]])
        shown = []
        for sheet in sheets:
            items = [i for i in sheet.items if i.id == done or _matches(i, chosen["status"], chosen["problem"])]
            shown.append((sheet, items))
        checks = sorted({p.check for sheet in sheets for i in sheet.items for p in i.row.problems})
        return page("strings.html.j2", locale=locale, sheets=shown, failures=failures, filters=chosen,
                    all_sheets=[p.stem for p in everything], checks=checks, states=STATES,
                    done=done, message=message if message in _MESSAGES else "", messages=_MESSAGES,
                    total=sum(len(items) for _, items in shown))

    @app.get("/review/<locale>/<slug>/patient")
    def patient(locale: str, slug: str):
        check_locale(locale)
        sheets, failures = read(locale, [source(slug)])
        if not sheets:
            return refuse(500, "; ".join(str(f) for f in failures))
        return page("patient.html.j2", locale=locale, sheet=sheets[0])

    @app.post("/reviewer")
    def set_reviewer():
        form = flask.request.form
        locale = form.get("locale", "")
        target = flask.url_for("strings", locale=locale if locale in locales else locales[0], **{
            k: v for k, v in filters(form).items() if v})
        response = flask.redirect(target, 303)
        name = _clean_name(form.get("name", ""))
        response.set_cookie("l10n_reviewer", quote(name), httponly=True, samesite="Strict",
                            max_age=365 * 24 * 3600)
        return response

    @app.post("/review/<locale>/<slug>/entry")
    def entry(locale: str, slug: str):
        check_locale(locale)
        source(slug)
        form = flask.request.form
        wanted, base, action = form.get("id", ""), form.get("base", ""), form.get("action", "")
        chosen = filters(form)
        translation, comment = form.get("translation", ""), form.get("comment", "")
        day = date.today().isoformat()
        problem = ""

        def edit(entry: polib.POEntry) -> None:
            edit_entry(entry, action, translation, comment, reviewer(), day)

        try:
            outcome = save_entry(config, locale, slug, wanted, base, edit)
        except ValueError as err:
            outcome, problem = None, str(err)
        except ProjectLocked as err:
            return refuse(503, f"{err}. Nothing was saved; try again in a moment.", translation or comment)
        except L10nError as err:  # e.g. the PO file was left broken by hand meanwhile
            return refuse(500, f"{err}. Nothing was saved.", translation or comment)
        if isinstance(outcome, Conflict):
            return page("conflict.html.j2", 409, locale=locale, slug=slug, id=wanted, action=action,
                        disk=outcome.disk, base=entry_print(outcome.disk) if outcome.disk else "",
                        disk_state=state_of(outcome.disk) if outcome.disk else "",
                        translation=translation, comment=comment, filters=chosen,
                        catalog=config.display(config.catalog_path(locale, slug)))
        if problem:
            return refuse(400, problem[:1].upper() + problem[1:] + ". Nothing was saved; go back to try again.",
                          translation if action != "comment" else comment)
        message = ({"save": "saved", "approve": "approved", "comment": "commented"}[action]
                   if outcome.changed else "unchanged")
        return flask.redirect(flask.url_for("strings", locale=locale, done=wanted, msg=message,
                                            **{k: v for k, v in chosen.items() if v}) + f"#e-{wanted}", 303)

    return app


_MESSAGES = {
    "saved": "Saved to the PO file.",
    "approved": "Approved and saved to the PO file.",
    "commented": "Comment saved to the PO file.",
    "unchanged": "Nothing to change: the PO file already says this.",
}


@dataclass
class Server:
    """A bound server: ``url`` to print, ``run()`` to serve until interrupted."""

    url: str
    run: Callable[[], None]
    close: Callable[[], None]


def serve(config: Config, locales: list[str], host: str = "127.0.0.1", port: int = 0,
          token: str | None = None, sheets: tuple[str, ...] = ()) -> Server:
    """Bind the review server (port 0: a free one) and return it, not yet serving.

    ``sheets``: the slugs of the sheets to review (default: all).
    """
    import waitress

    if not locales:
        raise L10nError("no locale to review")
    token = token or secrets.token_urlsafe(24)
    bound: dict[str, int] = {}
    if _is_loopback(host):
        hosts: tuple[str, ...] | None = ("127.0.0.1", "localhost", "::1")
    elif host in ("0.0.0.0", "::", ""):
        hosts = None  # asked for by name: every address, so any name of this machine
    else:
        hosts = (host, "127.0.0.1", "localhost")
    app = make_app(config, locales, token, lambda: bound["port"], hosts, tuple(sheets))
    try:
        server = waitress.create_server(app, host=host, port=port, threads=4, ident="l10n")
    except OSError as err:  # the port is taken, or the address is not this machine's
        raise L10nError(f"cannot listen on {host} port {port}: {err.strerror or err}") from None
    bound["port"] = server.effective_port
    shown = f"[{host}]" if ":" in host else host
    return Server(f"http://{shown}:{server.effective_port}/?token={token}", server.run, server.close)
