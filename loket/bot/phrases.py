"""What a message is besides a request for a service: salam, thanks, a complaint, a queue question.

Every pattern runs on the normalised text (`loket.nlu.normalize`: lower case, no punctuation or
emoji, slang mapped, "-nya" stripped), so "Petugasnya JUDES!!" matches "petugas judes".
"""

import re

from loket.bot.models import Conversation
from loket.whatsapp.models import InboundMessage

# Events WhatsApp reports as messages that nobody wrote to us: never answered.
SILENT_TYPES = {"reaction", "system", "ephemeral", "revoke", "edit", "request_welcome"}
# `unsupported` messages that are edits, pins or deletions of earlier ones (Cloud API).
SILENT_UNSUPPORTED = {"edit", "pin", "revoke", "poll_update", "message_deleted"}

# A religious salam is answered in kind: (pattern, the answer's opening words).
SALAM = [
    (r"(as+alam\w*|askum|ass?ala?mu ?alaikum|salamualaikum|samlekom)( alaikum)?", "Waalaikumsalam"),
    (r"swastiastu", "Om swastiastu"),
    (r"namo buddhaya", "Namo buddhaya"),
    (r"salam sejahtera", "Salam sejahtera"),
    (r"shalom|syalom", "Shalom"),
]
SALAM_TAIL = {
    "wr", "wb", "warahmatullahi", "warahmatullah", "wabarakatuh", "wabarakatu", "alaikum",
    "alaikom", "alaikumsalam", "pagi", "siang", "sore", "malam", "selamat", "permisi", "ya",
    "om", "saya", "bapak", "ibu", "admin", "petugas", "dukcapil", "disdukcapil",
}  # fmt: skip
THANKS = re.compile(
    r"\b(terima ?kasih|terimakasih|trima ?kasih|makasih|makasi|maksih|mksh|mks|trims|"
    r"thx|thanks|thank you|thankyou|tq|tengkyu|suwun|matur nuwun|hatur nuhun|nuhun)\b"
)
POLITE = {
    "ok", "oke", "okay", "okey", "baik", "siap", "sip", "ya", "iya", "yaa", "banyak", "sekali",
    "banget", "bgt", "info", "informasi", "atas", "bantuan", "penjelasan", "jawaban", "sudah",
    "dibantu", "membantu", "mantap", "alhamdulillah", "noted", "paham", "mengerti", "sama",
    "sama sama", "you", "so", "much", "very", "lot", "a", "semoga", "berkah", "sehat", "selalu",
    "min", "saya", "tunggu", "kasih", "terima", "the", "for",
}  # fmt: skip
COMPLAINTS = [
    (
        Conversation.Complaint.EXTORTION,
        r"pungli|pungutan liar|\bcalo\b|pelicin|uang rokok|uang (terima kasih|lelah|bensin)|"
        r"suap\w*|disuap|(di|me|ny)?sogok\w*|nyogok|\bjasa (orang )?dalam\b|orang dalam|"
        r"(diminta|dimintai|dimintain|dipalak|minta|disuruh bayar)( \w+){0,3} (uang|duit|biaya|rp)|"
        r"bayar( \w+){0,2} (rp ?\d|\d+ ?(rb|ribu|k|jt|juta)\b)",
    ),
    (
        Conversation.Complaint.CONDUCT,
        r"judes|jutek|galak|kasar|bentak\w*|dibentak|membentak|marah[ -]marah|tidak ramah|"
        r"tidak sopan|sombong|kurang ajar|main (hp|handphone|game)|ketus|cemberut|"
        r"petugas( \w+){0,3} (malas|cuek|lelet|tidur)",
    ),
    (
        Conversation.Complaint.IGNORED,
        r"disuruh pulang|dipulangkan|diusir|tidak dilayani|tidak dilayanin|tidak di layani|"
        r"dicuek\w*|diabaikan|dianggurin|tidak (di)?(respon|balas|tanggapi)\w*|"
        r"tidak ada (yang )?(respon|balas|tanggap)\w*|dioper|dilempar[ -]lempar|dipingpong|"
        r"di ?ping[ -]?pong",
    ),
    (
        Conversation.Complaint.WAITING,
        r"lama sekali|lama banget|lambat sekali|lambat banget|kelamaan|lelet|berjam[ -]jam|"
        r"bolak[ -]?balik|mondar[ -]mandir|dari (subuh|pagi) (sampai|sampe|ampe) (siang|sore)",
    ),
    (
        "",
        r"komplain\w*|komplen|kecewa\w*|keluhan|mengeluh\w*|pengaduan|mengadu|protes|kesal|jengkel",
    ),
]
_COMPLAINTS = [(kind, re.compile(rf"\b(?:{pattern})\b")) for kind, pattern in COMPLAINTS]
QUEUE = r"(?:antri\w*|antre\w*)"
APPOINTMENT = re.compile(
    rf"\b(?:janji( temu)?|booking|book|reservasi|"
    rf"(?:bikin|ambil|daftar|pesan|dapat|dapet|minta) (?:nomor )?{QUEUE}|"
    rf"(?:nomor|no) {QUEUE}|{QUEUE} (?:nomor|no|sekarang|hari ini|berapa)|berapa {QUEUE})\b"
)


def is_silent(message: InboundMessage) -> bool:
    """A reaction, an edit, a deletion or a system notice: nobody expects an answer."""
    if message.type in SILENT_TYPES:
        return True
    if message.type == "unsupported":
        inner = (message.payload or {}).get("unsupported") or {}
        return str(inner.get("type", "")) in SILENT_UNSUPPORTED
    return False


def salam_answer(text: str) -> str | None:
    """The answer's opening for a message that is only a salam, polite words and no request
    ("assalamualaikum wr wb, mau tanya"); a salam with a request gets the request answered."""
    from loket.bot.clarify import FILLER

    for pattern, answer in SALAM:
        match = re.match(rf"^(?:{pattern})", text)
        rest = text[match.end() :].split() if match else []
        if match and all(word in SALAM_TAIL or word in FILLER for word in rest):
            return answer
    return None


def is_thanks(text: str) -> bool:
    """Thanks and a few polite words, nothing asked: "ok makasih infonya bu"."""
    if not THANKS.search(text):
        return False
    rest = THANKS.sub(" ", text).split()
    return all(word in POLITE for word in rest)


def is_only_emoji(raw: str, text: str) -> bool:
    """A message of emoji or punctuation only ("🙏", "👍👍"): normalised, nothing is left."""
    return bool((raw or "").strip()) and not text


def complaint_kind(text: str) -> str | None:
    """What a complaint is about (a Conversation.Complaint value, "" when unspecified), or None
    when the message is no complaint. Extortion comes first: it is the gravest."""
    for kind, pattern in _COMPLAINTS:
        if pattern.search(text):
            return kind
    return None


def asks_for_appointment(text: str) -> bool:
    """ "mau buat janji", "antrian nomor berapa", "booking legalisir"."""
    return bool(APPOINTMENT.search(text))
