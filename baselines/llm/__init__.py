"""The optional ``llm`` baseline: an OpenAI-compatible chat model asked for JSON, aligned back to the text."""

from newsbench.baselines.llm.extractor import LLMExtractor

__all__ = ["LLMExtractor"]
