"""Several processes adding the same document without --id at the same moment: each gets its own id."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

from policydiff.corpora.catalogue import read_catalogue

MEASURES = Path(__file__).resolve().parent.parent / "fixtures" / "metadata" / "synthetic-provincial-measures.md"
WORKER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from policydiff.corpora.manage import add_document

    folder, go, source, count = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])
    deadline = time.monotonic() + 60
    while not go.exists() and time.monotonic() < deadline:  # start together, so the adds overlap
        time.sleep(0.005)
    for _ in range(count):
        add_document(source, None, [folder])
    """
)


def test_concurrent_adds_without_an_id_all_land_under_distinct_ids(tmp_path: Path):
    source = tmp_path / "湖南省实施办法.md"
    shutil.copyfile(MEASURES, source)
    folder, go = tmp_path / "shared", tmp_path / "go"
    workers, per_worker = 3, 3
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(folder), str(go), str(source), str(per_worker)],
            stderr=subprocess.PIPE,
        )
        for _ in range(workers)
    ]
    go.touch()
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()
    base = "hunan-shequyueducujin-shishibanfa-2022"
    ids = sorted(e.id for e in read_catalogue(folder))
    assert ids == sorted([base, *(f"{base}-{n}" for n in range(2, workers * per_worker + 1))])
    for entry in read_catalogue(folder):
        assert entry.file == f"{entry.id}.md" and entry.path.read_bytes() == MEASURES.read_bytes()
    files = sorted(p.name for p in folder.iterdir() if p.suffix == ".md")
    assert files == sorted(f"{i}.md" for i in ids)  # nothing left over from a lost race
