"""Tables for the terminal and sections of docs/performance.md, each stamped with its date and
the machine it was measured on (these machines are noisy: compare only within one run)."""

import argparse
import os
import platform
import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

import psutil

PERFORMANCE_DOC = Path(__file__).resolve().parents[1] / "docs" / "performance.md"
_PREAMBLE = """# Performance

Every table here is produced by `make bench` (or one of its parts, named in each
section) on the machine and date given with it. Baselines are measured in the same run,
side by side, because shared machines are noisy: compare within a table, not across.
"""


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        names = re.findall(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.MULTILINE)
        cpu = names[0] if names else cpu
    memory_gib = psutil.virtual_memory().total / 2**30
    return (
        f"{cpu}, {os.cpu_count()} cores, {memory_gib:.0f} GiB, "
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}"
    )


def percentile(values: list[float], fraction: float) -> float:
    """The nearest-rank percentile (`fraction` 0.5 is the median of an odd count)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A Markdown table, readable as is in a terminal."""
    cells = [list(map(str, header)), *[list(map(str, row)) for row in rows]]
    widths = [max(len(row[column]) for row in cells) for column in range(len(header))]

    def line(row: list[str]) -> str:
        padded = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        return "| " + " | ".join(padded) + " |"

    rule = "|" + "|".join("-" * (width + 2) for width in widths) + "|"
    return "\n".join([line(cells[0]), rule, *(line(row) for row in cells[1:])])


def write_section(title: str, command: str, body: str) -> None:
    """Replaces (or appends) the `## title` section of docs/performance.md."""
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    section = (
        f"## {title}\n\nMeasured {stamp} on {machine()}.\n"
        f"Reproduce with `{command}`.\n\n{body.strip()}\n"
    )
    text = PERFORMANCE_DOC.read_text() if PERFORMANCE_DOC.exists() else _PREAMBLE
    pattern = re.compile(rf"^## {re.escape(title)}\n.*?(?=^## |\Z)", re.MULTILINE | re.DOTALL)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text, count=1)
    else:
        text = text.rstrip() + "\n\n" + section
    PERFORMANCE_DOC.parent.mkdir(exist_ok=True)
    PERFORMANCE_DOC.write_text(text.rstrip() + "\n")


type Samples = dict[str, list[dict[str, float]]]


def run_in_rounds(
    argv: list[str] | None,
    *,
    doc: str,
    default_rounds: int,
    measure: Callable[[int], Samples],
    render: Callable[[Samples], str],
    title: str,
    command: str,
    description: str,
) -> str:
    """The command line of a benchmark measured over rounds: parse `--rounds`, measure,
    render the table, write it under `title` in docs/performance.md, return it."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=default_rounds)
    arguments = parser.parse_args(argv)
    body = render(measure(arguments.rounds))
    write_section(title, command, f"{description}\n\n{body}")
    return body
