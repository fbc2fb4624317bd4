"""Task events for automations (TK-9) onto the EventBridge bus the template declares
(docs/events.md), ten entries a PutEvents request."""

import json
from collections.abc import Sequence
from itertools import batched
from typing import TYPE_CHECKING

from firmchat.domain.tasks import EVENT_SOURCE, TaskEvent

if TYPE_CHECKING:
    from mypy_boto3_events import EventBridgeClient

PUT_EVENTS_LIMIT = 10


class TaskEventsNotPublishedError(RuntimeError):
    """EventBridge refused some of the entries; the stream record is retried."""


class EventBridgeTaskEvents:
    def __init__(self, bus_name: str, client: "EventBridgeClient") -> None:
        self._bus = bus_name
        self._client = client

    def publish(self, events: Sequence[TaskEvent]) -> None:
        for chunk in batched(events, PUT_EVENTS_LIMIT, strict=False):
            answer = self._client.put_events(
                Entries=[
                    {
                        "EventBusName": self._bus,
                        "Source": EVENT_SOURCE,
                        "DetailType": event.detail_type,
                        "Detail": json.dumps(event.detail, separators=(",", ":")),
                        "Resources": [],
                    }
                    for event in chunk
                ]
            )
            if answer.get("FailedEntryCount", 0):
                codes = {
                    str(entry["ErrorCode"]) for entry in answer["Entries"] if "ErrorCode" in entry
                }
                raise TaskEventsNotPublishedError(f"EventBridge refused: {sorted(codes)}")
