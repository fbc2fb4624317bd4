"""The thread services' view of the firm's people, over the people store."""

from collections.abc import Iterable

from firmchat.domain.principal import Principal
from firmchat.domain.views import MentionableUser
from firmchat.errors import ForbiddenError
from firmchat.ports.people import DirectoryStore

USERS_PAGE = 100


class PeopleDirectory:
    """The thread services' view of the firm's people."""

    def __init__(self, people: DirectoryStore) -> None:
        self._people = people

    def account_can_receive_chats(self, firm_id: str, account_id: str) -> bool | None:
        if self._people.account(firm_id, account_id) is None:
            return None
        return any(contact.signs_in for contact in self._people.contacts(firm_id, account_id))

    def account_exists(self, firm_id: str, account_id: str) -> bool:
        return self._people.account(firm_id, account_id) is not None

    def account_names(self, firm_id: str, account_ids: Iterable[str]) -> dict[str, str]:
        wanted = sorted(set(account_ids))
        found = self._people.accounts_by_id(firm_id, wanted) if wanted else []
        return {account.account_id: account.name for account in found}

    def firm_user_ids(self, firm_id: str, user_ids: Iterable[str]) -> frozenset[str]:
        found = (self._people.firm_user(firm_id, user_id) for user_id in user_ids)
        return frozenset(user.user_id for user, _ in filter(None, found) if user.active)

    def mentionable(self, principal: Principal) -> list[MentionableUser]:
        """MS-2's autocomplete: the firm's users who may act now, by name; firm users only
        (a client cannot @mention)."""
        if not principal.is_firm_user:
            raise ForbiddenError("only the firm's team can @mention people")
        found: list[MentionableUser] = []
        cursor: str | None = None
        while True:
            page = self._people.firm_users(principal.firm_id, USERS_PAGE, cursor)
            found += [
                MentionableUser(user_id=user.user_id, name=user.name)
                for user in page.items
                if user.signs_in
            ]
            if page.cursor is None:
                return sorted(found, key=lambda user: (user.name.casefold(), user.user_id))
            cursor = page.cursor
