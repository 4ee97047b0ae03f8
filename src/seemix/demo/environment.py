"""The environment of `seemix demo`: a local, plain-HTTP server that needs no configuration."""

from __future__ import annotations

import os
import secrets

from seemix.paths import var_dir_from_environment


def prepare_demo_environment() -> None:
    """Give the demo a persistent secret key and cookie settings that work over http://127.0.0.1.

    Runs before Django reads its settings. Values already in the environment win, so the demo can
    be pointed at PostgreSQL with DATABASE_URL, or run with a real SECRET_KEY.
    """
    var_dir = var_dir_from_environment()
    var_dir.mkdir(parents=True, exist_ok=True)
    if not os.environ.get("SECRET_KEY"):
        key_file = var_dir / "demo-secret-key"
        if not key_file.exists():
            key_file.write_text(secrets.token_urlsafe(50))
            key_file.chmod(0o600)
        os.environ["SECRET_KEY"] = key_file.read_text().strip()
    # The demo serves plain HTTP on the loopback address: Secure cookies would never be sent back.
    os.environ.setdefault("SECURE_COOKIES", "0")
    os.environ.setdefault("DEBUG", "0")
