"""Cheap verbs start without loading what only other verbs need.

Each case runs in a fresh interpreter and lists the modules loaded: scikit-learn, SciPy, spaCy, datasets
or a plug-in's code in ``newsbench --help``, ``validate`` of one document or ``systems`` means a verb
module (or the core) imports a heavy library at the top again.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from docfactory import valid_document

HEAVY = ("sklearn", "scipy", "spacy", "datasets", "sklearn_crfsuite", "newsbench.baselines", "newsbench.eval")
NOT_FOR_SYSTEMS = ("sklearn", "scipy", "spacy", "datasets", "sklearn_crfsuite", "newsbench.eval")


def _loaded(argv: list[str]) -> set[str]:
    script = (
        "import json, sys\n"
        "from newsbench.cli import main\n"
        "try:\n"
        f"    main({argv!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(json.dumps(sorted(sys.modules)), file=sys.stderr)\n"
    )
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    return set(json.loads(proc.stderr.strip().splitlines()[-1]))


def _heavy(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(m for m in modules if any(m == n or m.startswith(n + ".") for n in names))


def test_help_loads_no_heavy_module() -> None:
    assert _heavy(_loaded(["--help"]), HEAVY) == []


def test_validate_of_one_document_loads_no_heavy_module(tmp_path: Path) -> None:
    doc = tmp_path / "doc.json"
    doc.write_text(json.dumps(valid_document()), encoding="utf-8")
    loaded = _loaded(["validate", str(doc)])
    assert "newsbench.validate" in loaded  # the verb did run
    assert _heavy(loaded, HEAVY) == []


def test_a_valid_document_is_validated_without_loading_the_reference_validator(tmp_path: Path) -> None:
    # jsonschema only words the problems of documents the compiled validator rejects.
    doc = tmp_path / "doc.json"
    doc.write_text(json.dumps(valid_document()), encoding="utf-8")
    assert _heavy(_loaded(["--help"]), ("jsonschema", "referencing")) == []
    assert _heavy(_loaded(["validate", str(doc)]), ("jsonschema", "referencing")) == []
    invalid = dict(valid_document(), text=7)
    doc.write_text(json.dumps(invalid), encoding="utf-8")
    assert "jsonschema" in _loaded(["validate", str(doc)])  # a problem to word: the reference validator ran


@pytest.mark.parametrize("verb", ["score", "run"])
def test_a_verbs_own_help_loads_no_other_verb(verb: str) -> None:
    others = {f"newsbench.commands.{v}" for v in ("validate", "stats", "agree", "export", "import_")}
    assert not (_loaded([verb, "--help"]) & others)


def test_systems_loads_no_scoring_or_model_library() -> None:
    assert _heavy(_loaded(["systems"]), NOT_FOR_SYSTEMS) == []
