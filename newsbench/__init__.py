"""newsbench: a gold corpus, extractor registry and evaluation harness for entities, events and quotes in news."""

from newsbench.corpus import Corpus, load_corpus
from newsbench.hf import to_dataset_dict
from newsbench.model import Document
from newsbench.version import __version__

__all__ = ["Corpus", "Document", "__version__", "load_corpus", "to_dataset_dict"]
