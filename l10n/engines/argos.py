"""Argos Translate packages, run through CTranslate2 and SentencePiece directly.

``argostranslate.translate`` needs a sentence-splitting model (stanza or
spaCy) that it downloads when a package lacks one, and stanza pulls in torch.
l10n uses only ``argostranslate.package`` to find installed packages, and
translates with the package's own CTranslate2 model and SentencePiece
vocabulary; the strings it gets are a sentence or a short paragraph, split
into sentences here by punctuation.

Packages are installed into ``$ARGOS_PACKAGES_DIR`` (default
``~/.local/share/argos-translate/packages``) by :func:`install`, which unzips
an ``.argosmodel`` file itself (Argos's installer imports stanza at its end).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import zipfile
from importlib import metadata as _metadata
from pathlib import Path
from typing import Sequence

from . import Engine, EngineError, EngineUnavailable

__all__ = ["ArgosEngine", "load", "install", "packages_dir"]

_SENTENCE_END = re.compile(r"(?<=[.!?:;])\s+(?=\S)")
_BATCH = 32  # sentences per CTranslate2 call


def packages_dir() -> Path:
    """Where Argos packages are installed (the same rule as argostranslate.settings)."""
    configured = os.environ.get("ARGOS_PACKAGES_DIR")
    if configured:
        return Path(configured)
    data = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(data) / "argos-translate" / "packages"


def _libraries():
    try:
        import ctranslate2
        import sentencepiece
        from argostranslate import package
    except ImportError as err:
        raise EngineUnavailable(
            f"argostranslate is not installed ({err.name}); run scripts/bootstrap.sh"
        ) from None
    return package, ctranslate2, sentencepiece


def _language(code: str) -> str:
    return code.replace("-", "_").split("_")[0].lower()


class ArgosEngine(Engine):
    name = "argos"

    def __init__(self, package_path: Path, info: dict, ctranslate2, sentencepiece):
        self.path = package_path
        try:
            library = _metadata.version("argostranslate")
        except _metadata.PackageNotFoundError:
            library = "unknown"
        self.version = f"{info.get('from_code')}-{info.get('to_code')} {info.get('package_version', '?')} (argostranslate {library})"
        self.target_prefix = info.get("target_prefix", "")
        threads = max(1, (os.cpu_count() or 1))
        self.translator = ctranslate2.Translator(str(package_path / "model"), device="cpu", intra_threads=threads)
        self.tokenizer = sentencepiece.SentencePieceProcessor(model_file=str(package_path / "sentencepiece.model"))
        self.calls = 0  # CTranslate2 batch calls, for tests and the benchmark

    def translate(self, texts: Sequence[str]) -> list[str]:
        sentences: list[str] = []
        counts: list[int] = []
        for text in texts:
            parts = [p for p in _SENTENCE_END.split(" ".join(text.split())) if p]
            sentences.extend(parts)
            counts.append(len(parts))
        outputs: list[str] = []
        for start in range(0, len(sentences), _BATCH):
            chunk = sentences[start : start + _BATCH]
            tokens = [self.tokenizer.encode(s, out_type=str) for s in chunk]
            prefix = [[self.target_prefix]] * len(chunk) if self.target_prefix else None
            # A translation is rarely more than twice its source; the cap stops a
            # confused model from generating 256 tokens of repetition.
            longest = max(len(t) for t in tokens)
            self.calls += 1
            try:
                results = self.translator.translate_batch(
                    tokens, target_prefix=prefix, beam_size=2, max_decoding_length=min(256, 2 * longest + 10),
                    max_input_length=1024, replace_unknowns=True,
                )
            except (RuntimeError, ValueError) as err:
                raise EngineError(f"argos {self.version} failed: {err}") from None
            for result in results:
                pieces = result.hypotheses[0]
                if self.target_prefix and pieces[:1] == [self.target_prefix]:
                    pieces = pieces[1:]
                outputs.append(self.tokenizer.decode_pieces(pieces).strip())
        joined, cursor = [], 0
        for count in counts:
            joined.append(" ".join(outputs[cursor : cursor + count]))
            cursor += count
        return joined

    def close(self) -> None:
        self.translator = None


def _installed(source: str, target: str):
    package, ctranslate2, sentencepiece = _libraries()
    folder = packages_dir()
    if not folder.is_dir():
        return None, ctranslate2, sentencepiece
    found = []
    for candidate in package.get_installed_packages(path=[folder]):
        if (_language(candidate.from_code or "") == _language(source)
                and _language(candidate.to_code or "") == _language(target)
                and (candidate.package_path / "model").is_dir()
                and (candidate.package_path / "sentencepiece.model").is_file()):
            found.append(candidate)
    found.sort(key=lambda p: (str(p.package_version), str(p.package_path)))
    return (found[-1] if found else None), ctranslate2, sentencepiece


def load(source: str, target: str) -> ArgosEngine:
    chosen, ctranslate2, sentencepiece = _installed(source, target)
    if chosen is None:
        raise EngineUnavailable(
            f"no Argos package for {source}->{target} in {packages_dir()} "
            "(install one with 'l10n engines install FILE.argosmodel')"
        )
    info = json.loads((chosen.package_path / "metadata.json").read_text(encoding="utf-8"))
    try:
        return ArgosEngine(chosen.package_path, info, ctranslate2, sentencepiece)
    except (RuntimeError, ValueError, OSError) as err:
        raise EngineUnavailable(f"cannot load the Argos package in {chosen.package_path}: {err}") from None


def install(archive: str | os.PathLike) -> Path:
    """Install an ``.argosmodel`` file; returns the installed package folder.

    The archive must hold one top folder with ``metadata.json``, ``model/`` and
    ``sentencepiece.model``; it is unpacked beside the target and renamed into
    place, so a bad archive never leaves half a package installed.
    """
    archive = Path(archive)
    if not zipfile.is_zipfile(archive):
        raise EngineError("not an Argos package (not a zip archive)", str(archive))
    with zipfile.ZipFile(archive) as zipped:
        names = zipped.namelist()
        tops = {n.split("/", 1)[0] for n in names}
        if len(tops) != 1 or any(n.startswith("/") or ".." in n.split("/") for n in names):
            raise EngineError("an Argos package holds exactly one top folder", str(archive))
        top = tops.pop()
        for needed in ("metadata.json", "sentencepiece.model", "model/model.bin"):
            if f"{top}/{needed}" not in names:
                raise EngineError(f"not an Argos package this engine can run: no {needed}", str(archive))
        try:
            info = json.loads(zipped.read(f"{top}/metadata.json"))
        except ValueError as err:
            raise EngineError(f"metadata.json is not JSON: {err}", str(archive)) from None
        if not info.get("from_code") or not info.get("to_code"):
            raise EngineError("metadata.json lacks from_code/to_code", str(archive))
        folder = packages_dir()
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=folder, prefix=".installing-") as tmp:
            zipped.extractall(tmp)
            target = folder / top
            if target.exists():
                shutil.rmtree(target)
            os.replace(Path(tmp) / top, target)
    return target
