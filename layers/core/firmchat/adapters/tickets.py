"""Short-lived, single-use WebSocket tickets in the chat table.

A ticket reads `<firm id>.<secret>`. Only a digest of the secret is stored, so reading the
table never yields a usable ticket; redeeming deletes the item under a condition, so a ticket
opens one connection at most.
"""

import hashlib
import secrets
import time

from botocore.exceptions import ClientError

from firmchat.adapters.aws import dynamodb
from firmchat.config import required_setting
from firmchat.domain.caller import Caller
from firmchat.domain.keys import ticket_sort_key, tickets_partition
from firmchat.errors import NotAuthenticatedError

TICKET_LIFETIME_SECONDS = 60


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class TicketStore:
    def __init__(self) -> None:
        self._table = dynamodb().Table(required_setting("TABLE_NAME"))

    def issue(self, caller: Caller) -> str:
        secret = secrets.token_urlsafe(32)
        self._table.put_item(
            Item={
                "PK": tickets_partition(caller.firm_id),
                "SK": ticket_sort_key(_digest(secret)),
                "subject": caller.subject,
                "expires_at": int(time.time()) + TICKET_LIFETIME_SECONDS,
            }
        )
        return f"{caller.firm_id}.{secret}"

    def redeem(self, ticket: str) -> Caller:
        firm_id, _, secret = ticket.partition(".")
        if not firm_id or not secret:
            raise NotAuthenticatedError("the WebSocket ticket is malformed")
        try:
            old = self._table.delete_item(
                Key={"PK": tickets_partition(firm_id), "SK": ticket_sort_key(_digest(secret))},
                ConditionExpression="attribute_exists(PK) AND expires_at > :now",
                ExpressionAttributeValues={":now": int(time.time())},
                ReturnValues="ALL_OLD",
            )
        except ClientError as error:
            if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
                raise NotAuthenticatedError(
                    "the WebSocket ticket is unknown, used or expired"
                ) from error
            raise
        return Caller(firm_id=firm_id, subject=str(old["Attributes"]["subject"]))
