"""Checks a document photo offline: is it readable, what does it look like, which NIK/KK/name.

Pure Python (no Django): `analyse(image_bytes)` reads the photo with the `faster-paddle` OCR
(PP-OCRv6 "tiny" ONNX models inside the wheel, no download, one CPU thread by default), measures
the image (sharpness, exposure, cut-off edges, size) and recognises the document type from the
words read. `compare(analysis, expected=..., typed_nik=...)` turns that into findings for the
citizen in plain Indonesian. The OCR engine is loaded once per process, lazily, under a lock.
"""

import difflib
import io
import os
import re
import threading
import time
from dataclasses import asdict, dataclass, field

import numpy as np
from PIL import Image, ImageOps

DOC_TYPES = ("ktp", "kk", "akta", "buku_nikah", "surat_keterangan", "other")
DOC_TYPE_LABELS = {
    "ktp": "KTP-el",
    "kk": "Kartu Keluarga",
    "akta": "akta",
    "buku_nikah": "buku nikah",
    "surat_keterangan": "surat keterangan",
    "other": "dokumen lain",
}
QUALITY_PROBLEMS = ("blur", "dark", "overexposed", "cut_off", "too_small")
PROBLEM_LABELS = {
    "blur": "buram",
    "dark": "terlalu gelap",
    "overexposed": "terlalu terang/silau",
    "cut_off": "sebagian kertas terpotong",
    "too_small": "ukuran foto terlalu kecil",
}
UNREADABLE_MESSAGE = "Foto kurang jelas, coba lagi di tempat terang, seluruh kertas masuk foto."
MAX_PIXELS = 40_000_000  # a 40 MP photo is already more than any phone sends through a form
OCR_MAX_SIDE = 1600


class DocCheckError(Exception):
    """The photo cannot be checked: not an image, too large, or the time limit ran out."""


@dataclass(frozen=True)
class Analysis:
    readable: bool
    quality_problems: tuple[str, ...]
    doc_type: str
    doc_type_confidence: float
    text: str
    nik: str | None
    kk_number: str | None
    name: str | None
    seconds: float

    def to_dict(self) -> dict:
        data = asdict(self)
        data["quality_problems"] = list(self.quality_problems)
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "Analysis":
        return cls(
            readable=bool(data["readable"]),
            quality_problems=tuple(data.get("quality_problems") or ()),
            doc_type=str(data.get("doc_type") or "other"),
            doc_type_confidence=float(data.get("doc_type_confidence") or 0.0),
            text=str(data.get("text") or ""),
            nik=data.get("nik"),
            kk_number=data.get("kk_number"),
            name=data.get("name"),
            seconds=float(data.get("seconds") or 0.0),
        )


@dataclass(frozen=True)
class Finding:
    code: str  # "unreadable" | "wrong_type" | "nik_mismatch" | "kk_mismatch" | "name_mismatch"
    message: str
    detail: dict = field(default_factory=dict)


# --- the OCR engine ----------------------------------------------------------------------------

_engine = None
_engine_lock = threading.Lock()


def _ocr_engine():
    """The faster-paddle engine, built once per process (thread-safe, lazily)."""
    global _engine
    if _engine is None:
        with _engine_lock:
            if _engine is None:
                import faster_paddle

                _engine = faster_paddle.OcrEngine(
                    model_size=os.environ.get("LOKET_DOCCHECK_MODEL", "tiny"),
                    threads=int(os.environ.get("LOKET_DOCCHECK_THREADS", "1")),
                )
    return _engine


@dataclass(frozen=True)
class _Box:
    text: str
    x1: float
    y1: float
    x2: float
    y2: float
    confidence: float


def _run_ocr(jpeg: bytes, deadline: float) -> tuple[str, list[_Box]]:
    """OCR in a helper thread so that the caller can give up at the deadline."""
    result: dict = {}

    def work() -> None:
        try:
            result["value"] = _ocr_engine().ocr(jpeg)
        except Exception as exc:  # the engine's own errors become ours below
            result["error"] = exc

    thread = threading.Thread(target=work, name="doccheck-ocr", daemon=True)
    thread.start()
    thread.join(max(0.0, deadline - time.monotonic()))
    if thread.is_alive():
        raise DocCheckError("time limit exceeded while reading the photo")
    if "error" in result:
        raise DocCheckError(f"OCR failed: {result['error']}")
    value = result["value"]
    boxes = []
    for b in value.get("bounds", {}).values():
        (x1, y1), (x2, y2) = b["topLeftCoord"], b["bottomRightCoord"]
        boxes.append(_Box(str(b["text"]), x1, y1, x2, y2, float(b.get("confidence", 0.0))))
    return str(value.get("text") or ""), boxes


# --- the image ---------------------------------------------------------------------------------


def _decode(image: bytes) -> Image.Image:
    if not isinstance(image, bytes | bytearray | memoryview) or not image:
        raise DocCheckError("empty input")
    try:
        with Image.open(io.BytesIO(image)) as probe:
            if probe.width * probe.height > MAX_PIXELS:
                raise DocCheckError(f"image too large: {probe.width}x{probe.height}")
            probe.load()
            picture = ImageOps.exif_transpose(probe).convert("RGB")
    except DocCheckError:
        raise
    except Exception as exc:  # Pillow raises many kinds for broken input
        raise DocCheckError(f"not a readable image: {exc.__class__.__name__}") from exc
    if picture.width < 8 or picture.height < 8:
        raise DocCheckError("image has almost no pixels")
    return picture


def _for_ocr(picture: Image.Image) -> tuple[bytes, float]:
    """JPEG bytes at most OCR_MAX_SIDE on the long side, and the scale applied."""
    scale = min(1.0, OCR_MAX_SIDE / max(picture.size))
    if scale < 1.0:
        size = (round(picture.width * scale), round(picture.height * scale))
        picture = picture.resize(size, Image.Resampling.BILINEAR)
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=92)
    return out.getvalue(), scale


def _gray(picture: Image.Image, side: int = 1000) -> np.ndarray:
    scale = side / max(picture.size)
    size = (max(1, round(picture.width * scale)), max(1, round(picture.height * scale)))
    return np.asarray(picture.convert("L").resize(size, Image.Resampling.BILINEAR), np.float32)


def _sharpness(gray: np.ndarray) -> float:
    """Variance of the Laplacian over the busiest tiles, normalised by their contrast."""
    lap = (
        -4 * gray[1:-1, 1:-1] + gray[:-2, 1:-1] + gray[2:, 1:-1] + gray[1:-1, :-2] + gray[1:-1, 2:]
    )
    tile = 50
    h, w = lap.shape[0] // tile, lap.shape[1] // tile
    if h == 0 or w == 0:
        return 0.0
    lap_tiles = lap[: h * tile, : w * tile].reshape(h, tile, w, tile).var(axis=(1, 3))
    g = gray[1 : 1 + h * tile, 1 : 1 + w * tile].reshape(h, tile, w, tile)
    contrast = g.max(axis=(1, 3)) - g.min(axis=(1, 3))
    busy = contrast > 40
    if not busy.any():
        return 0.0
    scores = lap_tiles[busy] / (contrast[busy] ** 2)
    return float(np.percentile(scores, 90))


def _quality(picture: Image.Image, boxes: list[_Box], ocr_scale: float) -> list[str]:
    problems = []
    gray = _gray(picture)
    p99 = float(np.percentile(gray, 99))
    mean = float(gray.mean())
    sharp = _sharpness(gray)
    if max(picture.size) < 640 or min(picture.size) < 400:
        problems.append("too_small")
    if p99 < 80 or mean < 45:
        problems.append("dark")
    elif mean > 235 and float(np.percentile(gray, 10)) > 225:
        problems.append("overexposed")
    if "dark" not in problems and "too_small" not in problems and sharp < 0.05:
        problems.append("blur")
    if _cut_off(gray, boxes, picture.size, ocr_scale):
        problems.append("cut_off")
    return [p for p in QUALITY_PROBLEMS if p in problems]


def _cut_off(gray: np.ndarray, boxes: list[_Box], size: tuple[int, int], ocr_scale: float) -> bool:
    """Text touching an edge of the photo, or the paper running out of the frame."""
    if len(boxes) < 3:
        return False
    w, h = size[0] * ocr_scale, size[1] * ocr_scale
    margin_x, margin_y = w * 0.006, h * 0.006
    for b in boxes:
        if len(b.text.strip()) < 2:
            continue
        if b.x1 <= margin_x or b.y1 <= margin_y or b.x2 >= w - margin_x or b.y2 >= h - margin_y:
            return True
    # the paper: pixels brighter than Otsu's threshold; cut when it fills an edge of the frame
    threshold = _otsu(gray)
    paper = gray > threshold
    if not 0.15 < paper.mean() < 0.97:
        return False
    strips = [paper[:3, :], paper[-3:, :], paper[:, :3], paper[:, -3:]]
    return any(float(s.mean()) > 0.6 for s in strips)


def _otsu(gray: np.ndarray) -> float:
    hist, edges = np.histogram(gray, bins=64, range=(0, 256))
    centers = (edges[:-1] + edges[1:]) / 2
    total = hist.sum()
    best, best_t = -1.0, 128.0
    for i in range(1, 64):
        w0, w1 = hist[:i].sum(), hist[i:].sum()
        if w0 == 0 or w1 == 0:
            continue
        m0 = (hist[:i] * centers[:i]).sum() / w0
        m1 = (hist[i:] * centers[i:]).sum() / w1
        between = w0 * w1 * (m0 - m1) ** 2 / total**2
        if between > best:
            best, best_t = between, edges[i]
    return float(best_t)


# --- what the text says --------------------------------------------------------------------------

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


def _squash(text: str) -> str:
    return re.sub(r"[^A-Z0-9/]", "", text.upper())


def _contains(haystack: str, needle: str) -> bool:
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


def _classify(lines: list[str]) -> tuple[str, float, dict[str, float]]:
    squashed = [_squash(line) for line in lines]
    scores = {}
    for kind, words in KEYWORDS.items():
        score = 0.0
        for word, weight in words:
            needle = _squash(word)
            if any(_contains(s, needle) for s in squashed if len(s) >= len(needle) - 2):
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


def _numbers(line: str) -> list[str]:
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


def _pick_numbers(lines: list[str], doc_type: str) -> tuple[str | None, str | None]:
    nik_line, other = [], []
    kk_line = []
    for line in lines:
        numbers = _numbers(line)
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
    return [n for line in text.splitlines() for n in _numbers(line)]


_NAME_LABEL = re.compile(r"^\s*NAMA\s*(KEPALA\s*KELUARGA)?\s*[:;.]?\s*(.*)$", re.IGNORECASE)


def _pick_name(lines: list[str], doc_type: str) -> str | None:
    for i, line in enumerate(lines):
        match = _NAME_LABEL.match(line)
        if not match:
            continue
        head, value = match.group(1), match.group(2).strip(" :;.")
        if doc_type == "kk" and not head:
            continue
        if value.upper().startswith("LENGKAP"):
            continue
        if not value and i + 1 < len(lines):
            value = lines[i + 1].strip(" :;.")
        value = re.sub(r"\s+", " ", value).strip()
        if len(value) >= 2:
            return value.upper()
    return None


# --- the public entry points ---------------------------------------------------------------------


def analyse(image: bytes, *, time_limit: float = 20.0) -> Analysis:
    """Reads a photo and says what it looks like; DocCheckError when it cannot be done."""
    start = time.monotonic()
    deadline = start + time_limit
    picture = _decode(image)
    jpeg, scale = _for_ocr(picture)
    if time.monotonic() >= deadline:
        raise DocCheckError("time limit exceeded before reading the photo")
    text, boxes = _run_ocr(jpeg, deadline)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    problems = _quality(picture, boxes, scale)
    doc_type, confidence, _ = _classify(lines)
    nik, kk_number = _pick_numbers(lines, doc_type)
    name = _pick_name(lines, doc_type) if doc_type in ("ktp", "kk", "surat_keterangan") else None
    if time.monotonic() > deadline:
        raise DocCheckError("time limit exceeded")
    return Analysis(
        readable=not problems,
        quality_problems=tuple(problems),
        doc_type=doc_type,
        doc_type_confidence=confidence,
        text="\n".join(lines),
        nik=nik,
        kk_number=kk_number if doc_type == "kk" else None,
        name=name,
        seconds=round(time.monotonic() - start, 3),
    )


def _positions(typed: str, read: str) -> list[int]:
    return [i + 1 for i, (a, b) in enumerate(zip(typed, read, strict=True)) if a != b]


def _digits_phrase(positions: list[int]) -> str:
    parts = [f"ke-{p}" for p in positions]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " dan " + parts[-1]


def _number_finding(code: str, label: str, typed: str, read: str) -> Finding | None:
    typed = re.sub(r"\D", "", typed)
    if len(typed) != 16 or typed == read:
        return None
    positions = _positions(typed, read)
    shown = f"{read[:4]}…"
    if len(positions) <= 4:
        message = (
            f"{label} di foto ({shown}) berbeda dengan {label} yang Anda ketik "
            f"pada digit {_digits_phrase(positions)}."
        )
    else:
        message = f"{label} di foto ({shown}) berbeda dengan {label} yang Anda ketik."
    return Finding(code, message, {"typed": typed, "read": read, "positions": positions})


def _normal_name(name: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^A-Z ]", " ", name.upper())).strip()


def names_match(typed: str, read: str) -> bool:
    """Same name up to case, spacing, punctuation and an OCR error or two."""
    a, b = _normal_name(typed), _normal_name(read)
    if not a or not b:
        return True
    if a == b or a.replace(" ", "") == b.replace(" ", ""):
        return True
    ratio = difflib.SequenceMatcher(None, a.replace(" ", ""), b.replace(" ", "")).ratio()
    return ratio >= 0.85


def compare(
    analysis: Analysis,
    *,
    expected: str,
    typed_nik: str | None = None,
    typed_kk: str | None = None,
    typed_name: str | None = None,
) -> list[Finding]:
    """What the citizen should hear about this photo for the requirement `expected`."""
    if expected not in DOC_TYPES:
        raise ValueError(f"unknown document type {expected!r}")
    findings = []
    if not analysis.readable:
        problems = ", ".join(PROBLEM_LABELS[p] for p in analysis.quality_problems)
        message = (
            f"Foto kurang jelas ({problems}), coba lagi di tempat terang, "
            "seluruh kertas masuk foto."
        )
        findings.append(
            Finding("unreadable", message, {"problems": list(analysis.quality_problems)})
        )
    looks = analysis.doc_type
    if expected != "other" and looks != expected and (analysis.readable or looks != "other"):
        wanted = DOC_TYPE_LABELS[expected]
        if looks == "other":
            message = f"Foto ini tidak terlihat seperti {wanted} yang diminta."
        else:
            message = (
                f"Foto ini terlihat seperti {DOC_TYPE_LABELS[looks]}, bukan {wanted} yang diminta."
            )
        findings.append(Finding("wrong_type", message, {"looks_like": looks, "expected": expected}))
        return findings
    if not analysis.readable or looks not in ("ktp", "kk"):
        return findings
    if typed_nik:
        finding = _nik_finding(analysis, typed_nik)
        if finding:
            findings.append(finding)
    if typed_kk and looks == "kk" and analysis.kk_number:
        finding = _number_finding("kk_mismatch", "Nomor KK", typed_kk, analysis.kk_number)
        if finding:
            findings.append(finding)
    if typed_name and analysis.name:
        finding = _name_finding(analysis, typed_name)
        if finding:
            findings.append(finding)
    return findings


def _name_finding(analysis: Analysis, typed_name: str) -> Finding | None:
    detail = {"typed": typed_name, "read": analysis.name}
    if names_match(typed_name, analysis.name or ""):
        return None
    if analysis.doc_type == "ktp":
        message = f"Nama di foto ({analysis.name}) berbeda dengan nama yang Anda ketik."
        return Finding("name_mismatch", message, detail)
    # on a KK the citizen may be any member of the family, not only its head
    needle = _squash(_normal_name(typed_name))
    if any(_contains(_squash(line), needle) for line in analysis.text.splitlines()):
        return None
    message = (
        f"Nama {_normal_name(typed_name)} tidak terbaca di Kartu Keluarga ini "
        f"(kepala keluarga: {analysis.name})."
    )
    return Finding("name_mismatch", message, detail)


def _nik_finding(analysis: Analysis, typed_nik: str) -> Finding | None:
    typed = re.sub(r"\D", "", typed_nik)
    if len(typed) != 16:
        return None
    if analysis.doc_type == "ktp":
        if analysis.nik and nik_is_valid(analysis.nik):
            return _number_finding("nik_mismatch", "NIK", typed, analysis.nik)
        return None
    # a KK lists every member: the typed NIK should be one of them
    niks = [n for n in all_niks(analysis.text) if n != analysis.kk_number and nik_is_valid(n)]
    if not niks or typed in niks:
        return None
    closest = min(niks, key=lambda n: len(_positions(typed, n)))
    if len(_positions(typed, closest)) <= 4:
        return _number_finding("nik_mismatch", "NIK", typed, closest)
    return Finding(
        "nik_mismatch",
        "NIK yang Anda ketik tidak terbaca di Kartu Keluarga ini. Periksa kembali NIK atau KK-nya.",
        {"typed": typed, "read": analysis.nik, "positions": []},
    )
