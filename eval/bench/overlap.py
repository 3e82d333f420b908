"""Documents an external track shares with the suite's own corpora, found by the sha256 of their text.

A system may have learned from a suite corpus's train and dev splits: ``crf`` is trained on a corpus's train
split, and the ``rules`` word lists were drawn from the bundled corpus's train split. A track document whose
text is also in one of those splits would test a system on what it may have seen, so it is left out of the
track's scoring and the section's notes say how many and why. A document also in a test split is never
trained on and stays; the notes say how many there are, as they make the track less independent of the
bundled test split.

The suite corpora are those of the suite file (``[[corpus]]``, before ``--tasks`` drops any, without corpora
added by ``--track``): that is where a bench run's training data comes from. A folder with no manifest has no
splits, so nothing is trained on it and it is not looked at.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from newsbench.corpus import MANIFEST, SPLITS, scan_corpus
from newsbench.digest import sha256_text
from newsbench.eval.bench.suite import CorpusSpec
from newsbench.eval.bench.tracks import Track

LEARNABLE = frozenset({"train", "dev"})
"""The splits a system may have learned from (trained on, or drawn word lists or settings from)."""

SHOWN_IDS = 5
"""How many ids of left-out documents a note names before it says how many more there are."""


@dataclass(frozen=True)
class Seen:
    """Where a text occurs in the suite corpora: its split, and the name of the first corpus holding it."""

    split: str
    corpus: str


def seen_texts(corpora: Iterable[CorpusSpec]) -> dict[str, Seen]:
    """Text sha256 (hex) -> where the suite corpora hold it; a train or dev occurrence wins over a test one.

    Each folder is read once, however many sections score it (the standard suite scores ``corpus/`` twice).
    """
    found: dict[str, Seen] = {}
    done = set()
    for spec in corpora:
        root = spec.path.resolve()
        if root in done or not (root / MANIFEST).is_file():
            continue
        done.add(root)
        for split in SPLITS:
            for item in scan_corpus(root, split):
                key = item.text_sha256.hex()
                if key not in found or (split in LEARNABLE and found[key].split not in LEARNABLE):
                    found[key] = Seen(split, spec.name)
    return found


def _ids(ids: Sequence[str]) -> str:
    shown = ", ".join(ids[:SHOWN_IDS])
    return shown + (f" and {len(ids) - SHOWN_IDS} more" if len(ids) > SHOWN_IDS else "")


def _documents(count: int, scored: str = "") -> str:
    """``1 document is`` / ``16 documents are`` (with ``scored`` before the noun when given)."""
    noun = f"{scored} document" if scored else "document"
    return f"{count} {noun} is" if count == 1 else f"{count} {noun}s are"


def leave_out_seen(track: Track, seen: dict[str, Seen]) -> tuple[Track, list[str]]:
    """The track without the scored documents that a suite corpus has in its train or dev split, and the
    notes saying what was left out and what overlaps a test split.

    Only scored documents are left out: the track's own train split (which trains its learned systems) is
    not touched, and a track with no split is scored whole, so every document is a scored one.
    """
    where = {doc.id: seen.get(sha256_text(doc.text)) for doc in track.gold}
    learnable = sorted(i for i, s in where.items() if s is not None and s.split in LEARNABLE)
    tested = sorted(i for i, s in where.items() if s is not None and s.split not in LEARNABLE)
    notes: list[str] = []
    if learnable:
        corpora = ", ".join(
            sorted({s.corpus for s in where.values() if s is not None and s.split in LEARNABLE})
        )
        notes.append(
            f"{_documents(len(learnable))} also in the train or dev split of the suite corpus {corpora}, so left "
            f"out of scoring (systems may have learned from them): {_ids(learnable)}"
        )
    if tested:
        corpora = ", ".join(sorted({s.corpus for s in where.values() if s is not None and s.split == "test"}))
        notes.append(
            f"{_documents(len(tested), 'scored')} also in the test split of the suite corpus {corpora} (kept: no "
            f"system learns from a test split): {_ids(tested)}"
        )
    dropped = set(learnable)
    return replace(track, documents=tuple(d for d in track.documents if d.id not in dropped)), notes
