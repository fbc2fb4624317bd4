"""The text types every request model builds its fields from.

A JSON string may hold a lone UTF-16 surrogate (`"\\ud800"`), which Python keeps in a str
but cannot encode to UTF-8: the sanitizer, DynamoDB and mail would fail on it later. Every
free-text field is a `Text` (or ends in `Encodable`), refused at the door as a 422 (an
error frame on the socket).
Every id that becomes a key part is a `KeyPart`: short and plain, so no key can outgrow
DynamoDB's limits or name a range it should not.
"""

from typing import Annotated, Final

from pydantic import AfterValidator, Field, StringConstraints

KEY_PART_MAX: Final = 64


def _encodable(value: str) -> str:
    try:
        value.encode()
    except UnicodeEncodeError as error:
        raise ValueError("must be Unicode text: it holds a lone surrogate code point") from error
    return value


Encodable = AfterValidator(_encodable)
"""Put last in an Annotated str, after its constraints (which then stay in the schema)."""
Text = Annotated[str, Encodable]
KeyPart = Annotated[
    str, StringConstraints(min_length=1, max_length=KEY_PART_MAX, pattern=r"^[A-Za-z0-9_-]+$")
]
ClientId = Annotated[
    str,
    StringConstraints(pattern=r"^[A-Za-z0-9_-]{8,64}$"),
    Field(description="8-64 of A-Z a-z 0-9 _ -"),
]
