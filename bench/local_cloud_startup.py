"""Local cloud start-up: time from `python -m localcloud` to every part listening (and, with
demo data, to the demo firm seeded), the process's memory then, and the time a Ctrl+C takes
to stop it, over several fresh starts.

    python -m bench.local_cloud_startup [--rounds N]
"""

import statistics
import time
from typing import Any

import psutil

from bench.report import Samples, run_in_rounds, table
from localcloud.process import LocalCloudProcess

VARIANTS = {"with demo data": (), "without demo data (--no-demo)": ("--no-demo",)}


def _measure_once(arguments: tuple[str, ...]) -> dict[str, float]:
    cloud = LocalCloudProcess(*arguments)
    started = time.perf_counter()
    with cloud:
        ready_s = time.perf_counter() - started
        memory = psutil.Process(cloud.pid).memory_info()
        stopping = time.perf_counter()
        code = cloud.stop()
        stop_s = time.perf_counter() - stopping
    if code != 0:
        raise RuntimeError(f"the local cloud exited with {code} on Ctrl+C")
    return {"ready_s": ready_s, "rss_mib": memory.rss / 2**20, "stop_s": stop_s}


def measure(rounds: int) -> Samples:
    samples: Samples = {name: [] for name in VARIANTS}
    for _ in range(rounds):  # interleaved, so machine noise falls on both alike
        for name, arguments in VARIANTS.items():
            samples[name].append(_measure_once(arguments))
    return samples


def render(samples: Samples) -> str:
    rows: list[list[Any]] = []
    for name, runs in samples.items():
        ready = [run["ready_s"] for run in runs]
        rows.append(
            [
                name,
                len(runs),
                f"{statistics.median(ready):.2f}",
                f"{max(ready):.2f}",
                f"{statistics.median(run['rss_mib'] for run in runs):.0f}",
                f"{statistics.median(run['stop_s'] for run in runs):.2f}",
            ]
        )
    return table(
        ["start", "runs", "ready p50 s", "ready max s", "RSS when ready MiB", "stop p50 s"], rows
    )


def main(argv: list[str] | None = None) -> str:
    return run_in_rounds(
        argv,
        doc=__doc__ or "",
        default_rounds=5,
        measure=measure,
        render=render,
        title="Local cloud start-up",
        command="python -m bench.local_cloud_startup",
        description="From launching `python -m localcloud` (all ports free, chosen by the "
        "system) until it reports every part listening, measured from the parent; RSS of the "
        "process at that moment; time from the interrupt (Ctrl+C's SIGINT) to a clean exit. "
        "Every function of the template is imported at start, as a cold start would.",
    )


if __name__ == "__main__":
    print(main())
