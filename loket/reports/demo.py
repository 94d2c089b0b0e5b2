"""Demo data: 60 days of lighter history (a fifth of the bench's volume) for `make run`, so the
dashboard tells the seed's story on a fresh machine. `loket seed-history` makes the full one."""

from loket.catalog.models import Office
from loket.reports.history import already_seeded, seed_history

DEMO_DAYS = 60
DEMO_SCALE = 0.2


def seed(office: Office) -> None:
    if not already_seeded(office):
        seed_history(office, DEMO_DAYS, scale=DEMO_SCALE)
