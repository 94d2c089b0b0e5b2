"""Image measures with numpy: sharpness, exposure, size and whether the page runs off the photo."""

from collections.abc import Callable

import numpy as np
from PIL import Image, ImageFilter

from loket.doccheck.ocr import Box

Mapping = Callable[[float, float], tuple[float, float]]

QUALITY_PROBLEMS = ("blur", "dark", "overexposed", "cut_off", "too_small")
BLUR_BELOW = 0.12  # sharpness(): Gaussian blur of radius 4 px on a 1600 px photo gives ~0.10


def to_gray(picture: Image.Image, side: int = 1000) -> np.ndarray:
    scale = side / max(picture.size)
    size = (max(1, round(picture.width * scale)), max(1, round(picture.height * scale)))
    return np.asarray(picture.convert("L").resize(size, Image.Resampling.BILINEAR), np.float32)


def _tiles(array: np.ndarray, tile: int) -> np.ndarray:
    h, w = array.shape[0] // tile, array.shape[1] // tile
    cut = array[: h * tile, : w * tile].reshape(h, tile, w, tile)
    return cut.transpose(0, 2, 1, 3).reshape(h, w, tile * tile)


def sharpness(gray: np.ndarray) -> float:
    """How steep the edges are: the Laplacian's peak in each busy tile over the tile's contrast.

    Independent of how much text there is (a room with few edges scores like a page full of
    text); a sharp page scores ~0.4-1.5 on the 1000 px thumbnail, a blurred one under 0.1.
    """
    lap = np.abs(
        -4 * gray[1:-1, 1:-1] + gray[:-2, 1:-1] + gray[2:, 1:-1] + gray[1:-1, :-2] + gray[1:-1, 2:]
    )
    tile = 32
    if min(lap.shape) < tile:
        return 0.0
    peaks = np.percentile(_tiles(lap, tile), 99, axis=2)
    values = _tiles(gray[1:-1, 1:-1], tile)
    contrast = np.percentile(values, 98, axis=2) - np.percentile(values, 2, axis=2)
    busy = contrast > 40
    if not busy.any():
        return 0.0
    return float(np.median(peaks[busy] / contrast[busy]))


def skew_angle(picture: Image.Image, limit: float = 15.0) -> float:
    """The rotation (degrees, counter-clockwise) that makes the lines of text horizontal.

    Between -15 and 15, or 75 and 105 for a sideways photo (which way up is left to the OCR).
    Ink is what is clearly darker than its neighbourhood; the angle that gives the spikiest
    row profile of the ink wins (coarse 1 degree steps, then 0.25 around the best).
    """
    small = picture.convert("L")
    small.thumbnail((700, 700))
    local = small.filter(ImageFilter.BoxBlur(12))
    ink = (np.asarray(small, np.int16) < np.asarray(local, np.int16) - 25).astype(np.uint8) * 255
    if ink.mean() < 0.5:
        return 0.0
    mask = Image.fromarray(ink)

    def score(angle: float) -> float:
        rows = np.asarray(mask.rotate(angle, resample=Image.Resampling.NEAREST), np.float32)
        profile = rows.sum(axis=1)
        return float(np.square(np.diff(profile)).sum())

    near = np.arange(-limit, limit + 0.1, 1.0)
    # a page photographed sideways: its lines run up or down the photo
    coarse = max(np.concatenate([near, near + 90]), key=score)
    return float(max(np.arange(coarse - 0.75, coarse + 0.8, 0.25), key=score))


def problems(
    picture: Image.Image, boxes: list[Box], to_original: Mapping, *, original_size: tuple[int, int]
) -> list[str]:
    """The QUALITY_PROBLEMS of a photo; `to_original` maps OCR box corners to its pixels."""
    found = []
    gray = to_gray(picture)
    p99 = float(np.percentile(gray, 99))
    mean = float(gray.mean())
    sharp = sharpness(gray)
    if max(original_size) < 640 or min(original_size) < 400:
        found.append("too_small")
    if p99 < 80 or mean < 45:
        found.append("dark")
    elif mean > 235 and float(np.percentile(gray, 10)) > 225:
        found.append("overexposed")
    if "dark" not in found and "too_small" not in found and sharp < BLUR_BELOW:
        found.append("blur")
    if _cut_off(gray, boxes, picture.size, to_original):
        found.append("cut_off")
    return [p for p in QUALITY_PROBLEMS if p in found]


def _cut_off(
    gray: np.ndarray, boxes: list[Box], size: tuple[int, int], to_original: Mapping
) -> bool:
    """Text touching an edge of the photo, or the paper running out of the frame."""
    if len(boxes) < 3:
        return False
    w, h = size
    margin_x, margin_y = w * 0.006, h * 0.006
    for b in boxes:
        if len(b.text.strip()) < 2:
            continue
        for corner in ((b.x1, b.y1), (b.x2, b.y1), (b.x1, b.y2), (b.x2, b.y2)):
            x, y = to_original(*corner)
            if x <= margin_x or y <= margin_y or x >= w - margin_x or y >= h - margin_y:
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
