"""One function over many sheets, on every core, with plain ``fork``.

Sheets are independent and alike in size, so the work needs no scheduler:
of ``jobs`` shares, share ``k`` is items ``k``, ``k + jobs``, ...; the
parent does share 0 itself and forks a child for each other share, which
sends each result back, pickled, through its own pipe.  The parent takes
results in the items' order, so reports come out as a one-process run
writes them and results stream instead of piling up.  ``multiprocessing`` would do the same at
about 65 ms of import and pool start-up per command, a third of a whole
100-sheet build.

A child inherits the imported package (nothing is imported again), never
runs the parent's clean-up code (it leaves with ``os._exit``), and stops when
the parent goes away (its next write fails).  An exception a task does not
handle becomes :class:`WorkerError` in the parent, with the child's traceback.
"""

from __future__ import annotations

import os
import pickle
import signal
import sys
from typing import Callable, Iterator, Sequence, TypeVar

__all__ = ["fork_map", "WorkerError"]

Item = TypeVar("Item")
Result = TypeVar("Result")

_HEADER = 8  # bytes of length before each pickled result


class WorkerError(RuntimeError):
    """A task raised in a worker process (a bug: tasks report expected problems as results)."""


def fork_map(function: Callable[[Item], Result], items: Sequence[Item], jobs: int) -> Iterator[Result]:
    """``map(function, items)`` over ``jobs`` processes, results in order."""
    jobs = min(jobs, len(items))
    if jobs <= 1 or not hasattr(os, "fork"):
        yield from map(function, items)
        return
    # Unflushed output would be written again by every child.
    sys.stdout.flush()
    sys.stderr.flush()
    children: list[tuple[int, object]] = []
    try:
        # The parent takes share 0 itself, between reading the others' results.
        for share in range(1, jobs):
            read_end, write_end = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(read_end)
                _work(function, items[share::jobs], write_end, [reader for _, reader in children])
            os.close(write_end)
            children.append((pid, os.fdopen(read_end, "rb")))
        for index, item in enumerate(items):
            share = index % jobs
            yield function(item) if share == 0 else _receive(children[share - 1][1])
    finally:
        for pid, reader in children:
            reader.close()
            try:
                os.kill(pid, signal.SIGTERM)  # still running only if the parent stopped early
            except ProcessLookupError:
                pass
            os.waitpid(pid, 0)


def _work(function: Callable, share: Sequence, write_end: int, parent_pipes: list) -> None:
    """The child: run the share, send each result, and leave without returning."""
    code = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C: the parent reports it
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        for pipe in parent_pipes:
            pipe.close()
        with os.fdopen(write_end, "wb") as out:
            for item in share:
                try:
                    payload = pickle.dumps((True, function(item)), pickle.HIGHEST_PROTOCOL)
                except Exception:
                    import traceback

                    payload = pickle.dumps((False, traceback.format_exc()), pickle.HIGHEST_PROTOCOL)
                    code = 1
                out.write(len(payload).to_bytes(_HEADER, "little"))
                out.write(payload)
                out.flush()  # the parent reads in order: never keep a result back
                if code:
                    break
    except BaseException:  # the parent went away (broken pipe), or anything else: stop
        code = 1
    finally:
        os._exit(code)


def _receive(reader) -> object:
    header = reader.read(_HEADER)
    if len(header) < _HEADER:
        raise WorkerError("a worker process stopped before finishing its sheets")
    ok, value = pickle.loads(reader.read(int.from_bytes(header, "little")))
    if not ok:
        raise WorkerError(f"a worker process failed:\n{value}")
    return value
