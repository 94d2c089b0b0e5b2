"""What the bot does with labelled messages: answers (right or wrong), asks back, hands to a
person, or shows the menu. The bot's own layer on top of the NLU (loket.bot.clarify, phrases).

    .venv/bin/python bench/bot_decisions.py                       # the NLU's test and fresh sets
    .venv/bin/python bench/bot_decisions.py path/to/eval.tsv ...  # any text<TAB>label file

Runs on an in-memory SQLite database with the catalog loaded; no network, no server.
"""

import os
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loket.settings")
os.environ["LOKET_ENV"] = "test"
os.environ["DATABASE_URL"] = "sqlite://:memory:"

OUTCOMES = [
    "answered right",
    "answered wrong",
    "asked back, right one offered",
    "asked back, right one missing",
    "to a person",
    "polite reply (label lainnya)",
    "polite reply (label other)",
    "booking links",
    "menu (label lainnya)",
    "menu (label other)",
]


def decide(text: str) -> tuple[str, list[str]]:
    """The bot's first decision for a text message (the order of conversation._answer)."""
    from loket.bot import clarify, phrases
    from loket.nlu.normalize import normalize

    normalized = normalize(text)
    if phrases.is_only_emoji(text, normalized) or phrases.is_thanks(normalized):
        return "polite", []
    if phrases.salam_answer(normalized):
        return "polite", []
    if phrases.complaint_kind(normalized) is not None:
        return "operator", []
    if phrases.asks_for_appointment(normalized):
        return "booking", []
    reading = clarify.read(text)
    if reading.sure:
        return reading.intent, []
    if reading.options:
        return "ask", reading.options
    return "menu", []


def outcome(label: str, decision: str, options: list[str]) -> str:
    if decision == "ask":
        return (
            "asked back, right one offered" if label in options else "asked back, right one missing"
        )
    if decision in ("polite", "menu"):
        name = "polite reply" if decision == "polite" else "menu"
        return f"{name} (label {'lainnya' if label == 'lainnya' else 'other'})"
    if decision == "booking":
        return "booking links"
    if decision == "operator" and label != "operator":
        return "to a person"
    return "answered right" if decision == label else "answered wrong"


def main(paths: list[str]) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from loket.catalog.loading import load_services
    from loket.nlu.dataset import read_tsv

    call_command("migrate", verbosity=0)
    load_services()
    for path in paths:
        texts, labels = read_tsv(path)
        counts = Counter(
            outcome(label, *decide(text)) for text, label in zip(texts, labels, strict=True)
        )
        total = len(texts)
        print(f"\n{Path(path).name}: {total} messages")
        for name in OUTCOMES:
            print(f"  {name:32s} {counts[name]:5d}  {counts[name] / total:6.1%}")


if __name__ == "__main__":
    data = ROOT / "loket" / "nlu" / "data"
    main(sys.argv[1:] or [str(data / "test.tsv"), str(data / "fresh.tsv")])
