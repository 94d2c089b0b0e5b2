"""What an office's data says, read back in clear: the restore drill compares it before and after.

For every table, the number of rows and a SHA-256 over every row's values in primary-key order,
encrypted columns decrypted (a value no key opens raises); for every stored file, the SHA-256 of
its decrypted content. Two installations with equal inventories hold the same readable data.
"""

import hashlib
import json
from collections.abc import Callable

from django.apps import apps

from loket.core.crypto import decrypt_bytes
from loket.ops.backup import media_root


def table_inventory(model) -> tuple[int, str]:
    fields = [f.attname for f in model._meta.concrete_fields]
    digest, count = hashlib.sha256(), 0
    rows = model._base_manager.order_by("pk").values_list(*fields)
    for row in rows.iterator(chunk_size=2000):
        digest.update(json.dumps(row, default=str, sort_keys=True).encode())
        count += 1
    return count, digest.hexdigest()


def inventory(say: Callable[[str], None] | None = None) -> dict:
    tables = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        tables[model._meta.db_table] = table_inventory(model)
        if say:
            say(f"  {model._meta.db_table}: {tables[model._meta.db_table][0]}")
    root = media_root()
    files = {}
    if root.exists():
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            clear = decrypt_bytes(path.read_bytes())
            files[path.relative_to(root).as_posix()] = hashlib.sha256(clear).hexdigest()
    return {"tables": tables, "files": files}
