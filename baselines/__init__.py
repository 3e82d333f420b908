"""The built-in systems: ``rules``, ``crf``, ``spacy``, ``llm`` and the ``oracle``/``empty`` bounds.

Each satisfies :class:`newsbench.extractor.Extractor` and registers through the entry-point group
``newsbench.extractors`` like any third-party package (:mod:`newsbench.registry`); :mod:`.base` holds an
optional base class and :mod:`.systems` the typed table of built-ins.
"""
