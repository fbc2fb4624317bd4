"""Access that ends takes effect at once: when a contact loses portal access (or is removed)
or a firm user is removed, their open WebSocket connections are closed."""

from collections.abc import Mapping

from firmchat.domain.changes import Change, Handler, ItemKind
from firmchat.domain.people import Contact, FirmUser
from firmchat.observability import logger
from firmchat.root import root
from firmchat.services.sessions import end_sessions

connections = root().connections
pusher = root().pusher


def end_sessions_when_access_ends(change: Change) -> None:
    before, after = change.old, change.new
    if not isinstance(before, Contact | FirmUser):
        return
    still_signs_in = isinstance(after, Contact | FirmUser) and after.signs_in
    if before.subject is None or not before.signs_in or still_signs_in:
        return
    closed = end_sessions(before.firm_id, before.subject, connections, pusher)
    logger.info("access ended; sessions closed", extra={"kind": change.kind, "closed": closed})


HANDLERS: Mapping[ItemKind, Handler] = {
    ItemKind.CONTACT: end_sessions_when_access_ends,
    ItemKind.FIRM_USER: end_sessions_when_access_ends,
}
