"""Where seemix keeps its files, before Django's settings exist (the demo needs it that early)."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
_CHECKOUT_ROOT = PACKAGE_DIR.parent.parent


def default_var_dir() -> Path:
    """var/ beside src/ in a checkout; var/ under the working directory in an installed environment."""
    if (_CHECKOUT_ROOT / "pyproject.toml").exists():
        return _CHECKOUT_ROOT / "var"
    return Path.cwd() / "var"


def var_dir_from_environment() -> Path:
    return Path(os.environ.get("SEEMIX_VAR_DIR") or default_var_dir()).resolve()
