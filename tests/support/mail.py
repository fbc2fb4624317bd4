"""Mail as the tests send it back to firmchat: a reply from a person to one of our addresses,
and waiting for what the local cloud does on its own (its stream and inbound functions)."""

import time
import uuid
from collections.abc import Callable
from email.message import EmailMessage

WAIT_SECONDS = 60


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


def eventually[T](check: Callable[[], T], seconds: float = WAIT_SECONDS) -> T:
    """Polls until `check` returns something truthy, or the time is up (then its last)."""
    deadline = time.monotonic() + seconds
    while True:
        found = check()
        if found or time.monotonic() > deadline:
            return found
        time.sleep(0.2)
