"""What a user waits for: ``newsbench`` commands end to end on synthetic JSON Lines files, with peak memory.

Each command runs in its own process, as a user runs it, so start-up, reading, validation, scoring and
writing the reports all count. Wall time is the best of ``NEWSBENCH_CLI_REPEAT`` runs; peak RSS is the
child's own maximum resident set (``wait4``). Sizes come from ``NEWSBENCH_CLI_DOCS`` (comma list; the
default keeps CI short, ``2000,10000,20000`` gives the full scaling picture).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from registry import benchmark
from synthetic import corpus

SIZES = tuple(int(n) for n in os.environ.get("NEWSBENCH_CLI_DOCS", "2000").split(","))
REPEAT = int(os.environ.get("NEWSBENCH_CLI_REPEAT", "1"))
TOKENS_PER_DOC = 250
COMMAND = [sys.executable, "-m", "newsbench.cli"]


def _timed(argv: list[str]) -> dict[str, float]:
    """Best wall time over REPEAT runs of ``newsbench argv``, and the largest peak RSS (MB) among them."""
    best, rss = float("inf"), 0.0
    for _ in range(REPEAT):
        start = time.perf_counter()
        proc = subprocess.Popen([*COMMAND, *argv], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
        best = min(best, time.perf_counter() - start)
        rss = max(rss, usage.ru_maxrss / 1024)  # kilobytes on Linux
        if os.waitstatus_to_exitcode(status) != 0:
            assert proc.stderr is not None
            raise RuntimeError(f"newsbench {' '.join(argv)} failed: {proc.stderr.read().decode()[-500:]}")
        assert proc.stderr is not None
        proc.stderr.close()
    return {"seconds": round(best, 3), "peak_rss_mb": round(rss, 1)}


def _write(path: Path, docs: list[Any]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for doc in docs:
            handle.write(json.dumps(doc.to_json(), ensure_ascii=False) + "\n")


@benchmark("cli")
def cli() -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="newsbench-bench-cli-"))
    try:
        out: dict[str, Any] = {"help": _timed(["--help"]), "sizes": []}
        for n in SIZES:
            gold_docs, pred_docs = corpus(n, TOKENS_PER_DOC, seed=7)
            gold, pred = work / f"gold-{n}.jsonl", work / f"pred-{n}.jsonl"
            _write(gold, gold_docs)
            _write(pred, pred_docs)
            del gold_docs, pred_docs
            validate = _timed(["validate", str(gold)])
            row = {
                "documents": n,
                "validate": validate | {"documents_per_second": round(n / validate["seconds"])},
                "score_no_bootstrap": _timed(
                    ["score", "--gold", str(gold), "--pred", str(pred), "--bootstrap", "0"]
                ),
                "score_bootstrap_1000_with_reports": _timed(
                    ["score", "--gold", str(gold), "--pred", str(pred), "--out", str(work / f"out-{n}")]
                ),
            }
            out["sizes"].append(row)
        return out
    finally:
        shutil.rmtree(work, ignore_errors=True)
