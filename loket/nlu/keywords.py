"""The keyword baseline: the kind of rule list office bots run. Honest, fast, brittle."""

import difflib
import re

from loket.nlu.normalize import normalize

# (intent, pattern, weight): the first strongest match wins.
RULES: list[tuple[str, str, float]] = [
    ("operator", r"\b(petugas|manusia|orang|operator|komplain|keluhan|adu(an)?)\b", 0.9),
    ("status", r"\b(status|sudah jadi|belum jadi|jadi belum|cek|lacak|tiket|progres)\b", 0.85),
    ("jadwal", r"\b(jam|buka|tutup|libur|jadwal|hari apa|alamat|lokasi)\b", 0.8),
    ("akta-ubah", r"\b(ganti nama|ubah nama|perubahan nama|salah (tulis|nama)|betul|ralat)\b", 0.9),
    ("akta-anak", r"\b(pengakuan|pengesahan|pengangkatan|adopsi|anak angkat)\b", 0.9),
    ("akta-cerai", r"\b(cerai)\b", 0.9),
    ("akta-kawin", r"\b(kawin)\b", 0.85),
    ("akta-mati", r"\b(mati)\b", 0.9),
    ("akta-lahir", r"\b(akta lahir|lahir|akta anak|bayi)\b", 0.85),
    ("legalisir", r"\b(legalisir|cap basah|fotokopi)\b", 0.9),
    ("ikd", r"\b(ikd|digital|ktp digital|aktivasi)\b", 0.9),
    ("ambil-dokumen", r"\b(ambil|pengambilan|jemput)\b", 0.8),
    ("kia", r"\b(kia|kartu (identitas )?anak)\b", 0.9),
    ("datang", r"\b(datang|pindah (ke|masuk)|dari luar)\b", 0.8),
    ("pindah", r"\b(pindah|skpwni|mutasi)\b", 0.8),
    ("ktp-rekam", r"\b(rekam|perekaman|ktp baru|pemula|17 tahun)\b", 0.85),
    ("ktp-ganti", r"\b(ktp\w* (hilang|rusak|patah)|hilang|rusak|ganti ktp|ubah ktp)\b", 0.8),
    ("ktp-cetak", r"\b(cetak|print|ktp)\b", 0.7),
    (
        "kk-ubah",
        r"\b(kk|kartu keluarga)\b.*\b(ubah|ganti|tambah|kurang|hilang|rusak|update)\b",
        0.85,
    ),
    ("kk-ubah", r"\b(ubah|ganti|tambah|kurang|update)\b.*\b(kk|kartu keluarga)\b", 0.85),
    ("kk-baru", r"\b(kk|kartu keluarga)\b", 0.75),
]
VOCABULARY = sorted({w for _, p, _ in RULES for w in re.findall(r"[a-z]{4,}", p)})


def _fuzzy(text: str) -> str:
    """Replaces near-miss words ("kelahirn", "legalisr") by the rule word they resemble."""
    words = []
    for word in text.split():
        if len(word) >= 5 and word not in VOCABULARY:
            close = difflib.get_close_matches(word, VOCABULARY, n=1, cutoff=0.85)
            word = close[0] if close else word
        words.append(word)
    return " ".join(words)


def classify_keywords(text: str) -> tuple[str, float]:
    normalized = normalize(text)
    if not normalized:
        return "lainnya", 0.0
    for candidate, penalty in ((normalized, 1.0), (_fuzzy(normalized), 0.85)):
        for intent, pattern, weight in RULES:
            if re.search(pattern, candidate):
                return intent, round(weight * penalty, 3)
    return "lainnya", 0.2
