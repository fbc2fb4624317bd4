"""Short-lived, single-use WebSocket tickets in the chat table.

A ticket is a token (firmchat.domain.tokens): only a digest of its secret is stored;
redeeming deletes the item under a condition, so a ticket opens one connection at most.
"""

from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from firmchat.domain.caller import Caller
from firmchat.domain.keys import ticket_sort_key, tickets_partition
from firmchat.domain.tokens import new_token, read_token
from firmchat.errors import NotAuthenticatedError
from firmchat.ports.clock import Clock, epoch_seconds

if TYPE_CHECKING:
    from mypy_boto3_dynamodb.service_resource import Table

TICKET_LIFETIME_SECONDS = 60


class TicketStore:
    def __init__(self, table: "Table", clock: Clock) -> None:
        self._table = table
        self._clock = clock

    def issue(self, caller: Caller) -> str:
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
            if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
                raise NotAuthenticatedError(
                    "the WebSocket ticket is unknown, used or expired"
                ) from error
            raise
        return Caller(firm_id=firm_id, subject=str(old["Attributes"]["subject"]))
