from fastapi import APIRouter

from firmchat.domain.caller import Caller
from firmchat_api.caller import CurrentCaller

router = APIRouter()


@router.get("/me", tags=["identity"])
def me(caller: CurrentCaller) -> Caller:
    """Who the token says the caller is."""
    return caller
