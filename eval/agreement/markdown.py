"""``agreement.md``: the agreement report for people; ``agreement.json`` (canonical) is the one for scripts."""

from __future__ import annotations

from typing import Any

from newsbench.eval.agreement.measure import Agreement, disagreement_json
from newsbench.eval.report.markdown import pct
from newsbench.table import markdown_table
from newsbench.wording import counted

MAX_LISTED = 200
"""Disagreements listed in the Markdown; agreement.json holds all of them."""


def f1_rows(agreement: Agreement) -> list[list[str]]:
    """task, metric, F1 with A as reference, F1 with B as reference (percent)."""
    rows = []
    for task, metrics in agreement.layers().items():
        for metric, directions in metrics.items():
            a = directions.get("A_reference", {}).get("f1")
            b = directions.get("B_reference", {}).get("f1")
            rows.append(
                [task, metric, pct(None if a is None else float(a)), pct(None if b is None else float(b))]
            )
    return rows


def _where(item: dict[str, Any] | None) -> str:
    """``start: “text” TYPE`` of a mention, trigger or quote as the scorer describes it."""
    if not item:
        return ""
    spans = item.get("spans") or [{}]
    return f"{spans[0].get('start', '?')}: “{item.get('text', '')}” {item.get('type', '')}".strip()


def agreement_markdown(agreement: Agreement) -> str:
    kappa = agreement.tokens.kappa
    options = agreement.a_reference.options
    lines = [
        "# newsbench agreement report",
        "",
        f"A: `{agreement.a_name}` · B: `{agreement.b_name}` · {counted(agreement.documents, 'document')} · "
        f"mention kinds {', '.join(options.mention_kinds)} · partial credit {options.partial_credit}",
        "",
        "## Span agreement (F1, %)",
        "",
        "With A as reference, B is scored as if it were a system's output against A as gold; and the other way.",
        "",
        markdown_table(
            ("layer", "metric", "F1 (%), A as reference", "F1 (%), B as reference"), f1_rows(agreement)
        ),
        "",
        "## Token agreement",
        "",
        f"{agreement.tokens.tokens} tokens, observed agreement {pct(agreement.tokens.observed)}%, Cohen's kappa "
        + (
            "undefined (both sides used one and the same label throughout)"
            if kappa is None
            else f"{kappa:.4f}"
        )
        + ". Labels: the entity type of the longest covering mention of a scored kind, or O.",
        "",
        "### Confusion (tokens; rows A, columns B)",
        "",
    ]
    labels, rows = agreement.tokens.confusion.rows()
    lines += [markdown_table(("A \\ B", *labels), rows), ""]
    listed = [disagreement_json(r) for r in agreement.disagreements[:MAX_LISTED]]
    lines += [f"## Disagreements ({len(agreement.disagreements)})", ""]
    if len(agreement.disagreements) > MAX_LISTED:
        lines += [f"The first {MAX_LISTED}; agreement.json lists all of them.", ""]
    table = [[d["doc_id"], d["layer"], d["kind"], _where(d["A"]), _where(d["B"])] for d in listed]
    lines += [markdown_table(("document", "layer", "kind", "A", "B"), table) if table else "None.", ""]
    return "\n".join(lines).rstrip() + "\n"
