"""Real-time delivery (spec MS-3): an event reaches every open connection of everyone the
access policy lets see the thread, and nobody else's, as that person's frame: the view of
their audience (firm or client, `firmchat.domain.views`) with their own unread counts. A
closed connection is forgotten.

Who may see is the audience service's answer (`Audience.connected`), decided afresh at every
publish from the people's records as they are now. The receivers' counts are read in one
BatchGetItem per 50 receivers (docs/data-model.md).
"""

from collections.abc import Sequence
from typing import Protocol

from firmchat.domain.events import Event
from firmchat.domain.threads import Thread
from firmchat.domain.views import UnreadCounts, frame_for
from firmchat.ports.connections import Pusher
from firmchat.services.audience import Audience


class UnreadSource(Protocol):
    def unread_counts(self, thread: Thread, user_ids: Sequence[str]) -> dict[str, UnreadCounts]:
        """Each user's unread in the thread and its account."""


class Broadcast:
    def __init__(self, audience: Audience, sender: Pusher, unread: UnreadSource) -> None:
        self._audience = audience
        self._sender = sender
        self._unread = unread

    def publish(self, event: Event, exclude_user_id: str | None = None) -> None:
        facts = event.thread.facts()
        receivers = [
            person
            for person in self._audience.connected(facts)
            if person.principal.user_id != exclude_user_id
        ]
        if not receivers:
            return
        counts = (
            self._unread.unread_counts(
                event.thread, [person.principal.user_id for person in receivers]
            )
            if event.shows_thread
            else {}
        )
        for person in receivers:
            viewer = person.principal
            frame = frame_for(event, viewer, counts.get(viewer.user_id)).model_dump(mode="json")
            for connection_id in person.connection_ids:
                if not self._sender.push(connection_id, frame):
                    self._audience.forget(facts, viewer, connection_id)
