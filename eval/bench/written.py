"""A system's predictions written as they come, then scored from the file, one document at a time.

The run loop settles documents in whatever order its executor finishes them. Each prediction (or the
flagged empty stand-in of a failed document) is appended to a spool file beside the predictions file the
moment it is settled, and only its place in the spool and a :class:`newsbench.eval.run.runner.Record` are
kept. When the system is done, the lines are copied into the predictions file in document id order -- the
bytes a run has always written -- and that file is scored as ``newsbench score`` scores files
(:func:`newsbench.eval.streaming.score_scanned`), ``errors.jsonl`` written as scoring goes. So memory grows
with the number of documents only through those small records and the per-document statistics.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import asdict, replace
from pathlib import Path

from newsbench.eval.bench.runfolder import json_line
from newsbench.eval.bench.tracks import TrackTypes
from newsbench.eval.metrics.options import ScoreOptions
from newsbench.eval.report.errors_file import ERRORS_FILE, RecordsFile, errors_file
from newsbench.eval.report.report import Report
from newsbench.eval.run.gold import GoldSet
from newsbench.eval.run.runner import Outcome, Record
from newsbench.eval.streaming import score_scanned
from newsbench.jsonio import replacing
from newsbench.scan import Place, Scanned

SPOOL_SUFFIX = ".spool"


class PredictionsWriter:
    """One system's predictions file being written: :meth:`add` each outcome as it is settled (in any
    order), then :meth:`finish` writes the file in id order and gives what scoring reads of it."""

    def __init__(self, path: Path, ids: Sequence[str]) -> None:
        self.path = path
        self.spool = path.with_name(f".{path.name}{SPOOL_SUFFIX}")
        path.parent.mkdir(parents=True, exist_ok=True)
        self._handle = self.spool.open("wb")
        self._ids = ids
        self._places: list[tuple[int, int] | None] = [None] * len(ids)
        self._records: list[Record | None] = [None] * len(ids)
        self._texts: list[bytes] = [b""] * len(ids)

    def add(self, position: int, outcome: Outcome) -> None:
        """Write the outcome's prediction to the spool; keep its place, text hash and :class:`Record`."""
        line = json_line(outcome.prediction.to_json()).encode("utf-8")
        self._places[position] = (self._handle.tell(), len(line))
        self._handle.write(line)
        self._handle.flush()  # in the file, not in this process's buffer, before the next document
        self._records[position] = Record.of(outcome)
        self._texts[position] = hashlib.sha256(outcome.prediction.text.encode("utf-8")).digest()

    def finish(self) -> tuple[list[Record], list[Scanned]]:
        """Write the predictions file in id order (atomically) and drop the spool; the records by id, and
        each prediction as scanned (its place in the predictions file)."""
        self._handle.close()
        records: list[Record] = []
        scanned: list[Scanned] = []
        with replacing(self.path) as tmp, tmp.open("wb") as out, self.spool.open("rb") as spool:
            for position, (doc_id, place, record) in enumerate(
                zip(self._ids, self._places, self._records, strict=True)
            ):
                assert place is not None and record is not None, f"{doc_id} was never settled"
                spool.seek(place[0])
                line = spool.read(place[1])
                where = Place(str(self.path), out.tell(), len(line) - 1)
                out.write(line)
                records.append(record)
                scanned.append(
                    Scanned(doc_id, str(self.path), where, "", self._texts[position], (), system=True)
                )
        self.spool.unlink()
        return records, scanned

    def close(self) -> None:
        """Close the spool without writing the predictions file (the run is being abandoned)."""
        self._handle.close()


def score_written(
    gold: GoldSet,
    predictions: Sequence[Scanned],
    out: Path,
    options: ScoreOptions,
    *,
    suite_hash: str | None,
    label: str,
    types: TrackTypes | None = None,
    jobs: int = 1,
) -> Report:
    """The report on one system's written predictions, as :func:`newsbench.eval.evaluate.score` gives it
    for the same documents; every error record goes to ``out/errors.jsonl`` as scoring goes. Gold and
    predictions are both scored in the track's type space when there are ``types``. ``jobs`` above 1 scores
    in that many processes (the same bytes), unless the gold documents are held in memory."""
    path = out / ERRORS_FILE
    with errors_file(path, "all", keep=False) as sink:
        assert sink is not None
        report = score_scanned(
            list(gold.items),
            predictions,
            errors=sink,
            suite_hash=suite_hash,
            held=gold.held,
            view=types,
            label=label,
            jobs=jobs,
            **asdict(options),
        )
    # Predictions come from the run loop, checked by its verdict rather than read with the reading rules,
    # so they carry no prediction problems to report (null), as when they are scored in memory.
    return replace(report, prediction_problems=None, kept_records=RecordsFile(path, sink.written))
