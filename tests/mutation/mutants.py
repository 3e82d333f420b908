"""What a mutant of the mutation check is: one operator swapped, one ``not`` dropped or one number raised by
one, at one site of a module's syntax tree (docstrings left alone)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass

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


def sites(tree: ast.Module) -> Iterator[tuple[ast.AST, str, int]]:
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


def mutate(source: str, index: int) -> tuple[str, Mutant] | None:
    """The source with its ``index``-th site changed, or None past the last site."""
    tree = ast.parse(source)
    docstrings = {
        id(n.body[0].value)
        for n in ast.walk(tree)
        if isinstance(n, ast.Module | ast.FunctionDef | ast.ClassDef | ast.AsyncFunctionDef)
        and n.body
        and isinstance(n.body[0], ast.Expr)
    }
    found = [s for s in sites(tree) if id(s[0]) not in docstrings]
    if index >= len(found):
        return None
    node, what, line = found[index]
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
