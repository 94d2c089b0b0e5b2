"""Demo data: 60 days of lighter history (a tenth of the bench's volume) for `make run`, so the
dashboard tells the seed's story on a fresh machine. `loket seed-history` makes the full one."""

import os

from django.conf import settings

from loket.catalog.models import Office
from loket.reports.history import already_seeded, seed_history

DEMO_DAYS = 60  # LOKET_DEMO_HISTORY_DAYS=0 seeds none (the bench seeds its own)
DEMO_SCALE = 0.1


def seed(office: Office) -> None:
    default = 0 if settings.LOKET_ENV == "test" else DEMO_DAYS  # tests seed their own
    days = int(os.environ.get("LOKET_DEMO_HISTORY_DAYS", default) or 0)
    if days > 0 and not already_seeded(office):
        seed_history(office, days, scale=DEMO_SCALE)
