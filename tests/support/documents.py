"""Drives documents the way a browser and the bucket would in moto's world: posts a file as
its upload form says, then delivers the uploads queue's messages (each new object's
notification, then the local scanner's verdict) to the uploads function, until unpacked
zips have no new entries left."""

import base64
import io
import json
import zipfile
from typing import Any

import boto3

from localcloud.lambdas import LocalFunction
from localcloud.scanner import object_created, scan

REGION, ACCOUNT = "us-east-1", "123456789012"


def sqs_event(*bodies: dict[str, Any]) -> dict[str, Any]:
    return {
        "Records": [
            {
                "messageId": f"message-{number}",
                "receiptHandle": f"receipt-{number}",
                "body": json.dumps(body),
                "attributes": {
                    "ApproximateReceiveCount": "1",
                    "SentTimestamp": "1795514400000",
                    "SenderId": "s3",
                    "ApproximateFirstReceiveTimestamp": "1795514400000",
                },
                "messageAttributes": {},
                "md5OfBody": "0",
                "eventSource": "aws:sqs",
                "eventSourceARN": f"arn:aws:sqs:{REGION}:{ACCOUNT}:uploads",
                "awsRegion": REGION,
            }
            for number, body in enumerate(bodies)
        ]
    }


def form_policy(form: dict[str, Any]) -> dict[str, Any]:
    policy: dict[str, Any] = json.loads(base64.b64decode(form["fields"]["policy"]))
    return policy


def zip_of(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


class Bucket:
    def __init__(self, name: str, uploads: LocalFunction) -> None:
        self.name = name
        self.s3 = boto3.client("s3")
        self._uploads = uploads
        self._delivered: set[str] = set()

    def post(self, form: dict[str, Any], data: bytes) -> None:
        """What the browser sends: the form's own key and type."""
        fields = form["fields"]
        self.s3.put_object(
            Bucket=self.name, Key=fields["key"], Body=data, ContentType=fields["Content-Type"]
        )

    def deliver(self) -> None:
        while True:
            listed = self.s3.list_objects_v2(Bucket=self.name, Prefix="firms/")
            new = [
                entry for entry in listed.get("Contents", []) if entry["Key"] not in self._delivered
            ]
            if not new:
                return
            self._send(*(object_created(self.name, e["Key"], e["Size"], REGION) for e in new))
            self._send(*(scan(self.s3, self.name, e["Key"], REGION, ACCOUNT) for e in new))
            self._delivered.update(entry["Key"] for entry in new)

    def _send(self, *bodies: dict[str, Any]) -> None:
        answer = self._uploads.invoke(sqs_event(*bodies))
        assert answer == {"batchItemFailures": []}
