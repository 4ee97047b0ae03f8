"""Parse EMAIL_URL into Django's email settings.

Forms: ``console://``, ``locmem://``, ``dummy://``, ``file:///path/to/dir``,
``smtp://user:password@host:25``, ``smtp+tls://...:587`` (STARTTLS), ``smtp+ssl://...:465``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote, urlsplit

from seemix.env import ImproperlyConfiguredEnv

_SIMPLE = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "dummy": "django.core.mail.backends.dummy.EmailBackend",
}


def email_settings(url: str) -> dict[str, Any]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in _SIMPLE:
        return {"EMAIL_BACKEND": _SIMPLE[scheme]}
    if scheme == "file":
        if not parts.path:
            raise ImproperlyConfiguredEnv("EMAIL_URL file:// needs a directory path, e.g. file:///var/mail")
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": unquote(parts.path),
        }
    if scheme in {"smtp", "smtp+tls", "smtp+ssl"}:
        if not parts.hostname:
            raise ImproperlyConfiguredEnv("EMAIL_URL smtp:// needs a host, e.g. smtp://mail.example.org:25")
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": parts.hostname,
            "EMAIL_PORT": parts.port or {"smtp": 25, "smtp+tls": 587, "smtp+ssl": 465}[scheme],
            "EMAIL_HOST_USER": unquote(parts.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
            "EMAIL_USE_TLS": scheme == "smtp+tls",
            "EMAIL_USE_SSL": scheme == "smtp+ssl",
            "EMAIL_TIMEOUT": 30,
        }
    raise ImproperlyConfiguredEnv(
        f"EMAIL_URL scheme {scheme!r} is not supported "
        "(console, locmem, dummy, file, smtp, smtp+tls, smtp+ssl)"
    )
