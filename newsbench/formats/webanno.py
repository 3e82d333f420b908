"""WebAnno TSV 3.x import (the export format of WebAnno and INCEpTION): entity mentions and coreference.

The header declares layers: ``#T_SP=layer|feature…`` (spans), ``#T_RL=layer|feature…|BT_base`` (relations
between spans of ``base``) and ``#T_CH=layer|referenceType|referenceRelation`` (chains); after the three
fixed columns (``sent-tok``, ``begin-end``, token) come one column per feature in header order. A cell holds
``_`` (nothing), or ``|``-stacked values ``label[n]`` where ``[n]`` ties the tokens of one multi-token
annotation together (``*`` is an annotation without a label). A relation sits on its target's row and names
its source as ``sent-tok[source_target]`` (0 for an annotation of one token without an id); a chain link is
``label->chain-link``. Offsets count UTF-16 code units over the document text and are converted here.

Which layer and feature hold the entity type, which relations or chains mean coreference, and how source
types map to newsbench's come from a type map (``schema/typemaps/gum.json`` by default). With a CoNLL-U folder
beside the TSV (GUM ships one), the document text is the CoNLL-U sentence text (``# text =``; one sentence a
line, a blank line before a new paragraph), the mention kind comes from the head word's part of speech, and
the title, URL and date come from its ``# meta::`` comments. Without it the text is rebuilt from the
``#Text=`` lines at their offsets, and kinds take the map's ``default_kind``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsbench.formats.builder import Layers, Losses, assemble, document_id, import_each, source_spans
from newsbench.formats.conllu import ConlluDocument, head_word, read_conllu
from newsbench.formats.contract import ImportOptions
from newsbench.formats.offsets import OffsetError, Utf16Map, align_tokens, runs, utf16_length
from newsbench.formats.output import read_text_file, source_files
from newsbench.formats.webanno_tsv import LINK, TARGET, Layer, Tsv, cell_values, parse_tsv
from newsbench.model import Document, Entity, KBLink, Mention
from newsbench.ontology import ontology
from newsbench.problems import NewsbenchError, Problem
from newsbench.spans import Span
from newsbench.typemap import load_type_map

DEFAULT_MAP = "gum"


# --- text and offsets ---------------------------------------------------------------------------------


def _text_from_tsv(tsv: Tsv) -> tuple[str, list[tuple[int, int]]]:
    """The document text rebuilt from ``#Text=`` lines placed at their UTF-16 offsets (gaps become newlines)."""
    parts: list[str] = []
    pos = 0
    firsts: dict[int, int] = {}
    for tok in tsv.tokens:
        firsts.setdefault(tok.sentence, tok.units[0])
    for s, lines in enumerate(tsv.sentences):
        start = firsts.get(s, pos)
        if start > pos:
            parts.append("\n" * (start - pos))
            pos = start
        sentence = "\n".join(lines)
        parts.append(sentence)
        pos += utf16_length(sentence)
    text = "".join(parts)
    umap = Utf16Map.of(text)
    offsets = [(umap.to_code_points(t.units[0]), umap.to_code_points(t.units[1])) for t in tsv.tokens]
    return text, offsets


def _text_from_conllu(tsv: Tsv, conllu: ConlluDocument) -> tuple[str, list[tuple[int, int]]]:
    """The CoNLL-U sentence texts, one a line, with the TSV tokens aligned to them in order."""
    if len(conllu.sentences) != len(tsv.sentences):
        raise OffsetError(
            f"the TSV has {len(tsv.sentences)} sentences, the CoNLL-U file {len(conllu.sentences)}"
        )
    parts = []
    for i, sentence in enumerate(conllu.sentences):
        if i:
            parts.append("\n\n" if sentence.new_paragraph else "\n")
        parts.append(sentence.text or " ".join(w.form for w in sentence.words))
    text = "".join(parts)
    return text, align_tokens(text, [t.text for t in tsv.tokens])


# --- annotations --------------------------------------------------------------------------------------


def _layer(tsv: Tsv, kind: str, name: str | None) -> Layer | None:
    return next((layer for layer in tsv.layers if layer.kind == kind and layer.name == name), None)


@dataclass
class _Span:
    label: str | None
    tokens: list[int] = field(default_factory=list)
    identity: str | None = None


def _span_annotations(tsv: Tsv, layer: Layer, tmap: dict[str, Any]) -> dict[tuple[str, ...], _Span]:
    """Annotations of a span layer keyed by id (``("7",)``) or, without one, by ``(address, stack position)``."""
    type_col = layer.column + layer.features.index(tmap["type_feature"])
    ident = tmap.get("identity_feature")
    ident_col = layer.column + layer.features.index(ident) if ident in layer.features else None
    spans: dict[tuple[str, ...], _Span] = {}
    for tok in tsv.tokens:
        identities = dict(
            ((aid or str(k)), label)
            for k, (label, aid) in enumerate(cell_values(tok.cells[ident_col]) if ident_col else [])
        )
        for k, (label, aid) in enumerate(cell_values(tok.cells[type_col])):
            key = (aid,) if aid else (tok.address, str(k))
            span = spans.setdefault(key, _Span(None if label == "*" else label))
            span.tokens.append(tok.index)
            found = identities.get(aid or str(k))
            if found and found != "*":
                span.identity = found
    return spans


def _coreference_pairs(
    tsv: Tsv, tmap: dict[str, Any], spans: dict[tuple[str, ...], _Span], file: str, doc_id: str
) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """Pairs of span keys joined by a coreference relation of the map's relation layer.

    A coreference target that is not ``ADDRESS`` or ``ADDRESS[SRC_TGT]`` is an error naming the token:
    skipping it would quietly split a chain. Relations of other types are not read at all. A target on a
    sub-token (``3-4.1``) is read like any other; without annotation ids it names no span (sub-token rows
    are dropped, and counted, on import), so the link is skipped."""
    layer = _layer(tsv, "RL", tmap.get("relation_layer"))
    if layer is None:
        return []
    type_col = layer.column + layer.features.index(tmap["relation_type_feature"])
    target_col = layer.column + len(layer.features) - 1
    wanted = tmap.get("coreference_relations")
    pairs: list[tuple[tuple[str, ...], tuple[str, ...]]] = []
    for tok in tsv.tokens:
        types = cell_values(tok.cells[type_col])
        for k, (raw, _) in enumerate(cell_values(tok.cells[target_col])):
            rtype = types[k][0] if k < len(types) else None
            if wanted is not None and rtype not in wanted:
                continue
            m = TARGET.match(raw)
            if m is None:
                message = f"relation target {raw!r} is not a token address like 3-4 or 3-4[12_0]"
                raise NewsbenchError([Problem(file, doc_id, f"token {tok.address}", message)])
            src = (m.group("src"),) if m.group("src") not in (None, "0") else (m.group("addr"), "0")
            tgt = (m.group("tgt"),) if m.group("tgt") not in (None, "0") else (tok.address, "0")
            if src in spans and tgt in spans:
                pairs.append((src, tgt))
    return pairs


def _chains(tsv: Tsv, tmap: dict[str, Any]) -> dict[str, list[list[int]]]:
    """Token lists of each chain's links, by chain number, from the map's chain layer."""
    layer = _layer(tsv, "CH", tmap.get("chain_layer"))
    if layer is None:
        return {}
    links: dict[tuple[str, str], list[int]] = {}
    column = layer.column + (
        layer.features.index("referenceType") if "referenceType" in layer.features else 0
    )
    for tok in tsv.tokens:
        for label, _ in cell_values(tok.cells[column]):
            m = LINK.match(label)
            if m:
                links.setdefault((m.group("chain"), m.group("link")), []).append(tok.index)
    chains: dict[str, list[list[int]]] = {}
    for (chain, _), toks in sorted(links.items(), key=lambda kv: (int(kv[0][0]), int(kv[0][1]))):
        chains.setdefault(chain, []).append(toks)
    return chains


class _Clusters:
    """Union-find over span keys."""

    def __init__(self) -> None:
        self.parent: dict[tuple[str, ...], tuple[str, ...]] = {}

    def find(self, key: tuple[str, ...]) -> tuple[str, ...]:
        self.parent.setdefault(key, key)
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def union(self, a: tuple[str, ...], b: tuple[str, ...]) -> None:
        self.parent[self.find(a)] = self.find(b)


def build_document(
    doc_id: str, tsv: Tsv, tmap: dict[str, Any], conllu: ConlluDocument | None, file: str, losses: Losses
) -> Document:
    try:
        text, offsets = _text_from_conllu(tsv, conllu) if conllu else _text_from_tsv(tsv)
    except OffsetError as exc:
        raise NewsbenchError([Problem(file, doc_id, "$.text", str(exc))]) from None
    for tok, (start, end) in zip(tsv.tokens, offsets, strict=True):
        try:
            source_spans(text, [(start, end)], tok.text)
        except OffsetError as exc:
            raise NewsbenchError([Problem(file, doc_id, tok.address, f"token: {exc}")]) from None
    layer = _layer(tsv, "SP", tmap["span_layer"])
    if layer is None or tmap["type_feature"] not in layer.features:
        raise NewsbenchError(
            [
                Problem(
                    file,
                    doc_id,
                    "header",
                    f"no span layer {tmap['span_layer']} with feature {tmap['type_feature']}",
                )
            ]
        )
    spans = _span_annotations(tsv, layer, tmap)
    words = _conllu_words(tsv, conllu, file, doc_id)
    if tsv.subtokens:
        losses.drop("sub-token rows", tsv.subtokens)
    mentions: dict[tuple[str, ...], Mention] = {}
    order = sorted(spans.items(), key=lambda kv: (min(kv[1].tokens), -max(kv[1].tokens)))
    for key, span in order:
        label = span.label or "*"
        etype = tmap["types"].get(label)
        if etype is None:
            declared = label in tmap["types"]
            description = f"mentions typed {span.label or '(none)'}"
            losses.unknown_label(description, "entity type", span.label or "(none)", declared=declared)
            continue
        kind = tmap["default_kind"]
        if words is not None:
            toks = sorted(set(span.tokens))
            sent = tsv.tokens[toks[0]].sentence
            local = [
                tsv.tokens[t].index - _sentence_start(tsv, sent)
                for t in toks
                if tsv.tokens[t].sentence == sent
            ]
            head = head_word(words[sent], local)
            kind = tmap["kind_from_pos"].get(words[sent][head].upos, tmap["default_kind"])
        ranges = runs(offsets, span.tokens)
        mentions[key] = Mention(
            f"m{len(mentions) + 1}", tuple(Span.of(text, a, b) for a, b in ranges), etype, kind
        )

    clusters = _Clusters()
    for a, b in _coreference_pairs(tsv, tmap, spans, file, doc_id):
        clusters.union(a, b)
    by_tokens = {tuple(sorted(set(s.tokens))): key for key, s in spans.items() if key in mentions}
    for links in _chains(tsv, tmap).values():
        keys = [by_tokens.get(tuple(sorted(set(toks)))) for toks in links]
        losses.drop("chain links that match no mention", sum(k is None for k in keys))
        found = [k for k in keys if k is not None]
        for k in found[1:]:
            clusters.union(found[0], k)
    entities = _entities(mentions, spans, clusters, tmap, losses)
    return assemble(
        doc_id,
        text,
        losses,
        Layers(tuple(mentions.values()), entities),
        fields=_conllu_fields(conllu) | {"license": tmap.get("license")},
        meta={"import": {"format": "webanno", "source": Path(file).name}},
    )


def _sentence_start(tsv: Tsv, sentence: int) -> int:
    return next(t.index for t in tsv.tokens if t.sentence == sentence)


def _conllu_words(tsv: Tsv, conllu: ConlluDocument | None, file: str, doc_id: str) -> list[list[Any]] | None:
    """CoNLL-U words per sentence, checked word by word against the TSV tokens."""
    if conllu is None:
        return None
    out = [s.words for s in conllu.sentences]
    for tok in tsv.tokens:
        sent_words = out[tok.sentence]
        local = tok.index - _sentence_start(tsv, tok.sentence)
        if local >= len(sent_words) or sent_words[local].form != tok.text:
            raise NewsbenchError(
                [Problem(file, doc_id, tok.address, f"token {tok.text!r} differs from the CoNLL-U word")]
            )
    return out


def _entities(
    mentions: dict[tuple[str, ...], Mention],
    spans: dict[tuple[str, ...], _Span],
    clusters: _Clusters,
    tmap: dict[str, Any],
    losses: Losses,
) -> list[Entity]:
    """One entity per cluster and type (singletons included: GUM annotates every referent)."""
    groups: dict[tuple[tuple[str, ...], str], list[tuple[str, ...]]] = {}
    for key, mention in mentions.items():
        groups.setdefault((clusters.find(key), mention.type), []).append(key)
    roots_with_types: Counter[tuple[str, ...]] = Counter(root for root, _ in groups)
    losses.drop(
        "clusters split because their mentions have different types",
        sum(n - 1 for n in roots_with_types.values()),
    )
    entities: list[Entity] = []
    for (_, etype), keys in groups.items():
        identities = [i for i in dict.fromkeys(spans[k].identity for k in keys) if i]
        links = tuple(KBLink(tmap.get("identity_db", "KB"), i) for i in identities)
        name = identities[0].replace("_", " ") if identities and tmap.get("identity_is_title") else None
        entities.append(
            Entity(f"e{len(entities) + 1}", etype, tuple(mentions[k].id for k in keys), name, links)
        )
    return entities


def _conllu_fields(conllu: ConlluDocument | None) -> dict[str, Any]:
    if conllu is None:
        return {}
    meta = conllu.meta
    date = meta.get("dateCreated")
    return {
        "title": meta.get("title"),
        "url": meta.get("sourceURL"),
        "source": meta.get("author"),
        "published": date if date and re.fullmatch(r"\d{4}-\d{2}-\d{2}", date) else None,
    }


def read_splits(path: Path) -> dict[str, str]:
    """Document name -> split from a GUM ``splits.md`` (``## dev`` headings over ``* GUM_…`` items)."""
    splits: dict[str, str] = {}
    current = None
    for line in read_text_file(path).splitlines():
        stripped = line.strip()
        if stripped.startswith("## "):
            current = stripped[3:].strip()
        elif stripped.startswith("* ") and current:
            splits[stripped[2:].strip()] = current
    return splits


def import_files(paths: Sequence[Path], options: ImportOptions) -> list[Document]:
    tmap = load_type_map(options.type_map or DEFAULT_MAP, ontology().entity_types)
    splits = read_splits(options.splits) if options.splits else {}

    def read(path: Path, losses: Losses) -> Document:
        conllu = None
        if options.conllu is not None:
            conllu_path = options.conllu / f"{path.stem}.conllu"
            if not conllu_path.exists():
                raise NewsbenchError(
                    [Problem(str(path), None, "$", f"no CoNLL-U file {conllu_path} beside it")]
                )
            conllu = read_conllu(conllu_path)
        tsv = parse_tsv(read_text_file(path), str(path))
        doc = build_document(document_id(path.stem), tsv, tmap, conllu, str(path), losses)
        if path.stem in splits:
            doc.meta["split"] = splits[path.stem]
        return doc

    return import_each(paths, options, source_files(paths, "*.tsv"), read)
