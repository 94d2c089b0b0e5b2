"""A task of no particular kind for the lease tests: sleeps, then returns its argument."""

import time

from django_tasks import task


@task()
def sleepy(seconds: float, value: str) -> str:
    time.sleep(seconds)
    return value
