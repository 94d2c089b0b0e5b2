"""Checks a document photo offline: is it readable, what does it look like, which NIK/KK/name.

Pure Python (no Django): `analyse(image_bytes)` reads the photo with the `faster-paddle` OCR
(PP-OCRv6 "tiny" ONNX models inside the wheel, no download, one CPU thread by default), measures
the image (sharpness, exposure, cut-off edges, size) and recognises the document type from the
words read. `compare(analysis, expected=..., typed_nik=...)` turns that into findings for the
citizen in plain Indonesian. The OCR engine is loaded once per process, lazily, under a lock.
"""

import io
import math
import re
import time
from dataclasses import asdict, dataclass, field

import numpy as np
from PIL import Image, ImageOps

from loket.doccheck import ocr, quality
from loket.doccheck.quality import QUALITY_PROBLEMS
from loket.doccheck.reading import (
    all_niks,
    classify,
    contains,
    names_match,
    nik_is_valid,
    normal_name,
    pick_name,
    pick_numbers,
    squash,
)

__all__ = [
    "DOC_TYPES",
    "DOC_TYPE_LABELS",
    "QUALITY_PROBLEMS",
    "Analysis",
    "DocCheckError",
    "Finding",
    "analyse",
    "compare",
    "names_match",
]

DOC_TYPES = ("ktp", "kk", "akta", "buku_nikah", "surat_keterangan", "other")
DOC_TYPE_LABELS = {
    "ktp": "KTP-el",
    "kk": "Kartu Keluarga",
    "akta": "akta",
    "buku_nikah": "buku nikah",
    "surat_keterangan": "surat keterangan",
    "other": "dokumen lain",
}
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


# --- the image ---------------------------------------------------------------------------------


def _decode(image: bytes) -> tuple[Image.Image, tuple[int, int]]:
    """The photo upright in RGB (a JPEG decoded at a reduced scale when it is much larger than
    the OCR needs, which is several times faster) and its original size."""
    if not isinstance(image, bytes | bytearray | memoryview) or not image:
        raise DocCheckError("empty input")
    try:
        with Image.open(io.BytesIO(image)) as probe:
            original = probe.size
            if probe.width * probe.height > MAX_PIXELS:
                raise DocCheckError(f"image too large: {probe.width}x{probe.height}")
            if probe.format == "JPEG":
                probe.draft("RGB", (OCR_MAX_SIDE, OCR_MAX_SIDE))
            probe.load()
            picture = ImageOps.exif_transpose(probe).convert("RGB")
    except DocCheckError:
        raise
    except Exception as exc:  # Pillow raises many kinds for broken input
        raise DocCheckError(f"not a readable image: {exc.__class__.__name__}") from exc
    if picture.width < 8 or picture.height < 8:
        raise DocCheckError("image has almost no pixels")
    return picture, original


def _for_ocr(picture: Image.Image) -> tuple[bytes, float]:
    """JPEG bytes at most OCR_MAX_SIDE on the long side, and the scale applied."""
    scale = min(1.0, OCR_MAX_SIDE / max(picture.size))
    if scale < 1.0:
        size = (round(picture.width * scale), round(picture.height * scale))
        picture = picture.resize(size, Image.Resampling.BILINEAR)
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=92)
    return out.getvalue(), scale


def _read(picture: Image.Image, angle: float, deadline: float):
    """OCR of the photo turned by `angle`: the boxes, the image read and its scale."""
    upright = _rotated(picture, angle) if abs(angle) >= 1.5 else picture
    jpeg, scale = _for_ocr(upright)
    if time.monotonic() >= deadline:
        raise DocCheckError("time limit exceeded before reading the photo")
    try:
        return ocr.run_ocr(jpeg, deadline), upright, scale
    except (TimeoutError, RuntimeError) as exc:
        raise DocCheckError(str(exc)) from exc


def _mean_confidence(boxes: list[ocr.Box]) -> float:
    return sum(b.confidence for b in boxes) / len(boxes) if boxes else 0.0


def _maybe_upside_down(boxes: list[ocr.Box]) -> bool:
    return len(boxes) >= 4 and _mean_confidence(boxes) < 0.85


def _rotated(picture: Image.Image, angle: float) -> Image.Image:
    """The photo turned upright, the new corners filled with the colour of its border."""
    edge = np.concatenate(
        [
            np.asarray(picture)[[0, -1]].reshape(-1, 3),
            np.asarray(picture)[:, [0, -1]].reshape(-1, 3),
        ]
    )
    fill = tuple(int(v) for v in np.median(edge, axis=0))
    return picture.rotate(angle, expand=True, resample=Image.Resampling.BICUBIC, fillcolor=fill)


def _back(picture: Image.Image, upright: Image.Image, angle: float, scale: float):
    """Maps a point of the image given to the OCR back to the original photo's pixels."""
    cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    cx0, cy0 = picture.width / 2, picture.height / 2
    cx1, cy1 = upright.width / 2, upright.height / 2
    rotated = upright is not picture

    def to_original(x: float, y: float) -> tuple[float, float]:
        x, y = x / scale, y / scale
        if not rotated:
            return x, y
        dx, dy = x - cx1, y - cy1
        return cx0 + cos * dx - sin * dy, cy0 + sin * dx + cos * dy

    return to_original


# --- the public entry points ---------------------------------------------------------------------


def analyse(image: bytes, *, time_limit: float = 20.0) -> Analysis:
    """Reads a photo and says what it looks like; DocCheckError when it cannot be done."""
    start = time.monotonic()
    deadline = start + time_limit
    picture, original = _decode(image)
    angle = quality.skew_angle(picture)
    boxes, upright, scale = _read(picture, angle, deadline)
    lines = ocr.lines_from_boxes(boxes)
    doc_type, confidence, _ = classify(lines)
    if doc_type == "other" and _maybe_upside_down(boxes) and deadline - time.monotonic() > 3:
        # nothing recognisable, read with little confidence: the photo may be upside down
        turned = _read(picture, angle + 180, deadline)
        turned_lines = ocr.lines_from_boxes(turned[0])
        turned_type, turned_confidence, _ = classify(turned_lines)
        if turned_type != "other" or _mean_confidence(turned[0]) > _mean_confidence(boxes) + 0.1:
            angle += 180
            (boxes, upright, scale), lines = turned, turned_lines
            doc_type, confidence = turned_type, turned_confidence
    to_original = _back(picture, upright, angle, scale)
    problems = quality.problems(picture, boxes, to_original, original_size=original)
    nik, kk_number = pick_numbers(lines, doc_type)
    name = pick_name(lines, doc_type) if doc_type in ("ktp", "kk", "surat_keterangan") else None
    # past this point the work is done: a result a little late beats none
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
    # a photo that could not be seen at all says nothing about the type; a cut-off one does
    unseen = bool(set(analysis.quality_problems) - {"cut_off"})
    if expected != "other" and looks != expected and not (unseen and looks == "other"):
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
    needle = squash(normal_name(typed_name))
    if any(contains(squash(line), needle) for line in analysis.text.splitlines()):
        return None
    message = (
        f"Nama {normal_name(typed_name)} tidak terbaca di Kartu Keluarga ini "
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
