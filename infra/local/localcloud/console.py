"""The clock endpoint, beside the management API and mail on the local console port."""

import asyncio
import math

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from localcloud.scheduler import Scheduler


def _clock_state(scheduler: Scheduler, fired: list[str] | None = None) -> dict[str, object]:
    state: dict[str, object] = {
        "now": scheduler.clock.now().isoformat(timespec="seconds"),
        "offset_seconds": scheduler.clock.offset_seconds,
    }
    if fired is not None:
        state["fired"] = fired
    return state


def clock_routes(scheduler: Scheduler) -> list[Route]:
    """`GET /_local/clock`; `POST /_local/clock {"advance_seconds": 259200}` moves the
    scheduler's clock forward and answers once what became due has fired."""

    async def clock(request: Request) -> Response:
        if request.method == "GET":
            return JSONResponse(_clock_state(scheduler))
        try:
            seconds = float((await request.json())["advance_seconds"])
        except (ValueError, KeyError, TypeError):
            seconds = math.nan
        if not seconds >= 0 or math.isinf(seconds):
            return JSONResponse(
                {"message": 'send {"advance_seconds": <a number of seconds, 0 or more>}'},
                status_code=400,
            )
        fired = await asyncio.to_thread(scheduler.advance, seconds)
        return JSONResponse(_clock_state(scheduler, fired))

    return [Route("/_local/clock", clock, methods=["GET", "POST"])]
