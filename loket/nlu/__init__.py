"""Understanding citizens' messages: `classify(text) -> (intent, confidence)`."""

from loket.nlu.intents import INTENTS, SERVICE_INTENTS
from loket.nlu.keywords import classify_keywords


def classify(text: str) -> tuple[str, float]:
    """The intent of a message and how sure we are (0..1)."""
    return classify_keywords(text)


__all__ = ["INTENTS", "SERVICE_INTENTS", "classify"]
