"""Cold start: import and init time of each function in a fresh Python process, beside a
bare `import boto3` measured in the same rounds.

A Lambda cold start runs the handler module's top level once (imports, clients, settings);
this times exactly that, in a new interpreter each time, interleaving the functions and the
baseline round by round so that machine noise falls on all of them alike.

    python -m bench.cold_start [--rounds N]
"""

import json
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

from bench.report import Samples, percentile, run_in_rounds, table
from localcloud.lambdas import FunctionSpec, function_specs
from localcloud.template import Resolver, load_template

BASELINE = "bare import boto3"

# Runs in the fresh interpreter: times the import, then reports peak memory.
_CHILD = """
import importlib, json, resource, sys, time
code_dir, module = sys.argv[1], sys.argv[2]
if code_dir:
    sys.path.insert(0, code_dir)
started = time.perf_counter()
importlib.import_module(module)
elapsed_ms = (time.perf_counter() - started) * 1000
peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"ms": elapsed_ms, "peak_mib": peak_mib}))
"""


class NamingResolver(Resolver):
    """Answers every resource reference with a plausible name: importing a function needs
    its settings to be present, not to point at anything real (no AWS call happens)."""

    def ref(self, name: str) -> str:
        try:
            return super().ref(name)
        except KeyError:
            return f"firmchat-bench-{name}"

    def get_att(self, logical_id: str, attribute: str) -> str:
        return f"arn:aws:bench:{self.region}:{self.account_id}:{logical_id}/{attribute}"


def _measure_once(code_dir: str, module: str, environment: dict[str, str]) -> dict[str, float]:
    completed = subprocess.run(
        [sys.executable, "-c", _CHILD, code_dir, module],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


def _child_environment(spec: FunctionSpec | None) -> dict[str, str]:
    environment = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_DEFAULT_REGION": "us-east-1",
        "POWERTOOLS_TRACE_DISABLED": "true",
    }
    if spec is not None:
        environment.update(spec.environment)
    return environment


def measure(rounds: int) -> Samples:
    specs = function_specs(NamingResolver(load_template()))
    subjects: dict[str, tuple[str, str, dict[str, str]]] = {
        BASELINE: ("", "boto3", _child_environment(None)),
        **{
            f"{Path(spec.code_dir).name} ({logical_id})": (
                spec.code_dir,
                spec.module,
                _child_environment(spec),
            )
            for logical_id, spec in sorted(specs.items())
        },
    }
    samples: Samples = {name: [] for name in subjects}
    for _ in range(rounds):
        for name, (code_dir, module, environment) in subjects.items():
            samples[name].append(_measure_once(code_dir, module, environment))
    return samples


def render(samples: Samples) -> str:
    baseline = statistics.median(sample["ms"] for sample in samples[BASELINE])
    rows: list[list[Any]] = []
    for name, runs in samples.items():
        times = [run["ms"] for run in runs]
        p50 = statistics.median(times)
        rows.append(
            [
                name,
                len(runs),
                f"{p50:.0f}",
                f"{percentile(times, 0.9):.0f}",
                f"{p50 / baseline:.1f}x",
                f"{max(run['peak_mib'] for run in runs):.0f}",
            ]
        )
    return table(["module imported", "runs", "p50 ms", "p90 ms", "vs boto3", "peak MiB"], rows)


def main(argv: list[str] | None = None) -> str:
    return run_in_rounds(
        argv,
        doc=__doc__ or "",
        default_rounds=15,
        measure=measure,
        render=render,
        title="Cold start",
        command="python -m bench.cold_start",
        description="Import and init time of each function's handler module in a fresh "
        "interpreter (what Lambda runs once per container), with the core layer on the path.",
    )


if __name__ == "__main__":
    print(main())
