from fastapi import APIRouter, Response
from pydantic import BaseModel

from firmchat.domain.principal import FirmSettings, PrincipalKind, Right, Role
from firmchat_api.caller import EnrollingPrincipal
from firmchat_api.wiring import people

router = APIRouter()


class Me(BaseModel):
    firm_id: str
    user_id: str
    kind: PrincipalKind
    display_name: str
    role: Role | None
    rights: list[Right]
    account_id: str | None
    settings: FirmSettings
    mfa: bool
    must_enrol_mfa: bool


@router.get("/me", tags=["identity"])
def me(principal: EnrollingPrincipal) -> Me:
    """Who the caller is in their firm: kind, role, rights, the account a client acts for,
    whether their MFA is recorded and whether they must enrol it before anything else."""
    return Me(
        firm_id=principal.firm_id,
        user_id=principal.user_id,
        kind=principal.kind,
        display_name=principal.display_name,
        role=principal.role,
        rights=sorted(principal.rights),
        account_id=principal.account_id,
        settings=principal.settings,
        mfa=principal.mfa,
        must_enrol_mfa=principal.must_enrol_mfa,
    )


@router.post("/me/mfa", status_code=204, tags=["identity"])
def record_mfa(principal: EnrollingPrincipal) -> Response:
    """Firm users: after associating and verifying an authenticator app with the sign-in
    service (with their own access token), record it; from then on every sign-in asks for a
    code. 409 when the sign-in has no verified app."""
    people.record_mfa(principal)
    return Response(status_code=204)
