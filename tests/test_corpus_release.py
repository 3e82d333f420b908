"""The bundled gold corpus as released: licences, provenance, splits, completeness of every document."""

from __future__ import annotations

import json
import statistics
from pathlib import Path

import pytest

from newsbench.corpus import Corpus, document_counts, load_corpus
from newsbench.hf import document_of_row, to_dataset_dict
from newsbench.model import Document
from newsbench.provenance import (
    FAMILIES,
    LICENSES,
    by_family,
    family_of,
    is_sharealike,
    license_problem,
    without_sharealike,
)

ROOT = Path(__file__).resolve().parents[1]
SEED_ID = "000_e5ff7c9162f697fe"

# A document whose mention density is below this share of its family's median is taken to be half done. The
# lowest complete documents sit at 0.33 (a Wikipedia article on scripture, with few entities) and 0.50 (a market
# report); a document opened and left with a few names sits far lower. Documents annotated for names only are
# caught by the nominal check below, since every complete document has at least one nominal mention.
MIN_SHARE_OF_FAMILY_DENSITY = 0.3

# Subsets whose source gives each text's address; MEANTIME's CAT files carry a title but no address.
SUBSETS_WITH_ADDRESS = ("re3d/", "gum-news")


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus(ROOT / "corpus")


def test_the_corpus_has_more_than_a_hundred_documents_and_thirty_in_test(corpus: Corpus) -> None:
    assert len(corpus) >= 101
    assert len(corpus.split("test")) >= 30
    assert corpus.splits[SEED_ID] == "test"


def test_every_document_has_an_allowed_licence_with_its_attribution(corpus: Corpus) -> None:
    problems = {d.id: license_problem(d) for d in corpus.split(None)}
    assert {i: p for i, p in problems.items() if p} == {}


@pytest.mark.parametrize(
    ("license", "meta", "complaint"),
    [
        (None, {}, "no licence"),
        ("CC-BY-NC-4.0", {"attribution": "x"}, "non-commercial"),
        ("CC-BY-NC-SA-3.0", {"attribution": "x"}, "non-commercial"),
        ("Proprietary", {}, "not a licence the corpus accepts"),
        ("CC-BY-2.5", {}, "asks for attribution"),
    ],
)
def test_missing_noncommercial_unknown_or_unattributed_licences_are_refused(
    license: str | None, meta: dict[str, str], complaint: str
) -> None:
    problem = license_problem(Document(id="d", text="x", license=license, meta=meta))
    assert problem is not None and complaint in problem


def test_a_public_domain_text_needs_no_attribution() -> None:
    doc = Document(id="d", text="x", license="LicenseRef-US-Government-Public-Domain")
    assert license_problem(doc) is None


def test_sharealike_documents_can_be_left_out(corpus: Corpus) -> None:
    docs = corpus.split(None)
    kept = without_sharealike(docs)
    dropped = {d.id for d in docs} - {d.id for d in kept}
    assert dropped, "the corpus holds CC BY-SA Wikipedia texts"
    assert all(is_sharealike(corpus.documents[i]) for i in dropped)
    assert all(LICENSES[d.license or ""].sharealike is False for d in kept)


def test_every_document_names_its_source_subset_and_how_it_was_annotated(corpus: Corpus) -> None:
    for doc in corpus.split(None):
        assert doc.meta.get("subset") in FAMILIES, doc.id
        assert isinstance(doc.meta.get("annotation"), str), doc.id
        if doc.id != SEED_ID:
            assert doc.title and doc.source, doc.id
        if str(doc.meta["subset"]).startswith(SUBSETS_WITH_ADDRESS):
            assert doc.url and doc.url.startswith(("https://", "http://")), doc.id


def test_splits_are_stratified_by_source_family(corpus: Corpus) -> None:
    for family, docs in by_family(corpus.split(None)).items():
        splits = {corpus.splits[d.id] for d in docs}
        expected = {"test"} if family == "seed" else {"train", "dev", "test"}
        assert splits == expected, family


def test_the_dataset_dict_has_train_dev_and_test(corpus: Corpus) -> None:
    dataset = to_dataset_dict(corpus)
    assert set(dataset) == {"train", "dev", "test"}
    assert sum(len(dataset[s]) for s in dataset) == len(corpus)
    assert len(dataset["test"]) == len(corpus.split("test"))


def test_every_dataset_row_gives_back_its_document_with_every_layer_and_meta(corpus: Corpus) -> None:
    dataset = to_dataset_dict(corpus)
    originals = {d.id: d for d in corpus.split(None)}
    rows = [row for split in dataset for row in dataset[split]]
    assert sorted(document_of_row(row).id for row in rows) == sorted(originals)
    for row in rows:
        assert document_of_row(row) == originals[row["id"]], row["id"]
    assert any(row["event_coreference"] for row in rows)
    assert all(isinstance(json.loads(row["meta"]), dict) for row in rows)
    assert {json.loads(row["meta"])["subset"] for row in rows} >= {"seed", "gum-news"}


def test_every_source_family_has_every_layer(corpus: Corpus) -> None:
    for family, docs in by_family(corpus.split(None)).items():
        totals = {
            layer: sum(document_counts(d)[layer] for d in docs) for layer in ("mentions", "events", "quotes")
        }
        assert all(totals.values()), (family, totals)
        kinds = {m.kind for d in docs for m in d.mentions}
        assert kinds == {"NAM", "NOM", "PRO"}, family


def _density(doc: Document) -> float:
    counts = document_counts(doc)
    return counts["mentions"] / counts["tokens"]


def test_no_document_is_annotated_far_below_its_source_density(corpus: Corpus) -> None:
    thin = []
    for family, docs in by_family(corpus.split(None)).items():
        median = statistics.median(_density(d) for d in docs)
        thin += [
            (family, d.id, round(_density(d) / median, 2))
            for d in docs
            if _density(d) < MIN_SHARE_OF_FAMILY_DENSITY * median
        ]
    assert thin == []


def test_every_document_has_nominal_mentions(corpus: Corpus) -> None:
    """Names alone are what a half-finished document looks like."""
    assert [d.id for d in corpus.split(None) if not any(m.kind == "NOM" for m in d.mentions)] == []


def test_family_of_an_unlisted_subset_is_the_subset_itself() -> None:
    assert family_of(Document(id="d", text="x", meta={"subset": "my-newswire"})) == "my-newswire"


def _card_row(label: str) -> list[str]:
    """The cells after ``label`` in the dataset card's markdown table row that starts with it."""
    for line in (ROOT / "corpus" / "README.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip().strip("*") for c in line.strip().strip("|").split("|")]
        if cells[0] == label:
            return cells[1:]
    raise AssertionError(f"no row {label!r} in corpus/README.md")


def _number(cell: str) -> int:
    """The leading number of a card cell such as "1,164" or "106 (train 56, dev 16, test 34)"."""
    return int(cell.split(" ")[0].replace(",", ""))


@pytest.mark.parametrize("type_", ["PER", "ORG", "GPE", "LOC", "FAC", "VEH", "WEA", "TIME"])
def test_dataset_card_counts_mentions_by_type_and_kind(corpus: Corpus, type_: str) -> None:
    mentions = [m for d in corpus.split(None) for m in d.mentions if m.type == type_]
    counted = [sum(m.kind == k for m in mentions) for k in ("NAM", "NOM", "PRO")]
    assert [_number(c) for c in _card_row(type_)] == [*counted, sum(counted)]


@pytest.mark.parametrize(
    ("label", "layer"),
    [
        ("Entity mentions", "mentions"),
        ("Event mentions", "events"),
        ("Quotes", "quotes"),
        ("Documents", None),
    ],
)
def test_dataset_card_summary_matches_the_corpus(corpus: Corpus, label: str, layer: str | None) -> None:
    docs = corpus.split(None)
    expected = len(docs) if layer is None else sum(len(getattr(d, layer)) for d in docs)
    assert _number(_card_row(label)[0]) == expected
