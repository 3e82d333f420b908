"""Token-level agreement between two annotations: per-token entity-type labels, Cohen's kappa, confusion.

Span F1 says how often two annotators marked the same mentions; kappa corrects token agreement for what two
annotators would agree on by chance given how often each uses each label, and the confusion table shows which
types they trade. Labels are the type of the mention covering a token (the longest, where mentions nest) or
``O``, over the mentions of the kinds being compared, with both documents tokenised the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sklearn.metrics import cohen_kappa_score

from newsbench.eval.metrics.confusion import Confusion
from newsbench.model import Document
from newsbench.tokens import tokenize

OUTSIDE = "O"


def token_labels(doc: Document, kinds: Iterable[str]) -> list[str]:
    """One label per token of ``doc.text``: the type of the longest covering mention of a wanted kind, else O.

    A token is covered when it shares a character with a span of the mention; ties in length go to the
    earlier mention, then to the type that sorts first, so the labelling does not depend on mention order.
    """
    wanted = set(kinds)
    tokens = tokenize(doc.text)
    best: list[tuple[int, int, str] | None] = [None] * len(tokens)
    for mention in doc.mentions:
        if mention.kind not in wanted:
            continue
        length = sum(len(s) for s in mention.spans)
        rank = (-length, mention.start, mention.type)
        for span in mention.spans:
            for i, token in enumerate(tokens):
                if token.start < span.end and span.start < token.end:
                    current = best[i]
                    if current is None or rank < current:
                        best[i] = rank
    return [OUTSIDE if b is None else b[2] for b in best]


@dataclass(frozen=True)
class TokenAgreement:
    """Token labels compared over all documents pooled.

    ``kappa`` is None when it is undefined: both sides used one and the same label throughout, so chance
    agreement is 1 and there is nothing to correct for.
    """

    tokens: int
    observed: float
    kappa: float | None
    confusion: Confusion
    """(label on side A, label on side B) -> number of tokens."""

    def to_json(self) -> dict[str, object]:
        return {
            "tokens": self.tokens,
            "observed": self.observed,
            "kappa": self.kappa,
            "confusion": self.confusion.nested(),
        }


def compare_labels(a: Sequence[str], b: Sequence[str]) -> TokenAgreement:
    """Cohen's kappa (scikit-learn) and the confusion counts of two equally long label sequences."""
    if len(a) != len(b):
        raise ValueError(f"label sequences differ in length ({len(a)} and {len(b)})")
    confusion = Confusion.of(zip(a, b, strict=True))
    total = len(a)
    observed = sum(n for (x, y), n in confusion.cells.items() if x == y) / total if total else 1.0
    defined = len(set(a) | set(b)) > 1
    kappa = float(cohen_kappa_score(list(a), list(b))) if defined else None
    return TokenAgreement(total, observed, kappa, confusion)


def token_agreement(
    a_docs: Sequence[Document], b_docs: Sequence[Document], kinds: Iterable[str]
) -> TokenAgreement:
    """Pooled token agreement of paired documents (same ids, same texts, in the same order)."""
    wanted = tuple(kinds)
    a_labels: list[str] = []
    b_labels: list[str] = []
    for a, b in zip(a_docs, b_docs, strict=True):
        a_labels.extend(token_labels(a, wanted))
        b_labels.extend(token_labels(b, wanted))
    return compare_labels(a_labels, b_labels)
