"""Email through SES (the v2 API), from the verified sender the template names."""

from firmchat.adapters.aws import sesv2
from firmchat.config import required_setting


class SesMailer:
    def __init__(self) -> None:
        self._sender = required_setting("SENDER_ADDRESS")
        self._ses = sesv2()

    def send(self, to: str, subject: str, text: str) -> None:
        self._ses.send_email(
            FromEmailAddress=self._sender,
            Destination={"ToAddresses": [to]},
            Content={
                "Simple": {
                    "Subject": {"Data": subject, "Charset": "UTF-8"},
                    "Body": {"Text": {"Data": text, "Charset": "UTF-8"}},
                }
            },
        )
