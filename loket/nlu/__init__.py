"""Understanding citizens' messages: `classify(text) -> (intent, confidence)`.

`classify_all(text)` finds every service asked for in one message; `rank(text, top)` gives the
most likely intents with their confidences (for asking back). The trained model lives in
model.py (artefact in model/), the keyword baseline in keywords.py; see docs/nlu.md.
"""

from loket.nlu.intents import INTENTS, SERVICE_INTENTS
from loket.nlu.understand import classify, classify_all, rank

__all__ = ["INTENTS", "SERVICE_INTENTS", "classify", "classify_all", "rank", "warm_up"]


def warm_up() -> None:
    """Loads the model and answers one message, so the first citizen does not wait for it."""
    classify_all("mau bikin akta kelahiran anak")
