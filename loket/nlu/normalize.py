"""Normalisation of the WhatsApp register: case, punctuation, repeated letters, slang.

Used by the bot's own matching (greetings, yes/no), the keyword baseline and the trained model.
Steps: Unicode NFKC and lower case; links dropped; "jadi2" -> "jadi jadi"; stretched letters
("pagiii" -> "pagi"); punctuation and emoji dropped; multi-word names of documents joined
("kartu keluarga" -> "kk"); then word by word: the "-nya" suffix stripped from longer words and
slang, regional (Javanese, Banjar, Malay) and English words mapped to one Indonesian form.
"""

import re
import unicodedata

# fmt: off
SLANG = {
    # pronouns and particles
    "sy": "saya", "aku": "saya", "gw": "saya", "gue": "saya", "ak": "saya", "aq": "saya",
    "sya": "saya", "ane": "saya", "ulun": "saya", "kulo": "saya", "ku": "saya",
    "mau": "mau", "mo": "mau", "mw": "mau", "maw": "mau", "pengen": "mau", "pgn": "mau",
    "pingin": "mau", "ingin": "mau", "arep": "mau", "handak": "mau", "berniat": "mau",
    "bkin": "bikin", "bikn": "bikin", "buat": "bikin", "membuat": "bikin", "urus": "bikin",
    "ngurus": "bikin", "mengurus": "bikin", "maulah": "bikin", "bikinnya": "bikin",
    "gmn": "gimana", "gmana": "gimana", "gmna": "gimana", "bgmn": "gimana",
    "bagaimana": "gimana", "piye": "gimana", "kayapa": "gimana", "caranya": "cara",
    "gan": "", "min": "", "kak": "", "pak": "", "bu": "", "mas": "", "mbak": "", "om": "",
    "yg": "yang", "dgn": "dengan", "dg": "dengan", "utk": "untuk", "tuk": "untuk",
    "dr": "dari", "kl": "kalau", "klo": "kalau", "kalo": "kalau", "tdk": "tidak",
    "gak": "tidak", "ga": "tidak", "gk": "tidak", "nggak": "tidak", "ngga": "tidak",
    "enggak": "tidak", "blm": "belum", "udh": "sudah", "udah": "sudah", "sdh": "sudah",
    "dah": "sudah", "jd": "jadi", "jdi": "jadi", "brp": "berapa", "bs": "bisa", "bsa": "bisa",
    "dmn": "dimana", "kpn": "kapan", "tlg": "tolong", "mhn": "mohon", "sm": "sama",
    "tp": "tapi", "krn": "karena", "karna": "karena", "jg": "juga", "lg": "lagi",
    # documents and events
    "akte": "akta", "akt": "akta", "ktp": "ktp", "e-ktp": "ktp", "ektp": "ktp", "ktpel": "ktp",
    "ktp-el": "ktp", "ktpku": "ktp", "kk": "kk", "kartu": "kartu", "kel": "keluarga",
    "klg": "keluarga", "kluarga": "keluarga", "lahiran": "lahir", "kelahiran": "lahir",
    "melahirkan": "lahir", "kematian": "mati", "meninggal": "mati", "wafat": "mati",
    "almarhum": "mati", "almarhumah": "mati", "alm": "mati", "berpulang": "mati",
    "ilang": "hilang", "hlg": "hilang", "raib": "hilang", "lenyap": "hilang",
    "kececer": "hilang", "rsk": "rusak", "pindahan": "pindah",
    "nikah": "kawin", "menikah": "kawin", "perkawinan": "kawin", "pernikahan": "kawin",
    "perceraian": "cerai", "bercerai": "cerai",
    "legalisasi": "legalisir", "legalisir": "legalisir", "dilegalisir": "legalisir",
    "tolong": "tolong", "petugas": "petugas", "admin": "petugas", "operator": "petugas",
    "cs": "petugas", "perekaman": "rekam", "direkam": "rekam", "merekam": "rekam",
    "pencetakan": "cetak", "dicetak": "cetak", "tercetak": "cetak", "dicetakkan": "cetak",
    "nyetak": "cetak", "mencetak": "cetak", "pembetulan": "betul", "dibetulkan": "betul",
    "membetulkan": "betul", "benerin": "betul", "dibenerin": "betul", "ralat": "betul",
    "diralat": "betul", "pencatatan": "catat", "dicatat": "catat", "dicatatkan": "catat",
    "mencatatkan": "catat", "catatkan": "catat", "pengambilan": "ambil", "diambil": "ambil",
    "mengambil": "ambil", "ngambil": "ambil",
    # English mixed in
    "birth": "lahir", "death": "mati", "marriage": "kawin", "divorce": "cerai",
    "certificate": "akta", "cert": "akta", "adoption": "adopsi", "adopted": "adopsi",
    "lost": "hilang", "broken": "rusak", "stolen": "hilang", "office": "kantor",
    "human": "petugas", "agent": "petugas", "staff": "petugas", "thanks": "terima kasih",
}
# fmt: on
PHRASES = [
    (r"\bkartu (keluarga|kluarga|kk)\b|\bfamily card\b", "kk"),
    (r"\bkartu tanda penduduk\b|\b(ktp|e) ?(el|elektronik)\b|\be ktp\b", "ktp"),
    (r"\bkartu identitas anak\b|\bchild id card\b", "kia"),
    (r"\bidentitas kependudukan digital\b|\bktp digital\b|\bdigital id\b", "ikd"),
    (r"\bsurat keterangan pindah( wni)?\b", "skpwni"),
]
KEEP_NYA = {"punya", "hanya", "tanya", "bertanya", "nyanya", "sanya", "nya"}


def _word(word: str) -> str:
    if word.endswith("nya") and len(word) >= 6 and word not in KEEP_NYA:
        word = word[:-3]  # "aktanya" -> "akta", "wafatnya" -> "wafat"
    return SLANG.get(word, word)


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").lower()
    text = re.sub(r"https?://\S+", " ", text)
    text = re.sub(r"\b([a-z]+)2(?=\b|nya\b)", r"\1 \1", text)  # jadi2 -> jadi jadi
    text = re.sub(r"(.)\1{2,}", r"\1", text)  # pagiii -> pagi
    text = re.sub(r"[^\w\s-]", " ", text)
    text = re.sub(r"(?<!\w)-|-(?!\w)", " ", text)
    for pattern, replacement in PHRASES:
        text = re.sub(pattern, replacement, text)
    words = [_word(w) for w in text.split()]
    return " ".join(w for w in words if w)
