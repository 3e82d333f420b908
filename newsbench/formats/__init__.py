"""Annotation-tool and corpus formats: BRAT, WebAnno TSV, CAT XML, CoNLL, Label Studio and spaCy JSON.

One module per format, each with ``import_files`` and/or ``export_documents``; :mod:`.registry` maps format
names to them. Importers only parse: :mod:`.builder` assembles their documents and refuses labels that have
no mapping (unless dropping them is accepted), so imports produce documents that pass
:func:`newsbench.validate.validate_data` and never lose data silently; exports say what a format cannot hold
instead of dropping it silently.
"""
