"""Apertium, the rule-based engine Debian packages (``apertium-eng-spa``).

One ``apertium`` process per batch, not one per string: start-up costs about
0.14 s, a warm engine does thousands of short segments a second.  The batch
goes in as plain text, one string per paragraph (strings never contain a
blank line: masking turns line breaks into masks), and comes back in the same
paragraphs.  Plain-text mode, not HTML mode: the masks are words, and HTML
mode moves tags onto the wrong words when it reorders (see l10n.masking).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from functools import lru_cache
from typing import Sequence

from . import Engine, EngineError, EngineUnavailable

__all__ = ["ApertiumEngine", "load"]

# ISO 639-1 -> the three-letter codes Apertium names its pairs with.
_CODES = {
    "en": "eng", "es": "spa", "ca": "cat", "fr": "fra", "pt": "por", "it": "ita", "gl": "glg",
    "eu": "eus", "oc": "oci", "ro": "ron", "de": "deu", "nl": "nld", "an": "arg", "ast": "ast",
}
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


class ApertiumEngine(Engine):
    name = "apertium"

    def __init__(self, program: str, mode: str):
        self.program = program
        self.mode = mode
        engine_version = _package_version("apertium") or "unknown"
        data_version = _package_version(f"apertium-{mode}")
        self.version = f"{engine_version} {mode}" + (f" {data_version}" if data_version else "")
        self.calls = 0  # processes started, for tests and the benchmark

    def translate(self, texts: Sequence[str]) -> list[str]:
        if not texts:
            return []
        cleaned = [" ".join(t.split()) for t in texts]
        if any(not t for t in cleaned):
            raise EngineError("empty string in a batch")
        self.calls += 1
        try:
            done = subprocess.run(
                [self.program, "-u", self.mode],
                input="\n\n".join(cleaned) + "\n",
                capture_output=True,
                text=True,
                timeout=_TIMEOUT,
            )
        except (OSError, subprocess.SubprocessError) as err:
            raise EngineError(f"apertium {self.mode} failed: {err}") from None
        if done.returncode != 0:
            raise EngineError(f"apertium {self.mode} failed: {done.stderr.strip()[:200]}")
        outputs = [" ".join(p.split()) for p in re.split(r"\n[ \t]*\n", done.stdout.strip("\n"))]
        if len(outputs) != len(cleaned):
            raise EngineError(f"apertium returned {len(outputs)} strings for {len(cleaned)}")
        return outputs


def load(source: str, target: str) -> ApertiumEngine:
    program = shutil.which("apertium")
    if program is None:
        raise EngineUnavailable("the apertium program is not installed (Debian: apt-get install apertium-eng-spa)")
    mode = f"{_code(source)}-{_code(target)}"
    if mode not in _modes(program):
        raise EngineUnavailable(f"no Apertium pair {mode} installed (Debian: apt-get install apertium-{mode})")
    return ApertiumEngine(program, mode)
