"""Settings read from the environment, through one model, with no fallback.

The composition root (firmchat.root) reads a setting when it builds the first adapter that
needs it, which handlers do at import time, so a missing setting fails the cold start loudly
instead of the first request quietly.
"""

import os
from collections.abc import Mapping
from functools import cached_property


class MissingSettingError(RuntimeError):
    """A setting the function needs is not in its environment."""


class Settings:
    """Every setting of the core, each read once, when first asked for; a function is only
    asked for the settings of what it builds."""

    def __init__(self, environment: Mapping[str, str] | None = None) -> None:
        self._environment = os.environ if environment is None else environment

    def _required(self, name: str) -> str:
        value = self._environment.get(name, "")
        if not value:
            raise MissingSettingError(f"environment variable {name} is required and not set")
        return value

    @cached_property
    def table_name(self) -> str:
        return self._required("TABLE_NAME")

    @cached_property
    def ws_management_endpoint(self) -> str:
        return self._required("WS_MANAGEMENT_ENDPOINT")

    @cached_property
    def user_pool_id(self) -> str:
        return self._required("USER_POOL_ID")

    @cached_property
    def sender_address(self) -> str:
        return self._required("SENDER_ADDRESS")

    @cached_property
    def portal_origin(self) -> str:
        return self._required("PORTAL_ORIGIN")

    @cached_property
    def api_stage(self) -> str:
        return self._required("API_STAGE")
