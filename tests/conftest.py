"""Shared fixtures: the repository paths, the external corpora (skipped when absent), small documents."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsbench.model import Document, Mention
from newsbench.spans import Span

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "seeds" / "000_e5ff7c9162f697fe.txt"
CORPUS = REPO / "corpus"
EXTERNAL = REPO.parent / "shared" / "external"


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` by relative path, with its bytes: two equal snapshots are identical trees."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def external() -> Path:
    """``../shared/external``; tests that need the real corpora skip, saying why, where it is absent."""
    if not EXTERNAL.is_dir():
        pytest.skip(
            f"external corpora not found at {EXTERNAL} (they live in ../shared/external beside the repo)"
        )
    return EXTERNAL


def mention(doc_text: str, mid: str, start: int, end: int, type_: str = "PER", kind: str = "NAM") -> Mention:
    return Mention(mid, (Span.of(doc_text, start, end),), type_, kind)


def make_doc(text: str, doc_id: str = "d1", **layers: object) -> Document:
    return Document(id=doc_id, text=text, **layers)  # type: ignore[arg-type]
