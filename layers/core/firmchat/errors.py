"""Domain errors. Each message is written for the person calling the API: it says what was
wrong and is safe to show (no internals, no other firm's data)."""


class FirmchatError(Exception):
    """Base of every error the core raises on purpose."""

    code = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInputError(FirmchatError):
    """Input that was read but is not acceptable; `field` names the part at fault (dotted,
    as in `message.body`) when there is one."""

    code = "invalid_input"

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field
        self.problems: tuple[tuple[str | None, str], ...] = ((field, message),)

    @classmethod
    def of_problems(cls, problems: list[tuple[str | None, str]]) -> "InvalidInputError":
        """Several fields at fault at once, as a schema check finds them."""
        error = cls("; ".join(f"{field}: {text}" if field else text for field, text in problems))
        error.problems = tuple(problems)
        return error


class MalformedRequestError(FirmchatError):
    """The request could not be read at all: not JSON, or not a JSON object."""

    code = "malformed_request"


class NotAuthenticatedError(FirmchatError):
    code = "not_authenticated"


class NotFoundError(FirmchatError):
    """Missing, or not the caller's to see: the two must look the same from outside."""

    code = "not_found"


class ForbiddenError(FirmchatError):
    """The caller may see the thing but not do this to it (a client trying to administer)."""

    code = "forbidden"


class MfaRequiredError(ForbiddenError):
    """The firm requires MFA of its firm users and this one has none recorded yet."""

    code = "mfa_required"

    def __init__(self) -> None:
        super().__init__(
            "your firm requires an authenticator app for every firm user: set one up on your "
            "sign-in (associate and verify a code), then record it with POST /me/mfa"
        )


class ConflictError(FirmchatError):
    code = "conflict"


class PayloadTooLargeError(FirmchatError):
    code = "payload_too_large"


class StaleWriteError(ConflictError):
    """A conditional write lost a race: the thread or a read state changed since it was
    read. The service reads again and retries; after a few losses it is the caller's 409."""

    def __init__(self) -> None:
        super().__init__("the thread changed while this was being saved; send it again")


class ClientIdTakenError(StaleWriteError):
    """A message with this client id was written meanwhile."""


class TooManyRequestsError(FirmchatError):
    """A per person limit (sockets open, tickets a minute) is reached; the message says
    which and when to try again."""

    code = "too_many_requests"
