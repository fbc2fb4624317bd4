"""`python -m localcloud` (what `make run` starts): the local cloud with demo data, until
Ctrl+C. Each port has a flag and an environment variable; 0 picks a free port.
`--ready-file` writes the endpoints as JSON once everything listens (for tests and tools)."""

import argparse
import json
import logging
import os
import signal
import sys
import threading
import time
import warnings
from pathlib import Path
from types import FrameType

from localcloud.cloud import PORT_OPTIONS, Endpoints, LocalCloud, Ports
from localcloud.servers import PortTakenError

_ENVIRONMENT = {
    "http": "LOCALCLOUD_HTTP_PORT",
    "websocket": "LOCALCLOUD_WS_PORT",
    "console": "LOCALCLOUD_CONSOLE_PORT",
    "moto": "LOCALCLOUD_MOTO_PORT",
    "portal": "LOCALCLOUD_PORTAL_PORT",
}


def _arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m localcloud", description=__doc__)
    defaults = Ports()
    for part, option in PORT_OPTIONS.items():
        variable = _ENVIRONMENT[part]
        parser.add_argument(
            option,
            dest=part,
            type=int,
            default=int(os.environ.get(variable, getattr(defaults, part))),
            help=f"port of the {part} part (env {variable}; default %(default)s)",
        )
    parser.add_argument("--host", default=os.environ.get("LOCALCLOUD_HOST", "127.0.0.1"))
    parser.add_argument("--no-demo", dest="demo", action="store_false", help="no demo data")
    parser.add_argument("--ready-file", type=Path, help="write the endpoints here as JSON")
    parser.add_argument(
        "--parent-pid", type=int, help="stop when this process ends (for tests that start it)"
    )
    return parser.parse_args(argv)


def _banner(endpoints: Endpoints, seconds: float) -> str:
    lines = [
        f"firmchat local cloud is up ({seconds:.1f} s). Ctrl+C stops every part.",
        "",
        f"  portal          {endpoints.portal}   (sign in with a demo login below)",
        f"  HTTP API        {endpoints.http_api}",
        f"  WebSocket       {endpoints.websocket}?ticket=...",
        f"  management API  {endpoints.management_api}   (boto3/CLI --endpoint-url)",
        f"  mail viewer     {endpoints.mail}   (JSON: {endpoints.mail_json})",
        f"  inbound mail    POST {endpoints.inbound_mail}",
        f'  clock           {endpoints.clock}   (POST {{"advance_seconds": 259200}})',
        f"  AWS (moto)      {endpoints.moto}   (region {endpoints.region}, any credentials)",
    ]
    for name in ("UserPool", "FirmPortalClient", "ClientPortalClient", "ChatTable"):
        if name in endpoints.resources:
            lines.append(f"  {name:<15} {endpoints.resources[name]}")
    if endpoints.logins:
        lines += ["", f"Demo firm {endpoints.demo_firm_id}; logins:"]
        lines += [
            f"  {login['email']:<34} {login['password'] or '(invitation in the mail viewer)':<22}"
            f"  {login['who']}"
            for login in endpoints.logins
        ]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    arguments = _arguments(argv)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("localcloud").setLevel(logging.INFO)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto's request lines
    # Powertools warns on every invocation that published no metric of its own; on AWS that
    # is a log line, here it would bury the console.
    warnings.filterwarnings("ignore", "No application metrics to publish", UserWarning)
    stop = threading.Event()

    def on_signal(number: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    ports = Ports(**{part: getattr(arguments, part) for part in PORT_OPTIONS})
    started = time.perf_counter()
    cloud = LocalCloud(ports, host=arguments.host, demo=arguments.demo)
    try:
        endpoints = cloud.start()
    except PortTakenError as taken:
        cloud.stop()
        print(f"localcloud: {taken}", file=sys.stderr)
        return 2
    except BaseException:
        cloud.stop()
        raise
    try:
        print(_banner(endpoints, time.perf_counter() - started), flush=True)
        if arguments.ready_file:
            # Renamed into place, so a reader never sees half a file.
            partial = arguments.ready_file.with_suffix(".partial")
            partial.write_text(json.dumps(endpoints.as_dict(), indent=2))
            partial.replace(arguments.ready_file)
        # A parent that is killed cannot interrupt us: watch that it is still there.
        while not stop.wait(0.2):
            if arguments.parent_pid is not None and os.getppid() != arguments.parent_pid:
                break
    finally:
        print("localcloud: stopping", flush=True)
        cloud.stop()
    return 0


if __name__ == "__main__":
    code = main(sys.argv[1:])
    sys.stdout.flush()
    sys.stderr.flush()
    # Not sys.exit: that would wait for every function invocation still queued on the
    # gateways' worker threads, and all they would change is memory about to be freed.
    os._exit(code)
