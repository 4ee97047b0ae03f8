"""What a reader found while reading: located errors and warnings, and the file-wide interpretations."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from seemix.flows.inputs import Problem, Severity, SourceLocation


class FileRejected(Exception):
    """The file cannot be read at all (empty, header only, unknown columns...). Nothing is imported."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(f"{p.location}: {p.message}" for p in problems))
        self.problems = problems


@dataclass
class _Note:
    first: SourceLocation
    field: str
    value: str
    count: int
    message: Callable[[int], str]


class ProblemLog:
    """Collects the problems of one file as it is read, row by row.

    Rows with an error are not handed on: ``rejected_rows`` says which. An interpretation that may
    happen on many rows ("1.234" read as 1234) is reported once, at its first place, with a count.
    """

    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.rejected_rows: set[tuple[str, int]] = set()
        self._notes: dict[str, _Note] = {}

    def error(
        self, location: SourceLocation, field: str, value: str, message: str, suggestion: str = ""
    ) -> None:
        self.problems.append(Problem(location, field, value, message, Severity.ERROR, suggestion))
        if location.row is not None:
            self.rejected_rows.add((location.sheet, location.row))

    def warning(
        self, location: SourceLocation, field: str, value: str, message: str, suggestion: str = ""
    ) -> None:
        self.problems.append(Problem(location, field, value, message, Severity.WARNING, suggestion))

    def note(
        self, key: str, location: SourceLocation, field: str, value: str, message: Callable[[int], str]
    ) -> None:
        existing = self._notes.get(key)
        if existing is None:
            self._notes[key] = _Note(location, field, value, 1, message)
        else:
            existing.count += 1

    def finish(self) -> None:
        """Turn the counted interpretations into warnings (call once, after the last row)."""
        for note in self._notes.values():
            self.warning(note.first, note.field, note.value, note.message(note.count))
        self._notes.clear()

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == Severity.ERROR]

    @property
    def has_errors(self) -> bool:
        return any(p.severity == Severity.ERROR for p in self.problems)
