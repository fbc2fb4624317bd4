"""The people store: the people of each firm in the chat table (docs/data-model.md, "People
and access"), their keys and items from firmchat.adapters.items.people."""

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError

from firmchat.adapters.dynamo import (
    Action,
    batch_get,
    condition_failed,
    query_all,
    query_page,
    transact,
)
from firmchat.adapters.items.people import (
    ASSIGNED_IDS,
    account_item,
    account_key,
    account_sort_key,
    assigned_user,
    assignment_item,
    assignment_key,
    contact_item,
    contact_key,
    firm_from_item,
    firm_item,
    firm_key,
    firm_user_item,
    firm_user_key,
    invitation_item,
    invitation_key,
    login_item,
    login_key,
    record_key,
    reset_item,
    reset_key,
)
from firmchat.domain import keys
from firmchat.domain.changes import ItemKind
from firmchat.domain.paging import Listing, Page
from firmchat.domain.people import (
    CONTACT_NOT_FOUND,
    EMAIL_TAKEN,
    INVITATION_UNUSABLE,
    RESET_UNUSABLE,
    USER_NOT_FOUND,
    AccountChanges,
    ClientAccount,
    Contact,
    ContactChanges,
    Firm,
    FirmUser,
    FirmUserChanges,
    Invitation,
    Login,
    LoginState,
)
from firmchat.domain.policy import account_not_found
from firmchat.domain.principal import FirmSettings, Role
from firmchat.errors import ConflictError, FirmchatError, NotFoundError
from firmchat.ports.people import AssignedUser, SignedInRecords

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.service_resource import Table

_MISSING = "attribute_not_exists(PK)"
_PRESENT = "attribute_exists(PK)"
_LOGIN_TAKEN = ConflictError(EMAIL_TAKEN)


def _updates(fields: Mapping[str, Any]) -> dict[str, Any]:
    """SET clauses for the named fields, with names and values kept apart."""
    return {
        "UpdateExpression": "SET " + ", ".join(f"#{name} = :{name}" for name in fields),
        "ExpressionAttributeNames": {f"#{name}": name for name in fields},
        "ExpressionAttributeValues": {f":{name}": value for name, value in fields.items()},
    }


def _named(changes: FirmUserChanges | AccountChanges | ContactChanges) -> dict[str, Any]:
    """The fields a change model names and the request set, in the table's encoding."""
    return changes.model_dump(mode="json", exclude_none=True)


def _login_put(login: Login) -> Action:
    return Action(
        "Put",
        {
            "Item": login_item(login),
            "ConditionExpression": f"{_MISSING} OR user_id = :user_id",
            "ExpressionAttributeValues": {":user_id": login.user_id},
        },
        _LOGIN_TAKEN,
    )


def _put_new(item: dict[str, Any], refusal: FirmchatError) -> Action:
    return Action("Put", {"Item": item, "ConditionExpression": _MISSING}, refusal)


def _assigned_ids_change(verb: str, firm_id: str, user_id: str, account_id: str) -> Action:
    """ADD or DELETE one id in the user's own set of assigned account ids (a set emptied by
    DELETE disappears, read back as no assignments)."""
    return Action(
        "Update",
        {
            "Key": firm_user_key(firm_id, user_id),
            "ConditionExpression": _PRESENT,
            "UpdateExpression": f"{verb} #assigned :ids",
            "ExpressionAttributeNames": {"#assigned": ASSIGNED_IDS},
            "ExpressionAttributeValues": {":ids": {account_id}},
        },
        NotFoundError(USER_NOT_FOUND),
    )


class DynamoPeopleStore:
    def __init__(self, table: "Table") -> None:
        self._table = table

    # ------------------------------------------------------------ reads
    def _get(self, key: Mapping[str, str]) -> dict[str, Any] | None:
        item = self._table.get_item(Key=dict(key)).get("Item")
        return dict(item) if item else None

    def firm(self, firm_id: str) -> Firm | None:
        item = self._get(firm_key(firm_id))
        return firm_from_item(item) if item else None

    def login(self, firm_id: str, subject: str) -> Login | None:
        item = self._get(login_key(firm_id, subject))
        return Login.model_validate(item) if item else None

    def firm_user(self, firm_id: str, user_id: str) -> AssignedUser | None:
        item = self._get(firm_user_key(firm_id, user_id))
        return assigned_user(item) if item else None

    def logins(self, firm_id: str, subjects: Sequence[str]) -> list[Login]:
        items = batch_get(self._table, [login_key(firm_id, subject) for subject in subjects])
        return [Login.model_validate(item) for item in items]

    def signed_in_records(self, firm_id: str, logins: Sequence[Login]) -> SignedInRecords:
        wanted = [firm_key(firm_id)] + [record_key(login) for login in logins]
        by_kind: dict[str, list[dict[str, Any]]] = {}
        for item in batch_get(self._table, wanted):
            by_kind.setdefault(str(item["kind"]), []).append(item)
        firms = by_kind.get(ItemKind.FIRM, [])
        users = (assigned_user(item) for item in by_kind.get(ItemKind.FIRM_USER, []))
        contacts = (Contact.model_validate(item) for item in by_kind.get(ItemKind.CONTACT, []))
        return SignedInRecords(
            firm=firm_from_item(firms[0]) if firms else None,
            firm_users={user.user_id: (user, assigned) for user, assigned in users},
            contacts={(contact.account_id, contact.contact_id): contact for contact in contacts},
        )

    def firm_users(self, firm_id: str, size: int, cursor: str | None) -> Page[FirmUser]:
        listing = Listing(firm_id=firm_id, partition=keys.firm_users_index(firm_id), index="GSI1")
        items, last = query_page(self._table, listing, cursor, Limit=size)
        return Page(
            items=[FirmUser.model_validate(item) for item in items], cursor=listing.cursor(last)
        )

    def account(self, firm_id: str, account_id: str) -> ClientAccount | None:
        item = self._get(account_key(firm_id, account_id))
        return ClientAccount.model_validate(item) if item else None

    def accounts(self, firm_id: str, size: int, cursor: str | None) -> Page[ClientAccount]:
        listing = Listing(firm_id=firm_id, partition=keys.accounts_index(firm_id), index="GSI1")
        items, last = query_page(self._table, listing, cursor, Limit=size)
        return Page(
            items=[ClientAccount.model_validate(item) for item in items],
            cursor=listing.cursor(last),
        )

    def accounts_by_id(self, firm_id: str, account_ids: Sequence[str]) -> list[ClientAccount]:
        items = batch_get(
            self._table, [account_key(firm_id, account_id) for account_id in account_ids]
        )
        return [ClientAccount.model_validate(item) for item in items]

    def contact(self, firm_id: str, account_id: str, contact_id: str) -> Contact | None:
        item = self._get(contact_key(firm_id, account_id, contact_id))
        return Contact.model_validate(item) if item else None

    def contacts(self, firm_id: str, account_id: str) -> list[Contact]:
        items = query_all(
            self._table,
            Key("PK").eq(keys.account_partition(firm_id, account_id))
            & Key("SK").begins_with(keys.contact_sort_key("")),
        )
        return [Contact.model_validate(item) for item in items]

    def account_assignee_ids(self, firm_id: str, account_id: str) -> list[str]:
        """The members assigned to the account (GSI1, one item each)."""
        found = query_all(
            self._table,
            Key("GSI1PK").eq(keys.account_assignees_index(firm_id, account_id)),
            IndexName="GSI1",
        )
        return [str(item["user_id"]) for item in found]

    def invitation(self, firm_id: str, digest: str) -> Invitation | None:
        item = self._get(invitation_key(firm_id, digest))
        return Invitation.model_validate(item) if item else None

    def reset(self, firm_id: str, digest: str) -> Invitation | None:
        item = self._get(reset_key(firm_id, digest))
        return Invitation.model_validate(item) if item else None

    def activated(self, login: Login) -> bool:
        item = self._get(record_key(login))
        return bool(
            item
            and item.get("subject") == login.subject
            and item.get("login_state") == LoginState.ACTIVATED.value
        )

    # ------------------------------------------------------------ writes
    def add_firm(self, firm: Firm, owner: FirmUser, login: Login, invitation: Invitation) -> None:
        transact(
            self._table,
            [
                _put_new(firm_item(firm), ConflictError("the firm exists already")),
                *self._new_user_actions(owner, login, invitation),
            ],
        )

    def _new_user_actions(
        self, user: FirmUser, login: Login, invitation: Invitation
    ) -> list[Action]:
        return [
            _put_new(firm_user_item(user), ConflictError("the user exists already")),
            _login_put(login),
            Action("Put", {"Item": invitation_item(invitation)}),
        ]

    def change_settings(self, firm_id: str, settings: FirmSettings) -> None:
        self._table.update_item(
            Key=firm_key(firm_id), ConditionExpression=_PRESENT, **_updates(settings.model_dump())
        )

    def add_firm_user(self, user: FirmUser, login: Login, invitation: Invitation) -> None:
        transact(self._table, self._new_user_actions(user, login, invitation))

    def change_firm_user(
        self, user: FirmUser, changes: FirmUserChanges, *, confirm_owner: str | None
    ) -> FirmUser:
        fields = _named(changes)
        if not fields:
            return user
        actions = [
            Action(
                "Update",
                {
                    "Key": firm_user_key(user.firm_id, user.user_id),
                    "ConditionExpression": _PRESENT,
                    **_updates(fields),
                },
                NotFoundError(USER_NOT_FOUND),
            )
        ]
        if confirm_owner is not None:
            actions.append(
                Action(
                    "ConditionCheck",
                    {
                        "Key": firm_user_key(user.firm_id, confirm_owner),
                        "ConditionExpression": "#role = :owner AND #active = :true",
                        "ExpressionAttributeNames": {"#role": "role", "#active": "active"},
                        "ExpressionAttributeValues": {":owner": Role.OWNER.value, ":true": True},
                    },
                    ConflictError(
                        "only an active owner may change an owner; you no longer are one"
                    ),
                )
            )
        transact(self._table, actions)
        return user.model_copy(update=changes.model_dump(exclude_none=True))

    def record_mfa(self, user: FirmUser) -> None:
        try:
            self._table.update_item(
                Key=firm_user_key(user.firm_id, user.user_id),
                ConditionExpression=_PRESENT,
                **_updates({"mfa": True}),
            )
        except ClientError as error:
            if condition_failed(error):
                raise NotFoundError(USER_NOT_FOUND) from error
            raise

    def assign(self, firm_id: str, user_id: str, account_id: str) -> None:
        transact(
            self._table,
            [
                Action("Put", {"Item": assignment_item(firm_id, user_id, account_id)}),
                _assigned_ids_change("ADD", firm_id, user_id, account_id),
            ],
        )

    def unassign(self, firm_id: str, user_id: str, account_id: str) -> None:
        transact(
            self._table,
            [
                Action("Delete", {"Key": assignment_key(firm_id, user_id, account_id)}),
                _assigned_ids_change("DELETE", firm_id, user_id, account_id),
            ],
        )

    def add_account(self, account: ClientAccount) -> None:
        self._table.put_item(Item=account_item(account), ConditionExpression=_MISSING)

    def change_account(
        self, firm_id: str, account_id: str, changes: AccountChanges
    ) -> ClientAccount:
        fields = _named(changes)
        current = self.account(firm_id, account_id)
        if current is None:
            raise account_not_found()
        changed = current.model_copy(update=fields)
        if fields:
            try:
                self._table.update_item(
                    Key=account_key(firm_id, account_id),
                    ConditionExpression=_PRESENT,
                    **_updates({**fields, "GSI1SK": account_sort_key(changed)}),
                )
            except ClientError as error:
                if condition_failed(error):
                    raise account_not_found() from error
                raise
        return changed

    def add_contact(self, contact: Contact) -> None:
        transact(
            self._table,
            [
                Action(
                    "ConditionCheck",
                    {
                        "Key": account_key(contact.firm_id, contact.account_id),
                        "ConditionExpression": _PRESENT,
                    },
                    account_not_found(),
                ),
                _put_new(contact_item(contact), ConflictError("the contact exists already")),
            ],
        )

    def change_contact(self, contact: Contact, changes: ContactChanges) -> Contact:
        fields = _named(changes)
        if not fields:
            return contact
        condition = _PRESENT
        if "email" in fields and fields["email"] != contact.email:
            condition += " AND attribute_not_exists(login_state)"
        try:
            self._table.update_item(
                Key=contact_key(contact.firm_id, contact.account_id, contact.contact_id),
                ConditionExpression=condition,
                ReturnValuesOnConditionCheckFailure="ALL_OLD",
                **_updates(fields),
            )
        except ClientError as error:
            if not condition_failed(error):
                raise
            if "Item" in error.response:
                raise ConflictError(
                    "a contact who was invited keeps their email (it is their sign-in); "
                    "add a new contact for the new address"
                ) from error
            raise NotFoundError(CONTACT_NOT_FOUND) from error
        return contact.model_copy(update=changes.model_dump(exclude_none=True))

    def remove_contact(self, contact: Contact) -> None:
        actions = [
            Action(
                "Delete",
                {
                    "Key": contact_key(contact.firm_id, contact.account_id, contact.contact_id),
                    "ConditionExpression": _PRESENT,
                },
                NotFoundError(CONTACT_NOT_FOUND),
            )
        ]
        if contact.subject is not None:
            actions.append(Action("Delete", {"Key": login_key(contact.firm_id, contact.subject)}))
        transact(self._table, actions)

    def invite_contact(
        self, contact: Contact, login: Login, invitation: Invitation, *, revoked: str | None
    ) -> None:
        revocation = (
            [Action("Delete", {"Key": invitation_key(contact.firm_id, revoked)})]
            if revoked is not None
            else []
        )
        transact(
            self._table,
            [
                Action(
                    "Update",
                    {
                        "Key": contact_key(contact.firm_id, contact.account_id, contact.contact_id),
                        "ConditionExpression": (
                            "portal_access = :true AND email = :email AND "
                            "(attribute_not_exists(login_state) OR login_state = :invited)"
                        ),
                        "UpdateExpression": (
                            "SET login_state = :invited, subject = :subject, "
                            "invitation_digest = :digest"
                        ),
                        "ExpressionAttributeValues": {
                            ":true": True,
                            ":email": contact.email,
                            ":invited": LoginState.INVITED.value,
                            ":subject": login.subject,
                            ":digest": invitation.digest,
                        },
                    },
                    ConflictError(
                        "the contact changed meanwhile (portal access, email or login); "
                        "look again and retry"
                    ),
                ),
                _login_put(login),
                Action("Put", {"Item": invitation_item(invitation)}),
                *revocation,
            ],
        )

    def activate(self, invitation: Invitation) -> None:
        unusable = NotFoundError(INVITATION_UNUSABLE)
        transact(
            self._table,
            [
                Action(
                    "Delete",
                    {
                        "Key": invitation_key(invitation.firm_id, invitation.digest),
                        "ConditionExpression": _PRESENT,
                    },
                    unusable,
                ),
                Action(
                    "Update",
                    {
                        "Key": record_key(invitation),
                        "ConditionExpression": (
                            "subject = :subject AND login_state = :invited "
                            "AND invitation_digest = :digest"
                        ),
                        "UpdateExpression": (
                            "SET login_state = :activated REMOVE invitation_digest"
                        ),
                        "ExpressionAttributeValues": {
                            ":subject": invitation.subject,
                            ":invited": LoginState.INVITED.value,
                            ":digest": invitation.digest,
                            ":activated": LoginState.ACTIVATED.value,
                        },
                    },
                    unusable,
                ),
            ],
        )

    def add_reset(self, reset: Invitation) -> None:
        self._table.put_item(Item=reset_item(reset))

    def use_reset(self, reset: Invitation) -> None:
        unusable = NotFoundError(RESET_UNUSABLE)
        transact(
            self._table,
            [
                Action(
                    "Delete",
                    {
                        "Key": reset_key(reset.firm_id, reset.digest),
                        "ConditionExpression": _PRESENT,
                    },
                    unusable,
                ),
                Action(
                    "ConditionCheck",
                    {
                        "Key": record_key(reset),
                        "ConditionExpression": "subject = :subject AND login_state = :activated",
                        "ExpressionAttributeValues": {
                            ":subject": reset.subject,
                            ":activated": LoginState.ACTIVATED.value,
                        },
                    },
                    unusable,
                ),
            ],
        )
