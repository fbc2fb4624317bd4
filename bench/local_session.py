"""Signing in to a running local cloud as one of its demo logins, as a portal does: an ID
token from the local user pool, then WebSocket tickets from the HTTP API."""

import time
from dataclasses import dataclass

import boto3
import httpx

from localcloud.cloud import Endpoints


@dataclass(frozen=True)
class DemoSession:
    endpoints: Endpoints
    who: str
    token: str

    @classmethod
    def sign_in(cls, endpoints: Endpoints, who: str) -> "DemoSession":
        login = next(login for login in endpoints.logins if login["who"] == who)
        return cls.sign_in_with(endpoints, str(login["username"]), str(login["password"]), who=who)

    @classmethod
    def sign_in_with(
        cls, endpoints: Endpoints, username: str, password: str, *, who: str | None = None
    ) -> "DemoSession":
        """Any activated login of the local pool (its pool username), through the local
        cloud's tooling client."""
        client_id = endpoints.resources["LocalToolingClient"]
        cognito = boto3.client(
            "cognito-idp",
            endpoint_url=endpoints.moto,
            region_name=endpoints.region,
            aws_access_key_id="bench",
            aws_secret_access_key="bench",
        )
        answer = cognito.initiate_auth(
            ClientId=client_id,
            AuthFlow="USER_PASSWORD_AUTH",
            AuthParameters={"USERNAME": username, "PASSWORD": password},
        )
        return cls(endpoints, who or username, str(answer["AuthenticationResult"]["IdToken"]))

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def http(self) -> httpx.Client:
        return httpx.Client(base_url=self.endpoints.http_api, headers=self.headers, timeout=60)

    def socket_url(self, http: httpx.Client) -> str:
        """The WebSocket address with a fresh one-use ticket. Past the person's tickets a
        minute (429), it waits for the next minute once, as a polite portal would."""
        answer = http.post("/ws-tickets")
        if answer.status_code == httpx.codes.TOO_MANY_REQUESTS:
            time.sleep(61 - time.time() % 60)
            answer = http.post("/ws-tickets")
        answer.raise_for_status()
        return f"{self.endpoints.websocket}?ticket={answer.json()['ticket']}"
