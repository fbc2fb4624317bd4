"""Reads the chat table's stream (moto keeps one) and hands the new records to the stream
worker in the event shape Lambda's event source mapping uses."""

from typing import Any

import boto3

from localcloud.streams import lambda_record


class TableStream:
    def __init__(self, stream_arn: str) -> None:
        self._arn = stream_arn
        self._client = boto3.client("dynamodbstreams")
        self._iterators: dict[str, str] = {}

    def new_records(self) -> list[dict[str, Any]]:
        """The records written since the last call (since the start, the first time)."""
        records: list[dict[str, Any]] = []
        shards = self._client.describe_stream(StreamArn=self._arn)["StreamDescription"]["Shards"]
        for shard in shards:
            shard_id = shard["ShardId"]
            iterator = (
                self._iterators.get(shard_id)
                or self._client.get_shard_iterator(
                    StreamArn=self._arn, ShardId=shard_id, ShardIteratorType="TRIM_HORIZON"
                )["ShardIterator"]
            )
            answer = self._client.get_records(ShardIterator=iterator)
            records.extend(lambda_record(dict(record), self._arn) for record in answer["Records"])
            self._iterators[shard_id] = answer["NextShardIterator"]
        return records

    def event(self) -> dict[str, Any]:
        return {"Records": self.new_records()}
