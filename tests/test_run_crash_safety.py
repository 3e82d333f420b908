"""``newsbench run`` killed with SIGKILL at file-system steps and at random moments, and two runs racing.

After any kill the run folder is the old one or the new one, byte for byte, never a mix; the rerun resumes
from the prediction cache (documents done are not extracted again) and writes exactly the files of an
uninterrupted run; nothing is left over. ``NEWSBENCH_CRASH_TRIALS`` raises the number of trials
(``nox -s fuzz`` does).
"""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import time
from pathlib import Path

import pytest
from fuzzkit import run_cli
from test_crash_safety import _fork_main, _run_killer, _status

TRIALS = int(os.environ.get("NEWSBENCH_CRASH_TRIALS", "2"))
CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "documents"
STEPS = ("replace", "rename", "fsync", "unlink", "open", "mkdir", "rmdir")
"""File-system calls a run makes; the step killer dies at the n-th of them."""


def _args(root: Path) -> list[str]:
    return [
        "run",
        "rules",
        "--corpus",
        str(root / "docs"),
        "--split",
        "all",
        "--out",
        str(root / "out"),
        "--cache",
        str(root / "cache"),
        "--executor",
        "inline",
        "--jobs",
        "1",
    ]


def _snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (hidden ones included) by relative path."""
    if not folder.is_dir():
        return {}
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def _cached(root: Path) -> int:
    return sum(1 for p in (root / "cache").rglob("*.json") if not p.name.startswith("."))


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    """A small corpus and the run folder of an uninterrupted run over it."""
    root = tmp_path_factory.mktemp("run-ref")
    (root / "docs").mkdir()
    for path in sorted(CORPUS.glob("*.json"))[:6]:
        shutil.copy(path, root / "docs" / path.name)
    assert run_cli(_args(root)).code == 0
    return root, _snapshot(root / "out")


def _trial(reference: tuple[Path, dict[str, bytes]], where: Path, old: bool) -> tuple[Path, dict[str, bytes]]:
    """A fresh copy of the corpus, with an older version of the run folder in ``out`` when ``old``."""
    src, new = reference
    shutil.copytree(src / "docs", where / "docs")
    before: dict[str, bytes] = {}
    if old:
        (name,) = {k.split("/")[0] for k in new}
        for rel, raw in new.items():
            (where / "out" / rel).parent.mkdir(parents=True, exist_ok=True)
            (where / "out" / rel).write_bytes(raw)
        (where / "out" / name / "summary.json").write_text('{"old": true}\n', encoding="utf-8")
        (where / "out" / name / "OLD").write_text("an older run\n", encoding="utf-8")
        before = _snapshot(where / "out")
    return where, before


def _check_after_kill(where: Path, before: dict[str, bytes], new: dict[str, bytes]) -> None:
    """Old or new, then a rerun that resumes from the cache and gives exactly the uninterrupted files."""
    visible = {k: v for k, v in _snapshot(where / "out").items() if not k.startswith(".")}
    assert visible in (before, new)
    cached = _cached(where)
    rerun = run_cli(_args(where))
    assert rerun.code == 0, rerun.stderr
    found = re.search(r"(\d+) predictions? from cache, (\d+) extracted", rerun.stderr)
    assert found is not None and int(found.group(1)) == cached  # no document extracted twice
    assert int(found.group(1)) + int(found.group(2)) == 6
    assert _snapshot(where / "out") == new  # nothing left over, nothing different


def test_run_killed_at_file_system_steps_leaves_the_old_or_new_folder_and_resumes_exactly(
    reference: tuple[Path, dict[str, bytes]], tmp_path: Path
) -> None:
    where, _ = _trial(reference, tmp_path / "probe", old=False)
    code, steps = _run_killer(10**9, _args(where), STEPS)
    assert code == 0 and steps > 20
    rng = random.Random(13)
    # every step of the commit at the end (the folder swap), and some at random before it
    limits = sorted(set(range(steps - 6, steps + 1)) | set(rng.sample(range(1, steps - 6), TRIALS)))
    for n, limit in enumerate(limits):
        where, before = _trial(reference, tmp_path / f"s{limit}", old=n % 2 == 0)
        code, _ = _run_killer(limit, _args(where), STEPS)
        assert code in (0, -signal.SIGKILL)
        _check_after_kill(where, before, reference[1])


def test_run_killed_at_random_moments_leaves_the_old_or_new_folder_and_resumes_exactly(
    reference: tuple[Path, dict[str, bytes]], tmp_path: Path
) -> None:
    rng = random.Random(7)
    where, _ = _trial(reference, tmp_path / "probe", old=False)
    started = time.monotonic()
    assert _status(_fork_main(_args(where))) == 0
    took = time.monotonic() - started
    for trial in range(TRIALS):
        where, before = _trial(reference, tmp_path / f"r{trial}", old=trial % 2 == 0)
        pid = _fork_main(_args(where))
        time.sleep(rng.uniform(0, took))
        os.kill(pid, signal.SIGKILL)
        assert _status(pid) in (0, -signal.SIGKILL)
        _check_after_kill(where, before, reference[1])


def test_two_runs_into_the_same_folder_both_finish_with_the_uninterrupted_files(
    reference: tuple[Path, dict[str, bytes]], tmp_path: Path
) -> None:
    for trial in range(max(1, TRIALS // 4)):
        where, _ = _trial(reference, tmp_path / f"race{trial}", old=True)
        pids = [_fork_main(_args(where)) for _ in range(2)]
        assert [_status(pid) for pid in pids] == [0, 0]
        assert _snapshot(where / "out") == reference[1]
