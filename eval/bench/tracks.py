"""External benchmark tracks: corpora that are not bundled, imported when the benchmark runs, scored in
their own type space.

A track's type file (``schema/tracks/gum-news.json``, ``schema/tracks/meantime.json``) says how to import the corpus
(format, files and helper files relative to the track folder, the importer's type map) and how to score it:
``entities`` and ``events`` map newsbench types onto the track's types, and are applied to gold and
predictions alike, so nothing is scored in a type the source never annotated. A newsbench type mapped to
null is not scored on the track (its predictions are dropped, not counted as spurious); ``"*"`` maps every
type not listed; ``left_out`` names the source's types that have no counterpart, for the report. An event
retyped to a type that is not an ACE type loses its arguments (roles belong to ACE types). With
``"untyped_events": true`` the gold side also gets the event mentions its importer could not type (kept in
``meta.untyped_events``), so every source event is scored as an untyped trigger; predictions never take
anything from ``meta``.

A track whose folder is missing is *skipped*, with the reason, never scored as zero.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any

from newsbench.corpus import SPLITS
from newsbench.digest import sha256_text
from newsbench.eval.bench.suite import CorpusSpec, Suite, TrackSpec, narrowed, native_corpus
from newsbench.jsonio import read_json
from newsbench.model import Document, Entity, Event, Mention
from newsbench.ontology import ontology
from newsbench.problems import NewsbenchError, Problem
from newsbench.typemap import types
from newsbench.validate import file_problems

WILDCARD = "*"


@dataclass(frozen=True)
class TrackTypes:
    """How a track is imported and into which type space it is scored (see the module docstring)."""

    track: str
    description: str
    import_options: dict[str, str]
    entities: dict[str, str | None]
    events: dict[str, str | None]
    left_out: dict[str, str]
    file: Path
    untyped_events: bool = False
    split: str | None = None
    """The split a track added from the command line is scored on (None: every document)."""

    def entity_type(self, ours: str) -> str | None:
        return _lookup(self.entities, ours)

    def event_type(self, ours: str) -> str | None:
        return _lookup(self.events, ours)

    def view(self, doc: Document) -> Document:
        """One document (gold or prediction) in the track's type space (a
        :class:`newsbench.eval.streaming.TypeView`: plain data, so scoring processes can be given it)."""
        if self.untyped_events:
            doc = replace(doc, events=doc.events + tuple(untyped_events(doc)))
        return map_document(doc, self)

    def notes(self) -> list[str]:
        """What the report says about this track's type space."""
        out = [f"scored in {self.track}'s own types: " + _describe(self.entities, "entity")]
        if self.events:
            out.append(_describe(self.events, "event"))
        out.extend(
            f"{self.track} type {name!r} is left out of scoring: {why}" for name, why in self.left_out.items()
        )
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "track": self.track,
            "entities": self.entities,
            "events": self.events,
            "left_out": self.left_out,
        }


def _lookup(table: dict[str, str | None], ours: str) -> str | None:
    return table[ours] if ours in table else table.get(WILDCARD)


def _describe(table: dict[str, str | None], layer: str) -> str:
    mapped = ", ".join(f"{'any' if k == WILDCARD else k} -> {v}" for k, v in table.items() if v is not None)
    dropped = sorted(k for k, v in table.items() if v is None)
    text = f"{layer} types {mapped}"
    return text + (f"; not scored: {', '.join(dropped)}" if dropped else "")


def load_track_types(file: Path) -> TrackTypes:
    """Read a track type file and check it against ``schema/track.schema.json``; every problem is reported
    with its JSON path."""
    data = read_json(file)
    NewsbenchError.collect(file_problems(data, "track.schema.json", file))
    options = data["import"]
    track = data["track"]
    entities, events = types(data, "entities"), types(data, "events")
    split = data.get("split")
    untyped = data.get("untyped_events", False)
    left_out = data.get("left_out", {})
    return TrackTypes(
        str(track),
        str(data.get("description", "")),
        {str(k): str(v) for k, v in options.items()},
        entities,
        events,
        dict(left_out),
        file,
        untyped is True,
        split if isinstance(split, str) else None,
    )


def map_document(doc: Document, types: TrackTypes) -> Document:
    """``doc`` in the track's type space: mentions and events retyped, those with no counterpart removed
    together with every reference to them (cluster members, event arguments, quote speakers)."""
    mentions: list[Mention] = []
    for m in doc.mentions:
        mapped = types.entity_type(m.type)
        if mapped is not None:
            mentions.append(replace(m, type=mapped))
    kept = {m.id for m in mentions}
    entities: list[Entity] = []
    for e in doc.entities:
        members = tuple(mid for mid in e.mentions if mid in kept)
        mapped = types.entity_type(e.type)
        if members and mapped is not None:
            entities.append(replace(e, type=mapped, mentions=members))
    ace = set(ontology().event_types)
    events: list[Event] = []
    for ev in doc.events:
        mapped = types.event_type(ev.type)
        if mapped is not None:
            arguments = tuple(a for a in ev.arguments if a.mention in kept) if mapped in ace else ()
            events.append(replace(ev, type=mapped, arguments=arguments))
    kept_events = {ev.id for ev in events}
    clusters = tuple(
        replace(c, events=members)
        for c in doc.event_coreference
        if (members := tuple(e for e in c.events if e in kept_events))
    )
    quotes = tuple(
        q if q.speaker is None or q.speaker in kept else replace(q, speaker=None) for q in doc.quotes
    )
    return replace(
        doc,
        mentions=tuple(mentions),
        entities=tuple(entities),
        events=tuple(events),
        event_coreference=clusters,
        quotes=quotes,
    )


def untyped_events(doc: Document) -> list[Event]:
    """The event mentions an importer kept untyped in ``meta.untyped_events``, as events of type ``""`` (a
    discontinuous trigger by its first span, the part that carries the predicate)."""
    out: list[Event] = []
    for n, item in enumerate(doc.meta.get("untyped_events", [])):
        first = item["trigger"][0]
        out.append(
            Event(str(item.get("id", f"untyped{n}")), "", doc.span(int(first["start"]), int(first["end"])))
        )
    return out


def gold_view(docs: Sequence[Document], types: TrackTypes) -> list[Document]:
    """Gold documents in the track's type space, with the source's untyped events when the track says so."""
    return [types.view(doc) for doc in docs]


def prediction_view(docs: Sequence[Document], types: TrackTypes) -> list[Document]:
    """Predictions in the track's type space, treated exactly like the gold.

    Systems are given ``doc.blank()``, which has no ``meta``, so only a prediction that copies the gold
    (the oracle) carries ``meta.untyped_events``; reading them on both sides keeps the oracle at 1.0.
    """
    return [types.view(doc) for doc in docs]


@dataclass(frozen=True)
class Track:
    """An imported track: its gold documents (in newsbench types, as imported) with their splits."""

    spec: TrackSpec
    types: TrackTypes
    documents: tuple[Document, ...]
    splits: dict[str, str]

    def split(self, name: str | None) -> list[Document]:
        """Documents of one split (all of them for None), sorted by id."""
        docs = sorted(self.documents, key=lambda d: d.id)
        return [d for d in docs if name is None or self.splits.get(d.id) == name]

    @property
    def gold(self) -> list[Document]:
        """The documents scored: the spec's split, or all of them when it names none."""
        return self.split(self.spec.split)

    @property
    def train(self) -> list[Document]:
        """Training documents for learned systems: the train split, unless that is the split scored."""
        return [] if self.spec.split in (None, "train") else self.split("train")

    def notes(self) -> list[str]:
        """What the report says about the track: its type space, what is left out, what the import dropped."""
        dropped = dropped_counts(self.gold)
        out = self.types.notes()
        if dropped:
            listed = ", ".join(f"{what} ({n})" for what, n in dropped.items())  # "mentions typed x (1)"
            out.append(f"the import left out of the {len(self.gold)} scored documents: {listed}")
        untyped = sum(len(untyped_events(d)) for d in self.gold) if self.types.untyped_events else 0
        if untyped:
            typed = sum(len(d.events) for d in self.gold)
            out.append(
                f"{typed} of {typed + untyped} source events have an ACE type; the other {untyped} are scored "
                "as untyped triggers, which no system given only the text is told about"
            )
        return out


def dropped_counts(docs: Sequence[Document]) -> dict[str, int]:
    """What the importer dropped (``meta.import.dropped``), summed over ``docs``, by description."""
    total: Counter[str] = Counter()
    for doc in docs:
        imported = doc.meta.get("import")
        dropped = imported.get("dropped", {}) if isinstance(imported, dict) else {}
        total.update({str(k): int(v) for k, v in dropped.items()})
    return dict(sorted(total.items()))


@dataclass(frozen=True)
class SkippedTrack:
    """A track that cannot be run here: listed with the reason, never scored."""

    spec: TrackSpec
    reason: str


def skip_reason(spec: TrackSpec) -> str | None:
    """Why a track cannot be run here, or None when its folder and type file are present."""
    if not spec.path.exists():
        return f"track data not found at {spec.path}"
    if spec.types is None:
        return "the track names no type file (types = ...)"
    if not spec.types.is_file():
        return f"the type file {spec.types} is missing"
    return None


def open_track(spec: TrackSpec) -> Track | SkippedTrack:
    """Import a track's documents, or say why it is skipped. Bad data in a present track is an error."""
    reason = skip_reason(spec)
    if reason is not None:
        return SkippedTrack(spec, reason)
    assert spec.types is not None
    types = load_track_types(spec.types)
    if types.import_options.get("format") != spec.importer:
        raise NewsbenchError(
            [
                Problem(
                    str(spec.types),
                    None,
                    "$.import.format",
                    f"the suite imports {spec.name} as {spec.importer!r}",
                )
            ]
        )
    documents = _import(spec.path, types)
    splits = {d.id: str(d.meta["split"]) for d in documents if d.meta.get("split") in SPLITS}
    return Track(spec, types, tuple(documents), splits)


def _import(root: Path, types: TrackTypes) -> list[Document]:
    """The track's documents through the importer its type file names (helper files relative to ``root``)."""
    from newsbench.formats.contract import ImportOptions
    from newsbench.formats.registry import importer

    opts = types.import_options
    options = ImportOptions(
        type_map=opts.get("type_map"),
        conllu=root / opts["conllu"] if "conllu" in opts else None,
        splits=root / opts["splits"] if "splits" in opts else None,
    )
    return importer(opts["format"])([root / opts.get("files", ".")], options)


TRACKS_DIR = "tracks"
"""Type files of tracks are ``tracks/<NAME>.json``: the shipped ones under ``schema/``, a user's beside the
suite file."""


def shipped_types_dir() -> Path:
    """Where the shipped track type files live (``schema/tracks/``, installed as ``newsbench.schema``)."""
    return Path(str(resources.files("newsbench.schema"))) / TRACKS_DIR


def parse_track_option(text: str, suite: Suite) -> TrackSpec | CorpusSpec:
    """A track from ``--track NAME=PATH``.

    A NAME the suite already has keeps its importer, type file, split and tasks, and is read from PATH
    instead. A new NAME with a type file ``tracks/<NAME>.json`` beside the suite file, or a shipped one
    (``schema/tracks/``: ``gum-news``, ``meantime``), takes its importer and split from it, and the tasks are
    entities, plus events when the file maps event types. Any other NAME whose PATH holds newsbench documents
    (a corpus folder or a folder of document files) is a corpus scored in newsbench's own types on every task
    (:func:`~newsbench.eval.bench.suite.native_corpus`): no type file is needed.
    """
    name, sep, raw_path = text.partition("=")
    if not sep or not name or not raw_path:
        raise NewsbenchError(f"--track takes NAME=PATH, not {text!r}")
    path = Path(raw_path).expanduser().resolve()
    for track in suite.tracks:
        if track.name == name:
            return replace(track, path=path)
    folders = [suite.file.parent / TRACKS_DIR, shipped_types_dir()]
    found = [f / f"{name}.json" for f in folders if (f / f"{name}.json").is_file()]
    if not found:
        native = native_corpus(name, path)
        if native is not None:
            return native
        known = {t.name for t in suite.tracks}
        known.update(p.stem for f in folders for p in f.glob("*.json"))
        raise NewsbenchError(
            f"--track {name}={raw_path}: not a folder of newsbench documents, the suite has no track {name} and "
            f"there is no {TRACKS_DIR}/{name}.json beside it or shipped; known tracks: {', '.join(sorted(known))}"
        )
    types = load_track_types(found[0])
    tasks = ("entities", "events") if types.events else ("entities",)
    return TrackSpec(name, path, types.import_options["format"], found[0], types.split, tasks)


def _definition(spec: TrackSpec) -> dict[str, Any]:
    """What a track scores, independent of where its data lies on this machine."""
    types = (
        hashlib.sha256(spec.types.read_bytes()).hexdigest() if spec.types and spec.types.is_file() else None
    )
    return {
        "name": spec.name,
        "importer": spec.importer,
        "types_sha256": types,
        "split": spec.split,
        "tasks": list(spec.tasks),
    }


def with_tracks(suite: Suite, given: Sequence[TrackSpec | CorpusSpec]) -> Suite:
    """The suite with command-line tracks: one named like a suite track replaces it, a new one is appended
    (a folder of newsbench documents as a corpus section).

    Each is narrowed to the ``--tasks`` given (:func:`~newsbench.eval.bench.suite.narrowed`), whether the
    options were applied before or after, so a track added here is scored exactly as the suite's sections.
    Pointing a suite track at another folder is the same benchmark (the gold data's own hash is recorded with
    each section), so the suite hash stays; adding or redefining a track changes what is run, so the hash
    becomes the hash of the old one and the new definitions.
    """
    for spec in given:
        if not narrowed(suite, spec.tasks):
            raise NewsbenchError(f"--track {spec.name}: it scores none of the tasks given with --tasks")
    given = [replace(spec, tasks=narrowed(suite, spec.tasks)) for spec in given]
    extra = [s for s in given if isinstance(s, TrackSpec)]
    corpora = tuple(s for s in given if isinstance(s, CorpusSpec))
    clash = sorted({c.name for c in corpora} & {c.name for c in suite.corpora})
    if clash:
        raise NewsbenchError(f"--track {clash[0]}: the suite already has a corpus of that name")
    if corpora:
        blob = json.dumps([suite.hash, [[c.name, c.split, list(c.tasks)] for c in corpora]], sort_keys=True)
        suite = replace(suite, corpora=suite.corpora + corpora, hash=sha256_text(blob))
    tracks = {t.name: t for t in suite.tracks}
    changed = [s for s in extra if s.name not in tracks or _definition(tracks[s.name]) != _definition(s)]
    for spec in extra:
        tracks[spec.name] = spec
    if not changed:
        return replace(suite, tracks=tuple(tracks.values()))
    blob = json.dumps([suite.hash, [_definition(s) for s in changed]], sort_keys=True, separators=(",", ":"))
    return replace(suite, tracks=tuple(tracks.values()), hash=sha256_text(blob))
