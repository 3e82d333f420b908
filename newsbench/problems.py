"""Problems found in input, and the error that carries them to the command line.

Every problem names the file, the document id and the JSON path, so a user can find it without a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass


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
    """Bad input or a refused operation; the CLI prints its problems and exits 1."""

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
