"""The scoring options of ``run``, ``bench``, ``score`` and ``compare``, defined once.

Every verb that scores takes the same flags with the same defaults (those of
:class:`~newsbench.eval.metrics.options.ScoreOptions`, which the standard suite also uses), so one system
scored by any of them on the same documents gets the same numbers. Each flag defaults to ``None`` here,
meaning "not given": ``bench`` then keeps what its suite file says, the other verbs the defaults. The gold is
``--corpus`` everywhere (``--gold`` is the same option) and ``--split`` picks the documents from a corpus
folder with a manifest.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from newsbench.corpus import MANIFEST, SPLITS
from newsbench.eval.metrics.options import TASKS, ScoreOptions
from newsbench.jsonio import read_json
from newsbench.problems import NewsbenchError, Problem, UsageError
from newsbench.scan import document_files
from newsbench.wording import counted

DEFAULTS = ScoreOptions()
ALL = "all"

FLAGS = {
    "tasks": "--tasks",
    "mention_kinds": "--mention-kinds",
    "types": "--types",
    "overlap": "--overlap",
    "partial_credit": "--partial",
    "argument_match": "--args",
    "bootstrap": "--bootstrap",
    "seed": "--seed",
}
"""ScoreOptions field -> the flag that sets it, so a refused value is reported under the flag typed."""


def names(text: str) -> tuple[str, ...]:
    """A comma list, as ``--tasks`` and ``--mention-kinds`` take it."""
    return tuple(part.strip() for part in text.split(",") if part.strip())


def add_gold_options(p: argparse.ArgumentParser, default: Path | None, split_default: str) -> None:
    """``--corpus`` (alias ``--gold``) and ``--split``: which gold documents are scored."""
    where = "(default: corpus)" if default is not None else "(required)"
    p.add_argument(
        "--corpus",
        "--gold",
        dest="corpus",
        type=Path,
        default=default,
        required=default is None,
        metavar="GOLD",
        help=f"gold corpus folder or document file {where}; --gold is the same option",
    )
    p.add_argument(
        "--split",
        choices=(*SPLITS, ALL),
        default=split_default,
        help=f"split of a corpus folder with a manifest to score on (default: {split_default}; "
        f"{ALL} = every document)",
    )


def add_scoring_options(p: argparse.ArgumentParser, defaults_from: str = "") -> None:
    """The scoring flags, one argument group; ``defaults_from`` names what an absent flag falls back to."""
    fallback = defaults_from or "default"
    group = p.add_argument_group(
        "scoring options",
        "the same in run, bench, score and compare: equal options on equal documents give equal numbers",
    )
    group.add_argument(
        "--tasks",
        type=names,
        metavar="LIST",
        help=f"comma list of {','.join(TASKS)} ({fallback}: {','.join(TASKS)})",
    )
    group.add_argument(
        "--mention-kinds",
        type=names,
        metavar="KINDS",
        help=f"entity mention kinds to score, comma list of NAM,NOM,PRO ({fallback}: NAM)",
    )
    group.add_argument(
        "--types",
        type=names,
        metavar="TYPES",
        help="score only these types, on both sides, comma list (e.g. PER,ORG or Conflict.Attack); a task "
        f"none of whose types is named is scored whole ({fallback}: every type)",
    )
    group.add_argument(
        "--overlap",
        type=float,
        metavar="FRACTION",
        help=f"least fraction of a gold span a prediction must cover in lenient modes ({fallback}: 0 = any)",
    )
    group.add_argument(
        "--partial",
        choices=("half", "graded"),
        help="credit of a partial match in the partial mode: half, or graded by character-overlap F1 "
        f"({fallback}: {DEFAULTS.partial_credit})",
    )
    group.add_argument(
        "--args",
        choices=("exact", "overlap", "coref"),
        help="how a predicted event argument matches a gold one: exact spans, overlapping spans, or coref "
        f"(a mention of the gold argument's entity) ({fallback}: {DEFAULTS.argument_match})",
    )
    group.add_argument(
        "--bootstrap",
        type=int,
        metavar="N",
        help=f"bootstrap resamples (0 = no intervals; {fallback}: {DEFAULTS.bootstrap})",
    )
    group.add_argument(
        "--seed", type=int, metavar="N", help=f"random seed for resampling ({fallback}: {DEFAULTS.seed})"
    )


def given_options(args: argparse.Namespace) -> dict[str, Any]:
    """The scoring options given on the command line, by ScoreOptions field (absent flags left out)."""
    values = {
        "tasks": args.tasks,
        "mention_kinds": args.mention_kinds,
        "types": args.types,
        "overlap": args.overlap,
        "partial_credit": args.partial,
        "argument_match": args.args,
        "bootstrap": args.bootstrap,
        "seed": args.seed,
    }
    return {key: value for key, value in values.items() if value is not None}


def checked(options: dict[str, Any]) -> dict[str, Any]:
    """``options`` checked as :func:`make_options` does, every refusal said under the flag that was typed."""
    from newsbench.eval.metrics.scoring import make_options

    try:
        made = make_options(**options)
    except NewsbenchError as exc:
        raise UsageError(
            [Problem("-", None, "$", f"{_flag(p.path)}: {p.message}") for p in exc.problems]
        ) from None
    return asdict(made)


def _flag(path: str) -> str:
    field = path.rpartition(".")[2]
    return FLAGS.get(field, field)


def scoring_options(args: argparse.Namespace) -> dict[str, Any]:
    """Every scoring option as keyword arguments of ``score``/``compare``: given ones over the defaults."""
    return checked({**asdict(DEFAULTS), **given_options(args)})


def score_options(args: argparse.Namespace) -> ScoreOptions:
    return ScoreOptions(**scoring_options(args))


def split_hint(args: argparse.Namespace, predicted: Iterable[str]) -> str | None:
    """When every prediction is of one split of a corpus scored whole, the ``--split`` that scores only it
    (as ``run`` did): without it the other splits' documents count as predicted empty."""
    splits = corpus_splits(args)
    if args.split != ALL or splits is None:
        return None
    found = {splits.get(doc_id) for doc_id in predicted}
    if len(found) != 1 or None in found or len(splits) == sum(1 for s in splits.values() if s in found):
        return None
    (split,) = found
    return f"the predictions are all of the {split} split: --split {split} scores on it alone, as run does"


def corpus_splits(args: argparse.Namespace) -> dict[str, str] | None:
    """Each document id of the ``--corpus`` folder's manifest with its split; None without a manifest."""
    manifest = Path(args.corpus) / MANIFEST
    if not manifest.is_file():
        return None
    entries = read_json(manifest).get("documents", [])
    return {str(e.get("id")): str(e.get("split")) for e in entries if isinstance(e, dict)}


def set_aside(args: argparse.Namespace, predicted: Iterable[str], system: str = "") -> set[str]:
    """Of the ``predicted`` ids, those of the corpus's documents in splits other than ``--split``, said in
    a note: predictions made over a whole corpus (``run --split all``) scored on one split leave the
    others out, while an id the corpus does not hold is still refused."""
    split = split_of(args)
    splits = corpus_splits(args) if split is not None else None
    if splits is None:
        return set()
    aside = {doc_id for doc_id in predicted if doc_id in splits and splits[doc_id] != split}
    if aside:
        whose = f"{system}: " if system else ""
        print(
            f"note: {whose}{counted(len(aside), 'prediction')} of documents outside the {split} split left out",
            file=sys.stderr,
        )
    return aside


def require_predictions(args: argparse.Namespace, path: Path, predicted: int, gold: int) -> None:
    """Refuse a prediction set with not one document among the gold scored (an empty file, or predictions
    of other splits only): its table would be all 0, a score that rests on nothing."""
    if predicted == 0:
        raise NewsbenchError(
            f"{path} holds no prediction of the {counted(gold, 'gold document')} scored (--split {args.split})"
        )


def require_one_system(path: Path) -> None:
    """Refuse a folder holding the predictions of several systems (a run's ``predictions/`` folder, one file
    per system), which would otherwise be refused one repeated document id at a time.

    Only the first document of each ``.jsonl`` file, and of the ``.json`` files of each subfolder, is read:
    a system's predictions are one file, or one folder of files.
    """
    if not path.is_dir():
        return
    files, _ = document_files(path, MANIFEST)
    firsts: dict[Path, Path] = {}
    for file in files:
        firsts.setdefault(file if file.suffix == ".jsonl" else file.parent, file)
    systems = {name for file in firsts.values() if (name := _system_name(file)) is not None}
    if len(systems) > 1:
        raise NewsbenchError(
            f"{path} holds predictions of several systems ({', '.join(sorted(systems))}): score one file, "
            "or compare them"
        )


def _system_name(file: Path) -> str | None:
    """The system name of the first document in ``file``; None when it has none or does not parse (the
    scan that follows reports that document's problems)."""
    try:
        with file.open("rb") as handle:
            if file.suffix == ".jsonl":
                raw = next((line for line in handle if line.strip()), b"")
            else:
                raw = handle.read()
        doc = json.loads(raw)
    except (OSError, ValueError):
        return None
    system = doc.get("system") if isinstance(doc, dict) else None
    name = system.get("name") if isinstance(system, dict) else None
    return name if isinstance(name, str) else None


def split_of(args: argparse.Namespace) -> str | None:
    return None if args.split == ALL else str(args.split)
