"""Annotation-tool and corpus formats: BRAT, WebAnno TSV, CAT XML, CoNLL, Label Studio and spaCy JSON.

One module per format, each with ``import_files`` and/or ``export_documents``; :mod:`.registry` maps format
names to them. Imports produce documents that pass :func:`newsbench.validate.validate_data`; exports say what
a format cannot hold instead of dropping it silently.
"""
