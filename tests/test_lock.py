"""The project lock: one writing command at a time, released even when its holder is killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from l10n.lock import ProjectLocked, project_lock

HOLD = """
import sys, time
from l10n.lock import project_lock
with project_lock(sys.argv[1], "pretranslate"):
    print("held", flush=True)
    time.sleep(60)
"""


def _holder(root):
    child = subprocess.Popen([sys.executable, "-c", HOLD, str(root)], stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "held"
    return child


def test_a_second_command_is_refused_naming_the_first(tmp_path):
    child = _holder(tmp_path)
    try:
        with pytest.raises(ProjectLocked) as refused:
            with project_lock(tmp_path, "update"):
                pytest.fail("two commands held the lock at once")
        message = str(refused.value)
        assert f"pid {child.pid}, l10n pretranslate, since " in message
        assert message.startswith(str(tmp_path / ".l10n/lock"))
    finally:
        child.kill()
        child.wait()


def test_a_killed_holder_leaves_no_stale_lock_and_a_waiter_gets_in(tmp_path):
    child = _holder(tmp_path)
    started = time.monotonic()
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    with project_lock(tmp_path, "update", wait=5):
        pass
    assert time.monotonic() - started < 5


def test_waiting_gets_the_lock_once_the_holder_finishes(tmp_path):
    child = _holder(tmp_path)
    try:
        with pytest.raises(ProjectLocked):
            with project_lock(tmp_path, "build", wait=0.3):
                pass
        os.kill(child.pid, signal.SIGTERM)
        with project_lock(tmp_path, "build", wait=10):
            assert (tmp_path / ".l10n/lock").read_text().startswith('{"pid": %d,' % os.getpid())
    finally:
        child.kill()
        child.wait()
