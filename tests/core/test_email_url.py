"""EMAIL_URL -> Django's email settings."""

from __future__ import annotations

import pytest

from seemix.email_url import email_settings
from seemix.env import ImproperlyConfiguredEnv


@pytest.mark.parametrize(
    ("url", "backend"),
    [
        ("console://", "django.core.mail.backends.console.EmailBackend"),
        ("locmem://", "django.core.mail.backends.locmem.EmailBackend"),
        ("dummy://", "django.core.mail.backends.dummy.EmailBackend"),
    ],
)
def test_simple_backends(url, backend):
    assert email_settings(url) == {"EMAIL_BACKEND": backend}


def test_file_backend():
    assert email_settings("file:///var/mail/seemix") == {
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": "/var/mail/seemix",
    }


def test_smtp_with_starttls_and_an_encoded_password():
    assert email_settings("smtp+tls://mailer%40example.org:p%40ss%3Aword@mail.example.org:2525") == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "mail.example.org",
        "EMAIL_PORT": 2525,
        "EMAIL_HOST_USER": "mailer@example.org",
        "EMAIL_HOST_PASSWORD": "p@ss:word",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
        "EMAIL_TIMEOUT": 30,
    }


@pytest.mark.parametrize(
    ("url", "port", "tls", "ssl"),
    [
        ("smtp://mail.example.org", 25, False, False),
        ("smtp+tls://mail.example.org", 587, True, False),
        ("smtp+ssl://mail.example.org", 465, False, True),
    ],
)
def test_smtp_default_ports(url, port, tls, ssl):
    parsed = email_settings(url)
    assert (parsed["EMAIL_PORT"], parsed["EMAIL_USE_TLS"], parsed["EMAIL_USE_SSL"]) == (port, tls, ssl)
    assert (parsed["EMAIL_HOST_USER"], parsed["EMAIL_HOST_PASSWORD"]) == ("", "")


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("smtp://", "EMAIL_URL smtp:// needs a host, e.g. smtp://mail.example.org:25"),
        ("file://", "EMAIL_URL file:// needs a directory path, e.g. file:///var/mail"),
        (
            "sendmail://localhost",
            "EMAIL_URL scheme 'sendmail' is not supported "
            "(console, locmem, dummy, file, smtp, smtp+tls, smtp+ssl)",
        ),
    ],
)
def test_bad_urls_are_refused_with_a_clear_message(url, message):
    with pytest.raises(ImproperlyConfiguredEnv) as raised:
        email_settings(url)
    assert str(raised.value) == message
