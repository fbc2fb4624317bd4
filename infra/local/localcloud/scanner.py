"""The local cloud's malware scanner, in GuardDuty Malware Protection for S3's place: it
tags an object `GuardDutyMalwareScanStatus` (clean unless it holds the EICAR test string)
and answers with the very event EventBridge would deliver to the uploads queue."""

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from firmchat.domain.documents import CLEAN, SCAN_RESULT

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

# The industry's harmless test file; written in two halves so this file is not flagged.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-" + b"ANTIVIRUS-TEST-FILE!$H+H*"
TAG = "GuardDutyMalwareScanStatus"
THREAT_NAME = "EICAR-Test-File (not a virus)"


def scan(s3: "S3Client", bucket: str, key: str, region: str, account_id: str) -> dict[str, Any]:
    """Tags the object with its verdict; returns the scan-result event."""
    answer = s3.get_object(Bucket=bucket, Key=key)
    infected = EICAR in answer["Body"].read()
    status = "THREATS_FOUND" if infected else CLEAN
    s3.put_object_tagging(
        Bucket=bucket, Key=key, Tagging={"TagSet": [{"Key": TAG, "Value": status}]}
    )
    return {
        "version": "0",
        "id": f"scan-{key.rsplit('/', 1)[-1]}",
        "detail-type": SCAN_RESULT,
        "source": "aws.guardduty",
        "account": account_id,
        "time": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": region,
        "resources": [],
        "detail": {
            "schemaVersion": "1.0",
            "scanStatus": "COMPLETED",
            "resourceType": "S3_OBJECT",
            "s3ObjectDetails": {
                "bucketName": bucket,
                "objectKey": key,
                "eTag": answer.get("ETag", "").strip('"'),
                "versionId": answer.get("VersionId"),
                "s3Throttled": False,
            },
            "scanResultDetails": {
                "scanResultStatus": status,
                "threats": [{"name": THREAT_NAME}] if infected else None,
            },
        },
    }


def object_created(bucket: str, key: str, size: int, region: str) -> dict[str, Any]:
    """S3's "object created" notification, as it lands in the uploads queue."""
    return {
        "Records": [
            {
                "eventVersion": "2.1",
                "eventSource": "aws:s3",
                "awsRegion": region,
                "eventTime": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                "eventName": "ObjectCreated:Post",
                "s3": {
                    "s3SchemaVersion": "1.0",
                    "bucket": {"name": bucket, "arn": f"arn:aws:s3:::{bucket}"},
                    "object": {"key": key, "size": size},
                },
            }
        ]
    }
