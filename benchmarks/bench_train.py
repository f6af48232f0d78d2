"""Training benchmark: one fit of the distributed model at the configured parameters.

Tuning and cross-validation are left out (each trial or fold is another fit of
about the same cost); the held-out month is still scored for the model, the
popularity baseline, the scikit-learn model and, on generated data, the oracle.
"""

from __future__ import annotations

import dataclasses
import logging

from pyspark.sql import SparkSession

from benchmarks.measure import measure
from santander_lake.config import Settings
from santander_lake.train import train, train_options

logger = logging.getLogger(__name__)

REPORTED = (
    "map7_model",
    "map7_popularity",
    "map7_sklearn",
    "map7_oracle",
    "map7_ratio_to_oracle",
    "train_seconds",
)


def run(spark: SparkSession, settings: Settings, raw_dir: str) -> dict[str, float | int | str]:
    """Train on the gold tables in the settings' lake; time and peak memory of the whole run."""
    options = dataclasses.replace(train_options(settings), max_evals=0, cv_months=())
    with measure() as measured:
        result = train(spark, settings, options, raw_dir=raw_dir)

    report: dict[str, float | int | str] = {
        name: round(result.metrics[name], 6) for name in REPORTED if name in result.metrics
    }
    report["run_seconds"] = round(measured.seconds, 1)
    report["peak_rss_mib"] = round(measured.peak_rss_mib, 1)
    report["target_month"] = options.target_month.isoformat()
    report["num_workers"] = options.num_workers
    logger.info("Training benchmark: %s", report)
    return report
