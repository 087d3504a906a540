"""Running many independent comparisons at once: the only module that imports Dask.

Three ways to run, one interface (`open_pool` … `pool.run(fn, tasks)` yielding results as they finish):
in this process (a handful of pairs, or `workers=0`), a local cluster of worker processes, or an existing
Dask cluster reached at `tcp://HOST:PORT` (a Slurm/PBS cluster through dask-jobqueue, Kubernetes …), which
runs the same code unchanged. Each worker process keeps jieba, scikit-learn and the rules loaded between
tasks (see `compare.tokenize.shared_tokenizer`); a local cluster's workers are forked, where the platform allows,
from a process that has loaded what they share (`open_pool`'s `preload`).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from policydiff.corpora.errors import PolicydiffError

# A pair whose worker died is run again this many times (Dask also reschedules it on a surviving worker).
RETRIES = 2
CONNECT_TIMEOUT = 10.0  # seconds to reach a scheduler given with --scheduler
# Up to this many tasks, without --workers or --scheduler, starting worker processes costs more than it saves.
IN_PROCESS_TASKS = 4
# Tasks are sent to the workers in batches of up to BATCH_MAX, so that what Dask's scheduler and client do for
# each task (about 2 ms of CPU in the coordinating process for a result of a study pair's size, measured, taken
# from the workers' cores on a small machine) is paid once per batch; at least BATCHES_PER_WORKER batches per
# worker, so that the batches spread over the workers and a killed worker loses little.
BATCH_MAX = 4
BATCHES_PER_WORKER = 8
LOWEST_PRIORITY = 19  # a process's nice value
# Dask settings of a local cluster (an existing cluster keeps its own). Its processes' housekeeping, measured on
# an idle 2-worker cluster, cost 4 % of a core in this process and 2 % in each worker, taken from the pairs on a
# small machine; with these, under 1 %.
LOCAL_CLUSTER_SETTINGS = {
    # The workers' statistical profiler samples every task's stack 100 times a second, for a dashboard nobody
    # looks at here: a few per cent of every pair.
    "distributed.worker.profile.enabled": False,
    # Event-loop health checks every 20 ms and system metrics every 500 ms feed warnings and the dashboard.
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
    # Memory limits still enforced, checked every second rather than ten times a second.
    "distributed.worker.memory.monitor-interval": "1s",
    # Tasks wait on the scheduler until a worker is free (Dask's queuing), so there is nothing to steal.
    "distributed.scheduler.work-stealing": False,
}


class SchedulerError(PolicydiffError):
    """The Dask scheduler cannot be reached or the cluster cannot be started."""


@dataclass(frozen=True)
class Finished:
    """One task's outcome: its key, and either its result or the error it raised."""

    key: str
    result: Any = None
    error: str = ""


class Pool:
    """Where tasks run; `describe` says so for the study's record."""

    describe = "in-process"
    workers = 1

    def run(self, fn: Callable[[Any], Any], tasks: Sequence[tuple[str, Any]]) -> Iterator[Finished]:
        for key, task in tasks:
            try:
                yield Finished(key, fn(task))
            except Exception as exc:  # a failed pair is recorded, and the study goes on
                yield Finished(key, error=_describe(exc))

    def share(self, value: Any) -> Any:
        """A large input every task reads (a matrix): sent to each worker once, not with every task."""
        return value

    def warm(self, fn: Callable[[Any], Any], arg: Any) -> None:
        """Run `fn(arg)` once on each worker ahead of the tasks (loading what every task needs) while this
        process is still busy; here, in this process, at once: there is nothing to overlap, but what it loads
        and how (from the user cache) is the same as on a worker."""
        fn(arg)

    def close(self) -> None:
        pass


class DaskPool(Pool):
    def __init__(self, client: Any, describe: str, cluster: Any = None) -> None:
        self.client = client
        self.cluster = cluster
        self.describe = describe
        self.workers = max(1, len(client.scheduler_info().get("workers", {})))
        self._warming: list[Any] = []

    def run(self, fn: Callable[[Any], Any], tasks: Sequence[tuple[str, Any]]) -> Iterator[Finished]:
        from dask.distributed import as_completed

        batches = split_batches(tasks, self.workers)
        futures = {
            self.client.submit(run_batch, fn, batch, key=f"policydiff-{batch[0][0]}", pure=False, retries=RETRIES): [
                key for key, _ in batch
            ]
            for batch in batches
        }
        for future in as_completed(list(futures), loop=self.client.loop):
            keys = futures.pop(future)
            try:
                finished = future.result()
            except Exception as exc:  # a batch whose workers kept dying (KilledWorker): each of its tasks failed
                finished = [Finished(key, error=_describe(exc)) for key in keys]
            finally:
                future.release()
            yield from finished

    def share(self, value: Any) -> Any:
        return self.client.scatter(value, broadcast=True, hash=False)

    def warm(self, fn: Callable[[Any], Any], arg: Any) -> None:
        # Pinned to each worker, ahead of the tasks in its queue; a warm-up that fails only costs its time.
        import uuid

        workers = list(self.client.scheduler_info().get("workers", {}))
        run = uuid.uuid4().hex  # another study on the same scheduler has its own warm-ups
        self._warming = [
            self.client.submit(
                fn, arg, workers=[w], allow_other_workers=False, pure=False, key=f"policydiff-warm-{run}-{i}"
            )
            for i, w in enumerate(workers)
        ]

    def close(self) -> None:
        self._warming = []
        if self.cluster is not None:
            _step_aside(self.cluster)
        with contextlib.suppress(Exception):
            self.client.close()
        if self.cluster is not None:
            with contextlib.suppress(Exception):
                self.cluster.close()


def _step_aside(cluster: Any) -> None:
    """Give a local cluster's worker processes the lowest priority before they shut down: each then frees what
    it loaded and remembered (a third of a second of CPU, measured), which should wait for a free core rather
    than take one from the process laying out the tables meanwhile."""
    import os

    for nanny in list(getattr(cluster, "workers", {}).values()):
        pid = getattr(getattr(nanny, "process", None), "pid", None)
        if pid and hasattr(os, "setpriority"):
            with contextlib.suppress(OSError):
                os.setpriority(os.PRIO_PROCESS, pid, LOWEST_PRIORITY)


def batch_size(tasks: int, workers: int) -> int:
    """Tasks per batch: up to BATCH_MAX, with at least BATCHES_PER_WORKER batches for each worker."""
    return max(1, min(BATCH_MAX, tasks // (max(1, workers) * BATCHES_PER_WORKER)))


def split_batches(tasks: Sequence[tuple[str, Any]], workers: int) -> list[list[tuple[str, Any]]]:
    """The tasks in batches of `batch_size`, in order, but the last few one by one, so that the workers finish
    within one task of each other rather than one batch."""
    size = batch_size(len(tasks), workers)
    head = len(tasks) - min(len(tasks), max(1, workers) * size) if size > 1 else len(tasks)
    batches = [list(tasks[i : min(i + size, head)]) for i in range(0, head, size)]
    return batches + [[task] for task in tasks[head:]]


def run_batch(fn: Callable[[Any], Any], batch: Sequence[tuple[str, Any]]) -> list[Finished]:
    """Run a batch of tasks on a worker, one after the other; a task that raises is a failed task, and the
    others in its batch go on."""
    return list(Pool().run(fn, batch))


def _describe(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _quiet() -> None:
    # Dask logs every worker start, stop and retry at INFO/WARNING on stderr, over the progress bar.
    for name in ("distributed", "dask", "tornado", "asyncio"):
        logging.getLogger(name).setLevel(logging.CRITICAL)


@contextlib.contextmanager
def _main_left_behind() -> Iterator[None]:
    """Start worker processes without this process's main module. A spawned process imports its parent's
    `__main__` first, so that functions defined there can be sent to it; the `policydiff` command's is the whole
    command line (typer, rich and every command: 0.15 s of each worker's start, measured). The tasks sent here
    are policydiff's own functions, never the caller's. A worker the nanny restarts later imports it again."""
    import sys

    main = sys.modules.get("__main__")
    if main is None:
        yield
        return
    hidden = {name: main.__dict__.pop(name) for name in ("__file__",) if name in main.__dict__}
    spec = getattr(main, "__spec__", None)
    main.__spec__ = None
    try:
        yield
    finally:
        main.__spec__ = spec
        main.__dict__.update(hidden)


def _forked_from(preload: Sequence[str]) -> dict[str, str]:
    """Dask settings that start a local cluster's workers from a fork server which has imported `preload`
    first, so that what those modules load is loaded once rather than in every worker; none where the platform
    has no fork server. The server lives as long as this process: later clusters fork from it too."""
    import multiprocessing
    from multiprocessing import forkserver

    if not preload or "forkserver" not in multiprocessing.get_all_start_methods():
        return {}
    multiprocessing.get_context("forkserver").set_forkserver_preload(["distributed", "distributed.nanny", *preload])
    # Started here, it imports them while this process starts the scheduler. Left to Dask, it would start once
    # Dask had imported pandas in this process (Dask's own preload list, which it then sets too late to matter).
    try:
        forkserver.ensure_running()
    except OSError:  # no Unix sockets here (a locked-down host): workers are spawned and load for themselves
        return {}
    return {"distributed.worker.multiprocessing-method": "forkserver"}


def open_pool(
    workers: int | None,
    scheduler: str | None,
    tasks: int,
    connect_timeout: float = CONNECT_TIMEOUT,
    preload: Sequence[str] = (),
) -> Pool:
    """A pool for `tasks` tasks: `scheduler` an address, else `workers` local processes (None: one per CPU),
    `workers=0` or a handful of tasks without an explicit choice: this process. Local workers start with the
    modules `preload` imported (an existing cluster's workers start as their cluster starts them)."""
    import os

    if scheduler:
        _quiet()
        from dask.distributed import Client

        try:
            client = Client(scheduler, timeout=f"{connect_timeout}s", set_as_default=False)
        except (OSError, TimeoutError) as exc:
            raise SchedulerError(
                f"cannot reach the Dask scheduler at {scheduler} within {connect_timeout:g} s ({_describe(exc)})"
            ) from None
        return DaskPool(client, f"scheduler {scheduler}")
    if workers == 0 or (workers is None and tasks <= IN_PROCESS_TASKS):
        return Pool()
    n = workers or os.cpu_count() or 1
    forking = _forked_from(preload)  # before Dask's import, which the fork server's start need not wait for
    _quiet()
    import dask
    from dask.distributed import Client, LocalCluster

    try:
        with dask.config.set({**LOCAL_CLUSTER_SETTINGS, **forking}), _main_left_behind():
            cluster = LocalCluster(
                n_workers=n,
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",  # a free port: never fight another run for 8787
                silence_logs=logging.CRITICAL,
            )
    except Exception as exc:
        raise SchedulerError(f"cannot start a local Dask cluster of {n} workers ({_describe(exc)})") from None
    client = Client(cluster, set_as_default=False)
    return DaskPool(client, f"local cluster of {n} worker processes", cluster)
