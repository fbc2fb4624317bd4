"""moto's Cognito, answering the SRP challenge as AWS does. `install()` patches moto's class
in the local cloud's process only, written against moto 5.2.5:

- `InitiateAuth` with `USER_SRP_AUTH` names the user in `USER_ID_FOR_SRP` by moto's internal
  id, which its own `RespondToAuthChallenge` then cannot find ("User does not exist"). AWS
  names the username there (for a pool without alias attributes, as ours), and the
  browser's SRP client answers with it. Here it is the username.

Not fixed: moto does not verify the SRP proof (see docs/local-cloud.md).
"""

from typing import Any

from moto.cognitoidp.models import CognitoIdpBackend

_initiate_auth = CognitoIdpBackend.initiate_auth


def _initiate_auth_as_aws(
    self: CognitoIdpBackend, client_id: str, auth_flow: str, auth_parameters: dict[str, str]
) -> dict[str, Any]:
    answer = _initiate_auth(self, client_id, auth_flow, auth_parameters)
    if answer.get("ChallengeName") == "PASSWORD_VERIFIER":
        parameters = answer["ChallengeParameters"]
        parameters["USER_ID_FOR_SRP"] = parameters["USERNAME"]
    return answer


def install() -> None:
    """Patches moto's class in this process; safe to call twice."""
    CognitoIdpBackend.initiate_auth = _initiate_auth_as_aws  # type: ignore[method-assign]
