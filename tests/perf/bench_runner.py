"""``rules_throughput``: how fast the ``rules`` baseline runs through the runner, and what ``--jobs 2`` buys.

The corpus mixes the seed article as it is, the seed with its paragraphs reordered, with curly quotes and
CRLF line ends, four seeds back to back (a long article), and synthetic news-like texts, so the figures are
not those of one text repeated. Timed: ``extract`` alone; the run loop in this process (``--jobs 1``, no
timeout), which adds checking every prediction against the schema; the worker pool with one and with two
processes (what ``--timeout`` and ``--jobs`` use); and a rerun served from the prediction cache. A speed-up
needs idle cores, so the machine's load average is recorded beside the figures.
"""

from __future__ import annotations

import os
import random
import tempfile
from pathlib import Path
from typing import Any

from registry import benchmark, measure
from synthetic import gold_document

from newsbench.eval.run.cache import PredictionCache
from newsbench.eval.run.runner import run_systems
from newsbench.model import Document
from newsbench.registry import create_system

SEED = Path(__file__).resolve().parents[2] / "seeds" / "000_e5ff7c9162f697fe.txt"
COPIES = 20
"""Variants of each kind; with five kinds, 100 documents."""


def varied_corpus(copies: int = COPIES, seed: int = 7) -> list[Document]:
    rng = random.Random(seed)
    text = SEED.read_text(encoding="utf-8")
    paragraphs = [p for p in text.split("\n") if p.strip()]
    docs: list[Document] = []
    for i in range(copies):
        shuffled = paragraphs[:]
        rng.shuffle(shuffled)
        curly = text.replace(' "', " \u201c").replace('" ', "\u201d ").replace("\n", "\r\n")
        variants = {
            "seed": text,
            "reordered": "\n".join(shuffled),
            "curly-crlf": curly,
            "long": "\n".join([text] * 4),
            "synthetic": gold_document(f"s{i}", 400, rng).text,
        }
        docs += [Document(f"{kind}-{i:03d}", body) for kind, body in variants.items()]
    return docs


def _timed(docs: list[Document], jobs: int, timeout: float | None, cache: PredictionCache | None) -> float:
    figures = measure(
        lambda: run_systems([create_system("rules")], docs, cache=cache, jobs=jobs, timeout=timeout), False
    )
    return figures["seconds"]


@benchmark("rules_throughput")
def rules_throughput() -> dict[str, Any]:
    docs = varied_corpus()
    chars = sum(len(d.text) for d in docs)
    load_before = os.getloadavg()[0]
    rules = create_system("rules")
    bare = measure(lambda: [rules.extract(d) for d in docs], False)["seconds"]
    in_process = _timed(docs, 1, None, None)
    pool_one = _timed(docs, 1, 600.0, None)
    pool_two = _timed(docs, 2, 600.0, None)
    with tempfile.TemporaryDirectory() as tmp:
        cache = PredictionCache(Path(tmp))
        _timed(docs, 1, None, cache)
        cached = _timed(docs, 1, None, cache)
    return {
        "documents": len(docs),
        "characters": chars,
        "cpus": os.cpu_count(),
        "load_average_1min": {"before": round(load_before, 2), "after": round(os.getloadavg()[0], 2)},
        "extract_only": {
            "seconds": bare,
            "docs_per_s": round(len(docs) / bare, 1),
            "chars_per_s": round(chars / bare),
        },
        "in_process": {
            "seconds": in_process,
            "docs_per_s": round(len(docs) / in_process, 1),
            "chars_per_s": round(chars / in_process),
        },
        "pool_jobs_1": {"seconds": pool_one, "docs_per_s": round(len(docs) / pool_one, 1)},
        "pool_jobs_2": {"seconds": pool_two, "docs_per_s": round(len(docs) / pool_two, 1)},
        "speedup_jobs_2_over_pool_jobs_1": round(pool_one / pool_two, 2),
        "speedup_jobs_2_over_in_process": round(in_process / pool_two, 2),
        "cached_rerun": {"seconds": cached, "docs_per_s": round(len(docs) / cached, 1)},
    }
