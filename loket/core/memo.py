"""Reading the same things once per unit of work (the catalog, the policy, link generations).

A worker answering a batch of fifty messages asks fifty times which policy is in force, how
each service runs and what the catalog holds: the same answer each time, five queries each.
Inside `memoized()` each question is asked of the database once and remembered until the block
ends. Blocks are short (one worker batch, well under a second) and nothing outlives them, so a
change a staff member saves is seen by the next batch: there is nothing to invalidate.
Outside a block every function reads the database as before.
"""

import contextlib
import contextvars
from collections.abc import Callable, Hashable, Iterator
from typing import TypeVar

T = TypeVar("T")

_memo: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "loket_catalog_memo", default=None
)


@contextlib.contextmanager
def memoized() -> Iterator[None]:
    """Remembers catalog and policy reads until the block ends (a nested block shares them)."""
    if _memo.get() is not None:
        yield
        return
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def remember(key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()`, once per key inside a `memoized()` block; every time outside one."""
    memo = _memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def active() -> bool:
    return _memo.get() is not None


def prefill(values: dict) -> None:
    """Remembers answers read together (one query for a whole batch), inside a block only."""
    memo = _memo.get()
    if memo is not None:
        memo.update(values)


def forget(key: Hashable) -> None:
    """Drops a remembered answer the caller has just changed."""
    memo = _memo.get()
    if memo is not None:
        memo.pop(key, None)
