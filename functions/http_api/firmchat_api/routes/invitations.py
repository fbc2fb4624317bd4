from fastapi import APIRouter, Response

from firmchat.domain.people import InvitationAcceptance, PasswordResetRequest
from firmchat_api.openapi import PUBLIC
from firmchat_api.wiring import invitations

router = APIRouter(tags=["identity"])


@router.post("/invitations/accept", status_code=204, openapi_extra=PUBLIC)
def accept_invitation(acceptance: InvitationAcceptance) -> Response:
    """Without a token: the invitation link's token and the password the person chose.
    Activates their login; they then sign in on the firm's sign-in page with that password."""
    invitations.accept(acceptance)
    return Response(status_code=204)


@router.post("/password-reset", status_code=202, openapi_extra=PUBLIC)
def request_password_reset(request: PasswordResetRequest) -> Response:
    """Without a token: the firm and the email of a forgotten password. Always 202; an
    activated login of that firm is mailed a reset link."""
    invitations.request_reset(request)
    return Response(status_code=202)


@router.post("/password-reset/confirm", status_code=204, openapi_extra=PUBLIC)
def reset_password(confirmation: InvitationAcceptance) -> Response:
    """Without a token: the reset link's token and the new password. Ends other sessions."""
    invitations.reset_password(confirmation)
    return Response(status_code=204)
