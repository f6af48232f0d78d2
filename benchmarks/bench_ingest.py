"""Bronze ingestion benchmark: every train month and the test file, rows per second and memory."""

from __future__ import annotations

from typing import Any

from pyspark.sql import SparkSession

from benchmarks.measure import measure
from santander_lake.config import Settings
from santander_lake.ingest import ingest_all, ingest_test


def run(spark: SparkSession, settings: Settings, raw_dir: str) -> dict[str, Any]:
    """Ingest all of `raw_dir` into the settings' lake (parsing included) and time it."""
    with measure() as measured:
        train = ingest_all(spark, settings, raw_dir, force=True)
        test = ingest_test(spark, settings, raw_dir)

    rows = sum(r.rows for r in train) + sum(r.rows for r in test)
    return {
        "months": len(train),
        "rows": rows,
        "bad_lines": sum(r.bad_lines for r in train + test),
        "seconds": round(measured.seconds, 1),
        "rows_per_second": round(rows / measured.seconds),
        "peak_rss_mib": round(measured.peak_rss_mib),
    }
