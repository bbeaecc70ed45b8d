"""Sealing a secret that must cross one redirect inside the session cookie.

Flask's session is signed, not encrypted: anyone holding a copy of the cookie (a shared
computer's profile, a proxy's log, a bug report's screenshot of the developer tools) can
read it. A value sealed here is XORed with a keystream drawn from HMAC-SHA256 under a key
derived from the application's secret key and a fresh random nonce (counter mode with HMAC
as the pseudo-random function), and carries a tag, so the cookie alone reveals nothing and
a tampered value is refused rather than shown.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import secrets

NONCE_BYTES = 16
TAG_BYTES = 16
#: Keeps the key of this use apart from every other use of the application's secret key.
PURPOSE = b"escouade/sealed-session-value/v1"


def _key(secret_key: str | bytes, usage: bytes) -> bytes:
    raw = secret_key.encode("utf-8") if isinstance(secret_key, str) else secret_key
    return hmac.new(raw, PURPOSE + b"/" + usage, hashlib.sha256).digest()


def _xor_stream(secret_key: str | bytes, nonce: bytes, data: bytes) -> bytes:
    """``data`` XORed with the keystream of ``nonce``: encrypts and decrypts alike."""
    key = _key(secret_key, b"enc")
    blocks = [
        hmac.new(key, nonce + counter.to_bytes(8, "big"), hashlib.sha256).digest()
        for counter in range((len(data) + 31) // 32)
    ]
    stream = b"".join(blocks)[: len(data)]
    return bytes(a ^ b for a, b in zip(data, stream, strict=True))


def seal(secret_key: str | bytes, value: str) -> str:
    """``value`` encrypted and tagged, as URL-safe text that fits in a session."""
    plain = value.encode("utf-8")
    nonce = secrets.token_bytes(NONCE_BYTES)
    cipher = _xor_stream(secret_key, nonce, plain)
    tag = hmac.new(_key(secret_key, b"mac"), nonce + cipher, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(nonce + cipher + tag[:TAG_BYTES]).decode("ascii")


def unseal(secret_key: str | bytes, sealed: str) -> str | None:
    """The value :func:`seal` sealed, or None if it was altered or sealed under another key."""
    try:
        raw = base64.urlsafe_b64decode(sealed.encode("ascii"))
    except (binascii.Error, UnicodeEncodeError, ValueError):
        return None
    if len(raw) < NONCE_BYTES + TAG_BYTES:
        return None
    nonce, cipher, tag = raw[:NONCE_BYTES], raw[NONCE_BYTES:-TAG_BYTES], raw[-TAG_BYTES:]
    expected = hmac.new(_key(secret_key, b"mac"), nonce + cipher, hashlib.sha256).digest()
    if not hmac.compare_digest(expected[:TAG_BYTES], tag):
        return None
    try:
        return _xor_stream(secret_key, nonce, cipher).decode("utf-8")
    except UnicodeDecodeError:
        return None
