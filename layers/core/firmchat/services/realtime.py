"""Real-time delivery (spec MS-3): a frame reaches every open connection of everyone the
access policy lets see the thread, and nobody else's. A closed connection is forgotten.

Who may see is decided afresh at every publish, from the people's records as they are now
(docs/decisions/0005-push-audience-loaded-in-batches.md): one Query for the firm's open
connections, then the connected people in batches, two BatchGetItem for each 100 people
online, whatever the size of the firm.
"""

from collections import defaultdict
from collections.abc import Sequence
from typing import Any, Protocol

from firmchat.domain.policy import ThreadFacts, audience
from firmchat.domain.principal import Principal
from firmchat.ports.connections import Connections, Pusher


class PrincipalSource(Protocol):
    def principals_for(self, firm_id: str, subjects: Sequence[str]) -> list[Principal]:
        """The principals of those subjects with active access now (a removed person is
        none)."""


class Broadcast:
    def __init__(
        self, connections: Connections, principals: PrincipalSource, sender: Pusher
    ) -> None:
        self._connections = connections
        self._principals = principals
        self._sender = sender

    def publish(
        self, thread: ThreadFacts, frame: dict[str, Any], exclude_user_id: str | None = None
    ) -> None:
        by_subject: dict[str, list[str]] = defaultdict(list)
        for subject, connection_id in self._connections.of_firm(thread.firm_id):
            by_subject[subject].append(connection_id)
        connected = self._principals.principals_for(thread.firm_id, list(by_subject))
        for person in audience(thread, connected):
            if person.user_id == exclude_user_id:
                continue
            for connection_id in by_subject[person.subject]:
                if not self._sender.push(connection_id, frame):
                    self._connections.forget(thread.firm_id, person.subject, connection_id)
