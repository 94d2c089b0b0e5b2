import json
import sys

from django.core.management.base import BaseCommand

from loket.nlu import classify


class Command(BaseCommand):
    help = "Reads messages on stdin, one a line; prints a JSON object a line: intent, confidence."

    def handle(self, *args, **options):
        out = sys.stdout
        for line in sys.stdin:
            text = line.rstrip("\n")
            intent, confidence = classify(text)
            out.write(
                json.dumps(
                    {"text": text, "intent": intent, "confidence": round(float(confidence), 4)},
                    ensure_ascii=False,
                )
                + "\n"
            )
        out.flush()
