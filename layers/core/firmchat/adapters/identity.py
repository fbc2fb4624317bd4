"""Logins in the Cognito user pool. The pool signs people in by email; each login carries
its firm in the immutable `custom:firm_id` attribute, which the ID token then asserts."""

import secrets

from firmchat.adapters.aws import cognito
from firmchat.config import required_setting
from firmchat.domain.caller import FIRM_CLAIM
from firmchat.errors import ConflictError, InvalidInputError


def _unguessable_password() -> str:
    # Meets the pool's policy; never stored nor sent: the person sets their own on activation.
    return f"{secrets.token_urlsafe(24)}aA1!"


class CognitoIdentity:
    def __init__(self) -> None:
        self._pool = required_setting("USER_POOL_ID")
        self._cognito = cognito()

    def ensure_login(self, firm_id: str, email: str) -> str:
        try:
            user = self._cognito.admin_create_user(
                UserPoolId=self._pool,
                Username=email,
                UserAttributes=[
                    {"Name": "email", "Value": email},
                    {"Name": "email_verified", "Value": "true"},
                    {"Name": FIRM_CLAIM, "Value": firm_id},
                ],
                TemporaryPassword=_unguessable_password(),
                MessageAction="SUPPRESS",
            )["User"]
            attributes = user.get("Attributes", [])
        except self._cognito.exceptions.UsernameExistsException:
            attributes = self._cognito.admin_get_user(UserPoolId=self._pool, Username=email)[
                "UserAttributes"
            ]
        except self._cognito.exceptions.InvalidParameterException as error:
            raise InvalidInputError(
                "email: the sign-in service does not accept this address; check it"
            ) from error
        values = {attribute["Name"]: attribute.get("Value", "") for attribute in attributes}
        if values.get(FIRM_CLAIM) != firm_id:
            raise ConflictError(
                "this email already signs in to firmchat for another firm; use another address"
            )
        return values["sub"]

    def set_password(self, subject: str, password: str) -> None:
        try:
            self._cognito.admin_set_user_password(
                UserPoolId=self._pool, Username=subject, Password=password, Permanent=True
            )
        except self._cognito.exceptions.InvalidPasswordException as error:
            raise InvalidInputError(
                "the password is too weak: use at least 12 characters with lower and upper "
                "case letters and a digit"
            ) from error
