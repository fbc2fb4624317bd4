"""SQS event source mappings and the malware scanner, for the documents bucket.

- Every function event of `Type: SQS` gets a poller that receives up to `BatchSize`
  messages and invokes the function, as Lambda's mapping does: with
  `ReportBatchItemFailures` only the reported messages stay (and come back after their
  visibility timeout, until the queue's redrive policy moves them); a function error leaves
  the whole batch.
- The bucket's `NotificationConfiguration` queues are given to moto, which sends S3's
  "object created" notifications itself.
- The scanner (localcloud.scanner) hears of each new object on a queue of its own, tags
  the object and sends its verdict to the targets of the template's rules for
  `aws.guardduty` scan results, as EventBridge would.
"""

import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote_plus

from localcloud.aws import LocalAws
from localcloud.lambdas import LocalFunction, LocalFunctions
from localcloud.scanner import scan
from localcloud.template import Resolver, function_events, resources_of_type

log = logging.getLogger("localcloud.queues")

WAIT_SECONDS = 1
SCANNER_QUEUE = "localcloud-malware-scanner"


@dataclass(frozen=True)
class QueueSource:
    function: LocalFunction
    queue_url: str
    batch_size: int
    report_item_failures: bool

    @classmethod
    def from_template(cls, resolver: Resolver, functions: LocalFunctions) -> list["QueueSource"]:
        sources = []
        for function_id, event in function_events(resolver.template, "SQS"):
            properties = resolver.resolve(event)
            name = str(properties["Queue"]).rsplit(":", 1)[-1]
            url = next(
                resolver.get_att(logical_id, "QueueUrl")
                for logical_id in resources_of_type(resolver.template, "AWS::SQS::Queue")
                if resolver.get_att(logical_id, "QueueName") == name
            )
            sources.append(
                cls(
                    function=functions[function_id],
                    queue_url=url,
                    batch_size=int(properties.get("BatchSize", 10)),
                    report_item_failures="ReportBatchItemFailures"
                    in properties.get("FunctionResponseTypes", []),
                )
            )
        return sources


def _record(message: dict[str, Any], queue_url: str, region: str) -> dict[str, Any]:
    return {
        "messageId": message["MessageId"],
        "receiptHandle": message["ReceiptHandle"],
        "body": message["Body"],
        "attributes": message.get("Attributes", {}),
        "messageAttributes": {},
        "md5OfBody": message["MD5OfBody"],
        "eventSource": "aws:sqs",
        "eventSourceARN": queue_url,
        "awsRegion": region,
    }


def _bucket_queues(resolver: Resolver) -> list[tuple[str, list[dict[str, Any]]]]:
    """Each bucket's name and the queue configurations its template declares."""
    found = []
    for logical_id, resource in resources_of_type(resolver.template, "AWS::S3::Bucket").items():
        notification = resource.get("Properties", {}).get("NotificationConfiguration", {})
        queues = resolver.resolve(notification.get("QueueConfigurations", []))
        found.append((resolver.ref(logical_id), queues))
    return found


def _scan_result_targets(resolver: Resolver) -> list[str]:
    rules = resources_of_type(resolver.template, "AWS::Events::Rule").values()
    return [
        str(resolver.resolve(target["Arn"]))
        for rule in rules
        if "aws.guardduty" in rule["Properties"].get("EventPattern", {}).get("source", [])
        for target in rule["Properties"].get("Targets", [])
    ]


class DocumentQueues:
    """The queue pollers and the scanner, started and stopped together."""

    def __init__(self, resolver: Resolver, functions: LocalFunctions, aws: LocalAws) -> None:
        self._aws = aws
        self._region = resolver.region
        self._account = resolver.account_id
        self._sqs = aws.session.client("sqs", endpoint_url=aws.endpoint)
        self._s3 = aws.session.client("s3", endpoint_url=aws.endpoint)
        self._stop = threading.Event()
        scanner_url = self._sqs.create_queue(QueueName=SCANNER_QUEUE)["QueueUrl"]
        scanner_arn = f"arn:aws:sqs:{self._region}:{self._account}:{SCANNER_QUEUE}"
        for bucket, queues in _bucket_queues(resolver):
            configurations = [
                {"QueueArn": queue["Queue"], "Events": [queue["Event"]]} for queue in queues
            ]
            configurations.append({"QueueArn": scanner_arn, "Events": ["s3:ObjectCreated:*"]})
            self._s3.put_bucket_notification_configuration(
                Bucket=bucket,
                NotificationConfiguration={"QueueConfigurations": configurations},  # type: ignore[typeddict-item]
            )
        self._verdict_urls = [
            self._sqs.get_queue_url(QueueName=arn.rsplit(":", 1)[-1])["QueueUrl"]
            for arn in _scan_result_targets(resolver)
        ]
        self._threads = [
            threading.Thread(target=self._poll, args=(source,), name="sqs-poller", daemon=True)
            for source in QueueSource.from_template(resolver, functions)
        ]
        self._threads.append(
            threading.Thread(target=self._scan, args=(scanner_url,), name="scanner", daemon=True)
        )

    def _receive(self, url: str, count: int) -> list[dict[str, Any]]:
        answer = self._sqs.receive_message(
            QueueUrl=url,
            MaxNumberOfMessages=min(count, 10),
            WaitTimeSeconds=WAIT_SECONDS,
            AttributeNames=["All"],
        )
        return [dict(message) for message in answer.get("Messages", [])]

    def _done(self, url: str, messages: list[dict[str, Any]]) -> None:
        for message in messages:
            self._sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])

    def _poll_once(self, source: QueueSource) -> None:
        messages = self._receive(source.queue_url, source.batch_size)
        if not messages:
            return
        event = {"Records": [_record(m, source.queue_url, self._region) for m in messages]}
        try:
            answer = source.function.invoke(event)
        except Exception:
            log.exception("the uploads function failed a batch; it comes back later")
            return
        failed = set()
        if source.report_item_failures and isinstance(answer, dict):
            failed = {item["itemIdentifier"] for item in answer.get("batchItemFailures", [])}
        self._done(source.queue_url, [m for m in messages if m["MessageId"] not in failed])

    def _scan_once(self, url: str) -> None:
        messages = self._receive(url, 10)
        for message in messages:
            for record in json.loads(message["Body"]).get("Records", []):
                bucket = record["s3"]["bucket"]["name"]
                key = unquote_plus(record["s3"]["object"]["key"])
                verdict = json.dumps(scan(self._s3, bucket, key, self._region, self._account))
                for target in self._verdict_urls:
                    self._sqs.send_message(QueueUrl=target, MessageBody=verdict)
        self._done(url, messages)

    def _poll(self, source: QueueSource) -> None:
        self._loop(lambda: self._poll_once(source))

    def _scan(self, url: str) -> None:
        self._loop(lambda: self._scan_once(url))

    def _loop(self, step: Callable[[], None]) -> None:
        while not self._stop.is_set():
            try:
                step()
            except Exception:
                log.exception("a documents queue step failed; it goes on")
                self._stop.wait(1.0)

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def stop(self, seconds: float) -> None:
        self._stop.set()
        deadline = time.monotonic() + seconds
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))
