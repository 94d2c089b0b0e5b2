"""Ask back instead of guessing: which intents a message leaves open, and the question's options.

Two sources of doubt, checked in this order:
1. The words: "mau urus akta" names a word that several services of the catalog share
   ("akta" is in five service names) and nothing that tells them apart. However sure the model
   is, the citizen has not said which one; we ask, offering the whole family (most likely
   first), so the answer never hangs on the model's ordering of services it cannot tell apart.
   Decided from the catalog's names, so a new service joins its family without a change here.
2. The model: the best intent is below LOKET_NLU_THRESHOLD, or the best two are services closer
   than LOKET_NLU_MARGIN ("kk" is KK baru or Ubah/ganti KK).
"""

from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings

from loket.catalog.policy import all_services
from loket.nlu import INTENTS, SERVICE_INTENTS
from loket.nlu.normalize import normalize
from loket.nlu.understand import rank

MAX_OPTIONS = 3
# A family named by one shared word ("akta": five services) is offered whole, as a list.
MAX_FAMILY = 9
# A candidate below this confidence is not worth a button (the menu is the better answer).
OPTION_FLOOR = 0.1
# Words that carry no choice between services: asking, wanting, politeness (normalised forms).
FILLER = {
    "mau", "bikin", "gimana", "cara", "saya", "tolong", "mohon", "dong", "ya", "yang", "untuk",
    "apa", "syarat", "persyaratan", "info", "informasi", "tanya", "bisa", "perlu", "minta",
    "ingin", "kalau", "boleh", "bagaimana", "proses", "prosedur", "daftar", "ajukan",
    "mengajukan", "pengajuan", "kami", "kita", "punya", "sih", "nih", "lagi", "juga", "di",
    "ke", "dan", "atau", "the", "a", "i", "want", "to", "how", "about", "is", "my", "need",
    "penerbitan", "terbit", "catat", "layanan", "pelayanan", "dokumen", "surat", "bapak",
    "ibu", "halo", "permisi", "selamat", "pagi", "siang", "sore", "malam", "dukcapil",
}  # fmt: skip


@dataclass
class Reading:
    """What the bot makes of a message: one intent to answer, or options to ask back with."""

    intent: str = "lainnya"
    confidence: float = 0.0
    options: list[str] = field(default_factory=list)
    ranked: list[tuple[str, float]] = field(default_factory=list)

    @property
    def sure(self) -> bool:
        return not self.options and self.intent != "lainnya"


def _service_words() -> dict[str, frozenset[str]]:
    """Each service code with the words of its Indonesian names (normalised)."""
    return _words(tuple((s.code, s.name, s.short_name) for s in all_services()))


@lru_cache(maxsize=8)
def _words(names: tuple[tuple[str, str, str], ...]) -> dict[str, frozenset[str]]:
    return {code: frozenset(normalize(f"{name} {short}").split()) for code, name, short in names}


def shared_word_services(text: str) -> list[str]:
    """Services the message cannot tell apart by its words: every word that is not filler is
    in the names of two or more services, and two or more services have all of them."""
    words = [w for w in normalize(text).split() if w not in FILLER]
    if not words:
        return []
    names = _service_words()
    matching = set(names)
    for word in words:
        having = {code for code, vocabulary in names.items() if word in vocabulary}
        if len(having) < 2:
            return []  # a word that names one service (or none): the model decides
        matching &= having
    return sorted(matching) if len(matching) >= 2 else []


def read(text: str) -> Reading:
    ranked = rank(text, top=len(INTENTS))
    scores = dict(ranked)
    intent, confidence = ranked[0]
    family = shared_word_services(text)
    if family:
        family.sort(key=lambda code: -scores.get(code, 0.0))
        return Reading(intent, confidence, family[:MAX_FAMILY], ranked)
    threshold, margin = settings.LOKET_NLU_THRESHOLD, settings.LOKET_NLU_MARGIN
    if intent == "lainnya" and confidence >= threshold:
        return Reading(intent, confidence, [], ranked)  # none of ours: the menu
    if confidence >= threshold and intent != "lainnya":
        close = [
            code
            for code, score in ranked[1:MAX_OPTIONS]
            if code in SERVICE_INTENTS and confidence - score < margin
        ]
        if intent not in SERVICE_INTENTS or not close:
            return Reading(intent, confidence, [], ranked)
        return Reading(intent, confidence, [intent, *close], ranked)
    options = [
        code for code, score in ranked[:MAX_OPTIONS] if code != "lainnya" and score >= OPTION_FLOOR
    ]
    return Reading(intent, confidence, options, ranked)
