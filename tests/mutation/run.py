"""A small mutation check of the core scorers: change one operator or constant of ``eval/metrics/`` at a
time, run the tests that cover the module, and list the mutants no test notices (the survivors).

mutmut and cosmic-ray copy or import the package by its folder name; ``eval/`` is installed as
``newsbench.eval`` (a package-dir mapping), so this script mutates the source file in place (the editable
install reads it from there), restores it byte for byte afterwards, even on Ctrl-C, and writes the survivors
to ``mutation-results.json``. Usage (what ``nox -s mutate`` runs)::

    python tests/mutation/run.py [--modules match counts …] [--out mutation-results.json]
"""

from __future__ import annotations

import argparse
import ast
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
METRICS = ROOT / "eval" / "metrics"
TESTS = {
    "match": ["tests/test_match.py", "tests/test_entity_metrics.py", "tests/test_metric_properties.py"],
    "counts": ["tests/test_counts.py", "tests/test_entity_metrics.py", "tests/test_aggregate.py"],
    "tally": ["tests/test_counts.py", "tests/test_entity_metrics.py", "tests/test_event_metrics.py"],
    "entities": ["tests/test_entity_metrics.py", "tests/test_metric_properties.py"],
    "events": ["tests/test_event_metrics.py"],
    "quotes": ["tests/test_quote_metrics.py"],
    "scope": ["tests/test_entity_metrics.py", "tests/test_quote_metrics.py"],
    "aggregate": ["tests/test_aggregate.py", "tests/test_counts.py"],
}
"""The tests that speak for each module (the whole suite would take minutes per mutant)."""

SWAPS: dict[type[ast.AST], type[ast.AST]] = {
    ast.Lt: ast.LtE,
    ast.LtE: ast.Lt,
    ast.Gt: ast.GtE,
    ast.GtE: ast.Gt,
    ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq,
    ast.Add: ast.Sub,
    ast.Sub: ast.Add,
    ast.Mult: ast.Div,
    ast.Div: ast.Mult,
    ast.And: ast.Or,
    ast.Or: ast.And,
    ast.In: ast.NotIn,
    ast.NotIn: ast.In,
    ast.Is: ast.IsNot,
    ast.IsNot: ast.Is,
}


@dataclass(frozen=True)
class Mutant:
    line: int
    what: str


def _sites(tree: ast.Module) -> Iterator[tuple[ast.AST, str, int]]:
    """Every mutable node (operator nodes, numeric constants, ``not``) with a description and line."""
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Compare):
            for k, op in enumerate(node.ops):
                if type(op) in SWAPS:
                    yield node, f"compare:{k}:{type(op).__name__}", line
        elif isinstance(node, ast.BinOp) and type(node.op) in SWAPS:
            yield node, f"binop:{type(node.op).__name__}", line
        elif isinstance(node, ast.AugAssign) and type(node.op) in SWAPS:
            yield node, f"augassign:{type(node.op).__name__}", line
        elif isinstance(node, ast.BoolOp) and type(node.op) in SWAPS:
            yield node, f"boolop:{type(node.op).__name__}", line
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            yield node, "not:drop", line
        elif (
            isinstance(node, ast.Constant)
            and type(node.value) in (int, float)
            and not isinstance(node.value, bool)
        ):
            yield node, f"constant:{node.value!r}", line


def _mutate(source: str, index: int) -> tuple[str, Mutant] | None:
    """The source with its ``index``-th site changed, or None past the last site."""
    tree = ast.parse(source)
    docstrings = {
        id(n.body[0].value)
        for n in ast.walk(tree)
        if isinstance(n, ast.Module | ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef)
        and n.body
        and isinstance(n.body[0], ast.Expr)
    }
    sites = [s for s in _sites(tree) if id(s[0]) not in docstrings]
    if index >= len(sites):
        return None
    node, what, line = sites[index]
    if isinstance(node, ast.Compare):
        k = int(what.split(":")[1])
        node.ops[k] = SWAPS[type(node.ops[k])]()  # type: ignore[call-overload]
    elif isinstance(node, ast.BinOp | ast.AugAssign | ast.BoolOp):
        node.op = SWAPS[type(node.op)]()  # type: ignore[assignment]
    elif isinstance(node, ast.UnaryOp):
        node.op = ast.UAdd()  # +x of a bool is an int with the same truth: the negation is gone
    elif isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        node.value = node.value + 1
    return ast.unparse(tree), Mutant(line, what)


def _killed(tests: list[str]) -> bool:
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", *tests],
        cwd=ROOT,
        capture_output=True,
        timeout=600,
    )
    return result.returncode != 0


def run_module(name: str) -> dict[str, object]:
    path = METRICS / f"{name}.py"
    original = path.read_bytes()
    baseline = ast.unparse(ast.parse(original.decode("utf-8")))
    survivors: list[dict[str, object]] = []
    total = 0
    started = time.monotonic()
    try:
        path.write_text(baseline, encoding="utf-8")
        if _killed(TESTS[name]):
            raise SystemExit(f"{name}: the tests fail on the unmutated (re-printed) source")
        index = 0
        while (found := _mutate(original.decode("utf-8"), index)) is not None:
            mutated, mutant = found
            index += 1
            if mutated == baseline:
                continue
            total += 1
            path.write_text(mutated, encoding="utf-8")
            if not _killed(TESTS[name]):
                survivors.append({"line": mutant.line, "mutation": mutant.what})
                print(f"  survived: {name}.py:{mutant.line} {mutant.what}", flush=True)
    finally:
        path.write_bytes(original)
    seconds = round(time.monotonic() - started, 1)
    print(f"{name}: {total} mutants, {total - len(survivors)} killed, {len(survivors)} survived ({seconds}s)")
    return {"mutants": total, "killed": total - len(survivors), "survivors": survivors, "seconds": seconds}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--modules", nargs="+", default=["match", "counts"], choices=sorted(TESTS))
    parser.add_argument("--out", type=Path, default=ROOT / "mutation-results.json")
    args = parser.parse_args()
    results = {name: run_module(name) for name in args.modules}
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
