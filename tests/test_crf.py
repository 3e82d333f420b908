"""The ``crf`` baseline: sentences, features, IOB2 coding, deterministic cached training, extraction."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsbench.baselines.crf import CRFConfig, CRFExtractor, train
from newsbench.baselines.crf.features import sentence_features, shape
from newsbench.baselines.crf.gazetteer import matches, place_phrases
from newsbench.baselines.crf.iob import decode, encode, flat
from newsbench.baselines.crf.sentences import sentences
from newsbench.baselines.crf.training import model_key, training_data
from newsbench.model import Document, Mention
from newsbench.problems import NewsbenchError
from newsbench.spans import Span
from newsbench.tokens import tokenize
from newsbench.validate import validate_data


def words(text: str) -> list[list[str]]:
    return [[t.text for t in s] for s in sentences(text, tokenize(text))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He left. She stayed.", [["He", "left", "."], ["She", "stayed", "."]]),
        ("Line one\r\nLine two", [["Line", "one"], ["Line", "two"]]),
        ("It cost 3.5 dollars. 😀 Then", [["It", "cost", "3.5", "dollars", ".", "😀", "Then"]]),
        ("He said “no.” Then he left", [["He", "said", "“", "no", ".", "”"], ["Then", "he", "left"]]),
        ("the U.S. army", [["the", "U.S.", "army"]]),
    ],
)
def test_sentences_split_at_final_marks_and_line_breaks(text: str, expected: list[list[str]]) -> None:
    assert words(text) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("McCain", "XxXx"),
        ("U.S.", "X.X."),
        ("2,500", "d,d"),
        ("Zoë", "Xx"),
        ("e\u0301", "x\u0301"),
        ("😀", "😀"),
    ],
)
def test_shape_collapses_runs_of_character_classes(word: str, expected: str) -> None:
    assert shape(word) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "troops left the United States of America today",
            ["", "", "", "B-country", "I-country", "I-country", "I-country", ""],
        ),
        ("in France and Texas", ["", "B-country", "", "B-region"]),
        ("nothing here", ["", ""]),
    ],
)
def test_gazetteer_marks_the_longest_place_name(text: str, expected: list[str]) -> None:
    assert matches(tokenize(text), place_phrases()) == expected


def test_features_see_neighbours_and_sentence_edges() -> None:
    tokens = tokenize("Dr Smith left")
    feats = sentence_features(tokens, place_phrases())
    assert feats[0]["BOS"] is True and "EOS" not in feats[0]
    assert feats[1]["w"] == "smith" and feats[1]["-1:w"] == "dr" and feats[1]["1:w"] == "left"
    assert feats[1]["title"] is True and feats[2]["EOS"] is True


@pytest.mark.parametrize(
    ("spans", "expected"),
    [
        ([(0, 10, "A"), (5, 8, "B"), (10, 12, "C")], [(5, 8, "B"), (10, 12, "C")]),
        ([(0, 23, "PER"), (0, 4, "ORG"), (11, 23, "PER")], [(0, 4, "ORG"), (11, 23, "PER")]),
        ([(5, 8, "B"), (0, 3, "A")], [(0, 3, "A"), (5, 8, "B")]),
        ([(0, 3, "B"), (0, 3, "A")], [(0, 3, "A")]),
        ([(0, 5, "A"), (3, 9, "B")], [(0, 5, "A")]),
    ],
)
def test_flat_keeps_innermost_non_overlapping_spans(
    spans: list[tuple[int, int, str]], expected: list[tuple[int, int, str]]
) -> None:
    assert flat(spans) == expected


# "Zoë 😀 visited Ünited Nations\r\n" -- astral emoji, combining mark, CRLF; offsets counted by hand.
TEXT = "Zoe\u0308 😀 met the Ünited Nations.\r\nOK"


@pytest.mark.parametrize(
    ("spans", "labels"),
    [
        ([(0, 4, "PER"), (15, 29, "ORG")], ["B-PER", "O", "O", "O", "B-ORG", "I-ORG", "O", "O"]),
        ([(1, 3, "PER")], ["B-PER", "O", "O", "O", "O", "O", "O", "O"]),
        ([], ["O"] * 8),
    ],
)
def test_iob_encoding_round_trips_to_token_aligned_spans(
    spans: list[tuple[int, int, str]], labels: list[str]
) -> None:
    tokens = tokenize(TEXT)
    assert [t.text for t in tokens] == ["Zoe\u0308", "😀", "met", "the", "Ünited", "Nations", ".", "OK"]
    assert encode(tokens, spans) == labels
    aligned = [(tokens[0].start, tokens[0].end, t) if s == 1 else (s, e, t) for s, e, t in spans]
    assert decode(tokens, labels) == aligned


@pytest.mark.parametrize(
    ("labels", "expected"),
    [
        (["I-PER", "I-PER", "O", "O", "O", "O", "O", "O"], [(0, 6, "PER")]),
        (["B-PER", "I-ORG", "O", "O", "O", "O", "O", "O"], [(0, 4, "PER"), (5, 6, "ORG")]),
        (["O", "O", "O", "O", "O", "O", "B-X", "B-X"], [(29, 30, "X"), (32, 34, "X")]),
    ],
)
def test_decode_repairs_ill_formed_iob2(labels: list[str], expected: list[tuple[int, int, str]]) -> None:
    assert decode(tokenize(TEXT), labels) == expected


def named(text: str, doc_id: str, names: list[tuple[str, str]], kind: str = "NAM") -> Document:
    mentions = []
    for i, (name, type_) in enumerate(names):
        start = text.index(name)
        mentions.append(Mention(f"m{i}", (Span.of(text, start, start + len(name)),), type_, kind))
    return Document(id=doc_id, text=text, mentions=tuple(mentions))


TRAIN = [
    named(
        "Angela Merkel visited France on Monday. She met Emmanuel Macron in Paris.\nThe United Nations agreed.",
        "t1",
        [
            ("Angela Merkel", "PER"),
            ("France", "GPE"),
            ("Emmanuel Macron", "PER"),
            ("Paris", "GPE"),
            ("United Nations", "ORG"),
        ],
    ),
    named(
        "Joe Biden flew to Germany. Reuters reported that Olaf Scholz met him in Berlin.",
        "t2",
        [
            ("Joe Biden", "PER"),
            ("Germany", "GPE"),
            ("Reuters", "ORG"),
            ("Olaf Scholz", "PER"),
            ("Berlin", "GPE"),
        ],
    ),
]
SMALL = CRFConfig(max_iterations=30, stack_rules=False)


def test_training_is_byte_identical_whatever_the_document_order(tmp_path: Path) -> None:
    first = train(TRAIN, SMALL, root=tmp_path / "a")
    second = train(list(reversed(TRAIN)), SMALL, root=tmp_path / "b")
    assert first.key == second.key
    assert first.path.read_bytes() == second.path.read_bytes()


def test_a_cached_model_is_reused_not_retrained(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    model = train(TRAIN, SMALL, root=tmp_path)
    import newsbench.baselines.crf.training as training

    def refuse(*args: object) -> None:
        raise AssertionError("retrained although the model was cached")

    monkeypatch.setattr(training, "_fit", refuse)
    assert train(TRAIN, SMALL, root=tmp_path) == model


@pytest.mark.parametrize(
    "change",
    [
        lambda docs, cfg: (docs, CRFConfig(max_iterations=31, stack_rules=False)),
        lambda docs, cfg: (docs[:1], cfg),
        lambda docs, cfg: ([named(docs[0].text, "t1", [("Angela Merkel", "ORG")]), docs[1]], cfg),
    ],
    ids=["config", "fewer documents", "different labels"],
)
def test_the_model_key_changes_with_data_and_config(change: object) -> None:
    docs, cfg = change(TRAIN, SMALL)  # type: ignore[operator]
    assert model_key(training_data(docs, cfg), cfg) != model_key(training_data(TRAIN, SMALL), SMALL)


def test_trained_extractor_predicts_valid_named_mentions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSBENCH_CACHE", str(tmp_path))
    extractor = CRFExtractor.trained(TRAIN, max_iterations=30, stack_rules=False)
    assert extractor.config["model"] == model_key(training_data(TRAIN, SMALL), SMALL)
    doc = TRAIN[1].blank()
    pred = extractor.extract(doc)
    assert validate_data(pred.to_json(), "pred") == []
    found = {(m.text, m.type, m.kind) for m in pred.mentions}
    assert ("Joe Biden", "PER", "NAM") in found and ("Berlin", "GPE", "NAM") in found
    rebuilt = CRFExtractor(**extractor.config)  # what a worker process does with the config alone
    assert rebuilt.extract(doc) == pred


@pytest.mark.parametrize(
    ("docs", "reason"),
    [
        ([], "no train split"),
        ([named("Joe Biden spoke.", "x", [("Joe Biden", "PER")], kind="NOM")], "no NAM mentions"),
    ],
)
def test_a_track_without_training_data_makes_crf_unavailable(docs: list[Document], reason: str) -> None:
    availability = CRFExtractor.availability_for(docs)
    assert not availability.available and reason in (availability.reason or "")


def test_untrained_or_uncached_models_are_refused_with_a_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSBENCH_CACHE", str(tmp_path))
    with pytest.raises(NewsbenchError, match="no trained model"):
        CRFExtractor().extract(TRAIN[0].blank())
    with pytest.raises(NewsbenchError, match="not in the model cache"):
        CRFExtractor(model="0" * 64).extract(TRAIN[0].blank())
    with pytest.raises(NewsbenchError, match="no mentions of kind NAM"):
        train([TRAIN[0].blank()], SMALL, root=tmp_path)


def test_stacked_rules_mentions_are_features_and_part_of_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    import newsbench.baselines.crf.training as training

    stacked = CRFConfig(max_iterations=30, stack_rules=True)
    monkeypatch.setattr(training, "rules_spans", lambda doc: [(0, 13, "PER")] if doc.id == "t1" else [])
    sequences = training_data(TRAIN, stacked)
    first = sequences[0][0]
    assert [f["hint"] for f in first[:3]] == ["B-PER", "I-PER", "O"]
    assert first[2]["-1:hint"] == "I-PER"
    key = model_key(sequences, stacked)
    monkeypatch.setattr(training, "rules_spans", lambda doc: [])
    assert model_key(training_data(TRAIN, stacked), stacked) != key


def test_crf_beats_rules_on_the_gum_test_split_and_is_unavailable_without_a_train_split(
    external: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsbench.baselines.rules import RulesExtractor
    from newsbench.eval import score
    from newsbench.eval.bench.suite import TrackSpec
    from newsbench.eval.bench.tracks import Track, gold_view, open_track, prediction_view

    monkeypatch.setenv("NEWSBENCH_CACHE", str(tmp_path))
    types = Path(__file__).resolve().parent.parent / "schema" / "tracks" / "gum-news.json"
    track = open_track(TrackSpec("gum-news", external / "gum-news", "webanno", types, "test", ("entities",)))
    assert isinstance(track, Track)
    f1 = {}
    for system in (CRFExtractor.trained(track.train), RulesExtractor()):
        preds = [system.extract(d.blank()) for d in track.gold]
        report = score(
            gold_view(track.gold, track.types),
            prediction_view(preds, track.types),
            tasks=("entities",),
            bootstrap=0,
        )
        f1[system.name] = report.totals[("entities", "strict")].micro.f1
    assert f1["crf"] > f1["rules"]
    assert not CRFExtractor.availability_for([]).available
