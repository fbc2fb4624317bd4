from fastapi import APIRouter
from pydantic import BaseModel

from firmchat.domain.principal import FirmSettings, PrincipalKind, Right, Role
from firmchat_api.caller import CurrentPrincipal

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


@router.get("/me", tags=["identity"])
def me(principal: CurrentPrincipal) -> Me:
    """Who the caller is in their firm: kind, role, rights, and the account a client acts for."""
    return Me(
        firm_id=principal.firm_id,
        user_id=principal.user_id,
        kind=principal.kind,
        display_name=principal.display_name,
        role=principal.role,
        rights=sorted(principal.rights),
        account_id=principal.account_id,
        settings=principal.settings,
    )
