"""Link tokens in the chat table (docs/data-model.md, "Notifications"): one item per token,
keyed by its secret's digest in its firm, removed by the table's TTL after it expires."""

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Final

from firmchat.adapters.dynamo import plain
from firmchat.domain import keys, tokens
from firmchat.domain.links import LinkGrant, LinkPurpose
from firmchat.ports.clock import Clock

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.service_resource import Table

KIND_LINK: Final = "link_token"


class DynamoLinkTokens:
    def __init__(self, table: "Table", clock: Clock) -> None:
        self._table = table
        self._clock = clock

    def issue(self, grant: LinkGrant) -> str:
        token, digest = tokens.new_token(grant.firm_id)
        self._table.put_item(
            Item={
                "PK": keys.link_partition(grant.firm_id, digest),
                "SK": keys.LINK,
                "kind": KIND_LINK,
                **grant.model_dump(mode="json", exclude={"expires_at"}),
                "expires_at": int(grant.expires_at.timestamp()),
            }
        )
        return token

    def find(self, token: str, purpose: LinkPurpose) -> LinkGrant | None:
        """The grant of a token issued for `purpose` that has not expired; None for anything
        else (forged, unknown, expired, or issued for another purpose)."""
        named = tokens.read_token(token)
        if named is None:
            return None
        firm_id, digest = named
        item = self._table.get_item(
            Key={"PK": keys.link_partition(firm_id, digest), "SK": keys.LINK}
        ).get("Item")
        if item is None:
            return None
        found = plain(item)
        grant = LinkGrant.model_validate(
            {**found, "expires_at": datetime.fromtimestamp(int(found["expires_at"]), UTC)}
        )
        if grant.purpose is not purpose or grant.firm_id != firm_id:
            return None
        return grant if grant.expires_at > self._clock.now() else None
