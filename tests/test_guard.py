"""A plug-in cannot end or hang newsbench: in-process extraction, imports and availability checks are guarded."""

from __future__ import annotations

import ctypes
import html
import os
import sys
import threading
import time
from importlib.metadata import EntryPoint
from os import _exit
from typing import Any, ClassVar

import pytest
from docfactory import TEXT, valid_document

from newsbench import guard, registry
from newsbench.baselines.base import BaseExtractor
from newsbench.eval.run.runner import run_systems
from newsbench.extractor import Availability
from newsbench.model import Document


class Escaper(BaseExtractor):
    """Ends the process in a different way for each document id; predicts nothing for the others."""

    name: ClassVar[str] = "escaper"
    version: ClassVar[str] = "1"
    default_config: ClassVar[dict[str, Any]] = {}

    def extract(self, document: Document) -> Document:
        if document.id == "sys-exit":
            sys.exit(3)
        if document.id == "hard-exit":
            os._exit(0)
        if document.id == "interrupt":
            raise KeyboardInterrupt
        if document.id == "aliased-exit":
            _exit(0)  # bound at import, before any guard could replace os._exit
        if document.id == "segfault":
            ctypes.string_at(0)
        return self.prediction(document)


def test_in_process_exits_and_interrupts_of_a_plugin_are_failures_of_their_document() -> None:
    docs = [
        Document.from_json(valid_document(i, f"{i}: {TEXT}"))
        for i in ("sys-exit", "hard-exit", "interrupt", "aliased-exit", "segfault", "fine")
    ]
    (run,), work = run_systems([Escaper()], docs, cache=None, jobs=1, timeout=None)
    failed = {o.doc_id: o.failure.reason for o in run.outcomes if o.failure is not None}
    assert failed == {
        "sys-exit": "PluginExit: the plug-in called sys.exit(3)",
        "hard-exit": "PluginExit: the plug-in called os._exit(0)",
        "interrupt": "PluginExit: the plug-in raised KeyboardInterrupt",
        "aliased-exit": "the system ended its process (exit code 0)",
        "segfault": "the system ended its process (killed by signal SIGSEGV)",
    }
    assert work.extracted == 6
    assert os._exit is not guard._refuse_exit  # the real one is back


class Hangs(Escaper):
    name: ClassVar[str] = "hangs"

    @classmethod
    def availability(cls) -> Availability:
        time.sleep(30)
        return Availability.ok()


class Exits(Escaper):
    name: ClassVar[str] = "exits"

    @classmethod
    def availability(cls) -> Availability:
        raise SystemExit(2)


@pytest.mark.parametrize(
    ("cls", "limit", "reason"),
    [(Hangs, "2", "did not finish within 2 s"), (Exits, "120", "PluginExit: the plug-in called sys.exit(2)")],
)
def test_a_plugin_that_hangs_or_exits_while_checked_is_listed_unavailable_with_the_reason(
    monkeypatch: pytest.MonkeyPatch, cls: type, limit: str, reason: str
) -> None:
    monkeypatch.setenv(guard.DISCOVERY_TIMEOUT_ENV, limit)
    ep = EntryPoint(cls.__name__.lower(), f"{__name__}:{cls.__name__}", registry.GROUP)
    monkeypatch.setattr(registry, "entry_points", lambda group: [ep])
    started = time.monotonic()
    entry = registry.discover()[ep.name]
    assert time.monotonic() - started < float(limit) + 5
    assert not entry.available
    assert reason in (entry.availability.reason or "")


def test_user_text_in_markdown_tables_and_headings_is_inert() -> None:
    from newsbench.table import markdown_table, markdown_text

    table = markdown_table(("system", "F1"), [["<script>alert(1)</script>|x\nnext", "50.0"]])
    assert "\\<script>alert(1)\\</script>\\|x next" in table  # a backslash keeps each mark literal
    assert table.count("\n") == 2  # header, rule, one row: the name's line break and bar did not split it
    # Markdown's own escapes: the file reads as written, and nothing turns into an entity or a tag
    assert markdown_text("PER -> person") == "PER -> person"
    assert markdown_text("a & <b> &lt;") == "a & \\<b> \\&lt;"
    assert markdown_text("> quoted, gum_news, _x_") == "\\> quoted, gum_news, \\_x\\_"


def test_markdown_escapes_render_as_the_text_itself() -> None:
    """What a reader sees in rendered Markdown is the text itself: no tag, entity, emphasis or block."""
    markdown_it = pytest.importorskip("markdown_it")
    from newsbench.table import markdown_table, markdown_text

    renderer = markdown_it.MarkdownIt("commonmark").enable("table")
    for text in ("PER -> person", "<script>x()</script>", "a &amp; b", "*x* _y_ `z` [l](u)", "# h", "- i"):
        shown = html.escape(text, quote=False)
        assert renderer.render(f"> {markdown_text(text)}") == f"<blockquote>\n<p>{shown}</p>\n</blockquote>\n"
    table = renderer.render(markdown_table(("system", "F1"), [["a|b <i>c</i>", "50.0"]]))
    assert "<td>a|b &lt;i&gt;c&lt;/i&gt;</td>" in table


def test_overlapping_guards_in_threads_put_the_real_exit_back() -> None:
    real = os._exit
    first_in, first_may_leave = threading.Event(), threading.Event()

    def first() -> None:
        with guard.no_hard_exit():
            first_in.set()
            first_may_leave.wait(5)

    thread = threading.Thread(target=first)
    thread.start()
    first_in.wait(5)
    with guard.no_hard_exit():  # enters while the first holds the guard, and leaves after it
        first_may_leave.set()
        thread.join(5)
        assert os._exit is guard._refuse_exit  # still guarded: this block is still running
    assert os._exit is real


def test_a_forked_extraction_ends_cleanly_while_an_exit_guard_is_active_in_this_process() -> None:
    docs = [Document.from_json(valid_document("fine", f"fine: {TEXT}"))]
    with guard.no_hard_exit():  # as when another thread is inside a plug-in's code at fork time
        (run,), work = run_systems([Escaper()], docs, cache=None, jobs=1, timeout=None)
    assert run.failures == [] and work.extracted == 1
