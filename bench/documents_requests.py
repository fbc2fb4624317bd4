"""Requests per document operation, counted on the wire (botocore's `before-call`), as the
number of documents grows: asking for the upload forms of N files, one object's arrival,
its scan verdict, and the thread's documents list holding N documents.

The core's documents service runs on its real adapters in an in-process moto account;
the objects are put the way a browser posts them (not counted), the verdicts are the local
scanner's. Pushes go to every socket the access policy allows (each seeded person holds one).

    python -m bench.documents_requests
"""

from collections import Counter

import boto3

from bench.firm_world import (
    ACCOUNT,
    DOCUMENTS_BUCKET,
    Calls,
    FirmWorld,
    Services,
    Size,
    aws_account,
    recorder,
)
from bench.report import table, write_section
from firmchat.domain.documents import FileToUpload, FolderAccess, NewFolder, UploadRequest
from localcloud.scanner import scan

WORLD = Size("documents", threads=3, messages=3, contacts=5, members=5)
COUNTS = (1, 10, 50)


def _summary(calls: Calls) -> str:
    by_service = Counter(f"{call.service} {call.operation}" for call in calls.calls)
    return ", ".join(f"{name} {number}" for name, number in sorted(by_service.items())) or "0"


def measure() -> list[list[str]]:
    rows = []
    with aws_account():
        services = Services()
        world = FirmWorld(services, WORLD, "firm-documents")
        owner, client = world.signed_in("owner"), world.signed_in("client")
        documents = services.documents
        folder = documents.create_folder(
            owner, ACCOUNT, NewFolder(name="Shared", access=FolderAccess.CLIENT_CAN_VIEW)
        )
        s3 = boto3.client("s3")
        thread = world.thread.thread_id
        for count in COUNTS:
            files = [
                FileToUpload(name=f"receipt-{n}.pdf", content_type="application/pdf", size=8)
                for n in range(count)
            ]
            request = UploadRequest(folder_id=folder.folder_id, files=files)
            with recorder.recording() as asking:
                forms = documents.request_uploads(client, thread, request)
            keys = [form.fields["key"] for form in forms]
            for key in keys:
                s3.put_object(Bucket=DOCUMENTS_BUCKET, Key=key, Body=b"%PDF-1.7")
            with recorder.recording() as arriving:
                documents.arrived(keys[0], 8)
            for key in keys[1:]:
                documents.arrived(key, 8)
            for key in keys:
                scan(s3, DOCUMENTS_BUCKET, key, "us-east-1", "123456789012")  # tags it clean
            with recorder.recording() as settling:
                documents.scanned(keys[0], None)
            for key in keys[1:]:
                documents.scanned(key, None)
            with recorder.recording() as listing:
                page = documents.documents(client, thread, 250, None)
            rows.append(
                [
                    str(count),
                    str(len(page.items)),
                    _summary(asking),
                    _summary(arriving),
                    _summary(settling),
                    _summary(listing),
                ]
            )
    return rows


def main() -> str:
    rows = measure()
    header = ["files asked", "in the list", "forms", "one arrival", "one verdict", "list"]
    body = table(header, rows)
    write_section(
        "Requests per document operation",
        "python -m bench.documents_requests",
        f"""Every AWS request of the documents service, counted on the wire: asking for N
upload forms at once, one object's arrival and one scan verdict (each announced to the
thread's connected audience: the `apigatewaymanagementapi` pushes and the principal
lookups before them), and the thread's documents list once it holds the documents of every
row so far. A form is signed locally, so no S3 request is made for it. Seeded world:
{WORLD}.

{body}""",
    )
    return body


if __name__ == "__main__":
    print(main())
