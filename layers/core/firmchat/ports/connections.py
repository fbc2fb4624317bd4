"""The firm's open WebSocket connections, as their two callers see them: the records of who
is connected (the connection store) and the sockets themselves (the pusher)."""

from typing import Any, Protocol


class Connections(Protocol):
    def of_firm(self, firm_id: str) -> list[tuple[str, str]]:
        """(subject, connection id) of every open connection of the firm."""
        ...

    def of_subject(self, firm_id: str, subject: str) -> list[str]:
        """The ids of the subject's open WebSocket connections."""
        ...

    def forget(self, firm_id: str, subject: str, connection_id: str) -> None: ...


class Pusher(Protocol):
    def push(self, connection_id: str, payload: dict[str, Any]) -> bool:
        """False when the connection is gone."""
        ...

    def close(self, connection_id: str) -> None:
        """Closes the socket; one already gone counts as closed."""
        ...
