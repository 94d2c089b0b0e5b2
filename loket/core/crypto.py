"""Personal data at rest: Fernet encryption and a keyed hash for exact-match lookup."""

import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


def _fernet() -> MultiFernet:
    return MultiFernet([Fernet(k.encode()) for k in settings.LOKET_ENCRYPTION_KEYS])


def encrypt_bytes(data: bytes) -> bytes:
    return _fernet().encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    return _fernet().decrypt(token)


def encrypt_text(text: str) -> str:
    return encrypt_bytes(text.encode()).decode()


def decrypt_text(token: str) -> str:
    try:
        return decrypt_bytes(token.encode()).decode()
    except InvalidToken:
        return ""


def lookup_hash(value: str) -> str:
    """A keyed hash (HMAC-SHA256 with a key derived from the encryption key) for lookups."""
    key = hashlib.sha256(b"loket-lookup:" + settings.LOKET_ENCRYPTION_KEYS[0].encode()).digest()
    return hmac.new(key, value.strip().encode(), hashlib.sha256).hexdigest()


def mask(value: str, visible: int = 4) -> str:
    """6471123456789012 -> 6471************"""
    if not value:
        return ""
    return value[:visible] + "*" * max(len(value) - visible, 0)
