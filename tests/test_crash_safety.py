"""``newsbench add`` killed at every file-system step, at random moments, and racing another add.

Each kill leaves the corpus fully old or fully new once the next command has settled it: ``validate`` passes,
the manifest lists exactly the old documents or the old plus all the new, and nothing is left over.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from docfactory import valid_document

from newsbench.cli import main
from newsbench.corpus import load_corpus
from newsbench.corpus_add import add_documents
from newsbench.journal import pending_path
from newsbench.problems import NewsbenchError

STEPS = ("replace", "fsync", "unlink", "open", "mkdir")
"""The file-system calls an add makes; the killing tests die at the n-th of them."""
TRIALS = int(os.environ.get("NEWSBENCH_CRASH_TRIALS", "8"))
"""Random-moment kills (and, divided by eight, races) per test; ``nox -s fuzz`` raises it."""


def _run_killer(limit: int, args: list[str], steps: tuple[str, ...] = STEPS) -> tuple[int, int]:
    """Run ``newsbench ARGS…`` in a forked child that SIGKILLs itself at the ``limit``-th call of ``steps``
    (file-system calls of ``os``).

    Returns (exit status or minus the signal, steps taken when it was not killed). Forking skips the
    interpreter's start-up, so every step of an add can be tried within the test budget.
    """
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        os.close(read)
        calls = [0]
        real = {name: getattr(os, name) for name in steps}
        kill, write_fd = os.kill, write

        def deadly(name: str) -> object:
            def step(*a: object, **k: object) -> object:
                calls[0] += 1
                if calls[0] == limit:
                    kill(os.getpid(), signal.SIGKILL)
                return real[name](*a, **k)

            return step

        code = 70
        try:
            with open(os.devnull, "w") as quiet:
                sys.stderr = sys.stdout = quiet
                for name in steps:
                    setattr(os, name, deadly(name))
                code = main(args)
            for name in steps:
                setattr(os, name, real[name])
            os.write(write_fd, str(calls[0]).encode())
        finally:
            os._exit(code)
    os.close(write)
    _, status = os.waitpid(pid, 0)
    steps = os.read(read, 64).decode()
    os.close(read)
    code = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
    return code, int(steps or 0)


def _doc_file(folder: Path, doc_id: str, n: int) -> Path:
    doc = valid_document(doc_id)
    doc["text"] = doc["text"] + f" Note {n}."
    path = folder / f"{doc_id}.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def _ids(root: Path) -> set[str]:
    return set(load_corpus(root).documents)


def _base(tmp_path: Path) -> tuple[Path, list[Path]]:
    tmp_path.mkdir(exist_ok=True)
    root = tmp_path / "corpus"
    add_documents([_doc_file(tmp_path, "old", 0)], root, "train")
    return root, [_doc_file(tmp_path, f"new{n}", n + 1) for n in range(2)]


def _assert_old_or_new(root: Path) -> set[str]:
    assert main(["validate", str(root)]) == 0  # the first command after the kill: it settles, then checks
    leftovers = [p.name for p in root.rglob(".*") if p.name != ".newsbench.lock"]
    assert leftovers == []
    ids = _ids(root)
    assert ids in ({"old"}, {"old", "new0", "new1"})
    return ids


def test_add_killed_at_every_file_system_step_leaves_the_corpus_old_or_new(tmp_path: Path) -> None:
    root, new = _base(tmp_path)
    args = ["add", *map(str, new), "--corpus", str(root)]
    code, steps = _run_killer(10**9, ["add", *map(str, new), "--corpus", str(tmp_path / "probe")])
    assert code == 0 and steps > 5
    outcomes = {"old": 0, "new": 0}
    for limit in range(1, steps + 1):
        trial = tmp_path / f"t{limit}"
        trial_root = trial / "corpus"
        trial.mkdir()
        trial_root.mkdir()
        for p in root.rglob("*"):
            if p.is_file():
                (trial_root / p.relative_to(root)).parent.mkdir(parents=True, exist_ok=True)
                (trial_root / p.relative_to(root)).write_bytes(p.read_bytes())
        code, _ = _run_killer(limit, [*args[:-1], str(trial_root)])
        assert code in (0, -signal.SIGKILL)
        ids = _assert_old_or_new(trial_root)
        outcomes["new" if len(ids) == 3 else "old"] += 1
        if ids == {"old"}:  # the add never happened, so it can be made again
            assert main([*args[:-1], str(trial_root)]) == 0
            assert _ids(trial_root) == {"old", "new0", "new1"}
    assert outcomes["old"] > 0 and outcomes["new"] > 0


def _fork_main(args: list[str]) -> int:
    """``newsbench ARGS…`` in a forked child (no interpreter start-up); returns its pid."""
    pid = os.fork()
    if pid == 0:
        code = 70
        try:
            with open(os.devnull, "w") as quiet:
                sys.stderr = sys.stdout = quiet
                code = main(args)
        finally:
            os._exit(code)
    return pid


def _status(pid: int) -> int:
    _, status = os.waitpid(pid, 0)
    return -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)


def test_add_killed_at_random_moments_leaves_the_corpus_old_or_new(tmp_path: Path) -> None:
    rng = random.Random(13)
    root, new = _base(tmp_path / "probe")
    started = time.monotonic()
    assert _status(_fork_main(["add", *map(str, new), "--corpus", str(root)])) == 0
    took = time.monotonic() - started
    for trial in range(TRIALS):
        root, new = _base(tmp_path / f"r{trial}")
        pid = _fork_main(["add", *map(str, new), "--corpus", str(root)])
        time.sleep(rng.uniform(0, took))
        os.kill(pid, signal.SIGKILL)
        assert _status(pid) in (0, -signal.SIGKILL)
        _assert_old_or_new(root)


def test_concurrent_adds_both_land(tmp_path: Path) -> None:
    for trial in range(max(1, TRIALS // 8)):
        where = tmp_path / f"c{trial}"
        where.mkdir()
        root = where / "corpus"
        add_documents([_doc_file(where, "old", 0)], root, "train")
        batches = [[_doc_file(where, f"b{k}-{n}", 10 * k + n + 1) for n in range(3)] for k in range(2)]
        pids = [_fork_main(["add", *map(str, batch), "--corpus", str(root)]) for batch in batches]
        assert [_status(pid) for pid in pids] == [0, 0]
        assert _ids(root) == {"old"} | {f"b{k}-{n}" for k in range(2) for n in range(3)}


def test_a_second_add_waits_then_fails_with_a_clear_message_while_the_lock_is_held(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsbench import filelock

    root = tmp_path / "corpus"
    add_documents([_doc_file(tmp_path, "old", 0)], root, "train")
    monkeypatch.setattr(filelock, "DEFAULT_WAIT", 0.2)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys, time; fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT); "
            "fcntl.flock(fd, fcntl.LOCK_EX); print('held', flush=True); time.sleep(30)",
            str(root / ".newsbench.lock"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with (
            pytest.raises(NewsbenchError, match="in use by another newsbench process"),
            filelock.folder_lock(root, exclusive=True, wait=0.2, what="corpus"),
        ):
            pass
    finally:
        holder.kill()
        holder.wait()
    add_documents([_doc_file(tmp_path, "later", 7)], root, "train")
    assert _ids(root) == {"old", "later"}


def test_leftovers_of_a_killed_add_are_rolled_back_or_forward_by_the_next_command(tmp_path: Path) -> None:
    root, _ = _base(tmp_path)
    stray = root / "documents" / ".new9.json.adding"
    stray.write_text("{}", encoding="utf-8")
    tmp = root / ".manifest.json.abc123.tmp"
    tmp.write_text("{", encoding="utf-8")
    assert _ids(root) == {"old"}
    assert not stray.exists() and not tmp.exists()
    assert os.listdir(root / "documents") == ["old.json"]


@pytest.mark.parametrize(
    "verb",
    [
        ["validate", "{root}"],
        ["export", "conll", "--out", "{tmp}/exported", "{root}"],
        ["agree", "{root}", "{root}"],
        ["stats", "--corpus", "{root}"],
    ],
    ids=lambda v: v[0],
)
def test_a_corpus_folder_is_read_as_its_manifest_lists_it_after_finishing_a_killed_add(
    tmp_path: Path, verb: list[str]
) -> None:
    """Killed after its commit, an add has left a listed document under its pending name; whatever verb reads
    the corpus next finishes the add first, and reads the listed documents only (not ``agreement/``)."""
    root, new = _base(tmp_path)
    add_documents(new, root, "test")
    second = root / "agreement" / "second"
    second.mkdir(parents=True)
    (second / "old.json").write_bytes((root / "documents" / "old.json").read_bytes())
    final = root / "documents" / "new1.json"
    os.replace(final, pending_path(final))
    assert main([part.format(root=root, tmp=tmp_path) for part in verb]) == 0
    assert final.is_file() and not pending_path(final).exists()
