"""A document item that leaves the table takes its object with it: deleted by hand (the
request already removed the object; this finds nothing left) or purged with its deleted
thread, whose purge removes the items only. Idempotent: a redelivered removal deletes
nothing twice."""

from collections.abc import Mapping

from firmchat.domain.changes import Change, ChangeEvent, Handler, ItemKind
from firmchat.domain.documents import Document
from firmchat.observability import logger
from firmchat.root import root

objects = root().objects


def remove_the_object_of_a_removed_document(change: Change) -> None:
    if change.event is not ChangeEvent.REMOVE or not isinstance(change.old, Document):
        return
    objects.delete(change.old.key)
    logger.info("document removed; object deleted", extra={"document": change.old.document_id})


HANDLERS: Mapping[ItemKind, Handler] = {ItemKind.DOCUMENT: remove_the_object_of_a_removed_document}
