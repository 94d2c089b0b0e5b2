import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from loket.core.crypto import decrypt_text, encrypt_text


class EncryptedTextField(models.TextField):
    """Stores text encrypted with the office's key; reads it back in clear.

    A value no configured key opens raises `DecryptionError` (logged), never reads as "".
    """

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt_text(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt_text(value)


class EncryptedJSONField(models.TextField):
    """A JSON value (a dict of what a citizen typed) stored as one encrypted text.

    Nothing inside can be queried by the database: look rows up through keyed-hash columns.
    """

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return self._empty()
        return json.loads(decrypt_text(value))

    def to_python(self, value):
        if isinstance(value, str):
            return json.loads(value) if value else self._empty()
        return value

    def get_prep_value(self, value):
        if value is None:
            return None
        return encrypt_text(json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False))

    def value_to_string(self, obj) -> str:
        return json.dumps(self.value_from_object(obj), cls=DjangoJSONEncoder)

    def _empty(self):
        return self.get_default() if self.has_default() else None
