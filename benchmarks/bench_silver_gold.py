"""Silver and gold benchmark: every bronze month cleaned, then every gold month built.

Assumes the ingest benchmark already filled bronze in the settings' lake.
"""

from __future__ import annotations

from pyspark.sql import SparkSession

from benchmarks.measure import measure
from santander_lake.config import Settings
from santander_lake.features import build_gold
from santander_lake.silver import build_silver, read_bronze, silver_path


def run(spark: SparkSession, settings: Settings, raw_dir: str) -> dict[str, float | int | str]:
    """Time `silver --all` and `gold --all` (default engines) over the bronze in the lake."""
    with measure() as silver:
        months = build_silver(spark, settings)
    with measure() as gold:
        build_gold(spark, settings)

    bronze_rows = read_bronze(spark, settings, months).count()
    silver_rows = spark.read.format("delta").load(silver_path(settings)).count()
    return {
        "months": len(months),
        "bronze_rows": bronze_rows,
        "silver_rows": silver_rows,
        "silver_seconds": round(silver.seconds, 1),
        "silver_peak_rss_mib": round(silver.peak_rss_mib),
        "gold_seconds": round(gold.seconds, 1),
        "gold_peak_rss_mib": round(gold.peak_rss_mib),
    }
