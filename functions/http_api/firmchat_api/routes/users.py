from typing import Annotated

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel

from firmchat.domain.paging import page_size
from firmchat.domain.people import FirmUser, FirmUserChanges, LoginState, NewFirmUser
from firmchat.domain.principal import Right, Role
from firmchat_api.caller import CurrentPrincipal
from firmchat_api.params import ResourceId
from firmchat_api.wiring import invitations, people

router = APIRouter(tags=["firm users"])


class UserView(BaseModel):
    user_id: str
    email: str
    name: str
    role: Role
    rights: list[Right]
    active: bool
    login_state: LoginState | None
    assigned_account_ids: list[str] | None = None

    @classmethod
    def of(cls, user: FirmUser, assigned: frozenset[str] | None = None) -> "UserView":
        return cls(
            user_id=user.user_id,
            email=user.email,
            name=user.name,
            role=user.role,
            rights=sorted(user.rights),
            active=user.active,
            login_state=user.login_state,
            assigned_account_ids=sorted(assigned) if assigned is not None else None,
        )


class UserPage(BaseModel):
    users: list[UserView]
    cursor: str | None


@router.get("/users")
def list_users(
    principal: CurrentPrincipal,
    size: Annotated[int | None, Query()] = None,
    cursor: Annotated[str | None, Query(max_length=2048)] = None,
) -> UserPage:
    """Owners and admins: the firm's users, a page at a time."""
    page = people.users(principal, page_size(size), cursor)
    return UserPage(users=[UserView.of(user) for user in page.items], cursor=page.cursor)


@router.post("/users", status_code=201)
def invite_user(principal: CurrentPrincipal, new: NewFirmUser) -> UserView:
    """Owners and admins: add a firm user and email them an invitation (only owners may
    invite an owner)."""
    return UserView.of(invitations.invite_user(principal, new), frozenset())


@router.get("/users/{user_id}")
def read_user(principal: CurrentPrincipal, user_id: ResourceId) -> UserView:
    user, assigned = people.user(principal, user_id)
    return UserView.of(user, assigned)


@router.patch("/users/{user_id}")
def change_user(
    principal: CurrentPrincipal, user_id: ResourceId, changes: FirmUserChanges
) -> UserView:
    """Owners and admins: name, role, rights, or `active: false` to remove the user's
    access at once (open connections included)."""
    return UserView.of(people.change_user(principal, user_id, changes))


@router.put("/users/{user_id}/assignments/{account_id}", status_code=204)
def assign(principal: CurrentPrincipal, user_id: ResourceId, account_id: ResourceId) -> Response:
    """Owners and admins: give a member access to a client account."""
    people.assign(principal, user_id, account_id)
    return Response(status_code=204)


@router.delete("/users/{user_id}/assignments/{account_id}", status_code=204)
def unassign(principal: CurrentPrincipal, user_id: ResourceId, account_id: ResourceId) -> Response:
    people.unassign(principal, user_id, account_id)
    return Response(status_code=204)
