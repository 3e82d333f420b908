"""One-to-one optimal matching of gold and predicted items, over character offsets.

Every metric in newsbench pairs gold items with predicted items one-to-one before counting. Greedy pairing
(as in nervaluate) makes the numbers depend on the order annotations are listed in; here the pairing is a
maximum-weight bipartite matching, so it depends only on the items. To stay linear in document length, pairs
are only ever proposed between items that share text (a sort-and-sweep over span extents) or share a key
(a hash join), the candidate graph is split into connected components, and each component is solved on its
own: a single pair directly, a small one with the Hungarian algorithm on its dense matrix, a large one (a
long chain of shifted boundaries) with the sparse Jonker-Volgenant solver, so no step is quadratic in the
length of a document.

Items are :data:`newsbench.spans.Offsets`, with the span arithmetic of :mod:`newsbench.spans`.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence

import numpy as np

from newsbench.spans import Offsets, shared, size

Pair = tuple[int, int]
Weight = tuple[float, float]
"""``(credit, tiebreak)``: the credit is what the metric counts; the tiebreak, in ``[0, 1]``, only orders
pairings of equal credit."""

_CREDIT_SCALE = 1e6
"""Credit outranks the number of pairs and the tiebreak; graded credits closer than 1e-6 per pair may tie."""


Extent = tuple[int, int, int, int]
"""``(start, end, side, index)``: an item's extent, from its first start to its last end, with its side
(0 gold, 1 predicted) and its index there; sorted, these are the events of the sweep."""


def overlapping_pairs(
    gold: Sequence[Offsets], pred: Sequence[Offsets], min_fraction: float = 0.0
) -> list[tuple[int, int, int]]:
    """``(gold index, pred index, shared code points)`` for every pair that shares text.

    A pair qualifies when it shares at least one code point (touching spans ``[5,10)`` and ``[10,15)`` share
    none) and at least ``min_fraction`` of the gold item's code points. Found by sweeping both lists sorted by
    start, so the cost is the sort plus the pairs whose extents overlap, never all pairs. Most documents
    have no two items of one side overlapping (no nested mentions, say): then a merge of the two sorted
    sides in one pass finds the pairs, and only the others need the general sweep. Both give the same
    pairs in the same order.
    """
    events = sweep_events(gold, pred)
    merged = merged_pairs(events, gold, pred, min_fraction)
    return merged if merged is not None else swept_pairs(events, gold, pred, min_fraction)


def sweep_events(gold: Sequence[Offsets], pred: Sequence[Offsets]) -> list[Extent]:
    """Every item's :data:`Extent`, sorted; items without spans share no text and are left out."""
    return sorted(
        [(g[0][0], g[-1][1], 0, i) for i, g in enumerate(gold) if g]
        + [(p[0][0], p[-1][1], 1, j) for j, p in enumerate(pred) if p]
    )


def merged_pairs(
    events: Sequence[Extent], gold: Sequence[Offsets], pred: Sequence[Offsets], min_fraction: float
) -> list[tuple[int, int, int]] | None:
    """:func:`overlapping_pairs` when no two items of one side overlap; ``None`` when some do.

    An item of one side then ends before the next one of that side starts, so when an item starts, of the
    other side's items that started before it only the last one can still reach into it: each item is
    compared with one other at most, where :func:`swept_pairs` keeps a list of those still open.
    """
    last_end = [-1, -1]
    last_index = [-1, -1]
    out: list[tuple[int, int, int]] = []
    for start, end, side, index in events:
        if last_end[side] > start:
            return None
        last_end[side], last_index[side] = end, index
        other_end = last_end[1 - side]
        if other_end <= start:
            continue
        g, p = (index, last_index[1]) if side == 0 else (last_index[0], index)
        a, b = gold[g], pred[p]
        common = min(end, other_end) - start if len(a) == 1 and len(b) == 1 else shared(a, b)
        if common > 0 and (not min_fraction or common >= min_fraction * size(a)):
            out.append((g, p, common))
    return out


def swept_pairs(
    events: Sequence[Extent], gold: Sequence[Offsets], pred: Sequence[Offsets], min_fraction: float
) -> list[tuple[int, int, int]]:
    """:func:`overlapping_pairs` on any items: each item is compared with every item of the other side
    that started before it and has not ended."""
    active: tuple[list[tuple[int, int]], list[tuple[int, int]]] = ([], [])
    out: list[tuple[int, int, int]] = []
    for start, end, side, index in events:
        other = active[1 - side]
        if other:
            other[:] = [(e, k) for e, k in other if e > start]
        for other_end, k in other:
            g, p = (index, k) if side == 0 else (k, index)
            a, b = gold[g], pred[p]
            # One-span items: both have started by now and neither has ended, so they share text up to the
            # first end.
            common = min(end, other_end) - start if len(a) == 1 and len(b) == 1 else shared(a, b)
            if common > 0 and (not min_fraction or common >= min_fraction * size(a)):
                out.append((g, p, common))
        active[side].append((end, index))
    return out


def keyed_pairs(
    gold_keys: Sequence[Iterable[Hashable]], pred_keys: Sequence[Iterable[Hashable]]
) -> set[Pair]:
    """Pairs that share at least one key: a hash join, for matching by identical span or entity."""
    by_key: dict[Hashable, list[int]] = defaultdict(list)
    for g, keys in enumerate(gold_keys):
        for key in set(keys):
            by_key[key].append(g)
    return {(g, p) for p, keys in enumerate(pred_keys) for key in set(keys) for g in by_key.get(key, ())}


def exact_pairs(gold_keys: Iterable[Hashable], pred_keys: Iterable[Hashable]) -> set[Pair]:
    """Pairs whose one key each is equal (an identical span, say): the hash join of :func:`keyed_pairs` for
    items of a single key, with no key set per item and no list per key unless a gold key repeats."""
    first: dict[Hashable, int] = {}
    more: dict[Hashable, list[int]] = {}
    for g, key in enumerate(gold_keys):
        if first.setdefault(key, g) != g:
            more.setdefault(key, []).append(g)
    pairs: set[Pair] = set()
    for p, key in enumerate(pred_keys):
        found = first.get(key)
        if found is not None:
            pairs.add((found, p))
            if more:
                pairs.update((other, p) for other in more.get(key, ()))
    return pairs


def optimal_matching(pairs: Iterable[Pair], weight: Callable[[Pair], Weight]) -> list[Pair]:
    """A one-to-one matching among the candidate ``pairs``: the most total credit, then the most pairs, then
    the most total tiebreak, each pair weighing ``weight(pair)``.

    Only the given pairs can be matched. A pair that shares no item with another is matched whatever it
    weighs, so ``weight`` is asked only about pairs in competition: in most documents, none. The result is
    sorted; for a given candidate set it is deterministic, so callers that list items in a canonical order
    get results independent of input order.
    """
    singles, components = split_components(pairs)
    weights = {pair: weight(pair) for component in components for pair in component}
    return solve_components(singles, components, weights)


def split_components(pairs: Iterable[Pair]) -> tuple[list[Pair], list[list[Pair]]]:
    """The candidate graph's components: those of one pair (nothing to choose: the pair is matched), and
    the others, each as its list of pairs, to be solved.

    Callers that match the same candidates under several weightings (the entity modes) split once and
    solve only the tangled components per weighting.
    """
    listed = list(pairs)
    if len({g for g, _ in listed}) == len(listed) and len({p for _, p in listed}) == len(listed):
        return listed, []  # every pair on its own: the common case
    gold_degree = Counter(g for g, _ in listed)
    pred_degree = Counter(p for _, p in listed)
    singles: list[Pair] = []
    tangled: list[Pair] = []
    for g, p in listed:
        if gold_degree[g] == 1 and pred_degree[p] == 1:
            singles.append((g, p))
        else:
            tangled.append((g, p))
    return singles, _components(tangled)


def solve_components(
    singles: Sequence[Pair], components: Iterable[list[Pair]], weights: Mapping[Pair, Weight]
) -> list[Pair]:
    """The optimal matching of :func:`optimal_matching`, from :func:`split_components`' parts: every single
    pair, and each tangled component's best matching under ``weights``; sorted."""
    matched = list(singles)
    for component in components:
        matched.extend(_solve(component, weights))
    matched.sort()
    return matched


def _components(pairs: Iterable[Pair]) -> list[list[Pair]]:
    """Connected components of the bipartite candidate graph, each as its list of pairs."""
    parent: dict[tuple[int, int], tuple[int, int]] = {}

    def find(x: tuple[int, int]) -> tuple[int, int]:
        root = x
        while parent.setdefault(root, root) != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    ordered = sorted(pairs)
    for g, p in ordered:
        a, b = find((0, g)), find((1, p))
        if a != b:
            parent[b] = a
    groups: dict[tuple[int, int], list[Pair]] = defaultdict(list)
    for g, p in ordered:
        groups[find((0, g))].append((g, p))
    return list(groups.values())


_DENSE_CELLS = 1024
"""Components up to this many gold × predicted cells are solved on a dense matrix, larger ones sparsely."""


def _solve(component: list[Pair], weights: Mapping[Pair, Weight]) -> list[Pair]:
    """The best matching within one component, on local indices: credit first, then pairs, then tiebreak.

    Every candidate pair weighs ``credit · scale + 1 + tiebreak / (n + 1)``, where ``n`` is the most pairs
    a matching of the component can hold: the tiebreaks of a whole matching then add up to less than one
    pair, so one more pair outweighs any tiebreak, and ``scale`` is larger than any total of the pairs and
    tiebreaks, so one more unit of credit outweighs any number of extra pairs.
    """
    rows = sorted({g for g, _ in component})
    cols = sorted({p for _, p in component})
    row_of = {g: i for i, g in enumerate(rows)}
    col_of = {p: j for j, p in enumerate(cols)}
    most = min(len(rows), len(cols))
    scale = _CREDIT_SCALE * (most + 1)
    edges = [
        (row_of[g], col_of[p], credit * scale + 1.0 + tiebreak / (most + 1))
        for (g, p), (credit, tiebreak) in ((pair, weights[pair]) for pair in component)
    ]
    solve = _solve_dense if len(rows) * len(cols) <= _DENSE_CELLS else _solve_sparse
    return [(rows[i], cols[j]) for i, j in solve(len(rows), len(cols), edges)]


def _solve_dense(n_rows: int, n_cols: int, edges: list[tuple[int, int, float]]) -> list[tuple[int, int]]:
    """The Hungarian method on a dense matrix.

    scipy is imported by the two solvers, not by this module: it takes seconds to import, every process
    that imports ``newsbench.eval`` (a run's worker processes too, which start under a timeout) would pay
    for it, and only components with competing pairs ever reach a solver.
    """
    from scipy.optimize import linear_sum_assignment

    matrix = np.zeros((n_rows, n_cols))
    for i, j, weight in edges:
        matrix[i, j] = weight
    chosen_rows, chosen_cols = linear_sum_assignment(matrix, maximize=True)
    return [(int(i), int(j)) for i, j in zip(chosen_rows, chosen_cols, strict=True) if matrix[i, j] > 0]


def _solve_sparse(n_rows: int, n_cols: int, edges: list[tuple[int, int, float]]) -> list[tuple[int, int]]:
    """Sparse LAPJV on the graph with a stand-in for "unmatched" on each side.

    A long chain of overlaps (every predicted mention shifted by a word, say) makes one huge component with
    few edges per node; a dense matrix would take quadratic memory and cubic time. Rows are the gold items
    and one stand-in per predicted item; columns the predicted items and one stand-in per gold item. A gold
    item can take its own stand-in, a predicted item be taken by its own, and the stand-ins of a candidate
    pair can take each other, so a full matching always exists and one of least cost is a best matching.
    Every cost is ``top`` minus the weight won (0 for stand-ins), so all are positive, as the solver needs.
    """
    from scipy.sparse import coo_array
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching

    top = max(weight for _, _, weight in edges) + 1.0
    cells = [(i, j, top - weight) for i, j, weight in edges]
    cells += [(n_rows + j, n_cols + i, top) for i, j, _ in edges]  # the stand-ins of a pair
    cells += [(i, n_cols + i, top) for i in range(n_rows)]  # gold item unmatched
    cells += [(n_rows + j, j, top) for j in range(n_cols)]  # predicted item unmatched
    r, c, v = zip(*cells, strict=True)
    size = n_rows + n_cols
    graph = coo_array((np.array(v), (np.array(r), np.array(c))), shape=(size, size)).tocsr()
    chosen_rows, chosen_cols = min_weight_full_bipartite_matching(graph)
    return [
        (int(i), int(j)) for i, j in zip(chosen_rows, chosen_cols, strict=True) if i < n_rows and j < n_cols
    ]
