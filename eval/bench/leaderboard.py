"""The leaderboard: per corpus and task, systems ranked by the headline F1 in tie groups, with intervals.

The JSON form is built first and is the only source for the Markdown, HTML and terminal forms, so the
four can never disagree. A rank is a tie group from :func:`newsbench.eval.compare`: systems sharing a rank
are not significantly different (approximate randomisation); the order inside a group is by F1 only.
Skipped systems and sections are listed with their reason rather than scored as zero.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsbench.eval.bench.runfolder import failure_counts, headline_scores
from newsbench.eval.bench.suite import Suite
from newsbench.eval.report.markdown import pct
from newsbench.jsonio import dumps_canonical, write_atomic
from newsbench.table import markdown_table, text_table

if TYPE_CHECKING:
    from newsbench.eval.bench.benchmark import CorpusRun

JSON = dict[str, Any]
FILES = {"json": "leaderboard.json", "md": "leaderboard.md", "html": "leaderboard.html"}
TIES = "Systems sharing a rank are not significantly different (approximate randomisation, alpha 0.05)."
ONE_DOCUMENT = "with one document no difference between systems can be significant, so all share one rank"


@dataclass(frozen=True)
class Skipped:
    name: str
    reason: str

    def to_json(self) -> dict[str, str]:
        return {"name": self.name, "reason": self.reason}


@dataclass(frozen=True)
class Section:
    """One corpus's part of the leaderboard, already in JSON form."""

    data: JSON

    @classmethod
    def of(
        cls,
        name: str,
        split: str | None,
        run: CorpusRun,
        tasks: Sequence[str],
        headline: dict[str, str],
        skipped: Sequence[Skipped] = (),
        notes: Sequence[str] = (),
    ) -> Section:
        runs, reports, comparison = run.runs, run.reports, run.comparison
        by_name = {r.system.name: (r, report) for r, report in zip(runs, reports, strict=True)}
        ranked: JSON = {}
        for task in tasks:
            metric = headline[task]
            groups = comparison.groups.get((task, metric)) if comparison is not None else None
            if groups is None:
                groups = [[r.system.name] for r in runs]
            rows = []
            for rank, group in enumerate(groups, start=1):
                for system in group:
                    system_run, report = by_name[system]
                    scores = headline_scores(report, {task: metric}).get(task)
                    if scores is None:
                        continue
                    rows.append(
                        {
                            "rank": rank,
                            "system": system,
                            "precision": scores["precision"],
                            "recall": scores["recall"],
                            "f1": scores["f1"],
                            "ci95": scores["ci95"],
                            "failures": len(system_run.failures),
                        }
                    )
            ranked[task] = {"metric": metric, "ranking": rows}
        first = reports[0]
        return cls(
            {
                "name": name,
                "split": split,
                "documents": first.gold_documents,
                "degenerate": first.degenerate,
                "signature": comparison.signature() if comparison is not None else first.signature,
                "tasks": ranked,
                "systems": [
                    {
                        "name": r.system.name,
                        "version": r.system.version,
                        "config_hash": r.system.config_hash,
                        "failures": len(r.failures),
                        "failures_by_kind": failure_counts(r),
                    }
                    for r in runs
                ],
                "skipped": [s.to_json() for s in skipped],
                "notes": ([ONE_DOCUMENT] if first.gold_documents == 1 else []) + list(notes),
            }
        )


def leaderboard_json(
    suite: Suite,
    sections: Sequence[Section],
    skipped_systems: Sequence[Skipped],
    skipped_sections: Sequence[Skipped],
) -> JSON:
    return {
        "suite": {"name": suite.name, "version": suite.version, "sha256": suite.hash},
        "ties": TIES,
        "sections": [s.data for s in sections],
        "skipped": {
            "systems": [s.to_json() for s in skipped_systems],
            "sections": [s.to_json() for s in skipped_sections],
        },
    }


def _f(value: float) -> str:
    """Scores as percentages with two decimals, as ``report.md`` and ``newsbench score`` show them (the
    JSON keeps the fractions)."""
    return pct(value)


def _ci(ci: list[float] | None) -> str:
    return "n/a" if ci is None else f"[{_f(ci[0])}, {_f(ci[1])}]"


def _rows(task: JSON) -> list[list[str]]:
    return [
        [
            str(r["rank"]),
            r["system"],
            _f(r["precision"]),
            _f(r["recall"]),
            _f(r["f1"]),
            _ci(r["ci95"]),
            str(r["failures"]),
        ]
        for r in task["ranking"]
    ]


HEADER = ["rank", "system", "P (%)", "R (%)", "F1 (%)", "95% CI", "failed docs"]


def _section_title(section: JSON) -> str:
    count = section["documents"]
    docs = f"{count} document{'s' if count != 1 else ''}"
    return (
        f"{section['name']} ({section['split']} split, {docs})"
        if section["split"]
        else f"{section['name']} ({docs})"
    )


def _notes(section: JSON) -> list[str]:
    """What a reader must know about a section's numbers: degenerate intervals, a track's type space."""
    notes: list[str] = [section["degenerate"]] if section["degenerate"] else []
    return notes + list(section["notes"])


def _skipped_lines(data: JSON) -> list[str]:
    lines = [f"system {s['name']}: {s['reason']}" for s in data["skipped"]["systems"]]
    lines += [
        f"system {s['name']} on {section['name']}: {s['reason']}"
        for section in data["sections"]
        for s in section["skipped"]
    ]
    lines += [f"section {s['name']}: {s['reason']}" for s in data["skipped"]["sections"]]
    return lines


def render_text(data: JSON) -> str:
    """What ``newsbench bench`` prints: one ranked table per corpus and task."""
    out = [f"leaderboard: {data['suite']['name']} (suite version {data['suite']['version']})"]
    for section in data["sections"]:
        out += ["", _section_title(section)]
        out += [f"note: {note}" for note in _notes(section)]
        for task, body in section["tasks"].items():
            out += ["", f"{task}: {body['metric']} F1", text_table(HEADER, _rows(body))]
        out += ["", f"signature: {section['signature']}"]
    skipped = _skipped_lines(data)
    if skipped:
        out += ["", "skipped:"] + [f"  {line}" for line in skipped]
    out += ["", data["ties"]]
    return "\n".join(out) + "\n"


def render_markdown(data: JSON) -> str:
    out = [
        f"# Leaderboard: {data['suite']['name']}",
        "",
        f"Suite version {data['suite']['version']}, sha256 `{data['suite']['sha256']}`. {data['ties']}",
    ]
    for section in data["sections"]:
        out += ["", f"## {_section_title(section)}", ""]
        out += [line for note in _notes(section) for line in (f"> {note}", "")]
        for task, body in section["tasks"].items():
            out += [f"### {task}: {body['metric']} F1", "", markdown_table(HEADER, _rows(body)), ""]
        out += [f"Signature: `{section['signature']}`"]
    skipped = _skipped_lines(data)
    if skipped:
        out += ["", "## Skipped", ""] + [f"- {line}" for line in skipped]
    return "\n".join(out) + "\n"


BAR_WIDTH = 160
BAR_HEIGHT = 14
STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
th, td { padding: 0.25em 0.7em; border-bottom: 1px solid #ddd; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
code { font-size: 0.85em; word-break: break-all; }
.note { color: #555; }
"""


def _bar(row: JSON) -> str:
    """An inline SVG bar for F1 with the interval as a whisker; no script, no external resource."""

    def x(value: float) -> float:
        return round(value * BAR_WIDTH, 1)

    parts = [f'<rect x="0" y="2" width="{x(row["f1"])}" height="{BAR_HEIGHT - 4}" fill="#4a7ebb"/>']
    if row["ci95"] is not None:
        low, high = x(row["ci95"][0]), x(row["ci95"][1])
        mid = BAR_HEIGHT / 2
        parts.append(f'<line x1="{low}" y1="{mid}" x2="{high}" y2="{mid}" stroke="#222" stroke-width="1.5"/>')
        parts += [
            f'<line x1="{v}" y1="3" x2="{v}" y2="{BAR_HEIGHT - 3}" stroke="#222"/>' for v in (low, high)
        ]
    label = html.escape(f"F1 {_f(row['f1'])} {_ci(row['ci95'])}")
    return (
        f'<svg width="{BAR_WIDTH}" height="{BAR_HEIGHT}" role="img" aria-label="{label}">'
        f'<rect x="0" y="2" width="{BAR_WIDTH}" height="{BAR_HEIGHT - 4}" fill="#eee"/>{"".join(parts)}</svg>'
    )


def render_html(data: JSON) -> str:
    """One self-contained page; every piece of text from outside (names, reasons, signatures) is escaped."""
    e = html.escape
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>Leaderboard: {e(data['suite']['name'])}</title><style>{STYLE}</style></head><body>",
        f"<h1>Leaderboard: {e(data['suite']['name'])}</h1>",
        f'<p class="note">Suite version {e(data["suite"]["version"])}, sha256 <code>{e(data["suite"]["sha256"])}</code>. '
        f"{e(data['ties'])}</p>",
    ]
    for section in data["sections"]:
        out.append(f"<h2>{e(_section_title(section))}</h2>")
        out += [f'<p class="note">{e(note)}</p>' for note in _notes(section)]
        for task, body in section["tasks"].items():
            out.append(f"<h3>{e(task)}: {e(body['metric'])} F1</h3><table><thead><tr>")
            out.append("".join(f"<th>{e(h)}</th>" for h in [*HEADER, ""]) + "</tr></thead><tbody>")
            for row, cells in zip(body["ranking"], _rows(body), strict=True):
                tds = "".join(
                    f'<td class="num">{e(c)}</td>' if i != 1 else f"<td>{e(c)}</td>"
                    for i, c in enumerate(cells)
                )
                out.append(f"<tr>{tds}<td>{_bar(row)}</td></tr>")
            out.append("</tbody></table>")
        out.append(f'<p class="note">Signature: <code>{e(section["signature"])}</code></p>')
    skipped = _skipped_lines(data)
    if skipped:
        out.append("<h2>Skipped</h2><ul>" + "".join(f"<li>{e(line)}</li>" for line in skipped) + "</ul>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def write_leaderboard(folder: Path, data: JSON) -> None:
    write_atomic(folder / FILES["json"], dumps_canonical(data))
    write_atomic(folder / FILES["md"], render_markdown(data))
    write_atomic(folder / FILES["html"], render_html(data))
