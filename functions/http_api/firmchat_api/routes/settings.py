from fastapi import APIRouter

from firmchat.domain.people import SettingsChanges
from firmchat.domain.principal import FirmSettings
from firmchat_api.caller import CurrentPrincipal
from firmchat_api.wiring import people

router = APIRouter(tags=["firm"])


@router.get("/settings")
def read_settings(principal: CurrentPrincipal) -> FirmSettings:
    """The firm's settings, which everyone in the firm acts under."""
    return people.settings(principal)


@router.patch("/settings")
def change_settings(principal: CurrentPrincipal, changes: SettingsChanges) -> FirmSettings:
    """Owners and admins: switch `clients_can_start_threads`,
    `show_content_in_client_emails` or `require_mfa_for_firm_users` (turning that on is a
    409 until the caller's own MFA is recorded); fields left out keep their value."""
    return people.change_settings(principal, changes)
