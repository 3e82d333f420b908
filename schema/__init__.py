"""Data files of the newsbench schema (JSON Schema and ontology), shipped as ``newsbench.schema``.

This package holds no code: :mod:`newsbench.ontology` and :mod:`newsbench.validate` read the files.
"""
