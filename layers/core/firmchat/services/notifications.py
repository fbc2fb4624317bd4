"""Everything one new message notifies (NT-1 to NT-5), from one read of its thread's people
(services.audience.thread_people): the inbox and dashboard entries, then the client emails."""

from dataclasses import dataclass

from firmchat.domain.inbox import InboxEntry
from firmchat.domain.threads import Message
from firmchat.ports.threads import ThreadReads
from firmchat.services.audience import ThreadPeopleReads, thread_people
from firmchat.services.client_emails import ClientEmails, Outcome
from firmchat.services.inbox import Inbox


@dataclass(frozen=True)
class MessageNotified:
    entries: tuple[InboxEntry, ...]
    emails: Outcome


class MessageNotifications:
    def __init__(
        self, threads: ThreadReads, people: ThreadPeopleReads, inbox: Inbox, emails: ClientEmails
    ) -> None:
        self._threads = threads
        self._people = people
        self._inbox = inbox
        self._emails = emails

    def message_posted(self, firm_id: str, message: Message) -> MessageNotified:
        people = thread_people(self._threads, self._people, firm_id, message.thread_id)
        if isinstance(people, str):
            return MessageNotified(entries=(), emails=Outcome(skipped=people))
        return MessageNotified(
            entries=tuple(self._inbox.message_posted(people, message)),
            emails=self._emails.message_posted(people, message),
        )
