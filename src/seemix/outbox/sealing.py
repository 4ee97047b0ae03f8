"""Encryption at rest of webhook secrets, with keys derived from SECRET_KEY.

A webhook secret is shared with the receiver and must be usable by the worker to sign, so it
cannot be stored as a one-way hash. It is sealed with a standard construction built from the
standard library only: HMAC-SHA256 as a pseudo-random function in counter mode for the key stream
(a random 128-bit nonce per seal), then encrypt-then-MAC with a second HMAC-SHA256 key over the
version, nonce and ciphertext. Both keys are derived from SECRET_KEY with distinct salts.

Rotating SECRET_KEY: put the old key in SECRET_KEY_FALLBACKS (Django's own setting) and the
sealed secrets stay readable; re-seal them by rotating each endpoint's secret, then drop the old key.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os

from django.conf import settings

VERSION = b"s1"
NONCE_BYTES = 16
TAG_BYTES = 32


class UnsealError(ValueError):
    """The sealed value was tampered with, or sealed under a SECRET_KEY that is no longer configured."""


def _keys(secret_key: str) -> tuple[bytes, bytes]:
    master = secret_key.encode()
    enc = hmac.new(master, b"seemix.outbox.sealing.encryption", hashlib.sha256).digest()
    mac = hmac.new(master, b"seemix.outbox.sealing.authentication", hashlib.sha256).digest()
    return enc, mac


def _keystream(key: bytes, nonce: bytes, length: int) -> bytes:
    blocks = []
    for counter in range((length + 31) // 32):
        blocks.append(hmac.new(key, nonce + counter.to_bytes(8, "big"), hashlib.sha256).digest())
    return b"".join(blocks)[:length]


def _xor(data: bytes, stream: bytes) -> bytes:
    return bytes(a ^ b for a, b in zip(data, stream, strict=True))


def seal(plaintext: str) -> str:
    enc, mac = _keys(settings.SECRET_KEY)
    nonce = os.urandom(NONCE_BYTES)
    data = plaintext.encode()
    ciphertext = _xor(data, _keystream(enc, nonce, len(data)))
    tag = hmac.new(mac, VERSION + nonce + ciphertext, hashlib.sha256).digest()
    return (VERSION + b"." + base64.urlsafe_b64encode(nonce + ciphertext + tag)).decode()


def unseal(sealed: str) -> str:
    version, _, encoded = sealed.encode().partition(b".")
    if version != VERSION:
        raise UnsealError("unknown sealing version")
    try:
        raw = base64.urlsafe_b64decode(encoded)
    except ValueError:
        raise UnsealError("not a sealed value") from None
    if len(raw) < NONCE_BYTES + TAG_BYTES:
        raise UnsealError("not a sealed value")
    nonce, ciphertext, tag = raw[:NONCE_BYTES], raw[NONCE_BYTES:-TAG_BYTES], raw[-TAG_BYTES:]
    for secret_key in [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]:
        enc, mac = _keys(secret_key)
        expected = hmac.new(mac, VERSION + nonce + ciphertext, hashlib.sha256).digest()
        if hmac.compare_digest(expected, tag):
            return _xor(ciphertext, _keystream(enc, nonce, len(ciphertext))).decode()
    raise UnsealError("the sealed value does not authenticate under SECRET_KEY or its fallbacks")
