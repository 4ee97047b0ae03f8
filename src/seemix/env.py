"""Typed access to environment variables, the only way settings are configured (12-factor).

Every read goes through :class:`Env`, which records the variable's name so that a test can check
that each one is documented in ``.env.example``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

_MISSING = object()

# Names read through Env in this process; compared against .env.example by the tests.
READ: set[str] = set()

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


class ImproperlyConfiguredEnv(Exception):
    """An environment variable is missing or cannot be parsed; the message names it."""


class Env:
    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self._environ = os.environ if environ is None else environ

    def _raw(self, name: str, default: object) -> str | object:
        READ.add(name)
        value = self._environ.get(name)
        if value is None:
            if default is _MISSING:
                raise ImproperlyConfiguredEnv(f"environment variable {name} is required and not set")
            return default
        return value

    def str(self, name: str, default: object = _MISSING) -> str:
        value = self._raw(name, default)
        return value  # type: ignore[return-value]

    def bool(self, name: str, default: bool | object = _MISSING) -> bool:
        value = self._raw(name, default)
        if not isinstance(value, str):
            return bool(value)
        lowered = value.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ImproperlyConfiguredEnv(f"environment variable {name}={value!r} is not a boolean (use 1 or 0)")

    def int(self, name: str, default: int | object = _MISSING) -> int:
        value = self._raw(name, default)
        if not isinstance(value, str):
            return value  # type: ignore[return-value]
        try:
            return int(value.strip())
        except ValueError:
            raise ImproperlyConfiguredEnv(
                f"environment variable {name}={value!r} is not an integer"
            ) from None

    def list(self, name: str, default: list[str] | object = _MISSING) -> list[str]:
        value = self._raw(name, default)
        if not isinstance(value, str):
            return list(value)  # type: ignore[call-overload]
        return [item.strip() for item in value.split(",") if item.strip()]
