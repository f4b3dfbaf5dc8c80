"""One function over many sheets, on every core, with plain ``fork``.

Every process, the parent included, takes the next sheet as soon as it is
free: the sheets' numbers wait in a pipe, written before any child is forked,
and each process reads one number (four bytes, which a pipe hands to one
reader whole) whenever it is ready for more.  So a process slowed by a busy
machine, or the parent by collecting results, simply takes fewer sheets.
Children send each result back, pickled and numbered, through their own pipe;
the parent hands results on in the items' order, so reports come out as a
one-process run writes them and results stream instead of piling up.
``multiprocessing`` would do the same at about 65 ms of import and pool
start-up per command, a third of a whole 100-sheet build.

A child inherits the imported package (nothing is imported again), never
runs the parent's clean-up code (it leaves with ``os._exit``), and stops when
the parent goes away (its next write fails).  An exception a task does not
handle becomes :class:`WorkerError` in the parent, with the child's
traceback; in the parent it is raised as it is.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import sys
from typing import Callable, Iterator, Sequence, TypeVar

__all__ = ["fork_map", "WorkerError"]

Item = TypeVar("Item")
Result = TypeVar("Result")

_HEADER = 8  # bytes of length before each pickled result
_TICKET = 4  # bytes of each number in the ticket pipe


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
    tickets, batch = _ticket_pipe(len(items))
    children: list[tuple[int, int]] = []  # (pid, the read end of its results pipe)
    try:
        for _ in range(1, jobs):
            read_end, write_end = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(read_end)
                _work(function, items, tickets, batch, write_end, [reader for _, reader in children])
            os.close(write_end)
            children.append((pid, read_end))
        yield from _gather(function, items, tickets, batch, [reader for _, reader in children])
    finally:
        os.close(tickets)
        for pid, reader in children:
            os.close(reader)
            try:
                os.kill(pid, signal.SIGTERM)  # still running only if the parent stopped early
            except ProcessLookupError:
                pass
            os.waitpid(pid, 0)


def _ticket_pipe(count: int) -> tuple[int, int]:
    """A pipe holding every ticket, its write end closed (so an empty pipe reads as the end).

    A ticket stands for ``batch`` consecutive items: one each, unless there
    are more items than the pipe holds numbers.
    """
    read_end, write_end = os.pipe()
    try:
        import fcntl

        capacity = fcntl.fcntl(write_end, fcntl.F_GETPIPE_SZ)
    except (ImportError, AttributeError, OSError):
        capacity = 4096  # what POSIX promises a pipe holds at least
    room = capacity // 2  # well inside the pipe: the write must never wait, nobody reads yet
    batch = -(-count * _TICKET // room)  # ceiling division
    numbers = b"".join(ticket.to_bytes(_TICKET, "little") for ticket in range(-(-count // batch)))
    os.write(write_end, numbers)
    os.close(write_end)
    return read_end, batch


def _claims(tickets: int, batch: int, count: int) -> Iterator[int]:
    """The items this process takes, one ticket at a time, until the pipe is empty."""
    while len(ticket := os.read(tickets, _TICKET)) == _TICKET:
        first = int.from_bytes(ticket, "little") * batch
        yield from range(first, min(first + batch, count))


def _gather(function: Callable, items: Sequence, tickets: int, batch: int, readers: list[int]) -> Iterator:
    """The parent: take items between reading the children's results, and hand all on in order."""
    ready: dict[int, object] = {}  # results that came before their turn
    own = _claims(tickets, batch, len(items))
    open_readers = list(readers)
    for wanted in range(len(items)):
        while wanted not in ready:
            waiting = select.select(open_readers, [], [], 0)[0] if open_readers else []
            if not waiting and own is not None:
                index = next(own, None)
                if index is None:
                    own = None  # nothing left to take: from now on, wait for the children
                else:
                    ready[index] = function(items[index])
                continue
            if not waiting:
                if not open_readers:
                    raise WorkerError("a worker process stopped before finishing its sheets")
                waiting = select.select(open_readers, [], [])[0]
            for reader in waiting:
                message = _receive(reader)
                if message is None:
                    open_readers.remove(reader)
                else:
                    ready[message[0]] = message[1]
        yield ready.pop(wanted)


def _work(function: Callable, items: Sequence, tickets: int, batch: int, write_end: int,
          parent_pipes: list[int]) -> None:
    """The child: take items until none are left, send each result, and leave without returning."""
    code = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # Ctrl-C: the parent reports it
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        for pipe in parent_pipes:
            os.close(pipe)
        with os.fdopen(write_end, "wb") as out:
            for index in _claims(tickets, batch, len(items)):
                try:
                    payload = pickle.dumps((index, True, function(items[index])), pickle.HIGHEST_PROTOCOL)
                except Exception:
                    import traceback

                    payload = pickle.dumps((index, False, traceback.format_exc()), pickle.HIGHEST_PROTOCOL)
                    code = 1
                out.write(len(payload).to_bytes(_HEADER, "little"))
                out.write(payload)
                out.flush()  # the parent may be waiting for exactly this one
                if code:
                    break
    except BaseException:  # the parent went away (broken pipe), or anything else: stop
        code = 1
    finally:
        os._exit(code)


def _read_exactly(reader: int, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = os.read(reader, left)
        if not chunk:
            break
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _receive(reader: int) -> tuple[int, object] | None:
    """The next (item number, result) a child sent, or None when it has finished."""
    header = _read_exactly(reader, _HEADER)
    if not header:
        return None
    payload = _read_exactly(reader, int.from_bytes(header, "little")) if len(header) == _HEADER else b""
    if len(header) < _HEADER or len(payload) < int.from_bytes(header, "little"):
        raise WorkerError("a worker process stopped in the middle of sending a result")
    index, ok, value = pickle.loads(payload)
    if not ok:
        raise WorkerError(f"a worker process failed:\n{value}")
    return index, value
