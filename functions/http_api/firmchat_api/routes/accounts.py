from typing import Annotated

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel

from firmchat.domain.paging import page_size
from firmchat.domain.people import (
    AccountChanges,
    ClientAccount,
    Contact,
    ContactChanges,
    LoginState,
    NewAccount,
    NewContact,
)
from firmchat_api.caller import CurrentPrincipal
from firmchat_api.params import ResourceId
from firmchat_api.wiring import invitations, people

router = APIRouter(tags=["client accounts"])


class AccountView(BaseModel):
    account_id: str
    name: str

    @classmethod
    def of(cls, account: ClientAccount) -> "AccountView":
        return cls(account_id=account.account_id, name=account.name)


class AccountPage(BaseModel):
    accounts: list[AccountView]
    cursor: str | None


class ContactView(BaseModel):
    contact_id: str
    account_id: str
    name: str
    email: str
    portal_access: bool
    notify: bool
    login_state: LoginState | None

    @classmethod
    def of(cls, contact: Contact) -> "ContactView":
        return cls(
            contact_id=contact.contact_id,
            account_id=contact.account_id,
            name=contact.name,
            email=contact.email,
            portal_access=contact.portal_access,
            notify=contact.notify,
            login_state=contact.login_state,
        )


@router.get("/accounts")
def list_accounts(
    principal: CurrentPrincipal,
    size: Annotated[int | None, Query()] = None,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
) -> AccountPage:
    """The client accounts the caller may see: all of them for owners, admins and members
    with the all-accounts right; the assigned ones for other members; a client's own."""
    page = people.accounts(principal, page_size(size), cursor)
    return AccountPage(
        accounts=[AccountView.of(account) for account in page.items], cursor=page.cursor
    )


@router.post("/accounts", status_code=201)
def add_account(principal: CurrentPrincipal, new: NewAccount) -> AccountView:
    return AccountView.of(people.add_account(principal, new))


@router.get("/accounts/{account_id}")
def read_account(principal: CurrentPrincipal, account_id: ResourceId) -> AccountView:
    return AccountView.of(people.account(principal, account_id))


@router.patch("/accounts/{account_id}")
def change_account(
    principal: CurrentPrincipal, account_id: ResourceId, changes: AccountChanges
) -> AccountView:
    return AccountView.of(people.change_account(principal, account_id, changes))


@router.get("/accounts/{account_id}/contacts")
def list_contacts(principal: CurrentPrincipal, account_id: ResourceId) -> list[ContactView]:
    """Owners and admins: the account's contacts."""
    return [ContactView.of(contact) for contact in people.contacts(principal, account_id)]


@router.post("/accounts/{account_id}/contacts", status_code=201)
def add_contact(
    principal: CurrentPrincipal, account_id: ResourceId, new: NewContact
) -> ContactView:
    return ContactView.of(people.add_contact(principal, account_id, new))


@router.patch("/accounts/{account_id}/contacts/{contact_id}")
def change_contact(
    principal: CurrentPrincipal,
    account_id: ResourceId,
    contact_id: ResourceId,
    changes: ContactChanges,
) -> ContactView:
    """Owners and admins: name, email (before the invitation), notify, or portal access;
    turning portal access off ends the contact's sessions at once."""
    return ContactView.of(people.change_contact(principal, account_id, contact_id, changes))


@router.delete("/accounts/{account_id}/contacts/{contact_id}", status_code=204)
def remove_contact(
    principal: CurrentPrincipal, account_id: ResourceId, contact_id: ResourceId
) -> Response:
    people.remove_contact(principal, account_id, contact_id)
    return Response(status_code=204)


@router.post("/accounts/{account_id}/contacts/{contact_id}/invitation", status_code=201)
def invite_contact(
    principal: CurrentPrincipal, account_id: ResourceId, contact_id: ResourceId
) -> ContactView:
    """Owners and admins: create the contact's login and email them an invitation (again,
    with a fresh link, while it is not yet accepted). Portal access must be on."""
    return ContactView.of(invitations.invite_contact(principal, account_id, contact_id))
