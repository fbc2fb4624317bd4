"""The documents bucket: presigned POST forms and GET links, and the few reads and writes
the uploads function makes (docs/security.md, "Documents")."""

from typing import TYPE_CHECKING
from urllib.parse import quote

from firmchat.errors import PayloadTooLargeError

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_s3.type_defs import ObjectIdentifierTypeDef


class S3ObjectStore:
    def __init__(self, bucket: str, s3: "S3Client") -> None:
        self._bucket = bucket
        self._s3 = s3

    def upload_form(
        self, key: str, content_type: str, size: int, seconds: int
    ) -> tuple[str, dict[str, str]]:
        """Only this key, this exact type and this exact size, for `seconds`."""
        form = self._s3.generate_presigned_post(
            Bucket=self._bucket,
            Key=key,
            Fields={"Content-Type": content_type},
            Conditions=[
                {"bucket": self._bucket},
                ["eq", "$key", key],
                ["eq", "$Content-Type", content_type],
                ["content-length-range", size, size],
            ],
            ExpiresIn=seconds,
        )
        return form["url"], {name: str(value) for name, value in form["fields"].items()}

    def download_link(
        self, key: str, filename: str, content_type: str, *, inline: bool, seconds: int
    ) -> str:
        disposition = "inline" if inline else "attachment"
        return self._s3.generate_presigned_url(
            "get_object",
            Params={
                "Bucket": self._bucket,
                "Key": key,
                "ResponseContentDisposition": f"{disposition}; filename*=UTF-8''{quote(filename)}",
                "ResponseContentType": content_type,
            },
            ExpiresIn=seconds,
        )

    def head_bytes(self, key: str, count: int) -> bytes:
        answer = self._s3.get_object(Bucket=self._bucket, Key=key, Range=f"bytes=0-{count - 1}")
        return answer["Body"].read()

    def read(self, key: str, limit: int) -> bytes:
        answer = self._s3.get_object(Bucket=self._bucket, Key=key)
        if answer["ContentLength"] > limit:
            raise PayloadTooLargeError(f"the file is larger than {limit} bytes")
        return answer["Body"].read()

    def put(self, key: str, data: bytes, content_type: str) -> None:
        self._s3.put_object(Bucket=self._bucket, Key=key, Body=data, ContentType=content_type)

    def delete(self, key: str) -> None:
        versions = self._s3.list_object_versions(Bucket=self._bucket, Prefix=key)
        entries = [*versions.get("Versions", []), *versions.get("DeleteMarkers", [])]
        doomed: list[ObjectIdentifierTypeDef] = [
            {"Key": entry["Key"], "VersionId": entry["VersionId"]}
            for entry in entries
            if entry["Key"] == key
        ]
        if doomed:
            self._s3.delete_objects(Bucket=self._bucket, Delete={"Objects": doomed, "Quiet": True})
