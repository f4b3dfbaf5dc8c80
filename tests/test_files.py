"""Atomic writes: all or nothing, identical content left alone, permissions kept."""

import os
import stat

import pytest

from l10n.files import write_text_atomic


def test_a_new_file_in_a_new_folder_gets_the_usual_permissions(tmp_path):
    target = tmp_path / "a" / "b" / "x.po"
    assert write_text_atomic(target, "uno\n") is True
    assert target.read_text() == "uno\n"
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask
    assert sorted(p.name for p in target.parent.iterdir()) == ["x.po"]  # no temporary file left


def test_identical_content_is_not_rewritten(tmp_path):
    target = tmp_path / "x.po"
    write_text_atomic(target, "uno\n")
    os.utime(target, ns=(1_000_000_000, 1_000_000_000))
    assert write_text_atomic(target, "uno\n") is False
    assert target.stat().st_mtime_ns == 1_000_000_000


def test_a_replaced_file_keeps_its_permissions(tmp_path):
    target = tmp_path / "x.po"
    target.write_text("old\n")
    target.chmod(0o640)
    assert write_text_atomic(target, "new\n", durable=True) is True
    assert target.read_text() == "new\n" and stat.S_IMODE(target.stat().st_mode) == 0o640


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path, monkeypatch):
    target = tmp_path / "x.po"
    target.write_text("translator's work\n")

    def refuse(*_):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OSError):
        write_text_atomic(target, "less\n")
    assert target.read_text() == "translator's work\n"
    assert [p.name for p in tmp_path.iterdir()] == ["x.po"]


def test_a_stale_temporary_name_is_skipped(tmp_path):
    target = tmp_path / "x.po"
    for counter in range(200):  # whatever the next name is, it is taken
        (tmp_path / f".x.po.{os.getpid()}.{counter}.tmp").write_text("left by a killed run")
    write_text_atomic(target, "uno\n")
    assert target.read_text() == "uno\n"
