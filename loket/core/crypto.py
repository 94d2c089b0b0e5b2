"""Personal data at rest: Fernet encryption and keyed hashes for exact-match lookup.

Keys rotate: settings.LOKET_ENCRYPTION_KEYS holds several keys, the first encrypts and hashes,
all of them decrypt, and `lookup_hashes()` gives one hash per key so a lookup finds rows hashed
with an older key. `loket rotate-keys` then re-encrypts and re-hashes everything with the first
key, after which the old key can be removed. A value that no key decrypts is never read as ""
silently: `DecryptionError` is raised and logged.
"""

import hashlib
import hmac
import logging

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

logger = logging.getLogger("loket.crypto")


class DecryptionError(Exception):
    """No configured key decrypts this value: a key was removed too early, or the data is bad."""


def _keys() -> list[str]:
    return list(settings.LOKET_ENCRYPTION_KEYS)


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(k.encode()) for k in _keys()])


def encrypt_bytes(data: bytes) -> bytes:
    return _fernet().encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    try:
        return _fernet().decrypt(token)
    except InvalidToken:
        logger.error(
            "decryption failed: no key of LOKET_ENCRYPTION_KEY (%d configured) opens a value "
            "of %d bytes; was a key removed before `loket rotate-keys` ran?",
            len(_keys()),
            len(token),
        )
        raise DecryptionError("no configured key decrypts this value") from None


def rotate_bytes(token: bytes) -> bytes:
    """The same content encrypted with the first key (raises DecryptionError like decrypt)."""
    try:
        return _fernet().rotate(token)
    except InvalidToken:
        logger.error("rotation failed: no configured key decrypts a value of %d bytes", len(token))
        raise DecryptionError("no configured key decrypts this value") from None


def encrypt_text(text: str) -> str:
    return encrypt_bytes(text.encode()).decode()


def decrypt_text(token: str) -> str:
    """The clear text; raises DecryptionError (and logs it) when no key opens it."""
    return decrypt_bytes(token.encode()).decode()


def is_current(token: str | bytes) -> bool:
    """True when the first (current) key decrypts the token: nothing to rotate."""
    raw = token.encode() if isinstance(token, str) else token
    try:
        Fernet(_keys()[0].encode()).decrypt(raw)
    except InvalidToken:
        return False
    return True


def _hash_key(key: str) -> bytes:
    return hashlib.sha256(b"loket-lookup:" + key.encode()).digest()


def _hash(key: str, value: str) -> str:
    return hmac.new(_hash_key(key), value.strip().encode(), hashlib.sha256).hexdigest()


def lookup_hash(value: str) -> str:
    """The keyed hash (HMAC-SHA256, key derived from the first encryption key) to store."""
    return _hash(_keys()[0], value)


def lookup_hashes(value: str) -> list[str]:
    """The value's hash under every configured key, current first: use with `__in` to look up."""
    return list(dict.fromkeys(_hash(key, value) for key in _keys()))


def mask(value: str, visible: int = 4) -> str:
    """6471123456789012 -> 6471************"""
    if not value:
        return ""
    return value[:visible] + "*" * max(len(value) - visible, 0)
