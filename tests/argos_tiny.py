"""Build a tiny Argos Translate package (random weights) for tests and the benchmark.

The package is real in every way that matters to l10n -- a CTranslate2
Transformer, a SentencePiece vocabulary trained on the seed sheets, Argos's
``metadata.json``, zipped as ``.argosmodel`` -- but its weights are random, so
it translates into nonsense in well under a second.  No torch, no download.

    python tests/argos_tiny.py OUT.argosmodel
"""

from __future__ import annotations

import io
import json
import re
import sys
import tempfile
import zipfile
from pathlib import Path

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
_DIM, _FFN, _HEADS = 16, 32, 2

_SHAPES = {  # variable name suffix -> shape, with d = model size, f = FFN size, v = vocabulary
    "embeddings_0/weight": ("v", "d"), "embeddings/weight": ("v", "d"), "projection/weight": ("v", "d"),
    "projection/bias": ("v",), "gamma": ("d",), "beta": ("d",),
    "self_attention/linear_0/weight": ("3d", "d"), "self_attention/linear_0/bias": ("3d",),
    "attention/linear_0/weight": ("d", "d"), "attention/linear_0/bias": ("d",),
    "attention/linear_1/weight": ("2d", "d"), "attention/linear_1/bias": ("2d",),
    "self_attention/linear_1/weight": ("d", "d"), "self_attention/linear_1/bias": ("d",),
    "attention/linear_2/weight": ("d", "d"), "attention/linear_2/bias": ("d",),
    "ffn/linear_0/weight": ("f", "d"), "ffn/linear_0/bias": ("f",),
    "ffn/linear_1/weight": ("d", "f"), "ffn/linear_1/bias": ("d",),
}


def _corpus() -> str:
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.md")))
    return re.sub(r"\([^)\s]*://[^)\s]*\)|\(/[^)\s]*\)", "", text)  # URLs would dominate the vocabulary


def _resolve(spec, name: str):
    """The spec object owning variable ``name`` and the attribute to set."""
    *path, attribute = name.split("/")
    node = spec
    for part in path:
        base, _, index = part.rpartition("_")
        if index.isdigit() and isinstance(getattr(node, base, None), list):
            node = getattr(node, base)[int(index)]
        else:
            node = getattr(node, part)
    return node, attribute


def build_model(folder: Path, seed: int = 7) -> None:
    """Write ``model/`` and ``sentencepiece.model`` into ``folder``."""
    import ctranslate2
    import numpy as np
    import sentencepiece as spm

    folder.mkdir(parents=True, exist_ok=True)
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(_corpus().splitlines()), model_writer=model, vocab_size=400,
        hard_vocab_limit=False, model_type="unigram", character_coverage=1.0,
        user_defined_symbols=[], minloglevel=2,
    )
    (folder / "sentencepiece.model").write_bytes(model.getvalue())
    processor = spm.SentencePieceProcessor(model_proto=model.getvalue())
    vocabulary = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]

    spec = ctranslate2.specs.TransformerSpec.from_config(1, _HEADS)
    sizes = {"d": _DIM, "2d": 2 * _DIM, "3d": 3 * _DIM, "f": _FFN, "v": len(vocabulary)}
    rng = np.random.default_rng(seed)
    for name, value in spec.variables().items():
        if value is not None:
            continue
        shape = next((s for suffix, s in _SHAPES.items() if name.endswith(suffix)), None)
        if shape is None:
            raise RuntimeError(f"tiny model: no shape for {name}")
        node, attribute = _resolve(spec, name)
        if attribute == "gamma":
            array = np.ones([sizes[s] for s in shape], dtype=np.float32)
        else:
            array = rng.normal(0, 0.5, [sizes[s] for s in shape]).astype(np.float32)
        setattr(node, attribute, array)
    spec.register_source_vocabulary(vocabulary)
    spec.register_target_vocabulary(vocabulary)
    spec.validate()
    (folder / "model").mkdir()
    spec.save(str(folder / "model"))


def build_package(path: Path, source: str = "en", target: str = "es", version: str = "0.0.1") -> Path:
    """Write a ``.argosmodel`` zip at ``path`` (one top folder, as Argos's own packages)."""
    top = f"translate-{source}_{target}-tiny"
    metadata = {
        "package_version": version, "argos_version": "1.0", "from_code": source, "from_name": "English",
        "to_code": target, "to_name": "Spanish", "type": "translate", "code": top,
    }
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / top
        build_model(folder)
        (folder / "metadata.json").write_text(json.dumps(metadata, indent=2), encoding="utf-8")
        (folder / "README.md").write_text("Tiny random-weight test package for l10n.\n", encoding="utf-8")
        path.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for file in sorted(folder.rglob("*")):
                archive.write(file, file.relative_to(Path(tmp)).as_posix())
    return path


if __name__ == "__main__":
    out = build_package(Path(sys.argv[1] if len(sys.argv) > 1 else "tiny-en_es.argosmodel"))
    print(f"{out}: {out.stat().st_size} bytes")
