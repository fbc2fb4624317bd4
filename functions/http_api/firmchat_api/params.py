"""Path parameters shared by the routes: ids are short and plain, or the request is a 422."""

from typing import Annotated

from fastapi import Path

ResourceId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
