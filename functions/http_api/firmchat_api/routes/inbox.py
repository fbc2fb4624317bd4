"""Notifications (spec NT-2 to NT-4): the firm user's inbox and preferences, and the client's
dashboard."""

from typing import Annotated

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel

from firmchat.domain.inbox import InboxEntry, NotificationPreferences
from firmchat.domain.paging import page_size
from firmchat_api.caller import CurrentPrincipal
from firmchat_api.params import ResourceId
from firmchat_api.wiring import inbox

router = APIRouter(tags=["notifications"])

Size = Annotated[int | None, Query(description="25 (default), 50, 100 or 250")]
Cursor = Annotated[str | None, Query(max_length=2048)]


class InboxPage(BaseModel):
    entries: list[InboxEntry]
    cursor: str | None


@router.get("/inbox")
def list_inbox(principal: CurrentPrincipal, size: Size = None, cursor: Cursor = None) -> InboxPage:
    """NT-3: one entry per thread, newest activity first, with who acted, what, and unread."""
    page = inbox.entries(principal, page_size(size), cursor)
    return InboxPage(entries=page.items, cursor=page.cursor)


@router.post("/inbox/{thread_id}/read", status_code=204)
def mark_inbox_entry_read(principal: CurrentPrincipal, thread_id: ResourceId) -> Response:
    inbox.mark_read(principal, thread_id)
    return Response(status_code=204)


@router.get("/dashboard")
def waiting_for_action(
    principal: CurrentPrincipal, size: Size = None, cursor: Cursor = None
) -> InboxPage:
    """NT-2: the client's threads with unread messages, newest first."""
    page = inbox.waiting(principal, page_size(size), cursor)
    return InboxPage(entries=page.items, cursor=page.cursor)


@router.get("/me/notification-preferences")
def notification_preferences(principal: CurrentPrincipal) -> NotificationPreferences:
    """NT-4: per kind of activity, inbox, email, both or none (firm users)."""
    return inbox.preferences(principal)


@router.put("/me/notification-preferences")
def set_notification_preferences(
    principal: CurrentPrincipal, preferences: NotificationPreferences
) -> NotificationPreferences:
    return inbox.set_preferences(principal, preferences)
