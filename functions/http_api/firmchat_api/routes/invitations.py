from fastapi import APIRouter, Response

from firmchat.domain.people import InvitationAcceptance
from firmchat_api.wiring import invitations

router = APIRouter(tags=["identity"])


@router.post("/invitations/accept", status_code=204)
def accept_invitation(acceptance: InvitationAcceptance) -> Response:
    """Without a token: the invitation link's token and the password the person chose.
    Activates their login; they then sign in with their email and that password."""
    invitations.accept(acceptance)
    return Response(status_code=204)
