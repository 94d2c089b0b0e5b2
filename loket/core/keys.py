"""New keys, made without loading settings (`loket generate-key` runs before any configuration
exists: it must not create a demo data directory wherever it is run)."""

import secrets


def new_key(secret_key: bool = False) -> str:
    """A Fernet key (LOKET_ENCRYPTION_KEY, also fine as a token), or a Django SECRET_KEY."""
    if secret_key:
        return secrets.token_urlsafe(50)  # 67 characters: Django's check wants 50 or more
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()
