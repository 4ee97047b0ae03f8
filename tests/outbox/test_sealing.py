"""Webhook secrets at rest: sealed with a key derived from SECRET_KEY, tamper-evident, rotatable."""

from __future__ import annotations

from typing import Any

import pytest

from seemix.outbox.sealing import UnsealError, seal, unseal

SECRET = "whsec_Zm9vYmFyYmF6cXV4LXNlYWxpbmctdGVzdA"


def test_a_sealed_secret_unseals_to_itself_and_does_not_show_it() -> None:
    # when
    sealed = seal(SECRET)
    # then
    assert unseal(sealed) == SECRET
    assert SECRET not in sealed
    assert "Zm9vYmFy" not in sealed


def test_sealing_twice_gives_two_different_values() -> None:
    assert seal(SECRET) != seal(SECRET)


@pytest.mark.parametrize("position", [3, 20, -5])
def test_a_tampered_seal_is_refused(position: int) -> None:
    # given
    sealed = seal(SECRET)
    flipped = "A" if sealed[position] != "A" else "B"
    tampered = sealed[:position] + flipped + sealed[position + 1 :]
    # then
    with pytest.raises(UnsealError):
        unseal(tampered)


@pytest.mark.parametrize("junk", ["", "s1.", "s2.AAAA", "s1.not base64!", "plain-secret"])
def test_junk_is_refused(junk: str) -> None:
    with pytest.raises(UnsealError):
        unseal(junk)


def test_a_new_secret_key_cannot_unseal_until_the_old_one_is_a_fallback(settings: Any) -> None:
    # given
    sealed = seal(SECRET)
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY = "a-brand-new-secret-key-0123456789-abcdefghijklmnop"
    # then
    with pytest.raises(UnsealError):
        unseal(sealed)
    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert unseal(sealed) == SECRET
