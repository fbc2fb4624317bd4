"""Messages and read state (spec MS-1 to MS-6): post, list, mark read, typing. The HTTP API
and the WebSocket actions call these same functions."""

import uuid
from datetime import timedelta

from firmchat.domain import policy
from firmchat.domain.events import MessagePosted, ReadMoved, Typing
from firmchat.domain.paging import Page
from firmchat.domain.policy import Operation
from firmchat.domain.principal import Principal
from firmchat.domain.richtext import parse_message
from firmchat.domain.threads import (
    Author,
    Message,
    MessageVia,
    NewMessage,
    Thread,
    ThreadStatus,
)
from firmchat.domain.views import MessageView, ThreadView, message_view
from firmchat.errors import ConflictError, StaleWriteError
from firmchat.ports.threads import (
    ThreadContext,
)
from firmchat.services.threads import ThreadService, checked_mentions, visible_thread

ATTEMPTS = 3
"""Conditional writes that lose a race are read again and retried this often."""
TYPING_INTERVAL = timedelta(milliseconds=500)
"""A person's typing signals in one thread are relayed at most this often; the rest are
dropped: one client cannot make the service push more than a few frames a second."""


def _refuse_if_archived(thread: Thread) -> None:
    if thread.status is ThreadStatus.ARCHIVED:
        raise ConflictError("this thread is archived: reopen it before replying")


class Messages(ThreadService):
    def _context(
        self, principal: Principal, thread_id: str, operation: Operation, client_id: str | None
    ) -> tuple[Thread, ThreadContext]:
        context = self._store.context(principal.firm_id, thread_id, principal.user_id, client_id)
        if context.thread is None:
            raise policy.thread_not_found()
        policy.require(principal, operation, context.thread.facts())
        return context.thread, context

    def post(
        self,
        principal: Principal,
        thread_id: str,
        new: NewMessage,
        *,
        via: MessageVia = MessageVia.PORTAL,
    ) -> tuple[MessageView, bool]:
        """The message and whether it was made now (False: a retry of the same client id).
        `via` is the caller's to say (a reply by email), never a request's."""
        body = parse_message(new.body)
        # Kept with the client id by this call's write: if the message turns up under its
        # client id with this id, that write committed and only its answer was lost, so the
        # message is this call's to announce; with another, a concurrent retry made it.
        write_id = uuid.uuid4().hex
        for _ in range(ATTEMPTS):
            thread, context = self._context(
                principal, thread_id, Operation.POST_MESSAGE, new.client_id
            )
            if context.sent_before is not None:
                if context.sent_before.digest != new.digest():
                    raise ConflictError(
                        "a message with this id was already sent with other content; "
                        "use a new id for a new message"
                    )
                found = self._store.message(thread, context.sent_before.seq)
                mine = context.sent_before.write_id == write_id
                if mine:
                    self._events.publish(MessagePosted(thread=thread, message=found))
                return message_view(found, thread, principal), mine
            _refuse_if_archived(thread)
            message = Message(
                thread_id=thread_id,
                seq=thread.seq + 1,
                client_id=new.client_id,
                author=Author.of(principal),
                html=body.html,
                text=body.text,
                mentions=checked_mentions(self._directory, principal, new.mentions),
                created_at=self._clock.now(),
                via=via,
            )
            try:
                updated = self._store.append(
                    thread, message, new.digest(), context.read_seq, write_id
                )
            except StaleWriteError:
                continue
            self._events.publish(MessagePosted(thread=updated, message=message))
            return message_view(message, updated, principal), True
        raise StaleWriteError

    def of_thread(
        self, principal: Principal, thread_id: str, size: int, cursor: str | None
    ) -> Page[MessageView]:
        """Newest first; the cursor pages back in time."""
        thread = visible_thread(self._store, principal, thread_id, Operation.SEE_THREAD)
        page = self._store.messages(thread, size, cursor)
        return Page(
            items=[message_view(message, thread, principal) for message in page.items],
            cursor=page.cursor,
        )

    def mark_read(
        self, principal: Principal, thread_id: str, up_to: int | None = None
    ) -> ThreadView:
        """MS-6: the principal has read the thread up to message `up_to` (default: all)."""
        for _ in range(ATTEMPTS):
            thread, context = self._context(principal, thread_id, Operation.SEE_THREAD, None)
            target = thread.seq if up_to is None else min(up_to, thread.seq)
            if target <= context.read_seq:
                return self._view(principal, thread, context.read_seq)
            try:
                updated = self._store.mark_read(thread, principal, context.read_seq, target)
            except StaleWriteError:
                continue
            self._events.publish(
                ReadMoved(thread=updated, user_id=principal.user_id, read_seq=target)
            )
            return self._view(principal, updated, target)
        raise StaleWriteError

    def typing(self, principal: Principal, thread_id: str) -> None:
        """A passing signal to the others who may see the thread, relayed at most once per
        TYPING_INTERVAL for each person and thread (only when it was relayed is stored)."""
        thread = visible_thread(self._store, principal, thread_id, Operation.POST_MESSAGE)
        _refuse_if_archived(thread)
        if not self._store.claim_typing(
            thread, principal.user_id, self._clock.now(), TYPING_INTERVAL
        ):
            return
        self._events.publish(
            Typing(thread=thread, author=Author.of(principal)), exclude_user_id=principal.user_id
        )
