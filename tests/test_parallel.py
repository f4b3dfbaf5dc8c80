"""fork_map: every core, results in order, failures surfaced, no stray processes."""

import os

import pytest

from l10n.parallel import WorkerError, fork_map


def test_results_come_back_in_order_from_several_processes():
    results = list(fork_map(lambda n: (n * n, os.getpid()), list(range(50)), 3))
    assert [square for square, _ in results] == [n * n for n in range(50)]
    workers = {pid for _, pid in results}
    assert len(workers) == 3 and os.getpid() in workers  # two children, and this process


def test_one_job_or_one_item_runs_here():
    assert [pid for pid in fork_map(lambda _: os.getpid(), [1, 2, 3], 1)] == [os.getpid()] * 3
    assert list(fork_map(lambda _: os.getpid(), [1], 4)) == [os.getpid()]
    assert list(fork_map(lambda n: n, [], 4)) == []


def test_a_task_that_raises_fails_the_run_with_its_traceback():
    def task(n):
        if n == 7:
            raise ValueError("bad sheet 7")
        return n

    with pytest.raises(WorkerError, match="bad sheet 7"):
        list(fork_map(task, list(range(20)), 2))


def test_a_worker_that_dies_is_reported_not_waited_for():
    def task(n):
        if n == 3:
            os._exit(9)
        return n

    with pytest.raises(WorkerError, match="stopped before finishing"):
        list(fork_map(task, list(range(10)), 2))


def test_stopping_early_leaves_no_child_behind():
    results = fork_map(lambda n: n, list(range(1000)), 2)
    assert next(results) == 0
    results.close()
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # no children left, not even zombies
