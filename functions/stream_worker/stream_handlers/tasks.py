"""Task events for automations (TK-9): each change of a thread's task list is published to
the task events bus, once, from here rather than from the request (a request that fails
after its write, or a bus that is down, loses nothing: the record is retried). A thread's
purge removing its list publishes nothing."""

from collections.abc import Mapping

from firmchat.domain.changes import Change, Handler, ItemKind
from firmchat.domain.tasks import TaskList
from firmchat.observability import logger
from firmchat.root import root

task_events = root().task_events


def publish_task_events(change: Change) -> None:
    new, old, firm_id = change.new, change.old, change.firm_id
    if not isinstance(new, TaskList) or not firm_id:
        return
    published = task_events.changed(firm_id, old if isinstance(old, TaskList) else None, new)
    logger.info(
        "task events",
        extra={"thread_id": new.thread_id, "version": new.version, "published": len(published)},
    )


HANDLERS: Mapping[ItemKind, Handler] = {ItemKind.TASKS: publish_task_events}
