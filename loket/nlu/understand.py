"""`classify` (one intent) and `classify_all` (every service asked for in one message)."""

import re

from loket.nlu.intents import SERVICE_INTENTS
from loket.nlu.keywords import classify_keywords
from loket.nlu.normalize import normalize

DEFAULT_THRESHOLD = 0.6  # settings.LOKET_NLU_THRESHOLD; see docs/nlu.md
# "mau bikin kk dan akta lahir", "ktp hilang, kk juga": conjunctions and list punctuation.
SPLIT = re.compile(
    r"[,;&+/\n]|\b(?:dan|sama|serta|terus|trus|juga|jg|sekalian|plus|lalu|"
    r"and|also|n)\b",
    re.IGNORECASE,
)


def classify(text: str) -> tuple[str, float]:
    """The intent of a message and how sure we are (0..1)."""
    if not normalize(text):
        return "lainnya", 0.0
    from loket.nlu.model import get_model, predict  # scikit-learn loads on first use only

    model = get_model()
    if model is None:
        return classify_keywords(text)
    intent, confidence = predict(model, text)[0]
    return intent, round(confidence, 4)


def rank(text: str, top: int = 3) -> list[tuple[str, float]]:
    """The `top` most likely intents with their confidences, most likely first. The bot asks
    back with these when the first is not sure enough or the second is close to it."""
    if not normalize(text):
        return [("lainnya", 0.0)]
    from loket.nlu.model import get_model, predict

    model = get_model()
    if model is None:
        return [classify_keywords(text)]
    return [(intent, round(confidence, 4)) for intent, confidence in predict(model, text)[:top]]


def classify_all(text: str, threshold: float | None = None) -> list[tuple[str, float]]:
    """Two or more distinct services asked for in one message, in the order written; otherwise
    the single best answer of `classify`, so the list is never empty."""
    threshold = _threshold() if threshold is None else threshold
    best = classify(text)
    parts = [part for part in SPLIT.split(text or "") if normalize(part)]
    if len(parts) < 2:
        return [best]
    found: dict[str, float] = {}
    for part in parts:
        intent, confidence = classify(part)
        if intent in SERVICE_INTENTS and confidence >= threshold and intent not in found:
            found[intent] = confidence
    return list(found.items()) if len(found) >= 2 else [best]


def _threshold() -> float:
    from django.conf import settings

    if settings.configured:
        return float(getattr(settings, "LOKET_NLU_THRESHOLD", DEFAULT_THRESHOLD))
    return DEFAULT_THRESHOLD
