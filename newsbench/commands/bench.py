"""``newsbench bench``: every available system on the benchmark suite, scored, with a leaderboard.

The suite file (default: the standard suite, ``eval/suite.toml``) names the corpora, splits, tasks and
scoring options. The leaderboard (Markdown, HTML and JSON, with intervals and tie groups) is written into
the bench folder and printed. Systems that cannot run here are listed as skipped with the reason. Exit
status as for ``newsbench run``: 3 when some documents failed for some system, 0 otherwise.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from newsbench.commands.help import SUMMARIES, description
from newsbench.commands.run import PARTIAL, add_run_options, bound_caches, report_work, settings_from
from newsbench.commands.scoring import add_scoring_options, checked, given_options
from newsbench.eval.bench.benchmark import run_suite
from newsbench.eval.bench.leaderboard import FILES, render_text
from newsbench.eval.bench.suite import load_suite, with_options
from newsbench.eval.bench.tracks import parse_track_option, with_tracks
from newsbench.registry import discover


def register(sub: Any) -> None:
    p = sub.add_parser(
        "bench",
        help=SUMMARIES["bench"],
        description=description(__doc__),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--suite", type=Path, help="suite file (default: the standard suite, eval/suite.toml)")
    p.add_argument(
        "--track",
        action="append",
        default=[],
        metavar="NAME=PATH",
        help="benchmark PATH too: a suite track of that name read from PATH, a track with a type file "
        "tracks/NAME.json beside the suite or shipped, or any folder of newsbench documents (a corpus "
        "folder is scored on its test split, a plain folder whole, in newsbench's own types)",
    )
    add_scoring_options(p, "default: the suite's [options], else")
    add_run_options(p, "default: the suite's [run] timeout")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    suite = load_suite(args.suite)
    given = given_options(args)
    checked({**suite.options, **given})  # a refused value is reported under the flag typed
    suite = with_options(suite, given)
    if args.track:
        suite = with_tracks(suite, [parse_track_option(text, suite) for text in args.track])
    settings = settings_from(args, suite.timeout)
    result = run_suite(suite, discover(), args.out, settings)
    print(render_text(result.leaderboard), end="")
    report_work(result.work, result.folder)
    print(f"leaderboard: {result.folder / FILES['md']}", file=sys.stderr)
    bound_caches(settings)
    if result.partial:
        print("the run is partial: see failures.jsonl in each corpus folder", file=sys.stderr)
        return PARTIAL
    return 0
