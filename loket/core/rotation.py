"""Key rotation: every encrypted value and keyed hash brought to the first (current) key.

Found by type, not by a list to keep up to date: every model field that is an
EncryptedTextField or EncryptedJSONField is re-encrypted; a sibling `<field>_hash` column is
re-hashed from the clear value; a model with a `rehash()` method (returning the names of the
fields it set) recomputes its own hashes. Every file in the private storage (MEDIA_ROOT,
all Fernet tokens) is re-encrypted in place, atomically. Safe to run again: rows are rewritten
idempotently and files already under the current key are skipped.
"""

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models.functions import Cast

from loket.core.crypto import (
    DecryptionError,
    decrypt_bytes,
    is_current,
    lookup_hash,
    rotate_bytes,
)
from loket.core.fields import EncryptedJSONField, EncryptedTextField

BATCH = 200
Progress = Callable[[str, int, int], None]


@dataclass
class Report:
    rows: int = 0
    files: int = 0
    old_key: int = 0  # values/files still under an older key (check mode)
    failed: list[str] = field(default_factory=list)  # "label#pk" or a file path


@dataclass(frozen=True)
class Sealed:
    model: type[models.Model]
    encrypted: tuple[str, ...]
    hashes: tuple[tuple[str, str], ...]  # (hash field, clear field)

    @property
    def label(self) -> str:
        return self.model._meta.label_lower


def sealed_models() -> list[Sealed]:
    found = []
    for model in apps.get_models():
        names = {f.name for f in model._meta.concrete_fields}
        encrypted = tuple(
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, EncryptedTextField | EncryptedJSONField)
        )
        if not encrypted and not hasattr(model, "rehash"):
            continue
        hashes = tuple((f"{n}_hash", n) for n in encrypted if f"{n}_hash" in names)
        found.append(Sealed(model, encrypted, hashes))
    return found


def _rewrite(sealed: Sealed, row: models.Model) -> dict:
    values = {name: getattr(row, name) for name in sealed.encrypted}
    if hasattr(row, "rehash"):
        values.update({name: getattr(row, name) for name in row.rehash()})
    else:
        for hash_field, clear in sealed.hashes:
            value = getattr(row, clear)
            values[hash_field] = lookup_hash(value) if value else ""
    return values


def rotate_rows(sealed: Sealed, report: Report, progress: Progress) -> None:
    manager = sealed.model._base_manager
    pks = list(manager.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(pks), BATCH):
        batch = pks[start : start + BATCH]
        try:
            rows = list(manager.filter(pk__in=batch))
        except DecryptionError:
            rows = []
            for pk in batch:
                try:
                    rows.append(manager.get(pk=pk))
                except DecryptionError:
                    report.failed.append(f"{sealed.label}#{pk}")
        for row in rows:
            manager.filter(pk=row.pk).update(**_rewrite(sealed, row))
            report.rows += 1
        progress(sealed.label, min(start + BATCH, len(pks)), len(pks))


def check_rows(sealed: Sealed, report: Report, progress: Progress) -> None:
    """Reads the stored tokens as they are: which are under an old key, which under none."""
    if not sealed.encrypted:
        return
    raw = {f"raw_{n}": Cast(n, models.TextField()) for n in sealed.encrypted}  # no decryption
    rows = list(sealed.model._base_manager.annotate(**raw).values_list("pk", *raw).order_by("pk"))
    for pk, *values in rows:
        for value in values:
            if value and not is_current(value):
                _classify(value.encode(), f"{sealed.label}#{pk}", report)
        report.rows += 1
    progress(sealed.label, len(rows), len(rows))


def _classify(token: bytes, name: str, report: Report) -> None:
    try:
        decrypt_bytes(token)
    except DecryptionError:
        report.failed.append(name)
    else:
        report.old_key += 1


def private_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def rotate_files(report: Report, progress: Progress, check: bool = False) -> None:
    files = private_files()
    for done, path in enumerate(files, start=1):
        token = path.read_bytes()
        if not is_current(token):
            if check:
                _classify(token, str(path), report)
            else:
                try:
                    rotated = rotate_bytes(token)
                except DecryptionError:
                    report.failed.append(str(path))
                else:
                    _replace(path, rotated)
        report.files += 1
        if done % BATCH == 0 or done == len(files):
            progress("files", done, len(files))


def _replace(path: Path, content: bytes) -> None:
    temporary = path.with_name(path.name + ".rotating")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)


def rotate(progress: Progress, check: bool = False) -> Report:
    report = Report()
    for sealed in sealed_models():
        (check_rows if check else rotate_rows)(sealed, report, progress)
    rotate_files(report, progress, check=check)
    return report
