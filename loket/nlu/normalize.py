"""Normalisation of the WhatsApp register: case, punctuation, repeated letters, slang."""

import re
import unicodedata

SLANG = {
    "sy": "saya", "aku": "saya", "gw": "saya", "gue": "saya", "ak": "saya",
    "mau": "mau", "mo": "mau", "pengen": "mau", "pgn": "mau", "ingin": "mau",
    "bkin": "bikin", "bikn": "bikin", "buat": "bikin", "membuat": "bikin", "urus": "bikin",
    "ngurus": "bikin", "mengurus": "bikin",
    "gmn": "gimana", "gmana": "gimana", "bgmn": "gimana", "bagaimana": "gimana",
    "caranya": "cara", "gan": "", "min": "", "kak": "", "pak": "", "bu": "",
    "yg": "yang", "dgn": "dengan", "dg": "dengan", "utk": "untuk", "tuk": "untuk",
    "dr": "dari", "kl": "kalau", "klo": "kalau", "kalo": "kalau", "tdk": "tidak",
    "gak": "tidak", "ga": "tidak", "nggak": "tidak", "ngga": "tidak", "enggak": "tidak",
    "blm": "belum", "udh": "sudah", "udah": "sudah", "sdh": "sudah", "dah": "sudah",
    "jd": "jadi", "jdi": "jadi", "brp": "berapa", "bs": "bisa", "bsa": "bisa",
    "akte": "akta", "akt": "akta", "ktp": "ktp", "e-ktp": "ktp", "ektp": "ktp", "ktpel": "ktp",
    "kk": "kk", "kartu": "kartu", "kel": "keluarga", "lahiran": "lahir", "kelahiran": "lahir",
    "kematian": "mati", "meninggal": "mati", "wafat": "mati", "almarhum": "mati",
    "ilang": "hilang", "hlg": "hilang", "rsk": "rusak", "pindahan": "pindah",
    "nikah": "kawin", "perkawinan": "kawin", "pernikahan": "kawin", "perceraian": "cerai",
    "legalisasi": "legalisir", "legalisir": "legalisir", "tlg": "tolong", "tolong": "tolong",
    "petugas": "petugas", "admin": "petugas", "operator": "petugas", "cs": "petugas",
}


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").lower()
    text = re.sub(r"https?://\S+", " ", text)
    text = re.sub(r"(\w+)2\b", r"\1 \1", text)  # jadi2 -> jadi jadi
    text = re.sub(r"(.)\1{2,}", r"\1", text)  # pagiii -> pagi
    text = re.sub(r"[^\w\s-]", " ", text)
    words = [SLANG.get(w, w) for w in text.split()]
    return " ".join(w for w in words if w)
