import json
import sys

from django.core.management.base import BaseCommand

from loket.nlu import rank


class Command(BaseCommand):
    help = (
        "Reads messages on stdin, one a line; prints a JSON object a line: text, intent, "
        "confidence and alternatives (the next two intents with their confidences)."
    )

    def handle(self, *args, **options):
        out = sys.stdout
        for line in sys.stdin:
            text = line.rstrip("\n")
            ranked = rank(text, top=3)
            (intent, confidence), others = ranked[0], ranked[1:]
            row = {
                "text": text,
                "intent": intent,
                "confidence": round(float(confidence), 4),
                "alternatives": [
                    {"intent": other, "confidence": round(float(score), 4)}
                    for other, score in others
                ],
            }
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
        out.flush()
