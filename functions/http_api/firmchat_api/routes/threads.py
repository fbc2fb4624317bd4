"""Threads, messages and read state (spec CH, MS): the same services the WebSocket uses."""

from typing import Annotated

from fastapi import APIRouter, Query, Response
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, ConfigDict, Field

from firmchat.domain.paging import page_size
from firmchat.domain.threads import (
    AccountChats,
    AccountFilter,
    NewMessage,
    NewThread,
    TaskFilter,
    ThreadStatus,
)
from firmchat.domain.views import MentionableUser, MessageView, ThreadView
from firmchat_api.caller import CurrentPrincipal
from firmchat_api.params import ResourceId
from firmchat_api.wiring import directory, messages, threads

router = APIRouter(tags=["threads"])

Size = Annotated[int | None, Query(description="25 (default), 50, 100 or 250")]
Cursor = Annotated[str | None, Query(max_length=2048)]
Status = Annotated[ThreadStatus, Query()]


class ThreadPage(BaseModel):
    threads: list[ThreadView]
    cursor: str | None


class MessagePage(BaseModel):
    messages: list[MessageView]
    cursor: str | None


class AccountChatsPage(BaseModel):
    accounts: list[AccountChats]
    cursor: str | None


class ReadUpTo(BaseModel):
    model_config = ConfigDict(extra="forbid")

    up_to: int | None = Field(default=None, ge=1, description="a message number; default all")


@router.post("/threads", status_code=201)
def create_thread(principal: CurrentPrincipal, new: NewThread, response: Response) -> ThreadView:
    """CH-3: a thread with its first message; a retry with the same message id returns it."""
    view, created = threads.create(principal, new)
    response.status_code = 201 if created else 200
    return view


@router.get("/threads")
def firm_threads(
    principal: CurrentPrincipal,
    status: Status = ThreadStatus.ACTIVE,
    size: Size = None,
    cursor: Cursor = None,
) -> ThreadPage:
    """CH-9: every thread the caller may see, newest reply first."""
    page = threads.of_firm(principal, status, page_size(size), cursor)
    return ThreadPage(threads=page.items, cursor=page.cursor)


@router.get("/accounts/{account_id}/threads")
def account_threads(
    principal: CurrentPrincipal,
    account_id: ResourceId,
    *,
    status: Status = ThreadStatus.ACTIVE,
    size: Size = None,
    cursor: Cursor = None,
    tasks: Annotated[TaskFilter, Query(description="CH-8's task filter")] = "all",
) -> ThreadPage:
    """CH-8: one account's Active or Archived tab, newest reply first; with `tasks`, only
    the threads with open tasks (not_completed), all done (completed) or any (with_tasks)."""
    page = threads.of_account(principal, account_id, status, page_size(size), cursor, tasks=tasks)
    return ThreadPage(threads=page.items, cursor=page.cursor)


@router.get("/chat-accounts")
def chat_accounts(
    principal: CurrentPrincipal,
    filter: Annotated[AccountFilter, Query()] = "all",
    size: Size = None,
    cursor: Cursor = None,
) -> AccountChatsPage:
    """CH-10: accounts with chats (all, active, unread, archived) and the caller's unread."""
    page = threads.accounts(principal, filter, page_size(size), cursor)
    return AccountChatsPage(accounts=page.items, cursor=page.cursor)


@router.get("/threads/{thread_id}")
def get_thread(principal: CurrentPrincipal, thread_id: ResourceId) -> ThreadView:
    return threads.get(principal, thread_id)


@router.post("/threads/{thread_id}/archive")
def archive_thread(principal: CurrentPrincipal, thread_id: ResourceId) -> ThreadView:
    """CH-11: to the Archived tab; still readable, no replies until reopened."""
    return threads.archive(principal, thread_id)


@router.post("/threads/{thread_id}/reopen")
def reopen_thread(principal: CurrentPrincipal, thread_id: ResourceId) -> ThreadView:
    return threads.reopen(principal, thread_id)


@router.delete("/threads/{thread_id}", status_code=204)
def delete_thread(principal: CurrentPrincipal, thread_id: ResourceId) -> Response:
    """CH-12: for good, with every message."""
    threads.delete(principal, thread_id)
    return Response(status_code=204)


PRINT_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; frame-src https:; img-src 'self'; "
        "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
    ),
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
}


@router.get("/threads/{thread_id}/print", response_class=HTMLResponse)
def print_thread(principal: CurrentPrincipal, thread_id: ResourceId) -> HTMLResponse:
    """CH-13: the whole thread as a printable HTML page. Its policy rides as headers: no
    script, no framing, never cached, never sniffed as anything but HTML."""
    return HTMLResponse(threads.printable(principal, thread_id), headers=PRINT_HEADERS)


@router.post("/threads/{thread_id}/messages", status_code=201)
def post_message(
    principal: CurrentPrincipal, thread_id: ResourceId, new: NewMessage, response: Response
) -> MessageView:
    """MS-1: a reply; a retry with the same client id returns the first one (200)."""
    view, created = messages.post(principal, thread_id, new)
    response.status_code = 201 if created else 200
    return view


@router.get("/threads/{thread_id}/messages")
def thread_messages(
    principal: CurrentPrincipal, thread_id: ResourceId, size: Size = None, cursor: Cursor = None
) -> MessagePage:
    """Newest first; follow the cursor back in time."""
    page = messages.of_thread(principal, thread_id, page_size(size), cursor)
    return MessagePage(messages=page.items, cursor=page.cursor)


@router.post("/threads/{thread_id}/read")
def mark_read(principal: CurrentPrincipal, thread_id: ResourceId, read: ReadUpTo) -> ThreadView:
    """MS-6: the caller has read the thread (up to a message)."""
    return messages.mark_read(principal, thread_id, read.up_to)


@router.get("/mentionable-users")
def mentionable_users(principal: CurrentPrincipal) -> list[MentionableUser]:
    """MS-2: the firm users a firm user may @mention (names and ids), for autocomplete;
    any of them may be mentioned into any thread, which then opens it to them."""
    return directory.mentionable(principal)
