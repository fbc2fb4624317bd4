"""Settings read from the environment, with no fallback.

Adapters read what they need when they are built, which handlers do at import time, so a
missing setting fails the cold start loudly instead of the first request quietly.
"""

import os


class MissingSettingError(RuntimeError):
    """A setting the function needs is not in its environment."""


def required_setting(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        raise MissingSettingError(f"environment variable {name} is required and not set")
    return value
