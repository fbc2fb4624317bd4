"""EventBridge Scheduler, the part moto leaves out: moto stores schedules but never fires
them. This reads them back from moto and fires the due ones at their targets, on a clock
that can be moved forward, so "three days later" takes a second.

- `at(yyyy-mm-ddThh:mm:ss)` fires once (in `ScheduleExpressionTimezone`), then the schedule
  is deleted when its `ActionAfterCompletion` is `DELETE`;
- `rate(n unit)` fires at start (StartDate, else creation) + n, + 2n, ... until EndDate;
  when the clock jumps over several occurrences they are fired once, not n times;
- `cron(...)` is not fired (logged once per schedule);
- targets: the template's functions (by Lambda ARN, invoked here) and SQS queues or SNS
  topics in moto. A target that cannot be reached goes to its DeadLetterConfig queue.
"""

import json
import logging
import re
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from localcloud.aws import LocalAws, deliver
from localcloud.lambdas import LocalFunctions

if TYPE_CHECKING:
    from mypy_boto3_scheduler.type_defs import GetScheduleOutputTypeDef

log = logging.getLogger("localcloud.scheduler")

TICK_SECONDS = 1.0
_RATE = re.compile(r"rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)")
_AT = re.compile(r"at\((\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\)")
_NEVER = datetime.min.replace(tzinfo=UTC)


class Clock:
    """Real time plus an offset that only grows."""

    def __init__(self) -> None:
        self._offset = timedelta()
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return datetime.now(UTC) + self._offset

    @property
    def offset_seconds(self) -> float:
        with self._lock:
            return self._offset.total_seconds()

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("the clock moves forward only")
        with self._lock:
            self._offset += timedelta(seconds=seconds)


def _rate(expression: str) -> timedelta | None:
    found = _RATE.fullmatch(expression.strip())
    if not found:
        return None
    unit = found.group(2).rstrip("s") + "s"
    return timedelta(**{unit: int(found.group(1))})


def _at(expression: str, timezone: str) -> datetime | None:
    found = _AT.fullmatch(expression.strip())
    if not found:
        return None
    local = datetime.fromisoformat(found.group(1)).replace(tzinfo=ZoneInfo(timezone or "UTC"))
    return local.astimezone(UTC)


class Scheduler:
    def __init__(self, aws: LocalAws, functions: LocalFunctions, clock: Clock) -> None:
        self._client = aws.session.client("scheduler", endpoint_url=aws.endpoint)
        self._aws = aws
        self._functions = functions
        self.clock = clock
        # arn -> (last modification, last occurrence fired): an update re-arms a schedule.
        self._fired: dict[str, tuple[datetime, datetime]] = {}
        self._unsupported: set[str] = set()
        self._tick_lock = threading.Lock()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="scheduler", daemon=True)

    def _schedules(self) -> Iterator["GetScheduleOutputTypeDef"]:
        for page in self._client.get_paginator("list_schedules").paginate():
            for summary in page["Schedules"]:
                yield self._client.get_schedule(
                    Name=summary["Name"], GroupName=summary["GroupName"]
                )

    def _due(
        self, schedule: "GetScheduleOutputTypeDef", now: datetime
    ) -> tuple[datetime | None, bool]:
        """The latest occurrence due and not fired yet (None when there is none), and whether
        the schedule has completed with it."""
        expression = schedule["ScheduleExpression"]
        arn = schedule["Arn"]
        modified = schedule["LastModificationDate"]
        last_modified, last_fired = self._fired.get(arn, (modified, _NEVER))
        if last_modified != modified:
            last_fired = _NEVER
        nothing = (None, False)
        once = _at(expression, schedule.get("ScheduleExpressionTimezone", "UTC"))
        if once is not None:
            return (once, True) if last_fired < once <= now else nothing
        every = _rate(expression)
        if every is None:
            if arn not in self._unsupported:
                self._unsupported.add(arn)
                log.warning("%s: %s is not fired locally", schedule["Name"], expression)
            return nothing
        start = schedule.get("StartDate") or schedule["CreationDate"]
        end = schedule.get("EndDate")
        horizon = min(now, end) if end else now
        if horizon < start + every:
            return nothing
        latest = start + every * ((horizon - start) // every)
        completed = end is not None and latest + every > end
        return (latest, completed) if latest > last_fired else nothing

    def tick(self) -> list[str]:
        """Fires every due schedule once; the names of those fired."""
        fired = []
        with self._tick_lock:
            now = self.clock.now()
            for schedule in self._schedules():
                if schedule.get("State", "ENABLED") != "ENABLED":
                    continue
                occurrence, completed = self._due(schedule, now)
                if occurrence is None:
                    continue
                self._fired[schedule["Arn"]] = (schedule["LastModificationDate"], occurrence)
                self._fire(schedule)
                fired.append(schedule["Name"])
                if completed and schedule.get("ActionAfterCompletion") == "DELETE":
                    self._client.delete_schedule(
                        Name=schedule["Name"], GroupName=schedule["GroupName"]
                    )
        return fired

    def _fire(self, schedule: "GetScheduleOutputTypeDef") -> None:
        target = schedule["Target"]
        payload = target.get("Input") or "{}"
        function = self._functions.by_arn(target["Arn"])
        if function is not None:
            try:
                function.invoke(json.loads(payload))
            except Exception:
                log.exception("%s: the target function failed", schedule["Name"])
            return
        if deliver(self._aws, target["Arn"], payload):
            return
        dead_letters = target.get("DeadLetterConfig", {}).get("Arn")
        if dead_letters:
            deliver(self._aws, dead_letters, payload)

    def advance(self, seconds: float) -> list[str]:
        """Moves the clock forward and fires what became due; the names of those fired."""
        self.clock.advance(seconds)
        return self.tick()

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                self.tick()
            except Exception:
                log.exception("the scheduler failed a tick; it goes on")
            self._stopping.wait(TICK_SECONDS)

    def start(self) -> None:
        self._thread.start()

    def stop(self, seconds: float) -> None:
        """Stops firing; a firing in flight is left to end with the process after `seconds`."""
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join(seconds)
