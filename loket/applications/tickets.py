"""Ticket numbers a person can read out on the phone: BPN-7K3-9QX (no 0/O, 1/I/L)."""

import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
PREFIXES = {"64.71": "BPN"}  # Kemendagri kab/kota code -> a short, familiar prefix


def prefix_for(region_code: str) -> str:
    return PREFIXES.get(region_code) or region_code.replace(".", "")[:4] or "LKT"


def new_ticket(region_code: str) -> str:
    chars = "".join(secrets.choice(ALPHABET) for _ in range(6))
    return f"{prefix_for(region_code)}-{chars[:3]}-{chars[3:]}"


def normalize_ticket(value: str) -> str:
    """What a person typed ("bpn 7k3 9qx", "BPN7K39QX") back into BPN-7K3-9QX form."""
    raw = "".join(ch for ch in str(value or "").upper() if ch.isalnum())
    if len(raw) < 7:
        return raw
    head, body = raw[:-6], raw[-6:]
    return f"{head}-{body[:3]}-{body[3:]}"
