"""Client emails (spec NT-1): each new thread and message from the firm is emailed to every
contact of the account who may see it, signs in (portal access, activated login) and has
notify on. The content is only shown when the firm's `show_content_in_client_emails` is on,
and then through the email profile of the sanitizer. Each (message, contact) is sent at
most once, whatever the stream redelivers (the delivery ledger).

Bursts are grouped (the firm's `client_email_group_minutes`, 0 for one email per message):
the first message of a burst is emailed at once; the later ones in the same thread to the
same contact within the window are folded into one follow-up at its end (a one-time
schedule calls `follow_up`), which is skipped when the contact read them meanwhile.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from firmchat.domain.people import ClientAccount, Contact, Firm
from firmchat.domain.principal import PrincipalKind
from firmchat.domain.richtext import email_html, plain_text
from firmchat.domain.threads import Message, Thread, ThreadStatus
from firmchat.emails import RenderedEmail, render
from firmchat.ports.notifications import (
    DeliveryLedger,
    EmailGroup,
    EmailGroups,
    FollowUps,
    Mailer,
)
from firmchat.ports.tasks import TaskReads
from firmchat.ports.threads import ThreadReads
from firmchat.services.audience import ThreadPeople, thread_people
from firmchat.services.reply_addresses import ReplyAddresses
from firmchat.services.unsubscribe import UnsubscribeLinks


class ClientEmailPeople(Protocol):
    def firm(self, firm_id: str) -> Firm | None: ...

    def account(self, firm_id: str, account_id: str) -> ClientAccount | None: ...

    def contacts(self, firm_id: str, account_id: str) -> list[Contact]: ...


@dataclass(frozen=True)
class Outcome:
    """What one message's emails came to: the contacts emailed now, and why none were when
    none were."""

    sent: tuple[str, ...] = ()
    skipped: str | None = None


class ClientEmails:
    def __init__(
        self,
        threads: ThreadReads,
        people: ClientEmailPeople,
        ledger: DeliveryLedger,
        mailer: Mailer,
        *,
        unsubscribe_links: UnsubscribeLinks,
        reply_addresses: ReplyAddresses,
        groups: EmailGroups,
        follow_ups: FollowUps,
        portal_origin: str,
        tasks: TaskReads | None = None,
    ) -> None:
        self._tasks = tasks
        self._groups = groups
        self._follow_ups = follow_ups
        self._unsubscribe_links = unsubscribe_links
        self._reply_addresses = reply_addresses
        self._threads = threads
        self._people = people
        self._ledger = ledger
        self._mailer = mailer
        self._portal = portal_origin.rstrip("/")

    def thread_link(self, thread_id: str) -> str:
        return f"{self._portal}/threads/{thread_id}"

    def message_posted(self, people: ThreadPeople, message: Message) -> Outcome:
        """`people`: the one read of the message's thread (services.audience)."""
        if message.author.kind is not PrincipalKind.FIRM_USER:
            return Outcome(skipped="written by a client")
        found = self._audience(people)
        if isinstance(found, str):
            return Outcome(skipped=found)
        firm, account, thread, recipients = found
        firm_id = firm.firm_id
        window = timedelta(minutes=firm.settings.client_email_group_minutes)
        event_id = f"message#{thread.thread_id}#{message.seq}"
        sent = []
        for contact in recipients:
            burst = EmailGroup(
                firm_id=firm_id,
                thread_id=thread.thread_id,
                contact_id=contact.contact_id,
                first_seq=message.seq,
                last_seq=message.seq,
                until=message.created_at + window,
            )
            if window and not self._groups.open(burst, message.created_at):
                self._fold(burst)
                continue
            email = self._email(firm, account, thread, message, contact)
            try:
                if self._send_once(event_id, thread, contact, email):
                    sent.append(contact.contact_id)
            except Exception:
                if window:
                    self._groups.drop(firm_id, thread.thread_id, contact.contact_id, message.seq)
                raise
        return Outcome(sent=tuple(sent))

    def _fold(self, burst: EmailGroup) -> None:
        current = self._groups.get(burst.firm_id, burst.thread_id, burst.contact_id)
        if current is None or current.last_seq >= burst.first_seq:
            return  # a redelivered message
        if current.last_seq == current.first_seq:
            self._follow_ups.schedule(current)  # the first one folded
        self._groups.fold(burst.firm_id, burst.thread_id, burst.contact_id, burst.first_seq)

    def follow_up(self, firm_id: str, thread_id: str, contact_id: str, until: str) -> Outcome:
        """At the end of a burst: one email of the messages folded into it, unless the
        contact read them meanwhile (or may no longer be told)."""
        burst = self._groups.get(firm_id, thread_id, contact_id)
        if burst is None or burst.until.isoformat() != until or burst.last_seq == burst.first_seq:
            return Outcome(skipped="no folded message waits")
        read = self._threads.read_seqs(firm_id, contact_id, [thread_id])[thread_id]
        if read >= burst.last_seq:
            return Outcome(skipped="read meanwhile")
        people = thread_people(self._threads, self._people, firm_id, thread_id)
        found = self._audience(people) if not isinstance(people, str) else people
        if isinstance(found, str):
            return Outcome(skipped=found)
        firm, account, thread, recipients = found
        contact = next((c for c in recipients if c.contact_id == contact_id), None)
        if contact is None:
            return Outcome(skipped="no contact to notify")
        email = render(
            "client_follow_up",
            f"More messages from {firm.name} for {account.name}",
            firm_name=firm.name,
            account_name=account.name,
            contact_name=contact.name,
            thread_link=self.thread_link(thread.thread_id),
        )
        event_id = f"follow-up#{thread_id}#{burst.last_seq}"
        sent = self._send_once(event_id, thread, contact, email)
        return Outcome(sent=(contact_id,) if sent else ())

    def _audience(
        self, people: ThreadPeople
    ) -> tuple[Firm, ClientAccount, Thread, list[Contact]] | str:
        """The thread's firm, account and contacts to email; or why there are none."""
        thread, firm = people.thread, people.firm
        if thread.status is ThreadStatus.ARCHIVED:
            return "the thread is archived"
        recipients = people.notified_contacts()
        if not recipients:
            return "no contact to notify"
        account = self._people.account(firm.firm_id, thread.account_id)
        if account is None:
            return "the account is gone"
        return firm, account, thread, recipients

    def _send_once(
        self, event_id: str, thread: Thread, contact: Contact, email: RenderedEmail
    ) -> bool:
        firm_id = contact.firm_id
        if not self._ledger.claim(firm_id, event_id, contact.contact_id):
            return False
        try:
            self._mailer.send(
                contact.email,
                email.subject,
                email.text,
                html=email.html,
                headers=self._unsubscribe_links.headers(contact),
                reply_to=self._reply_addresses.reply_to(thread, contact_id=contact.contact_id),
            )
        except Exception:
            self._ledger.release(firm_id, event_id, contact.contact_id)
            raise
        self._ledger.confirm(firm_id, event_id, contact.contact_id)
        return True

    def _open_task_texts(self, thread: Thread) -> list[str]:
        """TK-8: the open tasks' texts (as plain text; links with their address), read
        only for a thread with open tasks whose firm shows content in emails."""
        if self._tasks is None:
            return []
        found = self._tasks.lists(thread.firm_id, [thread.thread_id]).get(thread.thread_id)
        return [task.text for task in found.open_tasks] if found else []

    def _email(
        self,
        firm: Firm,
        account: ClientAccount,
        thread: Thread,
        message: Message,
        contact: Contact,
    ) -> RenderedEmail:
        shown = firm.settings.show_content_in_client_emails
        new_thread = message.seq == 1
        html = email_html(message.html) if shown else ""
        if new_thread:
            subject = f"{firm.name} started a conversation for {account.name}"
        else:
            subject = f"New message from {firm.name} for {account.name}"
        if shown:
            subject = f"{subject}: {thread.subject}"
        open_tasks = thread.tasks_total - thread.tasks_done
        return render(
            "client_message",
            subject,
            open_tasks=open_tasks,
            task_texts=self._open_task_texts(thread) if shown and open_tasks else [],
            firm_name=firm.name,
            account_name=account.name,
            contact_name=contact.name,
            author_name=message.author.name,
            new_thread=new_thread,
            shown=shown,
            thread_subject=thread.subject if shown else "",
            message_html=html,
            message_text=plain_text(html) if shown else "",
            thread_link=self.thread_link(thread.thread_id),
        )
