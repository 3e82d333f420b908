"""The ``newsbench`` command: one entry point, one verb per module in :mod:`newsbench.commands`.

Each verb module has ``register(subparsers)``, which adds its parser and sets ``run`` as the default
``func``. Bad input raises :class:`NewsbenchError`, which is printed as one line per problem with exit
status 1 (2 for a :class:`UsageError`, an option value the verb cannot take); a traceback means a bug in newsbench, never in the user's data.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from newsbench.commands.help import SUMMARIES, examples_epilog, exit_codes_epilog
from newsbench.problems import NewsbenchError
from newsbench.version import __version__

MODULES = {"import": "import_"}
QUIET_VERBS = ("import", "score", "compare", "run", "bench")
"""Verbs that draw progress bars, and so take ``--quiet``."""
"""Verb -> module name under ``newsbench.commands``, where they differ (``import`` is a keyword)."""


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser, with the full options of the verb ``argv`` names and a one-line entry for every other.

    Only the invoked verb's module is imported: ``newsbench --help`` or ``newsbench validate`` never load
    scikit-learn, SciPy or plug-in code that another verb needs. With no ``argv`` every verb is built.
    """
    parser = argparse.ArgumentParser(
        prog="newsbench",
        description="Gold corpus, extractors and evaluation for entities, events and quotes in news.",
        epilog=exit_codes_epilog() + "\nnewsbench VERB --help shows a verb's options and examples.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"newsbench {__version__}")
    sub = parser.add_subparsers(dest="verb", required=True, metavar="VERB")
    chosen = None if argv is None else next((a for a in argv if not a.startswith("-")), "")
    for verb, summary in SUMMARIES.items():
        if chosen is None or chosen == verb:
            module = importlib.import_module(f"newsbench.commands.{MODULES.get(verb, verb)}")
            module.register(sub)
            verb_parser = sub.choices[verb]
            verb_parser.epilog = examples_epilog(verb)
            verb_parser.formatter_class = argparse.RawDescriptionHelpFormatter
            if verb in QUIET_VERBS:
                verb_parser.add_argument(
                    "--quiet",
                    action="store_true",
                    help="no progress bars (they draw only on a terminal anyway)",
                )
        else:
            sub.add_parser(verb, help=summary)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(argv).parse_args(argv)
    if getattr(args, "quiet", False):
        from newsbench.progress import silence

        silence()
    try:
        status: int = args.func(args)
    except NewsbenchError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        return exc.status
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (``newsbench stats | head``): not an error of ours or the user's. Point
        # stdout at devnull so the interpreter's final flush does not complain a second time.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except OSError as exc:
        # A folder that cannot be created or a file that cannot be written: the user's environment,
        # said in one line like any other bad input.
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 1
    return status


if __name__ == "__main__":
    sys.exit(main())
