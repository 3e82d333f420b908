"""The extractor registry: entry-point discovery, broken plug-ins listed not fatal, "did you mean", config hash."""

from __future__ import annotations

import hashlib
from importlib.metadata import EntryPoint
from typing import Any, ClassVar

import pytest

from newsbench import registry
from newsbench.baselines.base import BaseExtractor
from newsbench.cli import main
from newsbench.extractor import Availability, config_hash
from newsbench.jsonio import canonical_json
from newsbench.model import Document
from newsbench.problems import NewsbenchError
from newsbench.registry import GROUP, discover, get_system, suggest


class _Unavailable(BaseExtractor):
    name: ClassVar[str] = "needs-model"
    version: ClassVar[str] = "2.0"

    @classmethod
    def availability(cls) -> Availability:
        return Availability.missing("no model installed; run: pip install something")

    def extract(self, document: Document) -> Document:
        return self.prediction(document)


class _CheckFails(_Unavailable):
    @classmethod
    def availability(cls) -> Availability:
        raise RuntimeError("socket closed")


class _Configurable(BaseExtractor):
    name: ClassVar[str] = "configurable"
    version: ClassVar[str] = "1.0"
    default_config: ClassVar[dict[str, Any]] = {"threshold": 0.5, "labels": ["PER"]}

    def extract(self, document: Document) -> Document:
        return self.prediction(document)


class _Minimal:
    """A plug-in written without the base class: only what the runner needs, no availability check."""

    name = "minimal"
    version = "0.1"

    def __init__(self, **config: Any) -> None:
        self.config = dict(config)

    def extract(self, document: Document) -> Document:
        return document.blank()


def _fake_entry_points(monkeypatch: pytest.MonkeyPatch, extra: list[EntryPoint]) -> None:
    """The installed entry points plus ``extra``, as if another package had registered them."""
    real = registry.entry_points

    def fake(*, group: str) -> list[EntryPoint]:
        return [*real(group=group), *extra]

    monkeypatch.setattr(registry, "entry_points", fake)


def _ep(name: str, value: str) -> EntryPoint:
    return EntryPoint(name=name, value=value, group=GROUP)


@pytest.mark.parametrize(("name", "version"), [("rules", "1.0"), ("oracle", "1.0"), ("empty", "1.0")])
def test_builtin_systems_register_through_the_entry_point_group(name: str, version: str) -> None:
    entry = discover()[name]
    assert (entry.version, entry.available, entry.availability.reason) == (version, True, None)


@pytest.mark.parametrize(
    ("value", "reason_part"),
    [
        ("no_such_module_for_newsbench:Thing", "ModuleNotFoundError"),
        ("json:dumps", "is not an extractor (it has no name, version, extract)"),
        ("newsbench.baselines.base:NoSuchClass", "AttributeError"),
        (f"{__name__}:_Unavailable", "no model installed; run: pip install something"),
        (f"{__name__}:_CheckFails", "availability check failed: RuntimeError: socket closed"),
    ],
)
def test_a_faulty_plugin_is_listed_unavailable_with_its_reason(
    monkeypatch: pytest.MonkeyPatch, value: str, reason_part: str
) -> None:
    _fake_entry_points(monkeypatch, [_ep("zz-plugin", value)])
    systems = discover()
    assert not systems["zz-plugin"].available
    assert reason_part in str(systems["zz-plugin"].availability.reason)
    assert systems["rules"].available  # one broken plug-in hides nothing else


def test_a_plugin_without_availability_or_extract_batch_is_available(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _fake_entry_points(monkeypatch, [_ep("zz-minimal", f"{__name__}:_Minimal")])
    entry = discover()["zz-minimal"]
    assert (entry.available, entry.availability.reason, entry.version) == (True, None, "0.1")
    assert isinstance(entry.create(), _Minimal)


def test_creating_an_unavailable_system_says_why(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_entry_points(monkeypatch, [_ep("zz-plugin", f"{__name__}:_Unavailable")])
    with pytest.raises(NewsbenchError, match="system zz-plugin is not available: no model installed"):
        get_system("zz-plugin").create()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("rulse", "no system named 'rulse'; did you mean rules?"),
        ("oracel", "no system named 'oracel'; did you mean oracle?"),
        ("emptty", "no system named 'emptty'; did you mean empty?"),
        ("qqqqqq", "no system named 'qqqqqq'; registered systems: empty, oracle, rules"),
    ],
)
def test_an_unknown_name_gets_a_suggestion(typed: str, message: str) -> None:
    assert suggest(typed, ["empty", "oracle", "rules"]) == message


def test_get_system_raises_a_newsbench_error_for_a_misspelt_name() -> None:
    with pytest.raises(NewsbenchError, match="did you mean rules"):
        get_system("rules_")


def test_systems_command_lists_every_system_even_a_broken_one(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _fake_entry_points(monkeypatch, [_ep("zz-broken", "no_such_module_for_newsbench:Thing")])
    assert main(["systems"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["system", "version", "available", "reason"]
    rows = {line.split()[0]: line.split() for line in lines[2:]}
    assert rows["rules"][:3] == ["rules", "1.0", "yes"]
    assert rows["zz-broken"][:3] == ["zz-broken", "?", "no"]
    assert "ModuleNotFoundError" in " ".join(rows["zz-broken"])


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ({"x": 1, "y": [1, 2]}, {"y": [1, 2], "x": 1}),
        ({"name": "é"}, {"name": "é"}),
    ],
)
def test_config_hash_ignores_key_order(a: dict[str, Any], b: dict[str, Any]) -> None:
    assert config_hash(a) == config_hash(b)


@pytest.mark.parametrize(
    ("config", "canonical"),
    [
        ({}, "{}"),
        ({"b": 1, "a": "é"}, '{"a":"é","b":1}'),
        ({"k": [1.5, None, True]}, '{"k":[1.5,null,true]}'),
    ],
)
def test_config_hash_is_sha256_of_canonical_json(config: dict[str, Any], canonical: str) -> None:
    assert canonical_json(config) == canonical
    assert config_hash(config) == hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def test_config_overrides_merge_with_defaults_and_reach_the_prediction() -> None:
    system = _Configurable(threshold=0.9)
    assert system.config == {"threshold": 0.9, "labels": ["PER"]}
    pred = system.extract(Document(id="d", text="Hello."))
    assert pred.system is not None and pred.system.config == {"threshold": 0.9, "labels": ["PER"]}


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"treshold": 1}, "unknown config key treshold; allowed: labels, threshold"),
        ({"threshold": {1, 2}}, "the config is not plain JSON"),
        ({"threshold": float("nan")}, "the config is not plain JSON"),
    ],
)
def test_a_bad_config_is_refused_with_a_message(config: dict[str, Any], message: str) -> None:
    with pytest.raises(NewsbenchError, match=message):
        _Configurable(**config)
