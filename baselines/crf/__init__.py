"""``crf``: a linear-chain CRF (sklearn-crfsuite, L-BFGS) for named mentions, trained at benchmark time."""

from newsbench.baselines.crf.extractor import CRFExtractor
from newsbench.baselines.crf.training import CRFConfig, train

__all__ = ["CRFConfig", "CRFExtractor", "train"]
