"""A batch read DynamoDB keeps throttling gives up after a few waits, never spins forever."""

from typing import Any

import pytest

from firmchat.adapters.dynamo import BATCH_GET_ATTEMPTS
from firmchat.adapters.threads import DynamoThreadStore


class _AlwaysThrottled:
    def __init__(self) -> None:
        self.requests = 0
        self.meta = self  # a Table's `meta.client` is this client
        self.client = self
        self.name = "ChatTable"

    def batch_get_item(self, RequestItems: dict[str, Any]) -> dict[str, Any]:
        self.requests += 1
        return {"Responses": {}, "UnprocessedKeys": RequestItems}


def test_read_state_stops_after_the_bounded_attempts(core_settings, monkeypatch):
    throttled = _AlwaysThrottled()
    waits: list[float] = []
    store = DynamoThreadStore(throttled)  # type: ignore[arg-type]
    monkeypatch.setattr("time.sleep", waits.append)

    with pytest.raises(RuntimeError, match="unprocessed"):
        store.read_seqs("firm-1", "user-1", ["thread-1"])

    assert throttled.requests == BATCH_GET_ATTEMPTS
    assert waits == sorted(waits)
    assert len(waits) == BATCH_GET_ATTEMPTS - 1
