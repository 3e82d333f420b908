"""The leaderboard: per corpus and task, systems ranked by the headline F1 in tie groups, with intervals.

The JSON form is built first and is the only source for the Markdown, HTML and terminal forms, so the
four can never disagree. A rank is a tie group from :func:`newsbench.eval.compare`: systems sharing a rank
are not significantly different (approximate randomisation); the order inside a group is by F1 only.
Skipped systems and sections are listed with their reason rather than scored as zero.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsbench.eval.bench.cost import COST_HEADER, TokenPrice, cost_row, system_cost
from newsbench.eval.bench.runfolder import failure_counts, headline_scores
from newsbench.eval.bench.suite import Suite
from newsbench.eval.report.html import templates
from newsbench.eval.report.markdown import UNRELIABLE, pct
from newsbench.jsonio import dumps_canonical, write_atomic
from newsbench.table import markdown_table, text_table
from newsbench.table import markdown_text as md
from newsbench.wording import counted

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
        by_source: JSON | None = None,
        price: TokenPrice | None = None,
    ) -> Section:
        runs, reports, comparison = run.runs, run.reports, run.comparison
        by_name = {r.system.name: (r, report) for r, report in zip(runs, reports, strict=True)}
        ranked: JSON = {}
        first = reports[0]
        for task in tasks:
            metric = headline[task]
            if task in first.not_scored:
                ranked[task] = {"metric": metric, "ranking": [], "not_scored": first.not_scored[task]}
                continue
            groups = comparison.groups.get((task, metric)) if comparison is not None else None
            if groups is None:
                groups = [[r.system.name] for r in runs]
            skipped_by_system = sorted(r.system.name for r in runs if task not in r.system.tasks)
            groups = [kept for g in groups if (kept := [s for s in g if s not in skipped_by_system])]
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
            ranked[task] = {
                "metric": metric,
                "ranking": rows,
                "not_scored": None,
                "not_attempted": skipped_by_system,
            }
        return cls(
            {
                "name": name,
                "split": split,
                "documents": first.gold_documents,
                "degenerate": first.degenerate,
                "small_sample": first.small_sample,
                "signature": comparison.signature() if comparison is not None else first.signature,
                "tasks": ranked,
                "systems": [
                    {
                        "name": r.system.name,
                        "version": r.system.version,
                        "config_hash": r.system.config_hash,
                        "tasks": list(r.system.tasks),
                        "failures": len(r.failures),
                        "failures_by_kind": failure_counts(r),
                        "cost": system_cost(r, price),
                    }
                    for r in runs
                ],
                "skipped": [s.to_json() for s in skipped],
                "notes": ([ONE_DOCUMENT] if first.gold_documents == 1 else [])
                + ([f"{UNRELIABLE} {first.small_sample}"] if first.small_sample else [])
                + [f"{task} not scored: {reason}" for task, reason in first.not_scored.items()]
                + list(notes),
                **({"by_source": by_source} if by_source is not None else {}),
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


def _ci(ci: list[float] | None, unreliable: bool) -> str:
    """An interval as the reports show it, marked with the reports' ``†`` when it rests on too few documents
    (:func:`newsbench.eval.stats.sample.small_sample_note`, the section's ``small_sample``)."""
    return "n/a" if ci is None else f"[{_f(ci[0])}, {_f(ci[1])}]" + (UNRELIABLE if unreliable else "")


def _not_attempted(task: str, body: JSON) -> list[str]:
    """Systems that declare they do not attempt the task: not ranked, and not shown as 0."""
    names = body.get("not_attempted") or []
    return (
        [f"not attempted by {', '.join(names)}: not predicted, so not ranked (n/a, not 0)"] if names else []
    )


def _rows(task: JSON, section: JSON) -> list[list[str]]:
    return [
        [
            str(r["rank"]),
            r["system"],
            _f(r["precision"]),
            _f(r["recall"]),
            _f(r["f1"]),
            _ci(r["ci95"], bool(section["small_sample"])),
            str(r["failures"]),
        ]
        for r in task["ranking"]
    ]


def _cost_rows(section: JSON) -> list[list[str]]:
    return [cost_row(s["name"], s["cost"]) for s in section["systems"]]


HEADER = ["rank", "system", "P (%)", "R (%)", "F1 (%)", "F1 95% CI (%)", "failed docs"]


def _source_tables(section: JSON) -> list[tuple[str, list[str], list[list[str]]]]:
    """(title, header, rows) per task for a section's per-source figures: systems down, sources across."""
    by_source = section.get("by_source")
    if not by_source:
        return []
    sources = by_source["sources"]
    header = [
        "system",
        *(f"{s['name']} ({counted(s['documents'], 'doc')})" for s in sources),
    ]
    tables = []
    for task, body in section["tasks"].items():
        systems = [r["system"] for r in body["ranking"]]
        rows = [
            [
                system,
                *(
                    _f(s["tasks"][task][system]["f1"]) if system in s["tasks"].get(task, {}) else "n/a"
                    for s in sources
                ),
            ]
            for system in systems
        ]
        title = f"{task}: {body['metric']} F1 (%) by {by_source['by']}"
        tables.append((title, header, rows))
    return tables


SOURCE_NOTE = "per-source figures rest on few documents each: no intervals or ranks; cite the ranking above"


def _section_title(section: JSON) -> str:
    count = section["documents"]
    docs = counted(count, "document")
    return (
        f"{section['name']} ({section['split']} split, {docs})"
        if section["split"]
        else f"{section['name']} ({docs})"
    )


def _notes(section: JSON) -> list[str]:
    """What a reader must know about a section's numbers: degenerate intervals, a track's type space."""
    notes = [f"no confidence intervals: {section['degenerate']}"] if section["degenerate"] else []
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


def _suite_line(suite: JSON, escape: Callable[[str], str]) -> str:
    """``Suite version V`` or, for a suite that gives no version, just ``Suite`` (never an empty version)."""
    return "Suite" if suite["version"] is None else f"Suite version {escape(str(suite['version']))}"


def render_text(data: JSON) -> str:
    """What ``newsbench bench`` prints: one ranked table per corpus and task."""
    version = data["suite"]["version"]
    out = [
        f"leaderboard: {data['suite']['name']}" + ("" if version is None else f" (suite version {version})")
    ]
    for section in data["sections"]:
        out += ["", _section_title(section)]
        out += [f"note: {note}" for note in _notes(section)]
        for task, body in section["tasks"].items():
            out += ["", f"{task}: {body['metric']} F1", text_table(HEADER, _rows(body, section))]
            out += [f"note: {line}" for line in _not_attempted(task, body)]
        for title, header, rows in _source_tables(section):
            out += ["", title, text_table(header, rows)]
        if section.get("by_source"):
            out += [f"note: {SOURCE_NOTE}"]
        out += ["", "cost and failures", text_table(COST_HEADER, _cost_rows(section))]
        out += ["", f"signature: {section['signature']}"]
    skipped = _skipped_lines(data)
    if skipped:
        out += ["", "skipped:"] + [f"  {line}" for line in skipped]
    out += ["", data["ties"]]
    return "\n".join(out) + "\n"


def render_markdown(data: JSON) -> str:
    out = [
        f"# Leaderboard: {md(str(data['suite']['name']))}",
        "",
        _suite_line(data["suite"], md) + f", sha256 `{data['suite']['sha256']}`. {data['ties']}",
    ]
    for section in data["sections"]:
        out += ["", f"## {md(_section_title(section))}", ""]
        out += [line for note in _notes(section) for line in (f"> {md(note)}", "")]
        for task, body in section["tasks"].items():
            out += [
                f"### {md(task)}: {md(str(body['metric']))} F1",
                "",
                markdown_table(HEADER, _rows(body, section)),
                "",
                *[f"> {md(line)}\n" for line in _not_attempted(task, body)],
            ]
        tables = _source_tables(section)
        if tables:
            out += [f"> {SOURCE_NOTE}", ""]
        for title, header, rows in tables:
            out += [f"### {md(title)}", "", markdown_table(header, rows), ""]
        out += ["### Cost and failures", "", markdown_table(COST_HEADER, _cost_rows(section)), ""]
        out += [f"Signature: `{section['signature']}`"]
    skipped = _skipped_lines(data)
    if skipped:
        out += ["", "## Skipped", ""] + [f"- {md(line)}" for line in skipped]
    return "\n".join(out) + "\n"


BAR_WIDTH = 160
BAR_HEIGHT = 14


def _bar(row: JSON, section: JSON) -> JSON:
    """The geometry of a row's inline SVG bar: F1, and the interval as a whisker when there is one."""

    def x(value: float) -> float:
        return round(value * BAR_WIDTH, 1)

    ci = None if row["ci95"] is None else [x(row["ci95"][0]), x(row["ci95"][1])]
    label = f"F1 {_f(row['f1'])} {_ci(row['ci95'], bool(section['small_sample']))}"
    return {
        "width": BAR_WIDTH,
        "height": BAR_HEIGHT,
        "f1": x(row["f1"]),
        "ci": ci,
        "mid": BAR_HEIGHT / 2,
        "label": label,
    }


def render_html(data: JSON) -> str:
    """One self-contained page from the ``leaderboard.html`` template, which escapes every value it writes."""
    sections = [
        {
            "title": _section_title(section),
            "notes": _notes(section),
            "tasks": [
                {
                    "name": task,
                    "metric": body["metric"],
                    "rows": [
                        {"cells": cells, "bar": _bar(row, section)}
                        for row, cells in zip(body["ranking"], _rows(body, section), strict=True)
                    ],
                    "notes": _not_attempted(task, body),
                }
                for task, body in section["tasks"].items()
            ],
            "sources": [
                {"title": title, "header": header, "rows": rows}
                for title, header, rows in _source_tables(section)
            ]
            + [{"title": "Cost and failures", "header": COST_HEADER, "rows": _cost_rows(section)}],
            "source_note": SOURCE_NOTE if section.get("by_source") else None,
            "signature": section["signature"],
        }
        for section in data["sections"]
    ]
    return (
        templates()
        .get_template("leaderboard.html")
        .render(
            suite=data["suite"],
            suite_line=_suite_line(data["suite"], str),
            ties=data["ties"],
            sections=sections,
            header=[*HEADER, ""],
            skipped=_skipped_lines(data),
        )
    )


def write_leaderboard(folder: Path, data: JSON) -> None:
    write_atomic(folder / FILES["json"], dumps_canonical(data))
    write_atomic(folder / FILES["md"], render_markdown(data))
    write_atomic(folder / FILES["html"], render_html(data))
