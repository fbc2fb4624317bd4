"""Real-time delivery (spec MS-3): a frame reaches every open connection of everyone the
access policy lets see the thread, and nobody else's. A closed connection is forgotten.

Who may see is the audience service's answer (`Audience.connected`), decided afresh at every
publish from the people's records as they are now.
"""

from typing import Any

from firmchat.domain.policy import ThreadFacts
from firmchat.ports.connections import Pusher
from firmchat.services.audience import Audience


class Broadcast:
    def __init__(self, audience: Audience, sender: Pusher) -> None:
        self._audience = audience
        self._sender = sender

    def publish(
        self, thread: ThreadFacts, frame: dict[str, Any], exclude_user_id: str | None = None
    ) -> None:
        for person in self._audience.connected(thread):
            if person.principal.user_id == exclude_user_id:
                continue
            for connection_id in person.connection_ids:
                if not self._sender.push(connection_id, frame):
                    self._audience.forget(thread, person.principal, connection_id)
