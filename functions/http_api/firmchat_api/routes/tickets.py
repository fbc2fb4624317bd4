from fastapi import APIRouter
from pydantic import BaseModel

from firmchat.adapters.tickets import TICKET_LIFETIME_SECONDS, TicketStore
from firmchat_api.caller import CurrentCaller

router = APIRouter()


tickets = TicketStore()


class WebSocketTicket(BaseModel):
    ticket: str
    expires_in: int


@router.post("/ws-tickets", status_code=201, tags=["realtime"])
def issue_ticket(caller: CurrentCaller) -> WebSocketTicket:
    """A single-use ticket to open the WebSocket with (`?ticket=...`), valid for a minute."""
    return WebSocketTicket(ticket=tickets.issue(caller), expires_in=TICKET_LIFETIME_SECONDS)
