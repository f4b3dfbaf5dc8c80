"""``l10n review --serve``, driven as a reviewer drives it: in Debian's Chromium, through Selenium.

The oracles are outside the code under test: polib and ``msgfmt -c`` read
the PO files the saves wrote, difflib says how many places of a file changed,
and the browser itself says whether a script ran.  The HTTP-level tests speak
raw HTTP (http.client) to the real server started by the real command line.
"""

from __future__ import annotations

import difflib
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import polib
import pytest

from l10n import pofile
from l10n.approval import approval
from l10n.serve import edit_entry, entry_id, replace_entry

from conftest import msgfmt_check, require_tool, run_l10n, set_entries

PO = "locales/es/LC_MESSAGES/{}.po"

# Carfilzomib strings made fuzzy drafts, as pretranslation leaves them.
DRAFTS = {
    "Yes": ("Sí", "machine"),
    "FDA Approved": ("Aprobado por la FDA", "machine"),
    "US Brand Name(s)": ("Nombre(s) de marca en EE. UU.", "memory"),
    "[Lenalidomide][1]": ("[Lenalidomide][1]", "machine"),
    "[Daratumumab][1]": ("[Daratumumab][1]", "changed"),
}
REVIEWED = {"Kyprolis": "Kyprolis"}  # a translator's reviewed string: not fuzzy, filtered out
OTHER_SHEET = {"Yes": ("Sí", "machine")}  # ixazomib-citrate: a fuzzy string of another sheet, filtered out
PAYLOAD = "<script>window.__pwned = 1</script><img src=x onerror=\"window.__pwned = 2; alert('x')\">"


def draft(po: Path, changes: dict) -> None:
    set_entries(po, changes, previous=lambda msgid: msgid.replace("Daratumumab", "Daratumumab alfa"), wrapwidth=0)


@pytest.fixture
def review_project(project: Path) -> Path:
    run_l10n(project, "extract", check=True)
    run_l10n(project, "update", "--locale", "es", check=True)
    draft(project / PO.format("carfilzomib"), {**DRAFTS, **REVIEWED})
    draft(project / PO.format("ixazomib-citrate"), OTHER_SHEET)
    return project


class Server:
    def __init__(self, project: Path, *extra: str):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "l10n", "-C", str(project), "review", "--serve", "--locale", "es", *extra],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL,
        )
        line = [""]
        reader = threading.Thread(target=lambda: line.__setitem__(0, self.process.stdout.readline()), daemon=True)
        reader.start()
        reader.join(30)
        found = re.search(r"(http://\S+)", line[0])
        if not found:
            self.stop()
            pytest.fail(f"the server printed no URL: {line[0]!r} {self.process.stderr.read()}")
        self.url = found.group(1)
        parts = urllib.parse.urlsplit(self.url)
        self.host, self.port = parts.hostname, parts.port
        self.base = f"http://{parts.netloc}"
        self.token = urllib.parse.parse_qs(parts.query)["token"][0]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def request(self, method: str, path: str, body: dict | None = None, headers: dict | None = None,
                cookie: bool = True) -> http.client.HTTPResponse:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        sent = dict(headers or {})
        if cookie:
            sent.setdefault("Cookie", f"l10n_review_token_{self.port}={self.token}")
        data = None
        if body is not None:
            data = urllib.parse.urlencode(body)
            sent.setdefault("Content-Type", "application/x-www-form-urlencoded")
        connection.request(method, path, body=data, headers=sent)
        response = connection.getresponse()
        response.text = response.read().decode("utf-8")
        connection.close()
        return response


@pytest.fixture
def server(review_project: Path):
    running = Server(review_project, "carfilzomib", "ixazomib-citrate.md")
    yield running
    running.stop()


def _blocks(text: str) -> list[str]:
    """A PO file's entries as written: runs of lines between blank lines."""
    return [block for block in re.split(r"\n[ \t]*\n", text.strip("\n")) if block.strip()]


def only_entry_changed(before: str, after: str, msgid: str) -> None:
    """``after`` differs from ``before`` in exactly one entry, that of ``msgid``, and nowhere else."""
    old, new = _blocks(before), _blocks(after)
    assert len(old) == len(new)
    changed = [i for i, (a, b) in enumerate(zip(old, new)) if a != b]
    assert len(changed) == 1, [difflib.unified_diff(old[i].splitlines(), new[i].splitlines()) for i in changed]
    assert polib.pofile(new[changed[0]] + "\n").find(msgid) is not None
    # Whitespace between entries too: the rest of the file is the same text.
    outside = difflib.SequenceMatcher(None, before, after, autojunk=False)
    assert sum(1 for op in outside.get_opcodes() if op[0] != "equal") >= 1
    head = before.index(old[changed[0]])
    assert after[:head] == before[:head]
    assert after[len(after) - (len(before) - head - len(old[changed[0]])):] == before[head + len(old[changed[0]]):]


def entry(project: Path, sheet: str, msgid: str) -> polib.POEntry:
    found = polib.pofile(str(project / PO.format(sheet))).find(msgid)
    assert found is not None, msgid
    return found


# -- one entry, without a server --------------------------------------------------------------

WRAPPED = '''\
# A translator's header comment.
msgid ""
msgstr ""
"Language: es\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\\n"

#. h1
#: seeds/x.md:3
msgid "Take one tablet."
msgstr "Tome un comprimido."

#. p[1]
#, fuzzy
#| msgid "Take one tablet a day with food, every morning, at the same time, "
#| "with water."
msgid ""
"Take two tablets a day with food, every morning, at the same time, with "
"water."
msgstr ""
"Tome un comprimido al día con comida, cada mañana, a la misma hora, con "
"agua."



#. p[2]
msgid "Call your doctor."
msgstr "Llame a su médico."

#~ msgid "Old text"
#~ msgstr "Texto viejo"
'''


@pytest.mark.parametrize("msgid", [
    "Take one tablet.",
    "Take two tablets a day with food, every morning, at the same time, with water.",
    "Call your doctor.",
])
def test_replace_entry_changes_only_that_entry(tmp_path: Path, msgid: str):
    catalog = pofile.parse(WRAPPED, "x.po")
    target = next(e for e in catalog if e.msgid == msgid)
    edited = polib.POEntry(**{k: v for k, v in target.__dict__.items() if k not in ("linenum", "msgstr_line")})
    edited.flags = list(target.flags)
    edit_entry(edited, "save", "Tome\r\ndos comprimidos.", "", "", "2026-12-02")
    edit_entry(edited, "comment", "", "Check  the\ndose!", "Ana Ruiz", "2026-12-02")
    result = replace_entry(WRAPPED, "x.po", entry_id(target), edited)
    only_entry_changed(WRAPPED, result, msgid)
    after = polib.pofile(result).find(msgid)
    assert after.msgstr == "Tome\ndos comprimidos." and "fuzzy" not in after.flags and after.previous_msgid is None
    assert after.tcomment.endswith("l10n: comment by Ana Ruiz on 2026-12-02: Check the dose!")
    assert result.endswith('#~ msgid "Old text"\n#~ msgstr "Texto viejo"\n')  # the obsolete entry, as it was
    path = tmp_path / "x.po"
    path.write_text(result)
    msgfmt_check(path)


def test_an_approval_lands_and_an_edit_voids_it():
    target = polib.POEntry(msgid="Yes", msgstr="Sí", flags=["fuzzy"], tcomment="l10n: machine apertium 3.8.3")
    edit_entry(target, "approve", "Sí", "", "Ana  Ruiz", "2026-12-02")
    assert approval(target) == ("Ana Ruiz", "2026-12-02") and target.flags == []
    edit_entry(target, "save", "Si", "", "", "2026-12-03")
    assert approval(target) is None and "approved" not in target.tcomment  # the stale line goes too
    with pytest.raises(ValueError):
        edit_entry(target, "approve", "Sí", "", "", "2026-12-02")  # no reviewer name
    with pytest.raises(ValueError):
        edit_entry(target, "approve", "  ", "", "Ana", "2026-12-02")


# -- HTTP: what the server refuses -----------------------------------------------------------


def _snapshot(project: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (project / "locales/es/LC_MESSAGES").glob("*.po")}


def test_binds_to_loopback_with_a_token_in_the_url(server: Server):
    assert server.host == "127.0.0.1" and server.port > 0
    assert len(server.token) >= 30
    # Not reachable at the machine's other addresses.
    addresses = subprocess.run(["hostname", "-I"], capture_output=True, text=True).stdout.split()
    for address in addresses:
        if ":" in address or address.startswith("127."):
            continue
        with pytest.raises(OSError):
            socket.create_connection((address, server.port), timeout=3).close()


def test_requests_without_the_token_are_refused(server: Server):
    assert server.request("GET", "/review/es/", cookie=False).status == 403
    assert server.request("GET", "/review/es/?token=wrong", cookie=False).status == 403
    assert server.request("GET", "/static/serve.css", cookie=False).status == 403
    bad_cookie = {"Cookie": f"l10n_review_token_{server.port}=wrong"}
    assert server.request("GET", "/review/es/", headers=bad_cookie, cookie=False).status == 403
    # The printed URL sets the cookie and drops the token from the address.
    first = server.request("GET", f"/?token={server.token}", cookie=False)
    assert first.status == 303 and first.getheader("Location") == "/"
    assert f"l10n_review_token_{server.port}={server.token}" in first.getheader("Set-Cookie")
    assert "HttpOnly" in first.getheader("Set-Cookie") and "SameSite=Strict" in first.getheader("Set-Cookie")
    page = server.request("GET", "/review/es/")
    assert page.status == 200 and "carfilzomib" in page.text
    csp = page.getheader("Content-Security-Policy")
    assert "default-src 'none'" in csp and "script-src" not in csp and "unsafe-inline" not in csp


def test_other_hosts_and_origins_are_refused(server: Server, review_project: Path):
    before = _snapshot(review_project)
    page = server.request("GET", "/review/es/?sheet=carfilzomib").text
    form = dict(re.findall(r'name="(id|base)" value="([^"]*)"', page)[:2])
    form.update(action="save", translation="hacked")
    target = "/review/es/carfilzomib/entry"
    # DNS rebinding: a page at evil.example that resolves to 127.0.0.1.
    assert server.request("GET", "/review/es/", headers={"Host": f"evil.example:{server.port}"}).status == 403
    assert server.request("POST", target, form, {"Origin": "http://evil.example"}).status == 403
    assert server.request("POST", target, form, {"Sec-Fetch-Site": "cross-site"}).status == 403
    assert server.request("POST", target, form, {"Origin": "null"}).status == 403
    # Another server on this machine is same-site (cookies ignore ports), not same-origin.
    other_port = {"Origin": f"http://127.0.0.1:{server.port + 1}", "Sec-Fetch-Site": "same-site"}
    assert server.request("POST", target, form, other_port).status == 403
    assert server.request("POST", target, form).status == 403  # neither header: not from the page
    assert _snapshot(review_project) == before
    ok = server.request("POST", target, form, {"Origin": server.base, "Sec-Fetch-Site": "same-origin"})
    assert ok.status == 303  # the same form from the page itself is taken
    assert 'msgstr "hacked"' in (review_project / PO.format("carfilzomib")).read_text()


@pytest.mark.parametrize("path", [
    "/review/es/..%2F..%2F..%2Fetc%2Fpasswd/patient",
    "/review/es/%2e%2e/patient",
    "/review/es/../../l10n.toml/patient",
    "/review/..%2Fes/carfilzomib/patient",
    "/review/fr/carfilzomib/patient",  # a locale of the project not being served
    "/review/es/nosuchsheet/patient",
    "/review/es/bortezomib/patient",  # a sheet of the project, but not one the server was started for
])
def test_files_outside_the_project_lists_are_refused(server: Server, path: str):
    response = server.request("GET", path)
    assert response.status in (403, 404), response.status
    assert "root:" not in response.text and "source =" not in response.text


def test_a_post_naming_another_file_writes_nothing(server: Server, review_project: Path):
    before = _snapshot(review_project)
    outside = review_project / "evil.po"
    shutil.copy(review_project / PO.format("carfilzomib"), outside)
    page = server.request("GET", "/review/es/?sheet=carfilzomib").text
    form = dict(re.findall(r'name="(id|base)" value="([^"]*)"', page)[:2], action="save", translation="x")
    for target in ("/review/es/..%2F..%2F..%2Fevil/entry", "/review/es/evil/entry", "/review/..%2F..%2Fx/evil/entry"):
        response = server.request("POST", target, form, {"Origin": server.base})
        assert response.status in (403, 404), (target, response.status)
    assert _snapshot(review_project) == before
    assert outside.read_bytes() == (review_project / PO.format("carfilzomib")).read_bytes()


def test_the_server_refuses_to_start_on_a_port_in_use(review_project: Path):
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen()
    try:
        done = subprocess.run(  # with a timeout: were the port not refused, it would serve forever
            [sys.executable, "-m", "l10n", "-C", str(review_project), "review", "--serve", "--port",
             str(busy.getsockname()[1])], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    finally:
        busy.close()
    assert done.returncode == 1 and "cannot listen on 127.0.0.1 port" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr


# -- in the browser ----------------------------------------------------------------------------


@pytest.fixture
def browser(tmp_path: Path):
    binary = require_tool("chromium")
    driver_binary = require_tool("chromedriver")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync", "--window-size=1400,1000",
                 f"--user-data-dir={tmp_path / 'chromium-profile'}"):
        options.add_argument(flag)
    os.environ.setdefault("SE_OFFLINE", "true")  # Selenium Manager must not look for downloads
    driver = webdriver.Chrome(service=Service(driver_binary), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def _row(driver, msgid: str):
    from selenium.webdriver.common.by import By

    for row in driver.find_elements(By.CSS_SELECTOR, "tr.entry"):
        if row.find_element(By.CSS_SELECTOR, ".english").text == msgid:
            return row
    raise AssertionError(f"no row for {msgid!r} on {driver.current_url}")


def _type(row, text: str) -> None:
    from selenium.webdriver.common.by import By

    area = row.find_element(By.CSS_SELECTOR, "textarea")
    area.clear()
    area.send_keys(text)


def _click(driver, element, css: str | None = None) -> None:
    """Click a button and wait for the page it leads to (POST, redirect, GET)."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    old = driver.find_element(By.TAG_NAME, "html")
    (element.find_element(By.CSS_SELECTOR, css) if css else element).click()

    def gone(_) -> bool:
        try:
            old.tag_name
            return False
        except WebDriverException:  # stale; or, mid-navigation, "node does not belong to the document"
            return True

    WebDriverWait(driver, 60).until(gone)
    _wait_loaded(driver)


def _wait_loaded(driver) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 60).until(lambda d: d.execute_script("return document.readyState") == "complete")


def _result(driver) -> str:
    from selenium.webdriver.common.by import By

    return driver.find_element(By.CSS_SELECTOR, "tr.done .result").text


def test_a_reviewer_filters_corrects_approves_and_comments(server: Server, browser, review_project: Path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    po = review_project / PO.format("carfilzomib")
    browser.get(server.url)
    _wait_loaded(browser)
    assert "/review/es/" in browser.current_url and "token" not in browser.current_url

    # Asked once for a name, kept in a cookie.
    name = browser.find_element(By.ID, "reviewer-name")
    name.send_keys("Ana Ruiz, RN")
    _click(browser, browser.find_element(By.ID, "reviewer-set"))
    assert browser.find_element(By.ID, "reviewer-name").get_attribute("value") == "Ana Ruiz, RN"

    assert browser.find_elements(By.ID, "sheet-ixazomib-citrate")  # unfiltered: every sheet served

    # Filter: carfilzomib's fuzzy strings only.
    Select(browser.find_element(By.ID, "filter-sheet")).select_by_value("carfilzomib")
    Select(browser.find_element(By.ID, "filter-status")).select_by_value("fuzzy")
    _click(browser, browser.find_element(By.ID, "filter-apply"))
    rows = browser.find_elements(By.CSS_SELECTOR, "tr.entry")
    shown = {row.find_element(By.CSS_SELECTOR, ".english").text for row in rows}
    fuzzy = {e.msgid for e in polib.pofile(str(po)) if e.fuzzy and e.msgstr}
    assert shown == fuzzy == set(DRAFTS)
    assert {row.get_attribute("data-state") for row in rows} == {"machine", "memory", "changed"}
    assert browser.find_elements(By.ID, "sheet-ixazomib-citrate") == []
    options = [o.get_attribute("value") for o in Select(browser.find_element(By.ID, "filter-sheet")).options]
    assert options == ["", "carfilzomib", "ixazomib-citrate"]  # the sheets named on the command line

    # Correct one: first a slip the checks catch at once (the link lost), then right.
    text = po.read_text()
    _type(_row(browser, "[Lenalidomide][1]"), "Lenalidomida")
    _click(browser, _row(browser, "[Lenalidomide][1]"), "button.save")
    assert "Saved to the PO file" in _result(browser) and "1 problem" in _result(browser)
    assert "[links]" in _row(browser, "[Lenalidomide][1]").find_element(By.CSS_SELECTOR, ".problems").text
    only_entry_changed(text, po.read_text(), "[Lenalidomide][1]")
    text = po.read_text()
    _type(_row(browser, "[Lenalidomide][1]"), "[Lenalidomida][1]")
    _click(browser, _row(browser, "[Lenalidomide][1]"), "button.save")
    assert "no problem" in _result(browser)
    only_entry_changed(text, po.read_text(), "[Lenalidomide][1]")
    corrected = entry(review_project, "carfilzomib", "[Lenalidomide][1]")
    assert corrected.msgstr == "[Lenalidomida][1]" and not corrected.fuzzy
    assert _row(browser, "[Lenalidomide][1]").get_attribute("data-state") == "reviewed"

    # Approve two: one as it stands, one with a correction typed first.
    text = po.read_text()
    _click(browser, _row(browser, "FDA Approved"), "button.approve")
    assert "Approved" in _result(browser)
    only_entry_changed(text, po.read_text(), "FDA Approved")
    text = po.read_text()
    _type(_row(browser, "US Brand Name(s)"), "Nombre(s) comercial(es) en EE. UU.")
    _click(browser, _row(browser, "US Brand Name(s)"), "button.approve")
    only_entry_changed(text, po.read_text(), "US Brand Name(s)")
    for msgid, wanted in (("FDA Approved", "Aprobado por la FDA"),
                          ("US Brand Name(s)", "Nombre(s) comercial(es) en EE. UU.")):
        approved = entry(review_project, "carfilzomib", msgid)
        assert approved.msgstr == wanted and not approved.fuzzy
        assert approval(approved).reviewer == "Ana Ruiz, RN"
        assert re.search(r"^l10n: approved by Ana Ruiz, RN on \d{4}-\d{2}-\d{2} \[[0-9a-f]{8}\]$",
                         approved.tcomment, re.M)
    assert _row(browser, "US Brand Name(s)").get_attribute("data-state") == "approved"

    # Comment on one: a translator comment; the string stays a draft.
    text = po.read_text()
    row = _row(browser, "Yes")
    row.find_element(By.CSS_SELECTOR, "input[name=comment]").send_keys("Use «Sí» only in the checklist.")
    _click(browser, row, "button.add-comment")
    only_entry_changed(text, po.read_text(), "Yes")
    commented = entry(review_project, "carfilzomib", "Yes")
    assert commented.fuzzy and commented.msgstr == "Sí"
    assert re.search(r"^l10n: comment by Ana Ruiz, RN on \d{4}-\d{2}-\d{2}: Use «Sí» only in the checklist\.$",
                     commented.tcomment, re.M)
    assert "Use «Sí» only in the checklist." in _row(browser, "Yes").find_element(By.CSS_SELECTOR, ".comments").text

    # The file is a valid PO file, and gettext reads it the same way.
    msgfmt_check(po)
    done = subprocess.run([require_tool("msgattrib"), "--no-fuzzy", "--translated", str(po)],
                          capture_output=True, text=True, check=True)
    kept = {e.msgid for e in polib.pofile(done.stdout)}
    assert {"[Lenalidomide][1]", "FDA Approved", "US Brand Name(s)", "Kyprolis"} <= kept and "Yes" not in kept

    # The patient view: the draft, labelled so.
    browser.get(f"{server.base}/review/es/carfilzomib/patient")
    _wait_loaded(browser)
    assert "DRAFT" in browser.find_element(By.ID, "draft-label").text
    article = browser.find_element(By.CSS_SELECTOR, "article.patient").text
    assert "Aprobado por la FDA" in article and "Lenalidomida" in article and "Sí" in article


def test_a_concurrent_edit_shows_a_conflict_and_loses_neither_text(server: Server, browser, review_project: Path):
    from selenium.webdriver.common.by import By

    po = review_project / PO.format("carfilzomib")
    browser.get(server.url)
    browser.get(f"{server.base}/review/es/?sheet=carfilzomib&status=machine")
    _wait_loaded(browser)
    row = _row(browser, "FDA Approved")
    _type(row, "Aprobado por la FDA (EE. UU.)")

    # Meanwhile a translator saves the same string, and another one, in Poedit.
    catalog = polib.pofile(str(po))
    theirs = catalog.find("FDA Approved")
    theirs.msgstr, theirs.flags = "Aprobado por la Administración de Alimentos y Medicamentos", []
    other = catalog.find("Yes")
    other.msgstr, other.flags = "Sí.", []
    catalog.save()
    saved_by_translator = po.read_text()

    _click(browser, _row(browser, "FDA Approved"), "button.save")
    assert browser.find_element(By.ID, "conflict")
    assert browser.find_element(By.CSS_SELECTOR, ".theirs").text.startswith(
        "Aprobado por la Administración de Alimentos y Medicamentos")
    assert browser.find_element(By.CSS_SELECTOR, ".mine").text == "Aprobado por la FDA (EE. UU.)"
    assert po.read_text() == saved_by_translator  # nothing written

    # The reviewer decides for their text, on purpose; the translator's other edit stays.
    _click(browser, browser.find_element(By.CSS_SELECTOR, "form.resolve button.keep-mine"))
    only_entry_changed(saved_by_translator, po.read_text(), "FDA Approved")
    assert entry(review_project, "carfilzomib", "FDA Approved").msgstr == "Aprobado por la FDA (EE. UU.)"
    assert entry(review_project, "carfilzomib", "Yes").msgstr == "Sí."
    msgfmt_check(po)

    # A save of another string of the same file keeps the translator's edits too.
    before = po.read_text()
    browser.get(f"{server.base}/review/es/?sheet=carfilzomib&status=changed")
    _wait_loaded(browser)
    catalog = polib.pofile(str(po), wrapwidth=0)
    catalog.find("Kyprolis").tcomment = "checked with the label"
    catalog.save()
    before = po.read_text()
    _type(_row(browser, "[Daratumumab][1]"), "[Daratumumab][1]")
    _click(browser, _row(browser, "[Daratumumab][1]"), "button.save")
    only_entry_changed(before, po.read_text(), "[Daratumumab][1]")
    assert entry(review_project, "carfilzomib", "Kyprolis").tcomment == "checked with the label"


def test_a_script_typed_into_a_translation_does_not_run(server: Server, browser, review_project: Path):
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By

    browser.get(server.url)
    browser.get(f"{server.base}/review/es/?sheet=carfilzomib&status=machine")
    _wait_loaded(browser)
    _type(_row(browser, "FDA Approved"), PAYLOAD)
    _click(browser, _row(browser, "FDA Approved"), "button.save")
    assert entry(review_project, "carfilzomib", "FDA Approved").msgstr == PAYLOAD  # stored as typed
    for url in (browser.current_url, f"{server.base}/review/es/carfilzomib/patient"):
        browser.get(url)
        _wait_loaded(browser)
        time.sleep(0.5)  # time for an onerror to fire, were there an img
        with pytest.raises(NoAlertPresentException):
            browser.switch_to.alert.text
        assert browser.execute_script("return window.__pwned === undefined")
        assert browser.find_elements(By.CSS_SELECTOR, "main img, main script") == []
    browser.get(f"{server.base}/review/es/?sheet=carfilzomib")
    _wait_loaded(browser)
    row = _row(browser, "FDA Approved")
    assert row.find_element(By.CSS_SELECTOR, "textarea").get_attribute("value") == PAYLOAD  # shown as text
    # And a comment holding the payload, through the comment form.
    row.find_element(By.CSS_SELECTOR, "input[name=comment]").send_keys(PAYLOAD)
    _click(browser, row, "button.add-comment")
    time.sleep(0.5)
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text
    assert browser.execute_script("return window.__pwned === undefined")
    assert PAYLOAD in _row(browser, "FDA Approved").find_element(By.CSS_SELECTOR, ".comments").text
    # Escaping alone holds, without the CSP: the raw HTML has no tag from the payload.
    page = server.request("GET", "/review/es/?sheet=carfilzomib").text
    assert "<script>window.__pwned" not in page and "<img src=x" not in page
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in page


def test_a_save_waits_for_the_project_lock(server: Server, review_project: Path):
    from l10n.lock import project_lock

    po = review_project / PO.format("carfilzomib")
    page = server.request("GET", "/review/es/?sheet=carfilzomib").text
    form = dict(re.findall(r'name="(id|base)" value="([^"]*)"', page)[:2], action="save", translation="locked")
    before = po.read_bytes()
    answers: dict = {}
    with project_lock(review_project, "update"):  # as if 'l10n update' were running
        post = threading.Thread(target=lambda: answers.update(
            done=server.request("POST", "/review/es/carfilzomib/entry", form, {"Origin": server.base})))
        post.start()
        time.sleep(1.5)
        assert post.is_alive() and po.read_bytes() == before  # waiting, nothing written
    post.join(30)
    assert answers["done"].status == 303
    assert b'msgstr "locked"' in po.read_bytes()


def test_a_save_gives_up_on_a_held_lock_and_writes_nothing(review_project: Path):
    from l10n.config import load_config
    from l10n.lock import ProjectLocked, project_lock
    from l10n.serve import entry_print, save_entry

    config = load_config(review_project)
    po = review_project / PO.format("carfilzomib")
    target = polib.pofile(str(po)).find("Yes")
    before = po.read_bytes()
    with project_lock(review_project, "update"):
        with pytest.raises(ProjectLocked):
            save_entry(config, "es", "carfilzomib", entry_id(target), entry_print(target),
                       lambda e: setattr(e, "msgstr", "No"), wait=0.2)
    assert po.read_bytes() == before


def test_a_refused_save_shows_the_reviewers_text_and_writes_nothing(server: Server, review_project: Path):
    po = review_project / PO.format("carfilzomib")
    page = server.request("GET", "/review/es/?sheet=carfilzomib").text
    form = dict(re.findall(r'name="(id|base)" value="([^"]*)"', page)[:2], action="approve",
                translation="Mi <b>corrección</b>")
    before = po.read_bytes()
    answer = server.request("POST", "/review/es/carfilzomib/entry", form, {"Origin": server.base})
    assert answer.status == 400 and "Enter your name" in answer.text  # no reviewer name yet
    assert "Mi &lt;b&gt;corrección&lt;/b&gt;" in answer.text
    # A PO file broken by hand meanwhile: named with its line, nothing written, the text kept.
    po.write_bytes(before + b'\nmsgid "broken\n')
    broken = po.read_bytes()
    form["action"] = "save"
    answer = server.request("POST", "/review/es/carfilzomib/entry", form, {"Origin": server.base})
    assert answer.status == 500 and re.search(r"carfilzomib\.po:\d+: broken PO file", answer.text)
    assert "Mi &lt;b&gt;corrección&lt;/b&gt;" in answer.text
    assert po.read_bytes() == broken


def test_approvals_and_comments_survive_update_and_msgcat(server: Server, review_project: Path):
    po = review_project / PO.format("carfilzomib")
    page = server.request("GET", "/review/es/?sheet=carfilzomib&status=machine").text
    forms = dict(re.findall(r'<tr class="entry[^"]*" id="e-([0-9a-f]+)".*?name="base" value="([0-9a-f]+)"', page, re.S))
    yes = entry_id(polib.POEntry(msgid="Yes"))
    who = {"Cookie": f"l10n_review_token_{server.port}={server.token}; l10n_reviewer=Luis%20P%C3%A9rez",
           "Origin": server.base}
    answer = server.request("POST", "/review/es/carfilzomib/entry",
                            {"id": yes, "base": forms[yes], "action": "approve", "translation": "Sí"}, who)
    assert answer.status == 303
    page = server.request("GET", "/review/es/?sheet=carfilzomib").text
    base = dict(re.findall(r'<tr class="entry[^"]*" id="e-([0-9a-f]+)".*?name="base" value="([0-9a-f]+)"', page, re.S))
    answer = server.request("POST", "/review/es/carfilzomib/entry",
                            {"id": yes, "base": base[yes], "action": "comment", "comment": "ok for the leaflet"}, who)
    assert answer.status == 303
    approved = entry(review_project, "carfilzomib", "Yes")
    assert approval(approved) == ("Luis Pérez", approved.tcomment.split(" on ")[1][:10])

    run_l10n(review_project, "update", "--locale", "es", check=True)
    merged = subprocess.run([require_tool("msgcat"), str(po)], capture_output=True, text=True, check=True).stdout
    for catalog in (polib.pofile(str(po)), polib.pofile(merged)):
        kept = catalog.find("Yes")
        assert approval(kept) is not None and approval(kept).reviewer == "Luis Pérez"
        assert "l10n: comment by Luis Pérez on" in kept.tcomment and kept.tcomment.endswith("ok for the leaflet")
    msgfmt_check(po)


def test_replace_entry_keeps_windows_line_ends(tmp_path: Path):
    text = WRAPPED.replace("\n", "\r\n")
    catalog = pofile.parse(text, "x.po")
    target = next(e for e in catalog if e.msgid == "Call your doctor.")
    edited = polib.POEntry(msgid=target.msgid, msgstr="Llame a su médico o farmacéutico.", comment=target.comment)
    result = replace_entry(text, "x.po", entry_id(target), edited)
    assert result.count("\n") == result.count("\r\n") == text.count("\r\n")
    assert result.replace("Llame a su médico o farmacéutico.", "Llame a su médico.") == text
    path = tmp_path / "x.po"
    path.write_bytes(result.encode("utf-8"))
    msgfmt_check(path)
