from django.db import models

from loket.core.crypto import decrypt_text, encrypt_text


class EncryptedTextField(models.TextField):
    """Stores text encrypted with the office's key; reads it back in clear."""

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt_text(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt_text(value)
