"""The engines: real Apertium, and Argos with a tiny random-weight package built here."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from l10n.engines import EngineError, EngineUnavailable, find_engine, list_engines
from l10n.masking import MaskError, mask, restore, same_markup
from test_masking import TERMS, seed_msgids


def test_apertium_translates_a_batch_in_one_process(apertium) -> None:
    before = apertium.calls
    texts = ["Ask your doctor.", "Take one tablet.", "It is used to treat __1__ in adults."] * 20
    out = apertium.translate(texts)
    assert apertium.calls == before + 1
    assert len(out) == 60
    # usted, as patient materials address the reader (l10n/data/eng-spa: word choice + post-edit)
    assert out[0] == "Pregunte a su médico." and out[1].startswith("Tome ")
    assert "__1__" in out[2] and "adultos" in out[2] and out[2].startswith("Se usa para tratar")
    assert apertium.label.startswith("apertium ") and "eng-spa" in apertium.label
    assert apertium.label.endswith(" l10n-data wc+pe " + apertium.domain.fingerprint)


def test_every_seed_string_survives_apertium_with_its_markup(apertium) -> None:
    """Masks come back from the real engine; what does not is caught, never written."""
    masked = [mask(text, TERMS) for text in seed_msgids()]
    pieces = sorted({p for m in masked for p in m.engine_pieces})
    outputs = dict(zip(pieces, apertium.translate(pieces)))
    restored, lost = 0, 0
    for m in masked:
        try:
            text = restore(m, [outputs.get(p, p) for p in m.pieces])
        except MaskError:
            lost += 1
            continue
        assert same_markup(m.source, text), (m.source, text)
        restored += 1
    assert restored >= 0.95 * len(masked), (restored, lost)


def test_the_reordered_link_of_the_issue_stays_one_link(apertium) -> None:
    m = mask("**[Mantle cell lymphoma][1]** in patients who have received at least one other type of treatment.")
    text = restore(m, [apertium.translate([p])[0] if m.needs_engine(i) else p for i, p in enumerate(m.pieces)])
    assert text.count("[") == 2 and text.count("][1]**") == 1 and text.startswith("**[")
    assert "manto" in text


def test_unknown_engine_and_missing_pairs() -> None:
    with pytest.raises(EngineUnavailable, match="unknown engine"):
        find_engine("babelfish", "en", "es")
    with pytest.raises(EngineUnavailable, match="no Apertium pair"):
        find_engine("apertium", "en", "xx")
    names = [s.name for s in list_engines("en", "xx")]
    assert names == ["argos", "apertium"]


# -- Argos with a tiny package ------------------------------------------------------


@pytest.fixture(scope="session")
def tiny_package(tmp_path_factory) -> Path:
    import ctranslate2  # noqa: F401  (installed by scripts/bootstrap.sh: a missing one is a failure)
    import argostranslate  # noqa: F401
    from argos_tiny import build_package

    return build_package(tmp_path_factory.mktemp("argos") / "translate-en_es-tiny.argosmodel")


@pytest.fixture
def argos_dir(tmp_path: Path, monkeypatch) -> Path:
    folder = tmp_path / "argos-packages"
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(folder))
    return folder


def test_argos_installs_loads_and_batches(tiny_package: Path, argos_dir: Path) -> None:
    from l10n.engines import argos

    assert tiny_package.stat().st_size < 500_000
    assert not next(s for s in list_engines("en", "es") if s.name == "argos").available
    installed = argos.install(tiny_package)
    assert installed.parent == argos_dir and (installed / "model" / "model.bin").is_file()
    status = next(s for s in list_engines("en", "es") if s.name == "argos")
    assert status.available and status.detail.startswith("argos en-es 0.0.1 (argostranslate ")
    engine = find_engine("auto", "en", "es")  # argos first when a package is installed
    assert engine.name == "argos"
    texts = [f"Take {n} tablets. Ask your doctor." for n in range(40)]  # two sentences each
    out = engine.translate(texts)
    assert len(out) == 40 and all(isinstance(t, str) for t in out)
    assert engine.calls == 3  # 80 sentences in batches of 32


def test_argos_refuses_bad_packages(tmp_path: Path, argos_dir: Path) -> None:
    from l10n.engines import argos

    not_zip = tmp_path / "x.argosmodel"
    not_zip.write_text("hello")
    with pytest.raises(EngineError, match="not a zip"):
        argos.install(not_zip)
    empty = tmp_path / "empty.argosmodel"
    with zipfile.ZipFile(empty, "w") as archive:
        archive.writestr("pkg/metadata.json", "{}")
    with pytest.raises(EngineError, match="no sentencepiece.model"):
        argos.install(empty)
    assert not argos_dir.exists() or not any(argos_dir.iterdir())
