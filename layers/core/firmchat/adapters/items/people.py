"""The people of each firm as items of the chat table (docs/data-model.md, "People and
access"): keys (every one from firmchat.domain.keys, starting with the firm), items and the
models read back from them."""

from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel

from firmchat.domain import keys
from firmchat.domain.changes import ItemKind
from firmchat.domain.people import ClientAccount, Contact, Firm, FirmUser, Invitation, Login
from firmchat.domain.principal import FirmSettings, PrincipalKind
from firmchat.ports.people import AssignedUser

# The firm user's item keeps the ids of their assigned accounts (a string set, absent when
# empty), changed in the same transaction as the assignment items: one read loads a member.
ASSIGNED_IDS = "assigned_account_ids"


def firm_key(firm_id: str) -> dict[str, str]:
    return {"PK": keys.firm_partition(firm_id), "SK": keys.PROFILE}


def firm_user_key(firm_id: str, user_id: str) -> dict[str, str]:
    return {"PK": keys.firm_user_partition(firm_id, user_id), "SK": keys.PROFILE}


def account_key(firm_id: str, account_id: str) -> dict[str, str]:
    return {"PK": keys.account_partition(firm_id, account_id), "SK": keys.PROFILE}


def contact_key(firm_id: str, account_id: str, contact_id: str) -> dict[str, str]:
    return {
        "PK": keys.account_partition(firm_id, account_id),
        "SK": keys.contact_sort_key(contact_id),
    }


def login_key(firm_id: str, subject: str) -> dict[str, str]:
    return {"PK": keys.logins_partition(firm_id), "SK": keys.login_sort_key(subject)}


def invitation_key(firm_id: str, digest: str) -> dict[str, str]:
    return {"PK": keys.invitations_partition(firm_id), "SK": keys.invitation_sort_key(digest)}


def reset_key(firm_id: str, digest: str) -> dict[str, str]:
    return {"PK": keys.resets_partition(firm_id), "SK": keys.reset_sort_key(digest)}


def record_key(link: Login | Invitation) -> dict[str, str]:
    """The firm user or contact a login (or a link for it) signs in as."""
    if link.principal_kind is PrincipalKind.FIRM_USER:
        return firm_user_key(link.firm_id, link.user_id)
    return contact_key(link.firm_id, str(link.account_id), link.user_id)


def account_sort_key(account: ClientAccount) -> str:
    return f"{account.name.casefold()}#{account.account_id}"


def _record(key: dict[str, str], kind: ItemKind, record: BaseModel) -> dict[str, Any]:
    """A record kept whole under its key: its fields as JSON values, the empty ones left out."""
    return {**key, "kind": kind.value, **record.model_dump(mode="json", exclude_none=True)}


def firm_item(firm: Firm) -> dict[str, Any]:
    return {
        **firm_key(firm.firm_id),
        "kind": ItemKind.FIRM.value,
        "firm_id": firm.firm_id,
        "name": firm.name,
        **firm.settings.model_dump(),
    }


def firm_user_item(user: FirmUser) -> dict[str, Any]:
    return {
        **firm_user_key(user.firm_id, user.user_id),
        "kind": ItemKind.FIRM_USER.value,
        "GSI1PK": keys.firm_users_index(user.firm_id),
        "GSI1SK": keys.user_sort_key(user.user_id),
        **user.model_dump(mode="json", exclude_none=True),
    }


def account_item(account: ClientAccount) -> dict[str, Any]:
    return {
        **account_key(account.firm_id, account.account_id),
        "kind": ItemKind.ACCOUNT.value,
        "GSI1PK": keys.accounts_index(account.firm_id),
        "GSI1SK": account_sort_key(account),
        **account.model_dump(mode="json"),
    }


def contact_item(contact: Contact) -> dict[str, Any]:
    return _record(
        contact_key(contact.firm_id, contact.account_id, contact.contact_id),
        ItemKind.CONTACT,
        contact,
    )


def login_item(login: Login) -> dict[str, Any]:
    return _record(login_key(login.firm_id, login.subject), ItemKind.LOGIN, login)


def invitation_item(invitation: Invitation) -> dict[str, Any]:
    return _record(
        invitation_key(invitation.firm_id, invitation.digest), ItemKind.INVITATION, invitation
    )


def reset_item(reset: Invitation) -> dict[str, Any]:
    return _record(reset_key(reset.firm_id, reset.digest), ItemKind.RESET, reset)


def firm_from_item(item: Mapping[str, Any]) -> Firm:
    return Firm(
        firm_id=item["firm_id"],
        name=item["name"],
        settings=FirmSettings.model_validate(
            {name: item[name] for name in FirmSettings.model_fields if name in item}
        ),
    )


def assigned_user(item: Mapping[str, Any]) -> AssignedUser:
    return FirmUser.model_validate(item), frozenset(str(i) for i in item.get(ASSIGNED_IDS, ()))


def assignment_key(firm_id: str, user_id: str, account_id: str) -> dict[str, str]:
    return {
        "PK": keys.firm_user_partition(firm_id, user_id),
        "SK": keys.assignment_sort_key(account_id),
    }


def assignment_item(firm_id: str, user_id: str, account_id: str) -> dict[str, Any]:
    return {
        **assignment_key(firm_id, user_id, account_id),
        "kind": ItemKind.ASSIGNMENT.value,
        "GSI1PK": keys.account_assignees_index(firm_id, account_id),
        "GSI1SK": keys.user_sort_key(user_id),
        "firm_id": firm_id,
        "user_id": user_id,
        "account_id": account_id,
    }
