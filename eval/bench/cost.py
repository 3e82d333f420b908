"""What running a system cost and where it stumbled: failures, unparsed answers, strings placed, tokens.

Read from the run's outcomes alone: failures by kind, and for systems that report them in their predictions'
``meta`` (the ``llm`` system does, under ``"llm"``) how many extracted strings were located in the text,
placed at a guessed repeat (ambiguous) or not found, and the tokens and wall time each answer took when it
was fetched. These figures ride with the cached predictions, so a rerun from the cache states the same cost.
A failed document counts too: the system's exception carries what it measured before failing (the tokens an
answer cost before it failed to parse, and that it did not parse) into the failure's ``details``; answers
that did not parse are counted from that flag, never by reading error messages. A figure nothing reported is
``None`` (shown ``n/a``), never 0.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from newsbench.eval.run.runner import SystemRecords, SystemRun

UNPARSED_KEY = "unparsed"
"""In a failure's ``details``: how many answers came back but could not be read as the JSON asked for."""


@dataclass(frozen=True)
class TokenPrice:
    """Price of one prompt token and of one completion token, in the user's currency."""

    prompt: float
    completion: float

    @classmethod
    def parse(cls, text: str) -> TokenPrice:
        """``PROMPT,COMPLETION`` (or one number for both), prices per million tokens."""
        parts = [p.strip() for p in text.split(",")]
        try:
            values = [float(p) for p in parts]
        except ValueError:
            values = []
        if len(values) not in (1, 2) or any(v < 0 for v in values):
            raise ValueError(
                f"a token price is PROMPT,COMPLETION per million tokens (e.g. 0.15,0.60), not {text!r}"
            )
        prompt, completion = values[0], values[-1]
        return cls(prompt / 1e6, completion / 1e6)

    def to_json(self) -> dict[str, float]:
        return {"prompt_per_million": self.prompt * 1e6, "completion_per_million": self.completion * 1e6}


def _sum(values: Iterable[Any]) -> float | None:
    numbers = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
    return sum(numbers) if numbers else None


def _count(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


def system_cost(run: SystemRun | SystemRecords, price: TokenPrice | None = None) -> dict[str, Any]:
    """The cost and failure columns of one system's run."""
    records = run.records
    failed = [r for r in records if r.failure is not None]
    reports = [r.llm for r in records if r.llm is not None]
    details = [o.failure.details for o in failed if o.failure is not None and o.failure.details]
    usage = [u for m in [*reports, *details] if isinstance(u := m.get("usage"), dict)]
    aligned = [sum(a.values()) for m in reports if isinstance(a := m.get("aligned"), dict)]
    not_found = [
        sum(n for reason, n in d.items() if reason.endswith("not found"))
        for m in reports
        if isinstance(d := m.get("dropped"), dict)
    ]
    prompt = _sum(u.get("prompt_tokens") for u in usage)
    completion = _sum(u.get("completion_tokens") for u in usage)
    seconds = _sum(u.get("seconds") for u in usage)
    cost = None
    if price is not None and prompt is not None and completion is not None:
        cost = round(prompt * price.prompt + completion * price.completion, 6)
    return {
        "documents": len(records),
        "documents_failed": len(failed),
        "unparsed_responses": sum(_count(d.get(UNPARSED_KEY)) for d in details),
        "strings_located": _sum(aligned),
        "strings_ambiguous": _sum(m.get("ambiguous") for m in reports),
        "strings_not_found": _sum(not_found),
        "prompt_tokens": None if prompt is None else int(prompt),
        "completion_tokens": None if completion is None else int(completion),
        "seconds": None if seconds is None else round(seconds, 3),
        "cost": cost,
    }


COST_HEADER = [
    "system",
    "docs",
    "failed",
    "unparsed",
    "located",
    "ambiguous",
    "not found",
    "prompt tok",
    "completion tok",
    "seconds",
    "cost",
]


def cost_row(name: str, cost: dict[str, Any]) -> list[str]:
    """One system's cost columns as printed; ``n/a`` where nothing was reported."""
    keys = [
        "documents",
        "documents_failed",
        "unparsed_responses",
        "strings_located",
        "strings_ambiguous",
        "strings_not_found",
        "prompt_tokens",
        "completion_tokens",
        "seconds",
        "cost",
    ]
    return [name] + ["n/a" if cost[k] is None else f"{cost[k]:g}" for k in keys]
