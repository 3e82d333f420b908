"""Help text shared by the verb modules, and the one-line summaries ``newsbench --help`` lists.

The summaries live here, not in each verb's module, so the overview can be printed without importing any verb
(some pull in scikit-learn, SciPy or the plug-ins).
"""

SUMMARIES = {
    "validate": "check documents or corpus folders; report every problem at once",
    "stats": "summary table of a corpus",
    "add": "add validated gold documents to a corpus",
    "systems": "list the registered extractors and whether they can run here",
    "import": "convert BRAT, WebAnno TSV, CAT XML, CoNLL or Label Studio files to documents",
    "export": "write documents as BRAT, CoNLL, Label Studio or spaCy JSON",
    "score": "score predictions against gold; write report.json/.md/.html and errors",
    "compare": "compare systems on the same gold: paired tests and tie groups",
    "agree": "inter-annotator agreement: F1 both ways, Cohen's kappa, confusion, disagreements",
    "run": "run systems over a corpus split, score them, and write a run folder",
    "bench": "run every available system on the benchmark suite and print the leaderboard",
    "cache": "sizes of the prediction, model and response caches; prune them to a size",
}
"""Verb -> one-line help, in the order ``newsbench --help`` lists them."""

EXAMPLES = {
    "validate": ["newsbench validate corpus", "newsbench validate runs/run-…/predictions/rules.jsonl"],
    "stats": ["newsbench stats", "newsbench stats --corpus corpus --split test --by family"],
    "add": ["newsbench add imported/ --split dev --corpus corpus"],
    "systems": ["newsbench systems"],
    "import": [
        "newsbench import brat annotations/ --out imported --typemap inception-ner",
        "newsbench import conll data.conll --out imported --scheme IOB2 --default-kind NAM",
    ],
    "export": [
        "newsbench export brat corpus --out brat",
        "newsbench export conll --out conll corpus/documents",
    ],
    "score": [
        "newsbench score --corpus corpus --split test runs/run-…/predictions/rules.jsonl --out report",
        "newsbench score --corpus gold.jsonl pred.jsonl --tasks entities --mention-kinds NAM,NOM,PRO",
    ],
    "compare": [
        "newsbench compare --corpus corpus --split test rules.jsonl crf.jsonl empty.jsonl --out compared",
    ],
    "agree": ["newsbench agree annotator-a/ annotator-b/ --out agreement"],
    "run": [
        "newsbench run rules crf --split test --out runs",
        "newsbench run llm --corpus my-corpus --split all --jobs 4 --timeout 120 --token-price 0.15,0.60",
    ],
    "bench": [
        "newsbench bench",
        "newsbench bench --track mine=path/to/my-corpus --tasks entities --bootstrap 200",
        "newsbench bench --suite my-suite.toml --quiet",
    ],
    "cache": ["newsbench cache info", "newsbench cache prune --max-size 2G"],
}
"""Verb -> example command lines, shown at the end of its ``--help`` (a test parses each one)."""

EXIT_CODES = {
    0: "success",
    1: "bad input or a refused operation (one line per problem, naming file, document and JSON path)",
    2: "usage error: an unknown verb or flag, a missing or malformed argument, or an option value refused",
    3: "run and bench only: a partial run, some documents failed for some system (see failures.jsonl)",
    130: "interrupted (Ctrl-C)",
    141: "the reader of the output went away (a closed pipe)",
}
"""Exit status -> meaning, the same for every verb."""


def examples_epilog(verb: str) -> str:
    """The ``examples:`` block of a verb's ``--help``."""
    return "examples:\n" + "".join(f"  {line}\n" for line in EXAMPLES[verb])


def exit_codes_epilog() -> str:
    """The ``exit status:`` block of ``newsbench --help``."""
    return "exit status:\n" + "".join(f"  {code:<4} {text}\n" for code, text in EXIT_CODES.items())


def description(doc: str | None) -> str:
    """A verb module's docstring as ``--help`` text: the double backquotes that mark code in docstrings
    are markup for readers of the source, not for a terminal, so they become single ones."""
    return (doc or "").replace("``", "`")
