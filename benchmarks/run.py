"""`make bench`: generate a full-scale dataset, run each stage on it, write BENCHMARKS.md.

Stages run in pipeline order in one Spark session, each on the lake the stage
before it built: generation, bronze ingestion, silver and gold, training.
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import os
import platform
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psutil

from benchmarks.measure import measure
from santander_lake.config import PROJECT_ROOT, load_settings
from santander_lake.generate import generate_dataset
from santander_lake.logs import configure_logging
from santander_lake.spark import get_spark

logger = logging.getLogger(__name__)

STAGES: tuple[str, ...] = ("bench_ingest", "bench_silver_gold", "bench_train")
BENCH_ROOT = PROJECT_ROOT / "bench"
REPORT = PROJECT_ROOT / "BENCHMARKS.md"
# Everything below this line in BENCHMARKS.md is kept when the report is rewritten.
KEEP_MARKER = "<!-- measured by other commands: kept by make bench -->"


def main() -> None:
    """Run every stage's benchmark and record the numbers."""
    args = _parse_args()
    configure_logging()
    raw_dir = BENCH_ROOT / f"raw-{args.customers}-{args.seed}"
    lake = BENCH_ROOT / "lake"
    shutil.rmtree(lake, ignore_errors=True)
    os.environ["SANTANDER_LAKE_ROOT"] = str(lake)
    settings = load_settings(
        overrides={"mlflow": {"tracking_uri": f"sqlite:///{BENCH_ROOT / 'mlflow.db'}"}}
    )

    results: dict[str, dict[str, Any]] = {"generate": _generate(raw_dir, args)}
    spark = get_spark(settings)
    for stage in STAGES:
        logger.info("Benchmark stage %s", stage)
        module = importlib.import_module(f"benchmarks.{stage}")
        results[stage] = module.run(spark, settings, str(raw_dir))
    spark.stop()

    (BENCH_ROOT / "results.json").write_text(json.dumps(results, indent=2, default=str))
    REPORT.write_text(_render(results, args) + _kept_section())
    logger.info("Wrote %s", REPORT)


def _parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=141_000)
    parser.add_argument("--seed", type=int, default=7)
    return parser.parse_args()


def _generate(raw_dir: Path, args: argparse.Namespace) -> dict[str, Any]:
    if raw_dir.exists():
        shutil.rmtree(raw_dir)
    with measure() as measured:
        written = generate_dataset(raw_dir, args.customers, args.seed)
    return {
        "customers": args.customers,
        "train_rows": written.train_rows,
        "seconds": round(measured.seconds, 1),
        "peak_rss_mib": round(measured.peak_rss_mib),
    }


def _kept_section() -> str:
    if not REPORT.is_file():
        return ""
    text = REPORT.read_text(encoding="utf-8")
    return text[text.index(KEEP_MARKER) :] if KEEP_MARKER in text else ""


def _render(results: dict[str, dict[str, Any]], args: argparse.Namespace) -> str:
    lines = [
        "# Benchmarks",
        "",
        "The full-scale sections are written by `make bench` (`python -m benchmarks.run`).",
        "",
        f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- machine: {platform.machine()}, {psutil.cpu_count()} cores, "
        f"{psutil.virtual_memory().total / 2**30:.0f} GiB, {platform.system()}",
        f"- command: `make bench` (customers={args.customers}, seed={args.seed})",
        "- peak memory: resident memory of Python plus Spark's driver JVM, summed",
        "",
    ]
    for stage, numbers in results.items():
        lines += [f"## {stage.removeprefix('bench_')}", "", "| measure | value |", "|---|---|"]
        lines += [f"| {key} | {value} |" for key, value in numbers.items()]
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
