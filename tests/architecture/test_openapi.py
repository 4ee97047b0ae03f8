"""The API's contract: a snapshot of the OpenAPI schema, and authentication on every operation.

After an intended API change, refresh the snapshot with
`SEEMIX_UPDATE_SNAPSHOT=1 .venv/bin/pytest tests/architecture/test_openapi.py` and review the diff.
"""

import json
import os
from pathlib import Path

from seemix.api import api

SNAPSHOT = Path(__file__).with_name("openapi.snapshot.json")
HTTP_METHODS = {"get", "post", "put", "patch", "delete"}


def current_schema() -> dict:
    return json.loads(json.dumps(api.get_openapi_schema(), sort_keys=True, default=str))


def test_openapi_schema_matches_the_snapshot():
    schema = current_schema()
    if os.environ.get("SEEMIX_UPDATE_SNAPSHOT") == "1":
        SNAPSHOT.write_text(json.dumps(schema, indent=1, sort_keys=True) + "\n")
    assert SNAPSHOT.exists(), "no snapshot yet: run with SEEMIX_UPDATE_SNAPSHOT=1"
    assert schema == json.loads(SNAPSHOT.read_text())


def test_every_operation_declares_authentication():
    schema = current_schema()
    operations = [
        (path, method, op)
        for path, item in schema["paths"].items()
        for method, op in item.items()
        if method in HTTP_METHODS
    ]
    assert operations
    unauthenticated = [f"{m.upper()} {p}" for p, m, op in operations if not op.get("security")]
    assert unauthenticated == []


def test_the_schema_is_served_and_the_docs_page_loads_only_local_assets(client):
    schema = client.get("/api/v1/openapi.json")
    docs = client.get("/api/v1/docs")
    assert schema.status_code == 200
    assert schema.json()["info"]["title"] == "seemix API"
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn." not in html
    assert "https://" not in html
