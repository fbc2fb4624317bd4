"""Open WebSocket connections: where they are recorded, and how a frame reaches one."""

import json
from typing import TYPE_CHECKING, Any

from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError

from firmchat.adapters.dynamo import Action, plain, query_all, transact
from firmchat.domain.caller import Caller
from firmchat.domain.keys import (
    connection_sort_key,
    connections_partition,
    open_sockets_partition,
    open_sockets_sort_key,
    subject_connections_prefix,
)
from firmchat.errors import TooManyRequestsError
from firmchat.observability import logger
from firmchat.ports.clock import Clock, epoch_seconds

if TYPE_CHECKING:
    from mypy_boto3_apigatewaymanagementapi import ApiGatewayManagementApiClient
    from mypy_boto3_dynamodb.service_resource import Table

# API Gateway closes a WebSocket after two hours at most; the record outlives it a little.
CONNECTION_RECORD_SECONDS = 2 * 3600 + 600


SOCKETS_PER_PERSON = 10
"""Open sockets one person may hold at once (a tab each)."""


class ConnectionStore:
    """Connections sort under their subject in the firm's partition: one Query finds a
    person's sockets, and a Query of the partition (every page) finds the firm's. Each
    person's open socket ids are also kept in one item, whose conditional write holds them
    to SOCKETS_PER_PERSON."""

    def __init__(self, table: "Table", clock: Clock) -> None:
        self._table = table
        self._clock = clock

    def register(self, caller: Caller, connection_id: str) -> None:
        """Records the connection; TooManyRequestsError when the person already holds
        SOCKETS_PER_PERSON (ids whose record is gone, a missed `$disconnect`, are let go
        first)."""
        try:
            self._open(caller, connection_id)
        except TooManyRequestsError:
            if not self._let_go_of_stale(caller):
                raise
            self._open(caller, connection_id)

    def _open(self, caller: Caller, connection_id: str) -> None:
        now = epoch_seconds(self._clock)
        record = {
            "PK": connections_partition(caller.firm_id),
            "SK": connection_sort_key(caller.subject, connection_id),
            "subject": caller.subject,
            "connection_id": connection_id,
            "connected_at": now,
            "expires_at": now + CONNECTION_RECORD_SECONDS,
        }
        held = {
            "Key": _sockets_key(caller.firm_id, caller.subject),
            "UpdateExpression": "ADD sockets :id SET expires_at = :expires",
            "ConditionExpression": (
                "attribute_not_exists(sockets) OR size(sockets) < :most OR contains(sockets, :one)"
            ),
            "ExpressionAttributeValues": {
                ":id": {connection_id},
                ":one": connection_id,
                ":most": SOCKETS_PER_PERSON,
                ":expires": now + CONNECTION_RECORD_SECONDS,
            },
        }
        refusal = TooManyRequestsError(
            f"at most {SOCKETS_PER_PERSON} open connections a person; close a tab first"
        )
        transact(self._table, [Action("Update", held, refusal), Action("Put", {"Item": record})])

    def _let_go_of_stale(self, caller: Caller) -> bool:
        """Drops the person's held ids that have no connection record; True if any."""
        item = self._table.get_item(
            Key=_sockets_key(caller.firm_id, caller.subject), ConsistentRead=True
        ).get("Item", {})
        held = {str(connection_id) for connection_id in plain(item.get("sockets", []))}
        stale = held - set(self.of_subject(caller.firm_id, caller.subject))
        if stale:
            self._table.update_item(
                Key=_sockets_key(caller.firm_id, caller.subject),
                UpdateExpression="DELETE sockets :stale",
                ExpressionAttributeValues={":stale": stale},
            )
        return bool(stale)

    def forget(self, firm_id: str, subject: str, connection_id: str) -> None:
        record = {
            "Key": {
                "PK": connections_partition(firm_id),
                "SK": connection_sort_key(subject, connection_id),
            }
        }
        held = {
            "Key": _sockets_key(firm_id, subject),
            "UpdateExpression": "DELETE sockets :id",
            "ExpressionAttributeValues": {":id": {connection_id}},
        }
        transact(self._table, [Action("Delete", record), Action("Update", held)])

    def of_subject(self, firm_id: str, subject: str) -> list[str]:
        condition = Key("PK").eq(connections_partition(firm_id)) & Key("SK").begins_with(
            subject_connections_prefix(subject)
        )
        return [str(item["connection_id"]) for item in query_all(self._table, condition)]

    def of_firm(self, firm_id: str) -> list[tuple[str, str]]:
        """(subject, connection id) of every open connection of the firm, every page."""
        condition = Key("PK").eq(connections_partition(firm_id))
        return [
            (str(item["subject"]), str(item["connection_id"]))
            for item in query_all(
                self._table, condition, ProjectionExpression="subject, connection_id"
            )
        ]


def _sockets_key(firm_id: str, subject: str) -> dict[str, str]:
    return {"PK": open_sockets_partition(firm_id), "SK": open_sockets_sort_key(subject)}


class ConnectionPusher:
    """Sends frames through, and closes sockets with, the API Gateway Management API."""

    def __init__(self, api: "ApiGatewayManagementApiClient") -> None:
        self._api = api

    def push(self, connection_id: str, payload: dict[str, Any]) -> bool:
        """Returns False when the connection is gone (410), so the caller can forget it.
        Any other failure (after the client's retries) loses this frame for this socket
        only: it is logged, and the caller goes on to the other sockets, as the change the
        frame tells of is already stored."""
        try:
            self._api.post_to_connection(
                ConnectionId=connection_id, Data=json.dumps(payload).encode()
            )
        except self._api.exceptions.GoneException:
            return False
        except ClientError as error:
            logger.warning(
                "a push failed; the socket misses this frame",
                extra={"connection_id": connection_id, "error": error.response["Error"]},
            )
        return True

    def close(self, connection_id: str) -> None:
        try:
            self._api.delete_connection(ConnectionId=connection_id)
        except self._api.exceptions.GoneException:
            return
