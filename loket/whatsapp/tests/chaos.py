"""An inbound handler for chaos tests and benchmarks: thinks a while, then answers once.

Its reply names the message it answers, so the fake Graph API can count answers per message.
"""

import os
import time
from pathlib import Path

from loket.whatsapp import outbox


def slow_echo(message) -> None:
    marks = os.environ.get("LOKET_CHAOS_MARK_DIR")
    if marks:  # tells the test which worker is inside a batch right now
        (Path(marks) / f"{os.getpid()}-{message.wa_message_id}").touch()
    time.sleep(float(os.environ.get("LOKET_CHAOS_HANDLER_SECONDS", "0.3")))
    outbox.queue_text(message.contact, f"balasan {message.wa_message_id}", source="chaos")
