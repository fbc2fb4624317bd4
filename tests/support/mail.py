"""Mail as the tests send it back to firmchat: a reply from a person to one of our addresses."""

import uuid
from email.message import EmailMessage


def reply_mail(
    sender: str, to: str, text: str, *, name: str = "", headers: dict[str, str] | None = None
) -> bytes:
    """A raw reply (RFC 5322) with a fresh Message-ID and any extra headers."""
    message = EmailMessage()
    message["From"] = f"{name} <{sender}>" if name else sender
    message["To"] = to
    message["Subject"] = "Re: your message"
    message["Message-ID"] = f"<{uuid.uuid4().hex}@{sender.rpartition('@')[2]}>"
    for header, value in (headers or {}).items():
        message[header] = value
    message.set_content(text)
    return message.as_bytes()
