"""Chat texts and raw webhook payloads encrypted at rest (citizens type their NIK in chat)."""

import json

from django.db import models

from loket.core.crypto import decrypt_text, encrypt_text


class EncryptedJSONField(models.TextField):
    """A JSON value stored as Fernet-encrypted text; read back as the value.

    Never queried inside (no key lookups): what must be found is kept in its own column.
    """

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        clear = decrypt_text(value)
        return json.loads(clear) if clear else {}

    def to_python(self, value):
        return value

    def get_prep_value(self, value):
        if value is None:
            return value
        return encrypt_text(json.dumps(value, separators=(",", ":")))

    def value_to_string(self, obj):
        return json.dumps(self.value_from_object(obj))
