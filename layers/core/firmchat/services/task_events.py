"""Task events for automations (TK-9), from the table's stream (never from the request):
each change of a thread's task list is published once, whatever the stream redelivers. The
delivery ledger holds one mark per change (its list version): claimed before publishing,
confirmed after, released when publishing failed so the retry publishes it."""

from firmchat.domain.tasks import TaskEvent, TaskList, task_events
from firmchat.ports.notifications import DeliveryLedger
from firmchat.ports.tasks import TaskEventBus

RECIPIENT = "event-bus"


class TaskEvents:
    def __init__(self, bus: TaskEventBus, ledger: DeliveryLedger) -> None:
        self._bus = bus
        self._ledger = ledger

    def changed(self, firm_id: str, old: TaskList | None, new: TaskList) -> list[TaskEvent]:
        """The events published now (none again for a redelivered change)."""
        events = task_events(old, new)
        if not events:
            return []
        change_id = f"tasks#{new.thread_id}#{new.version}"
        if not self._ledger.claim(firm_id, change_id, RECIPIENT):
            return []
        try:
            self._bus.publish(events)
        except Exception:
            self._ledger.release(firm_id, change_id, RECIPIENT)
            raise
        self._ledger.confirm(firm_id, change_id, RECIPIENT)
        return events
