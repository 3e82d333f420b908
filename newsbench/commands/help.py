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


def description(doc: str | None) -> str:
    """A verb module's docstring as ``--help`` text: the double backquotes that mark code in docstrings
    are markup for readers of the source, not for a terminal, so they become single ones."""
    return (doc or "").replace("``", "`")
