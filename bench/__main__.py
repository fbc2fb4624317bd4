"""Runs every benchmark and prints its table; each also rewrites its section of
docs/performance.md.  `make bench` or `python -m bench [name ...]`."""

import sys
from collections.abc import Callable

from bench import cold_start, cost, latency, local_cloud_startup, portal, requests_per_operation

BENCHMARKS: dict[str, Callable[[list[str]], str]] = {
    "cold_start": cold_start.main,
    "local_cloud_startup": local_cloud_startup.main,
    "requests_per_operation": requests_per_operation.main,
    "cost": cost.main,
    "latency": latency.main,
    "portal": portal.main,
}


def run(names: list[str]) -> None:
    unknown = set(names) - set(BENCHMARKS)
    if unknown:
        known = ", ".join(BENCHMARKS)
        sys.exit(f"unknown benchmark(s): {', '.join(sorted(unknown))}; known: {known}")
    for name in names or list(BENCHMARKS):
        print(f"== {name}", flush=True)
        print(BENCHMARKS[name]([]), flush=True)


if __name__ == "__main__":
    run(sys.argv[1:])
