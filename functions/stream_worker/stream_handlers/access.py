"""Access that ends takes effect at once: when a contact loses portal access (or is removed)
or a firm user is removed, their open WebSocket connections are closed."""

from collections.abc import Mapping

from firmchat.adapters.people import KIND_CONTACT, KIND_FIRM_USER
from firmchat.domain.people import Contact, FirmUser
from firmchat.observability import logger
from firmchat.root import root
from firmchat.services.sessions import end_sessions
from stream_handlers.change import Change, Handler

connections = root().connections
pusher = root().pusher


def _end_sessions_when_access_ends(person: type[Contact] | type[FirmUser]) -> Handler:
    def handle(change: Change) -> None:
        if not change.old:
            return
        before = person.model_validate(change.old)
        still_signs_in = bool(change.new) and person.model_validate(change.new).signs_in
        if before.subject is None or not before.signs_in or still_signs_in:
            return
        closed = end_sessions(before.firm_id, before.subject, connections, pusher)
        logger.info("access ended; sessions closed", extra={"kind": change.kind, "closed": closed})

    return handle


HANDLERS: Mapping[str, Handler] = {
    KIND_CONTACT: _end_sessions_when_access_ends(Contact),
    KIND_FIRM_USER: _end_sessions_when_access_ends(FirmUser),
}
