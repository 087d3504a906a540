"""Tasks go to Dask workers in batches: every task still comes back under its own key, with its own result or
its own error, and a value shared with every task reaches it inside a batch."""

from __future__ import annotations

import pytest

from policydiff.compare import distributed
from policydiff.compare.distributed import LOCAL_CLUSTER_SETTINGS, batch_size, open_pool, split_batches


@pytest.mark.parametrize(
    ("tasks", "workers", "size"),
    [(258, 2, 4), (258, 1, 4), (66, 2, 4), (40, 2, 2), (20, 2, 1), (3, 2, 1), (0, 2, 1), (100, 0, 4)],
)
def test_batches_are_small_enough_to_spread_over_the_workers(tasks: int, workers: int, size: int) -> None:
    assert batch_size(tasks, workers) == size


@pytest.mark.parametrize(
    ("tasks", "workers", "sizes"),
    [(258, 2, [4] * 62 + [2] + [1] * 8), (66, 2, [4] * 14 + [2] + [1] * 8), (9, 1, [1] * 9), (3, 2, [1] * 3)],
)
def test_the_last_tasks_go_one_by_one(tasks: int, workers: int, sizes: list[int]) -> None:
    keyed = [(f"k{i}", i) for i in range(tasks)]
    batches = split_batches(keyed, workers)
    assert [len(b) for b in batches] == sizes
    assert [task for batch in batches for task in batch] == keyed


def test_a_local_cluster_runs_batches_task_by_task(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(distributed, "BATCHES_PER_WORKER", 1)  # 20 tasks on 2 workers: 3 batches of 4, 8 of 1
    pool = open_pool(2, None, 20)
    try:
        shared = pool.share(100)
        tasks = [(f"k{i}", (shared, i)) for i in range(20)]
        tasks[5] = ("k5", (shared, "five"))  # fails alone, in the middle of the second batch
        finished = {f.key: f for f in pool.run(sum, tasks)}
    finally:
        pool.close()
    assert sorted(finished) == sorted(key for key, _ in tasks)
    assert "TypeError" in finished["k5"].error and finished["k5"].result is None
    assert {k: f.result for k, f in finished.items() if k != "k5"} == {f"k{i}": 100 + i for i in range(20) if i != 5}
    assert all(not f.error for k, f in finished.items() if k != "k5")


def test_a_local_clusters_housekeeping_is_slowed_down_in_every_process() -> None:
    import dask

    pool = open_pool(2, None, 10)
    try:
        keys = list(LOCAL_CLUSTER_SETTINGS)
        seen = pool.client.run(lambda: [dask.config.get(k) for k in keys])  # type: ignore[attr-defined]
        steal = pool.client.run_on_scheduler(  # type: ignore[attr-defined]
            lambda dask_scheduler: "stealing" in dask_scheduler.extensions
        )
    finally:
        pool.close()
    assert list(seen.values()) == [list(LOCAL_CLUSTER_SETTINGS.values())] * 2
    assert steal is False


def test_a_local_clusters_workers_step_aside_before_shutting_down(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    lowered: list[tuple[int, int]] = []
    real = os.setpriority

    def setpriority(which: int, pid: int, value: int) -> None:
        lowered.append((pid, value))
        real(which, pid, value)

    monkeypatch.setattr(os, "setpriority", setpriority)
    pool = open_pool(2, None, 10)
    pids = sorted(nanny.process.pid for nanny in pool.cluster.workers.values())  # type: ignore[attr-defined]
    pool.close()
    assert sorted(pid for pid, _ in lowered) == pids
    assert {value for _, value in lowered} == {distributed.LOWEST_PRIORITY}
