"""Apertium, the rule-based engine Debian packages (``apertium-eng-spa``).

One ``apertium`` process per batch, not one per string: start-up costs about
0.14 s, a warm engine does thousands of short segments a second.  The batch
goes in as plain text, one string per paragraph (strings never contain a
blank line: masking turns line breaks into masks), and comes back in the same
paragraphs.  Plain-text mode, not HTML mode: the masks are words, and HTML
mode moves tags onto the wrong words when it reorders (see l10n.masking).

With domain data for the pair (``l10n/data/<pair>/``, README "Pretranslation")
the pipeline is cut open after lexical selection: the word-choice stage
(:mod:`l10n.wordchoice`) rewrites the stream there, and the post-edit rules
(:mod:`l10n.postedit`) fix the output.  The data's fingerprint is part of the
engine's label, so cached drafts of other data are never reused.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from ..files import read_text
from ..postedit import Rule, parse_post_edit, post_edit
from ..wordchoice import Choice, choose, parse_word_choice
from . import Engine, EngineError, EngineUnavailable

__all__ = ["ApertiumEngine", "Domain", "load", "load_domain", "DATA"]

# l10n's domain data per pair: DATA / "eng-spa" / "word-choice.tsv", "post-edit.tsv".
DATA = Path(__file__).resolve().parent.parent / "data"
MODES = Path("/usr/share/apertium/modes")

# ISO 639-1 -> the three-letter codes Apertium names its pairs with.
_CODES = {
    "en": "eng", "es": "spa", "ca": "cat", "fr": "fra", "pt": "por", "it": "ita", "gl": "glg",
    "eu": "eus", "oc": "oci", "ro": "ron", "de": "deu", "nl": "nld", "an": "arg", "ast": "ast",
}
_POSSESSOR = re.compile(r"__(\d+)__(?='s\b)")
_POSSESSED = re.compile(r"\bZqx([a-j]+)qz\b")
_LETTERS = str.maketrans("0123456789", "abcdefghij")
_DIGITS = str.maketrans("abcdefghij", "0123456789")
_TIMEOUT = 600  # seconds for one batch; a hung engine must not hang the run


def _code(locale: str) -> str:
    language = locale.replace("-", "_").split("_")[0].lower()
    return _CODES.get(language, language)


@lru_cache(maxsize=None)
def _modes(program: str) -> tuple[str, ...]:
    try:
        listed = subprocess.run([program, "-l"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    return tuple(line.strip() for line in listed.splitlines() if line.strip())


@lru_cache(maxsize=None)
def _package_version(package: str) -> str:
    """The Debian package's version (the engine has no --version)."""
    try:
        out = subprocess.run(["dpkg-query", "-W", "-f=${Version}", package], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return ""
    return out.stdout.strip() if out.returncode == 0 else ""


@dataclass(frozen=True)
class Domain:
    """A pair's domain data: word choices, post-edit rules, and a fingerprint of both files."""

    choices: tuple[Choice, ...]
    rules: tuple[Rule, ...]
    fingerprint: str


def load_domain(mode: str, folder: Path | None = None) -> Domain | None:
    """The data in ``folder`` (default ``DATA / mode``), or None when there is none.

    A broken file raises its :class:`~l10n.errors.L10nError` (``path:line: ...``).
    """
    folder = folder if folder is not None else DATA / mode
    digest = hashlib.sha1()
    choices: list[Choice] = []
    rules: list[Rule] = []
    found = False
    for name, parse, into in (("word-choice.tsv", parse_word_choice, choices), ("post-edit.tsv", parse_post_edit, rules)):
        path = folder / name
        if not path.is_file():
            continue
        found = True
        text = read_text(path, str(path))
        digest.update(name.encode() + b"\0" + text.encode("utf-8") + b"\0")
        into.extend(parse(text, str(path)))
    return Domain(tuple(choices), tuple(rules), digest.hexdigest()[:8]) if found else None


@lru_cache(maxsize=None)
def _split_mode(mode: str) -> tuple[str, str] | None:
    """The pair's pipeline cut after lexical selection: (head, tail) shell commands, or None.

    Built the way the ``apertium`` script builds it (the mode file through
    ``apertium-wblank-mode``, the text through ``apertium-destxt``), so the
    only difference from ``apertium -u`` is the word-choice
    stage at the cut; None when there is no lexical-selection step to cut at.
    """
    path = MODES / f"{mode}.mode"
    try:
        command = subprocess.run(["apertium-wblank-mode", str(path)], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    stages = [s.strip() for s in command.stdout.strip().split(" | ")] if command.returncode == 0 else []
    cut = [i for i, s in enumerate(stages) if s.startswith("lrx-proc") or s.startswith("lt-proc -b")]
    if not cut or cut[-1] == len(stages) - 1:
        return None
    at = cut[-1] + 1
    head = "apertium-destxt | " + " | ".join(stages[:at])
    return head, " | ".join(stages[at:]) + " | apertium-retxt"


class ApertiumEngine(Engine):
    """``apertium -u <pair>``, with the pair's domain data (word choice, post-edit) when l10n has some.

    ``word_choice`` and ``post_edit`` switch the stages off one by one (for
    the benchmark); the label names the data's fingerprint, so changing a
    data file changes the label and ``pretranslate --refresh`` redoes drafts.
    """

    name = "apertium"

    def __init__(self, program: str, mode: str, domain: Domain | None = None,
                 word_choice: bool = True, post_edit: bool = True):
        self.program = program
        self.mode = mode
        self.domain = domain
        self._pipeline = _split_mode(mode) if domain and domain.choices and word_choice else None
        self.word_choice = self._pipeline is not None
        self.post_edit_on = bool(domain and domain.rules and post_edit)
        engine_version = _package_version("apertium") or "unknown"
        data_version = _package_version(f"apertium-{mode}")
        self.version = f"{engine_version} {mode}" + (f" {data_version}" if data_version else "")
        stages = [s for s, on in (("wc", self.word_choice), ("pe", self.post_edit_on)) if on]
        if domain and stages:
            self.version += f" l10n-data {'+'.join(stages)} {domain.fingerprint}"
        self.calls = 0  # processes started, for tests and the benchmark

    def _run(self, command: list[str], text: str) -> str:
        try:
            done = subprocess.run(command, input=text, capture_output=True, text=True, timeout=_TIMEOUT)
        except (OSError, subprocess.SubprocessError) as err:
            raise EngineError(f"apertium {self.mode} failed: {err}") from None
        if done.returncode != 0:
            raise EngineError(f"apertium {self.mode} failed: {done.stderr.strip()[:200]}")
        return done.stdout

    def _translate_text(self, text: str) -> str:
        if self._pipeline is None:
            return self._run([self.program, "-u", self.mode], text)
        head, tail = self._pipeline
        # The mode file's $1 is lt-proc's generation flag (-n: no unknown-word marks, as `apertium -u`)
        # and $2 the tagger's option (none).
        stream = self._run(["bash", "-o", "pipefail", "-c", head, "apertium", "-n", ""], text)
        stream = choose(stream, self.domain.choices)
        return self._run(["bash", "-o", "pipefail", "-c", tail, "apertium", "-n", ""], stream)

    def post_edit(self, text: str) -> str:
        return post_edit(text, self.domain.rules) if self.post_edit_on else text

    def translate(self, texts: Sequence[str]) -> list[str]:
        if not texts:
            return []
        # Apertium reads the typographic apostrophe as a quote: "FDA’s" would lose its possessive.
        cleaned = [" ".join(t.replace("\u2019", "'").split()) for t in texts]
        if self.word_choice:
            # A mask reaches Apertium as a number between blanks, which transfer cannot make a possessor
            # of; before 's it goes as one unknown word, which the word-choice stage reads as a name.
            cleaned = [_POSSESSOR.sub(lambda m: "Zqx" + m.group(1).translate(_LETTERS) + "qz", t) for t in cleaned]
        if any(not t for t in cleaned):
            raise EngineError("empty string in a batch")
        self.calls += 1
        out = self._translate_text("\n\n".join(cleaned) + "\n")
        outputs = [" ".join(p.split()) for p in re.split(r"\n[ \t]*\n", out.strip("\n"))]
        if len(outputs) != len(cleaned):
            raise EngineError(f"apertium returned {len(outputs)} strings for {len(cleaned)}")
        if self.word_choice:
            outputs = [_POSSESSED.sub(lambda m: f"__{m.group(1).translate(_DIGITS)}__", o) for o in outputs]
        return [self.post_edit(o) for o in outputs]


def load(source: str, target: str) -> ApertiumEngine:
    program = shutil.which("apertium")
    if program is None:
        raise EngineUnavailable("the apertium program is not installed (Debian: apt-get install apertium-eng-spa)")
    mode = f"{_code(source)}-{_code(target)}"
    if mode not in _modes(program):
        raise EngineUnavailable(f"no Apertium pair {mode} installed (Debian: apt-get install apertium-{mode})")
    return ApertiumEngine(program, mode, load_domain(mode))
