"""Settings read from the environment, through one model, with no fallback.

The composition root (firmchat.root) reads a setting when it builds the first adapter that
needs it, which handlers do at import time, so a missing setting fails the cold start loudly
instead of the first request quietly.
"""

import os
from collections.abc import Mapping
from typing import Any


class MissingSettingError(RuntimeError):
    """A setting the function needs is not in its environment."""


class _Required:
    """A setting read from its environment variable the first time it is asked for."""

    def __init__(self, variable: str) -> None:
        self._variable = variable

    def __set_name__(self, owner: type, name: str) -> None:
        self._attribute = name

    def __get__(self, settings: "Settings", owner: Any = None) -> str:
        value = settings.environment.get(self._variable, "")
        if not value:
            raise MissingSettingError(
                f"environment variable {self._variable} is required and not set"
            )
        settings.__dict__[self._attribute] = value
        return value


class Settings:
    """Every setting of the core, each read once, when first asked for: a function is only
    asked for the settings of what it builds."""

    table_name = _Required("TABLE_NAME")
    ws_management_endpoint = _Required("WS_MANAGEMENT_ENDPOINT")
    user_pool_id = _Required("USER_POOL_ID")
    sender_address = _Required("SENDER_ADDRESS")
    portal_origin = _Required("PORTAL_ORIGIN")
    api_stage = _Required("API_STAGE")
    documents_bucket = _Required("DOCUMENTS_BUCKET")
    malware_scanning = _Required("MALWARE_SCANNING")
    api_origin = _Required("API_ORIGIN")  # the HTTP API's public address, with its stage
    reply_domain = _Required("REPLY_DOMAIN")  # where replies to notification emails go
    # Where the receipt rule's S3 action stores each received message (MS-7).
    inbound_mail_bucket = _Required("INBOUND_MAIL_BUCKET")
    inbound_mail_prefix = _Required("INBOUND_MAIL_PREFIX")
    # Client emails' follow-ups: one-time schedules in this group, calling this function.
    schedule_group = _Required("SCHEDULE_GROUP")
    follow_up_function_arn = _Required("FOLLOW_UP_FUNCTION_ARN")
    scheduler_role_arn = _Required("SCHEDULER_ROLE_ARN")
    schedule_failure_queue_arn = _Required("SCHEDULE_FAILURE_QUEUE_ARN")
    task_events_bus = _Required("TASK_EVENTS_BUS")  # TK-9's EventBridge bus, by name

    def __init__(self, environment: Mapping[str, str] | None = None) -> None:
        self.environment = os.environ if environment is None else environment
