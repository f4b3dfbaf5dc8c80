"""Atomic writes: all or nothing, identical content left alone, permissions kept."""

import errno
import os
import stat
import subprocess
import sys
import time

import pytest

from l10n.files import FileChangedError, WriteError, remove_stale_temporaries, write_text_atomic


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
    with pytest.raises(WriteError) as caught:
        write_text_atomic(target, "less\n", display="locales/es/x.po")
    assert str(caught.value) == "locales/es/x.po: no space left on device"
    assert target.read_text() == "translator's work\n"
    assert [p.name for p in tmp_path.iterdir()] == ["x.po"]


def test_a_stale_temporary_name_is_skipped(tmp_path):
    target = tmp_path / "x.po"
    for counter in range(200):  # whatever the next name is, it is taken
        (tmp_path / f".x.po.{os.getpid()}.{counter}.tmp").write_text("left by a killed run")
    write_text_atomic(target, "uno\n")
    assert target.read_text() == "uno\n"


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES])
def test_a_full_disk_names_the_file_and_leaves_nothing(tmp_path, monkeypatch, code):
    target = tmp_path / "x.po"
    target.write_text("translator's work\n")
    real_write = os.write

    def full(fd, data):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "write", full)
    with pytest.raises(WriteError) as caught:
        write_text_atomic(target, "more work\n")
    reason = os.strerror(code)
    assert str(caught.value) == f"{target}: {reason[0].lower()}{reason[1:]}"
    monkeypatch.setattr(os, "write", real_write)
    assert target.read_text() == "translator's work\n"
    assert [p.name for p in tmp_path.iterdir()] == ["x.po"]


def test_a_write_never_replaces_a_file_saved_since_it_was_read(tmp_path, monkeypatch):
    target = tmp_path / "x.po"
    target.write_text("as read\n")
    real_fsync = os.fsync

    def translator_saves(fd):  # between our read and our rename, as an editor might
        real_fsync(fd)
        target.write_text("the translator's save\n")

    monkeypatch.setattr(os, "fsync", translator_saves)
    with pytest.raises(FileChangedError) as caught:
        write_text_atomic(target, "l10n's merge\n", expected="as read\n", display="x.po")
    assert str(caught.value).startswith("x.po: changed on disk since l10n read it")
    assert target.read_text() == "the translator's save\n"
    assert [p.name for p in tmp_path.iterdir()] == ["x.po"]
    monkeypatch.setattr(os, "fsync", real_fsync)
    # Unchanged since read: written as usual; "" stands for a file that was not there.
    assert write_text_atomic(target, "next\n", expected="the translator's save\n")
    assert write_text_atomic(tmp_path / "new.po", "new\n", expected="")
    with pytest.raises(FileChangedError):
        write_text_atomic(tmp_path / "new.po", "again\n", expected="")


def test_leftovers_of_dead_runs_are_removed_and_live_ones_kept(tmp_path):
    folder = tmp_path / "locales/es/LC_MESSAGES"
    folder.mkdir(parents=True)
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()  # its pid is free now (the kernel hands pids out in turn, not again at once)
    stale = folder / f".a.po.{dead.pid}.0.tmp"
    stale.write_text("half")
    live_recent = folder / f".b.po.{os.getppid()}.3.tmp"  # a running process, written after we started
    live_recent.write_text("half")
    live_old = folder / f".c.po.{os.getppid()}.4.tmp"  # a running process's pid, but older than this run
    live_old.write_text("half")
    os.utime(live_old, (1, 1))
    other = folder / ".notes.tmp"  # not ours
    other.write_text("keep")
    started = time.time() - 60
    removed = remove_stale_temporaries([tmp_path / "locales", tmp_path / "missing"], started)
    assert sorted(removed) == sorted([stale, live_old])
    assert live_recent.exists() and other.exists() and not stale.exists() and not live_old.exists()
