"""fork_map: every core, results in order, failures surfaced, no stray processes."""

import os
import time

import pytest

from l10n.parallel import WorkerError, fork_map


def _slowly(task):
    """A task that takes long enough for every process to get some items."""
    def slow(n):
        time.sleep(0.005)
        return task(n)
    return slow


def test_results_come_back_in_order_from_several_processes():
    results = list(fork_map(_slowly(lambda n: (n * n, os.getpid())), list(range(50)), 3))
    assert [square for square, _ in results] == [n * n for n in range(50)]
    workers = {pid for _, pid in results}
    assert len(workers) == 3 and os.getpid() in workers  # two children, and this process


def test_a_slow_process_takes_fewer_items():
    """Items go to whichever process is free: one slowed down does not hold the others up."""
    parent = os.getpid()

    def task(n):
        time.sleep(0.02 if os.getpid() == parent else 0.002)
        return os.getpid()

    workers = list(fork_map(task, list(range(60)), 2))
    assert workers.count(parent) < 15, workers.count(parent)  # an even split would be 30


def test_more_items_than_the_ticket_pipe_holds_are_taken_in_batches():
    count = 40000  # over 8192 numbers of four bytes: several items a ticket
    assert list(fork_map(lambda n: n * 3, list(range(count)), 2)) == [n * 3 for n in range(count)]


def test_one_job_or_one_item_runs_here():
    assert [pid for pid in fork_map(lambda _: os.getpid(), [1, 2, 3], 1)] == [os.getpid()] * 3
    assert list(fork_map(lambda _: os.getpid(), [1], 4)) == [os.getpid()]
    assert list(fork_map(lambda n: n, [], 4)) == []


def test_a_task_that_raises_in_a_worker_fails_the_run_with_its_traceback():
    parent = os.getpid()

    def task(n):
        if os.getpid() != parent:
            raise ValueError(f"bad sheet {n}")
        return n

    with pytest.raises(WorkerError, match="bad sheet"):
        list(fork_map(_slowly(task), list(range(40)), 2))


def test_a_task_that_raises_in_the_parent_raises_as_it_is():
    parent = os.getpid()

    def task(n):
        if os.getpid() == parent:
            raise ValueError(f"bad sheet {n}")
        return n

    with pytest.raises(ValueError, match="bad sheet"):
        list(fork_map(_slowly(task), list(range(40)), 2))


def test_a_worker_that_dies_is_reported_not_waited_for():
    parent = os.getpid()

    def task(n):
        if os.getpid() != parent:
            os._exit(9)
        return n

    with pytest.raises(WorkerError, match="stopped"):
        list(fork_map(_slowly(task), list(range(40)), 2))


def test_stopping_early_leaves_no_child_behind():
    results = fork_map(lambda n: n, list(range(1000)), 2)
    assert next(results) == 0
    results.close()
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # no children left, not even zombies
