"""What the text read says: the document type, NIK and KK numbers, the name."""

import difflib
import re

KEYWORDS: dict[str, list[tuple[str, float]]] = {
    "ktp": [
        ("PROVINSI", 2),
        ("NIK", 1),
        ("TEMPAT/TGL LAHIR", 1.5),
        ("GOL. DARAH", 3),
        ("KEL/DESA", 2),
        ("BERLAKU HINGGA", 3),
        ("KEWARGANEGARAAN", 1.5),
        ("STATUS PERKAWINAN", 1.5),
        ("RT/RW", 1),
        ("JENIS KELAMIN", 1),
        ("SEUMUR HIDUP", 2),
    ],
    "kk": [
        ("KARTU KELUARGA", 6),
        ("KEPALA KELUARGA", 3),
        ("NAMA LENGKAP", 2),
        ("KODE POS", 2),
        ("DESA/KELURAHAN", 2),
        ("KABUPATEN/KOTA", 1.5),
        ("DIKELUARKAN TANGGAL", 2),
        ("PENDIDIKAN", 1),
        ("TANGGAL LAHIR", 1),
        ("TEMPAT LAHIR", 1),
    ],
    "akta": [
        ("AKTA KELAHIRAN", 6),
        ("TELAH LAHIR", 3),
        ("PENCATATAN SIPIL", 1.5),
        ("ANAK KE", 2),
        ("KUTIPAN AKTA", 1),
        ("DARI AYAH", 2),
        ("DAN IBU", 1),
        ("AKTA KEMATIAN", 6),
        ("AKTA PERKAWINAN", 6),
        ("AKTA PERCERAIAN", 6),
    ],
    "buku_nikah": [
        ("BUKU NIKAH", 6),
        ("AKTA NIKAH", 6),
        ("KEMENTERIAN AGAMA", 3),
        ("URUSAN AGAMA", 2),
        ("SUAMI", 1),
        ("ISTRI", 1),
        ("MAS KAWIN", 2),
        ("AKAD NIKAH", 2),
        ("PENGHULU", 1.5),
    ],
    "surat_keterangan": [
        ("SURAT KETERANGAN", 6),
        ("MENERANGKAN", 3),
        ("YANG BERTANDA TANGAN", 2),
        ("PEMERINTAH", 1),
        ("LURAH", 1),
        ("DEMIKIAN", 1.5),
        ("SEBAGAIMANA MESTINYA", 1.5),
    ],
}
MIN_SCORE = 3.0


def squash(text: str) -> str:
    return re.sub(r"[^A-Z0-9/]", "", text.upper())


def contains(haystack: str, needle: str) -> bool:
    """Needle in the squashed text, allowing one OCR error per 8 characters of a long needle."""
    if needle in haystack:
        return True
    if len(needle) < 7:
        return False
    matcher = difflib.SequenceMatcher(None, haystack, needle, autojunk=False)
    matched = sum(block.size for block in matcher.get_matching_blocks())
    if matched < len(needle) * 0.8:
        return False
    # the matching characters must lie close together, not be scattered over the page
    blocks = [b for b in matcher.get_matching_blocks() if b.size]
    span = blocks[-1].a + blocks[-1].size - blocks[0].a
    return span <= len(needle) * 1.3


def classify(lines: list[str]) -> tuple[str, float, dict[str, float]]:
    squashed = [squash(line) for line in lines]
    scores = {}
    for kind, words in KEYWORDS.items():
        score = 0.0
        for word, weight in words:
            needle = squash(word)
            if any(contains(s, needle) for s in squashed if len(s) >= len(needle) - 2):
                score += weight
        scores[kind] = score
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    (best, top), (_, second) = ranked[0], ranked[1]
    if top < MIN_SCORE:
        # nothing document-like: the more words read, the surer that it is something else
        words = sum(len(line.split()) for line in lines)
        return "other", round(min(0.95, 0.5 + words / 40 + (MIN_SCORE - top) / 10), 3), scores
    confidence = min(1.0, top / 8) * (top - second + 1) / (top + 1)
    return best, round(max(0.05, min(0.99, confidence)), 3), scores


_CONFUSABLE = str.maketrans(
    {
        "O": "0",
        "o": "0",
        "Q": "0",
        "D": "0",
        "U": "0",
        "I": "1",
        "l": "1",
        "i": "1",
        "|": "1",
        "!": "1",
        "L": "1",
        "J": "1",
        "Z": "2",
        "z": "2",
        "S": "5",
        "s": "5",
        "B": "8",
        "G": "6",
        "b": "6",
        "g": "9",
        "q": "9",
        "T": "7",
        "A": "4",
    }
)
_RUN = re.compile(r"[0-9OoQDUIli|!LJZzSsBGbgqTA][0-9OoQDUIli|!LJZzSsBGbgqTA .\-]{13,30}")


def numbers_in(line: str) -> list[str]:
    """16-digit numbers on a line, with letters that OCR confuses with digits put right."""
    found = []
    for match in _RUN.finditer(line):
        run = re.sub(r"[ .\-]", "", match.group())
        # drop letters glued to either end (the "K" of "NIK", a following word)
        while len(run) > 16 and not run[0].isdigit():
            run = run[1:]
        while len(run) > 16 and not run[-1].isdigit():
            run = run[:-1]
        if len(run) != 16 or sum(c.isdigit() for c in run) < 12:
            continue
        found.append(run.translate(_CONFUSABLE))
    return found


def nik_is_valid(nik: str) -> bool:
    """The NIK's structure (region, date with +40 for women, serial) through core.identity."""
    from loket.core.identity import parse_nik

    return parse_nik(nik).valid


def pick_numbers(lines: list[str], doc_type: str) -> tuple[str | None, str | None]:
    nik_line, other = [], []
    kk_line = []
    for line in lines:
        numbers = numbers_in(line)
        upper = line.upper()
        if re.search(r"N[I1l]K", upper):
            nik_line += numbers
        elif re.search(r"\bN[O0]\b|NOMOR", upper):
            kk_line += numbers
        else:
            other += numbers
    nik = kk = None
    if doc_type == "kk":
        kk = (kk_line or nik_line or other or [None])[0]
        rest = [n for n in nik_line + other + kk_line if n != kk]
        valid = [n for n in rest if nik_is_valid(n)]
        nik = (valid or rest or [None])[0]
    else:
        candidates = nik_line + other + kk_line
        valid = [n for n in candidates if nik_is_valid(n)]
        nik = (valid or nik_line or [None])[0]
    return nik, kk


def all_niks(text: str) -> list[str]:
    """Every 16-digit number in a text read, in order (a KK lists several)."""
    return [n for line in text.splitlines() for n in numbers_in(line)]


_NAME_LABEL = re.compile(r"^\s*NAMA\s*(KEPALA\s*KELUARGA)?\s*[:;.]?\s*(.*)$", re.IGNORECASE)


def pick_name(lines: list[str], doc_type: str) -> str | None:
    """The value after "Nama" (KTP, surat keterangan) or "Nama Kepala Keluarga" (KK)."""
    for line in lines:
        match = _NAME_LABEL.match(line)
        if not match:
            continue
        head, value = match.group(1), match.group(2).strip(" :;.")
        if doc_type == "kk" and not head:
            continue
        if value.upper().startswith("LENGKAP"):
            continue
        value = re.sub(r"\s+", " ", value).strip()
        if len(value) >= 2:
            return value.upper()
    return None


def normal_name(name: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^A-Z ]", " ", name.upper())).strip()


def names_match(typed: str, read: str) -> bool:
    """Same name up to case, spacing, punctuation and an OCR error or two."""
    a, b = normal_name(typed), normal_name(read)
    if not a or not b:
        return True
    if a == b or a.replace(" ", "") == b.replace(" ", ""):
        return True
    ratio = difflib.SequenceMatcher(None, a.replace(" ", ""), b.replace(" ", "")).ratio()
    return ratio >= 0.85
