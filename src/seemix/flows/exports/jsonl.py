"""JSON export, streamed: {"columns": [...], "observations": [{...}, ...]}."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from seemix.flows.exports.rows import COLUMNS, ExportRow, as_dict

CHUNK_ROWS = 2000


def write_json(rows: Iterable[ExportRow], *, meta: dict[str, Any] | None = None) -> Iterator[str]:
    head = {"format": "seemix-observations", "version": 1, **(meta or {}), "columns": list(COLUMNS)}
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "observations": ['
    parts: list[str] = []
    first = True
    for row in rows:
        parts.append(("" if first else ",") + json.dumps(as_dict(row), ensure_ascii=False))
        first = False
        if len(parts) >= CHUNK_ROWS:
            yield "".join(parts)
            parts.clear()
    parts.append("]}")
    yield "".join(parts)
