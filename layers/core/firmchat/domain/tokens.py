"""Single-use secrets handed to a person (WebSocket tickets, invitation links).

A token reads `<firm id>.<secret>`: the firm id says which partition to look in, and only a
digest of the secret is ever stored, so reading the table never yields a usable token.
"""

import hashlib
import secrets


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_token(firm_id: str) -> tuple[str, str]:
    """A fresh token and the digest to store for it."""
    secret = secrets.token_urlsafe(32)
    return f"{firm_id}.{secret}", digest(secret)


def read_token(token: str) -> tuple[str, str] | None:
    """The firm id and digest a token names, or None when it is not shaped like one."""
    firm_id, _, secret = token.partition(".")
    if not firm_id or not secret:
        return None
    return firm_id, digest(secret)
