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
    batch: list[dict[str, Any]] = []
    separator = ""
    for row in rows:
        batch.append(as_dict(row))
        if len(batch) >= CHUNK_ROWS:
            # One encoder call per chunk: per-row calls cost more than the encoding itself.
            yield separator + json.dumps(batch, ensure_ascii=False)[1:-1]
            separator = ","
            batch.clear()
    tail = json.dumps(batch, ensure_ascii=False)[1:-1] if batch else ""
    yield (separator + tail if tail else "") + "]}"
