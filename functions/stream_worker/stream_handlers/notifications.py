"""Notifications of new messages: each message the firm writes, a new thread's first one
included, is emailed to the account's notified contacts (NT-1); each message moves the
inbox or dashboard entries of everyone it concerns (NT-2 to NT-5), and reading a thread
marks its entry read. Both are idempotent per message: a redelivered record sends and
counts nothing again."""

from collections.abc import Mapping

from firmchat.domain.changes import Change, ChangeEvent, Handler, ItemKind
from firmchat.domain.threads import Message, ReadState
from firmchat.observability import logger
from firmchat.root import root

notifications = root().message_notifications
inbox = root().inbox


def notify_of_new_message(change: Change) -> None:
    message, firm_id = change.new, change.firm_id
    if change.event is not ChangeEvent.INSERT or not isinstance(message, Message) or not firm_id:
        return
    notified = notifications.message_posted(firm_id, message)
    logger.info(
        "notifications of a message",
        extra={
            "thread_id": message.thread_id,
            "seq": message.seq,
            "inbox_entries": len(notified.entries),
            "emailed": len(notified.emails.sent),
            "skipped": notified.emails.skipped,
        },
    )


def mark_entry_read(change: Change) -> None:
    read, firm_id = change.new, change.firm_id
    if not isinstance(read, ReadState) or not firm_id:
        return
    inbox.thread_read(firm_id, read.user_id, read.thread_id, read.seq)


HANDLERS: Mapping[ItemKind, Handler] = {
    ItemKind.MESSAGE: notify_of_new_message,
    ItemKind.READ_STATE: mark_entry_read,
}
