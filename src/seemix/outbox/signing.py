"""Webhook signatures: how seemix signs a delivery, and how a receiver checks one (docs/webhooks.md).

Each webhook POST carries::

    Seemix-Delivery-Id: <uuid, the same in every attempt and re-send of the delivery>
    Seemix-Event: measure.notified
    Seemix-Timestamp: <seconds since the epoch, when this attempt was signed>
    Seemix-Signature: v1=<hex HMAC-SHA256(secret, f"{timestamp}.{body}")>

``verify_signature`` is what a receiver runs: this module imports nothing from Django at call time
when ``tolerance`` is given, so a receiver may copy it as is.
"""

from __future__ import annotations

import hashlib
import hmac
import time

SIGNATURE_VERSION = "v1"
HEADER_DELIVERY_ID = "Seemix-Delivery-Id"
HEADER_EVENT = "Seemix-Event"
HEADER_TIMESTAMP = "Seemix-Timestamp"
HEADER_SIGNATURE = "Seemix-Signature"


def _as_bytes(value: str | bytes) -> bytes:
    return value if isinstance(value, bytes) else value.encode()


def signature(secret: str, timestamp: int | str, body: str | bytes) -> str:
    """The hex HMAC-SHA256 of ``f"{timestamp}.{body}"`` under ``secret`` (UTF-8)."""
    message = str(timestamp).encode() + b"." + _as_bytes(body)
    return hmac.new(_as_bytes(secret), message, hashlib.sha256).hexdigest()


def signature_header(secret: str, timestamp: int | str, body: str | bytes) -> str:
    return f"{SIGNATURE_VERSION}={signature(secret, timestamp, body)}"


def verify_signature(
    secret: str,
    timestamp: int | str,
    body: str | bytes,
    signature_header: str,
    *,
    tolerance: int | None = None,
    now: float | None = None,
) -> bool:
    """True if ``signature_header`` is seemix's signature of ``body`` at ``timestamp`` under ``secret``.

    ``timestamp`` is the Seemix-Timestamp header, ``body`` the raw request body (bytes, before any
    parsing), ``signature_header`` the Seemix-Signature header. False when the signature does not
    match (forged, or body or timestamp altered), when the header is malformed, or when the
    timestamp is more than ``tolerance`` seconds away from ``now`` (default: the current time) in
    either direction — a replay of an old request. ``tolerance`` defaults to
    SEEMIX_WEBHOOK_TOLERANCE_SECONDS. Within the tolerance a captured request can still be replayed
    as is: deduplicate on Seemix-Delivery-Id (and, to be strict, on the signature) as docs/webhooks.md
    shows. The header may hold several comma-separated signatures; one valid ``v1`` is enough.
    """
    if tolerance is None:
        from django.conf import settings

        tolerance = settings.SEEMIX_WEBHOOK_TOLERANCE_SECONDS
    try:
        signed_at = int(str(timestamp).strip())
    except ValueError:
        return False
    current = time.time() if now is None else now
    if abs(current - signed_at) > tolerance:
        return False
    expected = signature(secret, signed_at, body)
    valid = False
    for part in signature_header.split(","):
        version, _, value = part.strip().partition("=")
        # Compare every candidate in constant time; don't stop early on a match.
        if version == SIGNATURE_VERSION and hmac.compare_digest(value.strip().lower(), expected):
            valid = True
    return valid
