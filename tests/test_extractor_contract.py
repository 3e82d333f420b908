"""The extractor contract: the built-in table matches the entry points, and every built-in satisfies it."""

from __future__ import annotations

from importlib.metadata import entry_points

from newsbench.baselines.systems import BUILT_IN, TRAINABLE
from newsbench.extractor import Extractor, system_block
from newsbench.model import Document
from newsbench.registry import GROUP


def test_the_built_in_table_names_the_classes_the_entry_points_load() -> None:
    ours = [ep for ep in entry_points(group=GROUP) if ep.value.startswith("newsbench.baselines.")]
    assert {ep.name: ep.load() for ep in ours} == BUILT_IN


def test_every_trainable_system_is_a_built_in_that_says_it_needs_training() -> None:
    for name in TRAINABLE:
        assert getattr(BUILT_IN[name], "needs_training", False) is True


def test_a_plain_class_with_the_four_members_is_an_extractor() -> None:
    class Plain:
        def __init__(self) -> None:
            self.name = "plain"
            self.version = "1"
            self.config: dict[str, object] = {}

        def extract(self, document: Document) -> Document:
            return document.blank()

    plain = Plain()
    assert isinstance(plain, Extractor)
    assert system_block(plain) == {"name": "plain", "version": "1", "config": {}}
