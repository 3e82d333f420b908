"""Shared pieces of the fuzz tests: the budget, generated JSON values and mutations, and running a verb.

The default test run keeps a small fixed budget (``FUZZ_EXAMPLES``, derandomised, so CI sees the same cases
every time); ``nox -s fuzz`` sets ``NEWSBENCH_FUZZ_EXAMPLES`` for a long, randomised one.
"""

from __future__ import annotations

import contextlib
import copy
import io
import os
from dataclasses import dataclass
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from newsbench.cli import main

FUZZ_EXAMPLES = int(os.environ.get("NEWSBENCH_FUZZ_EXAMPLES", "30"))
FUZZ = settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    derandomize=FUZZ_EXAMPLES <= 100,  # the default run is the same every time; long runs explore
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    database=None,
)
SMALL = settings(FUZZ, max_examples=max(8, FUZZ_EXAMPLES // 3))
"""For the slower verbs (whole imports, scoring with reports): a third of the budget."""

JSON_LEAF = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
)
JSON_VALUE = st.recursive(
    JSON_LEAF,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)
ODD_TOKENS = st.sampled_from(
    [
        "",
        "-1",
        "0",
        "1e400",
        "NaN",
        "-0",
        "3.0",
        "99999999999999999999999",
        "\t",
        "\\",
        "\ud800",
        "_",
        "*",
        "|",
    ]
)
TOKEN = ODD_TOKENS | st.text(max_size=8)


def json_paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into ``data`` (the root included), for choosing what to mutate."""
    found = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            found += json_paths(value, (*prefix, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            found += json_paths(value, (*prefix, i))
    return found


def mutated(base: Any, mutations: list[tuple[tuple[Any, ...], Any]]) -> Any:
    """``base`` with each (path, value) set; a path an earlier mutation removed is skipped."""
    doc = copy.deepcopy(base)
    for path, value in mutations:
        if not path:
            continue
        target = doc
        try:
            for step in path[:-1]:
                target = target[step]
            target[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue
    return doc


def json_mutations(base: Any) -> st.SearchStrategy[list[tuple[tuple[Any, ...], Any]]]:
    return st.lists(st.tuples(st.sampled_from(json_paths(base)[1:]), JSON_VALUE), min_size=1, max_size=3)


@st.composite
def text_mutations(draw: st.DrawFn, text: str) -> str:
    """``text`` with one to three line-level edits: a line dropped, repeated, inserted, truncated, or one of
    its tab- or space-separated fields replaced by an odd token."""
    lines = text.split("\n")
    for _ in range(draw(st.integers(1, 3))):
        if not lines:
            lines = [""]
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["drop", "repeat", "insert", "cut", "field", "char"]))
        if op == "drop":
            del lines[i]
        elif op == "repeat":
            lines.insert(i, lines[i])
        elif op == "insert":
            lines.insert(i, draw(TOKEN))
        elif op == "cut":
            lines[i] = lines[i][: draw(st.integers(0, max(0, len(lines[i]))))]
        elif op == "field":
            sep = "\t" if "\t" in lines[i] else " "
            fields = lines[i].split(sep)
            j = draw(st.integers(0, len(fields) - 1))
            fields[j] = draw(TOKEN)
            lines[i] = sep.join(fields)
        else:
            pos = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:pos] + draw(TOKEN) + lines[i][pos + 1 :]
    return "\n".join(lines)


def encode(text: str) -> bytes:
    """UTF-8, with lone surrogates written as the invalid bytes they would be."""
    return text.encode("utf-8", "surrogatepass")


@dataclass(frozen=True)
class Outcome:
    code: int
    stdout: str
    stderr: str


def run_cli(args: list[str]) -> Outcome:
    """``newsbench ARGS…`` in this process. A traceback raises out of here and fails the test; argparse's
    refusal (exit 2 with a usage line) is an outcome like any other."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(args)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 2
    return Outcome(code, out.getvalue(), err.getvalue())


def assert_clean_refusal(outcome: Outcome, *names: str) -> None:
    """Exit 1 with ``error:`` lines (each naming one of ``names`` when given), or argparse's exit 2."""
    assert outcome.code in (1, 2), outcome
    assert "Traceback" not in outcome.stderr
    if outcome.code == 1:
        errors = [ln for ln in outcome.stderr.splitlines() if ln.startswith("error:")]
        assert errors, outcome.stderr
        if names:
            assert all(any(n in ln for n in names) for ln in errors), outcome.stderr
