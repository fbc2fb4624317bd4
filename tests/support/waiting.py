"""Waiting on the local cloud's own pace (its stream worker and scheduler run on their own)."""

import time
from collections.abc import Callable

WAIT_SECONDS = 60


def eventually[T](check: Callable[[], T], seconds: float = WAIT_SECONDS) -> T:
    """Polls until `check` returns something truthy, or `seconds` passed (then returns what
    it returned last, for the caller to assert on)."""
    deadline = time.monotonic() + seconds
    while True:
        found = check()
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def bearer(id_token: Callable[[str], str], who: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {id_token(who)}"}
