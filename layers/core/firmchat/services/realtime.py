"""Real-time delivery (spec MS-3): a frame reaches every open connection of everyone the
access policy lets see the thread, and nobody else's. A closed connection is forgotten."""

from collections import defaultdict
from collections.abc import Iterable
from typing import Any, Protocol

from firmchat.domain.caller import Caller
from firmchat.domain.policy import ThreadFacts, audience
from firmchat.domain.principal import Principal
from firmchat.errors import NotAuthenticatedError


class OpenConnections(Protocol):
    def of_firm(self, firm_id: str) -> list[tuple[str, str]]:
        """(subject, connection id) of every open connection of the firm."""

    def forget(self, firm_id: str, subject: str, connection_id: str) -> None: ...


class FrameSender(Protocol):
    def push(self, connection_id: str, payload: dict[str, Any]) -> bool:
        """False when the connection is gone."""


class PrincipalSource(Protocol):
    def principal_for(self, caller: Caller) -> Principal: ...


class Broadcast:
    def __init__(
        self, connections: OpenConnections, principals: PrincipalSource, sender: FrameSender
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
        for person in audience(thread, self._active(thread.firm_id, by_subject)):
            if person.user_id == exclude_user_id:
                continue
            for connection_id in by_subject[person.subject]:
                if not self._sender.push(connection_id, frame):
                    self._connections.forget(thread.firm_id, person.subject, connection_id)

    def _active(self, firm_id: str, subjects: Iterable[str]) -> Iterable[Principal]:
        """The principals of the connected subjects, as of now (a removed person is none)."""
        for subject in subjects:
            try:
                yield self._principals.principal_for(Caller(firm_id=firm_id, subject=subject))
            except NotAuthenticatedError:
                continue
