"""Wall time and peak memory of a block of work, across Python and Spark's JVM.

The local Spark driver JVM is a child of the Python process, so peak memory is
the peak summed RSS of this process and all its descendants, sampled often.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import psutil

SAMPLE_SECONDS = 0.2


@dataclass
class Measurement:
    """What `measure` observed: seconds elapsed and peak resident memory in MiB."""

    seconds: float = 0.0
    peak_rss_mib: float = 0.0


def _tree_rss_bytes(root: psutil.Process) -> int:
    total = 0
    for process in [root, *root.children(recursive=True)]:
        try:
            total += process.memory_info().rss
        except psutil.Error:
            continue
    return total


@contextmanager
def measure() -> Iterator[Measurement]:
    """Time the block and sample the process tree's memory until it ends."""
    result = Measurement()
    root = psutil.Process()
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            result.peak_rss_mib = max(result.peak_rss_mib, _tree_rss_bytes(root) / 2**20)
            done.wait(SAMPLE_SECONDS)

    sampler = threading.Thread(target=sample, daemon=True)
    start = time.perf_counter()
    sampler.start()
    try:
        yield result
    finally:
        result.seconds = time.perf_counter() - start
        done.set()
        sampler.join()
