"""``newsbench cache info|prune``: sizes per cache, and pruning least recently used files first."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from newsbench.cli import main
from newsbench.commands.cache import parse_size
from newsbench.problems import NewsbenchError


def _file(path: Path, size: int, age: int) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x" * size)
    os.utime(path, (1_000_000 + age, 1_000_000 + age))
    return path


def test_prune_deletes_the_least_recently_used_files_until_under_the_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NEWSBENCH_CACHE", str(tmp_path))
    old = _file(tmp_path / "predictions" / "rules" / "ab" / "old.json", 400, 0)
    mid = _file(tmp_path / "llm" / "mid.json", 300, 10)
    new = _file(tmp_path / "models" / "new.crfsuite", 200, 20)
    assert main(["cache", "info"]) == 0
    info = capsys.readouterr().out
    assert "predictions\t1 file\t400 B" in info and "total\t3 files\t900 B" in info
    assert main(["cache", "prune", "--max-size", "499"]) == 0
    assert "deleted 2 files, 700 B freed" in capsys.readouterr().out
    assert (old.exists(), mid.exists(), new.exists()) == (False, False, True)
    assert not (tmp_path / "predictions").exists()  # emptied folders go too


@pytest.mark.parametrize(("text", "size"), [("0", 0), ("500M", 500 * 1024**2), ("1.5GiB", 1536 * 1024**2)])
def test_sizes_are_read_with_binary_units(text: str, size: int) -> None:
    assert parse_size(text) == size


def test_a_size_that_is_not_one_is_a_one_line_error() -> None:
    with pytest.raises(NewsbenchError, match="--max-size must be a size"):
        parse_size("lots")
