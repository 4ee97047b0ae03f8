"""Helpers of the reader tests: read a file whole, and show problems in one line each."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from seemix.flows.inputs import ObservationInput, Problem
from seemix.flows.readers import FileRejected, open_reader


def read(path: Path, participant: str = "HR", **options: Any) -> tuple[list[ObservationInput], list[str]]:
    """(rows, problems as 'severity row column: message | suggestion')."""
    with open_reader(path, participant=participant, **options) as reader:
        reader.strict = False  # the tests read the log themselves
        rows = list(reader)
        return rows, [shown(p) for p in reader.log.problems]


def rejected(path: Path, participant: str = "HR", **options: Any) -> list[str]:
    with pytest.raises(FileRejected) as caught:
        read(path, participant, **options)
    return [shown(p) for p in caught.value.problems]


def shown(problem: Problem) -> str:
    where = problem.location
    text = f"{problem.severity} {where.sheet + ' ' if where.sheet else ''}{where.row} {where.column}: "
    text += problem.message
    return f"{text} | {problem.suggestion}" if problem.suggestion else text


def csv_file(tmp_path: Path, text: str, name: str = "figures.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path
