"""Email through SES (the v2 API), from the verified sender the template names."""

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mypy_boto3_sesv2 import SESV2Client


class SesMailer:
    def __init__(self, sender: str, client: "SESV2Client") -> None:
        self._sender = sender
        self._ses = client

    def send(
        self,
        to: str,
        subject: str,
        text: str,
        *,
        html: str | None = None,
        headers: Mapping[str, str] | None = None,
        reply_to: str | None = None,
    ) -> None:
        body: dict[str, Any] = {"Text": {"Data": text, "Charset": "UTF-8"}}
        if html is not None:
            body["Html"] = {"Data": html, "Charset": "UTF-8"}
        simple: dict[str, Any] = {"Subject": {"Data": subject, "Charset": "UTF-8"}, "Body": body}
        if headers:
            simple["Headers"] = [{"Name": name, "Value": value} for name, value in headers.items()]
        self._ses.send_email(
            FromEmailAddress=self._sender,
            Destination={"ToAddresses": [to]},
            ReplyToAddresses=[reply_to] if reply_to else [],
            Content={"Simple": simple},  # type: ignore[typeddict-item]
        )
