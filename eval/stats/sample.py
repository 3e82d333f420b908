"""How many documents a figure rests on, and below which number intervals and tests are not to be trusted.

``MIN_RELIABLE_DOCUMENTS`` is 10. Both the intervals and the tests resample *documents*, so with few
documents they have little to resample:

* approximate randomisation swaps each document's pair of outputs; with ``n`` documents there are ``2^n``
  swap patterns and, as the statistic is an absolute difference, swapping every document gives the same
  value as swapping none, so the smallest p-value it can reach is about ``2^(1-n)``. Below 6 documents
  that floor is above 0.05 and no difference, however large, can be significant; at 10 it is 0.002, low
  enough to separate a clearly better system at ``alpha = 0.05`` even when many pairs are tested.
* the percentile bootstrap draws ``n`` of ``n`` documents with replacement, which gives at most
  ``C(2n-1, n)`` distinct resamples (126 for 5 documents) and underestimates the spread of a mean by the
  factor ``(n-1)/n`` before any skew (Efron & Tibshirani 1993, ch. 5 and 13); its intervals look precise
  while describing only the documents at hand.

Below the threshold every output marks its intervals and p-values as unreliable, and rankings follow the
point scores (ties only where the F1 is equal) instead of a test that cannot reject.
"""

from __future__ import annotations

from newsbench.wording import counted

MIN_RELIABLE_DOCUMENTS = 10


def randomization_floor(documents: int) -> float:
    """The smallest p-value approximate randomisation can give over ``documents`` documents."""
    return 2.0 ** (1 - documents) if documents > 0 else 1.0


def small_sample_note(documents: int) -> str | None:
    """Why intervals and tests on this many documents are unreliable, or ``None`` from the threshold up."""
    if documents >= MIN_RELIABLE_DOCUMENTS:
        return None
    return (
        f"only {counted(documents, 'gold document')}, fewer than {MIN_RELIABLE_DOCUMENTS}: intervals and p-values are "
        f"unreliable (a bootstrap over so few documents has few distinct resamples and gives intervals that "
        f"are too narrow; approximate randomisation cannot give p below {randomization_floor(documents):.4f}), "
        f"and ranks follow the point scores only"
    )


def disagreement_note(documents: int, p_bootstrap: float, p_randomization: float, alpha: float) -> str | None:
    """Why the paired bootstrap and approximate randomisation reach different verdicts, when they do."""
    if (p_bootstrap < alpha) == (p_randomization < alpha):
        return None
    floor = randomization_floor(documents)
    reason = (
        f"with {counted(documents, 'document')} randomisation has at most {2 ** max(documents - 1, 0)} distinct "
        f"outcomes and cannot give p below {floor:.4f}"
        if floor >= alpha
        else "the difference rests on a few documents"
    )
    ranks = (
        "ranks follow randomisation"
        if documents >= MIN_RELIABLE_DOCUMENTS
        else "ranks follow the point scores, as neither test is reliable here"
    )
    return (
        f"the tests disagree at alpha {alpha}: the paired bootstrap asks how far the difference varies when "
        f"the documents are redrawn and is too confident when there are few of them, randomisation asks "
        f"whether swapping the systems' outputs per document gives a difference this large; {reason}; "
        f"{ranks}"
    )
