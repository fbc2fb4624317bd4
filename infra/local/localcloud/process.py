"""The local cloud in a child process on free ports, for tests and benchmarks: started with
`python -m localcloud` as `make run` starts it, stopped with Ctrl+C's signal.

    with LocalCloudProcess() as cloud:
        cloud.endpoints.http_api  # ...
"""

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import TracebackType

from localcloud.cloud import PORT_OPTIONS, Endpoints

STOP_SECONDS = 30


class LocalCloudProcess:
    def __init__(self, *arguments: str, startup_timeout: float = 120) -> None:
        self._arguments = arguments
        self._startup_timeout = startup_timeout
        self._folder = tempfile.TemporaryDirectory(prefix="localcloud-")
        self._ready_file = Path(self._folder.name) / "endpoints.json"
        self.log_file = Path(self._folder.name) / "output.log"
        self._process: subprocess.Popen[bytes] | None = None
        self.endpoints: Endpoints | None = None

    @property
    def pid(self) -> int:
        assert self._process is not None, "start() first"
        return self._process.pid

    def start(self) -> Endpoints:
        free_ports = [argument for option in PORT_OPTIONS.values() for argument in (option, "0")]
        with self.log_file.open("wb") as log:
            self._process = subprocess.Popen(  # noqa: S603 (our own interpreter and module)
                [
                    sys.executable,
                    "-m",
                    "localcloud",
                    *free_ports,
                    "--ready-file",
                    str(self._ready_file),
                    "--parent-pid",
                    str(os.getpid()),
                    *self._arguments,
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + self._startup_timeout
        while not self._ready_file.exists():
            if self._process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the local cloud did not start:\n{self.log_file.read_text()}")
            time.sleep(0.05)
        self.endpoints = Endpoints(**json.loads(self._ready_file.read_text()))
        return self.endpoints

    def stop(self) -> int | None:
        """Interrupts the child as Ctrl+C would; its exit code (None if it had to be killed)."""
        if self._process is None:
            return None
        code: int | None = None
        if self._process.poll() is None:
            self._process.send_signal(signal.SIGINT)
            try:
                code = self._process.wait(STOP_SECONDS)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        else:
            code = self._process.returncode
        self._process = None
        return code

    def __enter__(self) -> "LocalCloudProcess":
        self.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
        self._folder.cleanup()
