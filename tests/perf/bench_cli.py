"""What a user waits for: ``newsbench`` commands end to end on synthetic JSON Lines files, with peak memory.

Each command runs in its own process, as a user runs it, so start-up, reading, validation, scoring and
writing the reports all count. Wall time is the best of ``NEWSBENCH_CLI_REPEAT`` runs (it includes
starting one small wrapper interpreter); peak RSS is the command's own maximum resident set (``wait4``). Sizes come from ``NEWSBENCH_CLI_DOCS`` (comma list; the
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
WRAPPER = (
    "import os, subprocess, sys\n"
    "proc = subprocess.Popen(sys.argv[2:])\n"
    "_, status, usage = os.wait4(proc.pid, 0)\n"
    "open(sys.argv[1], 'w').write(str(usage.ru_maxrss))\n"
    "sys.exit(os.waitstatus_to_exitcode(status))\n"
)
"""Runs the command and writes its peak RSS to a file. Linux carries a process's high-water mark across
``exec``, so a command started straight from this (large) process would report this process's peak; started
from a small fresh interpreter, it reports its own."""


def _timed(argv: list[str]) -> dict[str, float]:
    """Best wall time over REPEAT runs of ``newsbench argv``, and the largest peak RSS (MB) among them."""
    best, rss = float("inf"), 0.0
    with tempfile.TemporaryDirectory() as tmp:
        peak = Path(tmp) / "peak"
        for _ in range(REPEAT):
            start = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-c", WRAPPER, str(peak), *COMMAND, *argv],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                check=False,
            )
            best = min(best, time.perf_counter() - start)
            if done.returncode != 0:
                raise RuntimeError(f"newsbench {' '.join(argv)} failed: {done.stderr.decode()[-500:]}")
            rss = max(rss, int(peak.read_text()) / 1024)  # kilobytes on Linux
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
