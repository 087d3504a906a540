"""Two researchers (processes) adding to one corpus at the same moment: every add lands, none is lost."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from corpora_helpers import SYNTHETIC_TEXT

from policydiff.corpora.catalogue import read_catalogue
from policydiff.corpora.manage import validate_corpora

WORKER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from policydiff.corpora.manage import NewDocument, add_document

    folder, go, worker, source = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], Path(sys.argv[5])
    count = int(sys.argv[4])
    deadline = time.monotonic() + 60
    while not go.exists() and time.monotonic() < deadline:  # start together, so the adds overlap
        time.sleep(0.005)
    for i in range(count):
        fields = NewDocument(id=f"w{worker}-{i}", title=f"合成文件 {worker}-{i}", level="prefectural")
        add_document(source, fields, [folder])
    """
)


def test_concurrent_adds_from_several_processes_all_land(tmp_path: Path):
    source = tmp_path / "synthetic-notice.txt"
    source.write_text(SYNTHETIC_TEXT, encoding="utf-8")
    folder, go = tmp_path / "shared-corpus", tmp_path / "go"
    workers, per_worker = 4, 5
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(folder), str(go), str(w), str(per_worker), str(source)],
            stderr=subprocess.PIPE,
        )
        for w in range(workers)
    ]
    go.touch()
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err.decode()
    ids = sorted(e.id for e in read_catalogue(folder))
    assert ids == sorted(f"w{w}-{i}" for w in range(workers) for i in range(per_worker))
    assert validate_corpora([folder], include_bundled=False).ok
