"""Problems found in input, and the error that carries them to the command line.

Every problem names the file, the document id and the JSON path, so a user can find it without a traceback.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from newsbench.wording import counted


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    doc_id: str | None
    path: str
    message: str

    def __str__(self) -> str:
        """``file: document id: $.path: message``, leaving out the parts a problem does not have.

        A problem outside any file (a bad option) has file ``-``; one about a whole unreadable file has no
        document id and the path ``$``.
        """
        parts = [] if self.file == "-" else [self.file]
        if self.doc_id is not None:
            parts.append(f"document {self.doc_id}")
        if self.path != "$" or self.doc_id is not None:
            parts.append(self.path)
        return ": ".join([*parts, self.message])


class NewsbenchError(Exception):
    """Bad input or a refused operation; the CLI prints its problems and exits with ``status`` (1)."""

    status = 1

    def __init__(self, problems: Sequence[Problem] | str) -> None:
        if isinstance(problems, str):
            problems = [Problem("-", None, "$", problems)]
        self.problems: tuple[Problem, ...] = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def collect(cls, problems: Iterable[Problem]) -> None:
        """Raise with all the given problems, if there are any."""
        found = list(problems)
        if found:
            raise cls(found)


class UsageError(NewsbenchError):
    """A command-line option with a value it cannot take (an unknown type, a negative count, a size that is
    no size) or a missing argument: exit status 2, as for the flags argparse refuses, so a script can tell a
    mistyped command from bad data."""

    status = 2


@dataclass(frozen=True)
class PredictionProblems:
    """A prediction set's mistakes that are scored as given (an unallowed role, a cluster mixing types, a
    quote type the marks disagree with), counted by the rule each breaks.

    ``documents`` of the ``of_documents`` predictions read have at least one. Reports carry these counts so
    a reader sees how much of a score rests on output that a gold corpus would refuse.
    """

    by_rule: dict[str, int] = field(default_factory=dict)
    documents: int = 0
    of_documents: int = 0

    @classmethod
    def count(cls, tolerated: Iterable[Sequence[tuple[str, Problem]]]) -> PredictionProblems:
        """From each prediction's ``(rule, problem)`` pairs, one sequence per document read."""
        by_rule: Counter[str] = Counter()
        documents = total = 0
        for found in tolerated:
            total += 1
            documents += bool(found)
            by_rule.update(rule for rule, _ in found)
        return cls(dict(sorted(by_rule.items())), documents, total)

    @property
    def total(self) -> int:
        return sum(self.by_rule.values())

    def note(self) -> str | None:
        """``5 prediction problems in 3 of 40 documents scored as given: role 4, member type 1``, or None."""
        if not self.by_rule:
            return None
        rules = ", ".join(f"{rule} {n}" for rule, n in self.by_rule.items())
        return (
            f"{counted(self.total, 'prediction problem')} in {self.documents} of "
            f"{counted(self.of_documents, 'document')} "
            f"scored as given: {rules}"
        )

    def to_json(self) -> dict[str, Any]:
        return {"by_rule": dict(self.by_rule), "documents": self.documents, "of_documents": self.of_documents}
