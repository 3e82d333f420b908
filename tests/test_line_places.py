"""A JSON Lines file is read in blocks, and each line found there can be read again from its place.

``read_json_lines_at`` gives each non-blank line with its offset; worker processes that check the lines of
a regular file are sent only the place and read the line themselves. These tests compare the block reading
with the plain reading it stands for (every line by ``readline``, blank ones skipped, the line end and any
``\\r`` before it left out), and the line read back from its place with the line read, on lines that cross
block boundaries, blank and whitespace-only lines, CRLF line ends and a last line without a line end.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsbench import jsonio
from newsbench.jsonio import read_json_lines_at
from newsbench.problems import NewsbenchError
from newsbench.scan import Place, Rereader, _sent


def _read_line_by_line(path: Path) -> Iterator[tuple[str, bytes]]:
    with path.open("rb") as handle:
        for n, raw in enumerate(handle, start=1):
            if raw.strip():
                yield f"{path}:{n}", raw.rstrip(b"\r\n")


def _read_in_blocks(path: Path) -> list[tuple[str, bytes]]:
    """Each line as read, after checking it is also what its place gives when read again."""
    lines = []
    with Rereader() as read:
        for where, raw, offset in read_json_lines_at(path):
            assert read.raw(Place(str(path), offset, len(raw))) == raw
            lines.append((where, raw))
    return lines


_LINES = st.lists(
    st.one_of(
        st.just(b""),
        st.sampled_from([b" ", b"\t", b"\r", b" \r", b"\x0c"]),
        st.binary(max_size=40).map(lambda b: b"{" + b.replace(b"\n", b"") + b"}"),
        st.binary(min_size=1, max_size=40).map(lambda b: b.replace(b"\n", b"")),
    ),
    max_size=30,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=_LINES, crlf=st.booleans(), last_newline=st.booleans(), block=st.integers(1, 64))
def test_reading_in_blocks_gives_the_lines_a_line_by_line_reading_gives(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    lines: list[bytes],
    crlf: bool,
    last_newline: bool,
    block: int,
) -> None:
    monkeypatch.setattr(jsonio, "LINE_BLOCK", block)
    end = b"\r\n" if crlf else b"\n"
    content = end.join(lines) + (end if last_newline and lines else b"")
    path = tmp_path / "docs.jsonl"
    path.write_bytes(content)
    assert _read_in_blocks(path) == list(_read_line_by_line(path))


def test_a_line_of_curly_quotes_emoji_and_combining_marks_is_read_back_whole(tmp_path: Path) -> None:
    first = '{"text": "“Oui,” dit-elle 👍🏽 e\u0301"}'.encode()
    second = b'{"text": "plain"}'
    path = tmp_path / "docs.jsonl"
    path.write_bytes(first + b"\r\n\r\n" + second)
    assert _read_in_blocks(path) == [(f"{path}:1", first), (f"{path}:3", second)]


@pytest.mark.parametrize("block", [1, 7, 1 << 20])
@pytest.mark.parametrize("last_newline", [True, False])
def test_a_line_over_the_limit_is_refused_with_its_line_number(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, block: int, last_newline: bool
) -> None:
    monkeypatch.setattr(jsonio, "LINE_BLOCK", block)
    path = tmp_path / "docs.jsonl"
    path.write_bytes(b'{"a": 1}\n\n{"a": "' + b"x" * 200 + b'"}' + (b"\n" if last_newline else b""))
    found = read_json_lines_at(path, max_line_bytes=100)
    assert next(found) == (f"{path}:1", b'{"a": 1}', 0)
    with pytest.raises(NewsbenchError, match=rf"{re.escape(str(path))}:3: .*over the limit of 100 bytes"):
        next(found)


def test_a_line_of_exactly_the_limit_with_its_line_end_is_taken(tmp_path: Path) -> None:
    line = b'{"a": "' + b"x" * 90 + b'"}'
    path = tmp_path / "docs.jsonl"
    path.write_bytes(line + b"\n")
    assert list(read_json_lines_at(path, max_line_bytes=len(line) + 1)) == [(f"{path}:1", line, 0)]
    with pytest.raises(NewsbenchError, match="over the limit"):
        list(read_json_lines_at(path, max_line_bytes=len(line)))


def test_workers_are_sent_the_place_of_a_line_of_a_regular_file_and_the_bytes_of_anything_else(
    tmp_path: Path,
) -> None:
    lines, whole = tmp_path / "docs.jsonl", tmp_path / "doc.json"
    lines.write_bytes(b'{"a": 1}\n')
    whole.write_bytes(b'{"a": 1}')
    fifo = tmp_path / "piped.jsonl"
    os.mkfifo(fifo)
    again: dict[str, bool] = {}
    for path, sent_bytes in ((lines, False), (whole, True), (fifo, True)):
        record = (str(path), b'{"a": 1}', Place(str(path), 0, 8))
        assert _sent(record, again) == (record if sent_bytes else (str(path), None, record[2]))
