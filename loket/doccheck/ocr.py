"""The OCR step: faster-paddle's PP-OCRv6 "tiny" ONNX models, bundled in its wheel (no download).

One engine per process, built lazily under a lock, one CPU thread unless LOKET_DOCCHECK_THREADS
says otherwise (the worker shares the server with the web process). The call runs in a helper
thread so that the caller can give up at its deadline.
"""

import os
import threading
import time
from dataclasses import dataclass

_engine = None
_engine_lock = threading.Lock()


def ocr_engine():
    """The faster-paddle engine, built once per process (thread-safe, lazily)."""
    global _engine
    if _engine is None:
        with _engine_lock:
            if _engine is None:
                import faster_paddle

                _engine = faster_paddle.OcrEngine(
                    model_size=_model_size(),
                    threads=int(os.environ.get("LOKET_DOCCHECK_THREADS", "1")),
                )
    return _engine


def _model_size() -> str:
    """The model: "tiny" (default) or "small", both in the wheel; never "medium" (a download)."""
    size = os.environ.get("LOKET_DOCCHECK_MODEL", "tiny")
    return size if size in ("tiny", "small") else "tiny"


@dataclass(frozen=True)
class Box:
    text: str
    x1: float
    y1: float
    x2: float
    y2: float
    confidence: float

    @property
    def yc(self) -> float:
        return (self.y1 + self.y2) / 2

    @property
    def height(self) -> float:
        return max(1.0, self.y2 - self.y1)


def run_ocr(jpeg: bytes, deadline: float) -> list[Box]:
    """The text boxes read; TimeoutError at the deadline, RuntimeError when the OCR fails."""
    result: dict = {}

    def work() -> None:
        try:
            result["value"] = ocr_engine().ocr(jpeg)
        except Exception as exc:  # the engine's own errors are re-raised below
            result["error"] = exc

    thread = threading.Thread(target=work, name="doccheck-ocr", daemon=True)
    thread.start()
    thread.join(max(0.0, deadline - time.monotonic()))
    if thread.is_alive():
        raise TimeoutError("time limit exceeded while reading the photo")
    if "error" in result:
        raise RuntimeError(f"OCR failed: {result['error']}")
    boxes = []
    for b in result["value"].get("bounds", {}).values():
        (x1, y1), (x2, y2) = b["topLeftCoord"], b["bottomRightCoord"]
        boxes.append(Box(str(b["text"]), x1, y1, x2, y2, float(b.get("confidence", 0.0))))
    return boxes


def lines_from_boxes(boxes: list[Box]) -> list[str]:
    """Boxes joined into lines left to right, following a tilted row from box to box.

    A box joins the row whose last box ends left of it at about the same height; a wide gap
    (a second column) starts a new line, so "Nama : X" and "Kecamatan : Y" stay apart.
    """
    rows: list[list[Box]] = []
    for box in sorted(boxes, key=lambda b: b.x1):
        best, best_dy = None, None
        for row in rows:
            last = row[-1]
            gap = box.x1 - last.x2
            if gap < -0.5 * box.height or gap > 8 * max(box.height, last.height):
                continue
            dy = abs(box.yc - last.yc)
            if dy < 0.5 * min(box.height, last.height) and (best_dy is None or dy < best_dy):
                best, best_dy = row, dy
        if best is None:
            rows.append([box])
        else:
            best.append(box)
    rows.sort(key=lambda row: (row[0].yc, row[0].x1))
    lines = [" ".join(b.text.strip() for b in row if b.text.strip()) for row in rows]
    return [line for line in lines if line]
