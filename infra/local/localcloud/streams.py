"""DynamoDB stream event source mappings: every function event of `Type: DynamoDB` gets a
poller that reads the stream from moto and invokes the function in batches, as Lambda's
event source mapping does:

- batches of `BatchSize` records (after `FilterCriteria`, when the template has one);
- a function error retries the batch, bisected first when `BisectBatchOnFunctionError`
  (splitting does not use up retries);
- with `ReportBatchItemFailures`, the records before the first reported failure are done
  and the batch is retried from that record;
- after `MaximumRetryAttempts` (-1: forever) the failed records are skipped, and described
  to the `DestinationConfig.OnFailure` queue or topic when there is one.
"""

import json
import logging
import threading
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from botocore.exceptions import ClientError
from moto.events.models import EventPattern

from localcloud.aws import LocalAws, deliver
from localcloud.lambdas import LocalFunction, LocalFunctions
from localcloud.template import Resolver, function_events

log = logging.getLogger("localcloud.streams")

POLL_SECONDS = 0.25
REFRESH_SECONDS = 5.0
_MAX_BACKOFF_SECONDS = 5.0


class FunctionError(Exception):
    """The function raised: the whole batch failed."""


@dataclass(frozen=True)
class StreamSource:
    """One `Type: DynamoDB` event of a function, read from the template."""

    function: LocalFunction
    function_arn: str
    stream_arn: str
    starting_position: str
    batch_size: int
    bisect_on_error: bool
    max_retries: int
    report_item_failures: bool
    on_failure: str | None
    filters: tuple[EventPattern, ...]

    @classmethod
    def from_template(cls, resolver: Resolver, functions: LocalFunctions) -> list["StreamSource"]:
        sources = []
        for function_id, event in function_events(resolver.template, "DynamoDB"):
            properties = resolver.resolve(event)
            if not properties.get("Enabled", True):
                continue
            patterns = properties.get("FilterCriteria", {}).get("Filters", [])
            sources.append(
                cls(
                    function=functions[function_id],
                    function_arn=resolver.get_att(function_id, "Arn"),
                    stream_arn=properties["Stream"],
                    starting_position=properties.get("StartingPosition", "LATEST"),
                    batch_size=int(properties.get("BatchSize", 100)),
                    bisect_on_error=bool(properties.get("BisectBatchOnFunctionError")),
                    max_retries=int(properties.get("MaximumRetryAttempts", -1)),
                    report_item_failures="ReportBatchItemFailures"
                    in properties.get("FunctionResponseTypes", []),
                    on_failure=properties.get("DestinationConfig", {})
                    .get("OnFailure", {})
                    .get("Destination"),
                    filters=tuple(EventPattern.load(entry["Pattern"]) for entry in patterns),
                )
            )
        return sources

    def wants(self, record: dict[str, Any]) -> bool:
        event = cast(Any, record)
        return not self.filters or any(pattern.matches_event(event) for pattern in self.filters)


def lambda_record(record: dict[str, Any], stream_arn: str) -> dict[str, Any]:
    """A stream record as Lambda hands it over: creation time in epoch seconds, and the
    stream's ARN. The tests' stream reader builds its events with this too."""
    change = dict(record["dynamodb"])
    created = change.get("ApproximateCreationDateTime")
    if isinstance(created, datetime):
        change["ApproximateCreationDateTime"] = created.timestamp()
    return {**record, "dynamodb": change, "eventSourceARN": stream_arn}


class ShardPoller:
    """Feeds one shard of a stream to one function, in order, a batch at a time.

    It keeps the sequence number of the last record it read: when the shard's iterator
    fails (expired, trimmed, the shard replaced) or has been idle for `REFRESH_SECONDS`,
    a new one is taken after that number, so no error stops the records for good."""

    def __init__(self, source: StreamSource, aws: LocalAws, shard_id: str) -> None:
        self._source = source
        self._shard_id = shard_id
        self._streams = aws.session.client("dynamodbstreams", endpoint_url=aws.endpoint)
        self._aws = aws
        self._last_sequence: str | None = None
        self._idle_since = time.monotonic()
        self._iterator = self._new_iterator("TRIM_HORIZON")
        if source.starting_position == "LATEST":
            # Read past what is there now: the position is then a sequence number to go on
            # from, and an iterator taken again cannot skip what arrives meanwhile.
            while self._read():
                pass
        self._pending: list[dict[str, Any]] = []
        # Sizes of the halves still to try after bisecting a failed batch, first first.
        self._planned: list[int] = []
        self._attempts = 0

    def _new_iterator(self, start: str) -> str | None:
        """An iterator after the last record read; from `start` when none was read yet."""
        shards = self._streams.describe_stream(StreamArn=self._source.stream_arn)[
            "StreamDescription"
        ]["Shards"]
        if not shards:
            return None
        if all(shard["ShardId"] != self._shard_id for shard in shards):
            log.warning("%s is gone; following %s", self._shard_id, shards[-1]["ShardId"])
            self._shard_id = shards[-1]["ShardId"]
        where: dict[str, Any] = {"ShardIteratorType": start}
        if self._last_sequence is not None:
            where = {
                "ShardIteratorType": "AFTER_SEQUENCE_NUMBER",
                "SequenceNumber": self._last_sequence,
            }
        answer = self._streams.get_shard_iterator(
            StreamArn=self._source.stream_arn, ShardId=self._shard_id, **where
        )
        return str(answer["ShardIterator"])

    def _read(self) -> list[dict[str, Any]]:
        """The next records of the shard; a failed or idle iterator is taken again first."""
        if self._iterator is None or time.monotonic() - self._idle_since > REFRESH_SECONDS:
            self._iterator = self._new_iterator("TRIM_HORIZON")
            self._idle_since = time.monotonic()
        if self._iterator is None:
            return []
        try:
            page = self._streams.get_records(ShardIterator=self._iterator, Limit=1000)
        except ClientError as error:
            log.warning("%s: %s; the iterator is taken again", self._source.stream_arn, error)
            if error.response["Error"]["Code"] == "TrimmedDataAccessException":
                self._last_sequence = None  # lost to the 24 hours: go on from the oldest kept
            self._iterator = None
            return []
        self._iterator = page.get("NextShardIterator")
        records: list[dict[str, Any]] = [dict(record) for record in page["Records"]]
        if records:
            self._last_sequence = records[-1]["dynamodb"]["SequenceNumber"]
            self._idle_since = time.monotonic()
        return records

    def _fetch(self) -> None:
        for record in self._read():
            converted = lambda_record(record, self._source.stream_arn)
            if self._source.wants(converted):
                self._pending.append(converted)

    def _invoke(self, batch: Sequence[dict[str, Any]]) -> int:
        """How many leading records of the batch are done; raises FunctionError."""
        try:
            result = self._source.function.invoke({"Records": list(batch)})
        except Exception as error:
            log.exception("%s failed on a batch of %d", self._source.function_arn, len(batch))
            raise FunctionError from error
        if not self._source.report_item_failures or not isinstance(result, dict):
            return len(batch)
        failures = result.get("batchItemFailures") or []
        if not failures:
            return len(batch)
        numbers = [record["dynamodb"]["SequenceNumber"] for record in batch]
        first = min(
            (
                numbers.index(failure.get("itemIdentifier"))
                for failure in failures
                if failure.get("itemIdentifier") in numbers
            ),
            default=0,  # an identifier not in the batch fails the whole batch, as on AWS
        )
        return first

    def step(self) -> float:
        """Fetches, runs one batch if there is one; the seconds to wait before the next step."""
        self._fetch()
        if not self._pending:
            return POLL_SECONDS
        size = min(self._source.batch_size, len(self._pending))
        if self._planned:
            size = self._planned[0]
        batch = self._pending[:size]
        try:
            done = self._invoke(batch)
        except FunctionError:
            if self._source.bisect_on_error and size > 1:
                self._planned[:1] = [size // 2, size - size // 2]
                return 0.0
            done = 0
        del self._pending[:done]
        if done == size:
            self._planned[:1] = []
            self._attempts = 0
            return 0.0
        if self._planned:
            self._planned[0] -= done
        self._attempts += 1
        if 0 <= self._source.max_retries < self._attempts:
            self._discard(batch[done:])
            del self._pending[: size - done]
            self._planned[:1] = []
            self._attempts = 0
            return 0.0
        return min(0.1 * 2.0**self._attempts, _MAX_BACKOFF_SECONDS)

    def _discard(self, records: Sequence[dict[str, Any]]) -> None:
        """Skips records whose retries are used up, describing them to the on-failure
        destination as Lambda does."""
        log.warning(
            "%s: %d record(s) skipped after %d retries",
            self._source.function_arn,
            len(records),
            self._source.max_retries,
        )
        destination = self._source.on_failure
        if destination is None:
            return
        now = datetime.now(UTC).isoformat(timespec="milliseconds")
        arrival = [
            datetime.fromtimestamp(record["dynamodb"]["ApproximateCreationDateTime"], UTC)
            for record in records
        ]
        message = json.dumps(
            {
                "requestContext": {
                    "requestId": str(uuid.uuid4()),
                    "functionArn": self._source.function_arn,
                    "condition": "RetryAttemptsExhausted",
                    "approximateInvokeCount": self._source.max_retries + 1,
                },
                "responseContext": {
                    "statusCode": 200,
                    "executedVersion": "$LATEST",
                    "functionError": "Unhandled",
                },
                "version": "1.0",
                "timestamp": now,
                "DDBStreamBatchInfo": {
                    "shardId": self._shard_id,
                    "startSequenceNumber": records[0]["dynamodb"]["SequenceNumber"],
                    "endSequenceNumber": records[-1]["dynamodb"]["SequenceNumber"],
                    "approximateArrivalOfFirstRecord": min(arrival).isoformat(),
                    "approximateArrivalOfLastRecord": max(arrival).isoformat(),
                    "batchSize": len(records),
                    "streamArn": self._source.stream_arn,
                },
            }
        )
        deliver(self._aws, destination, message)


class StreamPollers:
    """A thread per stream shard and function, stopped together."""

    def __init__(self, sources: Sequence[StreamSource], aws: LocalAws) -> None:
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        streams = aws.session.client("dynamodbstreams", endpoint_url=aws.endpoint)
        for source in sources:
            description = streams.describe_stream(StreamArn=source.stream_arn)
            for shard in description["StreamDescription"]["Shards"]:
                # Iterators are taken now, so LATEST means "from the start of the local cloud".
                poller = ShardPoller(source, aws, shard["ShardId"])
                self._threads.append(
                    threading.Thread(
                        target=self._run, args=(poller,), name="stream-poller", daemon=True
                    )
                )

    def _run(self, poller: ShardPoller) -> None:
        while not self._stop.is_set():
            try:
                delay = poller.step()
            except Exception:
                log.exception("the stream poller failed a step; it goes on")
                delay = _MAX_BACKOFF_SECONDS
            self._stop.wait(delay)

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def stop(self, seconds: float) -> None:
        """Stops the pollers; one in the middle of an invocation is left to end with the
        process after `seconds`."""
        self._stop.set()
        deadline = time.monotonic() + seconds
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))
