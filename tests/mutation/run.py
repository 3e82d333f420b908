"""A small mutation check of the core scorers: change one operator or constant of ``eval/metrics/`` at a
time (``mutants.py`` says which changes), run the tests that cover scoring, and list the mutants no test
notices (the survivors).

mutmut and cosmic-ray copy or import the package by its folder name; ``eval/`` is installed as
``newsbench.eval`` (a package-dir mapping), so this script builds its own copy of the project in a temporary
folder, with the package in its import layout (``newsbench/eval`` linking to the copied ``eval/`` and so on),
and mutates only that copy. The working tree is never written to: a run stopped by Ctrl-C, SIGTERM or even
SIGKILL leaves the sources as they were (a killed run can only leave its temporary folder behind).

Each mutant runs the scoring tests in a process forked from one that has imported the heavy libraries
but not the project (``-x``, no bytecode written, so a mutant is never served a stale ``.pyc`` of another),
under a time limit derived from the unmutated run; a mutant that hangs counts as timed out. The summary
and the survivors go to ``mutation-results.json``. Usage (what ``nox -s mutate`` runs)::

    python tests/mutation/run.py [--modules match counts …] [--out mutation-results.json]
"""

from __future__ import annotations

import argparse
import ast
import compileall
import contextlib
import importlib
import importlib.util
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import FrameType

from mutants import mutate, sites

ROOT = Path(__file__).resolve().parents[2]
METRICS = Path("eval") / "metrics"
PACKAGE_DIRS = {"eval": "eval", "baselines": "baselines", "schema": "schema"}
"""``newsbench.<key>`` lives in the top-level folder ``<value>`` (pyproject's package-dir mapping)."""

SCORING_TESTS = [
    "tests/test_counts.py",
    "tests/test_tally.py",
    "tests/test_match.py",
    "tests/test_entity_metrics.py",
    "tests/test_event_metrics.py",
    "tests/test_quote_metrics.py",
    "tests/test_metric_properties.py",
    "tests/test_aggregate.py",
    "tests/test_conll_view.py",
    "tests/test_conll_reader.py",
    "tests/test_honest_numbers.py",
    "tests/test_signature.py",
    "tests/test_report.py",
    "tests/test_lazy_errors.py",
    "tests/test_error_analysis.py",
    "tests/test_report_api.py",
    "tests/test_sanity_systems.py",
]
"""The tests that speak for ``eval/metrics`` (the whole suite would take minutes per mutant)."""

FIRST: dict[str, list[str]] = {
    "counts": ["tests/test_counts.py"],
    "match": ["tests/test_match.py"],
    "tally": ["tests/test_tally.py", "tests/test_counts.py", "tests/test_conll_reader.py"],
    "entities": ["tests/test_entity_metrics.py"],
    "events": ["tests/test_event_metrics.py"],
    "quotes": ["tests/test_quote_metrics.py"],
    "scope": ["tests/test_match.py"],
    "referents": ["tests/test_event_metrics.py", "tests/test_quote_metrics.py"],
    "aggregate": ["tests/test_aggregate.py"],
    "conll": ["tests/test_conll_view.py", "tests/test_conll_reader.py"],
    "catalog": ["tests/test_honest_numbers.py"],
    "scoring": ["tests/test_signature.py", "tests/test_honest_numbers.py"],
    "confusion": ["tests/test_error_analysis.py"],
}
"""Tests run first for a module, on their own: most mutants are killed there, without collecting the rest."""

PYTEST_ARGS = ["-x", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", "-k", "not headless_browser"]
"""Stop at the first failure; the browser rendering test checks HTML, not numbers, and takes seconds."""


def _project_files() -> list[str]:
    """The project's files as git sees them (tracked plus new, not ignored): no caches, builds or venvs."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode("utf-8")
    return [name for name in listed.split("\0") if name and (ROOT / name).is_file()]


def build_copy(target: Path) -> None:
    """Copy the project into ``target`` and lay the package out as it is imported: ``newsbench/eval``,
    ``newsbench/baselines`` and ``newsbench/schema`` link to the copied top-level folders."""
    for name in _project_files():
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target / name)
    for sub, folder in PACKAGE_DIRS.items():
        (target / "newsbench" / sub).symlink_to(Path("..") / folder, target_is_directory=True)
    # Bytecode for the unmutated copy once; the module under mutation has its own removed (run_module).
    compileall.compile_dir(target, quiet=2)


PRELOAD = [
    "pytest",
    "hypothesis",
    "numpy",
    "scipy.optimize",
    "scipy.stats",
    "sklearn.metrics",
    "seqeval.metrics",
    "nervaluate",
    "jsonschema",
    "jsonschema_rs",
    "referencing",
    "jinja2",
    "tqdm",
    "urllib3",
    "pycountry",
]
"""Third-party libraries imported once, before the first fork: each mutant's run then only imports the
project (from the copy) and collects its tests."""


class Tests:
    """Runs pytest on the copy in a forked child per call, in its own session so a time-out ends every
    process it started. The parent imports the heavy third-party libraries once and never the project, so
    every child imports the project afresh, mutant included."""

    def __init__(self, copy: Path) -> None:
        self.copy = copy
        self.timeout: float | None = None
        os.chdir(copy)
        sys.path.insert(0, str(copy))
        sys.dont_write_bytecode = True  # a mutant's bytecode must never be served to another mutant
        for name in PRELOAD:
            with contextlib.suppress(ImportError):
                importlib.import_module(name)
        if any(name == "newsbench" or name.startswith("newsbench.") for name in sys.modules):
            raise SystemExit("the project was imported before the first fork; refusing to mutate")

    def run(self, tests: list[str]) -> str:
        """``passed``, ``failed`` or ``timeout``."""
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if (
            pid == 0
        ):  # the child: its own session, quiet, pytest in-process, never back into the parent's code
            code = 1
            try:
                os.setsid()
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, 1)
                os.dup2(devnull, 2)
                import pytest

                code = int(pytest.main([*PYTEST_ARGS, *tests]))
            finally:
                os._exit(code)
        deadline = None if self.timeout is None else time.monotonic() + self.timeout
        try:
            while True:
                done, status = os.waitpid(pid, os.WNOHANG)
                if done:
                    return "passed" if os.waitstatus_to_exitcode(status) == 0 else "failed"
                if deadline is not None and time.monotonic() > deadline:
                    _end(pid)
                    return "timeout"
                time.sleep(0.02)
        except BaseException:  # Ctrl-C or SIGTERM: the child's session goes with the parent
            _end(pid)
            raise

    def imports_copy(self) -> bool:
        """The copy, not the editable install, is what the tests import (checked in a child process)."""
        probe = "import newsbench.eval.metrics.counts as m; print(m.__file__)"
        found = subprocess.run(
            [sys.executable, "-c", probe],
            cwd=self.copy,
            env={**os.environ, "PYTHONPATH": str(self.copy)},
            capture_output=True,
            text=True,
        )
        return found.returncode == 0 and Path(found.stdout.strip()).resolve().is_relative_to(
            self.copy.resolve()
        )


def _end(pid: int) -> None:
    """Kill a child's whole session and reap the child."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


def stages_for(name: str) -> list[list[str]]:
    """The module's own tests, then the rest of the scoring tests (only for mutants the first stage misses)."""
    first = FIRST.get(name, [])
    rest = [t for t in SCORING_TESTS if t not in first]
    return [first, rest] if first else [rest]


def run_module(name: str, copy: Path, tests: Tests) -> dict[str, object]:
    path = copy / METRICS / f"{name}.py"
    original = path.read_text(encoding="utf-8")
    Path(importlib.util.cache_from_source(str(path))).unlink(missing_ok=True)
    stages = stages_for(name)
    survivors: list[dict[str, object]] = []
    timed_out: list[dict[str, object]] = []
    total = killed = 0
    started = time.monotonic()
    index = 0
    try:
        while (found := mutate(original, index)) is not None:
            mutated, mutant = found
            index += 1
            total += 1
            path.write_text(mutated, encoding="utf-8")
            for stage in stages:
                outcome = tests.run(stage)
                if outcome != "passed":
                    break
            entry = {"line": mutant.line, "mutation": mutant.what}
            if outcome == "failed":
                killed += 1
            elif outcome == "timeout":
                timed_out.append(entry)
                print(f"  timed out: {name}.py:{mutant.line} {mutant.what}", flush=True)
            else:
                survivors.append(entry)
                print(f"  survived: {name}.py:{mutant.line} {mutant.what}", flush=True)
    finally:
        path.write_text(original, encoding="utf-8")
    seconds = round(time.monotonic() - started, 1)
    print(
        f"{name}: {total} mutants, {killed} killed, {len(survivors)} survived, "
        f"{len(timed_out)} timed out ({seconds}s)",
        flush=True,
    )
    return {
        "mutants": total,
        "killed": killed,
        "survived": len(survivors),
        "timed_out": len(timed_out),
        "survivors": survivors,
        "timeouts": timed_out,
        "seconds": seconds,
    }


def _stop(signum: int, _frame: FrameType | None) -> None:
    """SIGTERM ends the run as Ctrl-C does, through the ``finally`` blocks that remove the copy."""
    raise KeyboardInterrupt(f"signal {signum}")


NOT_BY_DEFAULT = {
    "distributed": "its tests need the dask extra (pass --modules distributed where it is installed)"
}


def all_modules() -> list[str]:
    """The modules of ``eval/metrics`` with something to mutate."""
    return sorted(
        p.stem
        for p in (ROOT / METRICS).glob("*.py")
        if p.stem != "__init__" and next(sites(ast.parse(p.read_text(encoding="utf-8"))), None)
    )


def reprinted_passes(copy: Path, modules: list[str], tests: Tests) -> bool:
    """Mutants are printed by ``ast.unparse`` (no comments, its own layout): the tests must pass on the
    unmutated modules printed the same way, or every mutant would look killed."""
    paths = [copy / METRICS / f"{name}.py" for name in modules]
    originals = [p.read_text(encoding="utf-8") for p in paths]
    try:
        for path, text in zip(paths, originals, strict=True):
            path.write_text(ast.unparse(ast.parse(text)), encoding="utf-8")
        return tests.run(SCORING_TESTS) == "passed"
    finally:
        for path, text in zip(paths, originals, strict=True):
            path.write_text(text, encoding="utf-8")


def _write(out: Path, data: object) -> None:
    partial = out.with_name(out.name + ".partial")
    partial.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    partial.replace(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--modules", nargs="+", help="modules of eval/metrics (default: every one)")
    parser.add_argument("--out", type=Path, default=ROOT / "mutation-results.json")
    args = parser.parse_args()
    order = {name: k for k, name in enumerate(FIRST)}  # the core scorers first: a stopped run has them
    default = [m for m in all_modules() if m not in NOT_BY_DEFAULT]
    modules = args.modules or sorted(default, key=lambda m: (order.get(m, len(order)), m))
    unknown = sorted(set(modules) - set(all_modules()))
    if unknown:
        parser.error(f"no such module of eval/metrics with mutable code: {', '.join(unknown)}")
    signal.signal(signal.SIGTERM, _stop)
    with tempfile.TemporaryDirectory(prefix="newsbench-mutation-") as folder:
        copy = Path(folder)
        build_copy(copy)
        tests = Tests(copy)
        if not tests.imports_copy():
            raise SystemExit("the copied tree is not what the tests import; refusing to mutate")
        started = time.monotonic()
        if tests.run(SCORING_TESTS) != "passed":
            raise SystemExit("the scoring tests fail on the unmutated copy")
        clean = time.monotonic() - started
        if not reprinted_passes(copy, modules, tests):
            raise SystemExit("the scoring tests fail on the unmutated modules as ast.unparse prints them")
        tests.timeout = max(60.0, 3 * clean)
        print(f"unmutated run: {clean:.1f}s; time limit per mutant {tests.timeout:.0f}s", flush=True)
        results: dict[str, dict[str, object]] = {}
        for name in modules:
            results[name] = run_module(name, copy, tests)
            _write(args.out, {"complete": False, "modules": results})
    summary = {
        key: sum(int(r[key]) for r in results.values())  # type: ignore[call-overload]
        for key in ("mutants", "killed", "survived", "timed_out")
    }
    print(
        f"total: {summary['mutants']} mutants, {summary['killed']} killed, {summary['survived']} survived, "
        f"{summary['timed_out']} timed out"
    )
    _write(args.out, {"complete": True, "total": summary, "modules": results})
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        print("stopped; the working tree was never written to, and the copy is removed", file=sys.stderr)
        sys.exit(130)
