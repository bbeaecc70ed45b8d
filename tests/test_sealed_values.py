"""A value sealed into the session comes back only under the same key, untouched."""

from __future__ import annotations

import base64

from hypothesis import given
from hypothesis import strategies as st

from scheduler.core.sealed import seal
from scheduler.core.sealed import unseal


@given(st.text(max_size=200))
def test_a_sealed_value_comes_back_whole(value: str) -> None:
    assert unseal("key of this site", seal("key of this site", value)) == value


def test_the_sealed_text_does_not_show_the_value() -> None:
    secret = "esc_Zm9vYmFyYmF6cXV4cXV1eA"
    sealed = seal("key", secret)
    assert secret not in sealed
    assert secret.encode() not in base64.urlsafe_b64decode(sealed)


def test_two_seals_of_one_value_differ() -> None:
    assert seal("key", "same") != seal("key", "same")


def test_another_key_or_a_changed_byte_opens_nothing() -> None:
    sealed = seal("key", "a secret")
    assert unseal("other key", sealed) is None
    raw = bytearray(base64.urlsafe_b64decode(sealed))
    raw[20] ^= 1
    assert unseal("key", base64.urlsafe_b64encode(bytes(raw)).decode()) is None


def test_garbage_is_refused_not_raised() -> None:
    for junk in ["", "!!!", "é", "abc", base64.urlsafe_b64encode(b"x" * 10).decode()]:
        assert unseal("key", junk) is None
