"""Ending a person's live sessions the moment their access ends.

Every HTTP request and WebSocket action loads the principal afresh, so a removed user is
refused at their next step anyway; this closes the sockets they hold open, so nothing more
is pushed to them either.
"""

from firmchat.ports.connections import Connections, Pusher


def end_sessions(firm_id: str, subject: str, directory: Connections, closer: Pusher) -> int:
    """Closes and forgets every open connection of the subject; returns how many there were."""
    connection_ids = directory.of_subject(firm_id, subject)
    for connection_id in connection_ids:
        closer.close(connection_id)
        directory.forget(firm_id, subject, connection_id)
    return len(connection_ids)
