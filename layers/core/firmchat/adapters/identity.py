"""Logins in the Cognito user pool (docs/decisions/0006-one-login-per-firm-and-record.md).

Each login is its own pool user, named by its firm and email (`login_username`): one person
may sign in to several firms, each with its own password, and no firm ever meets another
firm's pool users. Each carries its firm in the immutable `custom:firm_id` attribute, which
the ID token then asserts. Users cannot write their own attributes (the app clients allow
none), so a login's email and firm are only ever what the firm's invitation set.
"""

import contextlib
import secrets
from collections.abc import Callable
from typing import TYPE_CHECKING

from firmchat.domain.caller import FIRM_CLAIM
from firmchat.errors import InvalidInputError

if TYPE_CHECKING:
    from mypy_boto3_cognito_idp import CognitoIdentityProviderClient


def _unguessable_password() -> str:
    # Meets the pool's policy; never stored nor sent: the person sets their own on activation.
    return f"{secrets.token_urlsafe(24)}aA1!"


def login_username(firm_id: str, email: str) -> str:
    """The pool username of the firm's login for that email: what the firm's sign-in page
    sends, built from the firm it belongs to and the email the person types."""
    return f"{firm_id}.{email.casefold()}"


class CognitoIdentity:
    def __init__(self, pool_id: str, client: "CognitoIdentityProviderClient") -> None:
        self._pool = pool_id
        self._cognito = client

    def create_login(self, firm_id: str, email: str) -> str | None:
        """The subject of a new login, or None when the firm has one for that email."""
        try:
            user = self._cognito.admin_create_user(
                UserPoolId=self._pool,
                Username=login_username(firm_id, email),
                UserAttributes=[
                    {"Name": "email", "Value": email},
                    {"Name": "email_verified", "Value": "true"},
                    {"Name": FIRM_CLAIM, "Value": firm_id},
                ],
                TemporaryPassword=_unguessable_password(),
                MessageAction="SUPPRESS",
            )["User"]
        except self._cognito.exceptions.UsernameExistsException:
            return None
        except self._cognito.exceptions.InvalidParameterException as error:
            raise InvalidInputError(
                "the sign-in service does not accept this address; check it", field="email"
            ) from error
        values = {item["Name"]: item.get("Value", "") for item in user.get("Attributes", [])}
        return values["sub"]

    def subject_of(self, firm_id: str, email: str) -> str | None:
        try:
            user = self._cognito.admin_get_user(
                UserPoolId=self._pool, Username=login_username(firm_id, email)
            )
        except self._cognito.exceptions.UserNotFoundException:
            return None
        values = {item["Name"]: item.get("Value", "") for item in user["UserAttributes"]}
        return values["sub"]

    def set_password(self, firm_id: str, email: str, password: str) -> None:
        try:
            self._cognito.admin_set_user_password(
                UserPoolId=self._pool,
                Username=login_username(firm_id, email),
                Password=password,
                Permanent=True,
            )
        except self._cognito.exceptions.InvalidPasswordException as error:
            raise InvalidInputError(
                "the password is too weak: use at least 12 characters with lower and upper "
                "case letters and a digit",
                field="password",
            ) from error

    def require_totp(self, firm_id: str, email: str) -> bool:
        username = login_username(firm_id, email)
        try:
            self._cognito.admin_set_user_mfa_preference(
                UserPoolId=self._pool,
                Username=username,
                SoftwareTokenMfaSettings={"Enabled": True, "PreferredMfa": True},
            )
        except (
            self._cognito.exceptions.InvalidParameterException,  # no verified software token
            self._cognito.exceptions.UserNotFoundException,
        ):
            return False
        user = self._cognito.admin_get_user(UserPoolId=self._pool, Username=username)
        return "SOFTWARE_TOKEN_MFA" in user.get("UserMFASettingList", [])

    def sign_out(self, firm_id: str, email: str) -> None:
        """Ends every session of the login: its refresh tokens stop working at once."""
        self._each(self._cognito.admin_user_global_sign_out, firm_id, email)

    def disable(self, firm_id: str, email: str) -> None:
        self.sign_out(firm_id, email)
        self._each(self._cognito.admin_disable_user, firm_id, email)

    def enable(self, firm_id: str, email: str) -> None:
        self._each(self._cognito.admin_enable_user, firm_id, email)

    def delete(self, firm_id: str, email: str) -> None:
        """Signs the login out and deletes it, which frees the address for a new invitation."""
        self.sign_out(firm_id, email)
        self._each(self._cognito.admin_delete_user, firm_id, email)

    def _each(self, call: Callable[..., object], firm_id: str, email: str) -> None:
        # A login already gone is as signed out, disabled and deleted as it can be.
        with contextlib.suppress(self._cognito.exceptions.UserNotFoundException):
            call(UserPoolId=self._pool, Username=login_username(firm_id, email))
