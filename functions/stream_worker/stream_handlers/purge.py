"""A deleted thread's items are purged from the stream, one chunk per record: each step
that leaves more behind changes the deleted thread's item, whose record runs the next step.
A step that fails is retried with its record; steps are idempotent."""

from collections.abc import Mapping

from firmchat.domain.changes import Change, Handler, ItemKind
from firmchat.domain.threads import DeletedThread
from firmchat.observability import logger
from firmchat.root import root

threads = root().threads


def purge_deleted_thread(change: Change) -> None:
    deleted = change.new
    if not isinstance(deleted, DeletedThread):
        return  # the purge's own last write: the deleted thread's item is gone
    done = threads.purge(deleted.firm_id, deleted.thread_id)
    logger.info("deleted thread purge step", extra={"thread_id": deleted.thread_id, "done": done})


HANDLERS: Mapping[ItemKind, Handler] = {ItemKind.DELETED_THREAD: purge_deleted_thread}
