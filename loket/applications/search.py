"""Finding applications without reading their encrypted data: keyed hashes only.

- NIK or KK (16 digits): the keyed hash columns, under every configured key (rotation).
- A ticket: exact or part of it (tickets are not personal data).
- A name: the applicant's name column (kept in clear: it is the queue's list column), and every
  word of every name in the encrypted `data` (child, father, mother, the deceased...) through
  `name_index`, a list of keyed hashes of whole words: "siti aminah" finds an application whose
  mother is Siti Aminah, "sit" does not (no substring search inside encrypted data).
"""

import re
import unicodedata

from django.db.models import Q, QuerySet

from loket.core import identity
from loket.core.crypto import lookup_hash, lookup_hashes

_WORD = re.compile(r"[^\W\d_]{2,}")
HASH_CHARS = 32  # 128 bits of each word's keyed hash: plenty for a search index


def is_name_key(key: str) -> bool:
    return key == "name" or key.endswith("_name")


def name_words(text: str) -> list[str]:
    """ "Siti  Aminah-Putri" -> ["siti", "aminah", "putri"] (NFKC, lower case, letters only)."""
    return _WORD.findall(unicodedata.normalize("NFKC", text or "").lower())


def name_index(data: dict) -> str:
    """ " h1 h2 ... " for every word of every name in `data`, hashed with the current key."""
    words = {w for key, value in data.items() if is_name_key(key) for w in name_words(str(value))}
    if not words:
        return ""
    return " " + " ".join(sorted(lookup_hash(w)[:HASH_CHARS] for w in words)) + " "


def _word_filter(word: str) -> Q:
    found = Q()
    for digest in lookup_hashes(word):
        found |= Q(name_index__contains=f" {digest[:HASH_CHARS]} ")
    return found


def by_identity_number(queryset: QuerySet, digits: str) -> QuerySet:
    hashes = lookup_hashes(digits)
    return queryset.filter(Q(nik_hash__in=hashes) | Q(kk_hash__in=hashes))


def names_filter(q: str) -> Q:
    """Every typed word is a word of some name in the application."""
    words = name_words(q)
    if not words:
        return Q(pk__in=[])
    matched = Q()
    for word in words:
        matched &= _word_filter(word)
    return matched


def is_identity_number(q: str) -> str:
    digits = identity.clean_number(q)
    return digits if len(digits) == 16 and digits.isdigit() else ""
