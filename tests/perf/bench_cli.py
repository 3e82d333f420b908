"""What a user waits for: ``newsbench`` commands end to end on synthetic JSON Lines files, with peak memory.

Each command runs in its own process, as a user runs it, so start-up, reading, validation, scoring and
writing the reports all count. Wall time is the best of ``NEWSBENCH_CLI_REPEAT`` runs (it includes
starting one small wrapper interpreter); peak RSS is the command's own maximum resident set (``wait4``),
which for a command working in several processes (``validate`` and ``score`` use one per core unless ``--jobs``
says otherwise) is the largest one process's, not their sum: the ``--jobs 1`` rows give one process's whole;
the one-minute load average before each run is recorded beside it, as the machine may be shared. Sizes
come from ``NEWSBENCH_CLI_DOCS`` (comma list; the default keeps CI short, ``2000,10000,20000`` gives the full
scaling picture).

Beside ``score`` runs seqeval, reading the same entity mentions from CoNLL files (one token and its IOB2
tag a line, a blank line between documents) and computing entity F1 in its default mode, timed the same
way (a process, reading included). ``add`` puts 1,000 documents into a corpus of ``NEWSBENCH_CLI_ADD_INTO``
documents (default 10,000) and into a small one (group ``cli_add``), to show the cost of an add beyond rewriting the manifest
does not grow with the corpus. ``run`` (group ``cli_run``) runs the ``empty`` and ``rules`` systems over corpora of
``NEWSBENCH_RUN_DOCS`` documents (default ``2000,10000``), each built by one ``add``: with documents read one at
a time and only per-document statistics kept, its peak memory grows with the corpus only through those.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from registry import benchmark
from synthetic import corpus

from newsbench.eval.metrics.conll import iob2_tags
from newsbench.model import Document
from newsbench.parallel import cores
from newsbench.tokens import tokenize

SIZES = tuple(int(n) for n in os.environ.get("NEWSBENCH_CLI_DOCS", "2000").split(","))
REPEAT = int(os.environ.get("NEWSBENCH_CLI_REPEAT", "1"))
ADD_INTO = int(os.environ.get("NEWSBENCH_CLI_ADD_INTO", "10000"))
ADDED = 1000
RUN_SIZES = tuple(int(n) for n in os.environ.get("NEWSBENCH_RUN_DOCS", "2000,10000").split(","))
SMALL_CORPUS = 100
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
SEQEVAL = (
    "import sys\n"
    "from seqeval.metrics import f1_score\n"
    "def read(path):\n"
    "    docs, tags = [], []\n"
    "    with open(path, encoding='utf-8') as handle:\n"
    "        for line in handle:\n"
    "            line = line.rstrip('\\n')\n"
    "            if not line:\n"
    "                docs.append(tags)\n"
    "                tags = []\n"
    "            else:\n"
    "                tags.append(line.rsplit(' ', 1)[1])\n"
    "    return docs + ([tags] if tags else [])\n"
    "print(f1_score(read(sys.argv[1]), read(sys.argv[2])))\n"
)
"""seqeval as a user runs it on CoNLL files: read both, then entity F1 in the default (conlleval) mode."""


def _run(argv: list[str]) -> dict[str, float]:
    """Best wall time over REPEAT runs of ``argv``, the largest peak RSS (MB) and the load average before."""
    best, rss = float("inf"), 0.0
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        peak = Path(tmp) / "peak"
        for _ in range(REPEAT):
            start = time.perf_counter()
            done = subprocess.run(
                [sys.executable, "-c", WRAPPER, str(peak), *argv],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                check=False,
            )
            best = min(best, time.perf_counter() - start)
            if done.returncode != 0:
                raise RuntimeError(f"{' '.join(argv)} failed: {done.stderr.decode()[-500:]}")
            rss = max(rss, int(peak.read_text()) / 1024)  # kilobytes on Linux
    return {"seconds": round(best, 3), "peak_rss_mb": round(rss, 1), "load_average_1min": round(load, 2)}


def _timed(argv: list[str]) -> dict[str, float]:
    return _run([*COMMAND, *argv])


def _write(path: Path, docs: Sequence[Document]) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for doc in docs:
            handle.write(json.dumps(doc.to_json(), ensure_ascii=False) + "\n")


def _write_conll(path: Path, docs: Sequence[Document], gold: Sequence[Document]) -> int:
    """Each gold token with the document's IOB2 tag for it; returns the number of tokens."""
    n = 0
    with path.open("w", encoding="utf-8") as handle:
        for doc, ref in zip(docs, gold, strict=True):
            tokens = tokenize(ref.text)
            tags = iob2_tags(list(doc.mentions), [t.start for t in tokens], [t.end for t in tokens])
            handle.write(
                "".join(f"{ref.text[t.start : t.end]} {tag}\n" for t, tag in zip(tokens, tags, strict=True))
            )
            handle.write("\n")
            n += len(tokens)
    return n


@benchmark("cli_add")
def cli_add() -> dict[str, Any]:
    """``add`` of ADDED documents into a large and into a small corpus (each built by one earlier add)."""
    work = Path(tempfile.mkdtemp(prefix="newsbench-bench-add-"))
    try:
        return _add_group(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _add_group(work: Path) -> dict[str, Any]:
    base, _ = corpus(ADD_INTO, TOKENS_PER_DOC, seed=11)
    new, _ = corpus(ADDED, TOKENS_PER_DOC, seed=12)
    new = [Document.from_json({**d.to_json(), "id": f"new-{d.id}"}) for d in new]
    _write(work / "base.jsonl", base)
    _write(work / "small.jsonl", base[:SMALL_CORPUS])
    _write(work / "new.jsonl", new)
    del base, new
    out: dict[str, Any] = {"added": ADDED}
    for name, source, size in (("large", "base.jsonl", ADD_INTO), ("small", "small.jsonl", SMALL_CORPUS)):
        folder = work / f"corpus-{name}"
        subprocess.run(
            [*COMMAND, "add", str(work / source), "--corpus", str(folder)], check=True, capture_output=True
        )
        out[f"into_{size}"] = _timed(["add", str(work / "new.jsonl"), "--corpus", str(folder)])
        shutil.rmtree(folder)
    return out


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
            tokens = _write_conll(work / f"gold-{n}.conll", gold_docs, gold_docs)
            _write_conll(work / f"pred-{n}.conll", pred_docs, gold_docs)
            del gold_docs, pred_docs
            validate = _timed(["validate", str(gold)])
            validate_one = _timed(["validate", "--jobs", "1", str(gold)])
            seqeval = _run(
                [sys.executable, "-c", SEQEVAL, str(work / f"gold-{n}.conll"), str(work / f"pred-{n}.conll")]
            )
            full = _timed(
                ["score", "--gold", str(gold), "--pred", str(pred), "--out", str(work / f"out-{n}")]
            )
            full_one = _timed(
                ["score", str(pred), "--gold", str(gold), "--jobs", "1", "--out", str(work / f"out1-{n}")]
            )
            row = {
                "documents": n,
                "tokens": tokens,
                "processes": cores(),
                "validate": validate | {"documents_per_second": round(n / validate["seconds"])},
                "validate_jobs_1": validate_one
                | {"documents_per_second": round(n / validate_one["seconds"])},
                "score_no_bootstrap": _timed(
                    ["score", "--gold", str(gold), "--pred", str(pred), "--bootstrap", "0"]
                ),
                "score_bootstrap_1000_with_reports": full,
                "seqeval_default_mode_from_conll_files": seqeval,
                "ratio_seqeval_over_score_with_reports": round(seqeval["seconds"] / full["seconds"], 2),
                "score_bootstrap_1000_with_reports_jobs_1": full_one,
                "ratio_seqeval_over_score_jobs_1_with_reports": round(
                    seqeval["seconds"] / full_one["seconds"], 2
                ),
            }
            out["sizes"].append(row)
        return out
    finally:
        shutil.rmtree(work, ignore_errors=True)


@benchmark("cli_run")
def cli_run() -> dict[str, Any]:
    """``run empty`` and ``run rules`` (no cache, one process) over corpora of each of RUN_SIZES documents."""
    work = Path(tempfile.mkdtemp(prefix="newsbench-bench-run-"))
    try:
        out: dict[str, Any] = {"sizes": []}
        for n in RUN_SIZES:
            gold_docs, _ = corpus(n, TOKENS_PER_DOC, seed=13)
            _write(work / "gold.jsonl", gold_docs)
            del gold_docs
            folder = work / f"corpus-{n}"
            subprocess.run(
                [*COMMAND, "add", str(work / "gold.jsonl"), "--corpus", str(folder)],
                check=True,
                capture_output=True,
            )
            row: dict[str, Any] = {"documents": n}
            for system in ("empty", "rules"):
                argv = ["run", system, "--corpus", str(folder), "--split", "all", "--no-cache"]
                row[system] = _timed([*argv, "--bootstrap", "0", "--out", str(work / "runs")])
            out["sizes"].append(row)
            shutil.rmtree(folder)
            shutil.rmtree(work / "runs", ignore_errors=True)
        return out
    finally:
        shutil.rmtree(work, ignore_errors=True)
