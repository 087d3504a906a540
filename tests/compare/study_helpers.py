"""Small synthetic targets for study tests, made at test time by perturbing the Hunan seed."""

from __future__ import annotations

import hashlib
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

from policydiff.corpora.catalogue import BUNDLED_DIR

# (id, province name, region, level, date, clauses dropped: every n-th)
TARGETS = (
    ("synthetic-study-a", "示例", "华中", "provincial", "2021-08-01", 5),
    ("synthetic-study-b", "样本", "华东", "prefectural", "2022-03-01", 3),
    ("synthetic-study-c", "甲", "华中", "county", "2023-01-15", 4),
)


def perturbed(province: str, drop_every: int) -> str:
    """The seed with the province renamed, numbers changed, verbs swapped and every n-th clause dropped."""
    text = (BUNDLED_DIR / "hunan-2021-sina.md").read_text(encoding="utf-8")
    text = text.replace("湖南省", f"{province}省").replace("湖南", province)
    text = text.replace("加快", "加速").replace("支持", "扶持")
    text = re.sub(r"\d+", lambda m: str(int(m.group()) + 3), text)
    pieces = re.split(r"(?=（[一二三四五六七八九十]+）)", text)
    return "".join(p for i, p in enumerate(pieces) if i == 0 or i % drop_every)


def make_corpus(folder: Path, broken: bool = False) -> list[str]:
    """A corpus of three perturbed targets implementing central-2021 (and one unreadable one if `broken`)."""
    folder.mkdir(parents=True, exist_ok=True)
    tables = []
    for doc_id, province, region, level, date, drop in TARGETS:
        data = perturbed(province, drop).encode("utf-8")
        (folder / f"{doc_id}.md").write_bytes(data)
        tables.append(
            f'[[document]]\nid = "{doc_id}"\ntitle = "{province}省实施意见（合成）"\nfile = "{doc_id}.md"\n'
            f'kind = "full"\nlevel = "{level}"\nregion = "{region}"\ndate = "{date}"\nformat = "newspage"\n'
            f'sha256 = "{hashlib.sha256(data).hexdigest()}"\nimplements = ["central-2021"]\n'
        )
    ids = [t[0] for t in TARGETS]
    if broken:
        (folder / "synthetic-study-broken.docx").write_bytes(b"PK\x03\x04 this is not a real docx")
        tables.append(
            '[[document]]\nid = "synthetic-study-broken"\ntitle = "坏文件"\nfile = "synthetic-study-broken.docx"\n'
            'kind = "full"\nlevel = "county"\nimplements = ["central-2021"]\n'
        )
        ids.append("synthetic-study-broken")
    (folder / "catalogue.toml").write_text("\n".join(tables), encoding="utf-8")
    return ids


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class DaskCluster:
    """A real `dask scheduler` and `dask worker` processes on 127.0.0.1, stopped by `close`."""

    def __init__(self, workers: int = 2, nanny: bool = True) -> None:
        self.port = free_port()
        self.address = f"tcp://127.0.0.1:{self.port}"
        py = sys.executable
        self.scheduler = subprocess.Popen(
            [py, "-m", "distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", str(self.port),
             "--dashboard-address", ":0", "--no-show"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        worker = [py, "-m", "distributed.cli.dask_worker", self.address, "--nthreads", "1", "--host", "127.0.0.1"]
        worker += ["--dashboard-address", ":0", *([] if nanny else ["--no-nanny"])]
        self.workers = [
            subprocess.Popen(worker, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(workers)
        ]
        self.wait_for(workers)

    def wait_for(self, n: int, timeout: float = 60.0) -> None:
        from dask.distributed import Client

        deadline = time.monotonic() + timeout
        with Client(self.address, timeout="30s", set_as_default=False) as client:
            client.wait_for_workers(n, timeout=max(1.0, deadline - time.monotonic()))

    def close(self) -> None:
        for proc in [*self.workers, self.scheduler]:
            if proc.poll() is None:
                proc.terminate()
        for proc in [*self.workers, self.scheduler]:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
