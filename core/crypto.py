"""Keeping identities unreadable in the database: a keyed hash to match, a sealed copy to read.

A national ID is stored twice, neither time in clear: :func:`identity_hash` (HMAC-SHA256 with
``settings.IDENTITY_HASH_KEY``) is what the database compares, so the exact ID typed finds its
household without the ID being stored; :func:`seal` (Fernet from ``cryptography``: AES in CBC
mode with an HMAC, keys in ``settings.IDENTITY_ENCRYPTION_KEYS``) keeps a copy that only the
application can open, for the people allowed to read it. Names are sealed the same way.

Keys come from the environment and are required in production (see ``portal/settings.py`` and
docs/privacy.md). Encryption keys rotate without downtime: the new key goes first in the list,
the old ones stay behind it until ``manage.py rotate_identity_keys`` has sealed everything again
with the new one. The hash key cannot be tried against old hashes (that is its point): when it
changes, the same command computes every hash again from the sealed copies.
"""

import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class UnreadableSeal(Exception):
    """A sealed value none of the configured keys opens (a key was removed too early)."""


def identity_hash(value: str) -> str:
    """The keyed hash of *value* (already normalised), 64 hexadecimal characters."""
    key = settings.IDENTITY_HASH_KEY
    if not key:
        raise ImproperlyConfigured("IDENTITY_HASH_KEY is not set.")
    return hmac.new(key.encode(), value.encode(), hashlib.sha256).hexdigest()


def seal(text: str) -> str:
    """*text* encrypted with the newest key; ``""`` stays ``""``."""
    if not text:
        return ""
    return _fernet(tuple(settings.IDENTITY_ENCRYPTION_KEYS)).encrypt(text.encode()).decode()


def unseal(token: str) -> str:
    """The text sealed in *token* by any configured key; ``""`` stays ``""``."""
    if not token:
        return ""
    try:
        return _fernet(tuple(settings.IDENTITY_ENCRYPTION_KEYS)).decrypt(token.encode()).decode()
    except InvalidToken:
        raise UnreadableSeal("no configured key opens this value") from None


def reseal(token: str) -> str:
    """*token* sealed again with the newest key (for key rotation)."""
    if not token:
        return ""
    try:
        return _fernet(tuple(settings.IDENTITY_ENCRYPTION_KEYS)).rotate(token.encode()).decode()
    except InvalidToken:
        raise UnreadableSeal("no configured key opens this value") from None


def new_encryption_key() -> str:
    """A fresh Fernet key, for the environment (``manage.py rotate_identity_keys --new-key``)."""
    return Fernet.generate_key().decode()


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured("IDENTITY_ENCRYPTION_KEYS is empty.")
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys])
    except ValueError as error:
        raise ImproperlyConfigured(
            "IDENTITY_ENCRYPTION_KEYS holds a key that is not a Fernet key "
            "(32 bytes in URL-safe base64)."
        ) from error
