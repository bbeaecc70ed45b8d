"""Unguessable secrets for private links (a request page, a calendar feed).

Only a SHA-256 of a token is stored: a copy of the database does not open
anyone's links. Tokens carry 128 bits of randomness; comparison is constant-time.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

TOKEN_BYTES = 18  # 144 bits, 24 URL-safe characters


def new_token() -> tuple[str, str]:
    """A fresh token and the hash to store."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, hash_token(token)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_matches(token: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_token(token), stored_hash)


def looks_like_token(value: str) -> bool:
    """Cheap shape check before touching the database."""
    return 16 <= len(value) <= 64 and all(c.isalnum() or c in "-_" for c in value)
