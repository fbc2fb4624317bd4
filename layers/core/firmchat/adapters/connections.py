"""Open WebSocket connections: where they are recorded, and how a frame reaches one."""

import json
from typing import TYPE_CHECKING, Any

from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError

from firmchat.domain.caller import Caller
from firmchat.domain.keys import (
    connection_sort_key,
    connections_partition,
    subject_connections_prefix,
)
from firmchat.observability import logger
from firmchat.ports.clock import Clock, epoch_seconds

if TYPE_CHECKING:
    from mypy_boto3_apigatewaymanagementapi import ApiGatewayManagementApiClient
    from mypy_boto3_dynamodb.service_resource import Table

# API Gateway closes a WebSocket after two hours at most; the record outlives it a little.
CONNECTION_RECORD_SECONDS = 2 * 3600 + 600


class ConnectionStore:
    """Connections sort under their subject in the firm's partition: one Query finds a
    person's sockets, and a Query of the partition finds the firm's."""

    def __init__(self, table: "Table", clock: Clock) -> None:
        self._table = table
        self._clock = clock

    def register(self, caller: Caller, connection_id: str) -> None:
        now = epoch_seconds(self._clock)
        self._table.put_item(
            Item={
                "PK": connections_partition(caller.firm_id),
                "SK": connection_sort_key(caller.subject, connection_id),
                "subject": caller.subject,
                "connection_id": connection_id,
                "connected_at": now,
                "expires_at": now + CONNECTION_RECORD_SECONDS,
            }
        )

    def forget(self, firm_id: str, subject: str, connection_id: str) -> None:
        self._table.delete_item(
            Key={
                "PK": connections_partition(firm_id),
                "SK": connection_sort_key(subject, connection_id),
            }
        )

    def of_subject(self, firm_id: str, subject: str) -> list[str]:
        # A person holds a handful of sockets (one a tab): one page of a Query holds them.
        items = self._table.query(
            KeyConditionExpression=Key("PK").eq(connections_partition(firm_id))
            & Key("SK").begins_with(subject_connections_prefix(subject)),
            ProjectionExpression="connection_id",
        )["Items"]
        return [str(item["connection_id"]) for item in items]

    def of_firm(self, firm_id: str) -> list[tuple[str, str]]:
        """(subject, connection id) of every open connection of the firm: one Query page,
        as a firm's open sockets are a few per signed-in person."""
        items = self._table.query(
            KeyConditionExpression=Key("PK").eq(connections_partition(firm_id)),
            ProjectionExpression="subject, connection_id",
        )["Items"]
        return [(str(item["subject"]), str(item["connection_id"])) for item in items]


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
