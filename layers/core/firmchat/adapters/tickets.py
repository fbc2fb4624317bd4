"""Short-lived, single-use WebSocket tickets in the chat table.

A ticket is a token (firmchat.domain.tokens): only a digest of its secret is stored;
redeeming deletes the item under a condition, so a ticket opens one connection at most.
"""

from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from firmchat.adapters.dynamo import condition_failed
from firmchat.domain.caller import Caller
from firmchat.domain.keys import ticket_rate_sort_key, ticket_sort_key, tickets_partition
from firmchat.domain.tokens import new_token, read_token
from firmchat.errors import NotAuthenticatedError, TooManyRequestsError
from firmchat.ports.clock import Clock, epoch_seconds

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.service_resource import Table

TICKET_LIFETIME_SECONDS = 60
TICKETS_PER_MINUTE = 10
"""A person opens a socket per tab; more tickets a minute than this is a script."""


class TicketStore:
    def __init__(self, table: "Table", clock: Clock) -> None:
        self._table = table
        self._clock = clock

    def issue(self, caller: Caller) -> str:
        """A new ticket; TooManyRequestsError past TICKETS_PER_MINUTE this minute."""
        self._count_one(caller)
        ticket, secret_digest = new_token(caller.firm_id)
        self._table.put_item(
            Item={
                "PK": tickets_partition(caller.firm_id),
                "SK": ticket_sort_key(secret_digest),
                "subject": caller.subject,
                "expires_at": epoch_seconds(self._clock) + TICKET_LIFETIME_SECONDS,
            }
        )
        return ticket

    def _count_one(self, caller: Caller) -> None:
        now = epoch_seconds(self._clock)
        try:
            self._table.update_item(
                Key={
                    "PK": tickets_partition(caller.firm_id),
                    "SK": ticket_rate_sort_key(caller.subject, now // 60),
                },
                UpdateExpression="ADD issued :one SET expires_at = :expires",
                ConditionExpression="attribute_not_exists(issued) OR issued < :limit",
                ExpressionAttributeValues={
                    ":one": 1,
                    ":limit": TICKETS_PER_MINUTE,
                    ":expires": now + 120,
                },
            )
        except ClientError as error:
            if condition_failed(error):
                raise TooManyRequestsError(
                    f"at most {TICKETS_PER_MINUTE} WebSocket tickets a minute; "
                    "try again in a minute"
                ) from error
            raise

    def redeem(self, ticket: str) -> Caller:
        named = read_token(ticket)
        if named is None:
            raise NotAuthenticatedError("the WebSocket ticket is malformed")
        firm_id, secret_digest = named
        try:
            old = self._table.delete_item(
                Key={"PK": tickets_partition(firm_id), "SK": ticket_sort_key(secret_digest)},
                ConditionExpression="attribute_exists(PK) AND expires_at > :now",
                ExpressionAttributeValues={":now": epoch_seconds(self._clock)},
                ReturnValues="ALL_OLD",
            )
        except ClientError as error:
            if condition_failed(error):
                raise NotAuthenticatedError(
                    "the WebSocket ticket is unknown, used or expired"
                ) from error
            raise
        return Caller(firm_id=firm_id, subject=str(old["Attributes"]["subject"]))
