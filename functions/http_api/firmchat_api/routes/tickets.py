from fastapi import APIRouter
from pydantic import BaseModel

from firmchat.adapters.tickets import TICKET_LIFETIME_SECONDS
from firmchat.domain.caller import Caller
from firmchat_api.caller import CurrentPrincipal
from firmchat_api.wiring import tickets

router = APIRouter()


class WebSocketTicket(BaseModel):
    ticket: str
    expires_in: int


@router.post("/ws-tickets", status_code=201, tags=["realtime"])
def issue_ticket(principal: CurrentPrincipal) -> WebSocketTicket:
    """A single-use ticket to open the WebSocket with (`?ticket=...`), valid for a minute.
    Only an active principal gets one; the socket re-checks the principal at every action."""
    caller = Caller(firm_id=principal.firm_id, subject=principal.subject)
    return WebSocketTicket(ticket=tickets.issue(caller), expires_in=TICKET_LIFETIME_SECONDS)
